"""The scorecard as rows for CSV (DfE symbols for what is not shown) and as a PDF."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from django.template.loader import render_to_string

from tellonce.insight import disclosure
from tellonce.insight.indicators import Scope
from tellonce.insight.scorecard import Row, breakdowns, scorecard


def symbol(value: float | int | None, *, suppressed: bool = False) -> str | float | int:
    """A figure, or the DfE's symbol: `c` suppressed, `z` not applicable (none counted)."""
    if suppressed:
        return disclosure.SUPPRESSED
    if value is None:
        return disclosure.NOT_APPLICABLE
    return value


HEADER = ["indicator", "table", "group", "period", "numerator", "denominator", "value", "unit",
          "target", "direction_of_good", "source"]


def csv_rows(scope: Scope, today: date) -> Iterator[Sequence[object]]:
    period, rows = scorecard(scope, today)
    yield HEADER
    for row in rows:
        yield from _rows(row, scope, today, period.label)


def _rows(row: Row, scope: Scope, today: date, period: str) -> Iterator[list[object]]:
    ind = row.indicator
    common = [ind.unit, symbol(ind.target), ind.good, row.as_of]
    yield [ind.key, "this period", "all", period, row.numerator, row.denominator,
           symbol(row.value), *common]
    for p in row.trend:
        yield [ind.key, "trend", "all", p.month.strftime("%Y-%m"),
               symbol(p.numerator, suppressed=p.suppressed),
               symbol(p.denominator, suppressed=p.suppressed),
               symbol(p.value, suppressed=p.suppressed), *common]
    for c in row.comparators:
        yield [ind.key, "comparator", c.name, c.period, disclosure.NOT_AVAILABLE,
               disclosure.NOT_AVAILABLE, c.value, ind.unit, symbol(ind.target), ind.good,
               c.source]
    if not ind.by_child:
        return
    for b in breakdowns(ind, scope, today):
        for cell in b.cells:
            yield [ind.key, f"by {b.title.lower()}", cell.label, period,
                   symbol(cell.numerator, suppressed=cell.suppressed),
                   symbol(cell.denominator, suppressed=cell.suppressed),
                   symbol(b.value(cell), suppressed=cell.suppressed), *common]


def pdf(scope: Scope, today: date, context: dict[str, object]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("insight/scorecard_pdf.html", context)
    content: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    return content
