"""The referral pages: family, practitioners, leaders; allowed, signed out, refused, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tellonce.access.models import AuditEvent
from tellonce.health.models import Referral, RiskReview
from tellonce.notify.models import Message
from tests.health.helpers import kofi_referral, make_referral, slt_pathway

pytestmark = pytest.mark.django_db


def _date(prefix: str, d: date) -> dict[str, str]:
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def _history(world, weeks_ago: int = 10, seen_per_week: int = 2) -> None:  # type: ignore[no-untyped-def]
    """Children seen recently on the SLT list, so the forecast has something to go on."""
    today = date.today()
    for week in range(1, weeks_ago + 1):
        for _ in range(seen_per_week):
            seen = today - timedelta(weeks=week)
            make_referral(world, child=world.bea, received_on=seen - timedelta(weeks=12),
                          status=Referral.Status.IN_ASSESSMENT, first_seen_on=seen,
                          left_list_on=seen)


# ----- the family's page -----


def test_family_sees_where_the_referral_is_and_the_expected_wait(world, client_for) -> None:
    _history(world)
    referral = kofi_referral(world)
    response = client_for("parent").get(
        f"/children/{world.kofi.pk}/referrals/{referral.pk}/"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "on the waiting list for a first appointment" in text
    assert "You have waited 20 weeks" in text
    assert "Most likely wait from today to the first appointment" in text
    assert "8 in 10 children in this place on the list are seen between" in text
    assert AuditEvent.objects.filter(child=world.kofi, action="view", user=world.users["parent"],
                                     subject__startswith="Health referral").exists()


def test_family_is_told_honestly_when_the_wait_cannot_be_forecast(world, client_for) -> None:
    referral = kofi_referral(world)  # nobody has left this list: nothing to go on
    text = client_for("parent").get(
        f"/children/{world.kofi.pk}/referrals/{referral.pk}/"
    ).content.decode()
    assert "We cannot estimate the wait yet" in text


def test_family_list_links_each_referral(world, client_for) -> None:
    referral = kofi_referral(world)
    text = client_for("parent").get(f"/children/{world.kofi.pk}/referrals/").content.decode()
    assert f"/children/{world.kofi.pk}/referrals/{referral.pk}/" in text


def test_family_referral_page_needs_sign_in(world, client) -> None:  # type: ignore[no-untyped-def]
    referral = kofi_referral(world)
    response = client.get(f"/children/{world.kofi.pk}/referrals/{referral.pk}/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("username", ["zara_mum", "slt", "senco", "leader", "stranger"])
def test_others_cannot_see_the_family_referral_page(world, client_for, username) -> None:
    referral = kofi_referral(world)
    response = client_for(username).get(f"/children/{world.kofi.pk}/referrals/{referral.pk}/")
    assert response.status_code == 404


def test_a_referral_of_another_child_is_not_found_under_this_child(world, client_for) -> None:
    other = make_referral(world, child=world.zara)
    response = client_for("parent").get(f"/children/{world.kofi.pk}/referrals/{other.pk}/")
    assert response.status_code == 404


# ----- practitioners -----


def test_practitioner_list_shows_only_children_whose_family_shares_with_the_service(
    world, client_for
) -> None:
    kofi_referral(world)
    make_referral(world, child=world.esi)  # Esi's family has not consented to SLT
    text = client_for("slt").get("/referrals/").content.decode()
    assert "Mensah, Kofi" in text
    assert "Mensah, Esi" not in text


def test_practitioner_cannot_open_a_referral_the_family_has_not_shared(world, client_for) -> None:
    esi = make_referral(world, child=world.esi)
    assert client_for("slt").get(f"/referrals/{esi.pk}/").status_code == 404


def test_practitioner_sees_whether_the_child_has_an_ehc_plan(world, client_for) -> None:
    referral = kofi_referral(world)
    text = client_for("slt").get(f"/referrals/{referral.pk}/").content.decode()
    assert "Has an EHC plan" in text


def test_worklist_with_a_nonsense_filter_shows_an_error_not_a_crash(world, client_for) -> None:
    response = client_for("slt").get("/referrals/?status=nonsense")
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_accepting_a_referral_tells_the_family(world, client_for) -> None:
    referral = kofi_referral(world)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.AWAITING_TRIAGE)
    today = date.today()
    response = client_for("slt").post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "accepted", **_date("decided_on", today), "reason": "",
         "redirected_to": "", **_date("family_told_on", today)},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING
    assert referral.family_told_on == today
    assert referral.events.filter(what__startswith="Referral accepted").exists()
    assert AuditEvent.objects.filter(child=world.kofi, action="update",
                                     subject__startswith="Health referral").exists()
    message = Message.objects.get(to=world.users["parent"])
    assert "accepted" in message.subject
    assert "waiting list" in message.what_changed


def test_declining_without_a_reason_is_refused_and_nothing_changes(world, client_for) -> None:
    referral = kofi_referral(world)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.AWAITING_TRIAGE)
    response = client_for("slt").post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "declined", **_date("decided_on", date.today()), "reason": " "},
    )
    assert response.status_code == 200
    assert "Enter the reason the referral was declined" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.AWAITING_TRIAGE
    assert not Message.objects.exists()


def test_a_decision_dated_in_the_future_is_refused(world, client_for) -> None:
    referral = kofi_referral(world)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.AWAITING_TRIAGE)
    response = client_for("slt").post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "accepted", **_date("decided_on", date.today() + timedelta(days=3))},
    )
    assert "Date of the decision must be today or in the past" in response.content.decode()
    referral.refresh_from_db()
    assert referral.triage_decision_on is None


def test_a_change_that_does_not_fit_the_state_sends_back_without_changing(
    world, client_for
) -> None:
    referral = kofi_referral(world)  # already accepted: cannot be triaged again
    response = client_for("slt").post(
        f"/referrals/{referral.pk}/triage/",
        {"decision": "declined", **_date("decided_on", date.today()), "reason": "No"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING


def test_changes_need_sign_in_and_are_not_found_for_others(world, client, client_for) -> None:  # type: ignore[no-untyped-def]
    referral = kofi_referral(world)
    url = f"/referrals/{referral.pk}/risk-review/"
    assert "/sign-in/" in client.get(url)["Location"]
    for username in ("senco", "parent", "dco", "leader"):
        assert client_for(username).post(url, {}).status_code == 404
    assert not RiskReview.objects.exists()


def test_a_risk_review_that_prioritises_makes_the_referral_urgent(world, client_for) -> None:
    referral = kofi_referral(world)
    today = date.today()
    response = client_for("slt").post(
        f"/referrals/{referral.pk}/risk-review/",
        {**_date("reviewed_on", today), "outcome": "prioritised", "notes": "Sleep worse",
         **_date("next_review_on", today + timedelta(weeks=6))},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.priority == Referral.Priority.URGENT
    assert referral.next_risk_review_on == today + timedelta(weeks=6)
    assert referral.risk_reviews.count() == 1


def test_a_next_review_before_this_one_is_refused(world, client_for) -> None:
    referral = kofi_referral(world)
    today = date.today()
    response = client_for("slt").post(
        f"/referrals/{referral.pk}/risk-review/",
        {**_date("reviewed_on", today), "outcome": "continue",
         **_date("next_review_on", today)},
    )
    assert "The next review must be after this one" in response.content.decode()
    assert not RiskReview.objects.exists()


def test_first_appointment_takes_the_child_off_the_list_then_discharge_closes(
    world, client_for
) -> None:
    referral = kofi_referral(world)
    slt = client_for("slt")
    today = date.today()
    slt.post(f"/referrals/{referral.pk}/seen/", _date("seen_on", today))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.IN_ASSESSMENT
    assert referral.left_list_on == today
    slt.post(f"/referrals/{referral.pk}/assessment/",
             {**_date("completed_on", today), "outcome": "Language disorder: therapy block"})
    slt.post(f"/referrals/{referral.pk}/discharge/",
             {**_date("discharged_on", today), "reason": "completed", "note": ""})
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DISCHARGED
    assert referral.outcome == "Language disorder: therapy block"
    assert Message.objects.filter(to=world.users["parent"]).count() == 3


def test_recording_a_referral_finds_the_child_by_nhs_number_and_date_of_birth(
    world, client_for
) -> None:
    pathway = slt_pathway(world)
    data = {"nhs_number": world.kofi.nhs_number, **_date("date_of_birth", world.kofi.date_of_birth),
            "pathway": str(pathway.pk), **_date("received_on", date.today()),
            "referrer_name": "Dr Ama Owusu", "referrer_role": "GP", "priority": "routine"}
    response = client_for("slt").post("/referrals/new/", data)
    assert response.status_code == 302
    referral = Referral.objects.get(child=world.kofi)
    assert referral.status == Referral.Status.AWAITING_TRIAGE
    assert Message.objects.filter(to=world.users["parent"]).exists()


def test_recording_a_referral_with_the_wrong_date_of_birth_saves_nothing(
    world, client_for
) -> None:
    pathway = slt_pathway(world)
    data = {"nhs_number": world.kofi.nhs_number,
            **_date("date_of_birth", world.kofi.date_of_birth - timedelta(days=1)),
            "pathway": str(pathway.pk), **_date("received_on", date.today()),
            "referrer_name": "Dr Ama Owusu", "referrer_role": "GP", "priority": "routine"}
    response = client_for("slt").post("/referrals/new/", data)
    assert response.status_code == 200
    assert "No child has that NHS number and date of birth" in response.content.decode()
    assert not Referral.objects.exists()


# ----- leaders -----


def test_leader_sees_counts_with_small_numbers_suppressed(world, client_for) -> None:
    kofi_referral(world)
    text = client_for("leader").get("/waiting-times/").content.decode()
    assert "Children waiting now" in text
    assert "fewer than 5" in text
    assert "Mensah" not in text
    assert "<svg" in text and "style=" not in text.split("<svg", 1)[1].split("</svg>")[0]


def test_csv_export_suppresses_small_numbers(world, client_for) -> None:
    for child in (world.kofi, world.bea, world.zara):
        make_referral(world, child=child)
    response = client_for("leader").get("/waiting-times.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode().splitlines()
    assert any(r.startswith("list now,") and r.endswith("children waiting,fewer than 5")
               for r in rows)
    assert not any(r.endswith(",3") and "children waiting" in r for r in rows)
    assert AuditEvent.objects.filter(action="export", user=world.users["leader"]).exists()


def test_csv_export_shows_counts_of_five_or_more(world, client_for) -> None:
    from tests.factories import make_child

    for _ in range(6):
        make_referral(world, child=make_child(world.la))
    rows = client_for("leader").get("/waiting-times.csv").content.decode().splitlines()
    assert any(r.endswith("children waiting,6") and r.startswith("list now,") for r in rows)


def test_analysis_filters_by_pathway(world, client_for) -> None:
    kofi_referral(world)
    response = client_for("leader").get("/waiting-times/?kind=autism")
    assert "No waiting lists match" in response.content.decode()


@pytest.mark.parametrize("username", ["parent", "senco", "caseworker", "stranger"])
def test_analysis_is_not_found_for_those_without_aggregates(world, client_for, username) -> None:
    assert client_for(username).get("/waiting-times/").status_code == 404


def test_capacity_planner_works_out_the_target_list_size(world, client_for) -> None:
    pathway = slt_pathway(world)
    today = date.today()
    for week in range(1, 14):
        for _ in range(2):
            make_referral(world, child=world.bea, received_on=today - timedelta(weeks=week))
    response = client_for("leader").get(
        "/waiting-times/capacity/",
        {"pathway": pathway.pk, "target_weeks": 18, "target_percent": 92,
         "weeks_to_target": 26},
    )
    text = response.content.decode()
    assert response.status_code == 200
    # 26 referrals in 13 weeks: 2 a week; 92% within 18 weeks: factor -ln(0.08) = 2.526,
    # so the target list is 2 x 18 / 2.526 = 14.25 children.
    assert "Target list size" in text and "14.3 children" in text


def test_capacity_planner_shows_errors_for_bad_targets(world, client_for) -> None:
    pathway = slt_pathway(world)
    response = client_for("leader").get(
        "/waiting-times/capacity/",
        {"pathway": pathway.pk, "target_weeks": "soon", "target_percent": 150,
         "weeks_to_target": 26},
    )
    text = response.content.decode()
    assert "Enter the standard as a whole number of weeks" in text
    assert "govuk-error-summary" in text


def test_opening_a_change_form_is_audited_and_an_empty_post_shows_errors(
    world, client_for
) -> None:
    referral = kofi_referral(world)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.AWAITING_TRIAGE)
    client = client_for("slt")
    assert client.get(f"/referrals/{referral.pk}/triage/").status_code == 200
    assert AuditEvent.objects.filter(
        child=world.kofi, action="view", subject__startswith="Health referral (decide"
    ).exists()
    response = client.post(f"/referrals/{referral.pk}/triage/", {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.AWAITING_TRIAGE


def test_family_list_says_where_each_referral_is_and_since_when(world, client_for) -> None:
    from html import escape

    referral = kofi_referral(world)
    text = client_for("parent").get(f"/children/{world.kofi.pk}/referrals/").content.decode()
    card = text.split('class="govuk-summary-card"', 1)[1]
    assert escape(referral.pathway.label) in card
    assert escape(referral.get_status_display()) in card
    assert referral.received_on.strftime("%B %Y") in card
    assert escape(referral.pathway.provider.name) in card
