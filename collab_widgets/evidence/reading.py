"""Reading a score file as it is: CSV or TSV in the usual encodings and delimiters, or one
sheet of an XLSX workbook, into a table of text cells. What the cells mean is decided
later (:mod:`.mapping`, :mod:`.scores`); here only the shape of a table is checked.

A score column holds a handful of distinct values in thousands of cells, so each column
is kept as its distinct values and, per row, which one the row holds (:class:`Distinct`):
pandas' parser builds that as it reads (a categorical column), the checks and conversions
then run once per distinct value, and the cells themselves are made as text only for the
columns that need them."""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from collab_widgets.core.errors import ScoreFileError

MAX_BYTES = 50 * 2**20  # a district-wide export is a few megabytes
# What a score file never exceeds (docs/limits.md says why each): beyond them a
# crafted file could hold the server's memory or time, so it is refused before it is read.
MAX_COLUMNS = 1_000  # a column per item and a few about each student; long tests have 100
MAX_ROWS = 500_000  # ten times a district's students; 5,000 students x 100 items, a row each
MAX_CELLS = 3_000_000  # a district's wide export (50,000 students x 47 columns) has 2.35 million
# An Excel file is read cell by cell in Python, some 100,000 cells a second: its parts may
# unpack to 8 MB (a school's year, about 250,000 cells), and a zip's directory names its
# parts, a few dozen in a workbook (two per sheet).
MAX_XLSX_UNPACKED = 8 * 2**20
MAX_XLSX_PARTS = 2_000
ZIP_PART_SIGNATURE = b"PK\x01\x02"  # each part's entry in a zip's directory starts so
XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t")
WHOLE_READ_BYTES = 16 * 2**20  # larger files are parsed in parts: a third of the memory
SAMPLE_ROWS = 300  # rows looked at first to see which columns hold mostly different values
MANY_VALUES = 100  # more than this in those rows (ids, names): read as text, not categories
HEADER_SEARCH = 2**20  # characters at the top of a file in which to find its header
SAVE_AS = "Save it from your spreadsheet as CSV (comma-separated) or as an Excel workbook (.xlsx)."

Progress = Callable[[float, str], None]


class RawTable:
    """A table as read: header names as written (trimmed) and every cell as text ("" when
    blank). ``index`` is each row's number as a spreadsheet shows it (the header is row
    1). ``table[column]`` is a column's cells, ``distinct(column)`` its distinct values;
    ``frame`` is every cell, made when first asked for. A new ``frame`` may be set in
    place of the one read (the rest then follows it); a cell changed in place is not
    noticed, so treat the cells as read-only."""

    def __init__(self, name: str, index: pd.Index, distincts: dict[str, Distinct]):
        self.name = name
        self.sheets: tuple[str, ...] = ()
        self.sheet: str | None = None
        self.delimiter: str | None = None
        self.encoding: str | None = None
        self.notes: list[str] = []
        self._index = index
        self._names = list(distincts)
        self._distincts = distincts
        self._cells: dict[str, pd.Series] = {}
        self._frame: pd.DataFrame | None = None

    @classmethod
    def of_frame(cls, frame: pd.DataFrame, name: str) -> RawTable:
        """A table of a DataFrame of text cells, its columns the header."""
        table = cls(name, frame.index, {})
        table.frame = frame
        return table

    def __repr__(self) -> str:
        return f"RawTable({self.name!r}, {len(self)} rows, columns={self.columns!r})"

    @property
    def columns(self) -> list[str]:
        return list(self._names)

    @property
    def index(self) -> pd.Index:
        return self._index

    def __len__(self) -> int:
        return len(self._index)

    def __getitem__(self, column: str) -> pd.Series:
        """The column's cells as text."""
        if self._frame is not None:
            return self._frame[column]
        if column not in self._cells:
            self._cells[column] = pd.Series(
                self._distincts[column].text(), index=self._index, name=column, dtype=object
            )
        return self._cells[column]

    def head(self, rows: int) -> pd.DataFrame:
        """The first rows' cells."""
        if self._frame is not None:
            return self._frame.head(rows)
        return pd.DataFrame(
            {c: self._distincts[c].rows(slice(0, rows)).text() for c in self._names},
            index=self._index[:rows],
            dtype=object,
        )

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = pd.DataFrame(
                {c: self[c] for c in self._names}, index=self._index, columns=self._names
            )
            self._cells = {}  # the frame holds them now
        return self._frame

    @frame.setter
    def frame(self, frame: pd.DataFrame) -> None:
        self._frame, self._index = frame, frame.index
        self._names = list(frame.columns)
        self._distincts, self._cells = {}, {}

    def distinct(self, column: str) -> Distinct:
        """The column's distinct values, worked out once."""
        if column not in self._distincts:
            self._distincts[column] = Distinct.of(self.frame[column])
        return self._distincts[column]


