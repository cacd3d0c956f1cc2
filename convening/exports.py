"""Tables as CSV or XLSX downloads, safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return would be run as a formula by
Excel, LibreOffice or Google Sheets when the file is opened; in CSV such a cell is prefixed with
an apostrophe, and in XLSX every text cell is written as text, never as a formula. Numbers (a
negative one too, such as an E-I index) are written as numbers, which no spreadsheet runs.

A CSV streams: each row is written as it is read, so a region's programme is never held in
memory as one file. An XLSX is a zip, built in the request when it is small and by a job
(convening/export_jobs.py) when it has more than `EXPORT_JOB_THRESHOLD_ROWS` rows.

Each app registers its tables here by name (`register_table`), so core can build them in a job or
put them in the programme archive without importing the app.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A byte order mark, so Excel reads the file as UTF-8.
BOM = "\ufeff"

Cell = str | int | float | date | datetime | None


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


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return value  # a number, even a negative one, is never read as a formula
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


def write_xlsx(
    out: IO[bytes], title: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> None:
    """Write the table to `out` as one sheet. The workbook is write-only, so its rows go to a
    temporary file as they come and a large table is never held in memory as cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, header, font=bold) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(out)


def _xlsx_cell(sheet, value: Cell, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if font is not None:
        cell.font = font
    if isinstance(value, datetime):
        cell.value = timezone.localtime(value).replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, int | float) or value is None:
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = "s"  # text, even when it starts with "="
    return cell


def write_csv(out: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    for chunk in _csv(headers, rows):
        out.write(chunk)


def json_value(value: Cell) -> str | int | float | None:
    """A cell as JSON holds it: dates and times in ISO 8601, text as typed (JSON runs nothing)."""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


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
        out = io.BytesIO()
        write_xlsx(out, title, headers, rows)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    else:
        raise Http404("Exports are CSV or XLSX")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Tables registered by the apps ---------------------------------------------------------------


@dataclass
class Table:
    """A table to download: its headers, the objects it lists and how each becomes a row.
    `items` is a queryset (read in chunks, counted in the database) or a list."""

    filename: str
    title: str
    headers: Sequence[str]
    items: QuerySet | Sequence[Any]
    row: Callable[[Any], Sequence[Cell]]

    def count(self) -> int:
        if isinstance(self.items, QuerySet):
            return self.items.count()
        return len(self.items)

    def rows(self) -> Iterator[Sequence[Cell]]:
        items = self.items
        if isinstance(items, QuerySet):
            items = items.iterator(chunk_size=1000)
        return (self.row(item) for item in items)


# builder(request, programme) -> Table. `request` has the user and the query string (`GET`);
# `programme` has been fetched for that user with `my_role` set, and their role is in `roles`.
TableBuilder = Callable[[HttpRequest, Any], Table]


@dataclass(frozen=True)
class RegisteredTable:
    name: str
    build: TableBuilder
    # The roles whose members may download it; the archive is for leads, who may have them all.
    roles: tuple[str, ...]
    # The query string the archive builds it with (for example every status, not the open ones).
    archive_query: str = ""


@dataclass(frozen=True)
class RegisteredTexts:
    name: str
    # texts(programme) -> (path inside the archive, Markdown) for each text.
    texts: Callable[[Any], Iterable[tuple[str, str]]]


TABLES: dict[str, RegisteredTable] = {}
TEXTS: dict[str, RegisteredTexts] = {}


def register_table(name: str, *, roles: tuple[str, ...], archive_query: str = ""):
    """Register a builder of one of the programme's tables under `name` (decorator)."""

    def register(build: TableBuilder) -> TableBuilder:
        if name in TABLES and TABLES[name].build is not build:
            raise ValueError(f"A table named {name!r} is already registered")
        TABLES[name] = RegisteredTable(name, build, roles, archive_query)
        return build

    return register


def register_texts(name: str):
    """Register a source of the programme's Markdown texts for the archive (decorator)."""

    def register(texts):
        TEXTS[name] = RegisteredTexts(name, texts)
        return texts

    return register


def text_file_name(pk: int, title: str) -> str:
    """A Markdown file's name in the archive: its id (two may share a title), then its title."""
    return f"{pk:06d}-{slugify(title)[:60] or 'untitled'}.md"


def markdown_document(
    title: str, details: Iterable[tuple[str, Cell]], sections: Iterable[tuple[str, str]]
) -> str:
    """One text of the archive: its title, a list of its details, then each non-empty section
    under its heading, as written (it is Markdown already)."""
    lines = [f"# {title}", ""]
    for label, value in details:
        if value not in (None, ""):
            lines.append(f"- {label}: {json_value(value)}")
    for heading, body in sections:
        if body.strip():
            lines += ["", f"## {heading}", "", body.strip()]
    return "\n".join(lines) + "\n"
