"""Shared fixtures: a small test area, and clients signed in as each role."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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


# --- PostgreSQL as a deployment runs it: owner migrates, the application role runs --------
# With DATABASE_OWNER_URL set (scripts/run_pytest.py --postgres), each test database is
# created and migrated as the owner role and the tests run connected as the application
# role (DATABASE_URL), which owns nothing and may only SELECT and INSERT on the audit log.
# Works per xdist worker: each worker's database is made the same way.
CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")


def _owner_credentials() -> dict[str, Any] | None:
    import dj_database_url
    from django.conf import settings

    if not settings.DATABASE_OWNER_URL:
        return None
    owner = dj_database_url.parse(settings.DATABASE_OWNER_URL)
    return {key: owner.get(key) for key in CREDENTIALS}


_APP_CREDENTIALS: dict[str, Any] = {}


def connect_as(credentials: dict[str, Any]) -> None:
    """The default connection, closed and opened again (on its next use) with these."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict.update(credentials)


def connect_as_owner() -> None:
    owner = _owner_credentials()
    if owner is not None:
        connect_as(owner)


def connect_as_app() -> None:
    if _APP_CREDENTIALS:
        connect_as(_APP_CREDENTIALS)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    from django.db import connections

    if _owner_credentials() is not None:
        settings_dict = connections.settings["default"]
        _APP_CREDENTIALS.update({key: settings_dict.get(key) for key in CREDENTIALS})
        connect_as_owner()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    if not _APP_CREDENTIALS:
        yield
        return
    from django.db import connection

    from tellonce.access import db_roles

    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (owner,) = cursor.fetchone()
            db_roles.grant(cursor, owner, _APP_CREDENTIALS["USER"])
        connect_as_app()
    yield
    with django_db_blocker.unblock():
        connect_as_owner()  # the owner destroys the test database


# --- end of PostgreSQL roles ---------------------------------------------------------------


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
    log's append-only triggers forbid: lift the triggers for that teardown only (on
    PostgreSQL as the owner role: the application's role may do neither)."""
    commits = _commits_data(item)
    if commits:
        from django.db import connection
        from pytest_django.plugin import blocking_manager_key

        from tellonce.access import append_only

        with item.config.stash[blocking_manager_key].unblock():
            connect_as_owner()
            append_only.remove(connection)
    yield
    # After the session's last test the test database is gone: nothing to put back.
    if commits and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            append_only.install(connection)
            connect_as_app()
