"""Demo EHC casework: every stage, on time and late, with exceptions, and Kofi's full story.

Rows are made with bulk_create (due dates still come from ehc.clock), so an area of 300,000
children and 25,000 plans takes seconds here. Kofi (the `parent` account's son) gets a whole
history: request, advice, draft, comments, sign-off, final plan, and an annual review due soon.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from tellonce.access.models import StatutoryBasis
from tellonce.ehc import clock
from tellonce.ehc.actions import (
    advice_sharing,
    assemble_draft,
    placement_text,
    recount_all_done_steps,
    transfer_for,
)
from tellonce.ehc.models import (
    PLAN_SECTIONS,
    AdviceRequest,
    AssessmentRequest,
    Consultation,
    Decision,
    DraftResponse,
    Plan,
    PlanVersion,
    Review,
    SettingType,
    SignOff,
    Step,
    TimelineEvent,
)
from tellonce.people.models import (
    Adult,
    Child,
    FamilyLink,
    Involvement,
    Organisation,
    StaffMembership,
    User,
)

if TYPE_CHECKING:
    from tellonce.demo.area import Area

BATCH = 5000
Kind, StepStage, Waiting = Step.Kind, Step.Stage, Step.WaitingOn
Stage = AssessmentRequest.Stage


def _at(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(10, 0)))


class _Builder:
    def __init__(self, area: Area) -> None:
        self.a = area
        self.la = area.local_authority
        self.team = area.la_teams["send"]
        self.steps: list[Step] = []
        self.events: list[TimelineEvent] = []
        self.caseworkers = list(User.objects.filter(
            memberships__organisation=self.team,
            memberships__role=StaffMembership.Role.LA_CASEWORKER).order_by("pk"))
        self.eps = list(User.objects.filter(
            memberships__organisation=area.la_teams["ep"],
            memberships__role=StaffMembership.Role.EDUCATIONAL_PSYCHOLOGIST).order_by("pk"))
        # Each step keeps copies of its child's status, name and locality (see Step): the children
        # with EHC casework here, fetched once.
        demo_ids = [c.pk for c in area.demo_children.values()]
        self.children: dict[Any, tuple[str, str, str, Any]] = {
            pk: (status, family, given, locality)
            for pk, status, family, given, locality in Child.objects.filter(
                Q(local_authority=self.la, send_status__in=[Child.SendStatus.ASSESSMENT,
                                                            Child.SendStatus.EHC_PLAN])
                | Q(pk__in=demo_ids)
            ).values_list("pk", "send_status", "family_name", "given_name",
                          "locality_id").iterator()
        }

    def step(self, child_id: Any, kind: str, stage: str, title: str, start: date, *,
             clock_name: str = "", due: date | None = None, done: date | None = None,
             waiting: str = Waiting.LOCAL_AUTHORITY, org: Organisation | None = None,
             person: User | None = None, caseworker: User | None = None,
             exception: str = "", **links: Any) -> Step:
        facts = links.pop("facts", {})
        if clock_name and due is None and not exception:
            due = clock.due(clock_name, start, **facts)
        status, family_name, given_name, locality_id = self.children[child_id]
        step = Step(
            child_id=child_id, local_authority=self.la, child_send_status=status,
            child_family_name=family_name, child_given_name=given_name,
            child_locality_id=locality_id, kind=kind, stage=stage, title=title,
            clock=clock_name, start=start, due=due, waiting_on=waiting,
            waiting_on_organisation=org or (self.team if waiting == Waiting.LOCAL_AUTHORITY
                                            else None),
            waiting_on_user=person, caseworker=caseworker, done_on=done,
            exception=exception,
            exception_reason="Family abroad for six weeks (demo)" if exception else "",
            outcome="Done" if done else "", **links,
        )
        self.steps.append(step)
        return step

    def event(self, child_id: Any, on: date, summary: str, **links: Any) -> None:
        self.events.append(TimelineEvent(child_id=child_id, at=_at(on), on=on, summary=summary,
                                         by_description="The council (demo history)", **links))

    def flush(self) -> None:
        Step.objects.bulk_create(self.steps, batch_size=BATCH)
        TimelineEvent.objects.bulk_create(self.events, batch_size=BATCH)
        self.steps, self.events = [], []


def demo_final_sections(section_i: str) -> dict[str, str]:
    """A demo final plan's sections: every one of reg 12(1) written, section I as given."""
    return {key: section_i if key == "I" else f"{title} (demo)"
            for key, title in PLAN_SECTIONS}


