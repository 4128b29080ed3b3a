"""The meeting record (HTML page, Markdown) and the action exports (CSV, iCalendar)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import icalendar
import pytest

from collab_widgets.actions.model import Action
from collab_widgets.reports.exports import actions_csv, actions_ics
from tests.unit.reports.test_render import CREATED, MEETING_DAY, action, typed

FORMULAS = [
    "=1+1",
    "+x",
    "-cmd",
    "@SUM(A1)",
    "\tx",
    "\rx",
    '=HYPERLINK("x")',
    "-2+3+cmd|' /C calc'!A0",
]


NUMBERS = ["-5", "3.5", "-5.5"]


HEADER = ["Action", "Owner", "Due", "Status", "Overdue", "Prompted by", "Created"]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def team_actions() -> list[Action]:
    return [
        action(
            1, "Share the rubric, v2; with notes", dt.date(2026, 10, 20), prompted_by="A decision"
        ),
        action(2, typed("action"), dt.date(2026, 10, 22), status="in progress", owner=""),
        action(3, "Done already", dt.date(2026, 10, 21), status="done"),
        action(4, "Dropped", dt.date(2026, 10, 21), status="dropped"),
        action(5, "No date yet", None),
    ]


def events(data: bytes):
    calendar = icalendar.Calendar.from_ical(data)
    return calendar, list(calendar.walk("VEVENT"))


def test_csv_has_a_header_and_one_row_per_action():
    actions = [action(1, "Share the rubric", dt.date(2026, 10, 20), prompted_by="Decision 3")]
    rows = read_csv(actions_csv(actions, MEETING_DAY))
    assert rows[0] == HEADER
    assert rows[1] == [
        "Share the rubric",
        "Ann",
        "2026-10-20",
        "open",
        "no",
        "Decision 3",
        "2026-10-01",
    ]
    assert len(rows) == 2


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_neutralises_formulas_in_every_text_column(formula):
    actions = [action(1, formula, None, owner=formula, prompted_by=formula)]
    row = read_csv(actions_csv(actions, MEETING_DAY))[1]
    assert row[0] == "'" + formula
    assert row[1] == "'" + formula
    assert row[5] == "'" + formula


@pytest.mark.parametrize("number", NUMBERS)
def test_csv_leaves_plain_numbers_as_numbers(number):
    actions = [action(1, number, None, owner=number, prompted_by=number)]
    row = read_csv(actions_csv(actions, MEETING_DAY))[1]
    assert row[0] == number and row[1] == number and row[5] == number


def test_csv_keeps_ordinary_text_exactly():
    text = 'Plan "exit tickets"; then, re-teach\nfractions — ünïcode'
    row = read_csv(actions_csv([action(1, text, None, owner="O'Neil")], MEETING_DAY))[1]
    assert row[0] == text and row[1] == "O'Neil"


def test_csv_overdue_counts_from_today():
    actions = [
        action(1, "late", dt.date(2026, 10, 14)),
        action(2, "due today", dt.date(2026, 10, 15)),
        action(3, "later", dt.date(2026, 10, 16)),
        action(4, "late but done", dt.date(2026, 10, 1), status="done"),
        action(5, "late and in progress", dt.date(2026, 10, 1), status="in progress"),
        action(6, "no date", None),
    ]
    rows = read_csv(actions_csv(actions, MEETING_DAY))[1:]
    assert {row[0]: row[4] for row in rows} == {
        "late": "yes",
        "due today": "no",
        "later": "no",
        "late but done": "no",
        "late and in progress": "yes",
        "no date": "no",
    }
    assert rows[-1][2] == ""
    later = read_csv(actions_csv(actions, dt.date(2026, 10, 17)))[1:]
    assert [row[4] for row in later][:3] == ["yes", "yes", "yes"]


def test_csv_quotes_every_field():
    text = actions_csv([action(1, "a;=1+1", None)], MEETING_DAY)
    for line in text.splitlines():
        assert line.startswith('"') and line.endswith('"')


def test_ics_has_one_all_day_event_per_open_dated_action(team_actions):
    calendar, found = events(actions_ics(team_actions, "Grade 7 science"))
    assert str(calendar["VERSION"]) == "2.0"
    assert "Collaboration Workbook" in str(calendar["PRODID"])
    assert [str(event["SUMMARY"]) for event in found] == [
        "Share the rubric, v2; with notes",
        typed("action"),
    ]
    starts = [event.decoded("DTSTART") for event in found]
    assert starts == [dt.date(2026, 10, 20), dt.date(2026, 10, 22)]
    assert all(not isinstance(start, dt.datetime) for start in starts)
    assert b"DTSTART;VALUE=DATE:20261020" in actions_ics(team_actions, "Grade 7 science")


def test_ics_describes_owner_status_and_prompt(team_actions):
    _, found = events(actions_ics(team_actions, "Grade 7 science"))
    first, second = (str(event["DESCRIPTION"]) for event in found)
    assert "Owner: Ann" in first and "Status: open" in first and "Prompted by: A decision" in first
    assert "Owner: nobody yet" in second and "Status: in progress" in second
    assert found[0].decoded("DTSTAMP") == CREATED + dt.timedelta(hours=1)


def test_ics_uids_are_unique_and_stable(team_actions):
    _, first = events(actions_ics(team_actions, "Grade 7 science"))
    _, again = events(actions_ics(list(reversed(team_actions)), "Grade 7 science"))
    _, other = events(actions_ics(team_actions, "Grade 8 maths"))
    uids = [str(event["UID"]) for event in first]
    assert len(set(uids)) == len(uids) == 2
    assert sorted(uids) == sorted(str(event["UID"]) for event in again)
    assert not set(uids) & {str(event["UID"]) for event in other}
    assert actions_ics(team_actions, "Grade 7 science") == actions_ics(
        team_actions, "Grade 7 science"
    )


def test_ics_without_open_dated_actions_is_an_empty_calendar(team_actions):
    calendar, found = events(actions_ics(team_actions[2:], "Grade 7 science"))
    assert found == [] and str(calendar["VERSION"]) == "2.0"
