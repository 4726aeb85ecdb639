"""A matching model trained once per run, without labels, on a synthetic pair of feeds."""

from __future__ import annotations

from typing import Any

import pytest

from tellonce.demo.matching_truth import synthetic_pair
from tellonce.matching import engine


@pytest.fixture(scope="session")
def trained_parameters() -> dict[str, Any]:
    pair = synthetic_pair(3000, 0.1, seed=11)
    return engine.train(pair.feed, pair.record)


@pytest.fixture
def match_model(world, trained_parameters):  # type: ignore[no-untyped-def]
    from tellonce.matching.actions import do_save_model

    return do_save_model(trained_parameters, world.la, "test", "synthetic pair, 3,000 rows")
