"""What the quality checks (`ehc.quality`, pure) read from the database, and what was considered.

`plan_quality(plan, sections)` gathers the facts for one plan (the child's year group, their
About me, the copy-paste counts across the authority's plans, the advice asked for), runs
the checks and marks each finding open or considered (`ConsideredFinding`). The draft page,
the sign-off page, the final page and `do_issue_final_plan` all go through it, so what the
caseworker sees is what issuing checks.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from tellonce.ehc import quality
from tellonce.ehc.models import AdviceRequest, ConsideredFinding, Plan, PlanVersion
from tellonce.people.models import Child
from tellonce.profile.actions import latest_version


@dataclass(frozen=True)
class Checked:
    """A finding and, if the caseworker considered it, the reason they gave."""

    finding: quality.Finding
    considered: ConsideredFinding | None

    @property
    def is_open(self) -> bool:
        return self.considered is None

    @property
    def ref(self) -> str:
        """A short name for the finding's form field: the key is too long and has spaces."""
        return hashlib.sha1(self.finding.key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class PlanQuality:
    checked: list[Checked]

    @property
    def open(self) -> list[Checked]:
        return [c for c in self.checked if c.is_open]

    def for_sections(self, keys: Iterable[str]) -> PlanQuality:
        wanted = set(keys)
        return PlanQuality([c for c in self.checked if c.finding.section in wanted])

    def by_section(self) -> dict[str, list[Checked]]:
        grouped: dict[str, list[Checked]] = {k: [] for k in quality.SECTION_KEYS}
        for c in self.checked:
            grouped.setdefault(c.finding.section, []).append(c)
        return grouped

    def open_counts(self) -> dict[str, int]:
        return quality.counts_by_section(c.finding for c in self.open)


def generic_counts(plan: Plan, sections: Mapping[str, str],
                   child: Child) -> dict[tuple[str, str], int]:
    """How many of the authority's plans (by their latest version) have each of this plan's
    health and care sections word for word (`quality.fingerprint`), this one included."""
    wanted = {(k, quality.fingerprint(sections.get(k) or "")) for k in quality.GENERIC_SECTIONS
              if (sections.get(k) or "").strip()}
    if not wanted:
        return {}
    rows = (PlanVersion.objects
            .filter(plan__child__local_authority_id=child.local_authority_id)
            .exclude(plan=plan).order_by("plan_id", "-number")
            .values_list("plan_id", "sections"))
    counts: Counter[tuple[str, str]] = Counter(wanted)
    seen: set[int] = set()
    for plan_id, other in rows.iterator(chunk_size=2000):
        if plan_id in seen:
            continue
        seen.add(plan_id)
        for k, _f in wanted:
            pair = (k, quality.fingerprint((other or {}).get(k) or ""))
            if pair in wanted:
                counts[pair] += 1
    return dict(counts)


def contributions(plan: Plan) -> list[quality.Contribution]:
    if plan.request_id is None:
        return []
    return [quality.Contribution(f"{a.get_kind_display()} ({a.organisation})", a.status,
                                 a.given_on, a.nil_reason)
            for a in AdviceRequest.objects.filter(request_id=plan.request_id)
            .select_related("organisation").order_by("kind")]


def about_me_text(child: Child) -> str:
    about = latest_version(child)
    if about is None:
        return ""
    return "\n".join(text for _n, _t, text in about.sections() if text.strip())


def facts(plan: Plan, sections: Mapping[str, str], on: date, final: bool = False,
          child: Child | None = None) -> quality.PlanFacts:
    """`child` is the plan's, passed by callers that hold it: an action about to change the
    child must not leave an older copy cached on the plan."""
    child = child or Child.objects.get(pk=plan.child_id)
    return quality.PlanFacts(
        sections=sections, on=on, final=final,
        year=quality.school_year(child.date_of_birth, on),
        about_me=about_me_text(child), generic_counts=generic_counts(plan, sections, child),
        contributions=contributions(plan),
    )


def considered(plan: Plan) -> dict[str, ConsideredFinding]:
    """The latest reason given for each finding key on this plan."""
    latest: dict[str, ConsideredFinding] = {}
    for row in plan.considered_findings.select_related("by").order_by("created_at", "id"):
        latest[row.key] = row
    return latest


def plan_quality(plan: Plan, sections: Mapping[str, str], on: date, final: bool = False,
                 child: Child | None = None) -> PlanQuality:
    reasons = considered(plan)
    return PlanQuality([Checked(f, reasons.get(f.key)) for f in
                        quality.plan_findings(facts(plan, sections, on, final, child))])
