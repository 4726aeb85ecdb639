"""Expected access for the API token page: each member of staff sees and revokes their own
tokens; families and strangers get a 404; another's token is a 404."""

from __future__ import annotations

from tellonce.api.models import ApiToken
from tests.matrix import STAFF, Route

ROUTES = [
    Route("account/api-tokens/", STAFF),
    Route(
        "account/api-tokens/<int:token_id>/revoke/",
        frozenset({"slt"}),
        lambda w: {"token_id": ApiToken.issue(w.users["slt"], "Case system")[0].pk},
        method="POST",
    ),
]
