"""The errors every API operation may answer, documented once so that /api/openapi.json
lists each status code the API can return (the whole-API fuzz test checks it does)."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Error(Schema):
    detail: str


class ValidationError(Schema):
    detail: list[dict[str, Any]]


# 400: NUL or too-deep JSON (tellonce/safeinput.py) or a body that is not JSON; 401: no
# token, or one expired, revoked or not a member of staff's; 403: the token's scope does not
# cover the operation; 404: no such record, or one the caller may not see (never 403 for a
# record); 413: a body over UPLOAD_MAX_BYTES; 422: a parameter or field out of its range.
COMMON: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 413: Error,
                          422: ValidationError}


def responses(ok: dict[int, Any], *more: int) -> dict[int, Any]:
    """`ok` (the success responses), the common errors, and `more` (e.g. 409) as Error."""
    return {**ok, **COMMON, **{code: Error for code in more}}
