"""Every final plan in the generated demo area has what the law requires of it: every section
of reg 12(1) written, and section I naming a consulted setting with its type, or a type."""

from __future__ import annotations

import pytest

from tellonce.demo.area import generate_area
from tellonce.ehc import completeness
from tellonce.ehc.models import Consultation, PlanVersion


@pytest.mark.django_db
def test_every_demo_final_plan_is_complete_in_law() -> None:
    area = generate_area(seed=11, children=3000, progress=lambda message: None)
    finals = list(PlanVersion.objects.filter(kind=PlanVersion.Kind.FINAL)
                  .select_related("plan__named_setting"))
    assert len(finals) > 50
    consulted: dict[int, list[completeness.Consulted]] = {}
    for plan_id, setting_id, name in Consultation.objects.values_list(
            "plan_id", "setting_id", "setting__name"):
        consulted.setdefault(plan_id, []).append(completeness.Consulted(setting_id, name))
    problems = []
    for version in finals:
        plan = version.plan
        facts = completeness.FinalPlanFacts(
            sections=version.sections, today=version.served_on,
            draft_served_on=None, family_commented=True,
            named_setting_id=plan.named_setting_id,
            named_setting_name=str(plan.named_setting or ""), setting_type=plan.setting_type,
            consulted=consulted.get(plan.pk, []),
        )
        found = (completeness.section_findings(version.sections)
                 + completeness.placement_findings(facts))
        if not version.sections.get("I", "").strip():
            found.append(completeness.Finding("I", "Section I is empty", "reg 12(1)"))
        problems += [f"{plan.child_id}: {f.message}" for f in found]
    assert problems == []
    # The same area (generating it is the costly part) for the quality demo's invariants.
    _demo_quality_is_varied(area)


def _demo_quality_is_varied(area) -> None:  # type: ignore[no-untyped-def]
    """Across the whole generated area: some plans with nothing to fix, some generic, some
    vague; every agreed budget says its kind, amount, period and provision, every refusal its
    reasons; each kind of budget taken up; every package on an EOTAS plan; one overdue."""
    from collections import Counter
    from datetime import date

    from tellonce.ehc import budgets, quality
    from tellonce.ehc.models import EotasPackage, PersonalBudget, Plan

    finals = list(PlanVersion.objects.filter(kind=PlanVersion.Kind.FINAL))
    codes: Counter[str] = Counter()
    clean = 0
    for version in finals:
        found = quality.plan_findings(quality.PlanFacts(sections=version.sections,
                                                        on=date(2026, 12, 1)))
        clean += not found
        codes.update({f.code for f in found})
    assert 0 < clean < len(finals)
    assert codes["provision_vague"] > 0 and codes["outcome_service"] > 0
    counts: Counter[tuple[str, str]] = Counter(
        (k, quality.fingerprint(v.sections.get(k, ""))) for v in finals for k in ("C", "G"))
    assert max(counts.values()) >= quality.GENERIC_THRESHOLD  # copy-paste exists
    for b in PersonalBudget.objects.all():
        if b.status == PersonalBudget.Status.AGREED:
            assert b.kind and b.amount is not None and b.period and b.provision_covered, b.pk
        if b.status == PersonalBudget.Status.REFUSED:
            assert b.reasons.strip(), b.pk
    taken = budgets.personal_budget_counts([area.local_authority.pk])
    assert min(taken.direct_payment, taken.notional, taken.third_party, taken.organised) > 0
    packages = list(EotasPackage.objects.select_related("plan"))
    assert packages and all(p.plan.eotas and p.plan.status == Plan.Status.ACTIVE
                            for p in packages)
    assert len(budgets.overdue_eotas_packages([area.local_authority.pk], area.today)) == 1
