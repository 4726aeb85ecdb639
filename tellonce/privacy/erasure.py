"""Erasing a child's record (UK GDPR Article 17, and the end of its retention period).

Everything held about the child is deleted, except the audit log, which no one may change;
the child's own row stays as a tombstone with no personal data, so the audit rows (which
name the child only by the record's random identifier) keep pointing at something and the
audit chain still verifies. The erasure itself is one more audit row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from tellonce.access import audit
from tellonce.access.models import AuditEvent
from tellonce.people.models import Child, User
from tellonce.privacy import inventory

ERASED_GIVEN_NAME = "Erased"
ERASED_FAMILY_NAME = "record"
BASIS = "UK GDPR Article 17 (erasure) or end of the retention period"


class AlreadyErased(Exception):
    pass


@dataclass(frozen=True)
class Erasure:
    child_id: str
    deleted: dict[str, int]
    files: int


def _file_names(holdings: dict[str, inventory.Holding]) -> list[str]:
    names: list[str] = []
    for holding in holdings.values():
        file_fields = [f.name for f in holding.model._meta.concrete_fields
                       if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        rows = holding.model._base_manager.filter(pk__in=holding.pks).values_list(*file_fields)
        names += [name for row in rows for name in row if name]
    return names


def _delete_all(holdings: dict[str, inventory.Holding]) -> dict[str, int]:
    """Delete every holding but the audit log. Deepest first; a model whose rows another
    still protects is tried again after the others (each attempt in its own savepoint)."""
    pending = sorted(
        (h for h in holdings.values() if h.model is not AuditEvent),
        key=lambda h: -h.depth,
    )
    deleted: dict[str, int] = {}
    while pending:
        left = []
        for holding in pending:
            try:
                with transaction.atomic():
                    _, per_model = holding.model._base_manager.filter(pk__in=holding.pks).delete()
            except ProtectedError:
                left.append(holding)
                continue
            for label, count in per_model.items():
                deleted[label.lower()] = deleted.get(label.lower(), 0) + count
        if len(left) == len(pending):
            names = ", ".join(h.label for h in left)
            raise RuntimeError(f"Erasure could not delete {names}: something else protects them")
        pending = left
    return deleted


def _forget_young_persons_account(user: User, child: Child) -> None:
    """The young person's own account goes with the record: it can no longer sign in, and
    it keeps no name or email (audit rows refer to it by id)."""
    user.username = f"erased-{child.pk.hex[:20]}"
    user.first_name = user.last_name = user.display_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def erase_child(by: User | None, child: Child, reason: str, rule: str = "") -> Erasure:
    """Erase one child's record, in one transaction, and write the audit row for it."""
    from tellonce.ehc import pdf  # cached plan PDFs hold the plan's text

    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        if child.erased_at is not None:
            raise AlreadyErased(f"The record {child.pk} was erased on {child.erased_at:%d %B %Y}")
        holdings = inventory.collect(child)
        files = _file_names(holdings)
        versions = holdings.get("ehc.planversion")
        version_ids = sorted(versions.pks) if versions else []
        deleted = _delete_all(holdings)
        young_person = child.user
        child.given_name, child.family_name = ERASED_GIVEN_NAME, ERASED_FAMILY_NAME
        child.preferred_name = ""
        child.nhs_number = child.upn = None
        # The year of birth alone, kept for the area's counts by age; the day is personal.
        child.date_of_birth = date(child.date_of_birth.year, 1, 1)
        child.send_status = Child.SendStatus.NONE
        child.primary_need = ""
        child.setting = None
        child.user = None
        child.parent_access = Child.ParentAccess.ALLOWED
        child.erased_at = timezone.now()
        child.save()
        if young_person is not None:
            _forget_young_persons_account(young_person, child)
        audit.record(
            by, child, audit.Action.ERASE, "Record erased", BASIS,
            reason=reason[:500], rule=rule, deleted=deleted, files=len(files),
        )

        def remove_files() -> None:
            for name in files:
                default_storage.delete(name)
            pdf.forget_versions(version_ids)

        transaction.on_commit(remove_files)
    return Erasure(str(child.pk), deleted, len(files))
