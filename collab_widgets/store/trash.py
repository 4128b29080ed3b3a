"""The trash: whatever was deleted stays restorable."""

from __future__ import annotations

import sqlalchemy as sa

from ..errors import InvalidInput, NotFound
from ..model import TrashItem
from . import activity
from . import schema as t
from .database import Permission, TeamScope

# kind -> (table, column that labels it, what restoring needs)
_KINDS = {
    "member": (t.members, t.members.c.name, Permission.MANAGE),
    "norm": (t.norms, t.norms.c.text, Permission.FACILITATE),
    "meeting": (t.meetings, t.meetings.c.title, Permission.FACILITATE),
    "agenda item": (t.agenda_items, t.agenda_items.c.title, Permission.CONTRIBUTE),
    "board note": (t.live_entries, t.live_entries.c.text, Permission.FACILITATE),
    "assessment": (t.assessments, t.assessments.c.name, Permission.FACILITATE),
    "cycle": (t.cycles, t.cycles.c.title, Permission.FACILITATE),
    "goal": (t.goals, sa.literal("a SMART goal and its versions"), Permission.FACILITATE),
    "goal checkpoint": (t.goal_checkpoints, t.goal_checkpoints.c.note, Permission.CONTRIBUTE),
    "win": (t.wins, t.wins.c.text, Permission.CONTRIBUTE),
    "decision": (t.decisions, t.decisions.c.text, Permission.FACILITATE),
    "action": (t.actions, t.actions.c.text, Permission.FACILITATE),
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
