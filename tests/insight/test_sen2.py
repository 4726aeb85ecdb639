"""The SEN2 return: code sets, validation, and the same 20-week figures as the scorecard."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.management import call_command

from tellonce.ehc.models import AssessmentRequest, Decision, Plan
from tellonce.insight import sen2, timeliness
from tellonce.insight.indicators import Scope
from tellonce.insight.models import Characteristics
from tests.insight.helpers import children_in, final_plan_step

pytestmark = pytest.mark.django_db
CENSUS = date(2026, 1, 15)


def _plan(child, received, issued, exception=""):  # type: ignore[no-untyped-def]
    request = AssessmentRequest.objects.create(
        child=child, requester="parent", requested_by_name="P", received_on=received,
        reasons="r", stage="final_issued")
    Decision.objects.create(child=child, request=request, kind=Decision.Kind.ASSESS,
                            notice_sent_on=received.replace(day=28))
    Plan.objects.create(child=child, request=request, status="active", issued_on=issued,
                        setting_type="special")
    final_plan_step(child, received, issued, exception=exception).__class__.objects.filter(
        child=child).update(request=request)
    return request


def test_return_matches_the_scorecard_and_lists_failing_records(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    kids = children_in(world.la, "North", 3, primary_need="ASD")
    for k in kids:
        Characteristics.objects.create(child=k, sex="F", ethnicity="WBRI")
    kids[0].upn = None
    kids[0].save()
    _plan(kids[0], date(2025, 1, 6), date(2025, 5, 26))                      # day 140: in time
    _plan(kids[1], date(2025, 1, 6), date(2025, 6, 30))                      # late
    _plan(kids[2], date(2025, 1, 6), date(2025, 7, 1), exception="reg 10(4)(a)")
    out = io.StringIO()
    written = sen2.write_xml(world.la, CENSUS, out)
    root = ET.fromstring(out.getvalue().encode())
    persons = root.findall("./Persons/Person")
    assert written.persons == len(persons) == 3
    named = root.findall(".//Assessment/NamedPlan")
    assert len(named) == 3
    assert sorted(a.findtext("Week20") for a in root.iter("Assessment")) == ["0", "0", "1"]
    assert {a.findtext("AssessmentOutcome") for a in root.iter("Assessment")} == {"Y"}
    # the same figures as the scorecard's indicator for calendar 2025
    s = sen2.summary(world.la, CENSUS, written.persons)
    scope = Scope((world.la.pk,))
    incl = timeliness.twenty_weeks_including(scope, date(2025, 1, 1), date(2025, 12, 31))
    assert s.within_incl == (sum(c.value for c in incl), len(incl)) == (1, 3)
    assert s.within_excl == (1, 2)
    assert s.plans_issued_in_year == len(named)
    # Kofi-like children without a UPN (over 6) fail, naming the record
    rules = {(p.child_id, p.rule) for p in written.problems}
    assert (str(kids[0].pk), "upn") in rules
    assert all(p.link.startswith("/children/") for p in written.problems)
    # the command writes the file and prints the percentages
    target = tmp_path / "sen2.xml"
    printed = io.StringIO()
    call_command("sen2", census="2026-01-15", out=str(target), la=[world.la.pk], stdout=printed)
    assert target.read_text(encoding="utf-8").startswith("<?xml")
    assert "33.3% including exceptions" in printed.getvalue()
    assert "50.0% excluding" in printed.getvalue()


def test_code_sets_are_the_dfe_lists() -> None:
    from tellonce.insight import sen2_spec as spec

    assert set(spec.REQUEST_OUTCOME.values()) <= {"Y", "N", "A", "W", "H"}
    assert set(spec.REVIEW_OUTCOME.values()) == {"A", "C", "M"}
    assert "DS" in spec.SEN_TYPES and len(spec.SEN_TYPES) == 13
    assert spec.flow_year(CENSUS) == (date(2025, 1, 1), date(2025, 12, 31))
    assert spec.UNVERIFIED["within_20_weeks"]


def test_the_send_team_page_lists_failing_records_then_offers_the_file(world, client_for) -> None:  # type: ignore[no-untyped-def]
    from tellonce.access.models import AuditEvent

    child = children_in(world.la, "North", 1, primary_need="ASD")[0]
    child.upn = None
    child.save()
    _plan(child, date(2025, 1, 6), date(2025, 5, 26))
    caseworker = client_for("caseworker")
    html = caseworker.get("/sen2/?census=2026-01-15").content.decode()
    assert "would fail a rule" in html and f"/children/{child.pk}/ehc/" in html
    assert "Download the return" not in html
    assert AuditEvent.objects.filter(subject="SEN2 return: records failing a rule").exists()
    Characteristics.objects.create(child=child, sex="M", ethnicity="WBRI")
    child.date_of_birth = date(2021, 6, 1)  # under 6 on census day: UPNunknown UN1
    child.save()
    html = caseworker.get("/sen2/?census=2026-01-15").content.decode()
    assert "No record fails a rule" in html, html[html.find("fail"):][:300]
    xml = caseworker.get("/sen2.xml?census=2026-01-15")
    assert xml.status_code == 200
    assert b"<ReferenceDate>2026-01-15</ReferenceDate>" in b"".join(xml.streaming_content)


def test_a_bad_census_day_names_the_field(client_for) -> None:  # type: ignore[no-untyped-def]
    answer = client_for("caseworker").get("/sen2/?census=2026-02-30")
    assert answer.status_code == 400
    assert "Census day: enter a real date" in answer.content.decode()
