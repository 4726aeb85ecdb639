"""Who someone is at an OpenID Connect provider, and which of our accounts that is."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tellonce.people.models import User


class SignInIdentity(models.Model):
    """A provider's subject (its stable id for the person) linked to one account.

    Families' identities (GOV.UK One Login) are made on their first sign-in and give no access
    by themselves: a child is seen only once an invitation is confirmed (tellonce/invitations).
    Staff identities are linked to an existing account with a current staff membership, by the
    subject or, the first time, by the email address the organisation's provider vouches for.
    """

    class Provider(models.TextChoices):
        ONE_LOGIN = "onelogin", "GOV.UK One Login"
        STAFF = "staff", "Your organisation's account"

    provider = models.CharField(max_length=20, choices=Provider.choices)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    email = models.EmailField(blank=True)
    linked_at = models.DateTimeField(default=timezone.now)
    last_signed_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="unique_identity")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} identity of {self.user}"
