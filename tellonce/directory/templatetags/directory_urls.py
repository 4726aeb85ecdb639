"""`{% public_url "directory:search" %}`: the local offer's fixed URLs, reversed once.

The public search page and the local offer's menu link to the same handful of URLs, which
take no arguments; reversing them on every request cost as much as finding the results.
Each is reversed once per script prefix (the prefix a deployment is mounted under).
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse

register = template.Library()


@lru_cache(maxsize=64)
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def public_url(name: str) -> str:
    return _reversed(name, get_script_prefix())
