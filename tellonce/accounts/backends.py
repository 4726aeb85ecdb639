"""Authentication backend: Django's, loading the user with what the access policy asks first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from tellonce.people.models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        # The policy asks on every request whether the user is a parent (adult) or a young
        # person (own_record); loading both with the user saves a query each time.
        user = (
            User._default_manager.select_related("adult", "own_record").filter(pk=user_id).first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None
