"""A referral in plain English for the family: where it is, how long, what happens next."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from tellonce.health.models import Referral
from tellonce.health.queues import ReferralForecast

Status = Referral.Status

STAGES = [
    ("received", "Referral received"),
    ("decided", "Decision on the referral"),
    ("waiting", "Waiting for a first appointment"),
    ("seen", "First appointment"),
    ("assessed", "Assessment completed"),
    ("discharged", "Discharged"),
]


def weeks_text(weeks: float) -> str:
    whole = max(1, round(weeks))
    return "1 week" if whole == 1 else f"{whole} weeks"


def waited_text(days: int) -> str:
    if days < 7:
        return "less than a week" if days else "since today"
    weeks = days // 7
    if weeks < 9:
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    months = round(days / 30.44)
    return f"{weeks} weeks (about {months} months)"


@dataclass(frozen=True)
class Stage:
    label: str
    done: bool
    current: bool
    on: date | None


def stages(referral: Referral) -> list[Stage]:
    r = referral
    reached = {
        "received": r.received_on,
        "decided": r.triage_decision_on,
        "waiting": r.triage_decision_on if r.status != Status.AWAITING_TRIAGE else None,
        "seen": r.first_seen_on,
        "assessed": r.assessment_completed_on,
        "discharged": r.discharged_on,
    }
    if r.status in (Status.DECLINED, Status.REDIRECTED):
        keys = ["received", "decided"]
    else:
        keys = [key for key, _ in STAGES]
    current_key = {
        Status.AWAITING_TRIAGE: "decided",
        Status.WAITING: "seen",
        Status.IN_ASSESSMENT: "assessed",
        Status.ASSESSED: "discharged",
    }.get(Status(r.status), "")
    labels = dict(STAGES)
    return [
        Stage(labels[key], reached[key] is not None and key != current_key,
              key == current_key, reached[key])
        for key in keys
    ]


def where_it_is(referral: Referral) -> str:
    r, name = referral, referral.child.full_name
    provider = r.pathway.provider.name
    if r.status == Status.AWAITING_TRIAGE:
        return (f"{provider} has the referral. A clinician has not yet decided whether the "
                f"service is the right one for {name}.")
    if r.status == Status.WAITING:
        text = f"The referral was accepted. {name} is on the waiting list for a first appointment."
        if r.first_appointment_on:
            text += f" The first appointment is booked for {r.first_appointment_on:%-d %B %Y}."
        return text
    if r.status == Status.IN_ASSESSMENT:
        return (f"{name} was first seen on {r.first_seen_on:%-d %B %Y}. The assessment or "
                "therapy is under way.")
    if r.status == Status.ASSESSED:
        return f"The assessment was completed on {r.assessment_completed_on:%-d %B %Y}."
    if r.status == Status.DECLINED:
        return f"The referral was not accepted. The reason given: {r.decline_reason}"
    if r.status == Status.REDIRECTED:
        return f"The referral was sent to {r.redirected_to}, which is better placed to help."
    return (f"{name} was discharged on {r.discharged_on:%-d %B %Y}"
            f" ({r.get_discharge_reason_display().lower()}).")


def how_long(referral: Referral, today: date) -> str:
    r = referral
    if r.left_list_on is not None:
        if r.first_seen_on:
            waited = waited_text((r.first_seen_on - r.received_on).days)
            return f"{r.child.full_name} waited {waited} from referral to first appointment."
        return f"The referral was open for {waited_text((r.left_list_on - r.received_on).days)}."
    return (f"You have waited {waited_text((today - r.received_on).days)} since the referral "
            f"was received on {r.received_on:%-d %B %Y}.")


def needs_forecast(referral: Referral) -> bool:
    """Whether the family is shown a forecast of the wait (see expected_wait)."""
    return (referral.is_waiting and referral.status == Status.WAITING
            and referral.first_appointment_on is None)


def expected_wait(forecast: ReferralForecast | None, referral: Referral) -> list[str]:
    """Sentences about the expected wait, or an honest 'we cannot say'. A wait is forecast
    only for an accepted referral with no appointment yet: before the decision the referral
    may not be accepted at all, and once an appointment is booked its date is the answer."""
    if not referral.is_waiting:
        return []
    if referral.status == Status.AWAITING_TRIAGE:
        return [f"The service first decides whether it is the right one for "
                f"{referral.child.full_name}. We will show how long the wait is likely to be "
                "once the service accepts the referral."]
    if referral.first_appointment_on:
        return [f"The first appointment is booked for {referral.first_appointment_on:%-d %B %Y}"
                ". If you cannot go, contact the service as soon as you can."]
    if forecast is None:
        return ["We cannot estimate the wait yet: no child has left this waiting list in the "
                "last six months, so there is nothing to go on. Ask the service."]
    children = "child" if forecast.ahead == 1 else "children"
    lines = [
        f"There {'is' if forecast.ahead == 1 else 'are'} {forecast.ahead} {children} ahead on "
        "the list.",
        f"Most likely wait from today to the first appointment: about "
        f"{weeks_text(forecast.median_weeks)} (around {forecast.median_date:%B %Y}).",
    ]
    if math.isfinite(forecast.high_weeks):
        lines.append(
            f"8 in 10 children in this place on the list are seen between "
            f"{weeks_text(forecast.low_weeks)} and {weeks_text(forecast.high_weeks)} from now "
            f"({forecast.low_date:%B %Y} to {forecast.high_date:%B %Y})."
        )
    else:
        lines.append(f"It could be much longer: at the slowest rate seen recently we cannot "
                     f"put an upper limit on it. It is unlikely to be sooner than "
                     f"{weeks_text(forecast.low_weeks)}.")
    lines.append("This is worked out from how many children the service has seen each week "
                 "over the last six months. It changes if the service sees more or fewer "
                 "children, or if a child's needs mean they are seen sooner.")
    return lines
