"""Pathways and referrals in the test world, for health tests and the access matrix."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tellonce.health.models import Pathway, PathwayKind, Referral
from tests.world import World


def slt_pathway(world: World) -> Pathway:
    pathway, _ = Pathway.objects.get_or_create(
        provider=world.slt,
        kind=PathwayKind.SLT,
        locality=None,
        defaults={"local_authority": world.la},
    )
    return pathway


def make_referral(world: World, child: Any = None, **kwargs: Any) -> Referral:
    kwargs.setdefault("received_on", date.today() - timedelta(weeks=20))
    kwargs.setdefault("referrer_name", "Dr Testing")
    kwargs.setdefault("status", Referral.Status.WAITING)
    return Referral.objects.create(
        child=child or world.kofi,
        pathway=kwargs.pop("pathway", None) or slt_pathway(world),
        **kwargs,
    )


def kofi_referral(world: World) -> Referral:
    """Kofi's waiting SLT referral (one per world)."""
    found = Referral.objects.filter(child=world.kofi, pathway__provider=world.slt).first()
    return found or make_referral(world, provider_reference="KOFI-1")
