"""Expected access for the foundation's pages and API (people, access, profile, accounts)."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, STAFF, Route

KOFI_READERS = frozenset({"parent", "senco", "slt", "caseworker"})
ZARA_READERS = frozenset({"youngperson", "zara_mum", "caseworker"})
PRACTITIONERS = frozenset({"senco", "senco_b", "slt", "dco", "socialworker", "ep", "caseworker"})


def kofi(w):  # type: ignore[no-untyped-def]
    return {"child_id": w.kofi.pk}


ROUTES = [
    Route("", SIGNED_IN),
    Route("sign-in/", SIGNED_IN | {"anonymous"}, public=True),
    Route("sign-out/", SIGNED_IN | {"anonymous"}, method="POST", public=True),
    Route("signed-out/", SIGNED_IN | {"anonymous"}, public=True),
    Route("healthz", SIGNED_IN | {"anonymous"}, public=True),
    Route("readyz", SIGNED_IN | {"anonymous"}, public=True),
    Route("account/two-factor/", SIGNED_IN),
    Route("account/two-factor/verify/", SIGNED_IN),
    Route("children/", PRACTITIONERS),
    Route("children/<uuid:child_id>/", KOFI_READERS, kofi),
    Route("children/<uuid:child_id>/about-me/", KOFI_READERS, kofi),
    Route("children/<uuid:child_id>/about-me/edit/", KOFI_READERS, kofi),
    Route("children/<uuid:child_id>/about-me/history/", KOFI_READERS, kofi),
    Route(
        "children/<uuid:child_id>/about-me/versions/<int:number>/",
        KOFI_READERS,
        lambda w: {"child_id": w.kofi.pk, "number": 1},
    ),
    Route("children/<uuid:child_id>/consent/", frozenset({"parent"}), kofi),
    Route("children/<uuid:child_id>/who-has-looked/", frozenset({"parent"}), kofi),
    Route(
        "children/<uuid:child_id>/parents/",
        frozenset({"youngperson"}),
        lambda w: {"child_id": w.zara.pk},
    ),
    Route("organisations/", frozenset({"orgadmin"})),
    Route(
        "organisations/<int:org_id>/staff/",
        frozenset({"orgadmin"}),
        lambda w: {"org_id": w.slt.pk},
    ),
    Route(
        "organisations/<int:org_id>/involvements/",
        frozenset({"orgadmin"}),
        lambda w: {"org_id": w.slt.pk},
    ),
    Route(
        "organisations/<int:org_id>/staff/changes/",
        frozenset({"orgadmin"}),
        lambda w: {"org_id": w.slt.pk},
    ),
    Route(
        "organisations/<int:org_id>/staff/<int:membership_id>/end/",
        frozenset({"orgadmin"}),
        lambda w: {"org_id": w.slt.pk, "membership_id": w.users["slt"].memberships.get().pk},
        method="POST",
    ),
    Route(
        "organisations/<int:org_id>/involvements/<int:involvement_id>/end/",
        frozenset({"orgadmin"}),
        lambda w: {
            "org_id": w.slt.pk,
            "involvement_id": w.kofi.involvements.get(organisation=w.slt).pk,
        },
        method="POST",
    ),
    # The API: documents are public; child endpoints need a staff token.
    Route("api/", frozenset(), api=True, everyone_status=404),  # django-ninja's unused root
    Route("api/openapi.json", SIGNED_IN | {"anonymous"}, public=True, api=True),
    Route("api/docs", SIGNED_IN | {"anonymous"}, public=True, api=True),
    Route("api/children", STAFF, api=True),
    Route("api/children/<child_id>", frozenset({"senco", "slt", "caseworker"}), kofi, api=True),
    Route(
        "api/children/<child_id>/about-me",
        frozenset({"senco", "slt", "caseworker"}),
        kofi,
        api=True,
    ),
]
