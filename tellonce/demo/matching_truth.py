"""Two synthetic sets of identity rows with known truth, for evaluating the matcher.

A population of children (with twins: same date of birth, family name and postcode), the
record's copy of each, and a feed that holds most of them again with the errors real
agencies' systems make, each at the given rate: typos in names, short forms of given names,
given and family names swapped, a digit of the date of birth wrong, day and month swapped,
a family that moved (a new postcode), missing sex or postcode. Some feed rows are children
the record does not hold. `truth` maps each feed row to its record row, or to None.
"""

from __future__ import annotations

import contextlib
import random
import string
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tellonce.demo.area import FIRST_NAMES, SURNAMES
from tellonce.matching.engine import NICKNAMES, prepare

EXTRA_GIVEN = [
    "Adam", "Aiden", "Alexander", "Alfred", "Benjamin", "Callum", "Charles", "Christopher",
    "Connor", "Daniel", "Edward", "Elizabeth", "Eleanor", "Emily", "Frederick", "Hugo",
    "Isabella", "James", "Jessica", "Joseph", "Katherine", "Lucas", "Margaret", "Matthew",
    "Michael", "Nathan", "Nicholas", "Olivia", "Rebecca", "Robert", "Ryan", "Sophie",
    "Victoria", "William", "Zachary", "Abigail", "Bethany", "Caitlin", "Darcey", "Eva",
    "Faith", "Gabriel", "Harvey", "Imogen", "Jasmine", "Kian", "Lara", "Mason", "Nadia",
    "Omar", "Paige", "Quinn", "Riley", "Sienna", "Toby", "Usman", "Violet", "Wiktoria",
    "Xavier", "Yasmin", "Zain", "Amir", "Bilal", "Chidi", "Dev", "Emeka", "Fatima",
    "Hamza", "Ines", "Jun", "Kamal", "Leila", "Mei", "Nikhil", "Oluwaseun", "Rania",
    "Sana", "Tariq", "Uma", "Wei", "Yara", "Zeynep", "Anya", "Bogdan", "Dmitri", "Elena",
]
SURNAME_STARTS = [
    "Ash", "Brad", "Craw", "Dun", "El", "Fair", "Good", "Hart", "Hol", "King", "Lang",
    "Mar", "Nor", "Oak", "Pen", "Rad", "Stan", "Thorn", "Up", "Wal", "West", "Whit",
    "Wood", "Black", "Brook", "Church", "Cole", "Fern", "Gold", "Green", "Hay", "Kirk",
    "Lind", "Mill", "New", "Red", "Rid", "Sand", "Stock", "Wind",
]
SURNAME_ENDS = [
    "worth", "ley", "ford", "ton", "wood", "field", "by", "ham", "well", "stone", "bridge",
    "cliffe", "dale", "more", "ridge", "shaw", "wick", "combe", "hurst", "land",
]
POSTCODE_AREAS = ["RV", "RM"]


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return (f"{rng.choice(POSTCODE_AREAS)}{rng.randint(1, 19)} {rng.randint(0, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}")


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word + rng.choice(string.ascii_lowercase)
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.35:  # a letter changed
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1:]
    if kind < 0.6:  # a letter dropped
        return word[:i] + word[i + 1:]
    if kind < 0.8 and i < len(word) - 1:  # two letters exchanged
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]  # a letter doubled


def _short_form(rng: random.Random, given: str) -> str:
    for group in NICKNAMES:
        if given.lower() == group[0]:
            return rng.choice(group[1:]).title()
    return given


def _dob_digit(rng: random.Random, born: date) -> date:
    for _ in range(10):
        text = born.isoformat()
        i = rng.choice([3, 6, 8, 9])
        candidate = text[:i] + str(rng.randint(0, 9)) + text[i + 1:]
        try:
            changed = date.fromisoformat(candidate)
        except ValueError:
            continue
        if changed != born:
            return changed
    return born + timedelta(days=1)


@dataclass
class Pair:
    feed: list[dict[str, Any]]
    record: list[dict[str, Any]]
    truth: dict[str, str | None]  # feed unique_id -> record unique_id (None: not on record)


def synthetic_pair(size: int, error_rate: float, seed: int = 1,
                   today: date | None = None, overlap: float = 0.9) -> Pair:
    """`size` record rows and `size` feed rows, of which `overlap` are on the record."""
    rng = random.Random(seed)
    today = today or date(2026, 9, 1)
    given_names = FIRST_NAMES + EXTRA_GIVEN
    surnames = SURNAMES + [s + e for s in SURNAME_STARTS for e in SURNAME_ENDS]
    people: list[dict[str, Any]] = []
    while len(people) < size + int(size * (1 - overlap)) + 1:
        born = today - timedelta(days=rng.randint(365, 25 * 365))
        family = rng.choice(surnames)
        postcode = _postcode(rng)
        # About one birth in 60 is a twin: same birthday, family name and home.
        count = 2 if rng.random() < 1 / 60 else 1
        for _ in range(count):
            people.append({"given": rng.choice(given_names), "family": family, "born": born,
                           "sex": rng.choice("FM"), "postcode": postcode})
    record_people = people[:size]
    on_record = int(size * overlap)
    feed_people = rng.sample(range(size), on_record)
    outsiders = list(range(size, size + (size - on_record)))
    record = [prepare(f"c{i}", p["given"], p["family"], p["born"], p["sex"], p["postcode"])
              for i, p in enumerate(record_people)]
    feed: list[dict[str, Any]] = []
    truth: dict[str, str | None] = {}
    for n, index in enumerate(feed_people + outsiders):
        p = dict(people[index])
        r = error_rate
        if rng.random() < r:
            p["given"] = _typo(rng, p["given"].lower()).title()
        if rng.random() < r:
            p["family"] = _typo(rng, p["family"].lower()).title()
        if rng.random() < r:
            p["given"] = _short_form(rng, p["given"])
        if rng.random() < r / 5:
            p["given"], p["family"] = p["family"], p["given"]
        if rng.random() < r / 2:
            p["born"] = _dob_digit(rng, p["born"])
        if rng.random() < r / 4 and p["born"].day <= 12:
            with contextlib.suppress(ValueError):
                p["born"] = date(p["born"].year, p["born"].day, p["born"].month)
        if rng.random() < r:
            p["postcode"] = _postcode(rng)  # moved
        if rng.random() < r / 2:
            p["postcode"] = None
        if rng.random() < r / 2:
            p["sex"] = None
        feed_id = f"f{n}"
        feed.append(prepare(feed_id, p["given"], p["family"], p["born"], p["sex"],
                            p["postcode"]))
        truth[feed_id] = f"c{index}" if index < size else None
    rng.shuffle(feed)
    return Pair(feed, record, truth)
