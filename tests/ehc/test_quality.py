"""The advisory quality checks (ehc.quality), with good and poor wording written for each."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from tellonce.ehc import quality as q


def codes(findings: list[q.Finding]) -> list[str]:
    return [f.code for f in findings]


# ----- provision -----

GOOD_PROVISION = ("A speech and language therapist will work with Amira for 30 minutes three "
                  "times a week, in a group of no more than four, until the annual review.")


def test_specified_and_quantified_provision_has_nothing_to_fix() -> None:
    assert q.provision_findings(GOOD_PROVISION) == []


def test_vague_provision_names_each_vague_phrase_it_uses() -> None:
    found = q.provision_findings("Access to regular sessions as required, up to one hour.")
    vague = sorted(f.trigger.lower() for f in found if f.code == "provision_vague")
    assert vague == ["access to", "as required", "regular", "up to"]


def test_provision_without_who_how_often_or_how_long_is_flagged_for_each() -> None:
    found = q.provision_findings("Work on phonics in a small group.")
    assert sorted(codes(found)) == ["provision_how_long", "provision_how_often", "provision_who"]
    assert all(f.section == "F" and f.suggestion for f in found)


def test_each_statement_of_provision_is_checked_on_its_own() -> None:
    text = GOOD_PROVISION + "\n- Opportunities for social skills."
    found = q.provision_findings(text, "G")
    assert {f.section for f in found} == {"G"}
    assert "opportunities for" in {f.trigger.lower() for f in found}
    assert all("Opportunities" in f.trigger for f in found if f.code == "provision_who")


def test_a_section_that_says_none_has_no_provision_to_quantify() -> None:
    assert q.provision_findings("No health provision is needed.", "G") == []


VAGUE_STATEMENTS = [
    "Access to a quiet space",
    "Support with reading",
    "Regular check-ins about how the day is going",
    "Opportunities for social skills practice",
    "She may benefit from movement breaks",
    "Help with dressing as required",
    "Up to an hour of small-group work",
]
FREQUENCIES = ["three times a week", "every morning", "daily", "twice a day", "each lesson",
               "once a fortnight"]
PROVIDERS = ["by a teaching assistant", "by the class teacher",
             "by a speech and language therapist", "by an occupational therapist",
             "from a trained key worker"]


@given(st.sampled_from(VAGUE_STATEMENTS), st.sampled_from(FREQUENCIES),
       st.sampled_from(PROVIDERS))
def test_adding_a_frequency_and_a_provider_to_a_vague_statement_never_adds_findings(
        statement: str, frequency: str, provider: str) -> None:
    before = Counter(codes(q.provision_findings(statement + ".")))
    after = Counter(codes(q.provision_findings(f"{statement}, {provider}, {frequency}.")))
    assert after <= before  # no code appears more often than it did
    assert after["provision_who"] == 0 and after["provision_how_often"] == 0
    assert before["provision_who"] == 1 and before["provision_how_often"] == 1


# ----- outcomes -----

GOOD_OUTCOME = ("By the end of Year 6, Amira will ask an adult for help in class without "
                "being prompted, on four days out of five.")


def test_a_smart_outcome_about_the_child_has_nothing_to_fix() -> None:
    assert q.outcome_findings(GOOD_OUTCOME) == []


def test_an_outcome_about_the_service_is_flagged_with_its_words() -> None:
    found = q.outcome_findings("By July 2027 Amira will receive speech therapy.")
    service = [f for f in found if f.code == "outcome_service"]
    assert [f.trigger for f in service] == ["will receive"]


def test_an_outcome_without_a_time_frame_or_anything_observable_is_flagged() -> None:
    found = q.outcome_findings("Amira will improve her confidence.")
    assert sorted(codes(found)) == ["outcome_observable", "outcome_vague", "outcome_when"]


def test_an_outcome_with_a_time_frame_but_nothing_to_see_is_flagged_only_for_that() -> None:
    assert codes(q.outcome_findings("By the end of Year 8, Amira will be happier.")) == [
        "outcome_observable"]


def test_preparing_for_adulthood_outcomes_are_asked_for_from_year_9() -> None:
    outcomes = "By the end of Year 9, Sam will travel to school on the bus on his own."
    assert q.pfa_findings(outcomes, 8) == []
    missing = {f.trigger for f in q.pfa_findings(outcomes, 9)}
    assert missing == {"employment", "friends, relationships and community", "good health"}
    assert q.pfa_findings(outcomes + " By Year 11 he will go to a youth club with a friend, "
                          "see his GP on his own and do a week of work experience.", 10) == []


def test_school_year_counts_from_the_september_after_the_fourth_birthday() -> None:
    assert q.school_year(date(2013, 8, 31), date(2026, 9, 1)) == 9
    assert q.school_year(date(2013, 9, 1), date(2026, 9, 1)) == 8
    assert q.school_year(date(2013, 9, 1), date(2027, 7, 20)) == 8
    assert q.school_year(date(2020, 3, 1), date(2024, 10, 1)) == 0  # Reception


# ----- section A -----


def test_section_a_in_the_third_person_only_is_flagged() -> None:
    found = q.voice_findings("He likes trains. His mother says he finds change hard.")
    assert codes(found) == ["a_third_person"]
    assert q.voice_findings("I like trains. We find mornings hard.") == []


def test_section_a_that_drops_the_familys_about_me_is_flagged() -> None:
    about = "I like trains and the colour blue.\nMy mum helps me get ready."
    assert codes(q.voice_findings("I like football.", about)) == ["a_not_about_me"]
    assert q.voice_findings("What is important to me\nI like trains and the colour blue.",
                            about) == []


# ----- jargon -----


def test_listed_jargon_gets_its_plain_english_suggestion() -> None:
    found = q.jargon_findings("A TA will run a sensory circuit each morning.", "F")
    by_trigger = {f.trigger: f for f in found}
    assert set(by_trigger) == {"TA", "sensory circuit"}
    assert "teaching assistant" in by_trigger["TA"].suggestion


def test_an_abbreviation_spelled_out_is_not_flagged() -> None:
    assert q.jargon_findings("Speech and language therapy (SALT) each week.", "F") == []
    assert q.jargon_findings("The ZQT (a made-up team) visits.", "F") == []


def test_an_unlisted_abbreviation_not_spelled_out_is_flagged() -> None:
    assert [f.trigger for f in q.jargon_findings("The ZQT visits termly.", "F")] == ["ZQT"]


def test_the_jargon_list_has_a_plain_english_wording_for_every_term() -> None:
    terms = q.jargon_terms()
    assert len(terms) > 40
    assert all(t.plain.strip() and t.kind in ("abbreviation", "jargon") for t in terms)
    assert len({t.term for t in terms}) == len(terms)


# ----- structure -----


def test_empty_sections_that_must_say_none_are_flagged_and_draft_section_i_is_not() -> None:
    sections = {k: "Something." for k in q.SECTION_KEYS} | {"C": "", "H2": "", "I": ""}
    found = q.structure_findings(sections)
    assert {(f.code, f.section) for f in found} == {("say_none", "C"), ("say_none", "H2"),
                                                    ("budget_not_stated", "J")}
    final = q.structure_findings(sections | {"J": "No personal budget was requested."},
                                 final=True)
    assert {(f.code, f.section) for f in final} == {("say_none", "C"), ("say_none", "H2"),
                                                    ("section_missing", "I")}


# ----- the golden thread -----

THREADED = {
    "B": "Need 1: Amira finds it hard to follow spoken instructions.\n"
         "Need 2: Amira is anxious when routines change.",
    "E": "Outcome 1 (need 1): By July, Amira will follow a two-step instruction.\n"
         "Outcome 2 (need 2): By July, Amira will tell an adult when she is worried.",
    "F": "Provision 1 (need 1; outcome 1): ...\nProvision 2 (needs 1 and 2): ...",
}


def test_each_need_linked_to_provision_and_an_outcome_has_nothing_to_fix() -> None:
    assert q.thread_findings(THREADED) == []


def test_a_need_without_provision_or_outcome_is_flagged_against_section_b() -> None:
    sections = dict(THREADED) | {"B": THREADED["B"] + "\nNeed 3: Amira tires quickly."}
    assert {(f.code, f.trigger) for f in q.thread_findings(sections)} == {
        ("need_without_provision", "Need 3"), ("need_without_outcome", "Need 3")}


def test_a_link_to_a_need_that_does_not_exist_or_no_link_is_flagged() -> None:
    sections = dict(THREADED) | {"F": THREADED["F"] + "\nProvision 3 (need 7): ...\n"
                                 "Provision 4: ..."}
    assert {(f.code, f.section, f.trigger) for f in q.thread_findings(sections)} == {
        ("unknown_need", "F", "Provision 3: need 7"), ("not_linked", "F", "Provision 4")}


def test_needs_written_as_free_text_cannot_be_traced() -> None:
    assert codes(q.thread_findings({"B": "Amira has speech needs."})) == ["needs_not_itemised"]


def test_thread_items_read_every_link() -> None:
    (item,) = q.thread_items("Provision 4 (needs 1, 2 and 5; outcomes 3 and 4): x", "provision")
    assert (item.number, item.needs, item.outcomes) == (4, (1, 2, 5), (3, 4))


# ----- copy-paste, contributions -----

TEMPLATE = "Community paediatrics will continue to monitor as appropriate and review annually."


def test_a_health_section_identical_in_many_plans_is_generic() -> None:
    counts = {("G", q.fingerprint(TEMPLATE)): 12}
    assert codes(q.generic_findings({"G": TEMPLATE}, counts)) == ["generic_section"]
    assert q.generic_findings({"G": TEMPLATE}, {("G", q.fingerprint(TEMPLATE)): 2}) == []


def test_the_fingerprint_ignores_the_name_filled_in_and_the_spacing() -> None:
    assert q.fingerprint("Amira  sees the nurse.") == q.fingerprint("Oliver sees the nurse.")
    assert q.fingerprint("Amira sees the nurse.") != q.fingerprint("Amira sees the GP.")


def test_missing_contributions_nil_returns_without_reasons_and_old_advice_are_flagged() -> None:
    on = date(2026, 12, 1)
    found = q.contribution_findings([
        q.Contribution("Health advice", "requested"),
        q.Contribution("Social care advice", "nil_return"),
        q.Contribution("Psychological advice", "given", date(2025, 6, 1)),
        q.Contribution("Educational advice", "given", date(2026, 10, 1)),
        q.Contribution("Other health advice", "nil_return", nil_reason="Not known to us"),
    ], on)
    assert [(f.code, f.trigger) for f in found] == [
        ("contribution_missing", "Health advice"),
        ("nil_return_no_reason", "Social care advice"),
        ("advice_old", "Psychological advice")]


def test_a_well_written_plan_has_no_findings_and_counts_show_every_section() -> None:
    sections = dict(THREADED) | {
        "A": "I like drawing. We want Amira to have friends at school.",
        "C": "No health needs were identified.", "D": "None.",
        "E": "Outcome 1 (need 1): " + GOOD_OUTCOME + "\nOutcome 2 (need 2): By July 2027, "
             "Amira will tell an adult when she is worried, on most days.",
        "F": "Provision 1 (needs 1 and 2): " + GOOD_PROVISION,
        "G": "None.", "H1": "None.", "H2": "None.",
        "J": "The family did not ask for a personal budget.", "K": "Educational advice.",
    }
    facts = q.PlanFacts(sections=sections, on=date(2026, 12, 1), year=5)
    assert q.plan_findings(facts) == []
    poor = q.plan_findings(q.PlanFacts(sections={"F": "Access to SALT."}, on=date(2026, 1, 1)))
    counts = q.counts_by_section(poor)
    assert set(counts) == set(q.SECTION_KEYS)
    assert counts["F"] == len([f for f in poor if f.section == "F"]) > 0