def _plans(b: _Builder, rng: random.Random, today: date, rows: list[tuple]) -> None:
    """Active plans: a review due for each; a year of finals and review decisions for the
    measures (about half of new plans in time, as nationally; some with exceptions)."""
    plans = []
    for child_id, _locality, setting_id, _dob in rows:
        issued = today - timedelta(days=rng.randrange(30, 8 * 365))
        plans.append(Plan(child_id=child_id, status=Plan.Status.ACTIVE, issued_on=issued,
                          named_setting_id=setting_id, caseworker=rng.choice(b.caseworkers)))
    # Section I as the law has it: the setting named after consulting it, with its type; a
    # child with no setting has the type alone (CFA s.39, s.40; reg 12(1)).
    for plan in plans:
        plan.setting_type = SettingType.MAINSTREAM if plan.named_setting_id else \
            SettingType.SPECIAL
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    names = dict(Organisation.objects.filter(
        pk__in={p.named_setting_id for p in plans if p.named_setting_id}).values_list("pk",
                                                                                   "name"))
    versions, reviews, decisions = [], [], []
    consultations = []
    for plan in plans:
        assert plan.issued_on is not None
        setting = Organisation(pk=plan.named_setting_id, name=names[plan.named_setting_id]) \
            if plan.named_setting_id else None
        versions.append(PlanVersion(
            plan=plan, number=1, kind=PlanVersion.Kind.FINAL, served_on=plan.issued_on,
            sections=demo_final_sections(placement_text(setting, plan.setting_type)),
            named_setting_name=setting.name if setting else "",
        ))
        if setting is not None:
            consultations.append(Consultation(
                plan=plan, setting_id=setting.pk, sent_on=plan.issued_on - timedelta(days=20),
                response=Consultation.Response.CAN_MEET_NEEDS,
                responded_on=plan.issued_on - timedelta(days=10)))
        # The last review: a year-ish ago, a little over a year for the late ones.
        years = (today - plan.issued_on).days // 365
        last = plan.issued_on if years == 0 else plan.issued_on + timedelta(days=365 * years)
        if years and rng.random() < 0.12:
            last -= timedelta(days=rng.randrange(20, 120))  # a review that slipped
        plan.last_reviewed_on = last if years else None
        due_by = clock.due("annual_review", last)
        assert due_by is not None
        review = Review(plan=plan, child_id=plan.child_id, due_by=due_by)
        reviews.append(review)
        if plan.issued_on >= today - timedelta(days=365):
            weeks = rng.choice([14, 16, 18, 19, 20, 20, 22, 24, 26, 30])
            received = plan.issued_on - timedelta(weeks=weeks, days=rng.randrange(0, 6))
            exception = "reg 10(4)(c)" if rng.random() < 0.05 else ""
            b.step(plan.child_id, Kind.FINAL_PLAN, StepStage.FINAL, "Issue the final EHC plan",
                   received, clock_name="final_plan", done=plan.issued_on,
                   caseworker=plan.caseworker, exception=exception, plan=plan)
        # Every plan's history: the decision to issue it (open to appeal) and its issue.
        decisions.append(Decision(
            child_id=plan.child_id, plan=plan, kind=Decision.Kind.FINAL_PLAN,
            notice_sent_on=plan.issued_on,
            appeal_deadline=clock.due("appeal_deadline", plan.issued_on)))
        b.event(plan.child_id, plan.issued_on, "The council issued the final EHC plan",
                plan=plan)
        if plan.issued_on < today - timedelta(days=365) and years \
                and last >= today - timedelta(days=330):
            # Reviewed this year: the decision notice, mostly within 4 weeks.
            notice = last + timedelta(days=rng.choice([10, 18, 24, 27, 28, 33, 40]))
            b.step(plan.child_id, Kind.REVIEW_DECISION, StepStage.REVIEW,
                   "Tell the family whether the plan will be kept, amended or ceased", last,
                   clock_name="review_decision_notice", done=min(notice, today),
                   caseworker=plan.caseworker, plan=plan)
    Plan.objects.bulk_update(plans, ["last_reviewed_on"], batch_size=BATCH)
    PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
    Consultation.objects.bulk_create(consultations, batch_size=BATCH)
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    for review in reviews:
        plan = review.plan
        start = plan.last_reviewed_on or plan.issued_on
        assert start is not None
        if rng.random() < 0.06 and review.due_by > today + timedelta(days=20):
            # A meeting held recently: the decision is due (some late).
            held = today - timedelta(days=rng.randrange(3, 45))
            review.stage, review.meeting_on = Review.Stage.MEETING_HELD, held
            b.step(plan.child_id, Kind.ANNUAL_REVIEW, StepStage.REVIEW,
                   "Hold the annual review", start, clock_name="annual_review", done=held,
                   caseworker=plan.caseworker, plan=plan, review=review)
            b.step(plan.child_id, Kind.REVIEW_DECISION, StepStage.REVIEW,
                   "Tell the family whether the plan will be kept, amended or ceased", held,
                   clock_name="review_decision_notice", caseworker=plan.caseworker,
                   plan=plan, review=review)
        else:
            b.step(plan.child_id, Kind.ANNUAL_REVIEW, StepStage.REVIEW,
                   "Hold the annual review", start, clock_name="annual_review",
                   caseworker=plan.caseworker, plan=plan, review=review)
    Review.objects.bulk_update([r for r in reviews if r.meeting_on], ["stage", "meeting_on"],
                               batch_size=BATCH)
    b.flush()


