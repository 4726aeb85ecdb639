"""Input no page, API call or import may take in: the one place that refuses it.

A NUL character (a zero byte) is never part of text. PostgreSQL refuses it in a text column
(a 500 if it reaches a query) and SQLite stores it silently, so it is refused at the edge: in
the path, the query string, form fields, JSON bodies and uploaded text files (CSV, JSON),
with a 400 that names the field. JSON nested deeper than anything this service reads is
refused too: Python's parser and the schema check recurse, and a deep enough document would
exhaust the stack. `loads_json` is the one JSON reader for outside input (request bodies, the
local offer import's files and feeds); `RejectBadInputMiddleware` applies both rules to every
request, answering a page with a GOV.UK error page and the API with a JSON error (documented
in the OpenAPI document as each operation's 400). It first refuses, with a 413, a body whose
declared length is over settings.UPLOAD_MAX_BYTES, before any of it is read.
"""

from __future__ import annotations

import codecs
import contextlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
# Deeper than any ORUK service (about 8 levels) or API body, far below the stack's limit.
MAX_JSON_DEPTH = 64
# Uploaded files read as text, and so checked for NUL (spreadsheets and PDFs are binary).
TEXT_UPLOAD_SUFFIXES = (".csv", ".json", ".ndjson", ".txt", ".tsv")
TEXT_UPLOAD_TYPES = ("text/", "application/json", "application/x-ndjson")
CHUNK = 64 * 1024


class BadInput(ValueError):
    """Input refused, with a message that says which part and why."""


def nul_message(where: str) -> str:
    return (f"{where} contains a NUL character (a zero byte), which is never part of text: "
            "remove it and try again")


def check_text(where: str, value: str) -> None:
    if NUL in value:
        raise BadInput(nul_message(where))


def loads_json(text: str | bytes, where: str = "The JSON") -> Any:
    """json.loads, refusing NUL in any string or key and nesting deeper than MAX_JSON_DEPTH.

    Raises json.JSONDecodeError (and UnicodeDecodeError for bytes) as json.loads does.
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise BadInput(f"{where} is nested more than {MAX_JSON_DEPTH} levels deep") from None
    check_json(data, where)
    return data


def check_json(data: Any, where: str = "The JSON") -> None:
    """Walk parsed JSON without recursion (a deep document is what this guards against)."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            check_text(where, value)
        elif isinstance(value, (dict, list)):
            if depth >= MAX_JSON_DEPTH:
                raise BadInput(f"{where} is nested more than {MAX_JSON_DEPTH} levels deep")
            if isinstance(value, dict):
                for key, item in value.items():
                    check_text(where, key)
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


def _is_json(request: HttpRequest) -> bool:
    content_type = request.content_type or ""
    return content_type == "application/json" or content_type.endswith("+json")


def _is_text_upload(upload: Any) -> bool:
    name = (upload.name or "").lower()
    content_type = (upload.content_type or "").lower()
    return name.endswith(TEXT_UPLOAD_SUFFIXES) or content_type.startswith(TEXT_UPLOAD_TYPES)


def _upload_has_nul(upload: Any) -> bool:
    """Whether a UTF-8 text file holds a NUL. A file that is not UTF-8 at all (UTF-16, say,
    which is full of zero bytes) is left to the import, which says it must be UTF-8."""
    found = False
    decoder = codecs.getincrementaldecoder("utf-8")()
    upload.seek(0)
    try:
        for chunk in upload.chunks(CHUNK):
            found = found or "\x00" in decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        found = False
    upload.seek(0)
    return found


def check_request(request: HttpRequest) -> None:
    """Raise BadInput for NUL anywhere in the request's text, or a too-deep JSON body."""
    check_text("The address", request.path)
    for name, values in request.GET.lists():
        check_text("A query parameter's name", name)
        for value in values:
            check_text(f"The query parameter '{name[:40]}'", value)
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if _is_json(request):
        if request.body:  # malformed JSON: the API's own parsing says so
            with contextlib.suppress(json.JSONDecodeError, UnicodeDecodeError):
                loads_json(request.body, "The JSON body")
        return
    for name, values in request.POST.lists():
        for value in values:
            check_text(f"The field '{name[:40]}'", value)
    for _name, uploads in request.FILES.lists():
        for upload in uploads:
            if _is_text_upload(upload) and _upload_has_nul(upload):
                raise BadInput(nul_message(f"The file '{(upload.name or '')[:80]}'"))


def too_large(request: HttpRequest) -> str | None:
    """Why the request's body is refused unread, or None. The declared length is checked
    before anything reads the body, so an oversized upload never reaches memory or disk
    (the WSGI server reads no more than CONTENT_LENGTH)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.UPLOAD_MAX_BYTES
    if length > limit:
        return (f"What was sent is larger than {limit / (1024 * 1024):g} MB, the most this "
                "service accepts: send a smaller file")
    return None


def bad_input_response(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    """The API's JSON error (ORUK's shape under /api/oruk/, with its CORS), or a page."""
    if request.path.startswith("/api/oruk/"):
        response = JsonResponse({"error": "bad_request", "message": message}, status=status)
        response["Access-Control-Allow-Origin"] = "*"
        return response
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "errors/bad_input.html", {"message": message}, status=status)


class RejectBadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refused = too_large(request)
        if refused:
            return bad_input_response(request, refused, status=413)
        try:
            check_request(request)
        except BadInput as problem:
            return bad_input_response(request, str(problem))
        return self.get_response(request)
