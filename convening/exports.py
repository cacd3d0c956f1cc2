"""Tables as CSV or XLSX downloads, safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return would be run as a formula by
Excel, LibreOffice or Google Sheets when the file is opened; in CSV such a cell is prefixed with
an apostrophe, and in XLSX every text cell is written as text, never as a formula.

A CSV streams: each row is written as it is read, so a region's programme is never held in
memory as one file. An XLSX is a zip, built whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A byte order mark, so Excel reads the file as UTF-8.
BOM = "\ufeff"

Cell = str | int | date | datetime | None


def check_format(fmt: str) -> None:
    """404 for a format we do not write, before any work is done."""
    if fmt not in FORMATS:
        raise Http404("Exports are CSV or XLSX")


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def neutralise(value: str) -> str:
    """The text, made safe to show in a CSV cell."""
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return neutralise(str(value))


class _Line:
    """A file-like object that hands back what the csv writer writes, one row at a time."""

    def write(self, text: str) -> str:
        return text


def _csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield (BOM + writer.writerow([neutralise(h) for h in headers])).encode()
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row]).encode()


def _xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, datetime):
                cell.value = timezone.localtime(value).replace(tzinfo=None)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, int) or value is None:
                cell.value = value
            else:
                cell.value = str(value)
                cell.data_type = "s"  # text, even when it starts with "="
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_response(
    fmt: str, *, filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse | StreamingHttpResponse:
    """A download of the table as `filename`.csv (streamed) or `filename`.xlsx; other formats
    are 404. `rows` may be a generator over a queryset: it is read once, while the file is
    written."""
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv(headers, rows), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(title, headers, rows), content_type=XLSX_TYPE)
    else:
        raise Http404("Exports are CSV or XLSX")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
