"""Postcode to coordinates for distance search, from the invented postcodes shipped in data/.

The demo area's postcodes ("RV1 1AA") are made up, with made-up coordinates: no outside
geocoder is called. A deployment replaces data/postcodes.csv with its own area's postcodes
(for example from the ONS Postcode Directory) in the same four columns.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

POSTCODES_CSV = Path(__file__).resolve().parent / "data" / "postcodes.csv"
# A UK postcode shape: outward code, space optional, inward code.
POSTCODE_SHAPE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
METRES_PER_MILE = 1609.344


@dataclass(frozen=True)
class Place:
    postcode: str
    latitude: float
    longitude: float
    locality: str


def normalise(postcode: str) -> str | None:
    """'rv11aa' -> 'RV1 1AA'; None when it is not shaped like a postcode."""
    compact = re.sub(r"\s+", "", postcode.upper())
    if not 5 <= len(compact) <= 7:
        return None
    match = POSTCODE_SHAPE.match(f"{compact[:-3]} {compact[-3:]}")
    if match is None:
        return None
    return f"{match.group(1)} {match.group(2)}"


@lru_cache(maxsize=1)
def _places() -> dict[str, Place]:
    with POSTCODES_CSV.open(newline="") as handle:
        return {
            row["postcode"]: Place(row["postcode"], float(row["latitude"]),
                                   float(row["longitude"]), row["locality"])
            for row in csv.DictReader(handle)
        }


def lookup(postcode: str) -> Place | None:
    code = normalise(postcode)
    return _places().get(code) if code else None


def all_places() -> list[Place]:
    return list(_places().values())


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    r = 6_371_000.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))
