"""The trash: whatever was deleted stays restorable."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.actions import tables as actions_tables
from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.evidence import tables as evidence_tables
from collab_widgets.goals import tables as goals_tables
from collab_widgets.history.model import TrashItem
from collab_widgets.live import tables as live_tables
from collab_widgets.meetings import tables as meetings_tables
from collab_widgets.team import tables as team_tables

# kind -> (table, column that labels it, what restoring needs)
_KINDS = {
    "member": (core_tables.members, core_tables.members.c.name, Permission.MANAGE),
    "norm": (team_tables.norms, team_tables.norms.c.text, Permission.FACILITATE),
    "meeting": (meetings_tables.meetings, meetings_tables.meetings.c.title, Permission.FACILITATE),
    "agenda item": (
        meetings_tables.agenda_items,
        meetings_tables.agenda_items.c.title,
        Permission.CONTRIBUTE,
    ),
    "board note": (
        live_tables.live_entries,
        live_tables.live_entries.c.text,
        Permission.FACILITATE,
    ),
    "assessment": (
        evidence_tables.assessments,
        evidence_tables.assessments.c.name,
        Permission.FACILITATE,
    ),
    "cycle": (goals_tables.cycles, goals_tables.cycles.c.title, Permission.FACILITATE),
    "goal": (
        goals_tables.goals,
        sa.literal("a SMART goal and its versions"),
        Permission.FACILITATE,
    ),
    "goal checkpoint": (
        goals_tables.goal_checkpoints,
        goals_tables.goal_checkpoints.c.note,
        Permission.CONTRIBUTE,
    ),
    "win": (goals_tables.wins, goals_tables.wins.c.text, Permission.CONTRIBUTE),
    "decision": (actions_tables.decisions, actions_tables.decisions.c.text, Permission.FACILITATE),
    "action": (actions_tables.actions, actions_tables.actions.c.text, Permission.FACILITATE),
}


def items(scope: TeamScope) -> list[TrashItem]:
    """Everything in the team's trash, most recently deleted first."""
    found: list[TrashItem] = []
    with scope.reading() as conn:
        for kind, (table, label, _) in _KINDS.items():
            rows = conn.execute(
                sa.select(table.c.id, label.label("label"), table.c.deleted_at).where(
                    table.c.team_id == scope.team_id, table.c.deleted_at.is_not(None)
                )
            )
            found += [TrashItem(kind, r.id, r.label or "(blank)", r.deleted_at) for r in rows]
    return sorted(found, key=lambda item: item.deleted_at, reverse=True)


def restore(scope: TeamScope, kind: str, item_id: int) -> None:
    if kind not in _KINDS:
        raise InvalidInput(f"Nothing of kind “{kind}” can be restored.")
    table, label, permission = _KINDS[kind]
    try:
        with scope.writing(permission) as conn:
            name = conn.execute(
                sa.select(label).where(
                    table.c.id == item_id,
                    table.c.team_id == scope.team_id,
                    table.c.deleted_at.is_not(None),
                )
            ).scalar()
            if name is None:
                raise NotFound("That item is not in the trash any more.")
            conn.execute(table.update().where(table.c.id == item_id).values(deleted_at=None))
            activity.record(conn, scope, "trash", f"A {kind} was restored from the trash")
    except sa.exc.IntegrityError as exc:
        raise InvalidInput(
            f"“{name}” cannot come back: someone on the roster now has that name. Rename them "
            "first, then restore."
        ) from exc
