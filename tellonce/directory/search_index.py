"""The local offer's search index: each process's in-memory copy of what search looks at.

The public search and the ORUK `/services` list are the busiest reads, and in SQL a common
search (two words each starting thousands of words, nearest first) cost several
milliseconds however it was written. Here the same search is set arithmetic. Every set of
services is a Python int used as a bitmap: bit p stands for the service at position p of the
database's own order by name (so name order needs no sorting, and ordering follows the
database's collation). Prefix search looks up the range of sorted words with bisect.

It also keeps each service's stored copies (stored.py: its ORUK list item and result card),
so a page of results needs no rows read: a few MB for thousands of services.

Freshness: the index remembers the search stamp (search_stamp.py) it was built at. Database
triggers change the stamp in the same transaction as any write to a table the index reads,
whoever makes it. A search reads the stamp (one small query: `is_current`, or `current()`)
and the index is rebuilt when it has changed. Having found the index current, a process
trusts it for settings.LOCAL_OFFER_STAMP_CHECK_SECONDS (a second) without asking again: on
PostgreSQL that query was a fifth of a search page's time, the one round trip the page made.
So a change made in another process (another server worker, an import run from the command
line, a bulk load) shows in this process's searches within that second; a change made
through this process's actions shows on its next search, as they call `changed()`.

The SQL in queries.py stays the definition: `public_search` and `oruk_services` must find the
same services in the same order, which tests check on random searches on both databases.
"""

from __future__ import annotations

import math
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction

