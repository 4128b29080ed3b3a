"""Meetings: date, agenda with time boxes, attendance, and the norms check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from collab_widgets.core.db import activity, shared_text
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import check_minutes, check_text
from collab_widgets.meetings import tables as t
from collab_widgets.meetings.model import AgendaItem, Meeting
from collab_widgets.team.model import CHECK_PHASES, NORM_RATINGS
from collab_widgets.team.store import norms

# The agenda every new meeting starts with: the cycle's parts, time-boxed for about an hour.
DEFAULT_AGENDA = (
    ("Norms check", 3),
    ("Celebrate wins", 5),
    ("Goal check", 7),
    ("Evidence and protocol", 25),
    ("Reflection", 5),
    ("Decisions and actions", 10),
    ("Norms check and close", 5),
)

_GONE = "That meeting is no longer there (it may be in the trash)."
_NO_ITEM = "That agenda item is no longer there (it may be in the trash)."


def create(scope: TeamScope, date: dt.date, title: str = "Team meeting") -> Meeting:
    with scope.writing() as conn:
        meeting_id = insert(conn, scope, date, title)
    return get(scope, meeting_id)


def insert(conn: sa.Connection, scope: TeamScope, date: dt.date, title: str) -> int:
    """A new meeting with the default agenda, within a caller's transaction."""
    title = check_text(title, "meeting title")[:200] or "Team meeting"
    meeting_id = conn.execute(
        t.meetings.insert().values(
            team_id=scope.team_id, date=date, title=title, created_at=scope.store.now()
        )
    ).inserted_primary_key[0]
    conn.execute(
        t.agenda_items.insert(),
        [
            dict(
                team_id=scope.team_id,
                meeting_id=meeting_id,
                title=item,
                minutes=minutes,
                position=i,
            )
            for i, (item, minutes) in enumerate(DEFAULT_AGENDA, start=1)
        ],
    )
    activity.record(
        conn, scope, "meeting", f"Meeting planned for {date:%A %d %B %Y}", f"meeting/{meeting_id}"
    )
    return meeting_id


def get(scope: TeamScope, meeting_id: int) -> Meeting:
    with scope.reading() as conn:
        row = conn.execute(
            sa.select(t.meetings).where(
                t.meetings.c.id == meeting_id,
                t.meetings.c.team_id == scope.team_id,
                t.meetings.c.deleted_at.is_(None),
            )
        ).first()
        if row is None:
            raise NotFound(_GONE)
        agenda = conn.execute(
            sa.select(t.agenda_items)
            .where(t.agenda_items.c.meeting_id == meeting_id, t.agenda_items.c.deleted_at.is_(None))
            .order_by(t.agenda_items.c.position, t.agenda_items.c.id)
        ).all()
        present = conn.execute(
            sa.select(t.attendance.c.member_id).where(
                t.attendance.c.meeting_id == meeting_id, t.attendance.c.present.is_(True)
            )
        ).scalars()
        return Meeting(
            row.id,
            row.date,
            row.title,
            tuple(AgendaItem(a.id, a.title, a.minutes, a.position) for a in agenda),
            frozenset(present),
        )


def all_meetings(scope: TeamScope) -> list[Meeting]:
    """Every meeting, most recent date first."""
    with scope.reading() as conn:
        ids = (
            conn.execute(
                sa.select(t.meetings.c.id)
                .where(t.meetings.c.team_id == scope.team_id, t.meetings.c.deleted_at.is_(None))
                .order_by(t.meetings.c.date.desc(), t.meetings.c.id.desc())
            )
            .scalars()
            .all()
        )
    return [get(scope, meeting_id) for meeting_id in ids]


def next_meeting(scope: TeamScope) -> Meeting | None:
    """The first meeting today or later; else the latest one."""
    today = scope.store.clock.today()
    meetings = all_meetings(scope)
    upcoming = [m for m in meetings if m.date >= today]
    if upcoming:
        return upcoming[-1]
    return meetings[0] if meetings else None


