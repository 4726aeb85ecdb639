"""Shared fixtures: a small test area, and clients signed in as each role."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests import repository_guard
from tests.world import World, build_world

# No timed assertions: Hypothesis's per-example deadline failed pure arithmetic on a loaded
# machine (268 ms once, 0.1 ms again). Speed is measured in the benchmarks instead.
hypothesis_settings.register_profile("tellonce", deadline=None)
hypothesis_settings.load_profile("tellonce")

# Before anything else is imported or read: every file a test opens must be in the repository
# (or the Python installation, the npm packages, the temporary directory or the system's own
# directories); see tests/repository_guard.py.
repository_guard.install()


@pytest.fixture(autouse=True)
def _reads_stay_in_the_repository() -> object:
    already = len(repository_guard.outside)
    yield
    read = repository_guard.outside[already:]
    if read:
        del repository_guard.outside[already:]
        pytest.fail(f"This test read files outside the repository: {sorted(set(read))}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Reads outside any test (imports, collection) fail the run too."""
    if repository_guard.outside:
        print(f"\nFiles read outside the repository: {sorted(set(repository_guard.outside))}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _fast_tests(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.REQUIRE_STAFF_2FA = False
    # Each test's data is rolled back under the local offer's search index, as if another
    # process had changed it: the first search of each test reads the search stamp.
    from tellonce.directory import search_index

    search_index.forget_check()


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


def _commits_data(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """Tests that commit data are emptied afterwards by DELETE or TRUNCATE, which the audit
    log's append-only triggers forbid: lift the triggers for that teardown only."""
    commits = _commits_data(item)
    if commits:
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        from tellonce.access import append_only

        with item.config.stash[blocking_manager_key].unblock():
            append_only.remove(connection)
    yield
    # After the session's last test the test database is gone: nothing to put back.
    if commits and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            append_only.install(connection)
