"""Conferences, individual or student-led: the class's teacher offers slots, a family
chooses one on its own page (taken in one statement, so two families choosing at once
never share a slot), the teacher and the team keep notes, and agreements with an owner
(teacher, family or student) are followed up at the next conference."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from collab_widgets.core.db import Connection, TeamScope, activity
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import check_text, check_unchanged
from collab_widgets.families import rules
from collab_widgets.families import tables as f
from collab_widgets.families.model import CONFERENCE_KINDS, OWNERS, Agreement, Slot
from collab_widgets.families.store.guardians import require_own_family
from collab_widgets.students.store import classes

NO_SLOT = "That conference time is no longer offered."
MOST_SLOTS = 40
LONGEST = 120


def _slot_row(conn: Connection, scope: TeamScope, slot_id: int):
    row = conn.execute(
        sa.select(f.conference_slots).where(
            f.conference_slots.c.id == slot_id, f.conference_slots.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound(NO_SLOT)
    return row


def _own_slot(conn: Connection, scope: TeamScope, slot_id: int):
    row = _slot_row(conn, scope, slot_id)
    classes.require_own_class(conn, scope, row.class_id)
    return row


def slot_times(starts_at: str, minutes: int, count: int) -> list[str]:
    """``count`` back-to-back times from ``starts_at``, each ``minutes`` long."""
    first = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(starts_at))
    times = [first + dt.timedelta(minutes=minutes * i) for i in range(count)]
    if times[-1].date() != first.date():
        raise InvalidInput("Those times run past midnight; start earlier or offer fewer.")
    return [time.strftime("%H:%M") for time in times]


def add_slots(
    scope: TeamScope,
    class_id: int,
    kind: str,
    day: dt.date,
    starts_at: str,
    minutes: int,
    count: int,
) -> int:
    """Offers ``count`` conference times on ``day`` from ``starts_at``; a time already
    offered that day is left as it is. Returns how many were added."""
    if kind not in CONFERENCE_KINDS:
        raise InvalidInput("Choose an individual or a student-led conference.")
    if not 5 <= minutes <= LONGEST:
        raise InvalidInput(f"A conference lasts from 5 to {LONGEST} minutes.")
    if not 1 <= count <= MOST_SLOTS:
        raise InvalidInput(f"Offer from 1 to {MOST_SLOTS} times at once.")
    times = slot_times(rules.check_time(starts_at), minutes, count)
    with scope.writing() as conn:
        row = classes.require_own_class(conn, scope, class_id)
        taken = set(
            conn.execute(
                sa.select(f.conference_slots.c.starts_at).where(
                    f.conference_slots.c.class_id == class_id, f.conference_slots.c.day == day
                )
            ).scalars()
        )
        new = [time for time in times if time not in taken]
        for time in new:
            conn.execute(
                f.conference_slots.insert().values(
                    team_id=scope.team_id,
                    class_id=class_id,
                    kind=kind,
                    day=day,
                    starts_at=time,
                    minutes=minutes,
                    family_id=None,
                    booked_at=None,
                    notes="",
                )
            )
        classes.bump(conn, class_id)
        activity.record(
            conn, scope, "families", f"offered {len(new)} conference times for “{row.name}”"
        )
    return len(new)


def slots(scope: TeamScope, class_id: int) -> list[Slot]:
    """The class's conference times; notes for the team's members only."""
    with scope.reading() as conn:
        classes.require_class(conn, scope, class_id)
        rows = conn.execute(
            sa.select(f.conference_slots)
            .where(f.conference_slots.c.class_id == class_id)
            .order_by(f.conference_slots.c.day, f.conference_slots.c.starts_at)
        ).all()
    team = classes.sees_names(scope)
    return [
        Slot(
            row.id,
            row.kind,
            row.day,
            row.starts_at,
            row.minutes,
            row.family_id,
            row.notes if team else "",
        )
        for row in rows
    ]


def remove_slot(scope: TeamScope, slot_id: int) -> None:
    with scope.writing() as conn:
        row = _own_slot(conn, scope, slot_id)
        conn.execute(f.conference_slots.delete().where(f.conference_slots.c.id == slot_id))
        classes.bump(conn, row.class_id)


def assign(scope: TeamScope, slot_id: int, family_id: int | None) -> None:
    """The teacher books a family into a time (one reached by phone), or frees it."""
    with scope.writing() as conn:
        row = _own_slot(conn, scope, slot_id)
        if family_id is not None:
            require_own_family(conn, scope, family_id)
            if row.family_id not in (None, family_id):
                raise InvalidInput("Another family has that time; free it first.")
        conn.execute(
            f.conference_slots.update()
            .where(f.conference_slots.c.id == slot_id)
            .values(
                family_id=family_id,
                booked_at=None if family_id is None else scope.store.now(),
            )
        )
        classes.bump(conn, row.class_id)


def set_notes(scope: TeamScope, slot_id: int, typed: str, base: str | None = None) -> None:
    """The conference's notes as typed, by the class's teacher (the team's members read
    them; a family never does), unless they changed since the page read ``base``."""
    typed = check_text(typed, "notes")
    with scope.writing() as conn:
        row = _own_slot(conn, scope, slot_id)
        check_unchanged(row.notes, base, typed)
        conn.execute(
            f.conference_slots.update()
            .where(f.conference_slots.c.id == slot_id)
            .values(notes=typed)
        )


def add_agreement(scope: TeamScope, slot_id: int, text: str, owner: str) -> int:
    """An agreement of a conference, kept by its owner: followed up at the next one, and
    shown on the family's page."""
    if owner not in OWNERS:
        raise InvalidInput("Say who keeps the agreement: the teacher, the family or the student.")
    text = " ".join((text or "").split())
    if not text:
        raise InvalidInput("Write what was agreed.")
    check_text(text, "agreement")
    with scope.writing() as conn:
        row = _own_slot(conn, scope, slot_id)
        if row.family_id is None:
            raise InvalidInput("No family has this time yet: agreements are made with one.")
        agreement_id = conn.execute(
            f.conference_agreements.insert().values(
                team_id=scope.team_id,
                slot_id=slot_id,
                family_id=row.family_id,
                text=text,
                owner=owner,
                done_at=None,
                made_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        classes.bump(conn, row.class_id)
        activity.record(conn, scope, "families", f"noted a conference agreement ({owner})")
    return agreement_id


def set_done(scope: TeamScope, agreement_id: int, done: bool) -> None:
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(f.conference_agreements).where(
                f.conference_agreements.c.id == agreement_id,
                f.conference_agreements.c.team_id == scope.team_id,
            )
        ).first()
        if row is None:
            raise NotFound("That agreement is no longer here.")
        _own_slot(conn, scope, row.slot_id)
        conn.execute(
            f.conference_agreements.update()
            .where(f.conference_agreements.c.id == agreement_id)
            .values(done_at=scope.store.now() if done else None)
        )


def agreements(scope: TeamScope, class_id: int) -> list[Agreement]:
    """Every agreement of the class's conferences, oldest first (the team reads them)."""
    with scope.reading() as conn:
        classes.require_class(conn, scope, class_id)
        if not classes.sees_names(scope):
            return []
        rows = conn.execute(
            sa.select(f.conference_agreements)
            .join(f.conference_slots, f.conference_slots.c.id == f.conference_agreements.c.slot_id)
            .where(f.conference_slots.c.class_id == class_id)
            .order_by(f.conference_agreements.c.id)
        ).all()
    return [
        Agreement(row.id, row.slot_id, row.family_id, row.text, row.owner, row.done_at is not None)
        for row in rows
    ]
