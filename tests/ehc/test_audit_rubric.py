"""The plan audit's rules: grades from criteria, moderation, the stratified sample, agreement."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tellonce.ehc import audit_rubric as r


def test_the_grade_comes_from_the_weighted_criteria_met() -> None:
    # F: f_quantified (weight 2), f_linked (1).
    assert r.grade("F", {"f_quantified": True, "f_linked": True}) == "Outstanding"
    assert r.grade("F", {"f_quantified": True}) == "Requires improvement"  # 2 of 3
    assert r.grade("F", {"f_linked": True}) == "Inadequate"  # 1 of 3
    assert r.grade("F", {}) == "Inadequate"


def test_a_section_without_criteria_cannot_be_graded() -> None:
    with pytest.raises(ValueError):
        r.grade("Z", {})


@given(st.sampled_from(sorted({c.section for c in r.RUBRIC})), st.data())
def test_meeting_one_more_criterion_never_lowers_the_grade(section: str, data) -> None:  # type: ignore[no-untyped-def]
    codes = [c.code for c in r.criteria_for(section)]
    met = {c: data.draw(st.booleans()) for c in codes}
    unmet = [c for c in codes if not met[c]]
    if not unmet:
        return
    better = met | {data.draw(st.sampled_from(unmet)): True}
    assert r.GRADES.index(r.grade(section, better)) >= r.GRADES.index(r.grade(section, met))


def test_every_criterion_says_what_good_looks_like() -> None:
    assert all(c.good_looks_like.strip() and c.asks.strip() for c in r.RUBRIC)
    assert len({c.code for c in r.RUBRIC}) == len(r.RUBRIC)


def test_the_overall_grade_is_the_lower_median() -> None:
    assert r.overall({"A": "Good", "B": "Inadequate", "E": "Outstanding", "F": "Good"}) == "Good"
    assert r.overall({"A": "Good", "B": "Inadequate"}) == "Inadequate"


def test_grades_more_than_one_step_apart_go_to_moderation() -> None:
    panel = {"education": {"B": "Good", "F": "Outstanding"},
             "health": {"B": "Requires improvement", "F": "Requires improvement"}}
    assert r.needs_moderation(panel) == ["F"]


def _candidates() -> list[r.Candidate]:
    plans = []
    pid = 0
    for ks, n in [("KS1", 40), ("KS2", 30), ("KS3", 20), ("KS4", 9), ("Post-16", 1)]:
        for i in range(n):
            pid += 1
            plans.append(r.Candidate(pid, ks, "ASD" if i % 2 else "SLCN", "mainstream"))
    return plans


def test_the_sample_has_the_size_asked_and_each_stratum_in_proportion() -> None:
    plans = _candidates()
    sample = r.stratified_sample(plans, 20, random.Random(1))
    assert len(sample) == 20 and len({c.plan_id for c in sample}) == 20
    # Every stratum is in it, each within one plan of its share of the 20.
    drawn, whole = Counter(c.stratum for c in sample), Counter(c.stratum for c in plans)
    assert set(drawn) == set(whole)
    assert all(abs(drawn[k] - 20 * n / len(plans)) <= 1 for k, n in whole.items())


@given(st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=10_000))
def test_the_sample_is_never_larger_than_asked_nor_repeats_a_plan(size: int, seed: int) -> None:
    plans = _candidates()
    sample = r.stratified_sample(plans, size, random.Random(seed))
    assert len(sample) == min(size, len(plans))
    assert len({c.plan_id for c in sample}) == len(sample)


def test_agreement_counts_sections_where_checks_and_panel_say_the_same() -> None:
    auto = {(1, "F"): 3, (1, "E"): 0, (2, "F"): 0}
    panel = {(1, "F"): "Inadequate", (1, "E"): "Good", (2, "F"): "Requires improvement"}
    assert r.agreement(auto, panel) == pytest.approx(2 / 3)
    assert r.agreement(auto, {}) is None
