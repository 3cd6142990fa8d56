"""CSV downloads: the one writer every export uses (registry, templates, lists).

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by spreadsheet programs (OWASP "CSV injection"): such a cell is written with a
leading single quote, so that a hostile organization or center name stays text. Numbers
(int, float, Decimal) are written as they are: they cannot carry a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # Excel opens UTF-8 Chinese correctly only with it


def safe_cell(value) -> str | int | float | Decimal:
    """The value as a CSV cell that no spreadsheet evaluates."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **kwargs) -> SafeWriter:
    return SafeWriter(stream, **kwargs)


def csv_response(filename: str, rows: Iterable[Iterable] = ()) -> tuple[HttpResponse, SafeWriter]:
    """An attachment response (UTF-8 with BOM) and the safe writer that fills it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = SafeWriter(response)
    writer.writerows(rows)
    return response, writer


class _Line:
    """A file-like object whose ``write`` hands the CSV line back (for streaming)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]):
    """Encoded CSV lines (UTF-8, the BOM first), one by one: nothing held in memory."""
    writer = SafeWriter(_Line())
    yield BOM.encode()
    for row in rows:
        yield writer.writerow(row).encode()


def csv_streaming_response(filename: str, chunks: Iterable[bytes]) -> StreamingHttpResponse:
    """An attachment response streaming ``chunks`` (from ``csv_lines``)."""
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
