"""The cycle timeline: the team's activity record in order, each entry pointing back to
the workbook where it was recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collab_widgets.core.model import ActivityEntry

GOALS_NOTEBOOK = "03_goal_setting.ipynb"
# What an entry's link starts with -> the workbook that recorded it
WORKBOOK_OF = {
    "goal": GOALS_NOTEBOOK,
    "cycle": GOALS_NOTEBOOK,
    "win": GOALS_NOTEBOOK,
    "assessment": "02_evidence_analysis.ipynb",
    "run": "01_protocols.ipynb",
    "meeting": "00_start_here.ipynb",
    "norms": "00_start_here.ipynb",
    "decision": "05_reflection_and_actions.ipynb",
    "action": "05_reflection_and_actions.ipynb",
    "survey": "05_reflection_and_actions.ipynb",
    "co-plan": "06_in_the_classroom.ipynb",
    "lesson-study": "06_in_the_classroom.ipynb",
}
LEFT_OUT = frozenset({"access"})  # code changes are not part of the team's story


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    summary: str
    who: str | None
    notebook: str | None  # where it was recorded, or None when it has no page


def timeline(
    entries: list[ActivityEntry], starts: dt.date | None = None, ends: dt.date | None = None
) -> list[TimelineEntry]:
    """Entries oldest first (in the order they were recorded), between two dates if given."""
    ordered = sorted(entries, key=lambda e: (e.at, e.id))
    return [
        TimelineEntry(e.at, e.kind, e.summary, e.who, _notebook(e.link))
        for e in ordered
        if e.kind not in LEFT_OUT
        and (starts is None or e.at.date() >= starts)
        and (ends is None or e.at.date() <= ends)
    ]


def _notebook(link: str | None) -> str | None:
    if not link:
        return None
    return WORKBOOK_OF.get(link.split("/", 1)[0])
