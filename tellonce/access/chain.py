"""The audit log as a hash chain: each row's hash covers its content and the previous row's hash.

A row changed, removed or slipped in behind the application's back (with the database's own
tools, past the triggers) no longer verifies: `manage.py verify_audit` walks the chain in
`sequence` order and names the first row that does not.

Rows are sealed at commit. `append` writes the event in the caller's transaction with no
sequence or hash yet (and a salt), and asks for `seal_committed` to run once that transaction
has committed (`transaction.on_commit`). Sealing is a short transaction of its own: it takes
the one head row (AuditChainHead: its row lock on PostgreSQL, the write lock on SQLite), gives
every committed row still without a sequence the next numbers in id order, links each to the
one before it, and moves the head. Only that short transaction queues at the head, not the
request that wrote the row: before, a request held the head from its first audit row to its
commit, and every audited request in the server waited for the one ahead of it to finish
rendering its page (signed-in p95 522 ms at 50 users; see docs/deploying.md).

Order. A sealer sees only committed rows, so a row is never sealed before one committed
ahead of it was: a transaction that commits first is sealed first, and one that began after
another committed always comes after it (its row's id is higher, and whichever sealer takes
it takes the earlier one too, if it is still waiting). Two transactions that both commit
before either's sealer runs are sealed in id order (nothing observable orders them).
Sealers queue at the head, and each re-reads what is unsealed after taking it (READ
COMMITTED re-reads; SQLite has one writer), so no row is sealed twice and no sequence is
reused. A rolled-back transaction leaves no row and so no gap.

Nothing is lost if the process stops between a commit and its seal: the row waits, unsealed,
for the next seal (the next audited request's, `verify_audit`'s, or the end of `migrate`),
which takes every waiting row. The database lets only that change through: an audit row may
be updated once, from no sequence to a sequence and hash (and a salt if it had none), every
other column unchanged (tellonce/access/append_only.py); on PostgreSQL the application's role
may UPDATE only those three columns (tellonce/access/db_roles.py). A sealed row is never
updated again. Between its commit and its seal a row is protected by the triggers and the
roles, not yet by the chain: that window is the time between two statements.

What is hashed is a canonical serialisation (JSON, sorted keys, no spaces) of the row:
its sequence, time (UTC, microseconds), the user's id, the actor as described, the child's
key, the action, subject and basis, and a salted digest of `detail`. The child's key is the
record's random UUID, a pseudonym that carries no personal data, so the chain never holds a
child's name or NHS number. The audit's own personal data (search terms in `detail`) enter
only through the digest: erasing them can replace `detail` by {ERASED: digest} and clear
the salt, and the row still verifies (see `detail_digest`); without the salt the digest
cannot be turned back into the words.

Rows written without `append` (a data migration's bulk insert through the historical model)
are sealed the same way, by the end of `migrate`. Everything here uses the table by name, so
a migration can call it with historical models.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connections, transaction

EVENTS = "access_auditevent"
HEAD = "access_auditchainhead"
GENESIS = "0" * 64  # the "previous hash" of the first row
ERASED = "erased_detail_digest"  # detail = {ERASED: digest} once erasure has removed it


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _as_stored(detail: Any) -> Any:
    """The detail as it reads back from the database: JSON types only, keys as strings."""
    return json.loads(json.dumps(detail))


def detail_digest(detail: Any, salt: str) -> str:
    """The salted digest of an event's detail, or the digest kept when it was erased."""
    if not salt and isinstance(detail, dict) and set(detail) == {ERASED}:
        return str(detail[ERASED])
    return hashlib.sha256((salt + canonical(_as_stored(detail))).encode()).hexdigest()


def _utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def content(event: Any) -> dict[str, Any]:
    """What an event's hash covers (works for the model and a migration's historical one)."""
    child = event.child_id
    return {
        "sequence": event.sequence,
        "at": _utc(event.at),
        "user": event.user_id,
        "actor": event.actor_description,
        "child": None if child is None else str(uuid.UUID(str(child))),
        "action": event.action,
        "subject": event.subject,
        "basis": event.basis,
        "detail": detail_digest(event.detail, event.detail_salt),
    }


def link(previous_hash: str, event: Any) -> str:
    """The hash of `event` chained to the row before it."""
    text = previous_hash + "\n" + canonical(content(event))
    return hashlib.sha256(text.encode()).hexdigest()


def _take_head(connection: Any) -> tuple[int, str]:
    """Lock the head row (until this transaction ends) and read it: the last sequence number
    and hash in the chain."""
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(
                f"UPDATE {HEAD} SET sequence = sequence WHERE id = 1 RETURNING sequence, hash"
            )
            row = cursor.fetchone()
            if row is not None:
                return int(row[0]), str(row[1])
            # No head yet (a database emptied by a test's flush): start the chain.
            cursor.execute(
                f"INSERT INTO {HEAD} (id, sequence, hash) VALUES (1, 0, %s) "
                "ON CONFLICT (id) DO NOTHING",
                [GENESIS],
            )
    raise RuntimeError("The audit chain's head row could not be read")


def _move_head(connection: Any, sequence: int, hash_: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {HEAD} SET sequence = %s, hash = %s WHERE id = 1", [sequence, hash_]
        )


def append(event: Any, using: str = "default") -> Any:
    """Save an unsaved event in the caller's transaction, unsealed; it is sealed (given its
    sequence and hash) just after that transaction commits."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("Audit events must be written inside the transaction they describe")
    event.sequence = None
    event.hash = ""
    event.detail = _as_stored(event.detail)
    event.detail_salt = secrets.token_hex(16)
    event.save(using=using)
    _seal_after_commit(connection, using)
    return event


def _seal_after_commit(connection: Any, using: str) -> None:
    """Once per transaction, however many events it writes."""
    pending = connection.run_on_commit  # (savepoint ids, function, robust), Django's own list
    if any(getattr(func, "seals_audit", False) for _, func, _ in pending):
        return

    def seal() -> None:
        seal_committed(using)

    seal.seals_audit = True  # type: ignore[attr-defined]
    # robust: the page's transaction has committed; a seal that fails (the database gone
    # for a moment) must not turn it into an error. The row waits for the next seal.
    transaction.on_commit(seal, using=using, robust=True)


def seal_committed(using: str = "default") -> int:
    """Seal every committed row that has no sequence yet (what `append` asks for at commit)."""
    from django.apps import apps

    return seal_unsealed(apps.get_model("access", "AuditEvent"), using=using)


SEAL_BATCH = 500  # rows sealed in one short transaction (a backlog is sealed in several)


def seal_unsealed(model: Any, using: str = "default") -> int:
    """Chain the committed rows that have no sequence, oldest id first; returns how many.

    Each batch is one transaction holding the head: read the head, number and link the rows,
    write their seal, move the head. The database allows exactly that update of an unsealed
    row (tellonce/access/append_only.py), so the application's own role can do it."""
    connection = connections[using]
    sealed = 0
    while True:
        with transaction.atomic(using=using):
            sequence, previous = _take_head(connection)
            rows = list(
                model._base_manager.using(using)
                .filter(sequence__isnull=True)
                .order_by("id")[:SEAL_BATCH]
            )
            if not rows:
                return sealed
            with connection.cursor() as cursor:
                for event in rows:
                    sequence += 1
                    event.sequence = sequence
                    event.detail = _as_stored(event.detail)
                    event.detail_salt = event.detail_salt or secrets.token_hex(16)
                    event.hash = link(previous, event)
                    cursor.execute(
                        f"UPDATE {EVENTS} SET sequence = %s, detail_salt = %s, hash = %s "
                        "WHERE id = %s AND sequence IS NULL",
                        [event.sequence, event.detail_salt, event.hash, event.pk],
                    )
                    if cursor.rowcount != 1:
                        raise RuntimeError(f"Audit row {event.pk} was sealed by someone else")
                    previous = event.hash
            _move_head(connection, sequence, previous)
        sealed += len(rows)
        if len(rows) < SEAL_BATCH:  # all that waited (rows committed since: their own seal)
            return sealed


@dataclass
class Verdict:
    rows: int
    head_sequence: int
    head_hash: str
    broken_at: int | None = None  # the id of the first row that does not verify
    reason: str = ""
    pending: int = 0  # rows committed but not yet sealed (the next seal takes them)

    @property
    def ok(self) -> bool:
        return self.reason == ""


def _read_head(using: str) -> tuple[int, str]:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT sequence, hash FROM {HEAD} WHERE id = 1")
        head = cursor.fetchone()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS)


def verify(model: Any, using: str = "default", expect: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain from the first row; the first row that does not verify, and why.

    Rows not yet sealed are not in the chain yet: they are counted (`pending`), not walked.
    The server may seal rows while the walk runs, so the head is read before and after it:
    the last row walked must lie between the two and match whichever it reaches.

    `expect` is a (sequence, hash) recorded earlier outside the database (a backup's log, an
    operator's note): it must still be in the chain, which catches a rewrite of the whole
    chain from some row on, head included."""
    events = model._base_manager.using(using)
    head_before = _read_head(using)
    previous, expected, rows = GENESIS, 1, 0
    found_expected = expect is None
    sealed = events.filter(sequence__isnull=False).order_by("sequence")
    for event in sealed.iterator(chunk_size=2000):
        if event.sequence != expected:
            reason = (
                f"its sequence is {event.sequence} where {expected} was expected (rows are missing)"
            )
            return Verdict(rows, expected - 1, previous, event.pk, reason)
        if link(previous, event) != event.hash:
            reason = (
                f"sequence {event.sequence}: its hash does not match its content and the "
                "previous row's hash (it or the row before it was changed)"
            )
            return Verdict(rows, expected - 1, previous, event.pk, reason)
        if expect is not None and event.sequence == expect[0]:
            if event.hash != expect[1]:
                reason = f"sequence {event.sequence} does not have the hash recorded earlier"
                return Verdict(rows, expected - 1, previous, event.pk, reason)
            found_expected = True
        previous, expected, rows = event.hash, expected + 1, rows + 1
    last = (expected - 1, previous)
    head_after = _read_head(using)
    for head in (head_before, head_after):
        if head[0] == last[0] and head[1] != last[1]:
            reason = f"the chain's head has a different hash from its last row, sequence {last[0]}"
            return Verdict(rows, last[0], last[1], None, reason)
    if not head_before[0] <= last[0] <= head_after[0]:
        said = head_before[0] if last[0] < head_before[0] else head_after[0]
        reason = (
            f"the chain's head says sequence {said}, but the last row is "
            f"{last[0]} (rows were removed from the end, or the head was changed)"
        )
        return Verdict(rows, last[0], last[1], None, reason)
    if not found_expected:
        assert expect is not None
        return Verdict(rows, last[0], last[1], None, f"there is no sequence {expect[0]}")
    pending = events.filter(sequence__isnull=True).count()
    return Verdict(rows, last[0], last[1], pending=pending)
