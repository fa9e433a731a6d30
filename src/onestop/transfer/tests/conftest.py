from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook
from stdnum.cn import uscc

from onestop.catalog.services import catalog_load_bundled
from onestop.transfer import services
from onestop.transfer.kinds import IMPORTERS
from onestop.transfer.models import ImportJob

# Valid unified social credit codes (check characters computed with stdnum).
USCC_A = "91320281MA1X2Y3W4B"
USCC_B = "91450200MA5K6L7N8N"
USCC_C = "91450200MA5K6L7N9R"
USCC_D = "91450200MA5K6L7NAW"


def uscc_for(number: int) -> str:
    """A distinct valid code per number."""
    body = f"9145020000{number:07d}"
    return body + uscc.calc_check_digit(body)


def xlsx_bytes(columns: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook built the way Excel users send them (write-only keeps big ones fast)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload_of(data: bytes, name: str = "名录.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def read_xlsx(data: bytes) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    return rows


def row_of(kind: str, **values: Any) -> list[Any]:
    """A row in the column order of ``kind`` from {column name: value}."""
    columns = IMPORTERS[kind].columns
    unknown = set(values) - set(columns)
    assert not unknown, unknown
    return [values.get(column) for column in columns]


@pytest.fixture
def catalog(db):
    catalog_load_bundled()


@pytest.fixture
def lz_staff(make_user, regions, catalog):
    return make_user("center_staff", "450200", kind="staff")


@pytest.fixture
def wx_staff(make_user, regions, catalog):
    return make_user("center_staff", "320200", kind="staff")


@pytest.fixture
def jiangyin_staff(make_user, regions, catalog):
    """Center staff of one county-level city (Jiangyin, under Wuxi)."""
    return make_user("center_staff", "320281", kind="staff")


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """run_import(actor, kind, data) -> the finished job (the task runs eagerly after commit)."""

    def run(actor, kind: str, data: bytes, name: str = "名录.xlsx") -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = services.import_job_create(actor=actor, kind=kind, upload=upload_of(data, name))
        job.refresh_from_db()
        return job

    return run


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
