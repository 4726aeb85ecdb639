"""The ORUK 3.0 schema copy in the repository holds everything the API and the tests use."""

from __future__ import annotations

import json
import re

from tellonce.directory.oruk import SCHEMA_BASE, SCHEMA_DIR
from tests.directory.oruk_schema import validator

# The documents the API's responses are validated against (tests/directory/test_api.py).
RESPONSE_SCHEMAS = [
    "api_details.json", "organization.json", "organization_list.json", "service.json",
    "service_at_location.json", "service_at_location_list.json", "service_list.json",
    "taxonomy.json", "taxonomy_list.json", "taxonomy_term.json", "taxonomy_term_list.json",
]


def test_every_reference_in_the_copy_resolves_to_a_file_in_it() -> None:
    copied = {path.name for path in SCHEMA_DIR.glob("*.json")}
    referenced = set()
    for path in SCHEMA_DIR.glob("*.json"):
        for ref in re.findall(r'"\$ref":\s*"([^"#]+)', path.read_text()):
            assert ref.startswith(SCHEMA_BASE), f"{path.name} refers outside ORUK: {ref}"
            referenced.add(ref.removeprefix(SCHEMA_BASE))
    assert referenced, "no references found: the pattern no longer matches the files"
    assert referenced <= copied, f"missing from the copy: {sorted(referenced - copied)}"


def test_each_response_schema_the_tests_use_is_in_the_copy() -> None:
    for name in RESPONSE_SCHEMAS:
        schema = json.loads((SCHEMA_DIR / name).read_text())
        assert "properties" in schema, f"{name} describes no fields"
        validator(name)  # builds with every reference resolved from the copy
