"""Every final plan in the generated demo area has what the law requires of it: every section
of reg 12(1) written, and section I naming a consulted setting with its type, or a type."""

from __future__ import annotations

import pytest

from tellonce.demo.area import generate_area
from tellonce.ehc import completeness
from tellonce.ehc.models import Consultation, PlanVersion


@pytest.mark.django_db
def test_every_demo_final_plan_is_complete_in_law() -> None:
    generate_area(seed=11, children=3000, progress=lambda message: None)
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
