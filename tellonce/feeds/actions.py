"""Saving a checked feed file: the delivery and its rows, in one transaction."""

from __future__ import annotations

from django.db import transaction

from tellonce.feeds.formats import Format
from tellonce.feeds.imports import Row
from tellonce.feeds.models import Delivery, FeedRecord
from tellonce.people.models import Organisation, User


@transaction.atomic
def do_save_delivery(user: User, spec: Format, sender: Organisation, sent_by: str,
                     local_authority: Organisation, filename: str,
                     rows: list[Row]) -> Delivery:
    """Keep the file's rows as sent, with who sent it and who brought it in. The rows name
    no child yet: matching (tellonce/matching/actions.py) links them, and audits each link."""
    if not rows:
        raise ValueError("A delivery needs its checked rows")
    delivery = Delivery.objects.create(
        kind=spec.kind, sender=sender, sent_by=sent_by, local_authority=local_authority,
        filename=filename[:255], received_by=user, rows=len(rows),
    )
    FeedRecord.objects.bulk_create([
        FeedRecord(delivery=delivery, row=r.row, given_name=r.given_name,
                   family_name=r.family_name, date_of_birth=r.date_of_birth, sex=r.sex,
                   postcode=r.postcode, upn=r.upn, nhs_number=r.nhs_number,
                   setting=r.setting, facts=r.facts)
        for r in rows
    ], batch_size=2000)
    return delivery
