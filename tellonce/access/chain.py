"""The audit log as a hash chain: each row's hash covers its content and the previous row's hash.

A row changed, removed or slipped in behind the application's back (with the database's own
tools, past the triggers) no longer verifies: `manage.py verify_audit` walks the chain in
`sequence` order and names the first row that does not.

Appending is serialised. `append` first updates the one head row (AuditChainHead), which
takes that row's lock on PostgreSQL and the write lock on SQLite, reads the previous hash
from it, writes the event with the next sequence number and moves the head, all in the
caller's transaction. A second transaction appending at the same time waits at the head until
the first commits or rolls back, then reads the head as committed (READ COMMITTED re-reads a
row it waited for), so two events never chain to the same previous row and a rolled-back
event leaves no gap. The cost is that audit writers queue from their first audit row to their
commit; on SQLite writers queue anyway (one writer at a time), and on PostgreSQL a request
audits near its end, so the wait is the rest of that request's transaction (measured and
discussed in docs/deploying.md). A sequence from a database sequence would not queue, but
its numbers are handed out in a different order from the commits, and a chain must link
each row to the one committed before it.

What is hashed is a canonical serialisation (JSON, sorted keys, no spaces) of the row:
its sequence, time (UTC, microseconds), the user's id, the actor as described, the child's
key, the action, subject and basis, and a salted digest of `detail`. The child's key is the
record's random UUID, a pseudonym that carries no personal data, so the chain never holds a
child's name or NHS number. The audit's own personal data (search terms in `detail`) enter
only through the digest: erasing them can replace `detail` by {ERASED: digest} and clear
the salt, and the row still verifies (see `detail_digest`); without the salt the digest
cannot be turned back into the words.

Rows written without the chain (a data migration's bulk insert through the historical
model) have no sequence; `seal_unsealed`, run at the end of every `migrate`, chains them.
Everything here uses the table by name, so a migration can call it with historical models.
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


def _advance(connection: Any) -> tuple[int, str]:
    """Take the head (and its lock): the next sequence number and the previous row's hash."""
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(
                f"UPDATE {HEAD} SET sequence = sequence + 1 WHERE id = 1 RETURNING sequence, hash"
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
            f"UPDATE {HEAD} SET hash = %s WHERE id = 1 AND sequence = %s", [hash_, sequence]
        )


def append(event: Any, using: str = "default") -> Any:
    """Give an unsaved event its place in the chain and save it, in the caller's transaction."""
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("Audit events must be written inside the transaction they describe")
    event.sequence, previous = _advance(connection)
    event.detail = _as_stored(event.detail)
    event.detail_salt = secrets.token_hex(16)
    event.hash = link(previous, event)
    event.save(using=using)
    _move_head(connection, event.sequence, event.hash)
    return event


def seal_unsealed(model: Any, using: str = "default") -> int:
    """Chain the rows written without the chain (no sequence), oldest first; returns how many.

    Those rows must be updated once, which the append-only triggers forbid: they are lifted
    for this transaction only (it needs the table's owner on PostgreSQL, as migrate is)."""
    from tellonce.access import append_only

    connection = connections[using]
    with transaction.atomic(using=using):
        rows = list(model._base_manager.using(using).filter(sequence__isnull=True).order_by("id"))
        if not rows:
            return 0
        append_only.remove(connection)
        with connection.cursor() as cursor:
            for event in rows:
                event.sequence, previous = _advance(connection)
                event.detail = _as_stored(event.detail)
                event.detail_salt = secrets.token_hex(16)
                event.hash = link(previous, event)
                cursor.execute(
                    f"UPDATE {EVENTS} SET sequence = %s, detail_salt = %s, hash = %s WHERE id = %s",
                    [event.sequence, event.detail_salt, event.hash, event.pk],
                )
                _move_head(connection, event.sequence, event.hash)
        append_only.install(connection)
    return len(rows)


@dataclass
class Verdict:
    rows: int
    head_sequence: int
    head_hash: str
    broken_at: int | None = None  # the id of the first row that does not verify
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.reason == ""


def verify(model: Any, using: str = "default", expect: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain from the first row; the first row that does not verify, and why.

    `expect` is a (sequence, hash) recorded earlier outside the database (a backup's log, an
    operator's note): it must still be in the chain, which catches a rewrite of the whole
    chain from some row on, head included."""
    events = model._base_manager.using(using)
    unsealed = events.filter(sequence__isnull=True).order_by("id").first()
    if unsealed is not None:
        return Verdict(0, 0, "", unsealed.pk, "it is not in the chain (no sequence number)")
    previous, expected, rows = GENESIS, 1, 0
    found_expected = expect is None
    for event in events.order_by("sequence").iterator(chunk_size=2000):
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
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT sequence, hash FROM {HEAD} WHERE id = 1")
        head = cursor.fetchone()
    head_sequence, head_hash = (int(head[0]), str(head[1])) if head else (0, GENESIS)
    if (head_sequence, head_hash) != (expected - 1, previous):
        reason = (
            f"the chain's head says sequence {head_sequence}, but the last row is "
            f"{expected - 1} (rows were removed from the end, or the head was changed)"
        )
        return Verdict(rows, expected - 1, previous, None, reason)
    if not found_expected:
        assert expect is not None
        return Verdict(rows, expected - 1, previous, None, f"there is no sequence {expect[0]}")
    return Verdict(rows, head_sequence, head_hash)
