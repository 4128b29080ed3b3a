"""The tables every domain relies on: the schema's version, coaches, teams, members and
their roles, the activity record, and the wrong codes typed on light pages. One
``metadata`` holds every domain's tables."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

SCHEMA_VERSION = 17


class UTCDateTime(sa.types.TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite keeps no time zone)."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=dt.UTC)


metadata = sa.MetaData()


schema_version = sa.Table(
    "schema_version", metadata, sa.Column("version", sa.Integer, nullable=False)
)


# A school: its teams (and so their classes) and coaches belong to it, and so do its
# community partnerships and its partnership plan (:mod:`collab_widgets.community`).
schools = sa.Table(
    "schools",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(120), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


# The school's people with a link of their own: the coordinator (runs partnerships and the
# plan) and the principal (reads the school's view). The link's code is kept hashed.
school_people = sa.Table(
    "school_people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),  # "coordinator" or "principal"
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
)


# What happened in a school's partnerships, as the team's activity record does for a team.
school_activity = sa.Table(
    "school_activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("school_people.id"), nullable=True),
)


coaches = sa.Table(
    "coaches",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # added in schema version 16: the coach's school (every coach has one)
    sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=True),
)


teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=True),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),
    sa.Column("role_rotation", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    # added in schema version 3: the team's default for notes on a live board
    sa.Column("anonymous_board", sa.Boolean, nullable=False, server_default=sa.false()),
    # added in schema version 16: the team's school (every team has one: its coach's)
    sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=True),
)


members = sa.Table(
    "members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("name", sa.String(80), nullable=False),
    sa.Column("name_key", sa.String(80), nullable=False),
    sa.Column("token", sa.String(16), nullable=False, unique=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("joined_at", UTCDateTime, nullable=False),
    sa.Column("deleted_at", UTCDateTime, nullable=True),
    # added in schema version 10: when the member took their name (on the team link, by
    # joining there, or by first opening their personal link); until then the name can be
    # taken once on the team link, and after that never again
    sa.Column("claimed_at", UTCDateTime, nullable=True),
    sa.Index(
        "uq_members_active_name",
        "team_id",
        "name_key",
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    ),
)


role_assignments = sa.Table(
    "role_assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("rotation", sa.Integer, nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
    sa.Column("assigned_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("team_id", "rotation", "role", name="uq_role_per_rotation"),
)


activity = sa.Table(
    "activity",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=True),
    sa.Column("link", sa.String(200), nullable=True),
)


# A coach sees the teams they created (teams.coach_id) and those given to them here.
coach_teams = sa.Table(
    "coach_teams",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("coach_id", sa.Integer, sa.ForeignKey("coaches.id"), nullable=False),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("given_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("coach_id", "team_id", name="uq_coach_team"),
)


# Wrong codes typed on the light pages (:mod:`collab_widgets.core.light`), kept here rather
# than in a server's memory so that every server process on the database counts the same
# tries. Rows older than the page's window are deleted as new ones come. Not team data:
# backups leave it out (:data:`NOT_BACKED_UP`).
wrong_codes = sa.Table(
    "wrong_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("page", sa.String(40), nullable=False),  # which light page's limit counts it
    sa.Column("network", sa.String(64), nullable=False),  # the client's address (IPv6: its /64)
    sa.Column("code_hash", sa.String(64), nullable=False),  # SHA-256 of the code as typed
    sa.Column("tried_at", UTCDateTime, nullable=False),
    sa.Index("ix_wrong_codes_network", "page", "network", "tried_at"),
    sa.Index("ix_wrong_codes_code", "page", "code_hash", "tried_at"),
)


# A district's sign-in (JupyterHub): which hub user is which coach or team member. A
# teacher on two teams is two members, so two rows with one hub user; a member or coach is
# linked to one hub user at most, and once linked opens only through the hub.
hub_links = sa.Table(
    "hub_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("hub_user", sa.String(255), nullable=False, index=True),
    sa.Column(
        "coach_id",
        sa.Integer,
        sa.ForeignKey("coaches.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    ),
    sa.Column(
        "member_id",
        sa.Integer,
        sa.ForeignKey("members.id", ondelete="CASCADE"),
        nullable=True,
        unique=True,
    ),
    sa.Column("how", sa.String(40), nullable=False),  # "command", "personal link", "coach link"
    sa.Column("linked_at", UTCDateTime, nullable=False),
    # the first time the hub signed them in: a hub knows a user only from then on, so only
    # from then on does its "no such user" mean the user was removed
    sa.Column("signed_in_at", UTCDateTime, nullable=True),
)


# One workbook page opened by a hub user: the server that signed them in writes it and
# hands its secret to the page's kernel (never to the browser); the kernel checks it on
# every read, so deleting it (the hub user was removed) ends the page.
hub_sessions = sa.Table(
    "hub_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("hub_user", sa.String(255), nullable=False, index=True),
    sa.Column("server", sa.String(80), nullable=False),  # the service that signed them in
    sa.Column("started_at", UTCDateTime, nullable=False),
)


# What describes the server rather than anyone's work: a backup neither copies nor
# replaces these (wrong codes hold visitors' addresses, for minutes only).
NOT_BACKED_UP = (schema_version, wrong_codes, hub_sessions)
