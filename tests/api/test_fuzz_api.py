"""Fuzzing the whole API from its own OpenAPI document, with tokens for two roles: no input
is a 5xx, and every status code returned is one the document lists for that operation.

(tests/directory/test_fuzz.py fuzzes the ORUK endpoints harder and checks their bodies
against the ORUK schema; this one covers every operation, the staff API's above all.)
"""

from __future__ import annotations

import itertools
import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tellonce.api.api import api
from tellonce.api.models import ApiToken
from tellonce.ehc.models import AdviceRequest
from tellonce.wsgi import application
from tests.world import build_world

DOCUMENT = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = application
staff_api = schema.exclude(path_regex="^/api/oruk/")
oruk_api = schema.include(path_regex="^/api/oruk/")
ROLES = ("caseworker", "slt")
# Every other case names a record that exists, so that the operations behind the 404 (a
# child the token may see; its About me, with any base_version) are fuzzed too.
_turn = itertools.count()


@pytest.fixture
def tokens(db):  # type: ignore[no-untyped-def]
    """The test world, a token for each role, and (as Django's test client does) the test's
    database connection kept open across requests made straight through the WSGI app."""
    world = build_world()
    keys = {role: ApiToken.issue(world.users[role], "fuzz")[1] for role in ROLES}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield world, keys
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_document_lists_the_errors_every_operation_can_answer() -> None:
    missing = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            needed = {"400"} if path.startswith("/api/oruk/") else {
                "400", "401", "403", "404", "422"}
            if not needed <= codes:
                missing.append(f"{method.upper()} {path}: {sorted(needed - codes)}")
    assert not missing, missing


FUZZ = settings(max_examples=6, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.filter_too_much])


def _call_and_check(case, world, key: str) -> None:  # type: ignore[no-untyped-def]
    if next(_turn) % 2 == 0:
        if "child_id" in (case.path_parameters or {}):
            case.path_parameters["child_id"] = str(world.kofi.pk)
        advice = AdviceRequest.objects.first()
        if "advice_id" in (case.path_parameters or {}) and advice is not None:
            case.path_parameters["advice_id"] = advice.pk
    headers = {"Authorization": f"Bearer {key}"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance],
                           headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@staff_api.parametrize()
@FUZZ
def test_staff_api_never_answers_5xx_and_documents_every_status(case, role, tokens) -> None:  # type: ignore[no-untyped-def]
    world, keys = tokens
    _call_and_check(case, world, keys[role])


@pytest.mark.django_db
@oruk_api.parametrize()
@FUZZ
def test_oruk_api_answers_only_what_it_documents(case, tokens) -> None:  # type: ignore[no-untyped-def]
    """The public API ignores a token; once, with the first role's."""
    world, keys = tokens
    _call_and_check(case, world, keys[ROLES[0]])