def set_details(
    scope: TeamScope,
    meeting_id: int,
    *,
    date: dt.date | None = None,
    title: str | None = None,
    base: str | None = None,
) -> None:
    """Change the date or the title (typed over ``base``: see ``check_unchanged``)."""
    values = {}
    if date is not None:
        values["date"] = date
    if title is not None:
        values["title"] = check_text(title, "meeting title")
        if len(title) > 200:
            raise InvalidInput("Keep the meeting title to 200 characters or fewer.", "title")
    with scope.writing() as conn:
        require_meeting(conn, scope, meeting_id)
        if "title" in values:
            title = values.pop("title")
            shared_text.write(conn, scope, t.meetings, meeting_id, "title", title, base, _GONE)
        if values:
            conn.execute(t.meetings.update().where(t.meetings.c.id == meeting_id).values(**values))


def delete(scope: TeamScope, meeting_id: int) -> None:
    with scope.writing(Permission.FACILITATE) as conn:
        require_meeting(conn, scope, meeting_id)
        conn.execute(
            t.meetings.update()
            .where(t.meetings.c.id == meeting_id)
            .values(deleted_at=scope.store.now())
        )
        activity.record(conn, scope, "meeting", "A meeting was moved to the trash")


def require_meeting(conn: sa.Connection, scope: TeamScope, meeting_id: int) -> None:
    found = conn.execute(
        sa.select(t.meetings.c.id).where(
            t.meetings.c.id == meeting_id,
            t.meetings.c.team_id == scope.team_id,
            t.meetings.c.deleted_at.is_(None),
        )
    ).first()
    if found is None:
        raise NotFound(_GONE)


# --- agenda ---------------------------------------------------------------------------


def present(conn: sa.Connection, meeting_id: int | None) -> list[str]:
    """The names of the members marked present at a meeting, for a record written in
    another store's transaction (a decision's "who was there")."""
    if meeting_id is None:
        return []
    rows = conn.execute(
        sa.select(core_tables.members.c.name)
        .join(t.attendance, t.attendance.c.member_id == core_tables.members.c.id)
        .where(t.attendance.c.meeting_id == meeting_id, t.attendance.c.present.is_(True))
        .order_by(core_tables.members.c.name)
    )
    return [r.name for r in rows]


def meeting_date(conn: sa.Connection, meeting_id: int) -> dt.date:
    return conn.execute(
        sa.select(t.meetings.c.date).where(t.meetings.c.id == meeting_id)
    ).scalar_one()


def earlier_than(scope: TeamScope, date: dt.date) -> sa.Select:
    """The ids of the team's meetings dated before ``date``, for another store's query."""
    return sa.select(t.meetings.c.id).where(
        t.meetings.c.team_id == scope.team_id, t.meetings.c.date < date
    )


def add_agenda_item(scope: TeamScope, meeting_id: int, title: str = "", minutes: int = 5) -> int:
    title = check_text(title, "agenda item")
    minutes = check_minutes(minutes)
    with scope.writing() as conn:
        require_meeting(conn, scope, meeting_id)
        position = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(t.agenda_items.c.position), 0) + 1).where(
                t.agenda_items.c.meeting_id == meeting_id
            )
        ).scalar_one()
        return conn.execute(
            t.agenda_items.insert().values(
                team_id=scope.team_id,
                meeting_id=meeting_id,
                title=title,
                minutes=minutes,
                position=position,
            )
        ).inserted_primary_key[0]


def set_agenda_item(
    scope: TeamScope,
    item_id: int,
    *,
    title: str | None = None,
    minutes: int | None = None,
    base: str | None = None,
) -> None:
    """Change an item's title (typed over ``base``: see ``check_unchanged``) or minutes."""
    values = {}
    if title is not None:
        values["title"] = check_text(title, "agenda item")
    if minutes is not None:
        values["minutes"] = check_minutes(minutes)
    with scope.writing() as conn:
        if "title" in values:
            title = values.pop("title")
            shared_text.write(conn, scope, t.agenda_items, item_id, "title", title, base, _NO_ITEM)
        if values:
            _update_item(conn, scope, item_id, **values)


def delete_agenda_item(scope: TeamScope, item_id: int) -> None:
    with scope.writing() as conn:
        _update_item(conn, scope, item_id, deleted_at=scope.store.now())


