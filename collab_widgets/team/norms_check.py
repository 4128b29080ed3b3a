"""The norms check of one meeting, summarised for the team and drawn as a chart."""

from __future__ import annotations

from collab_widgets.core.charts import Chart, norms_check_chart
from collab_widgets.core.db import TeamScope
from collab_widgets.meetings import store as meetings
from collab_widgets.team.model import CHECK_PHASES
from collab_widgets.team.store import norms


def meeting_chart(scope: TeamScope, meeting_id: int) -> Chart | None:
    """Average mark per active norm at the start and end; None before anyone marked."""
    summary = {(s.norm_id, s.phase): s for s in meetings.check_summary(scope, meeting_id)}
    active = [n for n in norms.norms(scope, include_retired=False) if n.text.strip()]
    if not summary or not active:
        return None

    def mean(norm_id: int, phase: str) -> float | None:
        found = summary.get((norm_id, phase))
        return found.mean if found else None

    def counts(norm_id: int) -> str:
        return "/".join(
            str(summary[(norm_id, p)].count if (norm_id, p) in summary else 0) for p in CHECK_PHASES
        )

    return norms_check_chart(
        [n.text for n in active],
        [mean(n.id, "start") for n in active],
        [mean(n.id, "end") for n in active],
        [counts(n.id) for n in active],
    )


def last_checked_meeting(scope: TeamScope, before_id: int | None = None):
    """The most recent other meeting that has norms-check marks, or None."""
    for meeting in meetings.all_meetings(scope):
        if meeting.id != before_id and meetings.check_summary(scope, meeting.id):
            return meeting
    return None
