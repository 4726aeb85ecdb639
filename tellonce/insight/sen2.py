"""The SEN2 return built from the record: the stock of plans active on census day and the
flow of the calendar year before, person by person, written as XML as it is read.

Memory stays bounded: children are read in chunks by id (a few queries a chunk), each person
is written and forgotten (xml.sax.saxutils.XMLGenerator). Validation walks the same persons
and lists every record that would fail a rule, with the link to fix it. The summary's 20-week
percentages are `timeliness.twenty_week_cases`, the scorecard's own computation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO, Any
from xml.sax.saxutils import XMLGenerator

from django.db.models import Q
from django.urls import reverse

from tellonce.ehc.models import AppealEvent, AssessmentRequest, Decision, Plan, Review, Step
from tellonce.insight import sen2_spec as spec
from tellonce.insight import timeliness
from tellonce.insight.indicators import Scope
from tellonce.insight.models import Characteristics
from tellonce.people.models import Child, Organisation

CHUNK = 500


@dataclass
class Problem:
    child_id: str
    rule: str
    message: str

    @property
    def link(self) -> str:
        return reverse("ehc:timeline", args=[self.child_id])


@dataclass
class Person:
    child: dict[str, Any]
    items: list[tuple[str, Any]]  # element name, text or nested list
    problems: list[Problem] = field(default_factory=list)


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _in_scope(la: Organisation, census: date) -> Q:
    start, end = spec.flow_year(census)
    return (
        Q(ehc_requests__received_on__lte=end, ehc_requests__received_on__gte=start)
        | Q(ehc_requests__stage__in=AssessmentRequest.OPEN_STAGES,
            ehc_requests__received_on__lte=census)
        | Q(ehc_plans__issued_on__lte=census, ehc_plans__ceased_on__isnull=True)
        | Q(ehc_plans__issued_on__lte=census, ehc_plans__ceased_on__gte=start)
    )


def child_ids(la: Organisation, census: date) -> Iterator[str]:
    """The people in the return, in id order, a chunk's worth of ids at a time."""
    ids = (Child.objects.filter(_in_scope(la, census), local_authority=la, erased_at__isnull=True)
           .order_by("pk").values_list("pk", flat=True).distinct())
    last = None
    while True:
        page = ids if last is None else ids.filter(pk__gt=last)
        chunk = list(page[:CHUNK])
        if not chunk:
            return
        yield from (str(i) for i in chunk)
        last = chunk[-1]


def _chunks(la: Organisation, census: date) -> Iterator[list[str]]:
    chunk: list[str] = []
    for pk in child_ids(la, census):
        chunk.append(pk)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def persons(la: Organisation, census: date) -> Iterator[Person]:
    start, _end = spec.flow_year(census)
    for chunk in _chunks(la, census):
        children = {str(c["pk"]): c for c in Child.objects.filter(pk__in=chunk).values(
            "pk", "given_name", "family_name", "date_of_birth", "upn", "primary_need",
            "setting__code", "setting__kind")}
        extra = {str(c.child_id): c for c in Characteristics.objects.filter(child_id__in=chunk)}
        requests: dict[str, list[AssessmentRequest]] = defaultdict(list)
        for r in AssessmentRequest.objects.filter(child_id__in=chunk, received_on__lte=census
                                                  ).order_by("received_on", "pk"):
            requests[str(r.child_id)].append(r)
        decisions: dict[int, list[Decision]] = defaultdict(list)
        for dec in Decision.objects.filter(child_id__in=chunk, request__isnull=False):
            decisions[dec.request_id].append(dec)  # type: ignore[index]
        appealed = set(AppealEvent.objects.filter(
            decision__child_id__in=chunk, kind=AppealEvent.Kind.APPEAL_REGISTERED
        ).values_list("decision_id", flat=True))
        mediated = set(AppealEvent.objects.filter(
            decision__child_id__in=chunk, kind=AppealEvent.Kind.MEDIATION_HELD
        ).values_list("decision_id", flat=True))
        exceptions: dict[int | None, str] = dict(Step.objects.filter(
            child_id__in=chunk, kind=Step.Kind.FINAL_PLAN).values_list("request_id", "exception"))
        plans: dict[int | None, Plan] = {}
        historical: dict[str, list[Plan]] = defaultdict(list)  # plans with no request held
        for plan in Plan.objects.filter(child_id__in=chunk).select_related("named_setting"):
            if plan.request_id is None:
                historical[str(plan.child_id)].append(plan)
            else:
                plans[plan.request_id] = plan
        reviews: dict[int, Review] = {}
        for rv in Review.objects.filter(child_id__in=chunk, meeting_on__isnull=False,
                                        meeting_on__gte=start, meeting_on__lte=census
                                        ).order_by("meeting_on"):
            reviews[rv.plan_id] = rv  # the latest meeting in the year
        for pk in chunk:
            yield _person(
                children[pk], extra.get(pk),  # type: ignore[arg-type]
                requests[pk], decisions, appealed, mediated, exceptions, plans, reviews, census,
                historical[pk])


