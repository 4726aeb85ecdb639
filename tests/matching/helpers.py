"""Building small feed deliveries by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

from tellonce.feeds.actions import do_save_delivery
from tellonce.feeds.formats import FORMATS
from tellonce.feeds.imports import Row
from tellonce.feeds.models import Delivery, FeedKind


def deliver(world, rows: list[dict[str, Any]], kind: str = FeedKind.HEALTH_CASELOAD,  # type: ignore[no-untyped-def]
            sender=None) -> Delivery:
    spec = FORMATS[kind]
    made = []
    for n, values in enumerate(rows, start=2):
        made.append(Row(
            row=n, given_name=values["given"], family_name=values["family"],
            date_of_birth=values["dob"], sex=values.get("sex", ""),
            postcode=values.get("postcode", ""), upn=values.get("upn", ""),
            nhs_number=values.get("nhs", ""), setting=values.get("setting"),
            facts=values.get("facts", {"service": "Community paediatrics"}),
        ))
    return do_save_delivery(world.users["dataofficer"], spec, sender or world.slt,
                            "Trust system", world.la, "caseload.csv", made)


def swap_day_month(d: date) -> date:
    return date(d.year, d.day, d.month)
