"""CSV for people to open in a spreadsheet: one writer for every export, so that no text a
visitor typed runs as a formula, whichever list separator the spreadsheet's locale uses."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

Cell = str | int | float | None

# A cell starting with one of these can be read as a formula (or DDE command) by Excel,
# LibreOffice or Google Sheets: OWASP's CSV-injection list (= + - @ tab, carriage return),
# plus NUL, which OWASP ASVS 1.2.10 adds. A cell also starts after any separator inside the
# text: a spreadsheet whose list separator is ";" splits a comma file's quoted field at
# every ";" (quoting only helps when the separators agree), a tab-separated reading at every
# tab, and either may end a line at a line break. Doubled quotes after such a separator
# open a quoted field, so what follows them starts the cell too.
_FORMULA_AT_CELL_START = re.compile(r'(?:\A|(?<=[,;\t\r\n]))("*)(?=[=+\-@\t\r\0])')
# A plain number, e.g. -5 or -5.5: a spreadsheet reads it as that number, and there is
# nothing in it that could call a function or point at a cell or another program, so it
# cannot run as a formula. Prefixing it would turn numbers into text, so it is left alone.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet will show it but never run it: wherever a cell could start
    (at the beginning, or after a separator in the text) with a formula character, a single
    quote goes before it (OWASP's advice); plain numbers stay."""
    if _PLAIN_NUMBER.fullmatch(cell):
        return cell
    return _FORMULA_AT_CELL_START.sub(r"\1'", cell)


def _cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return spreadsheet_safe(str(value))


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The rows under ``header`` as CSV text: every text field quoted (so a separator in it
    never splits it for a spreadsheet that splits on the same one) and made
    :func:`spreadsheet_safe`; numbers stay numbers, ``None`` an empty field.

    To save it for Excel, encode it as ``utf-8-sig`` (a byte-order mark tells Excel it is
    UTF-8)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([_cell(name) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue()
