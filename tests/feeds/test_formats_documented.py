"""docs/feeds.md documents every column of every format the import checks."""

from __future__ import annotations

from pathlib import Path

from tellonce.feeds.formats import FORMATS

DOC = Path(__file__).resolve().parents[2] / "docs" / "feeds.md"


def test_every_format_and_column_is_documented() -> None:
    text = DOC.read_text()
    missing = [f"{f.kind}.{c.name}" for f in FORMATS.values() for c in f.columns
               if f"| `{c.name}` | {'yes' if c.required else 'no'} |" not in
               text.split(f"(`{f.kind}`)")[1].split("\n## ")[0]]
    assert not missing, f"docs/feeds.md does not document: {missing}"
