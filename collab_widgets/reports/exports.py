"""A team's actions taken away: a spreadsheet-safe CSV and an iCalendar file of due dates."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterable

from ..model import Action

CSV_HEADER = ("Action", "Owner", "Due", "Status", "Overdue", "Prompted by", "Created")
PRODID = "-//Collaboration Workbook//collab-widgets//EN"

# A cell starting with one of these can be read as a formula (or DDE command) by Excel,
# LibreOffice or Google Sheets: OWASP's CSV-injection list (= + - @ tab, carriage return),
# plus NUL, which OWASP ASVS 1.2.10 adds.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0")
# A plain number, e.g. -5 or -5.5: a spreadsheet reads it as that number, and there is
# nothing in it that could call a function or point at a cell or another program, so it
# cannot run as a formula. Prefixing it would turn numbers into text, so it is left alone.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet will show it but never run it: a text cell starting with a
    formula character gets a leading single quote (OWASP's advice); plain numbers stay."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def iso_day(day: dt.date | dt.datetime | None) -> str:
    """A date (or a moment's date) as YYYY-MM-DD; empty for none."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.isoformat()


def actions_csv(actions: Iterable[Action], today: dt.date) -> str:
    """The actions as CSV text, one row each, with a header row; overdue counts from
    ``today``. Every field is quoted (so a ``;`` cannot split a cell for a spreadsheet that
    splits on it) and every cell is made :func:`spreadsheet_safe`.

    To save it for Excel, encode it as ``utf-8-sig`` (a byte-order mark tells Excel it is
    UTF-8)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_HEADER)
    for action in actions:
        row = (
            action.text,
            action.owner,
            iso_day(action.due_on),
            action.status,
            "yes" if action.overdue(today) else "no",
            action.prompted_by,
            iso_day(action.created_at),
        )
        writer.writerow([spreadsheet_safe(str(cell or "")) for cell in row])
    return buffer.getvalue()


def action_uid(action: Action, team_name: str) -> str:
    """A calendar UID that stays the same for an action across exports, so that importing a
    newer file updates an event rather than adding a second one."""
    team = hashlib.sha256(team_name.encode("utf-8")).hexdigest()[:16]
    return f"action-{action.id}-{team}@collab-widgets"


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:  # stored times are UTC
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def actions_ics(actions: Iterable[Action], team_name: str) -> bytes:
    """An iCalendar file with one all-day event per open action that has a due date."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{team_name}: actions")
    for action in actions:
        if not action.is_open or action.due_on is None:
            continue
        event = Event()
        event.add("uid", action_uid(action, team_name))
        event.add("dtstamp", _utc(action.created_at))
        event.add("dtstart", action.due_on)  # a date: an all-day event
        event.add("dtend", action.due_on + dt.timedelta(days=1))
        event.add("summary", action.text)
        description = [
            f"Owner: {action.owner or 'nobody yet'}",
            f"Status: {action.status}",
        ]
        if action.prompted_by:
            description.append(f"Prompted by: {action.prompted_by}")
        description.append(f"Team: {team_name}")
        event.add("description", "\n".join(description))
        event.add("transp", "TRANSPARENT")  # a reminder, not busy time
        calendar.add_component(event)
    return calendar.to_ical()
