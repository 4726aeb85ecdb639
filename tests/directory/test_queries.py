"""The search's shortcuts answer exactly what the plain queries would."""

from __future__ import annotations

import pytest

from tellonce.directory import postcodes, queries
from tellonce.directory.views import NEAREST
from tests.directory.helpers import make_service

pytestmark = pytest.mark.django_db


def test_nearest_first_gives_the_rows_ordering_every_match_by_distance_gives() -> None:
    home = postcodes.lookup("RV1 1AA")
    assert home is not None
    places = [p.postcode for p in postcodes.all_places()]
    # Near and far places, several services at one place (ties go by name), none at all.
    for i, postcode in enumerate(places[::12] + ["RV1 1AA"] * 4 + [None] * 3):
        make_service(f"Speech service {i:02}", postcode=postcode)
    make_service("Speech service closed", postcode="RV1 1AA", status="defunct")
    services = queries.with_distance(queries.search(queries.public_services(), "speech"),
                                     home.latitude, home.longitude).only("id", "name")
    everything = list(services.order_by(*NEAREST.ordering))
    assert len(everything) > 25
    for start, stop in [(0, 3), (0, 5), (3, 9), (10, 20), (0, len(everything)),
                        (len(everything) - 4, len(everything))]:
        page = queries.nearest_first(services, home.latitude, home.longitude,
                                     NEAREST.ordering, start, stop)
        assert [s.pk for s in page] == [s.pk for s in everything[start:stop]], (start, stop)
        assert [s.distance_sq_km for s in page] == [  # type: ignore[attr-defined]
            s.distance_sq_km for s in everything[start:stop]]  # type: ignore[attr-defined]


def test_nearest_first_keeps_a_distance_limit() -> None:
    home = postcodes.lookup("RV1 1AA")
    assert home is not None
    for i, place in enumerate(postcodes.all_places()[::20]):
        make_service(f"Swimming {i:02}", postcode=place.postcode)
    services = queries.within(queries.with_distance(queries.public_services(), home.latitude,
                                                    home.longitude), 2.0).only("id", "name")
    everything = list(services.order_by(*NEAREST.ordering))
    page = queries.nearest_first(services, home.latitude, home.longitude, NEAREST.ordering,
                                 0, len(everything))
    assert [s.pk for s in page] == [s.pk for s in everything]


@pytest.mark.parametrize("text", ["", "speech", "spe", "speech therapy", "autism speech",
                                  "nothing-like-this", "SPEECH  and"])
def test_search_count_counts_what_search_finds(text: str) -> None:
    from tellonce.directory.models import Service

    make_service("Speech and language therapy", description="Therapy for speech")
    make_service("Speech group", description="Autism friendly")
    make_service("Autism coffee morning", status="defunct")
    make_service("Swimming")
    assert queries.search_count(text) == queries.search(Service.objects.all(), text).count()
