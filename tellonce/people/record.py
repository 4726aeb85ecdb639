"""The parts of a child's record page that the workflows contribute.

The child record (people/views.py `child_record`) shows what each workflow holds about the
child: the latest 'About me', whether the user may refer the child to a health service.
`people` sits below the workflows and imports none of them (an import contract in
pyproject.toml), so it finds their parts by name, from settings.CHILD_RECORD_PARTS, as
Django finds middleware. Each part is a function (user, child, access) -> a dict of names
for the page's template, and runs after `get_child_or_404` has said the user may see the
child.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from tellonce.access.policy import ChildAccess
from tellonce.people.models import Child, User

RecordPart = Callable[[User, Child, ChildAccess], dict[str, Any]]


@functools.cache
def _parts() -> tuple[RecordPart, ...]:
    return tuple(import_string(name) for name in settings.CHILD_RECORD_PARTS)


def record_parts(user: User, child: Child, access: ChildAccess) -> dict[str, Any]:
    """What every workflow adds to the child record page, for this user and child."""
    context: dict[str, Any] = {}
    for part in _parts():
        context.update(part(user, child, access))
    return context
