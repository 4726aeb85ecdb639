"""Children lists and search, scoped by policy; the record page; bad search input."""

from __future__ import annotations

import pytest

from tellonce.access.models import AuditEvent
from tellonce.people.models import Child
from tests.factories import involve, make_child


@pytest.mark.django_db
class TestChildrenSearch:
    def test_caseworker_searches_the_caseload_by_name(self, world, client_for) -> None:
        page = client_for("caseworker").get("/children/", {"name": "kof"}).content.decode()
        assert "Mensah, Kofi" in page and "Hussain" not in page

    def test_search_by_nhs_number_with_spaces(self, world, client_for) -> None:
        n = world.zara.nhs_number
        page = (
            client_for("caseworker")
            .get("/children/", {"nhs_number": f"{n[:3]} {n[3:6]} {n[6:]}"})
            .content.decode()
        )
        assert "Hussain, Zara" in page and "Mensah" not in page

    def test_search_by_date_of_birth(self, world, client_for) -> None:
        dob = world.zara.date_of_birth
        page = (
            client_for("caseworker")
            .get(
                "/children/",
                {
                    "date_of_birth_0": dob.day,
                    "date_of_birth_1": dob.month,
                    "date_of_birth_2": dob.year,
                },
            )
            .content.decode()
        )
        assert "Hussain, Zara" in page and "Mensah" not in page

    def test_search_never_reaches_beyond_the_users_scope(self, world, client_for) -> None:
        page = client_for("senco_b").get("/children/", {"name": "Kofi"}).content.decode()
        assert "No children match your search" in page

    def test_invalid_nhs_number_gets_a_specific_error(self, world, client_for) -> None:
        page = client_for("caseworker").get("/children/", {"nhs_number": "1234567890"})
        text = page.content.decode()
        assert page.status_code == 200
        assert "There is a problem" in text and "check digit" in text
        assert "Mensah, Kofi" not in text

    def test_impossible_date_gets_a_specific_error(self, world, client_for) -> None:
        text = (
            client_for("caseworker")
            .get(
                "/children/",
                {
                    "date_of_birth_0": "31",
                    "date_of_birth_1": "2",
                    "date_of_birth_2": "2015",
                },
            )
            .content.decode()
        )
        assert "Date of birth must be a real date" in text

    def test_search_is_one_audit_row_naming_the_children_found(self, world, client_for) -> None:
        client_for("caseworker").get("/children/", {"name": "Mensah"})
        event = AuditEvent.objects.get(subject="Search for children")
        assert event.child is None and event.detail["results"] == 1
        assert event.detail["children"] == [str(world.kofi.pk)]

    def test_the_list_without_a_search_is_audited_with_the_children_shown(
        self, world, client_for
    ) -> None:
        client_for("caseworker").get("/children/")
        event = AuditEvent.objects.get(subject="Children list")
        # The caseworker's scope in the test world: Kofi (their team) and Zara (EHC plan).
        assert event.child is None and event.user == world.users["caseworker"]
        assert sorted(event.detail["children"]) == sorted([str(world.kofi.pk), str(world.zara.pk)])

    def test_list_pages_and_sorts(self, world, client_for) -> None:
        for i in range(30):
            child = make_child(
                world.la,
                held_by=world.school_b,
                given_name=f"Pupil{i:02d}",
                family_name="Zed",
                send_status=Child.SendStatus.SEN_SUPPORT,
            )
            involve(child, world.school_b)
        client = client_for("senco_b")
        first = client.get("/children/", {"sort": "name"}).content.decode()
        assert "Showing 1 to 25 of 31" in first and 'rel="next"' in first
        second = client.get("/children/", {"sort": "name", "page": "2"}).content.decode()
        assert "Showing 26 to 31 of 31" in second
        # Each page read names the children on that page, not the whole scope.
        page_two = AuditEvent.objects.filter(subject="Children list").order_by("-pk").first()
        named = Child.objects.filter(pk__in=page_two.detail["children"])
        assert sorted(c.given_name for c in named) == [f"Pupil{i}" for i in range(24, 30)]
        assert client.get("/children/", {"page": "999"}).status_code == 200
        assert client.get("/children/", {"page": "x", "sort": "nonsense"}).status_code == 200
        desc = client.get("/children/", {"sort": "-name"}).content.decode()
        assert desc.index("Zed, Pupil29") < desc.index("Zed, Pupil20")

    def test_names_sort_ignoring_case(self, world, client_for) -> None:
        for family in ["Dean", "de Souza", "Davies"]:
            involve(
                make_child(world.la, held_by=world.school_b, family_name=family), world.school_b
            )
        text = client_for("senco_b").get("/children/", {"sort": "name"}).content.decode()
        assert text.index("Davies,") < text.index("de Souza,") < text.index("Dean,")
        text = client_for("senco_b").get("/children/", {"sort": "-name"}).content.decode()
        assert text.index("Dean,") < text.index("de Souza,") < text.index("Davies,")

    def test_search_queries_do_not_grow_with_the_matches(self, world, client_for) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for("caseworker")

        def queries_for_search() -> tuple[int, str]:
            with CaptureQueriesContext(connection) as captured:
                text = client.get("/children/", {"name": "Quill"}).content.decode()
            return len(captured.captured_queries), text

        make_child(world.la, family_name="Quill", send_status=Child.SendStatus.EHC_PLAN)
        one, text = queries_for_search()
        assert "Showing 1 to 1 of 1" in text
        for i in range(40):
            make_child(
                world.la,
                family_name="Quill",
                given_name=f"Q{i:02d}",
                send_status=Child.SendStatus.EHC_PLAN,
            )
        many, text = queries_for_search()
        assert "Showing 1 to 25 of 41" in text
        assert many == one

    def test_result_rows_escape_what_was_typed_into_names(self, world, client_for) -> None:
        make_child(
            world.la,
            family_name="<b>Quill</b>",
            given_name='"Ann" & co',
            send_status=Child.SendStatus.EHC_PLAN,
        )
        text = client_for("caseworker").get("/children/", {"name": "<b>q"}).content.decode()
        assert "&lt;b&gt;Quill&lt;/b&gt;, &quot;Ann&quot; &amp; co" in text
        assert "<b>Quill" not in text

    def test_empty_state_for_a_new_practitioner(self, world, client_for) -> None:
        text = client_for("dco").get("/children/").content.decode()
        assert "You have no children's records to see yet" in text

    def test_family_and_leaders_have_no_children_list(self, world, client_for) -> None:
        for username in ["parent", "leader", "stranger"]:
            assert client_for(username).get("/children/").status_code == 404


