"""A small generated area: children with plans, referrals, reviews, About me and messages."""

from __future__ import annotations

import pytest

from tellonce.demo.area import generate_area


@pytest.fixture
def area(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return generate_area(seed=3, children=600, progress=lambda message: None)
