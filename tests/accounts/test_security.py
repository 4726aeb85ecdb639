"""Sign in and out, throttling, the second factor, CSP and production settings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def with_password(world):  # type: ignore[no-untyped-def]
    user = world.users["slt"]
    user.set_password("correct-horse-battery")
    user.save()
    return user


@pytest.mark.django_db
class TestSignIn:
    def test_sign_in_and_out(self, with_password) -> None:
        client = Client()
        response = client.post(
            "/sign-in/", {"username": "slt", "password": "correct-horse-battery"}
        )
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200
        client.post("/sign-out/")
        assert client.get("/").status_code == 302

    def test_wrong_password_gets_a_clear_error(self, with_password) -> None:
        response = Client().post("/sign-in/", {"username": "slt", "password": "nope"})
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()

    def test_passwords_are_hashed_with_argon2_in_production_settings(self) -> None:
        from django.conf import settings

        assert settings.PASSWORD_HASHERS  # tests use a fast hasher; the real list is below
        import tellonce.settings as real

        assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

    def test_repeated_failures_lock_the_account_out(self, with_password, settings) -> None:
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        client = Client(REMOTE_ADDR="10.1.2.3")
        for _ in range(3):
            client.post("/sign-in/", {"username": "slt", "password": "wrong"})
        response = client.post(
            "/sign-in/", {"username": "slt", "password": "correct-horse-battery"}
        )
        assert response.status_code == 429
        assert "Too many attempts to sign in" in response.content.decode()

    def test_one_password_sprayed_across_many_usernames_locks_the_address(
        self, with_password, settings  # type: ignore[no-untyped-def]
    ) -> None:
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        client = Client(REMOTE_ADDR="10.1.2.4")
        for username in ("senco", "dco", "ep"):
            client.post("/sign-in/", {"username": username, "password": "Summer2026!"})
        response = client.post(
            "/sign-in/", {"username": "slt", "password": "correct-horse-battery"}
        )
        assert response.status_code == 429
        # Someone else, elsewhere, still signs in.
        elsewhere = Client(REMOTE_ADDR="10.9.9.9").post(
            "/sign-in/", {"username": "slt", "password": "correct-horse-battery"}
        )
        assert elsewhere.status_code == 302

    def test_one_username_tried_from_many_addresses_locks_the_username(
        self, with_password, settings  # type: ignore[no-untyped-def]
    ) -> None:
        settings.AXES_ENABLED = True
        settings.AXES_FAILURE_LIMIT = 3
        for n in range(3):
            Client(REMOTE_ADDR=f"10.2.0.{n + 1}").post(
                "/sign-in/", {"username": "slt", "password": f"guess-{n}"}
            )
        response = Client(REMOTE_ADDR="10.2.0.99").post(
            "/sign-in/", {"username": "slt", "password": "correct-horse-battery"}
        )
        assert response.status_code == 429


@pytest.mark.django_db
class TestSecondFactor:
    def test_enrol_then_every_sign_in_asks_for_a_code(self, with_password) -> None:
        client = Client()
        client.post("/sign-in/", {"username": "slt", "password": "correct-horse-battery"})
        page = client.get("/account/two-factor/").content.decode()
        assert "<svg" in page and "Key:" in page
        device = TOTPDevice.objects.get(user=with_password, confirmed=False)
        wrong = client.post("/account/two-factor/", {"code": "000000"}).content.decode()
        assert "That code is not right" in wrong or "Enter the 6-digit code" in wrong
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        assert (
            "Two-factor authentication is on"
            in client.post("/account/two-factor/", {"code": code}).content.decode()
        )
        # A new session must give a code before seeing anything.
        fresh = Client()
        fresh.post("/sign-in/", {"username": "slt", "password": "correct-horse-battery"})
        response = fresh.get("/children/")
        assert response.status_code == 302 and "/two-factor/verify/" in response["Location"]

    def test_required_second_factor_sends_staff_to_enrol(self, with_password, settings) -> None:
        settings.REQUIRE_STAFF_2FA = True
        client = Client()
        client.force_login(with_password)
        response = client.get("/children/")
        assert response.status_code == 302 and response["Location"] == "/account/two-factor/"

    def test_code_must_be_six_digits(self, with_password) -> None:
        client = Client()
        client.force_login(with_password)
        text = client.post("/account/two-factor/", {"code": "12ab"}).content.decode()
        assert "Enter the 6-digit code: numbers only" in text


@pytest.mark.django_db
def test_pages_switch_off_browser_features_they_do_not_use(world, client_for) -> None:
    policy = client_for("parent").get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
class TestIdleTimeout:
    def test_staff_are_signed_out_after_30_idle_minutes(self, world, client_for) -> None:
        import time_machine

        with time_machine.travel(timezone.now(), tick=False) as clock:
            client = client_for("slt")
            assert client.get("/").status_code == 200
            clock.shift(29 * 60)
            assert client.get("/").status_code == 200  # active: still signed in
            clock.shift(31 * 60)
            response = client.get("/?from=idle")
            assert response.status_code == 302
            assert response["Location"] == "/sign-in/?next=%2F%3Ffrom%3Didle"
            page = client.get(response["Location"]).content.decode()
            assert "signed out after 30 minutes without activity" in page
            assert client.get("/").status_code == 302

    def test_families_keep_a_longer_idle_limit(self, world, client_for, settings) -> None:
        import time_machine

        assert settings.STAFF_SESSION_IDLE_MINUTES == 30
        with time_machine.travel(timezone.now(), tick=False) as clock:
            client = client_for("parent")
            assert client.get("/").status_code == 200
            clock.shift(45 * 60)
            assert client.get("/").status_code == 200
            clock.shift(settings.SESSION_IDLE_MINUTES * 60 + 60)
            assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(world, client_for) -> None:
    response = client_for("parent").get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_check_deploy_is_clean_with_production_settings() -> None:
    env = {
        **os.environ,
        "DEPLOYMENT": "production",
        "SECRET_KEY": "x" * 40 + "-Ab3$kL9pQ2zR7",
        "ALLOWED_HOSTS": "send.example.org",
        "DATABASE_URL": "",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**os.environ, "DEPLOYMENT": "production", "SECRET_KEY": "", "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value, starts", [("abc", False), ("-1", False), ("inf", False),
                                           ("nan", False), ("0", True), ("2.5", True)])
def test_the_stamp_check_interval_must_be_seconds(value: str, starts: bool) -> None:
    env = {**os.environ, "LOCAL_OFFER_STAMP_CHECK_SECONDS": value, "DATABASE_URL": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; "
         "os.environ['DJANGO_SETTINGS_MODULE'] = 'tellonce.settings'; django.setup(); "
         "from django.conf import settings; print(settings.LOCAL_OFFER_STAMP_CHECK_SECONDS)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    if starts:
        assert result.returncode == 0 and float(result.stdout) == float(value), result.stderr
    else:
        assert result.returncode != 0
        assert "LOCAL_OFFER_STAMP_CHECK_SECONDS must be a number of seconds" in result.stderr
