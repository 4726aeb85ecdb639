"""`{% public_url "directory:search" %}`: the local offer's fixed URLs, reversed once; and
`{% local_offer_nav %}`: its menu (directory/includes/nav.html), rendered once.

The public search page and the local offer's menu link to the same handful of URLs, which
take no arguments; reversing them on every request cost as much as finding the results.
Each is reversed, and the menu rendered, once per script prefix (the prefix a deployment is
mounted under): the menu is those links and nothing else.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
NAV_TEMPLATE = "directory/includes/nav.html"


@lru_cache(maxsize=64)
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def public_url(name: str) -> str:
    return _reversed(name, get_script_prefix())


@lru_cache(maxsize=8)
def _nav(prefix: str) -> SafeString:
    return mark_safe(render_to_string(NAV_TEMPLATE))  # noqa: S308 -- a rendered template


@register.simple_tag
def local_offer_nav() -> SafeString:
    return _nav(get_script_prefix())
