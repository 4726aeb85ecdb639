"""The local OpenID Connect provider, and settings that point both sign-ins at it."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client, override_settings
from joserfc.jwk import RSAKey

from tellonce.accounts import oidc
from tests.signin.provider import ONE_LOGIN_CLIENT, STAFF_CLIENT, STAFF_SECRET, LocalProvider

TEST_HOST = "http://testserver"


@functools.lru_cache(maxsize=1)
def _client_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def start_provider(base_urls: list[str]) -> tuple[LocalProvider, dict[str, object]]:
    client_key = _client_key()
    provider = LocalProvider(
        redirect_uris=[f"{base}/sign-in/{which}/callback/" for base in base_urls
                       for which in ("one-login", "organisation")],
        one_login_public_jwk=client_key.as_dict(private=False),
    ).start()
    from django.conf import settings

    policy = {**settings.CONTENT_SECURITY_POLICY}
    policy["DIRECTIVES"] = {**policy["DIRECTIVES"],
                            "form-action": ["'self'", provider.url]}
    overrides: dict[str, object] = {
        "ONELOGIN_CLIENT_ID": ONE_LOGIN_CLIENT,
        "ONELOGIN_ISSUER": provider.url,
        "ONELOGIN_PRIVATE_KEY": client_key.as_pem(private=True).decode(),
        "STAFF_SSO_CLIENT_ID": STAFF_CLIENT,
        "STAFF_SSO_CLIENT_SECRET": STAFF_SECRET,
        "STAFF_SSO_ISSUER": provider.url,
        "CONTENT_SECURITY_POLICY": policy,
    }
    return provider, overrides


@pytest.fixture
def local_provider() -> Iterator[LocalProvider]:
    provider, overrides = start_provider([TEST_HOST])
    oidc._clients.clear()
    with override_settings(**overrides):
        yield provider
    oidc._clients.clear()
    provider.stop()


@pytest.fixture
def sign_in_through(local_provider: LocalProvider) -> Callable[..., object]:
    """Drives one sign-in: our start page, the provider's page as `person`, our callback."""

    def go(client: Client, person: str, which: str = "one-login") -> object:
        start = client.get(f"/sign-in/{which}/")
        assert start.status_code == 302, start.content[:300]
        answer = requests.post(start["Location"], data={"user": person},
                               allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text[:300]
        back = urlsplit(answer.headers["Location"])
        return client.get(f"{back.path}?{back.query}")

    return go
