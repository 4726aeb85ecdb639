"""Running in production: gunicorn's shipped configuration, static files from whitenoise, a
SECRET_KEY strong enough, the readiness check and JSON logs."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings
from pythonjsonlogger.json import JsonFormatter

from tellonce.accounts import readiness
from tellonce.settings import weak_secret_key

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_OWNER_URL"}}
    env.update(
        DEPLOYMENT="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tellonce.example.org",
        DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'production-check.sqlite3'}",
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("short-but-random-Zq8", "20 characters"),
        ("a" * 60, "1 different characters"),
        ("abab" * 20, "2 different characters"),
        ("django-insecure-" + "k3J9x-Qw7pL2mN8vR4tY6uB1cD5fG0hZsA2eW9qT", "development key"),
    ],
    ids=["short", "one character", "two characters", "startproject's"],
)
def test_a_weak_secret_key_is_named_with_the_reason(key: str, reason: str) -> None:
    assert reason in weak_secret_key(key)


def test_a_random_secret_key_is_strong_enough() -> None:
    assert weak_secret_key(secrets.token_urlsafe(50)) == ""


def test_production_refuses_to_start_with_a_weak_secret_key() -> None:
    result = run(
        [sys.executable, "manage.py", "check"], production_env(SECRET_KEY="changeme-changeme")
    )
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for DEPLOYMENT=production" in result.stderr
    assert "17 characters" in result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run([sys.executable, "manage.py", "check"], production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_gunicorns_shipped_configuration_loads_the_application_in_production() -> None:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    result = run([str(gunicorn), "--check-config", "tellonce.wsgi"], production_env())
    assert result.returncode == 0, result.stderr
    weak = run(
        [str(gunicorn), "--check-config", "tellonce.wsgi"], production_env(SECRET_KEY="x" * 60)
    )
    assert weak.returncode != 0
    assert "SECRET_KEY is too weak" in weak.stderr + weak.stdout


def test_production_logs_one_json_object_a_line() -> None:
    code = (
        "import logging; logging.getLogger('tellonce.test').warning("
        "'Import finished', extra={'rows': 12})"
    )
    result = run([sys.executable, "manage.py", "shell", "-c", code], production_env())
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.strip()]
    ours = [line for line in lines if line["logger"] == "tellonce.test"]
    assert len(ours) == 1
    assert ours[0]["level"] == "WARNING"
    assert ours[0]["message"] == "Import finished"
    assert ours[0]["rows"] == 12
    assert "time" in ours[0]


def test_the_json_formatter_settings_name_the_fields() -> None:
    options = dict(settings.LOGGING["formatters"]["json"])
    options.pop("()")
    record = logging.LogRecord(
        "tellonce.x", logging.ERROR, __file__, 1, "Failed %s", ("once",), None
    )
    line = json.loads(JsonFormatter(**options).format(record))
    assert line["message"] == "Failed once"
    assert line["level"] == "ERROR" and line["logger"] == "tellonce.x"


@override_settings(DEBUG=False)
def test_whitenoise_serves_static_files_with_debug_off() -> None:
    response = Client().get("/static/tellonce.css")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body == (ROOT / "tellonce" / "static" / "tellonce.css").read_bytes()
    assert response["Content-Type"].startswith("text/css")


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_is_migrated(monkeypatch) -> None:
    monkeypatch.setattr(readiness, "_migrated", False)
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True}


@pytest.mark.django_db
def test_readyz_is_not_ready_while_a_migration_is_not_applied(monkeypatch) -> None:
    monkeypatch.setattr(readiness, "_migrated", False)
    MigrationRecorder.Migration.objects.filter(app="access", name="0005_audit_hash_chain").delete()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["ready"] is False
    assert "1 migrations are not applied (first: access.0005_audit_hash_chain)" in str(
        response.json()["problems"]
    )


@pytest.mark.django_db
def test_readyz_is_not_ready_when_the_database_does_not_answer(monkeypatch) -> None:
    class Down:
        def cursor(self) -> None:
            raise OperationalError("connection refused")

    monkeypatch.setattr(readiness, "connection", Down())
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["problems"] == ["the database does not answer: OperationalError"]
