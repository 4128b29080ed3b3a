"""A team's actions taken away: a spreadsheet-safe CSV and an iCalendar file of due dates."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from collab_widgets.actions.model import Action
from collab_widgets.core.spreadsheet_csv import spreadsheet_csv

CSV_HEADER = ("Action", "Owner", "Due", "Status", "Overdue", "Prompted by", "Created")
PRODID = "-//Collaboration Workbook//collab-widgets//EN"


def iso_day(day: dt.date | dt.datetime | None) -> str:
    """A date (or a moment's date) as YYYY-MM-DD; empty for none."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.isoformat()


def actions_csv(actions: Iterable[Action], today: dt.date) -> str:
    """The actions as spreadsheet-safe CSV text, one row each, with a header row; overdue
    counts from ``today``."""
    rows = (
        (
            action.text,
            action.owner,
            iso_day(action.due_on),
            action.status,
            "yes" if action.overdue(today) else "no",
            action.prompted_by,
            iso_day(action.created_at),
        )
        for action in actions
    )
    return spreadsheet_csv(CSV_HEADER, rows)


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
