"""Tables as CSV or XLSX downloads, safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return would be run as a formula by
Excel, LibreOffice or Google Sheets when the file is opened; in CSV such a cell is prefixed with
an apostrophe, and in XLSX every text cell is written as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | date | datetime | None


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


def _csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    # A byte order mark, so Excel reads the file as UTF-8.
    return out.getvalue().encode("utf-8-sig")


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
) -> HttpResponse:
    """A download of the table as `filename`.csv or `filename`.xlsx; other formats are 404."""
    if fmt == "csv":
        response = HttpResponse(_csv(headers, rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(_xlsx(title, headers, rows), content_type=XLSX_TYPE)
    else:
        raise Http404("Exports are CSV or XLSX")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
