"""What the trainer's and the participants' store functions both read and write: a
workshop as it stands, its prompts in order, a prompt's answers, and the change counter
(``revision``) that every change raises and that the presenter's and participants' pages
poll."""

from __future__ import annotations

import json

import sqlalchemy as sa

from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Store
from collab_widgets.core.errors import NotFound
from collab_widgets.workshops import tables as t
from collab_widgets.workshops.rules import Workshop, WorkshopPrompt

REMOVED = "This workshop was removed. Ask the trainer for the new code."


def bump_revision(conn: sa.Connection, workshop_id: int) -> None:
    conn.execute(
        t.workshops.update()
        .where(t.workshops.c.id == workshop_id)
        .values(revision=t.workshops.c.revision + 1)
    )


def revision(store: Store, workshop_id: int) -> int:
    """The workshop's change counter: a page that follows the workshop polls only this."""
    with store.reading() as conn:
        found = conn.execute(
            sa.select(t.workshops.c.revision).where(t.workshops.c.id == workshop_id)
        ).scalar()
    if found is None:
        raise NotFound(REMOVED)
    return found


def prompt_sequence(conn: sa.Connection, workshop_id: int) -> tuple[WorkshopPrompt, ...]:
    """The workshop's prompts in the order the room sees them (removed ones left out)."""
    p = t.workshop_prompts
    rows = conn.execute(
        sa.select(p)
        .where(p.c.workshop_id == workshop_id, p.c.deleted_at.is_(None))
        .order_by(p.c.position, p.c.id)
    ).all()
    return tuple(
        WorkshopPrompt(r.id, i, r.kind, r.text, tuple(json.loads(r.options)))
        for i, r in enumerate(rows)
    )


def workshop_from_row(conn: sa.Connection, row: sa.Row) -> Workshop:
    team_name = None
    if row.team_id is not None:
        team_name = conn.execute(
            sa.select(core_tables.teams.c.name).where(core_tables.teams.c.id == row.team_id)
        ).scalar()
    joined = conn.execute(
        sa.select(sa.func.count()).where(t.workshop_participants.c.workshop_id == row.id)
    ).scalar_one()
    return Workshop(
        row.id,
        row.title,
        row.code,
        row.position,
        row.results_shown,
        row.ended_at is not None,
        prompt_sequence(conn, row.id),
        team_name,
        joined,
    )


def answer_values(conn: sa.Connection, prompt_id: int) -> list[str]:
    """A prompt's answers in the order they came, without who gave them."""
    a = t.workshop_answers
    return list(
        conn.execute(
            sa.select(a.c.value).where(a.c.prompt_id == prompt_id).order_by(a.c.answered_at, a.c.id)
        ).scalars()
    )
