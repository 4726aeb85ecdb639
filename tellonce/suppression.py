"""Small numbers suppressed, so no child can be picked out of a count: the one threshold.

Below the apps (as `listing.py` is): the leaders' aggregates (tellonce/insight/) and a
workflow's own counts (health's waiting-time analysis) both suppress with it, and workflows
must not import insight, which reads from them.
"""

from __future__ import annotations

SUPPRESSION_THRESHOLD = 5  # counts of 1-4 are shown as "fewer than 5"


def suppress(n: int) -> int | None:
    """None (shown as 'fewer than 5') for counts of 1 to 4; 0 and 5+ as they are."""
    return None if 0 < n < SUPPRESSION_THRESHOLD else n
