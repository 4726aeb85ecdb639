"""Who may reach each URL: one module per app declares its routes' expected answers.

Each module defines ROUTES: a list of Route. tests/access/test_access_matrix.py enumerates
every URL pattern the project serves and fails for any pattern no module declares, so a new
page or endpoint cannot be added without saying who may reach it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.world import World

# Every signed-in user of the test world, plus anonymous.
ROLES = (
    "anonymous",
    "parent",
    "zara_mum",
    "youngperson",
    "senco",
    "senco_b",
    "slt",
    "dco",
    "socialworker",
    "ep",
    "caseworker",
    "leader",
    "editor",
    "orgadmin",
    "dataofficer",
    "stranger",
)
STAFF = frozenset(
    {
        "senco",
        "senco_b",
        "slt",
        "dco",
        "socialworker",
        "ep",
        "caseworker",
        "leader",
        "editor",
        "orgadmin",
        "dataofficer",
    }
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}


@dataclass(frozen=True)
class Route:
    """pattern: the route as Django shows it (e.g. 'children/<uuid:child_id>/').
    kwargs: builds the URL's arguments from the test world.
    allowed: who gets a 2xx (or a redirect after a successful POST); everyone else signed in
    gets a 404, and anonymous is sent to sign in (pages) or gets 401 (API), unless public.
    """

    pattern: str
    allowed: frozenset[str]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    method: str = "GET"
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    public: bool = False
    api: bool = False
    # Signed-in users outside `allowed` get this (404 for records; some pages differ).
    denied_status: int = 404
    # A route that answers everyone the same (e.g. a library's placeholder that is always 404).
    everyone_status: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
