"""Reading a CSV or XLSX download back as rows, for the export tests."""

from __future__ import annotations

import csv
import io

from django.http import StreamingHttpResponse
from openpyxl import load_workbook


def csv_rows(response) -> list[list[str]]:
    """The rows of a streamed CSV download, header first."""
    assert response.status_code == 200, response.status_code
    assert isinstance(response, StreamingHttpResponse), "a CSV download streams"
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_rows(response) -> list[list]:
    """The cells of the first sheet of an XLSX download, header first."""
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def xlsx_cell_types(response, row: int) -> list[str]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell.data_type for cell in sheet[row]]


def keep_export_files_in(settings, folder) -> None:
    """Prepared downloads in `folder` for this test (STORAGES["exports"])."""
    from django.utils.functional import empty

    from convening.models import EXPORT_STORAGE

    storages = {name: dict(config) for name, config in settings.STORAGES.items()}
    storages["exports"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(folder)},
    }
    settings.STORAGES = storages
    EXPORT_STORAGE._wrapped = empty  # looked up again, as Django does for default_storage
