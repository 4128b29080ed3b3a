"""Ordered schema migrations, applied in one transaction each.

Each step is frozen history: it spells out its own tables and columns instead of reading
:mod:`.schema`, so that later changes to the schema never rewrite what an old step did.
To change the schema: edit ``schema.py``, append a step here, raise ``SCHEMA_VERSION``,
and extend ``tests/unit/test_store_migrations.py`` with a database file of the old version.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from .schema import SCHEMA_VERSION, UTCDateTime


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _team() -> sa.Column:
    return sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False)


def _meeting() -> sa.Column:
    return sa.Column("meeting_id", sa.Integer, sa.ForeignKey("meetings.id"), nullable=False)


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, UTCDateTime, nullable=nullable)


def _v1_teams_members_norms(op: Operations) -> None:
    op.create_table("schema_version", sa.Column("version", sa.Integer, nullable=False))
    op.create_table(
        "coaches",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        _when("created_at"),
    )
    op.create_table(
        "teams",
        _id(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=True),
        sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
        sa.Column("role_rotation", sa.Integer, nullable=False, server_default="0"),
        _when("created_at"),
    )
    op.create_table(
        "members",
        _id(),
        _team(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("token", sa.String(16), nullable=False, unique=True),
        sa.Column("position", sa.Integer, nullable=False),
        _when("joined_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_index(
        "uq_members_active_name",
        "members",
        ["team_id", "name_key"],
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.create_table(
        "role_assignments",
        _id(),
        _team(),
        sa.Column("rotation", sa.Integer, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        _when("assigned_at"),
        sa.UniqueConstraint("team_id", "rotation", "role", name="uq_role_per_rotation"),
    )
    op.create_table(
        "norms",
        _id(),
        _team(),
        sa.Column("category", sa.String(30), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        _when("created_at"),
        _when("updated_at"),
        _when("retired_at", nullable=True),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "activity",
        _id(),
        _team(),
        _when("at"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
        sa.Column("link", sa.String(200), nullable=True),
    )


def _v2_meetings_and_norm_checks(op: Operations) -> None:
    op.create_table(
        "meetings",
        _id(),
        _team(),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _when("created_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "agenda_items",
        _id(),
        _team(),
        _meeting(),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        _when("deleted_at", nullable=True),
    )
    op.create_table(
        "attendance",
        _id(),
        _team(),
        _meeting(),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("present", sa.Boolean, nullable=False),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_attendance"),
    )
    op.create_table(
        "norm_checks",
        _id(),
        _team(),
        _meeting(),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("norm_id", sa.Integer, sa.ForeignKey("norms.id"), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("rating", sa.Integer, nullable=False),
        _when("updated_at"),
        sa.UniqueConstraint("meeting_id", "member_id", "norm_id", "phase", name="uq_norm_check"),
    )


MIGRATIONS: list[tuple[int, Callable[[Operations], None]]] = [
    (1, _v1_teams_members_norms),
    (2, _v2_meetings_and_norm_checks),
]
assert MIGRATIONS[-1][0] == SCHEMA_VERSION, "schema.py and migrations.py disagree"


def current_version(conn: sa.Connection) -> int:
    """0 for an empty database; raises ValueError for a database that is not ours."""
    inspector = sa.inspect(conn)
    names = set(inspector.get_table_names())
    if "schema_version" not in names:
        if names:
            raise ValueError("this database holds other tables and no workbook schema")
        return 0
    version = conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar()
    return int(version or 0)


def migrate(engine: sa.Engine, target: int = SCHEMA_VERSION) -> int:
    """Bring the database to ``target``; returns the version it had before."""
    with engine.connect() as conn:
        start = current_version(conn)
    if start > SCHEMA_VERSION:
        raise ValueError(
            f"the database has schema version {start}, newer than this program ({SCHEMA_VERSION})"
        )
    for version, step in MIGRATIONS:
        if start < version <= target:
            with engine.begin() as conn:
                step(Operations(MigrationContext.configure(conn)))
                conn.execute(sa.text("DELETE FROM schema_version"))
                conn.execute(
                    sa.text("INSERT INTO schema_version (version) VALUES (:v)"), {"v": version}
                )
    return start
