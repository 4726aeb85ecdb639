"""Each role's home page."""

from __future__ import annotations

import pytest

from tellonce.insight.aggregates import crosstab
from tellonce.people.models import Child
from tellonce.suppression import suppress
from tests.factories import make_child


def test_small_counts_are_suppressed() -> None:
    assert [suppress(n) for n in [0, 1, 4, 5, 120]] == [0, None, None, 5, 120]
    rows = [{"place": "North", "status": "a", "n": 3}, {"place": "North", "status": "b", "n": 7}]
    assert crosstab(rows, "place", "status", ["a", "b", "c"]) == [("North", [None, 7, 0])]


@pytest.mark.django_db
class TestHome:
    def test_family_sees_their_children(self, world, client_for) -> None:
        text = client_for("parent").get("/").content.decode()
        assert "Kofi Mensah" in text and "Esi Mensah" in text and "Bea" not in text

    def test_practitioner_sees_a_search_and_their_count(self, world, client_for) -> None:
        text = client_for("slt").get("/").content.decode()
        assert "Children you work with" in text and "You can see 1 record." in text

    def test_leader_sees_counts_with_small_numbers_suppressed(self, world, client_for) -> None:
        for i in range(6):
            make_child(
                world.la,
                given_name=f"C{i}",
                send_status=Child.SendStatus.EHC_PLAN,
                primary_need="SLCN",
            )
        text = client_for("leader").get("/").content.decode()
        assert "Counts only" in text
        assert "fewer than 5" in text  # the two ASD children with plans, among others
        assert ">6<" in text  # six SLCN plans are shown as they are
        assert "Kofi" not in text

    def test_someone_with_no_role_gets_a_helpful_empty_page(self, world, client_for) -> None:
        text = client_for("stranger").get("/").content.decode()
        assert "There is nothing for this account to see yet" in text


def test_every_page_links_to_the_local_offer_for_those_not_signed_in(client, db) -> None:  # type: ignore[no-untyped-def]
    for path in ("/sign-in/", "/local-offer/feedback/", "/no-such-page/"):
        page = client.get(path).content.decode()
        assert 'href="/local-offer/">Local offer: find support</a>' in page, path


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["parent", "youngperson", "stranger"])
def test_the_api_documentation_is_not_offered_to_families(world, client_for, username) -> None:  # type: ignore[no-untyped-def]
    assert "/api/docs" not in client_for(username).get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["slt", "caseworker", "orgadmin"])
def test_staff_footer_links_to_the_api_documentation(world, client_for, username) -> None:  # type: ignore[no-untyped-def]
    assert 'href="/api/docs"' in client_for(username).get("/").content.decode()


@pytest.mark.django_db
def test_the_editors_home_page_links_to_managing_the_local_offer(world, client_for) -> None:  # type: ignore[no-untyped-def]
    text = client_for("editor").get("/").content.decode()
    assert 'href="/manage-local-offer/"' in text.split("<main", 1)[1]


@pytest.mark.django_db
def test_a_provider_who_keeps_services_true_is_linked_to_managing_them(world, client_for) -> None:  # type: ignore[no-untyped-def]
    from tests.directory.helpers import make_organization

    make_organization("Speech and language therapy", provider=world.slt)
    text = client_for("slt").get("/").content.decode()
    assert 'href="/manage-local-offer/"' in text.split("<main", 1)[1]
    assert 'href="/manage-local-offer/"' not in (
        client_for("parent").get("/").content.decode().split("<main", 1)[1]
    )
