"""What the law requires of a final plan (ehc.completeness): pure rules, no database."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tellonce.ehc import completeness
from tellonce.ehc.completeness import Consulted, FinalPlanFacts

KEYS = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
SERVED = date(2027, 1, 4)
# Day 1 is the day of service (reg 13(1)(a)): the 15th day is 18 January.
LAST_DAY = date(2027, 1, 18)


def facts(**changes: object) -> FinalPlanFacts:
    """A plan the law allows: every section written, the school consulted and named with
    its type, the family's 15 days over."""
    base: dict[str, object] = dict(
        sections={k: f"Section {k} text" for k in KEYS}, today=LAST_DAY + timedelta(days=1),
        draft_served_on=SERVED, family_commented=False, named_setting_id=7,
        named_setting_name="Alpha Primary", setting_type="mainstream",
        consulted=[Consulted(7, "Alpha Primary")], requested=[],
    )
    base.update(changes)
    return FinalPlanFacts(**base)  # type: ignore[arg-type]


def test_a_complete_plan_has_no_findings() -> None:
    assert completeness.final_plan_findings(facts()) == []


def test_the_reported_plan_is_refused_for_each_thing_missing() -> None:
    """No school named, no consultation, an empty section A."""
    sections = {k: f"Section {k} text" for k in KEYS} | {"A": "", "E": "better talking"}
    found = completeness.final_plan_findings(facts(
        sections=sections, named_setting_id=None, named_setting_name="", setting_type="",
        consulted=[]))
    messages = [f.message for f in found]
    assert [f.section for f in found] == ["A", "I"]
    assert messages[0].startswith("Section A is empty")
    assert "reg 12(1)" in messages[0]
    assert "no school or other institution is named" in messages[1]
    assert "s.40(2)" in messages[1]


@settings(deadline=None)  # no timing: what is tested is the range
@given(blank=st.sets(st.sampled_from([k for k in KEYS if k != "I"])),
       spaces=st.sampled_from(["", " ", "\n\t "]))
def test_exactly_the_empty_sections_are_named(blank: set[str], spaces: str) -> None:
    sections = {k: (spaces if k in blank else "Written") for k in KEYS}
    found = completeness.section_findings(sections)
    assert {f.section for f in found} == blank
    assert all(f.law.startswith("SEND Regulations 2014 reg 12(1)") for f in found)
    assert all(("s.37(2)" in f.law) == (f.section in ("B", "E", "F", "G", "H1", "H2"))
               for f in found)


def test_a_missing_section_counts_as_empty() -> None:
    sections = {k: "Written" for k in KEYS if k != "K"}
    assert [f.section for f in completeness.section_findings(sections)] == ["K"]


def test_the_type_alone_is_enough_without_a_consultation() -> None:
    """s.40(2)(b): the plan may specify only the type of school or institution."""
    assert completeness.placement_findings(facts(
        named_setting_id=None, named_setting_name="", consulted=[])) == []


def test_a_named_setting_needs_its_type_and_a_consultation() -> None:
    found = completeness.placement_findings(facts(setting_type="", consulted=[]))
    assert [f.missing for f in found] == [
        "Section I: give the type of Alpha Primary as well as its name",
        "Section I: Alpha Primary has not been consulted: consult it before naming it"]
    assert "s.40(3)" in found[1].law


def test_consulting_another_school_does_not_count() -> None:
    found = completeness.placement_findings(facts(consulted=[Consulted(8, "Beta")]))
    assert [f.section for f in found] == ["I"] and "not been consulted" in found[0].missing


def test_the_familys_choice_must_be_consulted_even_if_not_named() -> None:
    found = completeness.placement_findings(facts(requested=[(9, "Gamma Academy")]))
    assert len(found) == 1 and "the family asked for Gamma Academy" in found[0].message
    assert "s.39(2)" in found[0].law
    assert completeness.placement_findings(facts(
        requested=[(9, "Gamma Academy")],
        consulted=[Consulted(7, "Alpha Primary"), Consulted(9, "Gamma Academy")])) == []


def test_the_family_has_15_days_beginning_with_the_day_of_service() -> None:
    for day in (SERVED, LAST_DAY):
        found = completeness.draft_findings(facts(today=day))
        assert len(found) == 1 and "until 18 January 2027" in found[0].message
        assert "reg 13(1)" in found[0].law
    assert completeness.draft_findings(facts(today=LAST_DAY + timedelta(days=1))) == []
    # once they have commented, the council need not wait
    assert completeness.draft_findings(facts(today=SERVED, family_commented=True)) == []


def test_no_draft_no_final() -> None:
    found = completeness.draft_findings(facts(draft_served_on=None))
    assert [f.law for f in found] == ["Children and Families Act 2014 s.38(2)"]


def test_findings_group_by_section() -> None:
    found = completeness.final_plan_findings(facts(
        sections={k: "" for k in KEYS}, setting_type="", consulted=[], today=SERVED))
    grouped = completeness.by_section(found)
    assert set(grouped) == {"", *[k for k in KEYS]}
    assert len(grouped["I"]) == 2
