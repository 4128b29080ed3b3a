"""Saving one text several people edit: stored as typed when the row still holds the
version the visitor's page read (``base``), refused with the newer text otherwise (see
``model.check_unchanged``). Inside the caller's ``scope.writing()`` transaction, which
locks the team's row, so the check and the write cannot be raced."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db.database import TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.model import check_unchanged


def write(
    conn: sa.Connection,
    scope: TeamScope,
    table: sa.Table,
    row_id: int,
    column: str,
    typed: str,
    base: str | None,
    gone: str,
) -> None:
    """``typed`` into ``column`` of the team's row ``row_id`` (not in the trash); ``gone``
    is the message when there is no such row."""
    row = (table.c.id == row_id) & (table.c.team_id == scope.team_id) & table.c.deleted_at.is_(None)
    stored = conn.execute(sa.select(table.c[column]).where(row)).first()
    if stored is None:
        raise NotFound(gone)
    check_unchanged(stored[0], base, typed)
    conn.execute(table.update().where(row).values({column: typed}))
