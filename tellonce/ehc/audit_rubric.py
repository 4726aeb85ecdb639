"""The multi-agency plan audit's rules: the rubric, grades from criteria, the stratified sample,
moderation and agreement with the automatic checks. Pure functions, no database.

A panel (education, health, social care) audits a sample of plans section by section against
the rubric: each criterion is met or not, and the grade is set from the criteria met, never
typed by the auditor (as the commercial audit tools do, so two auditors who tick the same
boxes give the same grade). Where the panel's grades for a section differ by more than one
step, the section goes to moderation. The automatic checks (`ehc.quality`) "agree" with the
panel on a section when the section has no open finding exactly when the panel graded it Good
or better.

Not yet built on these rules: the round's pages, its models and the auditors' access (see
docs/plan-quality.md, "Not done").
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

GRADES = ("Inadequate", "Requires improvement", "Good", "Outstanding")
# The share of a section's weighted criteria met for each grade, lowest first.
THRESHOLDS = ((0.9, "Outstanding"), (0.7, "Good"), (0.4, "Requires improvement"))


@dataclass(frozen=True)
class Criterion:
    code: str
    section: str
    asks: str
    good_looks_like: str
    weight: int = 1


RUBRIC: tuple[Criterion, ...] = (
    Criterion("a_voice", "A", "Written in the child's and family's own words",
              "'I like trains and I don't like loud rooms.' - not 'He likes trains.'", 2),
    Criterion("a_aspirations", "A", "Says what the child hopes for now and later",
              "'When I leave school I want to work with animals.'"),
    Criterion("b_each_need", "B", "Each need is described and numbered",
              "'Need 1: Amira finds it hard to follow instructions of more than two steps.'",
              2),
    Criterion("b_strengths", "B", "Describes strengths and what helps",
              "'Amira learns well from pictures and enjoys helping others.'"),
    Criterion("c_clear", "C", "Health needs described, or says clearly there are none",
              "'No health needs related to Amira's SEN were identified.'"),
    Criterion("d_clear", "D", "Social care needs described, or says clearly there are none",
              "'Amira's family receive short breaks twice a month (CSDPA s.2).'"),
    Criterion("e_smart", "E", "Outcomes are specific, with a time frame and observable",
              "'By July 2027 Amira will read a short book aloud to an adult.'", 2),
    Criterion("e_child", "E", "Outcomes describe what the child will achieve",
              "Not 'Amira will receive speech therapy' (that is provision)."),
    Criterion("e_pfa", "E", "From Year 9, outcomes prepare for adulthood",
              "'By Year 11 Sam will travel to college by bus on his own.'"),
    Criterion("f_quantified", "F", "Provision says who, what, how often and for how long",
              "'A speech and language therapist, 30 minutes, twice a week, until the "
              "review.'", 2),
    Criterion("f_linked", "F", "Each provision is linked to a need and an outcome",
              "'Provision 1 (need 1; outcome 1): ...'"),
    Criterion("g_quantified", "G", "Health provision is specified and quantified",
              "'Physiotherapy: 6 sessions a term at school by the community physiotherapist.'"),
    Criterion("h_quantified", "H1", "Social care provision is specified and quantified",
              "'Short breaks: two overnight stays a month at Brook House.'"),
    Criterion("i_named", "I", "Names the setting and its type, or the type",
              "'Alpha Primary School, a mainstream academy.'"),
    Criterion("j_clear", "J", "Says whether a personal budget was asked for and the outcome",
              "'The family asked for a direct payment for speech therapy: agreed, GBP 1,200 "
              "a year.'"),
    Criterion("k_listed", "K", "Lists the advice with its dates",
              "'Psychological advice, educational psychology service, 3 March 2027.'"),
)


def criteria_for(section: str) -> list[Criterion]:
    return [c for c in RUBRIC if c.section == section]


def grade(section: str, met: Mapping[str, bool]) -> str:
    """The section's grade from the criteria met (weighted): the auditor ticks, the rule
    grades."""
    criteria = criteria_for(section)
    if not criteria:
        raise ValueError(f"No criteria for section {section}")
    total = sum(c.weight for c in criteria)
    share = sum(c.weight for c in criteria if met.get(c.code)) / total
    return next((g for floor, g in THRESHOLDS if share >= floor), "Inadequate")


def overall(grades: Mapping[str, str]) -> str:
    """The plan's grade: the median of its sections' grades, rounded down (a plan is not
    Good with half its sections Inadequate)."""
    ranks = sorted(GRADES.index(g) for g in grades.values())
    if not ranks:
        raise ValueError("No sections graded")
    return GRADES[ranks[(len(ranks) - 1) // 2]]


def needs_moderation(panel: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Sections where two auditors' grades (auditor -> section -> grade) are more than one
    step apart."""
    by_section: dict[str, list[int]] = defaultdict(list)
    for grades in panel.values():
        for section, g in grades.items():
            by_section[section].append(GRADES.index(g))
    return sorted(s for s, ranks in by_section.items() if max(ranks) - min(ranks) > 1)


@dataclass(frozen=True)
class Candidate:
    plan_id: int
    key_stage: str
    need: str
    setting: str

    @property
    def stratum(self) -> tuple[str, str, str]:
        return (self.key_stage, self.need, self.setting)


def stratified_sample(candidates: Sequence[Candidate], size: int,
                      rng: random.Random) -> list[Candidate]:
    """A random sample of `size` plans, each stratum (key stage, need, setting) represented in
    proportion to its share of the plans (largest remainders), and at least one from every
    stratum while the size allows."""
    if size >= len(candidates):
        return list(candidates)
    strata: dict[tuple[str, str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        strata[c.stratum].append(c)
    keys = sorted(strata)
    quotas = {k: size * len(strata[k]) / len(candidates) for k in keys}
    counts = {k: int(q) for k, q in quotas.items()}
    if size >= len(keys):
        for k in keys:
            counts[k] = max(1, counts[k])
    left = size - sum(counts.values())
    by_remainder = sorted(keys, key=lambda k: (-(quotas[k] - int(quotas[k])), k))
    while left > 0:
        for k in by_remainder:
            if left and counts[k] < len(strata[k]):
                counts[k] += 1
                left -= 1
    while left < 0:  # more strata than the sample: drop from the largest
        k = max(keys, key=lambda k: (counts[k], k))
        counts[k] -= 1
        left += 1
    sample: list[Candidate] = []
    for k in keys:
        sample.extend(rng.sample(strata[k], min(counts[k], len(strata[k]))))
    return sample


def agreement(auto_open: Mapping[tuple[int, str], int],
              panel: Mapping[tuple[int, str], str]) -> float | None:
    """Share of (plan, section) pairs where the automatic checks and the panel agree: no open
    finding and graded Good or better, or some open finding and graded below Good. None when
    nothing was graded."""
    pairs = [(auto_open.get(key, 0) == 0, GRADES.index(g) >= GRADES.index("Good"))
             for key, g in panel.items()]
    if not pairs:
        return None
    return sum(a == b for a, b in pairs) / len(pairs)
