"""Shared fixtures: a small test area, and clients signed in as each role."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.world import World, build_world


@pytest.fixture(autouse=True)
def _fast_tests(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.REQUIRE_STAFF_2FA = False


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def client_for(world: World):  # type: ignore[no-untyped-def]
    """client_for('slt') is a test client signed in as that user of the world."""

    def make(username: str) -> Client:
        client = Client()
        if username != "anonymous":
            client.force_login(world.users[username])
        return client

    return make
