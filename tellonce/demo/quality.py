"""Demo EHC plan content of varied quality, personal budgets, EOTAS packages (issue 16).

Runs after `tellonce.ehc.demo` (see `area.EXTENSIONS`). That extension writes every demo
plan's sections as placeholders; here, in the same generation, they are given real wording
of three kinds: well written (needs numbered and linked to outcomes and provision, provision
quantified), generic (the same health and care wording in many plans, as copy-paste makes
them), and vague ("access to", "as required", outcomes about the service). `plan_sections`
is also what `manage.py bench_plan_quality` checks in bulk.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from tellonce.demo.area import Area
from tellonce.ehc.models import EotasPackage, PersonalBudget, Plan, PlanVersion, SettingType

BATCH = 1000

NEEDS = [
    ("finds it hard to follow spoken instructions of more than two steps",
     "By the end of the school year, {name} will follow a two-step instruction in class "
     "without a reminder on four days out of five.",
     "A speech and language therapist will plan a programme, and a teaching assistant "
     "trained by them will deliver it for 20 minutes three times a week, until the annual "
     "review."),
    ("is anxious when routines change and can leave the classroom",
     "By the end of the spring term, {name} will tell an adult when they feel worried, "
     "using their feelings card, on most days.",
     "The class teacher will give {name} a visual timetable each morning and warn of "
     "changes the day before, every school day for the whole year."),
    ("reads well below the level expected for their age",
     "By July, {name} will read a short book aloud to an adult, decoding most words.",
     "A specialist teacher will teach a structured phonics programme for 30 minutes four "
     "times a week, in a group of no more than three, until the next review."),
    ("finds it hard to join in play with other children",
     "By the end of Year {year}, {name} will join a game at break time with two friends at "
     "least twice a week.",
     "A learning support assistant will run a 20-minute social group twice a week for two "
     "terms, and support {name} at lunchtime every day."),
    ("has difficulty writing by hand because of weak hand strength",
     "By the end of the year, {name} will write three sentences by hand in ten minutes.",
     "An occupational therapist will set hand exercises, and a teaching assistant will "
     "practise them with {name} for 10 minutes every morning until the annual review."),
]
GENERIC_HEALTH = ("Community paediatrics will continue to monitor as appropriate. Health "
                  "needs are being met by universal services and will be reviewed annually.")
GENERIC_CARE = ("The family are known to early help services and will be signposted to the "
                "local offer for short breaks as required.")
VAGUE_PROVISION = [
    "Access to speech and language therapy as required.",
    "Regular support with reading and writing.",
    "Opportunities for social skills work in a small group.",
    "Up to 10 hours of adult support when needed.",
    "{name} may benefit from movement breaks.",
]
VAGUE_OUTCOMES = [
    "{name} will be supported to improve their confidence.",
    "{name} will receive speech and language therapy.",
    "{name} will make good progress in literacy.",
    "To be happy and settled at school.",
]
ABOUT = [
    "I like drawing, trains and being outside. I don't like loud rooms.",
    "I am good at football and I like helping my little sister.",
    "We want {name} to have friends and to feel safe at school.",
]
THIRD_PERSON = "{name} likes trains. {name}'s mother says he finds change hard."


def plan_sections(rng: random.Random, name: str, kind: str, year: int = 5,
                  needs: int = 3) -> dict[str, str]:
    """One plan's sections A to K in wording of the given kind: "good", "generic" or
    "vague". `needs` sets how long it is (a 40-page plan has a few dozen needs)."""
    chosen = [NEEDS[i % len(NEEDS)] for i in range(needs)]
    fill = {"name": name, "year": year}
    sections: dict[str, str] = {
        "A": (rng.choice(ABOUT) if kind != "vague" else THIRD_PERSON).format(**fill),
        "K": "Educational advice: the school, given last term.\nPsychological advice: the "
             "educational psychology service, given last term.",
        "I": "Type of school or other institution: Mainstream school or academy",
    }
    if kind == "good":
        sections["B"] = "\n".join(f"Need {i}: {name} {need}." for i, (need, _o, _p)
                                  in enumerate(chosen, 1))
        sections["E"] = "\n".join(f"Outcome {i} (need {i}): {outcome.format(**fill)}"
                                  for i, (_n, outcome, _p) in enumerate(chosen, 1))
        sections["F"] = "\n".join(f"Provision {i} (need {i}; outcome {i}): "
                                  f"{provision.format(**fill)}"
                                  for i, (_n, _o, provision) in enumerate(chosen, 1))
        sections["C"] = f"{name} has no health needs related to their special educational needs."
        sections["G"] = "None."
        sections["D"] = "No social care needs were identified."
        sections["H1"] = "None."
        sections["H2"] = "None."
        sections["J"] = "The family did not ask for a personal budget."
    else:
        sections["B"] = " ".join(f"{name} {need}." for need, _o, _p in chosen)
        sections["E"] = "\n".join(rng.choice(VAGUE_OUTCOMES).format(**fill)
                                  for _ in chosen)
        sections["F"] = "\n".join(rng.choice(VAGUE_PROVISION).format(**fill) for _ in chosen)
        sections["C"] = GENERIC_HEALTH if kind == "generic" else "Some health needs (SALT)."
        sections["G"] = GENERIC_HEALTH if kind == "generic" else "CAMHS will see as needed."
        sections["D"] = GENERIC_CARE if kind == "generic" else "Some social care support."
        sections["H1"] = GENERIC_CARE if kind == "generic" else "Short breaks as required."
        sections["H2"] = "None."
        sections["J"] = "Personal budget."
    return sections


KINDS = {"good": 0.35, "generic": 0.35, "vague": 0.30}


def generate(area: Area) -> None:
    rng = random.Random(area.seed * 16 + 1)  # its own stream: other extensions unchanged
    today = area.today
    plans = list(Plan.objects.filter(child__local_authority=area.local_authority,
                                     status=Plan.Status.ACTIVE)
                 .select_related("child").order_by("pk"))
    if not plans:
        return
    area.progress(f"quality: wording {len(plans)} plans, budgets and EOTAS packages")
    firsts = {v.plan_id: v for v in PlanVersion.objects.filter(plan__in=plans, number=1)}
    versions = []
    for plan in plans:
        version = firsts.get(plan.pk)
        if version is None:
            continue
        kind = rng.choices(list(KINDS), weights=list(KINDS.values()))[0]
        sections = plan_sections(rng, plan.child.given_name, kind, needs=rng.randint(2, 4))
        # Section I stays as ehc.demo wrote it: the setting named and its type.
        sections["I"] = version.sections.get("I", sections["I"])
        version.sections = sections
        versions.append(version)
        # What the plan was written for: the child as they are now, so it is not stale.
        plan.primary_need_at_plan = plan.child.primary_need
        plan.setting_at_plan_id = plan.child.setting_id
    # These versions were made moments ago in this same generation, with placeholder text:
    # writing their wording now is still making them, not changing an issued plan.
    PlanVersion.objects.bulk_update(versions, ["sections"], batch_size=BATCH)
    # A few children have moved setting since their plan, unamended (ehc.stale).
    movers = rng.sample(plans, max(1, len(plans) // 50))
    others = [s.pk for s in area.schools]
    for plan in movers:
        if others:
            plan.setting_at_plan_id = rng.choice([pk for pk in others
                                                  if pk != plan.child.setting_id] or others)
    Plan.objects.bulk_update(plans, ["primary_need_at_plan", "setting_at_plan"],
                             batch_size=BATCH)
    _budgets(rng, today, plans)
    _eotas(rng, today, plans, area)


def _budgets(rng: random.Random, today: date, plans: list[Plan]) -> None:
    """About one plan in ten with a personal budget asked for, each kind among those agreed,
    some refused (one reviewed and overturned, one upheld); some recorded as not asked."""
    kinds = list(PersonalBudget.Kind.values)
    rows = []
    chosen = rng.sample(plans, max(len(kinds) + 2, len(plans) // 10))
    for i, plan in enumerate(chosen):
        asked = today - timedelta(days=rng.randrange(30, 400))
        decided = asked + timedelta(days=21)
        kind = kinds[i % len(kinds)]
        budget = PersonalBudget(
            plan=plan, status=PersonalBudget.Status.AGREED, kind=kind,
            provision_covered="Provision 1 in section F (speech and language therapy)",
            amount=Decimal(rng.choice([800, 1200, 2400, 3600])),
            period=PersonalBudget.Period.YEAR, requested_on=asked,
            decided_on=decided, reasons="Agreed at the resource panel")
        if i % 7 == 5:
            budget.status, budget.kind, budget.amount, budget.period = (
                PersonalBudget.Status.REFUSED, "", None, "")
            budget.reasons = "The provision is part of what the school already offers"
            if i % 14 == 5:
                budget.review = PersonalBudget.Review.UPHELD
                budget.review_asked_on = decided + timedelta(days=7)
                budget.review_decided_on = decided + timedelta(days=21)
                budget.review_reasons = "The school's offer meets the need"
        rows.append(budget)
    for plan in rng.sample([p for p in plans if p not in chosen], min(len(plans) // 5,
                                                                      len(plans) - len(chosen))):
        rows.append(PersonalBudget(plan=plan, status=PersonalBudget.Status.NOT_REQUESTED))
    PersonalBudget.objects.bulk_create(rows, batch_size=BATCH)


def _eotas(rng: random.Random, today: date, plans: list[Plan], area: Area) -> None:
    """One plan in a hundred educated otherwise than at school, each with a package; the
    first has not been reviewed in the period set, so it is overdue on the worklist."""
    chosen = rng.sample(plans, max(2, len(plans) // 100))
    overseer = area.users.get("caseworker")
    packages = []
    for i, plan in enumerate(chosen):
        plan.eotas, plan.setting_type = True, SettingType.EOTAS
        started = today - timedelta(days=rng.randrange(120, 500))
        packages.append(EotasPackage(
            plan=plan, providers="Home tuition service\nForest school (two days a week)",
            hours_a_week=Decimal(rng.choice([12, 15, 18, 20])),
            provision="Provision 1 and 2 in section F: tuition in literacy and numeracy",
            cost_a_year=Decimal(rng.choice([18000, 24000, 32000])), overseer=overseer,
            started_on=started, review_every_weeks=12,
            last_reviewed_on=None if i == 0 else today - timedelta(days=rng.randrange(7, 70))))
    Plan.objects.bulk_update(chosen, ["eotas", "setting_type"], batch_size=BATCH)
    EotasPackage.objects.bulk_create(packages, batch_size=BATCH)
