"""CSV and XLSX downloads: the one writer every export uses (registry, templates, lists,
the dashboard).

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


# XLSX: the same neutralised cells (a text cell that begins like a formula keeps its
# leading quote, so openpyxl stores it as text and no spreadsheet evaluates it); characters
# XML cannot hold (NUL and the other C0 controls) are dropped.
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = safe_cell(value)
    if isinstance(cell, str):
        return ILLEGAL_CHARACTERS_RE.sub("", cell)
    return cell


def write_xlsx(stream, headers: Iterable, rows: Iterable[Iterable], *, title: str = "") -> None:
    """One worksheet: the headings in bold, then the rows, every cell through ``xlsx_cell``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=xlsx_cell(title)[:31] or "Sheet1")
    heading = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=xlsx_cell(text))
        cell.font = Font(bold=True)
        heading.append(cell)
    sheet.append(heading)
    for row in rows:
        sheet.append([xlsx_cell(value) for value in row])
    book.save(stream)


def write_csv(stream, headers: Iterable, rows: Iterable[Iterable]) -> None:
    """UTF-8 with BOM, every cell through ``safe_cell`` (``stream`` takes text)."""
    stream.write(BOM)
    writer = SafeWriter(stream)
    writer.writerow(headers)
    writer.writerows(rows)


def table_response(fmt: str, filename: str, headers, rows, *, title: str = "") -> HttpResponse:
    """A CSV or XLSX attachment of one table (``filename`` without its extension)."""
    if fmt == "xlsx":
        response = HttpResponse(content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        write_xlsx(response, headers, rows, title=title)
        return response
    response, writer = csv_response(f"{filename}.csv")
    writer.writerow(headers)
    writer.writerows(rows)
    return response
