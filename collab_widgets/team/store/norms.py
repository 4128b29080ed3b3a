"""The team's norms: commitments the team writes, orders, retires and restores."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db import activity, shared_text
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import check_text
from collab_widgets.team import tables as t
from collab_widgets.team.model import NORM_CATEGORIES, Norm


def norms(scope: TeamScope, include_retired: bool = True) -> list[Norm]:
    query = (
        sa.select(t.norms)
        .where(t.norms.c.team_id == scope.team_id, t.norms.c.deleted_at.is_(None))
        .order_by(t.norms.c.position, t.norms.c.id)
    )
    if not include_retired:
        query = query.where(t.norms.c.retired_at.is_(None))
    with scope.reading() as conn:
        return [
            Norm(r.id, r.category, r.text, r.position, r.retired_at is not None)
            for r in conn.execute(query)
        ]


def add(scope: TeamScope, category: str, text: str = "") -> Norm:
    """A new norm at the end of the list; ``text`` may be empty while it is being typed."""
    if category not in NORM_CATEGORIES:
        raise InvalidInput(
            f"“{category}” is not a norm category; use one of {', '.join(NORM_CATEGORIES)}."
        )
    text = check_text(text, "norm")
    now = scope.store.now()
    with scope.writing() as conn:
        position = conn.execute(
            sa.select(sa.func.coalesce(sa.func.max(t.norms.c.position), 0) + 1).where(
                t.norms.c.team_id == scope.team_id
            )
        ).scalar_one()
        norm_id = conn.execute(
            t.norms.insert().values(
                team_id=scope.team_id,
                category=category,
                text=text,
                position=position,
                created_at=now,
                updated_at=now,
            )
        ).inserted_primary_key[0]
        activity.record(conn, scope, "norms", f"A {category} norm was added", "norms")
    return Norm(norm_id, category, text, position, False)


def set_text(scope: TeamScope, norm_id: int, text: str, base: str | None = None) -> None:
    """Save the norm's wording exactly as typed, over ``base`` (see ``check_unchanged``)."""
    text = check_text(text, "norm")
    with scope.writing() as conn:
        shared_text.write(conn, scope, t.norms, norm_id, "text", text, base, _GONE)
        _update(conn, scope, norm_id, updated_at=scope.store.now())


def set_category(scope: TeamScope, norm_id: int, category: str) -> None:
    if category not in NORM_CATEGORIES:
        raise InvalidInput(f"“{category}” is not a norm category.")
    with scope.writing() as conn:
        _update(conn, scope, norm_id, category=category, updated_at=scope.store.now())


def move(scope: TeamScope, norm_id: int, offset: int) -> None:
    """Move a norm up (negative) or down (positive) among the team's norms."""
    with scope.writing(Permission.FACILITATE) as conn:
        ids = list(
            conn.execute(
                sa.select(t.norms.c.id)
                .where(t.norms.c.team_id == scope.team_id, t.norms.c.deleted_at.is_(None))
                .order_by(t.norms.c.position, t.norms.c.id)
            ).scalars()
        )
        if norm_id not in ids:
            raise NotFound("That norm is no longer on the list; reload the page.")
        old = ids.index(norm_id)
        new = max(0, min(len(ids) - 1, old + offset))
        ids.insert(new, ids.pop(old))
        for position, each in enumerate(ids, start=1):
            conn.execute(t.norms.update().where(t.norms.c.id == each).values(position=position))
        activity.record(conn, scope, "norms", "The norms were reordered", "norms")


def retire(scope: TeamScope, norm_id: int, retired: bool = True) -> None:
    """Retire a norm the team no longer needs (kept, shown apart), or bring it back."""
    with scope.writing(Permission.FACILITATE) as conn:
        _update(conn, scope, norm_id, retired_at=scope.store.now() if retired else None)
        verb = "retired" if retired else "brought back"
        activity.record(conn, scope, "norms", f"A norm was {verb}", "norms")


def delete(scope: TeamScope, norm_id: int) -> None:
    """Move a norm to the trash (a team decision, like retiring: the facilitator's)."""
    with scope.writing(Permission.FACILITATE) as conn:
        _update(conn, scope, norm_id, deleted_at=scope.store.now())
        activity.record(conn, scope, "norms", "A norm was moved to the trash", "norms")


_GONE = "That norm is no longer on the list (it may be in the trash)."


def require_norm(conn: sa.Connection, scope: TeamScope, norm_id: int) -> None:
    """Refuse a norm that is not the team's (another store checks it in its transaction)."""
    norm = conn.execute(
        sa.select(t.norms.c.id).where(t.norms.c.id == norm_id, t.norms.c.team_id == scope.team_id)
    ).first()
    if norm is None:
        raise NotFound("That norm is no longer on the list.")


def _update(conn: sa.Connection, scope: TeamScope, norm_id: int, **values) -> None:
    changed = conn.execute(
        t.norms.update()
        .where(
            t.norms.c.id == norm_id,
            t.norms.c.team_id == scope.team_id,
            t.norms.c.deleted_at.is_(None),
        )
        .values(**values)
    ).rowcount
    if not changed:
        raise NotFound(_GONE)
