"""The identity-matching model: Splink (DuckDB here, Spark for a region) over plain rows.

No Django here: rows in, scored pairs out, so the same functions run in the import, in
`evaluate_matching` and on Spark. A row is a dict with `unique_id` and the identity fields
(`prepare()` makes one from names, a date of birth, sex and a postcode).

Trained without labels: u from random pairs, the prior from a strict deterministic rule,
m by expectation-maximisation on two blockings (date of birth; postcode) so that each
comparison is trained by pairs that were not blocked on it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule

SPLINK_VERSION = splink.__version__

# Short forms a school or clinic may record for the given name on the birth register.
# Both sides are reduced to the first name in the group, so "Alfie" meets "Alfred".
NICKNAMES: list[tuple[str, ...]] = [
    ("alexander", "alex", "alec", "sandy", "xander"),
    ("alexandra", "alex", "lexi", "sasha"),
    ("alfred", "alfie", "alf"),
    ("benjamin", "ben", "benji", "benny"),
    ("charles", "charlie", "charley", "chas"),
    ("charlotte", "lottie", "charlie", "lotte"),
    ("christopher", "chris", "kit"),
    ("daniel", "dan", "danny"),
    ("edward", "ed", "eddie", "ted", "teddy", "ned"),
    ("elizabeth", "liz", "lizzie", "beth", "eliza", "betty", "libby"),
    ("ellie", "eleanor", "ella", "nell", "nellie"),
    ("frederick", "freddie", "fred", "freddy"),
    ("harry", "henry", "hal"),
    ("isabella", "bella", "izzy", "isabel", "issy"),
    ("jacob", "jake", "jay"),
    ("james", "jim", "jimmy", "jamie"),
    ("joseph", "joe", "joey"),
    ("joshua", "josh"),
    ("katherine", "kate", "katie", "kath", "kathy", "catherine"),
    ("margaret", "maggie", "meg", "peggy"),
    ("matthew", "matt", "matty"),
    ("michael", "mike", "mikey", "mick"),
    ("muhammad", "mohammed", "mohammad", "muhammed", "mohamed"),
    ("nicholas", "nick", "nicky"),
    ("oliver", "ollie", "olly"),
    ("olivia", "liv", "livvy"),
    ("rebecca", "becky", "becca"),
    ("robert", "rob", "robbie", "bob", "bobby"),
    ("samuel", "sam", "sammy"),
    ("sophia", "sophie", "sofia"),
    ("thomas", "tom", "tommy"),
    ("victoria", "vicky", "tori"),
    ("william", "will", "bill", "billy", "liam"),
    ("zachary", "zach", "zack"),
]
_CANONICAL: dict[str, str] = {}
for _group in NICKNAMES:
    for _name in _group:
        _CANONICAL.setdefault(_name, _group[0])

POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def clean_name(value: str | None) -> str | None:
    """Lower case, accents and punctuation removed: 'O’Brien-Smith' -> 'obriensmith'."""
    if not value:
        return None
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z]", "", text)
    return text or None


def canonical_given(name: str | None) -> str | None:
    return _CANONICAL.get(name, name) if name else None


def clean_postcode(value: str | None) -> str | None:
    """'ab1 2cd' and 'AB12CD' -> 'AB1 2CD'; anything that is not a UK postcode -> None."""
    if not value:
        return None
    packed = re.sub(r"\s+", "", value.upper())
    match = POSTCODE.match(packed)
    return f"{match.group(1)} {match.group(2)}" if match else None


def swapped(born: date | None) -> str | None:
    """The date with day and month exchanged, where that is a different real date."""
    if born is None or born.day > 12 or born.day == born.month:
        return None
    try:
        return date(born.year, born.day, born.month).isoformat()
    except ValueError:
        return None


def prepare(
    unique_id: str,
    given_name: str | None,
    family_name: str | None,
    date_of_birth: date | None,
    sex: str | None = None,
    postcode: str | None = None,
) -> dict[str, Any]:
    given = clean_name(given_name)
    return {
        "unique_id": unique_id,
        "given_name": given,
        "given_canonical": canonical_given(given),
        "family_name": clean_name(family_name),
        "dob": date_of_birth.isoformat() if date_of_birth else None,
        "dob_swapped": swapped(date_of_birth),
        "sex": (sex or "").strip().upper()[:1] or None,
        "postcode": clean_postcode(postcode),
    }


# The comparisons. Levels go from most to least alike; the labels are what the review page
# shows a data officer as the evidence.
def _name_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="Given and family name",
        comparison_levels=[
            cll.Or(cll.NullLevel("given_name"), cll.NullLevel("family_name")),
            cll.And(cll.ExactMatchLevel("given_name"), cll.ExactMatchLevel("family_name"))
            .configure(label_for_charts="Same given and family name"),
            cll.ColumnsReversedLevel("given_name", "family_name", symmetrical=True)
            .configure(label_for_charts="Given and family name swapped"),
            cll.And(cll.ExactMatchLevel("given_canonical"), cll.ExactMatchLevel("family_name"))
            .configure(label_for_charts="Same family name, given name a short form"),
            cll.And(cll.JaroWinklerLevel("given_name", 0.88),
                    cll.JaroWinklerLevel("family_name", 0.88))
            .configure(label_for_charts="Both names spelt alike (a typo)"),
            cll.And(cll.ExactMatchLevel("family_name"), cll.JaroWinklerLevel("given_name", 0.7))
            .configure(label_for_charts="Same family name, given name loosely alike"),
            cll.ExactMatchLevel("family_name")
            .configure(label_for_charts="Same family name, different given name"),
            cll.ExactMatchLevel("given_name")
            .configure(label_for_charts="Same given name, different family name"),
            cll.ElseLevel().configure(label_for_charts="Different names"),
        ],
    )


def _dob_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("dob"),
            cll.ExactMatchLevel("dob").configure(label_for_charts="Same date of birth"),
            cll.CustomLevel("dob_l = dob_swapped_r", base_dialect_str="duckdb")
            .configure(label_for_charts="Day and month swapped"),
            cll.LevenshteinLevel("dob", 1)
            .configure(label_for_charts="Date of birth one digit different"),
            cll.CustomLevel("substr(dob_l, 1, 4) = substr(dob_r, 1, 4)",
                            base_dialect_str="duckdb")
            .configure(label_for_charts="Same year of birth"),
            cll.ElseLevel().configure(label_for_charts="Different dates of birth"),
        ],
    )


def _sex_comparison() -> cl.CustomComparison:
    return cl.CustomComparison(
        output_column_name="sex",
        comparison_description="Sex",
        comparison_levels=[
            cll.NullLevel("sex"),
            cll.ExactMatchLevel("sex").configure(label_for_charts="Same sex"),
            cll.ElseLevel().configure(label_for_charts="Different sex"),
        ],
    )


def settings() -> SettingsCreator:
    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[
            _name_comparison(),
            _dob_comparison(),
            cl.PostcodeComparison("postcode"),
            _sex_comparison(),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("family_name", "given_name"),
            block_on("postcode", "given_canonical"),
            CustomRule("l.dob = r.dob_swapped", sql_dialect="duckdb"),
            CustomRule("l.family_name = r.given_name and l.given_name = r.family_name",
                       sql_dialect="duckdb"),
        ],
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
        max_iterations=20,
    )


def _db_api(backend: str = "duckdb", spark: Any = None) -> Any:
    if backend == "spark":
        from splink import SparkAPI

        return SparkAPI(spark_session=spark)
    from splink import DuckDBAPI

    return DuckDBAPI()


def _linker(left: Sequence[dict[str, Any]], right: Sequence[dict[str, Any]],
            model: Any, backend: str = "duckdb", spark: Any = None) -> Linker:
    api = _db_api(backend, spark)
    if backend == "spark":
        frames = [api.register(spark.createDataFrame(list(rows), schema=_SPARK_SCHEMA),
                               dataset_display_name=name)
                  for rows, name in ((left, "feed"), (right, "record"))]
    else:
        frames = [api.register(_arrow(rows), dataset_display_name=name)
                  for rows, name in ((left, "feed"), (right, "record"))]
    return Linker(frames, model, log_level=logging.WARNING)


COLUMNS = ["unique_id", "given_name", "given_canonical", "family_name", "dob", "dob_swapped",
           "sex", "postcode"]
_SPARK_SCHEMA = ", ".join(f"{c} string" for c in COLUMNS)


def _arrow(rows: Sequence[dict[str, Any]]) -> Any:
    import pyarrow as pa

    return pa.table({c: pa.array([r.get(c) for r in rows], type=pa.string()) for c in COLUMNS})


def train(left: Sequence[dict[str, Any]], right: Sequence[dict[str, Any]],
          seed: int = 1) -> dict[str, Any]:
    """Estimate the model's parameters from two unlabelled sets of rows; returns the model
    as Splink's JSON (its settings and every m and u), ready to save."""
    linker = _linker(left, right, settings())
    training = linker.training
    # A strict rule admits almost no false links; its share of pairs, scaled by how many
    # true links it is thought to find, gives the prior.
    training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "dob")], recall=0.8
    )
    training.estimate_u_using_random_sampling(max_pairs=2e6, seed=seed)
    proportion = 1.0 if len(left) + len(right) <= 200_000 else 200_000 / (len(left) + len(right))
    training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), record_sample_proportion=proportion
    )
    # The second pass trains the date of birth. Postcodes block best (they leave names and
    # dates free to disagree); a feed without them (a school's attendance) blocks on names.
    has_postcodes = any(r.get("postcode") for r in left) and any(r.get("postcode") for r in right)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("postcode") if has_postcodes else block_on("given_name", "family_name"),
        record_sample_proportion=proportion,
    )
    return linker.misc.save_model_to_json()  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Pair:
    feed_id: str
    record_id: str
    probability: float
    weight: float
    # comparison -> (level number, label, that level's match weight)
    evidence: dict[str, tuple[int, str, float]]


