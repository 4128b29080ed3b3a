"""Crafted score files cannot take the server down: each is read or refused with a plain
message within 500 MB of memory and 30 seconds, in a process of its own, through
``collab analyze`` and through the Evidence page's upload. The files are made here with
openpyxl and zipfile; the process also runs under an address-space limit, so a regression
fails here instead of taking the machine's memory."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parents[3]


PEAK_MB = 500


SECONDS = 30


ADDRESS_SPACE = 2 * 2**30


SHEET = "xl/worksheets/sheet1.xml"


CLAIMING_STUDENTS = 2000


@dataclass
class Finished:
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float

    def check_bounded(self) -> None:
        assert self.code >= 0, f"killed after {self.seconds:.0f} s: {self.err[-500:]}"
        assert self.peak_mb <= PEAK_MB, f"{self.peak_mb:.0f} MB at its peak"
        assert "Traceback" not in self.err, self.err[-2000:]


def _bounded_address_space() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_bounded(*args: str) -> Finished:
    """``args`` run as a process of their own, killed after ``SECONDS``; its peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            args, stdout=out, stderr=err, cwd=ROOT, preexec_fn=_bounded_address_space
        )
        stopper = threading.Timer(SECONDS, process.kill)
        stopper.start()
        try:
            _pid, status, usage = os.wait4(process.pid, 0)
        finally:
            stopper.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Finished(
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
            usage.ru_maxrss / 1024,  # kilobytes on Linux
            seconds,
        )


def analyze(path: Path) -> Finished:
    return run_bounded(sys.executable, "-m", "collab_widgets.cli", "analyze", str(path))


def _class_sheet(students: int = 30) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Student ID", "Q1", "Q2"])
    for student in range(students):
        sheet.append([f"s{student}", student % 2, 1])
    return book


def _with_sheet_xml(book: openpyxl.Workbook, path: Path, sheet_xml: bytes) -> None:
    """``book`` saved to ``path`` with its first sheet's XML replaced."""
    saved = io.BytesIO()
    book.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for part in source.infolist():
            out.writestr(part.filename, sheet_xml if part.filename == SHEET else source.read(part))


def a_far_cell(path: Path) -> None:
    """2 KB: a small table and one cell at the last row of the last column."""
    book = _class_sheet()
    book.active["XFD1048576"] = 1
    book.save(path)


def a_claimed_dimension(path: Path) -> None:
    """A grade's table whose sheet says it fills every row and column a sheet can have."""
    book = _class_sheet(CLAIMING_STUDENTS)
    saved = io.BytesIO()
    book.save(saved)
    xml = zipfile.ZipFile(saved).read(SHEET)
    claimed = xml.replace(b'ref="A1:C%d"' % (CLAIMING_STUDENTS + 1), b'ref="A1:XFD1048576"')
    assert claimed != xml
    _with_sheet_xml(book, path, claimed)


def a_bomb_of_empty_rows(path: Path) -> None:
    """7 MB: a header, then three million empty rows (53 MB unpacked)."""
    header = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Student ID</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>Q1</t></is></c></row>'
    )
    rows = b"".join(b'<row r="%d"/>' % number for number in range(2, 3_000_000))
    xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:B3000000"/><sheetData>' + header + rows + b"</sheetData></worksheet>"
    )
    _with_sheet_xml(_class_sheet(), path, xml)


def five_thousand_columns(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Student ID"] + [f"Q{item}" for item in range(1, 5000)])
    for student in range(20):
        sheet.append([f"s{student}"] + [1] * 4999)
    book.save(path)


def a_csv_of_a_million_columns(path: Path) -> None:
    path.write_bytes(b"Student ID" + b",Q" * 1_000_000 + b"\ns1" + b",1" * 1_000_000 + b"\n")


def a_csv_with_a_very_long_line(path: Path) -> None:
    """45 MB: a header of two columns and a row of forty-five million commas."""
    path.write_bytes(b"Student ID,Q1\ns1,1\ns2," + b"," * 45_000_000 + b"\n")


def a_csv_of_millions_of_rows(path: Path) -> None:
    """45 MB: eleven million short rows."""
    path.write_bytes(b"Student ID,Q1\n" + b"1,1\n" * 11_000_000)


PAGE_UPLOAD = """
import datetime as dt, resource, sys
from pathlib import Path
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.core.db import Store

url, code, token, path = sys.argv[1:]
app = EvidenceApp(Store(url), {"team": code, "member": token})
data = Path(path).read_bytes()
app.upload.scores_file.value = ({
    "name": "scores.xlsx", "type": "", "size": len(data), "content": memoryview(data),
    "last_modified": dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
},)
print(app.upload.report.value)
"""


@pytest.mark.parametrize(
    ("make", "outcome"),
    [
        (a_far_cell, "refused"),
        (a_claimed_dimension, "read"),
        (a_bomb_of_empty_rows, "refused"),
        (five_thousand_columns, "refused"),
        (a_csv_of_a_million_columns, "refused"),
        (a_csv_with_a_very_long_line, "refused"),
        (a_csv_of_millions_of_rows, "refused"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_a_crafted_file_is_read_or_refused_plainly_within_bounds(make, outcome, tmp_path):
    path = tmp_path / ("scores.csv" if "csv" in make.__name__ else "scores.xlsx")
    make(path)
    finished = analyze(path)
    finished.check_bounded()
    if outcome == "read":
        assert finished.code == 0, finished.err[-2000:]
        assert f'"students": {CLAIMING_STUDENTS}' in finished.out
    else:
        assert finished.code == 2, finished.err[-2000:]
        assert "the most the workbook reads" in finished.err.lower(), finished.err[-2000:]


def test_the_evidence_page_refuses_a_crafted_upload_within_bounds(sqlite_team, tmp_path):
    path = tmp_path / "scores.xlsx"
    a_far_cell(path)
    member = sqlite_team.people[0]
    finished = run_bounded(
        sys.executable,
        "-c",
        PAGE_UPLOAD,
        sqlite_team.store.url,
        sqlite_team.code,
        member.token,
        str(path),
    )
    finished.check_bounded()
    assert finished.code == 0, finished.err[-2000:]
    assert "collab-error-report" in finished.out
    assert "the most the workbook reads" in finished.out.lower()


def test_a_class_sheet_carrying_a_large_picture_is_read(tmp_path):
    """Only the XML openpyxl parses counts towards the unpacked limit: a school's logo or a
    screenshot pasted beside the scores is not read, so it does not refuse the file."""
    from collab_widgets.evidence.reading import MAX_XLSX_UNPACKED, read_table

    path = tmp_path / "with a picture.xlsx"
    _class_sheet().save(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/media/image1.png", os.urandom(MAX_XLSX_UNPACKED + 2**20))
    table = read_table(path.read_bytes(), name=path.name)
    assert len(table.index) == 30
