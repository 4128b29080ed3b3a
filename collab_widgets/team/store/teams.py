"""Coaches, teams and their codes."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import CoachScope, Permission, Store, TeamScope
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.model import TeamSummary, clean_name


def add_coach(store: Store, name: str) -> str:
    """Create a coach; returns the coach's code (the key to create and follow teams)."""
    name = clean_name(name, "coach's name")
    with store.writing() as conn:
        code = store.fresh_code(conn)
        conn.execute(
            core_tables.coaches.insert().values(
                name=name, code=code, school_id=_first_school(conn, store), created_at=store.now()
            )
        )
    return code


def _first_school(conn: sa.Connection, store: Store) -> int:
    """The school a new coach belongs to: the first, made at first need (a server of one
    school needs no setting up; ``collab school`` adds others)."""
    found = conn.execute(sa.select(sa.func.min(core_tables.schools.c.id))).scalar()
    if found is not None:
        return found
    return conn.execute(
        core_tables.schools.insert().values(name="Our school", revision=0, created_at=store.now())
    ).inserted_primary_key[0]


def first_coach_code(store: Store) -> tuple[str, str, bool]:
    """The first coach's (name, code), creating one at first start; True when created."""
    with store.reading() as conn:
        row = conn.execute(
            sa.select(core_tables.coaches).order_by(core_tables.coaches.c.id).limit(1)
        ).first()
    if row:
        return row.name, row.code, False
    return "Coach", add_coach(store, "Coach"), True


def coach_codes(store: Store) -> list[tuple[str, str]]:
    """Every coach's (name, code): for the server operator's console only."""
    with store.reading() as conn:
        return [
            (r.name, r.code)
            for r in conn.execute(sa.select(core_tables.coaches).order_by(core_tables.coaches.c.id))
        ]


def create_team(coach: CoachScope, name: str) -> TeamScope:
    """A new team looked after by ``coach``; returns its scope acting as that coach."""
    name = clean_name(name, "team name")
    store = coach.store
    with coach.writing() as conn:
        code = store.fresh_code(conn)
        conn.execute(
            core_tables.teams.insert().values(
                name=name,
                code=code,
                coach_id=coach.coach_id,
                # the coach's school: every team belongs to one
                school_id=sa.select(core_tables.coaches.c.school_id)
                .where(core_tables.coaches.c.id == coach.coach_id)
                .scalar_subquery(),
                created_at=store.now(),
            )
        )
    scope = coach.open_team(code)
    with scope.writing(Permission.COACH) as conn:
        activity.record(conn, scope, "team", f"Team “{name}” created by {coach.name}")
    return scope