def read_table(
    source,
    *,
    name: str | None = None,
    sheet: str | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> RawTable:
    """A table of text cells from a path, the bytes of an upload, or a DataFrame."""
    report = progress or (lambda _fraction, _what: None)
    if isinstance(source, pd.DataFrame):
        return _from_frame(source, name or "table")
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        name = name or path.name
        try:
            size = path.stat().st_size
            _check_size(size, max_bytes)
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise ScoreFileError(
                f"There is no file at {path}.", "Check the name and the folder."
            ) from exc
        except IsADirectoryError as exc:
            raise ScoreFileError(f"{path} is a folder.", "Choose a file inside it.") from exc
        except OSError as exc:
            raise ScoreFileError(
                f"The file {path} cannot be read ({exc.strerror}).",
                "Check that it is not open elsewhere and that you may read it.",
            ) from exc
    elif isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name = name or "upload"
        _check_size(len(data), max_bytes)
    else:
        raise TypeError("read_table takes a path, bytes or a pandas DataFrame")
    if not data.strip():
        raise ScoreFileError(f"“{name}” is empty.", "Export it again and upload that file.")
    report(0.05, "Reading the file")
    if data.startswith(XLSX_MAGIC):
        return _from_xlsx(data, name, sheet, report)
    if data.startswith(OLD_EXCEL_MAGIC):
        raise ScoreFileError(
            "This is an old Excel file (.xls), which the workbook does not read.", SAVE_AS
        )
    return _from_text(data, name, report)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ScoreFileError(
            f"The file is {size / 2**20:.1f} MB; the most the workbook reads is "
            f"{max_bytes / 2**20:.0f} MB.",
            "Split it (for example one file per grade or per assessment) and upload each.",
        )


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return data.decode("utf-16"), "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _delimiter(text: str) -> tuple[str, int]:
    """The delimiter that splits the header line into the most fields, and how many."""
    lines = io.StringIO(text[:HEADER_SEARCH], newline=None)  # not the 50,000 lines below
    header = next((line for line in lines if line.strip()), "").rstrip("\n")
    counts = {d: _fields(header, d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: counts[d])
    return delimiter, counts[delimiter]


def _fields(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:  # a field longer than the csv module reads: not this delimiter's
        return 1


def _many_values(text: str, delimiter: str, width: int) -> set[int]:
    """The positions of the columns holding more than ``MANY_VALUES`` different values in
    the first rows (ids, names). Only a guess about speed: how a column is read never
    changes what it holds. ``width``: the header's, which no row may exceed."""
    rows = csv.reader(io.StringIO(text[:HEADER_SEARCH], newline=""), delimiter=delimiter)
    try:
        sample = (row[:width] for row in itertools.islice(rows, SAMPLE_ROWS))
        columns = itertools.zip_longest(*sample, fillvalue="")
        return {p for p, cells in enumerate(columns) if len(set(cells)) > MANY_VALUES}
    except csv.Error:  # pandas' parser will say what is wrong, with the row
        return set()


def _check_width(width: int, name: str) -> None:
    if width > MAX_COLUMNS:
        raise ScoreFileError(
            f"“{name}” has more than {MAX_COLUMNS:,} columns, the most the workbook reads.",
            "Keep the columns about the students and their scores (delete the others, or "
            "split the items over two files), and upload it again.",
        )


def _check_size_of_table(data: bytes, delimiter: str, width: int, name: str) -> None:
    """Refuses a text table of more than ``MAX_ROWS`` lines or ``MAX_CELLS`` cells before
    pandas reads it. Its cells: its lines as wide as the header, or its delimiters,
    whichever says more (a line of millions of delimiters costs as much as millions of
    lines)."""
    lines = max(data.count(b"\n"), data.count(b"\r")) + 1
    cells = max(lines * width, data.count(delimiter.encode()) + lines)
    if lines > MAX_ROWS or cells > MAX_CELLS:
        raise ScoreFileError(
            f"“{name}” has {lines:,} lines and about {cells:,} cells; the most the workbook "
            f"reads is {MAX_ROWS:,} lines and {MAX_CELLS:,} cells.",
            "Split it (for example one file per school or per grade) and upload each.",
        )


def _from_text(data: bytes, name: str, report: Progress) -> RawTable:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ScoreFileError(f"“{name}” is not a table of scores (it is not text).", SAVE_AS)
    text, encoding = _decode(data)
    delimiter, width = _delimiter(text)
    _check_width(width, name)
    # Blank lines above the header: pandas would take the first for the header's width.
    above = re.match(rf"(?:[ \t{re.escape(delimiter)}]*(?:\r\n|\n|\r))*", text).group()
    skipped = len(re.findall(r"\r\n|\n|\r", above))
    # The text below them, not skiprows: pandas counts a lone \r differently. As UTF-8
    # bytes, not text: pandas' parser reads them quicker.
    below = text[len(above) :].encode()
    _check_size_of_table(below, delimiter, width, name)
    many = _many_values(text, delimiter, width)
    columns, rows = _pandas_read(below, name, delimiter, skipped, many)
    report(0.6, f"Read {rows - 1:,} rows")
    table = _with_header(columns, pd.RangeIndex(1 + skipped, rows + 1 + skipped), name)
    table.delimiter, table.encoding = delimiter, encoding
    return table


def _pandas_read(
    data: bytes, name: str, delimiter: str, skipped: int, many: set[int]
) -> tuple[list[Distinct], int]:
    """Each column as its distinct values, and how many rows (the header's among them).
    ``data``: UTF-8 from the header on; ``many``: the positions of the columns holding
    mostly different values."""
    options = {
        "sep": delimiter,
        "header": None,
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "engine": "c",
    }
    try:
        width = pd.read_csv(io.BytesIO(data), nrows=1, dtype=object, **options).shape[1]
    except pd.errors.ParserError as exc:
        raise _parser_problem(str(exc), skipped) from exc
    except pd.errors.EmptyDataError as exc:
        raise ScoreFileError(f"“{name}” is empty.", "Export it again.") from exc
    # A column of few values is read as categories: the parser finds its distinct values
    # as it reads. One of mostly different values is read as text: sorting thousands of
    # categories would cost more than it saves. pandas turns categories that all read as
    # numbers or true/false into those ("007" would become 7), so a first line of text in
    # every column, as wide as the header, keeps them text (a large file read in parts
    # too: pandas decides once per column, after the parts are joined).
    guard = delimiter.join(["-"] * width).encode() + b"\n"
    try:
        frame = pd.read_csv(
            io.BytesIO(guard + data),
            dtype={p: object if p in many else "category" for p in range(width)},
            low_memory=len(data) > WHOLE_READ_BYTES,
            **options,
        )
    except pd.errors.ParserError as exc:
        raise _parser_problem(str(exc), skipped - 1) from exc  # less the guard's line
    below_guard = slice(1, None)
    columns = [_distinct_of_read(frame[p]).rows(below_guard) for p in frame.columns]
    return columns, len(frame) - 1


def _distinct_of_read(column: pd.Series) -> Distinct:
    if isinstance(column.dtype, pd.CategoricalDtype):
        categorical = column.array
        codes = categorical.codes.astype(np.intp)  # as NumPy indexes by
        return Distinct(codes, np.asarray(categorical.categories, dtype=object))
    # Mostly different values: each cell its own value, rather than hashing them all to
    # find the few that repeat (what needs repeats found, such as duplicate ids, does so).
    return Distinct(np.arange(len(column)), column.to_numpy(dtype=object))


def _parser_problem(message: str, skipped: int) -> ScoreFileError:
    # pandas: "Error tokenizing data. C error: EOF inside string starting at row 6" (rows
    # from 0), "... Expected 5 fields in line 7, saw 6" (lines from 1), both after the
    # blank lines skipped above the header
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        return ScoreFileError(
            "A quote mark opened in this row is never closed, so the rest of the file reads "
            "as one cell.",
            'Close the quote, or delete it (a quote mark inside a cell is written twice: "").',
            row=int(unclosed.group(1)) + 1 + skipped,
        )
    line = re.search(r"line (\d+)", message)
    row = int(line.group(1)) + skipped if line else None
    return ScoreFileError(
        "This row has more cells than the header has columns.",
        "Check for a stray comma or semicolon in that row (a name such as “Lee, Sam” "
        "needs quotes), or give the extra column a header.",
        row=row,
    )


def _from_xlsx(data: bytes, name: str, sheet: str | None, report: Progress) -> RawTable:
    _check_unpacked(data, name)
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception as exc:  # a damaged zip or a workbook openpyxl cannot read
        raise _cannot_open(name) from exc
    try:
        return _first_table(book, name, sheet, report)
    finally:
        book.close()


def _check_unpacked(data: bytes, name: str) -> None:
    """Refuses a workbook whose XML would unpack to more than the workbook reads, before
    any is unpacked: a zip's directory gives each part's size, and Python's zip reader
    never unpacks a part beyond the size given (a part that lies is a damaged file)."""
    parts = data.count(ZIP_PART_SIGNATURE)  # at least as many as the directory lists
    if parts > MAX_XLSX_PARTS:
        raise _too_large(
            name, f"it holds {parts:,} parts; the most the workbook reads is {MAX_XLSX_PARTS:,}"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # the parts openpyxl parses; pictures (a school's logo, a screenshot) it leaves
            unpacked = sum(
                part.file_size
                for part in archive.infolist()
                if part.filename.endswith((".xml", ".rels"))
            )
    except Exception as exc:  # not a zip, or a damaged one
        raise _cannot_open(name) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise _too_large(
            name,
            f"it unpacks to {unpacked / 2**20:,.1f} MB; the most the workbook reads from an "
            f"Excel file is {MAX_XLSX_UNPACKED / 2**20:.0f} MB",
        )


def _cannot_open(name: str) -> ScoreFileError:
    return ScoreFileError(
        f"“{name}” looks like an Excel workbook but cannot be opened.",
        "Open it in your spreadsheet, save it again as .xlsx (or CSV), and upload that.",
    )


def _too_large(name: str, why: str) -> ScoreFileError:
    return ScoreFileError(
        f"The Excel file “{name}” is larger than the workbook reads: {why}.",
        "If its table is small, something else in it is large (blank rows or formatting far "
        "below the table, other sheets, pictures): copy the table alone into a new "
        "workbook and upload that. A larger table reads as CSV: save it as CSV and upload "
        "that.",
    )


def _first_table(book, name: str, sheet: str | None, report: Progress) -> RawTable:
    """Without a choice, the first sheet that is a table (a first sheet of instructions is
    common); with one, that sheet, its problem naming the other sheets."""
    sheets = tuple(str(s.title) for s in book.worksheets)
    if sheet is not None and sheet not in sheets:
        raise ScoreFileError(
            f"The workbook has no sheet named “{sheet}”.",
            f"Choose one of: {', '.join(sheets)}.",
        )
    first_problem = None
    for chosen in [sheet] if sheet is not None else sheets:
        report(0.2, f"Reading the sheet “{chosen}”")
        try:
            numbers, rows = _sheet_rows(book[chosen])
        except ScoreFileError:
            raise
        except Exception as exc:  # a damaged sheet inside a workbook that opens
            raise ScoreFileError(
                f"The sheet “{chosen}” of “{name}” cannot be read.",
                "Open the workbook in your spreadsheet, save it again as .xlsx (or CSV), and "
                "upload that.",
            ) from exc
        frame = pd.DataFrame(rows, index=numbers, dtype=object)
        frame = frame.map(_cell_text) if not frame.empty else frame
        try:
            table = _with_header(_distincts(frame), frame.index, name)
        except ScoreFileError as exc:
            first_problem = first_problem or exc
            continue
        table.sheets, table.sheet = sheets, chosen
        report(0.6, "Read the sheet")
        return table
    if len(sheets) > 1:
        raise ScoreFileError(
            first_problem.problem,
            f"{first_problem.fix} The workbook's sheets: {', '.join(sheets)}; choose the one "
            "with the scores.",
            row=first_problem.row,
            column=first_problem.column,
        ) from first_problem
    raise first_problem


def _sheet_rows(sheet) -> tuple[list[int], list[list]]:
    """The rows of a sheet that hold something, each as its values as wide as the widest
    (``None`` for a blank cell, as for a formula's error, which pandas read as blank too),
    and their numbers. The size the sheet claims is not trusted: openpyxl would make every
    row as wide, and as many, as the claim."""
    sheet.reset_dimensions()
    numbers, rows = [], []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = [None if cell.data_type == "e" else cell.value for cell in cells]
        while values and values[-1] in (None, ""):
            values.pop()
        if not values:
            continue
        if len(values) > MAX_COLUMNS:
            raise ScoreFileError(
                f"Row {number:,} of the sheet “{sheet.title}” has something in column "
                f"{column_letter(len(values) - 1)}, its column {len(values):,}; the most the "
                f"workbook reads is {MAX_COLUMNS:,} columns.",
                "If that cell is not part of the table, delete it; otherwise keep the columns "
                "about the students and their scores. Save, and upload it again.",
            )
        numbers.append(number)
        rows.append(values)
    width = max(map(len, rows), default=0)
    for values in rows:
        values.extend([None] * (width - len(values)))
    return numbers, rows


def _cell_text(value) -> str:
    if pd.api.types.is_scalar(value) and pd.isna(value):  # None, NaN, pd.NA, NaT
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _from_frame(source: pd.DataFrame, name: str) -> RawTable:
    header = pd.DataFrame([list(map(str, source.columns))])
    body = source.astype(object).map(_cell_text)
    body.columns = range(body.shape[1])
    frame = pd.concat([header, body], ignore_index=True)
    return _with_header(_distincts(frame), frame.index + 1, name)


def _distincts(frame: pd.DataFrame) -> list[Distinct]:
    return [Distinct.of(frame.iloc[:, position]) for position in range(frame.shape[1])]


def column_letter(position: int) -> str:
    """A spreadsheet's name for a column: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Distinct:
    """A column of text cells as its distinct values and, per cell, which one it holds. A
    score column holds a handful of distinct values, so checking and converting each
    distinct value once and spreading the result back is what keeps a district's file
    quick; comparing 50,000 cells one by one is what made it slow."""

    def __init__(self, codes: np.ndarray, values: np.ndarray):
        self.codes = codes  # per cell, its position in ``values``
        # text; a value may repeat (two spellings trimmed alike; a column of mostly
        # different values holds each cell's own)
        self.values = values

    @classmethod
    def of(cls, column: pd.Series) -> Distinct:
        cells = column.to_numpy(dtype=object)
        codes, values = pd.factorize(cells)
        if (codes < 0).any():  # a missing cell (not text) is a value of its own
            codes, values = pd.factorize(cells, use_na_sentinel=False)
        return cls(codes, np.asarray(values, dtype=object))

    def rows(self, chosen) -> Distinct:
        """The same values for the chosen cells only (a mask, positions or a slice)."""
        return Distinct(self.codes[chosen], self.values)

    def spread(self, converted) -> np.ndarray:
        """Per cell, the value ``converted`` (one per distinct value) gives its text."""
        return np.asarray(converted)[self.codes]

    def cells_where(self, test) -> np.ndarray:
        """Per cell, whether ``test`` (a boolean per distinct value) holds for its text."""
        return self.spread(np.asarray(test, dtype=bool))

    def text(self) -> np.ndarray:
        """Per cell, its text."""
        return self.spread(self.values)

    def blank(self) -> np.ndarray:
        return self.cells_where(self.values == "")

    def counts(self) -> np.ndarray:
        """How many cells hold each value (0 for one that none of the chosen cells holds,
        such as a column's header)."""
        return np.bincount(self.codes, minlength=len(self.values))

    def first(self, test) -> int | None:
        """The position of the first cell whose value passes ``test`` (a boolean per
        distinct value), or None."""
        if not np.any(test):  # no value passes, so no cell needs looking at
            return None
        cells = self.cells_where(test)
        return int(cells.argmax()) if cells.any() else None


def _stripped(values: np.ndarray) -> np.ndarray:
    """Each value (text, as every reader gives it) without the spaces around it."""
    return np.array(list(map(str.strip, values.tolist())), dtype=object)


def _with_header(columns: list[Distinct], index: pd.Index, name: str) -> RawTable:
    """Every column's cells trimmed of spaces; the first non-blank row as the header; blank
    rows dropped. ``columns``: every row of the file or sheet, ``index`` their numbers."""
    if not columns or not len(index):
        raise ScoreFileError(f"“{name}” is empty.", "Export it again and upload that file.")
    columns = [Distinct(column.codes, _stripped(column.values)) for column in columns]
    # The rows blank in every column; each column looks only at those still blank.
    blank = np.arange(len(index))
    for column in columns:
        blank = blank[column.rows(blank).blank()]
        if not len(blank):
            break
    if len(blank):
        rows = np.flatnonzero(~np.isin(np.arange(len(index)), blank))
        columns, index = [column.rows(rows) for column in columns], index[rows]
    if not len(index):
        raise ScoreFileError(f"“{name}” is empty.", "Export it again and upload that file.")
    header = [column.values[column.codes[0]] for column in columns]
    if len(columns) < 2:
        raise ScoreFileError(
            f"“{name}” is not a table of scores: it has only one column.",
            "A score file has a column naming each student and one for each item or the "
            f"total. {SAVE_AS}",
            column=header[0] or "Column A",  # shows what was read as one column
        )
    header = [title or f"Column {column_letter(p)}" for p, title in enumerate(header)]
    seen: dict[str, int] = {}
    for position, title in enumerate(header):
        key = title.casefold()
        if key in seen:
            first = column_letter(seen[key])
            raise ScoreFileError(
                f"Two columns are named “{title}” (columns {first} and {column_letter(position)}).",
                "Rename one of them in the file, then upload it again.",
                row=int(index[0]),
                column=title,
            )
        seen[key] = position
    if len(index) < 2:
        raise ScoreFileError(
            f"“{name}” has a header but no rows below it.", "Export it again with its rows."
        )
    # every row below the header: a view of the codes, not a copy
    body = {
        title: column.rows(slice(1, None)) for title, column in zip(header, columns, strict=True)
    }
    # A trailing column with no header and no values is only a stray delimiter.
    for title in header:
        if title.startswith("Column ") and body[title].blank().all():
            del body[title]
    return RawTable(name, index[1:], body)
