"""A real OpenID Connect provider on localhost for the tests: pyop in a small WSGI server.

It stands in for GOV.UK One Login and for a staff identity provider (Entra ID): discovery,
JWKS, an authorisation endpoint with a page to choose who signs in, the token endpoint (PKCE
checked by pyop; private_key_jwt checked here, as pyop does not: the client's assertion is
verified against the public key registered for it, its audience the token endpoint), userinfo
and end-session. It can be told to misbehave as a compromised or broken provider would: sign
ID tokens with a key it does not publish, or return a nonce other than the one asked for.
"""

from __future__ import annotations

import functools
import html
import json
import threading
import time
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from Cryptodome.PublicKey import RSA
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey as JoseRSAKey
from jwkest.jwk import RSAKey
from pyop.authz_state import AuthorizationState
from pyop.exceptions import InvalidAuthenticationRequest, OAuthError
from pyop.provider import Provider
from pyop.subject_identifier import HashBasedSubjectIdentifierFactory
from pyop.userinfo import Userinfo

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ONE_LOGIN_CLIENT = "tellonce-onelogin"
STAFF_CLIENT = "tellonce-staff"
STAFF_SECRET = "staff-client-secret-for-tests"


@functools.lru_cache(maxsize=2)
def _rsa(which: str) -> Any:
    # Made once per test run: a 2048-bit key takes a noticeable part of a second.
    return RSA.generate(2048)