from tellonce.directory import postcodes, search_stamp, stored, taxonomy
from tellonce.directory.models import (
    Attribute,
    Location,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from tellonce.directory.queries import (
    KM_PER_DEGREE_LATITUDE,
    KM_PER_DEGREE_LONGITUDE_AT_EQUATOR,
    KM_PER_MILE,
    PUBLIC_STATUSES,
    PublicSearch,
    search_words,
)
from tellonce.people.models import Locality

# Words that start this many characters share one ready-made set: a one- or two-letter
# search would otherwise join the sets of hundreds of words.
PREFIX_SETS_UP_TO = 2
# A word in fewer services keeps their positions rather than a bitmap (most words are rare).
SPARSE_BELOW = 8
# Points whose nearest-first order is kept (the shipped postcodes are a few hundred).
NEAREST_KEPT = 256

NAME, UPDATED, NEAREST = "name", "updated", "nearest"


class Found(NamedTuple):
    """One service of a page of results."""

    position: int  # in the index
    id: UUID
    name: str
    distance_sq_km: float | None  # from the place searched from (None: no place to visit)


def _uuid(raw: Any) -> UUID:
    """An id as the database driver returns it (SQLite: 32 hex digits) as a UUID."""
    return raw if isinstance(raw, UUID) else UUID(raw)


def _bitmap(positions: Iterable[int], size: int) -> int:
    buffer = bytearray((size >> 3) + 1)
    for p in positions:
        buffer[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(buffer, "little")


def _ones(bits: int, size: int) -> str:
    """The bitmap as a string of '0'/'1', position 0 first, `size` long."""
    return bin(bits)[:1:-1].ljust(size, "0")


@dataclass
class Nearest:
    """Every service ordered nearest first from one point, as the SQL orders them: by the
    flat-earth squared distance to its nearest place, those with no place last, then name."""

    order: list[int]  # positions, nearest first
    rank: list[int]  # position -> index in `order`
    distance_sq_km: list[float | None]  # position -> squared km (None: no place)
    placed: list[float]  # the squared distances of `order`'s placed services, ascending
    unplaced: int  # bitmap of services with no place
    within: dict[float, int] = field(default_factory=dict)  # km² -> bitmap, filled on use


class SearchIndex:
    """The services, their words, terms, ages, areas and places, at one search stamp."""

    def __init__(self, stamp: int | None) -> None:
        self.stamp = stamp
        self._lock = threading.Lock()
        self._ages: dict[int, int] = {}
        self._nearest: OrderedDict[tuple[float, float], Nearest] = OrderedDict()
        self._load()

    # ----- building -----

    def _load(self) -> None:
        with connection.cursor() as cursor:
            svc = Service._meta.db_table
            # Both orders in one statement, so they are of the same services.
            cursor.execute(
                f"SELECT id, status, free, minimum_age, maximum_age, organization_id, name, "
                f"oruk_item, result_card, "
                f"ROW_NUMBER() OVER (ORDER BY last_modified DESC, id), copies_version "
                f"FROM {svc} ORDER BY name, id")
            rows = cursor.fetchall()
            cursor.execute(
                f"SELECT service_id, word FROM {SearchWord._meta.db_table}")
            words = cursor.fetchall()
            cursor.execute(
                f"SELECT a.service_id, a.taxonomy_term_id, t.taxonomy_id "
                f"FROM {Attribute._meta.db_table} a "
                f"INNER JOIN {TaxonomyTerm._meta.db_table} t ON a.taxonomy_term_id = t.id")
            attributes = cursor.fetchall()
            cursor.execute(f"SELECT service_id, locality_id FROM {ServiceArea._meta.db_table}")
            areas = cursor.fetchall()
            cursor.execute(
                f"SELECT s.service_id, l.locality_id, l.latitude, l.longitude "
                f"FROM {ServiceAtLocation._meta.db_table} s "
                f"INNER JOIN {Location._meta.db_table} l ON s.location_id = l.id")
            places = cursor.fetchall()
            cursor.execute(f"SELECT id, name FROM {Locality._meta.db_table} ORDER BY name, id")
            self.locality_names: list[tuple[int, str]] = cursor.fetchall()

        n = self.size = len(rows)
        position = {row[0]: p for p, row in enumerate(rows)}
        self.ids = [_uuid(row[0]) for row in rows]
        self.names = [row[6] for row in rows]
        # The stored copies (stored.py) too: a page is then one query, for the stamp. A copy
        # written by other code than this is kept as missing, so it is built live.
        current = [stored.is_current(row[10]) for row in rows]
        pairs = list(zip(rows, current, strict=True))
        self.copies = {"oruk_item": [row[7] if ok else "" for row, ok in pairs],
                       "result_card": [row[8] if ok else "" for row, ok in pairs]}
        self.everything = (1 << n) - 1
        self.public = _bitmap((p for p, r in enumerate(rows) if r[1] in PUBLIC_STATUSES), n)
        self.free = _bitmap((p for p, r in enumerate(rows) if r[2]), n)
        self.minimum_age = [r[3] for r in rows]
        self.maximum_age = [r[4] for r in rows]
        by_org: dict[Any, list[int]] = {}
        for p, row in enumerate(rows):
            by_org.setdefault(row[5], []).append(p)
        self.organizations = {_uuid(k): _bitmap(v, n) for k, v in by_org.items()}

        self.updated_rank = [row[9] - 1 for row in rows]
        self.updated_order = [0] * n
        for p, rank in enumerate(self.updated_rank):
            self.updated_order[rank] = p

        # The tables are read one statement at a time: a row of a service added since the
        # first is left out. The stamp was read before the first, so it has changed too,
        # and the next search rebuilds.

        by_word: dict[str, list[int]] = {}
        for service_id, word in words:
            if (at := position.get(service_id)) is not None:
                by_word.setdefault(word, []).append(at)
        self.words = sorted(by_word)
        dense = [_bitmap(by_word[w], n) for w in self.words]
        self.prefixes: dict[str, int] = {}
        for word, bits in zip(self.words, dense, strict=True):
            for length in range(1, min(PREFIX_SETS_UP_TO, len(word)) + 1):
                prefix = word[:length]
                self.prefixes[prefix] = self.prefixes.get(prefix, 0) | bits
        self.word_sets: list[int | tuple[int, ...]] = [
            tuple(by_word[w]) if len(by_word[w]) < SPARSE_BELOW else bits
            for w, bits in zip(self.words, dense, strict=True)
        ]

        by_term: dict[Any, list[int]] = {}
        by_taxonomy: dict[Any, list[int]] = {}
        for service_id, term_id, taxonomy_id in attributes:
            if (at := position.get(service_id)) is None:
                continue
            by_term.setdefault(term_id, []).append(at)
            if taxonomy_id is not None:
                by_taxonomy.setdefault(taxonomy_id, []).append(at)
        self.terms = {_uuid(k): _bitmap(v, n) for k, v in by_term.items()}
        self.taxonomies = {_uuid(k): _bitmap(v, n) for k, v in by_taxonomy.items()}

        whole_area: list[int] = []
        by_locality: dict[int, list[int]] = {}
        for service_id, locality_id in areas:
            if (at := position.get(service_id)) is None:
                continue
            if locality_id is None:
                whole_area.append(at)
            else:
                by_locality.setdefault(locality_id, []).append(at)
        coordinates: list[list[tuple[float, float]]] = [[] for _ in range(n)]
        for service_id, locality_id, latitude, longitude in places:
            if (at := position.get(service_id)) is None:
                continue
            if locality_id is not None:
                by_locality.setdefault(locality_id, []).append(at)
            if latitude is not None and longitude is not None:
                coordinates[at].append((latitude, longitude))
        # Tuples of numbers, which the garbage collector stops tracking (lists it never does).
        self.coordinates = [tuple(places) for places in coordinates]
        self.whole_area = _bitmap(whole_area, n)
        self.localities = {k: _bitmap(v, n) | self.whole_area for k, v in by_locality.items()}

    # ----- sets -----

    def starting_with(self, word: str) -> int:
        """Services with a word starting with `word` (as queries._starting_with finds them)."""
        word = word[:40]
        if len(word) <= PREFIX_SETS_UP_TO:
            return self.prefixes.get(word, 0)
        after = word[:-1] + chr(ord(word[-1]) + 1)
        bits = 0
        for found in self.word_sets[bisect_left(self.words, word):
                                    bisect_left(self.words, after)]:
            if isinstance(found, int):
                bits |= found
            else:
                for p in found:
                    bits |= 1 << p
        return bits

    def matching(self, text: str, bits: int) -> int:
        for word in search_words(text):
            if not bits:
                break
            bits &= self.starting_with(word)
        return bits

    def for_age(self, age: int) -> int:
        bits = self._ages.get(age)
        if bits is None:
            bits = self._ages[age] = _bitmap(
                (p for p, (low, high) in enumerate(zip(self.minimum_age, self.maximum_age,
                                                       strict=True))
                 if (low is None or low <= age) and (high is None or high >= age)), self.size)
        return bits

    def in_locality(self, locality_id: int) -> int:
        return self.localities.get(locality_id, self.whole_area)

    def nearest(self, latitude: float, longitude: float) -> Nearest:
        key = (latitude, longitude)
        with self._lock:
            found = self._nearest.get(key)
            if found is not None:
                self._nearest.move_to_end(key)
                return found
        found = self._order_by_distance(latitude, longitude)
        with self._lock:
            self._nearest[key] = found
            while len(self._nearest) > NEAREST_KEPT:
                self._nearest.popitem(last=False)
        return found

    def _order_by_distance(self, latitude: float, longitude: float) -> Nearest:
        # The arithmetic of queries.with_distance, operation for operation, so each distance
        # is the same float the database computes.
        kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(latitude))
        ky = KM_PER_DEGREE_LATITUDE
        distances: list[float | None] = []
        for places in self.coordinates:
            best = None
            for lat, lon in places:
                d2 = ((lon - longitude) * kx) * ((lon - longitude) * kx) + (
                    (lat - latitude) * ky) * ((lat - latitude) * ky)
                if best is None or d2 < best:
                    best = d2
            distances.append(best)
        placed = sorted((d2, p) for p, d2 in enumerate(distances) if d2 is not None)
        order = [p for _, p in placed]
        unplaced = [p for p, d2 in enumerate(distances) if d2 is None]
        order += unplaced
        rank = [0] * self.size
        for i, p in enumerate(order):
            rank[p] = i
        return Nearest(order, rank, distances, [d2 for d2, _ in placed],
                       _bitmap(unplaced, self.size))

    def within(self, nearest: Nearest, km: float) -> int:
        """Services within km (as queries.within: no farther, or with no place)."""
        limit = km * km
        bits = nearest.within.get(limit)
        if bits is None:
            inside = nearest.order[:bisect_right(nearest.placed, limit)]
            bits = nearest.within[limit] = _bitmap(inside, self.size) | nearest.unplaced
        return bits

    # ----- the two searches -----

    def public_search(self, criteria: PublicSearch) -> int:
        """What queries.public_search finds, as a bitmap."""
        bits = self.matching(criteria.text, self.public)
        if criteria.need:
            bits &= self.terms.get(taxonomy.term_id(taxonomy.need_code(criteria.need)), 0)
        if criteria.age is not None:
            bits &= self.for_age(criteria.age)
        if criteria.locality is not None:
            bits &= self.in_locality(criteria.locality)
        if criteria.free_only:
            bits &= self.free
        if criteria.waiting:
            bits &= self.terms.get(taxonomy.term_id(criteria.waiting), 0)
        if criteria.place is not None and criteria.miles:
            nearest = self.nearest(criteria.place.latitude, criteria.place.longitude)
            bits &= self.within(nearest, criteria.miles * KM_PER_MILE)
        return bits

    def oruk_services(
        self,
        text: str = "",
        term_id: UUID | None = None,
        taxonomy_id: UUID | None = None,
        organization_id: UUID | None = None,
    ) -> int:
        """What queries.oruk_services finds (without `after`), as a bitmap."""
        bits = self.matching(text, self.everything)
        if term_id is not None:
            bits &= self.terms.get(term_id, 0)
        if taxonomy_id is not None:
            bits &= self.taxonomies.get(taxonomy_id, 0)
        if organization_id is not None:
            bits &= self.organizations.get(organization_id, 0)
        return bits

    # ----- pages -----

    def page(
        self, bits: int, sort: str, start: int, stop: int,
        place: postcodes.Place | None = None,
    ) -> list[Found]:
        """Services start:stop of `bits` in a sort's order (as views.SEARCH_SORTS and NEAREST
        order them), each with its squared distance in km from `place` (None: no place, or
        no place given). NEAREST needs a place."""
        if stop <= start or not bits:
            return []
        if sort == NEAREST and place is not None:
            nearest = self.nearest(place.latitude, place.longitude)
            positions = self._in_order(bits, nearest.order, nearest.rank, start, stop)
        elif sort == UPDATED:
            positions = self._in_order(bits, self.updated_order, self.updated_rank, start,
                                       stop)
        else:
            positions = self._in_name_order(bits, start, stop)
        if place is None:
            return [Found(p, self.ids[p], self.names[p], None) for p in positions]
        distances = self.nearest(place.latitude, place.longitude).distance_sq_km
        return [Found(p, self.ids[p], self.names[p], distances[p]) for p in positions]

    def stored(self, column: str, found: list[Found]) -> dict[int, str]:
        """The stored copy (stored.py: 'oruk_item' or 'result_card') of each service found,
        by position."""
        copies = self.copies[column]
        return {f.position: copies[f.position] for f in found}

    def is_current(self) -> bool:
        """Whether this is the index at the database's search stamp: found so within the
        last LOCAL_OFFER_STAMP_CHECK_SECONDS, or now (one small query)."""
        started = monotonic()
        index, checked_at = _last_check
        if index is self and started - checked_at < settings.LOCAL_OFFER_STAMP_CHECK_SECONDS:
            return True
        if search_stamp.read(connection) != self.stamp:
            return False
        _checked(self, started)
        return True

    def _in_name_order(self, bits: int, start: int, stop: int) -> list[int]:
        ones = _ones(bits, self.size)
        i, seen = 0, 0
        while seen < start:  # skip whole blocks of bits while they are before the page
            block = ones.count("1", i, i + 256)
            if seen + block > start:
                break
            seen += block
            i += 256
            if i >= self.size:
                return []
        positions: list[int] = []
        i -= 1
        while len(positions) < stop - start:
            i = ones.find("1", i + 1)
            if i < 0:
                break
            if seen >= start:
                positions.append(i)
            seen += 1
        return positions

    def _in_order(
        self, bits: int, order: list[int], rank: list[int], start: int, stop: int
    ) -> list[int]:
        count = bits.bit_count()
        if count * 16 < self.size:  # few: sort them
            found = self._in_name_order(bits, 0, count)
            found.sort(key=rank.__getitem__)
            return found[start:stop]
        ones = _ones(bits, self.size)  # many: walk the order until the page is full
        positions: list[int] = []
        seen = 0
        for p in order:
            if ones[p] == "1":
                if seen >= start:
                    positions.append(p)
                    if len(positions) == stop - start:
                        break
                seen += 1
        return positions


T = TypeVar("T")
_index: SearchIndex | None = None
_building = threading.Lock()
NEVER = -math.inf
# The index last found current, and when (monotonic()): replaced whole, so a thread
# reading it sees one pair.
_last_check: tuple[SearchIndex | None, float] = (None, NEVER)


def _checked(index: SearchIndex, at: float) -> None:
    global _last_check
    _last_check = (index, at)


def changed() -> None:
    """This process is writing something the index reads (an action, an import): its next
    search reads the stamp rather than trusting the last check. Again when the transaction
    commits, as a search in between (another thread) may have read the stamp before it."""
    forget_check()
    transaction.on_commit(forget_check)


def forget_check() -> None:
    """The next search reads the stamp (the tests call this as each begins: a rolled-back
    test database changed without a stamp this process saw)."""
    global _last_check
    _last_check = (None, NEVER)


def answer(search: Callable[[SearchIndex], T]) -> T:
    """`search` answered from the index this process built last, then checked: the index is
    current (`is_current`: trusted within the check interval, else one small query), or it
    is answered again from `current()`, in the rare case a write came since. Answering first
    means the check costs no more than the search, and usually nothing."""
    index = latest()
    answered = search(index)
    if not index.is_current():
        answered = search(current())
    return answered


def latest() -> SearchIndex:
    """The index this process built last, without checking the stamp (built now if there is
    none): `answer` checks it after answering."""
    return _index or current()


def current() -> SearchIndex:
    """The index at the database's search stamp now, rebuilt first if it has changed."""
    global _index
    started = monotonic()
    stamp = search_stamp.read(connection)
    index = _index
    if index is None or index.stamp != stamp:
        with _building:  # one build at a time; those waiting use it
            index = _index
            if index is None or index.stamp != stamp:
                index = _index = SearchIndex(stamp)
    _checked(index, started)
    return index