def coach_teams(coach: CoachScope) -> list[TeamSummary]:
    count = (
        sa.select(sa.func.count())
        .where(
            core_tables.members.c.team_id == core_tables.teams.c.id,
            core_tables.members.c.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    given = sa.select(core_tables.coach_teams.c.team_id).where(
        core_tables.coach_teams.c.coach_id == coach.coach_id
    )
    query = (
        sa.select(core_tables.teams, count.label("member_count"))
        .where(
            sa.or_(
                core_tables.teams.c.coach_id == coach.coach_id, core_tables.teams.c.id.in_(given)
            )
        )
        .order_by(core_tables.teams.c.name)
    )
    with coach.reading() as conn:
        return [
            TeamSummary(r.id, r.name, r.code, r.member_count, r.created_at)
            for r in conn.execute(query)
        ]


def team_code(scope: TeamScope) -> str:
    """The team's code, for its links. Only members and the coach hold a scope."""
    with scope.reading() as conn:
        return conn.execute(
            sa.select(core_tables.teams.c.code).where(core_tables.teams.c.id == scope.team_id)
        ).scalar_one()


def anonymous_board(scope: TeamScope) -> bool:
    """The team's default: are notes on a live board anonymous?"""
    with scope.reading() as conn:
        return bool(
            conn.execute(
                sa.select(core_tables.teams.c.anonymous_board).where(
                    core_tables.teams.c.id == scope.team_id
                )
            ).scalar_one()
        )


def set_anonymous_board(scope: TeamScope, anonymous: bool) -> None:
    with scope.writing(Permission.FACILITATE) as conn:
        conn.execute(
            core_tables.teams.update()
            .where(core_tables.teams.c.id == scope.team_id)
            .values(anonymous_board=bool(anonymous))
        )
        state = "anonymous" if anonymous else "signed with names"
        activity.record(conn, scope, "team", f"Board notes are now {state} by default")


def rename_team(scope: TeamScope, name: str) -> None:
    name = clean_name(name, "team name")
    with scope.writing(Permission.FACILITATE) as conn:
        conn.execute(
            core_tables.teams.update()
            .where(core_tables.teams.c.id == scope.team_id)
            .values(name=name)
        )
        activity.record(conn, scope, "team", f"Team renamed to “{name}”")
    scope.team_name = name


def rotate_team_code(scope: TeamScope) -> str:
    """After a leak: a new team code, and a new personal token for every member, so the
    old team link and every personal link collected through it (a name taken there hands
    out its link) stop working, with the pages opened with them. The store cannot tell a
    collected link from its owner's (a collector may renew it), so all are renewed; names
    stay taken, so the new team link hands none out again, and the coach sends each member
    their new link. The page that made the change keeps working."""
    with scope.writing(Permission.MANAGE) as conn:
        code = scope.store.fresh_code(conn)
        conn.execute(
            core_tables.teams.update()
            .where(core_tables.teams.c.id == scope.team_id)
            .values(code=code)
        )
        everyone = conn.execute(
            sa.select(core_tables.members.c.id).where(
                core_tables.members.c.team_id == scope.team_id
            )
        ).scalars()
        own_token = None
        for member_id in list(everyone):
            token = scope.store.fresh_code(conn)
            conn.execute(
                core_tables.members.update()
                .where(core_tables.members.c.id == member_id)
                .values(token=token)
            )
            if member_id == scope.member_id:
                own_token = token
        activity.record(
            conn,
            scope,
            "access",
            "Team code changed; the old team link and every personal link stop working",
        )
    scope.renewed("team", code)
    if own_token is not None:
        scope.renewed("member", own_token)
    return code


def rotate_member_token(scope: TeamScope, member_id: int) -> str:
    """A new personal link for one member (their own, or a coach's for them); the old
    one stops working."""
    scope.require_self_or_coach(member_id)
    with scope.writing() as conn:
        token = scope.store.fresh_code(conn)
        changed = conn.execute(
            core_tables.members.update()
            .where(
                core_tables.members.c.id == member_id,
                core_tables.members.c.team_id == scope.team_id,
            )
            .values(token=token)
        ).rowcount
        if not changed:
            raise AccessDenied("That person is not on this team's roster.")
        activity.record(conn, scope, "access", "A personal link was renewed")
    if member_id == scope.member_id:
        scope.renewed("member", token)
    return token


def coach_code(coach: CoachScope) -> str:
    """The coach's current code, for the coach's own page."""
    with coach.reading() as conn:
        return conn.execute(
            sa.select(core_tables.coaches.c.code).where(core_tables.coaches.c.id == coach.coach_id)
        ).scalar_one()


def rotate_coach_code(coach: CoachScope) -> str:
    """A new coach code; the old coach link, and pages opened with it elsewhere, stop
    working. The coach keeps its teams, and this page keeps working."""
    with coach.writing() as conn:
        code = coach.store.fresh_code(conn)
        conn.execute(
            core_tables.coaches.update()
            .where(core_tables.coaches.c.id == coach.coach_id)
            .values(code=code)
        )
    coach.code = code
    return code


def give_team(store: Store, team_code: str, coach_code: str) -> tuple[str, str]:
    """Let another coach follow a team too (the server operator's console); returns the
    team's and the coach's names."""
    scope = store.open_team(team_code)
    coach = store.open_coach(coach_code, operator=True)
    with store.writing() as conn:
        conn.execute(
            core_tables.coach_teams.delete().where(
                core_tables.coach_teams.c.coach_id == coach.coach_id,
                core_tables.coach_teams.c.team_id == scope.team_id,
            )
        )
        conn.execute(
            core_tables.coach_teams.insert().values(
                coach_id=coach.coach_id, team_id=scope.team_id, given_at=store.now()
            )
        )
        activity.record(conn, scope, "access", f"Coach {coach.name} now follows the team too")
    return scope.team_name, coach.name


def coach_of_team(store: Store, team_code: str) -> CoachScope:
    """The coach scope of the team's coach: for the server operator's console only."""
    scope = store.open_team(team_code)
    with store.reading() as conn:
        code = conn.execute(
            sa.select(core_tables.coaches.c.code)
            .join(core_tables.teams, core_tables.teams.c.coach_id == core_tables.coaches.c.id)
            .where(core_tables.teams.c.id == scope.team_id)
        ).scalar()
    if code is None:
        raise AccessDenied("That team has no coach; assign one first.")
    return store.open_coach(code, operator=True)


def note_coach_view(scope: TeamScope, page: str) -> None:
    """A coach opening one of the team's workbooks goes in the team's activity record, so
    a team can see when its coach looked (and where)."""
    if not scope.actor.is_coach:
        return
    with scope.writing() as conn:
        coach = conn.execute(
            sa.select(core_tables.coaches.c.name).where(
                core_tables.coaches.c.id == scope.actor.coach_id
            )
        ).scalar()
        activity.record(conn, scope, "coach", f"Coach {coach} opened {page}")