def _update_item(conn: sa.Connection, scope: TeamScope, item_id: int, **values) -> None:
    changed = conn.execute(
        t.agenda_items.update()
        .where(
            t.agenda_items.c.id == item_id,
            t.agenda_items.c.team_id == scope.team_id,
            t.agenda_items.c.deleted_at.is_(None),
        )
        .values(**values)
    ).rowcount
    if not changed:
        raise NotFound(_NO_ITEM)


# --- attendance -----------------------------------------------------------------------


def set_attendance(scope: TeamScope, meeting_id: int, member_id: int, present: bool) -> None:
    with scope.writing() as conn:
        require_meeting(conn, scope, meeting_id)
        _own_member(conn, scope, member_id)
        _upsert(
            conn,
            t.attendance,
            dict(meeting_id=meeting_id, member_id=member_id),
            dict(team_id=scope.team_id, present=present),
        )


# --- norms check ----------------------------------------------------------------------


def check_norm(scope: TeamScope, meeting_id: int, norm_id: int, phase: str, rating: int) -> None:
    """The acting member's mark of how well a norm was kept, at the start or the end."""
    if phase not in CHECK_PHASES:
        raise InvalidInput("A norms check happens at the start or the end of a meeting.")
    if rating not in NORM_RATINGS:
        raise InvalidInput("Rate each norm from 1 (not kept) to 4 (fully kept).")
    with scope.writing() as conn:
        member_id = scope.member_id
        if member_id is None:
            raise InvalidInput("Only members mark the norms check; pick your name first.")
        require_meeting(conn, scope, meeting_id)
        norms.require_norm(conn, scope, norm_id)
        first = _upsert(
            conn,
            t.norm_checks,
            dict(meeting_id=meeting_id, member_id=member_id, norm_id=norm_id, phase=phase),
            dict(team_id=scope.team_id, rating=rating, updated_at=scope.store.now()),
        )
        if first:
            activity.record(
                conn, scope, "norms-check", f"Norms check ({phase}) marked", f"meeting/{meeting_id}"
            )


def my_checks(scope: TeamScope, meeting_id: int) -> dict[tuple[int, str], int]:
    """(norm id, phase) -> rating, for the acting member only."""
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(t.norm_checks).where(
                t.norm_checks.c.meeting_id == meeting_id,
                t.norm_checks.c.team_id == scope.team_id,
                t.norm_checks.c.member_id == scope.member_id,
            )
        ).all()
    return {(r.norm_id, r.phase): r.rating for r in rows}


@dataclass(frozen=True)
class NormCheckSummary:
    norm_id: int
    phase: str
    mean: float
    count: int


def check_summary(scope: TeamScope, meeting_id: int) -> list[NormCheckSummary]:
    """Mean mark and number of marks per norm and phase (no individual marks)."""
    query = (
        sa.select(
            t.norm_checks.c.norm_id,
            t.norm_checks.c.phase,
            sa.func.avg(t.norm_checks.c.rating).label("mean"),
            sa.func.count().label("n"),
        )
        .where(t.norm_checks.c.meeting_id == meeting_id, t.norm_checks.c.team_id == scope.team_id)
        .group_by(t.norm_checks.c.norm_id, t.norm_checks.c.phase)
    )
    with scope.reading() as conn:
        return [
            NormCheckSummary(r.norm_id, r.phase, float(r.mean), r.n) for r in conn.execute(query)
        ]


def _own_member(conn: sa.Connection, scope: TeamScope, member_id: int) -> None:
    found = conn.execute(
        sa.select(core_tables.members.c.id).where(
            core_tables.members.c.id == member_id, core_tables.members.c.team_id == scope.team_id
        )
    ).first()
    if found is None:
        raise NotFound("That person is not on this team's roster.")


def _upsert(conn: sa.Connection, table: sa.Table, key: dict, values: dict) -> bool:
    """Update the row matching ``key`` or insert it; True when inserted.

    Runs inside a write transaction that holds the lock (SQLite) or is retried by the
    unique constraint (PostgreSQL), so two saves of the same mark never make two rows.
    """
    where = [table.c[name] == value for name, value in key.items()]
    if conn.execute(table.update().where(*where).values(**values)).rowcount:
        return False
    try:
        with conn.begin_nested():
            conn.execute(table.insert().values(**key, **values))
    except sa.exc.IntegrityError:
        conn.execute(table.update().where(*where).values(**values))
        return False
    return True
