"""The child record page shows the parts the workflows add (settings.CHILD_RECORD_PARTS,
tellonce/people/record.py): the latest 'About me' from the profile, and the health
referral link only to someone who may refer the child (health/policy.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.health.helpers import slt_pathway

pytestmark = pytest.mark.django_db

REFER = "Refer to a health service"


def _record(client_for: Any, world: Any, username: str) -> str:
    response = client_for(username).get(f"/children/{world.kofi.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_latest_about_me_is_summarised_on_the_record(world: Any, client_for: Any) -> None:
    edit = f"/children/{world.kofi.pk}/about-me/edit/"
    sections = {"base_version": "0", "people_like": "", "matters": "Trains and buses",
                "support": "", "communication": "", "health": "", "aspirations": ""}
    assert client_for("parent").post(edit, sections).status_code == 302
    page = _record(client_for, world, "slt")
    assert "Trains and buses" in page
    assert "version 1" in page


def test_the_referral_link_is_offered_to_those_who_may_refer(world: Any, client_for: Any
                                                             ) -> None:
    assert REFER not in _record(client_for, world, "senco")  # no pathway takes it yet
    slt_pathway(world)
    assert REFER in _record(client_for, world, "senco")  # the SENCO of Kofi's setting
    assert REFER in _record(client_for, world, "parent")  # SLT takes self-referrals
    assert REFER not in _record(client_for, world, "caseworker")  # refers through no one