COMPARISONS = ["name", "dob", "postcode", "sex"]


def predict(left: Sequence[dict[str, Any]], right: Sequence[dict[str, Any]],
            model: dict[str, Any], floor: float = 0.01, backend: str = "duckdb",
            spark: Any = None) -> list[Pair]:
    """Score every blocked pair of a feed row (left) and a record row (right) whose match
    probability is at least `floor`."""
    if not left or not right:
        return []
    linker = _linker(left, right, model, backend, spark)
    labels = level_labels(model)
    scored = linker.inference.predict(threshold_match_probability=floor)
    pairs = []
    for row in scored.as_record_list():
        # link_only: the left table is always the feed ("feed" sorts before "record").
        if row["source_dataset_l"] == "feed":
            feed_id, record_id = row["unique_id_l"], row["unique_id_r"]
        else:
            feed_id, record_id = row["unique_id_r"], row["unique_id_l"]
        evidence = {}
        for name in COMPARISONS:
            level = int(row[f"gamma_{name}"])
            evidence[name] = (level, labels[name].get(level, ""), float(row.get(f"mw_{name}") or 0))
        pairs.append(Pair(feed_id, record_id, float(row["match_probability"]),
                          float(row["match_weight"]), evidence))
    return pairs


def level_labels(model: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison -> level number -> label, from a saved model."""
    # Splink numbers the null level -1 and the others from the most alike (highest) down to
    # the else level (0).
    out: dict[str, dict[int, str]] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        out[comparison["output_column_name"]] = {
            len(levels) - 1 - i: level.get("label_for_charts", "")
            for i, level in enumerate(levels)
        }
        out[comparison["output_column_name"]][-1] = "Missing on one side"
    return out


def exact_level(model: dict[str, Any], comparison: str) -> int:
    """The level number of the comparison's first non-null level (its exact match)."""
    for number, label in level_labels(model)[comparison].items():
        if label.lower().startswith(("same date", "same given and family", "exact match")):
            return number
    raise KeyError(comparison)


def ids(rows: Iterable[dict[str, Any]]) -> set[str]:
    return {r["unique_id"] for r in rows}