def _person(child: dict[str, Any], extra: Characteristics | None,
            requests: list[AssessmentRequest], decisions: dict[int, list[Decision]],
            appealed: set[int], mediated: set[int], exceptions: dict[int | None, str],
            plans: dict[int | None, Plan], reviews: dict[int, Review],
            census: date, historical: list[Plan]) -> Person:
    pk = str(child["pk"])
    problems: list[Problem] = []
    born: date = child["date_of_birth"]
    age = census.year - born.year - ((census.month, census.day) < (born.month, born.day))
    items: list[tuple[str, Any]] = [
        ("Surname", child["family_name"]), ("Forename", child["given_name"]),
        ("PersonBirthDate", _d(born)),
        ("Sex", extra.sex if extra else ""), ("Ethnicity", extra.ethnicity if extra else ""),
    ]
    if child["upn"]:
        items.append(("UPN", child["upn"]))
    elif age < 6:
        items.append(("UPNunknown", "UN1"))
    else:
        problems.append(Problem(pk, "upn", "No UPN and no reason it is unknown (UPNunknown)"))
    if not (extra and extra.sex):
        problems.append(Problem(pk, "sex", "No sex recorded (Person item 1.4)"))
    if not 0 <= age <= 25:
        problems.append(Problem(pk, "age", f"Aged {age} on census day: outside 0 to 25"))
    for request in requests:
        items.append(("Requests", _request(request, decisions.get(request.pk, []), appealed,
                                           mediated, exceptions, plans, reviews, census,
                                           child, problems)))
    for plan in historical:
        if plan.issued_on is None or plan.issued_on > census:
            continue
        # A plan whose request the record does not hold (made before the record, or
        # transferred in): the request and assessment are historical (H), as SEN2 records them.
        module: list[tuple[str, Any]] = [("RequestOutcome", "H"), ("Assessment", [
            ("AssessmentOutcome", "H"), ("Week20", 0),
            ("NamedPlan", _named_plan(plan, census, child, problems))])]
        if plan.ceased_on is None or plan.ceased_on > census:
            module.append(("ActivePlans", _active(plan, reviews.get(plan.pk), child, problems)))
        items.append(("Requests", module))
    return Person(child, items, problems)


