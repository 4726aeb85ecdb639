"""The child record's link to its invitations, for those who may invite (the people app's
template asks here, so people does not import the invitations app)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tellonce.invitations.policy import may_invite

register = template.Library()


@register.simple_tag(takes_context=True)
def invite_link(context: Any, child: Any, access: Any) -> SafeString | str:
    user = context["request"].user
    if access is None or not may_invite(user, access):
        return ""
    return format_html(
        '<p class="govuk-body"><a class="govuk-link" href="{}">Invite a parent or carer{}</a> '
        "to see this record online.</p>",
        reverse("invitations:child", args=[child.pk]),
        " or the young person" if child.age >= 16 else "",
    )
