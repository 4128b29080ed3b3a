"""The activity record: one small API through which every capability notes what happened.

Entries are written in the same transaction as the change they describe, so the record
never claims something that was not saved. Later capabilities render it as the timeline.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa

from collab_widgets.core.db import tables as t
from collab_widgets.core.model import ActivityEntry

if TYPE_CHECKING:  # database.py records a name taken when a personal link first opens
    from collab_widgets.core.db.database import TeamScope


def record(
    conn: sa.Connection,
    scope: TeamScope,
    kind: str,
    summary: str,
    link: str | None = None,
    *,
    named: bool = True,
) -> None:
    """Note ``summary`` (plain text, never HTML) of ``kind`` by the scope's actor, now;
    with ``named`` False, by nobody (what happened, never who did it)."""
    conn.execute(
        t.activity.insert().values(
            team_id=scope.team_id,
            at=scope.store.now(),
            kind=kind,
            summary=summary,
            member_id=scope.member_id if named else None,
            link=link,
        )
    )


def record_for_team(
    conn: sa.Connection, team_id: int, at: dt.datetime, kind: str, summary: str
) -> None:
    """Note what happened to a team by nobody in it: the district's sign-in linking or
    removing one of its members (``collab hub``, the hub itself)."""
    conn.execute(t.activity.insert().values(team_id=team_id, at=at, kind=kind, summary=summary))


def entries(scope: TeamScope, limit: int = 200) -> list[ActivityEntry]:
    """Newest first."""
    query = (
        sa.select(t.activity, t.members.c.name.label("who"))
        .outerjoin(t.members, t.members.c.id == t.activity.c.member_id)
        .where(t.activity.c.team_id == scope.team_id)
        .order_by(t.activity.c.at.desc(), t.activity.c.id.desc())
        .limit(limit)
    )
    with scope.reading() as conn:
        rows = conn.execute(query).all()
    return [ActivityEntry(r.id, r.at, r.kind, r.summary, r.who, r.link) for r in rows]