def _one_draft_with_the_family(requests: list[AssessmentRequest], rng: random.Random,
                               today: date, b: _Builder) -> None:
    """A small area draws few requests, and by chance none may reach the draft: then the
    oldest is made one, so every area shows a step waiting on a family (and its worklist and
    timeline show every kind of wait), whatever the seed and the day."""
    if len(requests) < 3 or any(r.stage == Stage.DRAFT_ISSUED for r in requests):
        return
    oldest = min(requests, key=lambda r: r.received_on)
    oldest.received_on = min(oldest.received_on, today - timedelta(days=130))
    oldest.stage = Stage.DRAFT_ISSUED
    oldest.caseworker = oldest.caseworker or rng.choice(b.caseworkers)


def _requests(b: _Builder, rng: random.Random, today: date, rows: list[tuple]) -> None:
    """Open requests at every stage, received over the last 30 weeks."""
    a = b.a
    dco = a.users.get("dco")
    social = a.social_care[0] if a.social_care else None
    requests = []
    for child_id, _locality, _setting, _dob in rows:
        received = today - timedelta(days=rng.randrange(1, 210))
        age = (today - received).days
        if age < 42:
            stage = rng.choice([Stage.RECEIVED, Stage.RECEIVED, Stage.ASSESSING])
        elif age < 110:
            stage = rng.choice([Stage.RECEIVED, Stage.ASSESSING, Stage.ASSESSING])
        else:
            stage = rng.choice([Stage.ASSESSING, Stage.DRAFTING, Stage.DRAFT_ISSUED])
        requests.append(AssessmentRequest(
            child_id=child_id, requester=rng.choice(["parent", "parent", "school"]),
            requested_by_name=rng.choice(["A parent", "The school SENCO"]), received_on=received,
            reasons="Needs not met by SEN support (demo)", stage=stage,
            caseworker=None if stage == Stage.RECEIVED else rng.choice(b.caseworkers),
            previous_send_status=Child.SendStatus.SEN_SUPPORT,
        ))
    _one_draft_with_the_family(requests, rng, today, b)
    AssessmentRequest.objects.bulk_create(requests, batch_size=BATCH)
    settings = dict(Child.objects.filter(pk__in=[r.child_id for r in requests])
                    .values_list("pk", "setting_id"))
    advice_rows: list[AdviceRequest] = []
    plans: list[Plan] = []
    for r in requests:
        cw = r.caseworker
        b.event(r.child_id, r.received_on, "Request for an EHC needs assessment received",
                request=r)
        exception = "reg 5(4)(c)" if rng.random() < 0.03 else ""
        if r.stage == Stage.RECEIVED:
            b.step(r.child_id, Kind.ASSESSMENT_DECISION, StepStage.REQUEST,
                   "Decide whether to carry out an EHC needs assessment", r.received_on,
                   clock_name="assessment_decision", exception=exception, request=r)
            continue
        decided = r.received_on + timedelta(days=rng.choice([21, 30, 38, 41, 42, 47, 55]))
        decided = min(decided, today)
        b.step(r.child_id, Kind.ASSESSMENT_DECISION, StepStage.REQUEST,
               "Decide whether to carry out an EHC needs assessment", r.received_on,
               clock_name="assessment_decision", done=decided, caseworker=cw, request=r)
        b.event(r.child_id, decided, "The council agreed to carry out an EHC needs assessment",
                request=r)
        final_exception = "reg 10(4)(d)" if rng.random() < 0.04 else ""
        b.step(r.child_id, Kind.FINAL_PLAN, StepStage.FINAL, "Issue the final EHC plan",
               r.received_on, clock_name="final_plan", caseworker=cw,
               exception=final_exception, request=r)
        advisers: list[tuple[str, Organisation | None, User | None]] = [
            ("ep", a.la_teams["ep"], rng.choice(b.eps) if b.eps else None),
            ("health", a.icb, dco), ("social_care", social, None),
        ]
        setting_id = settings.get(r.child_id)
        for kind, org, person in advisers:
            if org is None:
                continue
            given = decided + timedelta(days=rng.choice([20, 30, 38, 42, 45, 60, 75]))
            done = given if (given <= today and (r.stage != Stage.ASSESSING
                                                 or rng.random() < 0.6)) else None
            if r.stage != Stage.ASSESSING:
                done = min(given, today)
            advice = AdviceRequest(
                request=r, kind=kind, organisation=org, adviser=person, sent_on=decided,
                status=AdviceRequest.Status.GIVEN if done else AdviceRequest.Status.REQUESTED,
                needs="Needs (demo)" if done else "", outcomes="Outcomes (demo)" if done else "",
                provision="Provision (demo)" if done else "", given_on=done,
            )
            advice_rows.append(advice)
        if setting_id is not None:
            advice_rows.append(AdviceRequest(
                request=r, kind="education", organisation_id=setting_id, sent_on=decided,
                status=AdviceRequest.Status.GIVEN if r.stage != Stage.ASSESSING
                else AdviceRequest.Status.REQUESTED,
                given_on=min(decided + timedelta(days=25), today)
                if r.stage != Stage.ASSESSING else None,
            ))
        if r.stage == Stage.ASSESSING:
            b.step(r.child_id, Kind.PLAN_DECISION, StepStage.ASSESSMENT,
                   "Decide whether to issue an EHC plan", r.received_on,
                   clock_name="no_plan_notice", caseworker=cw, request=r)
        else:
            plan_decided = min(r.received_on + timedelta(days=rng.randrange(80, 120)), today)
            b.step(r.child_id, Kind.PLAN_DECISION, StepStage.ASSESSMENT,
                   "Decide whether to issue an EHC plan", r.received_on,
                   clock_name="no_plan_notice", done=plan_decided, caseworker=cw, request=r)
            plans.append(Plan(child_id=r.child_id, request=r, caseworker=cw,
                              named_setting_id=setting_id))
    AdviceRequest.objects.bulk_create(advice_rows, batch_size=BATCH)
    _share_with_advisers(advice_rows, today)
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    for advice in advice_rows:
        label = advice.get_kind_display().lower()
        org = advice.organisation if advice.organisation_id and advice.kind != "education" \
            else None
        b.step(advice.request.child_id, Kind.ADVICE, StepStage.ASSESSMENT, f"Give {label}",
               advice.sent_on, clock_name="advice", done=advice.given_on,
               waiting=Waiting.ORGANISATION, org=org, person=advice.adviser,
               caseworker=advice.request.caseworker, request=advice.request, advice=advice)
        if advice.kind == "education":
            b.steps[-1].waiting_on_organisation_id = advice.organisation_id
    versions = []
    for plan in plans:
        request = plan.request
        assert request is not None
        if request.stage == Stage.DRAFT_ISSUED:
            served = min(request.received_on + timedelta(days=rng.randrange(110, 135)), today)
            versions.append(PlanVersion(plan=plan, number=1, kind=PlanVersion.Kind.DRAFT,
                                        served_on=served,
                                        sections={"A": "About me (demo)", "B": "Needs (demo)"}))
            b.step(plan.child_id, Kind.DRAFT_COMMENTS, StepStage.DRAFT,
                   "Comment on the draft plan and name a preferred school or college", served,
                   clock_name="draft_comment_end", waiting=Waiting.FAMILY,
                   caseworker=plan.caseworker, request=request, plan=plan)
    PlanVersion.objects.bulk_create(versions, batch_size=BATCH)
    _family_accounts([plan.child_id for plan in plans
                      if plan.request is not None and plan.request.stage == Stage.DRAFT_ISSUED])
    b.flush()


