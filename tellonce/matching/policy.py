"""Who may bring in the agencies' files and decide their matches: one definition each.

A data officer of a local authority receives the files sent to that authority and decides
the uncertain matches against that authority's children. To decide, they see the row and
each candidate child's identity (names, date of birth, sex, postcode, UPN, NHS number) and
nothing else of the record: the basis is BASIS_MATCHING, audited on every read.

A link joins an agency's row to a child; it grants nobody anything. Who may see the child,
and so the linked rows (the child's "Other agencies' records" page), stays the access
policy's (tellonce/access/policy.py): the link is not an involvement, a consent or a
statutory basis.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from tellonce.access.policy import active_memberships
from tellonce.feeds.formats import Format
from tellonce.feeds.models import Delivery
from tellonce.matching.models import Link, Review
from tellonce.people.models import Child, Organisation, StaffMembership, User

Role = StaffMembership.Role
BASIS_MATCHING = ("Data officer joining agencies' records (identity only) for the local "
                  "authority that holds them")


def matching_authorities(user: User) -> list[int]:
    """The local authorities whose feeds the user brings in and matches."""
    return sorted({
        m.organisation.local_authority_id or m.organisation.parent_id or m.organisation_id
        for m in active_memberships(user) if m.role == Role.DATA_OFFICER
    })


def is_data_officer(user: User) -> bool:
    return bool(matching_authorities(user))


def deliveries(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.filter(local_authority_id__in=matching_authorities(user))


def get_delivery_or_404(user: User, pk: int) -> Delivery:
    delivery = deliveries(user).select_related("sender", "received_by").filter(pk=pk).first()
    if delivery is None:
        raise Http404("No such delivery")
    return delivery


def reviews(user: User) -> QuerySet[Review]:
    return Review.objects.filter(
        record__delivery__local_authority_id__in=matching_authorities(user)
    )


def get_review_or_404(user: User, pk: int) -> Review:
    review = reviews(user).select_related("record__delivery__sender").filter(pk=pk).first()
    if review is None:
        raise Http404("No such review")
    return review


def links(user: User) -> QuerySet[Link]:
    return Link.objects.filter(
        record__delivery__local_authority_id__in=matching_authorities(user)
    )


def get_link_or_404(user: User, pk: int) -> Link:
    link = links(user).select_related("child", "record__delivery").filter(pk=pk).first()
    if link is None:
        raise Http404("No such link")
    return link


def matchable_children(local_authority_id: int) -> QuerySet[Child]:
    """The children a feed for this authority is matched against: its own, not erased."""
    return Child.objects.filter(local_authority_id=local_authority_id, erased_at__isnull=True)


def senders(user: User, spec: Format) -> QuerySet[Organisation]:
    """Organisations that may send this kind of file to the user's authorities: a school
    names its authority; a social care team or a trust's service its parent's."""
    authorities = matching_authorities(user)
    return Organisation.objects.filter(
        Q(local_authority_id__in=authorities) | Q(parent_id__in=authorities)
        | Q(parent__local_authority_id__in=authorities) | Q(pk__in=authorities),
        kind__in=spec.sender_kinds,
    ).order_by("name")
