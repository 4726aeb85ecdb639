"""Every page that shows a child's data writes an audit row naming that child.

A crawl of every URL pattern the access matrix declares, as every role of the test world: a
response that shows a test-world child's name or NHS number must come with an audit row,
written during that request, that names the child (its `child`, or among a list read's
children). A new page that shows children without auditing them fails here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client

from tellonce.access import audit
from tellonce.access.models import AuditEvent, AuditEventChild
from tellonce.ehc import actions as ehc_actions
from tellonce.people.models import Child
from tests.access.test_access_matrix import ROUTES, _client, _url
from tests.health.helpers import kofi_referral
from tests.matrix import ROLES
from tests.world import World


def _needles(child: Child) -> list[str]:
    """How a page may show who the child is: the name either way round, the NHS number
    plain or spaced."""
    found = [f"{child.given_name} {child.family_name}", f"{child.family_name}, {child.given_name}"]
    if child.nhs_number:
        found += [child.nhs_number, child.nhs_number_display]
    return found


def _body(response: HttpResponseBase) -> str:
    content = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    return content.decode("utf-8", errors="replace")


def _children_named(events: list[AuditEvent]) -> set[str]:
    named = {str(event.child_id) for event in events if event.child_id}
    for event in events:
        named.update(str(pk) for pk in event.detail.get(audit.LIST_CHILDREN_KEY, []))
    return named


def _populate(world: World) -> None:
    """Work in progress for the lists to show: Kofi's SLT referral (the health pages' own,
    with its message to his mother), and Bea's EHC needs assessment with its advice requests
    out (the worklist, the advisers' lists)."""
    from tellonce.access.policy import get_child_or_404
    from tellonce.notify import outbox

    kofi_referral(world)
    outbox.queue(to=world.users["parent"], child=world.kofi,
                 subject=f"{world.kofi.full_name}'s speech and language therapy referral",
                 what_changed="The referral was received", what_next="A therapist will call",
                 by_when=None)
    senco_b, caseworker = world.users["senco_b"], world.users["caseworker"]
    child, access = get_child_or_404(senco_b, world.bea.pk)
    request = ehc_actions.do_request_assessment(senco_b, child, access, reasons="Please assess",
                                                family_agreed=True)
    ehc_actions.do_decide_assessment(caseworker, request, agree=True)


def _crawl(world: World) -> Iterator[tuple[str, str, int, list[str]]]:
    """(url, role, status, names of the children shown but not audited) for every GET."""
    children = list(Child.objects.all())
    clients: dict[tuple[str, bool], Client] = {
        (role, api): _client(world, role, api) for role in ROLES for api in (False, True)
    }
    for pattern in sorted(ROUTES):
        route = ROUTES[pattern]
        # Each route builds what it needs (a case at some stage, a service); undone after it,
        # so the next route starts from the same world.
        with transaction.atomic():
            url = _url(route, world)
            data = route.data(world) if route.method == "GET" else {}
            for role in ROLES:
                before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
                response = clients[(role, route.api)].get(url, data=data or None)
                body = _body(response)
                shown = [c for c in children if any(n in body for n in _needles(c))]
                written = list(AuditEvent.objects.filter(pk__gt=before or 0))
                named = _children_named(written)
                missing = [c.full_name for c in shown if str(c.pk) not in named]
                yield url, role, response.status_code, missing if shown else []
                if shown:
                    yield url, role, -1, [c.full_name for c in shown]
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_response_showing_a_child_has_an_audit_row_naming_them(world: World) -> None:
    _populate(world)
    visits = pages_showing = 0
    unaudited = []
    for url, role, status, names in _crawl(world):
        if status == -1:
            pages_showing += 1
            continue
        visits += 1
        if names:
            unaudited.append(f"{role} GET {url} ({status}): {', '.join(names)}")
    print(f"\nread-audit crawl: {visits} visits, {pages_showing} showed a child, "
          f"{len(unaudited)} without an audit row naming them")
    # The crawl must have seen children, or it proves nothing.
    assert pages_showing > 50
    assert not unaudited, "Pages that show a child without auditing it:\n" + "\n".join(unaudited)


def test_list_read_rows_index_the_children_in_their_detail(world: World) -> None:
    """The join table the family's page reads holds exactly the detail's ids."""
    with transaction.atomic():
        event = audit.record_list(
            world.users["caseworker"], "Children list", "Caseload", [world.kofi, world.esi]
        )
    assert sorted(event.detail[audit.LIST_CHILDREN_KEY]) == sorted(
        [str(world.kofi.pk), str(world.esi.pk)]
    )
    assert set(AuditEventChild.objects.filter(event=event).values_list("child_id", flat=True)) \
        == {world.kofi.pk, world.esi.pk}