def _share_with_advisers(advice_rows: list[AdviceRequest], today: date) -> None:
    """What `ehc.actions` records when it asks for advice: each adviser's organisation a
    statutory basis (s.36, reg 6) for as long as the assessment runs, and an involvement (the
    named adviser's, else the team's) where it has none, so the adviser can open the record."""
    child_ids = {a.request.child_id for a in advice_rows}
    involved: set[tuple[Any, int, int | None]] = set(Involvement.objects.filter(
        Involvement.active_q(on=today), child_id__in=child_ids,
    ).values_list("child_id", "organisation_id", "staff_id"))
    made: list[tuple[AdviceRequest, Involvement | None]] = []
    for advice in advice_rows:
        child_id = advice.request.child_id
        key = (child_id, advice.organisation_id, advice.adviser_id)
        involvement = None
        if key not in involved:
            involved.add(key)
            involvement = Involvement(
                child_id=child_id, organisation_id=advice.organisation_id,
                staff_id=advice.adviser_id, role=advice_sharing(advice.get_kind_display())[1],
                start=advice.sent_on,
            )
        made.append((advice, involvement))
    Involvement.objects.bulk_create([i for _a, i in made if i is not None], batch_size=BATCH)
    StatutoryBasis.objects.bulk_create([
        StatutoryBasis(
            child_id=advice.request.child_id, organisation_id=advice.organisation_id,
            basis=StatutoryBasis.Basis.EHC_ASSESSMENT, start=advice.sent_on,
            reason=advice_sharing(advice.get_kind_display())[0], involvement=involvement,
        )
        for advice, involvement in made
    ], batch_size=BATCH)


