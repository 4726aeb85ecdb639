"""The guard of tests/repository_guard.py catches a read outside the repository, and only that."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import repository_guard
from tests.repository_guard import REPOSITORY


def _reads_recorded(path: Path) -> list[str]:
    """Open `path` as a test would, and return what the guard recorded (then forget it, so
    this test does not fail for the read it made on purpose)."""
    already = len(repository_guard.outside)
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError:
        pass  # the hook sees the open before the file system answers
    recorded = repository_guard.outside[already:]
    del repository_guard.outside[already:]
    return recorded


def test_a_read_of_a_sibling_of_the_repository_is_caught() -> None:
    sibling = repository_guard.NOTES_BESIDE / "DESIGN.md"
    assert _reads_recorded(sibling) == [str(sibling)]


def test_a_relative_path_out_of_the_repository_is_caught(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(REPOSITORY / "tests")
    notes = repository_guard.NOTES_BESIDE
    assert _reads_recorded(Path("..") / ".." / notes.name / "STYLE.md") == [
        str(notes / "STYLE.md")
    ]


def test_a_symlink_in_an_allowed_place_pointing_outside_is_caught(tmp_path: Path) -> None:
    link = tmp_path / "design.md"
    os.symlink(repository_guard.NOTES_BESIDE / "DESIGN.md", link)
    assert _reads_recorded(link) == [str(link)]


@pytest.mark.parametrize(
    "inside",
    [REPOSITORY / "README.md", REPOSITORY / "tellonce" / "directory" / "schema" / "service.json",
     Path(os.__file__), Path("/etc/hostname")],
)
def test_reads_in_the_repository_python_and_the_system_are_allowed(inside: Path) -> None:
    assert _reads_recorded(inside) == []


def test_the_temporary_directory_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "scratch.txt").write_text("x")
    assert _reads_recorded(tmp_path / "scratch.txt") == []


def test_a_sibling_checkout_is_caught_where_the_parent_is_not_temporary() -> None:
    if repository_guard.PARENT in repository_guard.ALLOWED:
        # A clone in the temporary directory: its siblings are temporary files.
        assert repository_guard.is_allowed(str(repository_guard.NOTES_BESIDE / "x")) is False
    else:
        sibling = REPOSITORY.parent / f"{REPOSITORY.name}-another-checkout" / "README.md"
        assert repository_guard.is_allowed(str(sibling)) is False
