"""The tests' local OpenID Connect provider, for trying One Login and staff sign-in by hand.

    .venv/bin/python scripts/local_oidc_provider.py

prints the environment variables to start the demo server with (`manage.py runserver` on
127.0.0.1:8000) and serves until Ctrl-C. On its sign-in page, type `kwame` (Kofi's father,
invited by the demo's SENCO: the generator prints the link and code), `newparent` (a One Login
identity with nothing linked) or a demo staff username (`caseworker`, `senco`, …: their
organisation's account, matched by their demo email address). Needs the dev dependencies (pyop).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from joserfc.jwk import RSAKey  # noqa: E402

from tests.signin.provider import (  # noqa: E402
    ONE_LOGIN_CLIENT,
    STAFF_CLIENT,
    STAFF_SECRET,
    LocalProvider,
)

STAFF = ("senco", "slt", "dco", "socialworker", "ep", "caseworker", "manager", "leader",
         "editor", "orgadmin")


def main() -> None:
    key = RSAKey.generate_key(2048)
    key_file = ROOT / "var" / "local-oidc-client-key.pem"
    key_file.parent.mkdir(exist_ok=True)
    key_file.write_bytes(key.as_pem(private=True))
    people = {
        "kwame": {"sub": "urn:fdc:gov.uk:2022:local-kwame", "email": "kwame.mensah@example.org"},
        "newparent": {"sub": "urn:fdc:gov.uk:2022:local-new", "email": "new@example.org"},
    }
    people |= {name: {"sub": f"local-staff-{name}", "email": f"{name}@demo.invalid"}
               for name in STAFF}
    base = "http://127.0.0.1:8000"
    provider = LocalProvider(
        redirect_uris=[f"{base}/sign-in/one-login/callback/",
                       f"{base}/sign-in/organisation/callback/"],
        one_login_public_jwk=key.as_dict(private=False), people=people, port=9000,
    ).start()
    print(f"Local OpenID Connect provider at {provider.url}. Start the server with:\n")
    print(f"  ONELOGIN_CLIENT_ID={ONE_LOGIN_CLIENT} ONELOGIN_ISSUER={provider.url} "
          f"ONELOGIN_PRIVATE_KEY_FILE={key_file} \\\n"
          f"  STAFF_SSO_CLIENT_ID={STAFF_CLIENT} STAFF_SSO_CLIENT_SECRET={STAFF_SECRET} "
          f"STAFF_SSO_ISSUER={provider.url} \\\n"
          "  .venv/bin/python manage.py runserver 127.0.0.1:8000\n")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        provider.stop()


if __name__ == "__main__":
    main()
