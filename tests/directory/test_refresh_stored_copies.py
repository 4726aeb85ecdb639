"""refresh_stored_copies fills the copies of rows written before they existed."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tellonce.directory.models import Service
from tests.directory.helpers import make_service
from tests.directory.test_stored import assert_copies_are_current

pytestmark = pytest.mark.django_db


def test_services_without_copies_get_them_and_others_are_left_alone() -> None:
    old = make_service("Written before the copies")
    current = make_service("Kept up to date")
    Service.objects.filter(pk=old.pk).update(oruk_item="", result_card="")
    Service.objects.filter(pk=current.pk).update(result_card="<li>kept</li>")
    call_command("refresh_stored_copies", batch=1)
    assert_copies_are_current(old)
    assert Service.objects.get(pk=current.pk).result_card == "<li>kept</li>"
    call_command("refresh_stored_copies", "--all")
    assert_copies_are_current(current)
