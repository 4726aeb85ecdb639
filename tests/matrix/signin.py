"""Expected access for signing in through a provider and for family invitations.

The provider routes are 404 for everyone while no provider is set up (the matrix runs with
none); tests/signin/ drives them against the local provider. Inviting is for a SENCO,
caseworker or health practitioner who may see the child: for Kofi, senco, slt and caseworker.
"""

from __future__ import annotations

from tellonce.invitations import actions
from tellonce.invitations.models import Invitation
from tellonce.invitations.policy import invitable_adults
from tellonce.people.models import Adult, FamilyLink
from tests.matrix import SIGNED_IN, Route

INVITERS = frozenset({"senco", "slt", "caseworker"})
EVERYONE = SIGNED_IN | {"anonymous"}


def kofi(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk}


def _invitation(w) -> actions.Sent:  # type: ignore[no-untyped-def]
    from tellonce.access.policy import get_child_or_404

    adult = invitable_adults(w.kofi).first()
    if adult is None:
        adult = Adult.objects.create(given_name="Kwame", family_name="Mensah",
                                     email="kwame@example.org")
        FamilyLink.objects.create(adult=adult, child=w.kofi, relationship="father",
                                  parental_responsibility=True)
    child, access = get_child_or_404(w.users["caseworker"], w.kofi.pk)
    return actions.do_invite(w.users["caseworker"], child, access, kind=Invitation.Kind.PARENT,
                             adult=adult, email="kwame@example.org", link_base="http://testserver")


ROUTES = [
    Route("sign-in/one-login/", EVERYONE, everyone_status=404, public=True),
    Route("sign-in/one-login/callback/", EVERYONE, everyone_status=404, public=True),
    Route("sign-in/organisation/", EVERYONE, everyone_status=404, public=True),
    Route("sign-in/organisation/callback/", EVERYONE, everyone_status=404, public=True),
    Route("sign-in/organisation/not-recognised/", EVERYONE, public=True),
    Route("children/<uuid:child_id>/invitations/", INVITERS, kofi),
    Route(
        "children/<uuid:child_id>/invitations/<uuid:invitation_id>/withdraw/",
        INVITERS,
        lambda w: {"child_id": w.kofi.pk, "invitation_id": _invitation(w).invitation.pk},
        method="POST",
    ),
    # Signed in with no invitation waiting in the session: a page saying so (404).
    Route("invitations/confirm/", frozenset()),
    # The link itself: anyone holding it may open it (a new one for the whole run: opening
    # it does not use it up).
    Route("invitations/<str:token>/", EVERYONE,
          lambda w: {"token": _invitation(w).link.rsplit("/", 2)[-2]}, public=True),
]
