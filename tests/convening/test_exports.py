"""Exports open in a spreadsheet without running anything a user typed (convening/exports.py)."""

import csv
import io
from datetime import date

import pytest
from django.http import Http404, StreamingHttpResponse
from openpyxl import load_workbook

from convening.exports import neutralise, table_response

DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_prefixed(value):
    assert neutralise(value) == "'" + value


def test_ordinary_text_is_left_alone():
    assert neutralise("Weekly huddle – 3 sites") == "Weekly huddle – 3 sites"


def _rows():
    return [[value, date(2026, 3, 1), 3, None] for value in [*DANGEROUS, "Plain"]]


def test_csv_export_neutralises_formulas_and_keeps_dates_and_numbers():
    response = table_response(
        "csv",
        filename="plan",
        title="Plan",
        headers=["Title", "Due", "Count", "Empty"],
        rows=_rows(),
    )
    assert response["Content-Disposition"] == 'attachment; filename="plan.csv"'
    text = response.getvalue().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Title", "Due", "Count", "Empty"]
    assert [row[0] for row in rows[1:]] == [*("'" + v for v in DANGEROUS), "Plain"]
    assert rows[1][1:] == ["2026-03-01", "3", ""]


def test_xlsx_export_writes_every_text_cell_as_text_never_a_formula():
    response = table_response(
        "xlsx",
        filename="plan",
        title="Plan",
        headers=["Title", "Due", "Count", "Empty"],
        rows=_rows(),
    )
    assert response["Content-Disposition"] == 'attachment; filename="plan.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [sheet.cell(row=n, column=1) for n in range(2, len(DANGEROUS) + 3)]
    assert all(cell.data_type == "s" for cell in cells)
    # XML stores a carriage return as a line feed; what matters is that it stays text.
    expected = [value.replace("\r", "\n") for value in DANGEROUS]
    assert [cell.value for cell in cells] == [*expected, "Plain"]
    assert sheet.cell(row=2, column=2).value.date() == date(2026, 3, 1)
    assert sheet.cell(row=2, column=3).value == 3


def test_an_unknown_format_is_not_found():
    with pytest.raises(Http404):
        table_response("pdf", filename="plan", title="Plan", headers=["A"], rows=[])


def test_a_csv_streams_its_rows_as_they_are_read():
    read = []

    def rows():
        for n in range(3):
            read.append(n)
            yield [f"Row {n}"]

    response = table_response("csv", filename="big", title="Big", headers=["Name"], rows=rows())

    assert isinstance(response, StreamingHttpResponse)
    assert read == []  # nothing is read until the file is sent
    chunks = list(response.streaming_content)
    assert len(chunks) == 4  # the header, then one chunk a row
    assert chunks[0].startswith(b"\xef\xbb\xbfName")
    assert read == [0, 1, 2]
    assert response["Cache-Control"] == "private, no-store"