def _family_accounts(child_ids: list[Any]) -> None:
    """Accounts for the parents of children whose draft plan is with the family: they comment
    on it here (the step waits on them), so someone must be able to sign in and act."""
    adults = {}
    for link in FamilyLink.objects.filter(
        child_id__in=child_ids, parental_responsibility=True, adult__user__isnull=True
    ).select_related("adult").order_by("adult_id"):
        adults[link.adult_id] = link.adult
    users = [User(username=f"family{adult.pk:06d}", first_name=adult.given_name,
                  last_name=adult.family_name,
                  display_name=f"{adult.given_name} {adult.family_name}", password="!")
             for adult in adults.values()]
    User.objects.bulk_create(users, batch_size=BATCH)
    for adult, user in zip(adults.values(), users, strict=True):
        adult.user = user
    Adult.objects.bulk_update(list(adults.values()), ["user"], batch_size=BATCH)


def _kofi(b: _Builder, today: date) -> None:
    """Kofi's whole story: the plan was issued 11 months ago; the annual review is due."""
    a = b.a
    kofi = a.demo_children.get("kofi")
    if kofi is None:
        return
    caseworker, ep, dco = a.users["caseworker"], a.users["ep"], a.users["dco"]
    parent, senco = a.users["parent"], a.users["senco"]
    issued = today - timedelta(days=335)
    received = issued - timedelta(weeks=19)
    decided = received + timedelta(days=37)
    request = AssessmentRequest.objects.create(
        child=kofi, requester="parent", requested_by=parent, requested_by_name=str(parent),
        received_on=received, stage=Stage.FINAL_ISSUED, caseworker=caseworker,
        reasons="Kofi finds school very hard. He is not talking to other children and has "
                "stopped eating at lunchtime. SEN support for two years has not been enough.",
        previous_send_status=Child.SendStatus.SEN_SUPPORT,
    )
    social = a.social_care[0]
    advice_spec = [
        ("ep", a.la_teams["ep"], ep, 36, "Kofi's learning is held back by anxiety and by "
         "difficulty following spoken instructions.", "By the end of Year 5 Kofi will follow a "
         "visual timetable independently.", "Weekly 1:1 with a teaching assistant trained in "
         "autism; a visual timetable; a quiet space."),
        ("health", a.icb, dco, 44, "Autism; poor sleep; limited diet.", "Kofi will sleep "
         "through most nights and eat lunch at school.", "Speech and language therapy, "
         "6 sessions a term; paediatric review for sleep."),
        ("social_care", social, None, 48, "", "", ""),
        ("education", kofi.setting, senco, 30, "Kofi is working below age-related "
         "expectations in literacy.", "Kofi will read a short book with support.", "Daily "
         "phonics in a small group."),
    ]
    for kind, org, person, days, needs, outcomes, provision in advice_spec:
        if org is None:
            continue
        given = decided + timedelta(days=days)
        nil = not needs
        advice = AdviceRequest.objects.create(
            request=request, kind=kind, organisation=org, adviser=person if kind != "education"
            else None, sent_on=decided, status="nil_return" if nil else "given",
            needs=needs, outcomes=outcomes, provision=provision, given_on=given,
            given_by=person,
            nil_reason="Kofi is known to early help only; no social care needs arise from his "
                       "SEN." if nil else "",
        )
        b.step(kofi.pk, Kind.ADVICE, StepStage.ASSESSMENT,
               f"Give {advice.get_kind_display().lower()}", decided, clock_name="advice",
               done=given, waiting=Waiting.ORGANISATION, org=org,
               person=advice.adviser, caseworker=caseworker, request=request, advice=advice)
        what = "had nothing to add" if nil else "gave"
        b.event(kofi.pk, given, f"{org} {what} {advice.get_kind_display().lower()}",
                request=request)
    plan = Plan.objects.create(child=kofi, request=request, status=Plan.Status.ACTIVE,
                               issued_on=issued, named_setting=kofi.setting,
                               caseworker=caseworker)
    draft_on = received + timedelta(days=112)
    sections = assemble_draft(request)
    draft = PlanVersion.objects.create(plan=plan, number=1, kind=PlanVersion.Kind.DRAFT,
                                       sections=sections, served_on=draft_on, made_by=caseworker)
    DraftResponse.objects.create(version=draft, comments="Please add the quiet space at "
                                 "lunchtime.", preferred_setting=str(kofi.setting), by=parent,
                                 on=draft_on + timedelta(days=9))
    SignOff.objects.create(version=draft, area="health", organisation=a.icb,
                           status="signed_off", by=dco, on=draft_on + timedelta(days=8))
    sections = dict(sections)
    sections["F"] += "\n\nA quiet space at lunchtime, every day."
    # Kofi's school was consulted before it was named (CFA s.39(2)); every section is written.
    assert kofi.setting is not None
    Consultation.objects.create(plan=plan, setting=kofi.setting,
                                sent_on=draft_on + timedelta(days=10),
                                response=Consultation.Response.CAN_MEET_NEEDS,
                                responded_on=draft_on + timedelta(days=18))
    plan.setting_type = SettingType.MAINSTREAM
    plan.save(update_fields=["setting_type"])
    sections["I"] = placement_text(kofi.setting, plan.setting_type)
    sections["J"] = sections.get("J") or "No personal budget was asked for."
    for key, _title in PLAN_SECTIONS:
        if not sections.get(key, "").strip():
            sections[key] = "Nothing was identified for this section in the assessment."
    PlanVersion.objects.create(plan=plan, number=2, kind=PlanVersion.Kind.FINAL,
                               sections=sections, served_on=issued, made_by=caseworker,
                               named_setting_name=str(kofi.setting))
    for kind, stage, title, clock_name, start, done in [
        (Kind.ASSESSMENT_DECISION, StepStage.REQUEST,
         "Decide whether to carry out an EHC needs assessment", "assessment_decision",
         received, decided),
        (Kind.PLAN_DECISION, StepStage.ASSESSMENT, "Decide whether to issue an EHC plan",
         "no_plan_notice", received, draft_on - timedelta(days=6)),
        (Kind.DRAFT_COMMENTS, StepStage.DRAFT,
         "Comment on the draft plan and name a preferred school or college",
         "draft_comment_end", draft_on, draft_on + timedelta(days=9)),
        (Kind.FINAL_PLAN, StepStage.FINAL, "Issue the final EHC plan", "final_plan", received,
         issued),
    ]:
        b.step(kofi.pk, kind, stage, title, start, clock_name=clock_name, done=done,
               waiting=Waiting.FAMILY if kind == Kind.DRAFT_COMMENTS else Waiting.LOCAL_AUTHORITY,
               caseworker=caseworker, request=request, plan=plan)
    b.step(kofi.pk, Kind.SIGN_OFF, StepStage.DRAFT, "Sign off health (sections C and G)",
           draft_on, clock_name="draft_comment_end", done=draft_on + timedelta(days=8),
           waiting=Waiting.ORGANISATION, org=a.icb, caseworker=caseworker, request=request,
           plan=plan)
    for on, summary in [
        (received, "Request for an EHC needs assessment received from Amara Mensah"),
        (decided, "The council agreed to carry out an EHC needs assessment"),
        (draft_on - timedelta(days=6), "The council decided to issue an EHC plan"),
        (draft_on, "The council sent the draft EHC plan"),
        (draft_on + timedelta(days=8), f"{a.icb}: signed off for health (sections C and G)"),
        (draft_on + timedelta(days=9), "The family commented on the draft plan"),
        (issued, "The council issued the final EHC plan"),
    ]:
        b.event(kofi.pk, on, summary, request=request, plan=plan)
    Decision.objects.create(child=kofi, request=request, kind=Decision.Kind.ASSESS,
                            decided_by=caseworker, notice_sent_on=decided)
    Decision.objects.create(child=kofi, request=request, plan=plan,
                            kind=Decision.Kind.FINAL_PLAN, decided_by=caseworker,
                            notice_sent_on=issued,
                            appeal_deadline=clock.due("appeal_deadline", issued))
    due_by = clock.due("annual_review", issued)
    assert due_by is not None
    transfer = transfer_for(kofi, issued)
    review = Review.objects.create(plan=plan, child=kofi, due_by=due_by,
                                   transfer_type=transfer[0] if transfer else "",
                                   transfer_year=transfer[1] if transfer else None)
    b.step(kofi.pk, Kind.ANNUAL_REVIEW, StepStage.REVIEW, "Hold the annual review", issued,
           clock_name="annual_review", caseworker=caseworker, plan=plan, review=review)
    b.flush()


