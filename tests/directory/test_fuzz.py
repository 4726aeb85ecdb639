"""Fuzzing the ORUK endpoints from the project's own OpenAPI document: no input is a 5xx,
and every 200 matches the ORUK schema the document embeds."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from tellonce.api.api import api
from tellonce.directory.api import OTHER_METHODS
from tellonce.wsgi import application
from tests.directory.helpers import make_full_service

# The same document /api/openapi.json serves, built without a request (collection has no
# database), and called through the WSGI application.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(
    path_prefix="/api/"))))
schema.app = application
HANDLED = {"GET", *OTHER_METHODS}
oruk = schema.include(path_regex="^/api/oruk/")


@pytest.fixture
def services(db):  # type: ignore[no-untyped-def]
    """Two services; and, as Django's own test client does, the test's database connection
    kept open across requests made straight through the WSGI application."""
    make_full_service()
    make_full_service(name="Second")
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@oruk.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_oruk_api_never_answers_5xx_and_conforms(case, services) -> None:  # type: ignore[no-untyped-def]
    response = case.call()
    assert response.status_code < 500, response.text[:300]
    if case.method.upper() in HANDLED:
        assert response.headers.get("access-control-allow-origin") in ("*", ["*"]), (
            case.method, case.path, response.status_code)
    # Empty filters are read as absent (lenient, as ORUK consumers expect), which the
    # negative-data check would count against a 'uuid' parameter; every other check runs.
    case.validate_response(response, excluded_checks=[negative_data_rejection])