def _request(request: AssessmentRequest, decisions: list[Decision], appealed: set[int],
             mediated: set[int], exceptions: dict[int | None, str],
             plans: dict[int | None, Plan], reviews: dict[int, Review], census: date,
             child: dict[str, Any], problems: list[Problem]) -> list[tuple[str, Any]]:
    pk = str(child["pk"])
    by_kind = {d.kind: d for d in decisions if d.notice_sent_on <= census}
    items: list[tuple[str, Any]] = [
        ("ReceivedDate", _d(request.received_on)),
        ("RequestSource", spec.REQUEST_SOURCE.get(request.requester, "")),
    ]
    refuse = by_kind.get(Decision.Kind.REFUSE_ASSESSMENT)
    assess = by_kind.get(Decision.Kind.ASSESS)
    if assess is not None:
        outcome, decided = spec.REQUEST_OUTCOME["assess"], assess.notice_sent_on
    elif refuse is not None:
        outcome, decided = spec.REQUEST_OUTCOME["refuse"], refuse.notice_sent_on
    elif request.stage == AssessmentRequest.Stage.WITHDRAWN:
        outcome, decided = spec.REQUEST_OUTCOME["withdrawn"], None
    else:
        outcome, decided = spec.REQUEST_OUTCOME["pending"], None
    items += [("RequestOutcomeDate", _d(decided)), ("RequestOutcome", outcome)]
    if refuse is not None:
        items += [("RequestMediation", int(refuse.pk in mediated)),
                  ("RequestTribunal", int(refuse.pk in appealed))]
    if outcome != "Y":
        return items
    plan = plans.get(request.pk)
    not_issue = by_kind.get(Decision.Kind.NOT_ISSUE)
    assessment: list[tuple[str, Any]] = []
    if plan is not None and plan.issued_on is not None and plan.issued_on <= census:
        assessment += [("AssessmentOutcome", "Y"), ("AssessmentOutcomeDate", _d(plan.issued_on))]
    elif plan is not None or Decision.Kind.ISSUE in by_kind:
        assessment += [("AssessmentOutcome", "Y")]  # to be issued: no date yet (SEN2 guide)
    elif not_issue is not None:
        assessment += [("AssessmentOutcome", "N"),
                       ("AssessmentOutcomeDate", _d(not_issue.notice_sent_on)),
                       ("AssessmentMediation", int(not_issue.pk in mediated)),
                       ("AssessmentTribunal", int(not_issue.pk in appealed))]
    elif request.stage == AssessmentRequest.Stage.WITHDRAWN:
        assessment += [("AssessmentOutcome", "W")]
    else:
        assessment += [("AssessmentOutcome", "A")]
    assessment.append(("Week20", 1 if exceptions.get(request.pk) else 0))
    if plan is not None and plan.issued_on is not None and plan.issued_on <= census:
        assessment.append(("NamedPlan", _named_plan(plan, census, child, problems)))
    items.append(("Assessment", assessment))
    if (plan is not None and plan.issued_on is not None and plan.issued_on <= census
            and (plan.ceased_on is None or plan.ceased_on > census)):
        items.append(("ActivePlans", _active(plan, reviews.get(plan.pk), child, problems)))
    if outcome == "Y" and decided is None:
        problems.append(Problem(pk, "outcome_date", "Request outcome Y without its date"))
    return items


def _setting(plan: Plan) -> list[tuple[str, Any]]:
    if plan.named_setting is not None and plan.named_setting.code:
        return [("URN", plan.named_setting.code)]
    if plan.eotas or plan.setting_type == "eotas":
        return [("SENsetting", "OLA")]
    if plan.setting_type:
        return [("SENsetting", "OTH"), ("SENsettingOther", plan.get_setting_type_display())]
    return []


def _named_plan(plan: Plan, census: date, child: dict[str, Any],
                problems: list[Problem]) -> list[tuple[str, Any]]:
    pk = str(child["pk"])
    items: list[tuple[str, Any]] = [("StartDate", _d(plan.issued_on))]
    if plan.ceased_on is not None and plan.ceased_on <= census:
        items.append(("CeaseDate", _d(plan.ceased_on)))
        problems.append(Problem(pk, "cease_reason", "Plan ceased with no cease reason recorded"))
    setting = _setting(plan)
    if setting:
        items.append(("PlanDetail", [*setting, ("PlacementRank", 1)]))
    return items


