"""Demo invitations: the SENCO has invited Kofi's father, Kwame Mensah, who has not yet
accepted (he has no account). Its link and code are in the SENCO's invitations page only when
sent (they are never stored), so the demo also makes them known here, in the generator's log."""

from __future__ import annotations

from typing import Any

from tellonce.access.policy import child_access
from tellonce.invitations import actions
from tellonce.invitations.models import Invitation
from tellonce.invitations.policy import invitable_adults


def generate(area: Any) -> None:
    kofi = area.demo_children.get("kofi")
    senco = area.users.get("senco")
    if kofi is None or senco is None:
        return
    found = child_access(senco, kofi.pk)
    father = invitable_adults(kofi).filter(given_name="Kwame").first()
    if found is None or father is None:
        return
    child, access = found
    sent = actions.do_invite(
        senco, child, access, kind=Invitation.Kind.PARENT, adult=father,
        email="kwame.mensah@example.org", link_base="http://127.0.0.1:8000",
    )
    area.progress(f"demo invitation: Kwame Mensah, link {sent.link} code {sent.code}")