def generate(area: Area) -> None:
    rng = area.rng
    today = area.today
    b = _Builder(area)
    if not b.caseworkers:
        return
    demo_ids = {c.pk for c in area.demo_children.values()}
    base = Child.objects.filter(local_authority=area.local_authority).exclude(pk__in=demo_ids)
    fields = ("pk", "locality_id", "setting_id", "date_of_birth")
    # The demo accounts' children with a plan have one too, as any child does (Kofi's, with
    # his whole story, below).
    kofi = area.demo_children.get("kofi")
    with_plans = Child.objects.filter(Q(pk__in=base.values("pk")) | Q(pk__in=demo_ids),
                                      local_authority=area.local_authority,
                                      send_status=Child.SendStatus.EHC_PLAN)
    if kofi is not None:
        with_plans = with_plans.exclude(pk=kofi.pk)
    plan_rows = list(with_plans.order_by("pk").values_list(*fields))
    request_rows = list(base.filter(send_status=Child.SendStatus.ASSESSMENT).order_by("pk")
                        .values_list(*fields))
    _kofi(b, today)
    area.progress(f"ehc: {len(plan_rows)} plans")
    _plans(b, rng, today, plan_rows)
    area.progress(f"ehc: {len(request_rows)} open requests")
    _requests(b, rng, today, request_rows)
    # The steps were written in bulk, not through the actions that keep the measures' counts.
    recount_all_done_steps()
