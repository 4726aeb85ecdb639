"""Validating responses against the ORUK 3.0 schema files kept in the repository
(tellonce/directory/schema/, copied unchanged from the standard; see its README), with their
absolute $refs mapped to the local files."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tellonce.directory.oruk import SCHEMA_BASE as BASE
from tellonce.directory.oruk import SCHEMA_DIR


@lru_cache(maxsize=1)
def _registry() -> Registry:
    registry: Registry = Registry()
    for path in SCHEMA_DIR.glob("*.json"):
        resource = Resource.from_contents(json.loads(path.read_text()),
                                          default_specification=DRAFT202012)
        registry = registry.with_resource(BASE + path.name, resource)
    return registry


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text())
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def assert_valid(data: Any, name: str) -> None:
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in validator(name).iter_errors(data)]
    assert not errors, f"{name}: {errors[:5]}"


def assert_no_empty_values(data: Any, where: str = "") -> None:
    """ORUK: optional fields without a value are omitted, never null or empty."""
    if isinstance(data, dict):
        for key, value in data.items():
            assert value is not None and value != "" and value != [] and value != {}, (
                f"{where}/{key} is empty"
            )
            assert_no_empty_values(value, f"{where}/{key}")
    elif isinstance(data, list):
        for i, item in enumerate(data):
            assert_no_empty_values(item, f"{where}/{i}")
