"""What to do with each feed row, given the model's scored pairs: link, review or neither.

Pure: the import, the demo and `evaluate_matching` all call `decide`, so the figures the
evaluation prints are the rules the import applies.

A person decides, never the model, when the evidence is uncertain:
- the best candidate is below the accept threshold (but above the review one);
- the names disagree in a way siblings' names do (same family name, another given name):
  twins share a date of birth, a family name and a home, so agreement on everything else
  is no evidence that this is the same child;
- the day and month of birth are swapped (a different child born on the other date is as
  likely as a date written the American way);
- two children both pass the accept threshold;
- two rows of one file would link to the same child.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from tellonce.matching.engine import Pair

# Name levels that are evidence of the same child; any other sends a strong match to review.
NAME_LEVELS_FOR_LINKING = frozenset({
    "Same given and family name", "Given and family name swapped",
    "Same family name, given name a short form", "Both names spelt alike (a typo)",
})
DOB_LEVELS_AGAINST_LINKING = frozenset({"Day and month swapped"})
MAX_CANDIDATES = 3


@dataclass
class Decision:
    feed_id: str
    outcome: Literal["link", "review", "none"]
    record_id: str | None = None
    probability: float = 0.0
    reason: str = ""
    candidates: list[Pair] = field(default_factory=list)


def _label(pair: Pair, comparison: str) -> str:
    return pair.evidence[comparison][1]


def decide(feed_ids: Iterable[str], pairs: Iterable[Pair], accept_at: float,
           review_at: float) -> dict[str, Decision]:
    by_feed: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        if pair.probability >= review_at:
            by_feed[pair.feed_id].append(pair)
    decisions: dict[str, Decision] = {}
    for feed_id in feed_ids:
        candidates = sorted(by_feed.get(feed_id, []), key=lambda p: -p.probability)
        if not candidates:
            decisions[feed_id] = Decision(feed_id, "none")
            continue
        best = candidates[0]
        shown = candidates[:MAX_CANDIDATES]
        reason = ""
        if best.probability < accept_at:
            reason = "The evidence is not strong enough to link without a person"
        elif _label(best, "name") not in NAME_LEVELS_FOR_LINKING:
            reason = ("The given name is different: this may be a brother or sister (a twin "
                      "shares the date of birth, family name and address)")
        elif _label(best, "dob") in DOB_LEVELS_AGAINST_LINKING:
            reason = "The day and month of birth are swapped"
        elif len(candidates) > 1 and candidates[1].probability >= accept_at \
                and _label(candidates[1], "name") in NAME_LEVELS_FOR_LINKING:
            reason = "More than one child matches closely"
        if reason:
            decisions[feed_id] = Decision(feed_id, "review", best.record_id, best.probability,
                                          reason, shown)
        else:
            decisions[feed_id] = Decision(feed_id, "link", best.record_id, best.probability,
                                          "", shown)
    # One child, one row of a file: two rows wanting the same child both wait for a person.
    wanted: dict[str, list[str]] = defaultdict(list)
    for d in decisions.values():
        if d.outcome == "link" and d.record_id:
            wanted[d.record_id].append(d.feed_id)
    for feed_ids_for_child in wanted.values():
        if len(feed_ids_for_child) > 1:
            for feed_id in feed_ids_for_child:
                decisions[feed_id].outcome = "review"
                decisions[feed_id].reason = "Another row of the same file matches this child"
    return decisions
