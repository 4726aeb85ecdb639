"""A guard that the tests read nothing outside the repository (issue: a fresh clone alone
must pass), installed by tests/conftest.py.

An audit hook (PEP 578) sees every file Python opens. A path that resolves (symlinks followed)
outside the repository and outside the places a test run legitimately reads — the Python
installation and its packages, the npm packages, the temporary directory, the system's own
directories (devices, /proc, /usr with its fonts and Debian's chromium, /etc) — is recorded;
the test during which it happened fails, and so does the session if it happened outside any
test. A sibling of the repository is never allowed, even inside an allowed place: above all
`../shared` (design notes kept next to a checkout, which a clone does not have); and where the
repository's parent is not itself an allowed place, no sibling at all. (A clone in /tmp has
temporary files as siblings, so there only `../shared` can be told apart.)
"""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]

# System directories: devices and kernel files, the system's programs, libraries, fonts and
# chromium (/usr), its configuration (/etc, e.g. time zones, SSL, fontconfig).
SYSTEM_ROOTS = ("/dev", "/proc", "/sys", "/usr", "/etc", "/lib", "/lib64", "/var/lib", "/run")


def _allowed_roots() -> tuple[str, ...]:
    roots = {
        REPOSITORY,
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(sys.exec_prefix),
        # .venv and node_modules may be symlinks to a shared installation: their targets.
        REPOSITORY / ".venv",
        REPOSITORY / "node_modules",
        Path(tempfile.gettempdir()),
        Path("/tmp"),
        *(Path(p) for p in sysconfig.get_paths().values()),
        *(Path(p) for p in SYSTEM_ROOTS),
    }
    return tuple(sorted({os.path.realpath(root) for root in roots}))


ALLOWED = _allowed_roots()
PARENT = os.path.realpath(REPOSITORY.parent)
# The design notes some checkouts keep beside them, which a clone does not have: refused
# wherever the checkout sits (tests/test_repository_guard.py reads through this name).
NOTES_BESIDE = REPOSITORY.parent / "shared"
DENIED = (os.path.realpath(NOTES_BESIDE),)
# Allowed places inside the repository's parent other than the repository (e.g. a shared
# .venv in a sibling checkout); anything else there is a sibling.
_SIBLINGS_ALLOWED = PARENT in ALLOWED


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + os.sep)

# Files read outside the allowed places, in the order they were opened.
outside: list[str] = []
_verdicts: dict[str, bool] = {}


def is_allowed(path: str) -> bool:
    known = _verdicts.get(path)
    if known is None:
        real = os.path.realpath(path)
        known = any(_under(real, root) for root in ALLOWED) and not any(
            _under(real, root) for root in DENIED
        )
        if known and _under(real, PARENT) and not _SIBLINGS_ALLOWED:
            known = any(_under(real, root) and len(root) > len(PARENT) for root in ALLOWED)
        _verdicts[path] = known
    return known


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not args:
        return
    path = args[0]
    if isinstance(path, int):  # an already-open file descriptor
        return
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if not isinstance(path, str):
        path = os.fspath(path)  # type: ignore[call-overload]
    # Relative paths are relative to where the tests run.
    absolute = os.path.abspath(path)
    if not is_allowed(absolute):
        outside.append(absolute)


_installed = False


def install() -> None:
    """Add the hook once per process (audit hooks cannot be removed)."""
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
