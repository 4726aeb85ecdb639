"""Every CSV export goes through the one writer (tellonce/csvexport.py), which escapes any text
cell that a spreadsheet would run as a formula: starting =, +, -, @, a tab or a carriage
return. The exports are enumerated from the URL patterns, so a new one must be listed here."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import get_resolver

from tellonce import csvexport
from tellonce.directory.models import Service
from tellonce.ehc import actions
from tellonce.ehc.models import Step
from tellonce.health.models import Pathway, PathwayKind
from tellonce.people.models import Child, Locality
from tests.access.test_access_matrix import _patterns
from tests.directory.helpers import make_full_service
from tests.health.helpers import make_referral

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Each CSV export, and who may download it.
EXPORTS = {
    "local-offer/local-offer.csv": "anonymous",
    "ehc/worklist.csv": "caseworker",
    "waiting-times.csv": "leader",
    "scorecard.csv": "leader",
    "scorecard/imports/<slug:source>-template.csv": "leader",
}
# Exports whose cells are all the product's own text (a blank import template): the hostile
# text cannot reach them, so only "nothing runs" is checked.
FIXED_TEXT = {"scorecard/imports/<slug:source>-template.csv"}
# A real value for each URL parameter.
PARAMETERS = {"<slug:source>": "community_waits"}


def test_every_csv_export_is_listed_here() -> None:
    served = {p for p in _patterns(get_resolver()) if p.endswith(".csv")}
    assert served == set(EXPORTS)


@pytest.mark.parametrize("value,cell", [
    ("=1+1", "'=1+1"), ("+44 1632", "'+44 1632"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Plain", "Plain"), ("", ""), (None, ""),
    (-3, -3), (2.5, 2.5),
])
def test_a_cell_a_spreadsheet_would_run_is_escaped(value: object, cell: object) -> None:
    assert csvexport.safe_cell(value) == cell


def _hostile_data(world) -> None:  # type: ignore[no-untyped-def]
    """Text starting with each formula character, where each export shows it."""
    service = make_full_service(name="=HYPERLINK(\"http://x\")")
    Service.objects.filter(pk=service.pk).update(description="\tcmd", fees="\r=1+1")
    world.kofi.given_name, world.kofi.family_name = "\t=Kofi", "@Mensah"
    world.kofi.save()
    actions._open_step(world.kofi, Step.Kind.FINAL_PLAN, Step.Stage.FINAL, "+Final plan",
                       date.today() - timedelta(days=100), due=date.today())
    place = Locality.objects.create(name="\r@Northside", local_authority=world.la)
    # The scorecard's breakdowns label groups by locality: Kofi's own is hostile.
    Child.objects.filter(pk=world.kofi.pk).update(locality=place)
    pathway = Pathway.objects.create(provider=world.slt, kind=PathwayKind.SLT, locality=place,
                                     local_authority=world.la)
    for _ in range(6):
        make_referral(world, pathway=pathway)


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", sorted(EXPORTS))
def test_no_cell_of_any_export_runs_as_a_formula(pattern: str, world, client_for) -> None:  # type: ignore[no-untyped-def]
    _hostile_data(world)
    url = "/" + pattern
    for parameter, value in PARAMETERS.items():
        url = url.replace(parameter, value)
    response = client_for(EXPORTS[pattern]).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    cells = [cell for row in csv.reader(io.StringIO(body.decode(), newline="")) for cell in row]
    running = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not running, running
    if pattern in FIXED_TEXT:
        assert len(cells) > 1, "the template is empty"
        return
    escaped = [cell for cell in cells if cell.startswith("'") and cell[1:2] in FORMULA_STARTS]
    assert escaped, "the hostile text did not reach this export: the test proves nothing"
