"""Signing in through OpenID Connect: GOV.UK One Login for families, the staff's own provider.

Both are one client library, authlib (its Django client): the authorisation code flow with
PKCE (S256), state and nonce kept in the session, the ID token's signature checked against the
provider's published keys (JWKS, fetched from its discovery document) and its iss, aud, exp
and nonce checked. One Login's client authenticates with private_key_jwt (a JWT signed with
our private key) and asks for a level of authentication (vtr), whose answer (vot) is checked
here; the staff provider (Entra ID, or any other) with a client secret. Sign-out ends the
One Login session too, through its end-session endpoint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from joserfc.errors import JoseError

ONE_LOGIN = "onelogin"
STAFF = "staff"
# Where the ID token of a One Login session is kept, for the end-session request.
ID_TOKEN_KEY = "tio_oidc_id_token"
PROVIDER_KEY = "tio_oidc_provider"


class SignInFailed(Exception):
    """The provider's answer was refused: the person is told to try again, never signed in."""


@dataclass(frozen=True)
class Provider:
    name: str
    issuer: str
    client_id: str
    # The client secret, or for private_key_jwt the private key in PEM.
    credential: str
    scopes: str
    private_key_jwt: bool
    vtr: str = ""

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def provider(name: str) -> Provider | None:
    """The provider's settings, or None if this deployment has not set it up."""
    if name == ONE_LOGIN and settings.ONELOGIN_CLIENT_ID:
        return Provider(
            ONE_LOGIN,
            settings.ONELOGIN_ISSUER,
            settings.ONELOGIN_CLIENT_ID,
            settings.ONELOGIN_PRIVATE_KEY,
            settings.ONELOGIN_SCOPES,
            private_key_jwt=True,
            vtr=settings.ONELOGIN_VTR,
        )
    if name == STAFF and settings.STAFF_SSO_CLIENT_ID and settings.STAFF_SSO_ISSUER:
        return Provider(
            STAFF,
            settings.STAFF_SSO_ISSUER,
            settings.STAFF_SSO_CLIENT_ID,
            settings.STAFF_SSO_CLIENT_SECRET,
            settings.STAFF_SSO_SCOPES,
            private_key_jwt=False,
        )
    return None


# One authlib client per provider's settings, kept for the process: it caches the discovery
# document and the keys (fetched again when a token names a key it does not have).
_clients: dict[Provider, Any] = {}


def client(config: Provider) -> Any:
    found = _clients.get(config)
    if found is None:
        registry = OAuth()
        client_kwargs: dict[str, Any] = {"scope": config.scopes, "code_challenge_method": "S256"}
        auth_methods = []
        if config.private_key_jwt:
            client_kwargs["token_endpoint_auth_method"] = PrivateKeyJWT.name
            # Its audience is the token endpoint the request goes to (One Login's rule).
            auth_methods.append(PrivateKeyJWT())
        found = registry.register(
            config.name,
            client_id=config.client_id,
            client_secret=config.credential,
            server_metadata_url=config.metadata_url,
            client_kwargs=client_kwargs,
            client_auth_methods=auth_methods or None,
        )
        _clients[config] = found
    return found


def start(request: HttpRequest, config: Provider, redirect_uri: str) -> HttpResponse:
    """Send the browser to the provider; state, nonce and the PKCE verifier stay in the session."""
    extra: dict[str, str] = {}
    if config.vtr:
        # One Login takes a JSON list of vectors of trust, e.g. ["Cl.Cm"].
        extra["vtr"] = json.dumps([config.vtr])
    try:
        return client(config).authorize_redirect(request, redirect_uri, **extra)  # type: ignore[no-any-return]
    except (OSError, ValueError, OAuthError) as problem:
        raise SignInFailed(f"the provider could not be reached: {problem}") from problem


def finish(request: HttpRequest, config: Provider) -> dict[str, Any]:
    """The checked claims of the ID token the provider's answer leads to.

    Raises SignInFailed for an error from the provider, a state this session did not start, a
    token whose signature does not verify against the published keys, a wrong nonce, issuer,
    audience or expiry, or (One Login) a level of authentication below the one asked for."""
    app = client(config)
    try:
        token = app.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims.get("sub"):
            raise SignInFailed("the provider sent no ID token")
        if not claims.get("email") and app.load_server_metadata().get("userinfo_endpoint"):
            # One Login gives the email address (the 'email' scope) only from userinfo.
            more = dict(app.userinfo(token=token))
            if more.get("sub") != claims["sub"]:
                raise SignInFailed("userinfo is about someone else")
            claims.update({k: v for k, v in more.items() if k in ("email", "email_verified",
                                                                  "phone_number")})
    except (OAuthError, JoseError, OSError, ValueError, KeyError) as problem:
        raise SignInFailed(f"{problem.__class__.__name__}: {problem}") from problem
    if config.vtr and claims.get("vot") != config.vtr:
        raise SignInFailed(f"level of authentication {claims.get('vot')!r}, not {config.vtr!r}")
    request.session[PROVIDER_KEY] = config.name
    request.session[ID_TOKEN_KEY] = token.get("id_token", "")
    return claims


def end_session_url(request: HttpRequest, post_logout_redirect_uri: str) -> str | None:
    """Where to send the browser to end the provider's session too (One Login), or None."""
    name = request.session.get(PROVIDER_KEY)
    id_token = request.session.get(ID_TOKEN_KEY)
    config = provider(name) if name == ONE_LOGIN else None
    if config is None or not id_token:
        return None
    try:
        result = client(config).create_logout_url(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token
        )
    except (OSError, ValueError, RuntimeError, OAuthError):
        return None  # signed out here all the same; the provider's session lapses on its own
    return str(result["url"])
