"""National comparators, read from the dated data file shipped in the repository.

The file (data/comparators-YYYY.json, the newest by name) names each figure's source address,
so a new release is a new file, not a code change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Comparator:
    name: str
    period: str
    value: float
    source: str
    note: str = ""


@dataclass(frozen=True)
class Comparators:
    file: str
    as_of: str
    figures: dict[str, tuple[Comparator, ...]]

    def for_indicator(self, key: str) -> tuple[Comparator, ...]:
        return self.figures.get(key, ())


def latest_file(directory: Path = DATA) -> Path:
    files = sorted(directory.glob("comparators-*.json"))
    if not files:
        raise FileNotFoundError(f"No comparators-*.json in {directory}")
    return files[-1]


@cache
def load(path: Path | None = None) -> Comparators:
    path = path or latest_file()
    data = json.loads(path.read_text(encoding="utf-8"))
    figures = {
        key: tuple(Comparator(f["name"], f["period"], float(f["value"]), f["source"],
                              f.get("note", "")) for f in items)
        for key, items in data["figures"].items()
    }
    return Comparators(path.name, data["as_of"], figures)
