"""Every CSV the workbook writes for people opens safely in a spreadsheet of any locale:
where ``,`` is the list separator and where ``;`` is (a comma file opened there splits each
line at every ``;``, so a formula can start after a ``;`` inside a quoted answer)."""

import csv
import datetime as dt
import io

import pytest

from collab_widgets.actions.model import Action
from collab_widgets.cli import main
from collab_widgets.core.spreadsheet_csv import spreadsheet_safe
from collab_widgets.reports.dashboard import TeamRow, dashboard_csv
from collab_widgets.reports.exports import actions_csv
from collab_widgets.workshops.rules import AnswerRow, Workshop, answers_csv

HOSTILE = "A;=cmd|' /C calc'!A0"


# The same attack after a doubled quote, a tab and a line break: each can also end a cell
# for a spreadsheet that reads the file with another separator.
ALSO_HOSTILE = ['B;"=HYPERLINK("http://x")', "C\t+1+cmd|' /C calc'!A0", "D\n@SUM(1+1)"]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dashboard_export(text: str) -> str:
    row = TeamRow(
        name=text,
        code="ABCD",
        stage=ALSO_HOSTILE[0],
        cycle=ALSO_HOSTILE[1],
        last_meeting=dt.date(2026, 10, 1),
        goal=ALSO_HOSTILE[2],
        goal_status="on track",
        latest_assessment="-",
        open_actions=3,
        overdue_actions=1,
        pulse=(4.0,),
        norms=(),
    )
    return dashboard_csv([row])


def workshop_export(text: str) -> str:
    workshop = Workshop(1, ALSO_HOSTILE[0], "ROOM", 0, True, False, ())
    answer = AnswerRow(0, ALSO_HOSTILE[1], "text", ALSO_HOSTILE[2], text, dt.datetime(2026, 10, 1))
    return answers_csv(workshop, [answer])


def actions_export(text: str) -> str:
    owner, prompted_by = ALSO_HOSTILE[:2]
    created = dt.datetime(2026, 10, 1)
    action = Action(1, None, text, None, owner, None, "open", prompted_by, created)
    return actions_csv([action], dt.date(2026, 10, 15))


def analyze_export(text: str, tmp_path, capsys) -> str:
    """`collab analyze --format csv` on a score file whose key names ``text`` as a standard."""
    rows = "".join(f"s{i},{i % 2}\n" for i in range(12))
    (tmp_path / "scores.csv").write_text("id,Q1\n" + rows)
    (tmp_path / "key.csv").write_text(f'item,standard,max points\nQ1,"{text}",1\n')
    key = ["--key", str(tmp_path / "key.csv")]
    assert main(["analyze", str(tmp_path / "scores.csv"), *key, "--format", "csv"]) == 0
    return capsys.readouterr().out


EXPORTS = {
    "dashboard": dashboard_export,
    "workshop answers": workshop_export,
    "actions": actions_export,
}


@pytest.mark.parametrize("export", [*EXPORTS, "analyze"])
def test_every_export_keeps_formulas_from_running_with_comma_or_semicolon_separators(
    export, tmp_path, capsys
):
    if export == "analyze":
        text = analyze_export(HOSTILE, tmp_path, capsys)
    else:
        text = EXPORTS[export](HOSTILE)
    for separator in (",", ";"):
        table = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
        formulas = [cell for row in table for cell in row if cell.startswith(FORMULA_START)]
        assert formulas == [], f"read with {separator!r}"
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert all(len(row) == len(header) for row in rows)
    assert "A;'=cmd|' /C calc'!A0" in rows[0]  # the hostile answer is one cell, neutralised


def test_a_formula_after_a_separator_gets_a_quote_and_plain_text_stays_as_typed():
    assert spreadsheet_safe(HOSTILE) == "A;'=cmd|' /C calc'!A0"
    assert spreadsheet_safe('B;"=1') == "B;\"'=1"
    assert spreadsheet_safe("=1;-2") == "'=1;'-2"
    assert spreadsheet_safe("-5") == "-5"  # a plain number stays a number
    plain = 'Plan "exit tickets"; then, re-teach\nfractions — ünïcode'
    assert spreadsheet_safe(plain) == plain
