"""The one CSV writer every export uses: streamed, UTF-8, and safe to open in a spreadsheet.

A cell that starts with =, +, - or @ (or a tab or carriage return, which spreadsheets skip
before reading the rest as a formula) is run as a formula by Excel, LibreOffice and Google
Sheets: CSV injection (OWASP). Such a text cell is written with a leading apostrophe, which
spreadsheets show as text. Numbers are written as they are: -3 is a number, not a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Each row as one CSV line, every cell made safe."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def response(filename: str, rows: Iterable[Sequence[Any]],
             stream: bool = True) -> HttpResponseBase:
    """A CSV download of `rows` (the header first), as `filename`: streamed, or (stream=False,
    for a small table) in one piece."""
    answer: HttpResponseBase
    if stream:
        answer = StreamingHttpResponse(lines(rows), content_type="text/csv; charset=utf-8")
    else:
        answer = HttpResponse("".join(lines(rows)), content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer
