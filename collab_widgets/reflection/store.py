"""What? So what? Now what? per meeting: each member's own reflection, which only its
author ever reads (not the facilitator, not the coach), and the team's shared synthesis."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.db.database import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.model import check_text, check_unchanged
from collab_widgets.meetings.store import require_meeting
from collab_widgets.reflection import tables as t
from collab_widgets.reflection.model import REFLECTION_PARTS, Reflection

PART_NAMES = {"what": "What?", "so_what": "So what?", "now_what": "Now what?"}


def _part(part: str) -> str:
    if part not in REFLECTION_PARTS:
        raise InvalidInput(f"There is no part “{part}” of a reflection.")
    return part


def _reflection(meeting_id: int, row) -> Reflection:
    if row is None:
        return Reflection(meeting_id)
    return Reflection(meeting_id, row.what, row.so_what, row.now_what)


def _parts_with(part: str, text: str, scope: TeamScope) -> dict:
    """A new row's values: the part typed, the others empty."""
    return {**{p: "" for p in REFLECTION_PARTS}, part: text, "updated_at": scope.store.now()}


def _author(scope: TeamScope) -> int:
    if scope.member_id is None:
        raise InvalidInput(
            "A reflection is a member's own: pick your name first. (A coach sees only the "
            "team's synthesis.)"
        )
    return scope.member_id


def _save_part(
    conn: sa.Connection,
    scope: TeamScope,
    table: sa.Table,
    where,
    meeting_id: int,
    part: str,
    text: str,
    started: str,
    **keys: int,
) -> None:
    """Update one part of the row ``where`` picks, or start that row (noting ``started``
    in the activity record)."""
    if conn.execute(sa.select(table.c.id).where(where)).first() is not None:
        conn.execute(
            table.update().where(where).values({part: text, "updated_at": scope.store.now()})
        )
        return
    conn.execute(
        table.insert().values(
            team_id=scope.team_id, meeting_id=meeting_id, **keys, **_parts_with(part, text, scope)
        )
    )
    activity.record(conn, scope, "reflection", started, f"meeting/{meeting_id}")


def own(scope: TeamScope, meeting_id: int) -> Reflection:
    """The visitor's own reflection on a meeting (empty if none yet)."""
    if scope.member_id is None:
        return Reflection(meeting_id)
    with scope.reading() as conn:
        row = conn.execute(
            sa.select(t.reflections).where(
                t.reflections.c.team_id == scope.team_id,
                t.reflections.c.meeting_id == meeting_id,
                t.reflections.c.member_id == scope.member_id,
            )
        ).first()
    return _reflection(meeting_id, row)


def save_own(scope: TeamScope, meeting_id: int, part: str, typed: str) -> None:
    """One part of the visitor's reflection, saved as typed."""
    member_id = _author(scope)
    text = check_text(typed, PART_NAMES[_part(part)])
    with scope.writing() as conn:
        require_meeting(conn, scope, meeting_id)
        where = (t.reflections.c.meeting_id == meeting_id) & (
            t.reflections.c.member_id == member_id
        )
        _save_part(
            conn,
            scope,
            t.reflections,
            where,
            meeting_id,
            part,
            text,
            "A private reflection was written",
            member_id=member_id,
        )


def synthesis(scope: TeamScope, meeting_id: int) -> Reflection:
    with scope.reading() as conn:
        row = conn.execute(
            sa.select(t.syntheses).where(
                t.syntheses.c.team_id == scope.team_id, t.syntheses.c.meeting_id == meeting_id
            )
        ).first()
    return _reflection(meeting_id, row)


def save_synthesis(
    scope: TeamScope, meeting_id: int, part: str, typed: str, base: str | None = None
) -> None:
    """One part of the team's synthesis, saved as typed (any member, the coach too) over
    ``base`` (see ``check_unchanged``)."""
    text = check_text(typed, PART_NAMES[_part(part)])
    with scope.writing() as conn:
        require_meeting(conn, scope, meeting_id)
        where = t.syntheses.c.meeting_id == meeting_id
        stored = conn.execute(sa.select(t.syntheses.c[part]).where(where)).scalar()
        check_unchanged(stored, base, text)
        _save_part(
            conn,
            scope,
            t.syntheses,
            where,
            meeting_id,
            part,
            text,
            "The team's synthesis was started",
        )