def _active(plan: Plan, review: Review | None, child: dict[str, Any],
            problems: list[Problem]) -> list[tuple[str, Any]]:
    pk = str(child["pk"])
    items: list[tuple[str, Any]] = []
    if review is not None:
        items.append(("ReviewMeeting", _d(review.meeting_on)))
        if review.outcome:
            items.append(("ReviewOutcome", spec.REVIEW_OUTCOME.get(review.outcome, "")))
        if review.decision_notice_on:
            items.append(("LastReview", _d(review.decision_notice_on)))
    placement = _setting(plan)
    if not placement and child["setting__code"]:
        placement = [("URN", child["setting__code"])]
    if placement:
        items.append(("PlacementDetail", [*placement, ("PlacementRank", 1)]))
    else:
        problems.append(Problem(pk, "placement", "Active plan with no placement on census day"))
    need = child["primary_need"]
    if need in spec.SEN_TYPES:
        items.append(("SENneed", [("SENtype", need), ("SENtypeRank", 1)]))
    else:
        problems.append(Problem(pk, "sen_type", "Active plan with no valid primary need (SENtype)"))
    return items


# ----- writing -----


def _write(xml: XMLGenerator, items: list[tuple[str, Any]]) -> None:
    for name, value in items:
        xml.startElement(name, {})  # type: ignore[arg-type]
        if isinstance(value, list):
            _write(xml, value)
        else:
            xml.characters(str(value))
        xml.endElement(name)


@dataclass
class Written:
    persons: int = 0
    problems: list[Problem] = field(default_factory=list)


def write_xml(la: Organisation, census: date, out: IO[str], *,
              on_person: Any = None) -> Written:
    """Write the return to `out` as it is built. `on_person(n)` is called after each person
    (progress output)."""
    result = Written()
    xml = XMLGenerator(out, encoding="utf-8",  # type: ignore[arg-type]
                       short_empty_elements=True)
    xml.startDocument()
    xml.startElement("Message", {})  # type: ignore[arg-type]
    _write(xml, [("Header", [
        ("Collection", "SEN2"), ("Year", census.year), ("ReferenceDate", _d(census)),
        ("SourceLevel", "L"), ("LEA", la.code), ("DateTime", date.today().isoformat()),
    ])])
    xml.startElement("Persons", {})  # type: ignore[arg-type]
    for person in persons(la, census):
        _write(xml, [("Person", person.items)])
        result.persons += 1
        result.problems.extend(person.problems)
        if on_person is not None:
            on_person(result.persons)
    xml.endElement("Persons")
    xml.endElement("Message")
    xml.endDocument()
    return result


def validate(la: Organisation, census: date) -> list[Problem]:
    return [p for person in persons(la, census) for p in person.problems]


@dataclass
class Summary:
    persons: int
    requests_in_year: int
    plans_issued_in_year: int
    active_plans: int
    within_incl: tuple[int, int]
    within_excl: tuple[int, int]

    @staticmethod
    def pct(pair: tuple[int, int]) -> str:
        return f"{100 * pair[0] / pair[1]:.1f}%" if pair[1] else "no plans"


def summary(la: Organisation, census: date, persons_written: int) -> Summary:
    """The counts and the 20-week percentages of the flow year, by the scorecard's function."""
    start, end = spec.flow_year(census)
    scope = Scope((la.pk,))
    incl = timeliness.twenty_week_cases(scope, start, end, excluding_exceptions=False)
    excl = timeliness.twenty_week_cases(scope, start, end, excluding_exceptions=True)
    plans = Plan.objects.filter(child__local_authority=la, issued_on__isnull=False)
    return Summary(
        persons=persons_written,
        requests_in_year=AssessmentRequest.objects.filter(
            child__local_authority=la, received_on__gte=start, received_on__lte=end).count(),
        plans_issued_in_year=plans.filter(issued_on__gte=start, issued_on__lte=end).count(),
        active_plans=plans.filter(issued_on__lte=census).exclude(ceased_on__lte=census).count(),
        within_incl=(sum(c.value for c in incl), len(incl)),
        within_excl=(sum(c.value for c in excl), len(excl)),
    )
