"""What the law requires of a final EHC plan before it can be issued: pure functions, no database.

`final_plan_findings(facts)` returns one `Finding` for each thing missing, naming the section
(or "" for the process) and citing the law, in words a caseworker can act on. An empty list
means the plan may be issued. The rules, and only these (how good the content is, such as
SMART outcomes, is another question):

- Every section A to K is present (SEND Regulations 2014 reg 12(1); the statutory content is
  CFA 2014 s.37(2)). A section that does not apply must say so ("No social care needs were
  identified"), so a reader can tell it was considered and not forgotten.
- Section I names the school or other institution and its type, or specifies only the type
  (CFA 2014 s.39(5), s.40(2); reg 12(1)). The draft could not (s.38(5)), so this is decided
  when the plan is finalised.
- Before a school or other institution is named, it has been consulted (s.39(2), s.39(6),
  s.40(3)); and a setting the family asked for in their comments has been consulted (s.39(2))
  whether or not the council goes on to name it (s.39(4) lets it refuse only after that).
- The family was sent the draft and given at least 15 days to comment and to ask for a school,
  unless they have already commented (s.38(2), reg 13(1)).

No override. The sign-off of health and social care sections is the partnership's own
practice, and a SEND manager may finalise without it, with a recorded reason (see
`ehc.actions.do_issue_final_plan`). None of these rules has such an exception in the law: the
exceptions in reg 13(3) (reg 10(4)) lift the 20-week time limit, not what the plan must
contain; s.39(4) lets the council decline to name the family's choice, not skip consulting it;
reg 13(1) sets a minimum of 15 days. So a plan missing any of them is refused, for everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from tellonce.ehc import clock

# The sections of reg 12(1), in the plan's order, with what each must hold.
SECTIONS: list[tuple[str, str, str]] = [
    ("A", "the views, interests and aspirations of the child or young person and their family",
     ""),
    ("B", "the child's special educational needs", "s.37(2)(a)"),
    ("C", "the health needs related to their SEN or disability, or that there are none", ""),
    ("D", "the social care needs related to their SEN or disability, or that there are none",
     ""),
    ("E", "the outcomes sought", "s.37(2)(b)"),
    ("F", "the special educational provision", "s.37(2)(c)"),
    ("G", "the health care provision, or that none is needed", "s.37(2)(d)"),
    ("H1", "the social care provision under section 2 of the Chronically Sick and Disabled "
           "Persons Act 1970, or that none is needed", "s.37(2)(e)"),
    ("H2", "any other social care provision, or that none is needed", "s.37(2)(f)"),
    ("I", "the name and type of the school or other institution, or the type", ""),
    ("J", "the personal budget, or that none was asked for", ""),
    ("K", "the advice and information gathered during the assessment", ""),
]
REG_12 = "SEND Regulations 2014 reg 12(1)"


@dataclass(frozen=True)
class Finding:
    """One thing the law requires that the plan lacks."""

    section: str  # "A" … "K", or "" for the process (the family's 15 days)
    missing: str
    law: str

    @property
    def message(self) -> str:
        return f"{self.missing} ({self.law})"


@dataclass(frozen=True)
class Consulted:
    """A setting the council consulted on naming it in the plan."""

    setting_id: int
    name: str


@dataclass(frozen=True)
class FinalPlanFacts:
    """What the rules read: the sections the final plan will have, the placement chosen, the
    consultations made, and the draft's service and the family's response to it."""

    sections: Mapping[str, str]
    today: date
    draft_served_on: date | None
    family_commented: bool
    named_setting_id: int | None = None
    named_setting_name: str = ""
    setting_type: str = ""
    consulted: Sequence[Consulted] = field(default_factory=tuple)
    # Settings the family asked for in their comments, matched to a school or college on
    # record: (id, name). A name that matches nothing on record cannot be checked here.
    requested: Sequence[tuple[int, str]] = field(default_factory=tuple)


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def section_findings(sections: Mapping[str, str]) -> list[Finding]:
    """Every section of reg 12(1) but I (see `placement_findings`) is present."""
    return [
        Finding(key, f"Section {key} is empty: it must set out {what}",
                REG_12 + (f"; Children and Families Act 2014 {act}" if act else ""))
        for key, what, act in SECTIONS if key != "I" and _blank(sections.get(key))
    ]


def placement_findings(facts: FinalPlanFacts) -> list[Finding]:
    """Section I: named after consultation, with its type; or the type alone."""
    found: list[Finding] = []
    consulted = {c.setting_id for c in facts.consulted}
    if facts.named_setting_id is None and _blank(facts.setting_type):
        found.append(Finding(
            "I", "Section I: no school or other institution is named and no type of school "
            "or institution is specified", "Children and Families Act 2014 s.39(5), s.40(2)"))
    if facts.named_setting_id is not None:
        if _blank(facts.setting_type):
            found.append(Finding(
                "I", f"Section I: give the type of {facts.named_setting_name} as well as its "
                "name",
                REG_12))
        if facts.named_setting_id not in consulted:
            found.append(Finding(
                "I", f"Section I: {facts.named_setting_name} has not been consulted: consult it "
                "before naming it", "Children and Families Act 2014 s.39(2), s.39(6), s.40(3)"))
    for setting_id, name in facts.requested:
        if setting_id not in consulted:
            found.append(Finding(
                "I", f"Section I: the family asked for {name} to be named: consult it, even "
                "if the council decides not to name it", "Children and Families Act 2014 s.39(2)"))
    return found


def draft_findings(facts: FinalPlanFacts) -> list[Finding]:
    """The family had the draft and their 15 days (or has already commented)."""
    if facts.draft_served_on is None:
        return [Finding("", "Send the family the draft plan first",
                        "Children and Families Act 2014 s.38(2)")]
    ends = clock.due("draft_comment_end", facts.draft_served_on)
    assert ends is not None
    if facts.today <= ends and not facts.family_commented:
        return [Finding(
            "", f"The family has until {ends.strftime('%-d %B %Y')} to comment on the draft "
            "and ask for a school or college: wait for their comments or for that date to pass",
            "SEND Regulations 2014 reg 13(1); Children and Families Act 2014 s.38(2)")]
    return []


def final_plan_findings(facts: FinalPlanFacts) -> list[Finding]:
    """Everything the law requires of the final plan that it lacks; empty: it may be issued."""
    return draft_findings(facts) + section_findings(facts.sections) + placement_findings(facts)


def by_section(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """The findings grouped by section letter ("" for the process), for showing beside each."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.section, []).append(finding)
    return grouped
