"""The norms check of one meeting, summarised for the team and drawn as a chart."""

from __future__ import annotations

from dataclasses import dataclass

from collab_widgets.core.charts import Chart, norms_check_chart
from collab_widgets.core.db import TeamScope
from collab_widgets.meetings import store as meetings
from collab_widgets.team.model import CHECK_PHASES, Norm
from collab_widgets.team.store import norms


@dataclass(frozen=True)
class NormCheckRow:
    """One norm in use, as the chart shows it: its average marks (None where nobody marked)
    and how many marked, at the start and end."""

    norm: str
    start: float | None
    end: float | None
    marked_at_start: int
    marked_at_end: int


def check_rows(summary: list[meetings.NormCheckSummary], in_use: list[Norm]) -> list[NormCheckRow]:
    """The norms check of a meeting per norm in use, from its averages and counts."""
    found = {(s.norm_id, s.phase): s for s in summary}

    def mean(norm_id: int, phase: str) -> float | None:
        return found[(norm_id, phase)].mean if (norm_id, phase) in found else None

    def count(norm_id: int, phase: str) -> int:
        return found[(norm_id, phase)].count if (norm_id, phase) in found else 0

    start, end = CHECK_PHASES
    return [
        NormCheckRow(
            n.text, mean(n.id, start), mean(n.id, end), count(n.id, start), count(n.id, end)
        )
        for n in in_use
        if n.text.strip()
    ]


def rows_chart(rows: list[NormCheckRow]) -> Chart:
    return norms_check_chart(
        [r.norm for r in rows],
        [r.start for r in rows],
        [r.end for r in rows],
        [f"{r.marked_at_start}/{r.marked_at_end}" for r in rows],
    )


def meeting_chart(scope: TeamScope, meeting_id: int) -> Chart | None:
    """Average mark per active norm at the start and end; None before anyone marked."""
    summary = meetings.check_summary(scope, meeting_id)
    rows = check_rows(summary, norms.norms(scope, include_retired=False))
    if not summary or not rows:
        return None
    return rows_chart(rows)


def last_checked_meeting(scope: TeamScope, before_id: int | None = None):
    """The most recent other meeting that has norms-check marks, or None."""
    for meeting in meetings.all_meetings(scope):
        if meeting.id != before_id and meetings.check_summary(scope, meeting.id):
            return meeting
    return None