@pytest.mark.django_db
class TestChildRecord:
    def test_record_shows_summary_people_and_sharing(self, world, client_for) -> None:
        text = client_for("parent").get(f"/children/{world.kofi.pk}/").content.decode()
        for expected in [
            "Kofi Mensah",
            world.kofi.nhs_number_display,
            "Alpha Primary",
            "Speech and Language Therapy",
            "Mother",
            "Change who can see the record",
            "See who has looked at the record",
        ]:
            assert expected in text, expected

    def test_professional_sees_no_consent_controls(self, world, client_for) -> None:
        text = client_for("slt").get(f"/children/{world.kofi.pk}/").content.decode()
        assert "Change who can see the record" not in text

    def test_record_query_count_does_not_grow_with_involvements_or_consents(
        self, world, client_for, django_assert_max_num_queries
    ) -> None:
        from tests.factories import consent, make_org

        client = client_for("parent")
        client.get(f"/children/{world.kofi.pk}/")
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(f"/children/{world.kofi.pk}/")
        for i in range(15):
            org = make_org(f"Service {i}")
            involve(world.kofi, org)
            consent(world.kofi, org)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(f"/children/{world.kofi.pk}/")


@pytest.mark.django_db
def test_a_scope_too_large_to_browse_asks_for_a_search(world, client_for, monkeypatch) -> None:
    monkeypatch.setattr("tellonce.people.views.BROWSE_LIMIT", 1)
    client = client_for("caseworker")  # sees Kofi and Zara
    text = client.get("/children/").content.decode()
    assert "Search to find a child" in text and "Mensah, Kofi" not in text
    found = client.get("/children/", {"name": "zar"}).content.decode()
    assert "Hussain, Zara" in found


@pytest.mark.django_db
def test_search_combines_name_terms_and_other_details(world, client_for) -> None:
    client = client_for("caseworker")
    assert "Mensah, Kofi" in client.get("/children/", {"name": "kofi mens"}).content.decode()
    none = client.get("/children/", {"name": "kofi huss"}).content.decode()
    assert "No children match your search" in none
    dob = world.kofi.date_of_birth
    both = client.get(
        "/children/",
        {
            "name": "Mensah",
            "date_of_birth_0": dob.day,
            "date_of_birth_1": dob.month,
            "date_of_birth_2": dob.year + 1,
        },
    ).content.decode()
    assert "No children match your search" in both