class _Threading(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class _MisbehavingProvider(Provider):  # type: ignore[misc]
    rogue_key: RSAKey | None = None
    wrong_nonce: str | None = None
    vot: str | None = "Cl.Cm"

    def _create_signed_id_token(self, client_id, sub, user_claims=None, nonce=None,  # type: ignore[no-untyped-def]
                                authorization_code=None, access_token_value=None,
                                extra_id_token_claims=None):
        extra = dict(extra_id_token_claims or {})
        if client_id == ONE_LOGIN_CLIENT and self.vot:
            extra["vot"] = self.vot  # One Login says which level of authentication it gave
        if self.wrong_nonce is not None:
            nonce = self.wrong_nonce
        published = self.signing_key
        if self.rogue_key is not None:
            self.signing_key = self.rogue_key
        try:
            return super()._create_signed_id_token(client_id, sub, user_claims, nonce,
                                                   authorization_code, access_token_value, extra)
        finally:
            self.signing_key = published


@dataclass
class LocalProvider:
    """Start with start(); `people` maps a username on the provider's page to its claims."""

    redirect_uris: list[str]
    one_login_public_jwk: dict[str, Any]
    people: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen_assertions: list[dict[str, Any]] = field(default_factory=list)
    seen_authorisations: list[dict[str, str]] = field(default_factory=list)
    ended_sessions: list[dict[str, str]] = field(default_factory=list)
    port: int = 0  # 0: any free port (the tests); scripts/local_oidc_provider.py gives one

    def start(self) -> LocalProvider:
        self.server = make_server("127.0.0.1", self.port, self.app, server_class=_Threading,
                                  handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        key = RSAKey(key=_rsa("published"), alg="RS256", kid="local-1")
        self.op = _MisbehavingProvider(
            key,
            {
                # pyop's check insists on https, as a real issuer must be; this one is on
                # http://127.0.0.1 and takes its address just after the check.
                "issuer": self.url.replace("http://", "https://"),
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "userinfo_endpoint": f"{self.url}/userinfo",
                "jwks_uri": f"{self.url}/jwks",
                "end_session_endpoint": f"{self.url}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "phone", "profile"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt",
                                                          "client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
            },
            AuthorizationState(HashBasedSubjectIdentifierFactory("local")),
            {
                ONE_LOGIN_CLIENT: {
                    "redirect_uris": self.redirect_uris,
                    "response_types": ["code"],
                    # Checked here (private_key_jwt) before pyop sees the request.
                    "token_endpoint_auth_method": "none",
                    "post_logout_redirect_uris": [u.split("/sign-in/")[0] + "/signed-out/"
                                                  for u in self.redirect_uris],
                },
                STAFF_CLIENT: {
                    "redirect_uris": self.redirect_uris,
                    "response_types": ["code"],
                    "client_secret": STAFF_SECRET,
                    "token_endpoint_auth_method": "client_secret_basic",
                },
            },
            Userinfo(self.people),
        )
        self.op.configuration_information["issuer"] = self.url
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def misbehave(self, *, rogue_key: bool = False, wrong_nonce: str | None = None,
                  vot: str | None = "Cl.Cm") -> None:
        self.op.rogue_key = (RSAKey(key=_rsa("rogue"), alg="RS256", kid="local-1")
                             if rogue_key else None)
        self.op.wrong_nonce = wrong_nonce
        self.op.vot = vot

    # ----- the WSGI application -----

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ["PATH_INFO"]
        method = environ["REQUEST_METHOD"]
        query = environ.get("QUERY_STRING", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode() if length else ""
        try:
            if path == "/.well-known/openid-configuration":
                return self._json(start_response, self.op.provider_configuration.to_dict())
            if path == "/jwks":
                return self._json(start_response, self.op.jwks)
            if path == "/authorize":
                return self._authorize(start_response, method, query, body)
            if path == "/token":
                return self._token(start_response, body, environ)
            if path == "/userinfo":
                response = self.op.handle_userinfo_request(
                    query, {"Authorization": environ.get("HTTP_AUTHORIZATION", "")})
                return self._json(start_response, response.to_dict())
            if path == "/logout":
                request = dict(parse_qsl(query))
                self.ended_sessions.append(request)
                target = request.get("post_logout_redirect_uri", "")
                return self._redirect(start_response, target + (
                    "?" + urlencode({"state": request["state"]}) if "state" in request else ""))
        except (OAuthError, InvalidAuthenticationRequest, JoseError, ValueError,
                KeyError) as problem:
            return self._json(start_response, {"error": "invalid_request",
                                               "error_description": str(problem)},
                              "400 Bad Request")
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _authorize(self, start_response: Any, method: str, query: str, body: str) -> list[bytes]:
        self.seen_authorisations.append(dict(parse_qsl(query)))
        if method == "GET":
            self.op.parse_authentication_request(query)  # refuses a bad request at once
            page = (
                "<!doctype html><html lang='en'><head><title>Local provider</title></head><body>"
                "<main><h1>Local test provider</h1>"
                f"<form method='post' action='/authorize?{html.escape(query)}'>"
                "<label for='user'>Username at the provider</label>"
                "<input id='user' name='user'><button type='submit'>Continue</button>"
                "</form></main></body></html>"
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode()]
        user = dict(parse_qsl(body)).get("user", "")
        if user not in self.people:
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"no such person at the provider"]
        request = self.op.parse_authentication_request(query)
        response = self.op.authorize(request, user)
        return self._redirect(start_response, response.request(request["redirect_uri"]))

    def _token(self, start_response: Any, body: str, environ: dict[str, Any]) -> list[bytes]:
        fields = dict(parse_qsl(body))
        if fields.get("client_assertion_type") == ASSERTION_TYPE:
            claims = self._check_assertion(fields.pop("client_assertion"))
            fields.pop("client_assertion_type")
            fields["client_id"] = claims["iss"]
        elif fields.get("client_id") == ONE_LOGIN_CLIENT or not environ.get("HTTP_AUTHORIZATION"):
            return self._json(start_response, {"error": "invalid_client"}, "401 Unauthorized")
        headers = {"Authorization": environ["HTTP_AUTHORIZATION"]} if environ.get(
            "HTTP_AUTHORIZATION") else {}
        response = self.op.handle_token_request(urlencode(fields), headers)
        return self._json(start_response, response.to_dict())

    def _check_assertion(self, assertion: str) -> dict[str, Any]:
        """private_key_jwt (RFC 7523): signed by the client's registered key, about itself,
        for this token endpoint, not expired, its jti never seen before."""
        key = JoseRSAKey.import_key(self.one_login_public_jwk)
        claims = dict(jwt.decode(assertion, key).claims)
        if claims.get("iss") != ONE_LOGIN_CLIENT or claims.get("sub") != ONE_LOGIN_CLIENT:
            raise ValueError("client assertion is not about the client")
        if claims.get("aud") not in (f"{self.url}/token", [f"{self.url}/token"]):
            raise ValueError("client assertion is for another audience")
        if int(claims.get("exp", 0)) < time.time():
            raise ValueError("client assertion expired")
        if any(seen.get("jti") == claims.get("jti") for seen in self.seen_assertions):
            raise ValueError("client assertion replayed")
        self.seen_assertions.append(claims)
        return claims

    @staticmethod
    def _json(start_response: Any, data: Any, status: str = "200 OK") -> list[bytes]:
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(data).encode()]

    @staticmethod
    def _redirect(start_response: Any, location: str) -> list[bytes]:
        start_response("302 Found", [("Location", location)])
        return [b""]
