"""The roster and the rotating meeting roles."""

from __future__ import annotations

import sqlalchemy as sa

from .. import rotation
from ..errors import AccessDenied, InvalidInput
from ..model import ROLES, Member, clean_name
from . import activity
from . import schema as t
from .database import Permission, TeamScope


def roster(scope: TeamScope) -> list[Member]:
    """Active members in joining order."""
    query = (
        sa.select(t.members)
        .where(t.members.c.team_id == scope.team_id, t.members.c.deleted_at.is_(None))
        .order_by(t.members.c.position, t.members.c.id)
    )
    with scope.reading() as conn:
        return [Member(r.id, r.name, r.token, r.joined_at, r.position) for r in conn.execute(query)]


def _name_taken(conn: sa.Connection, scope: TeamScope, key: str, except_id: int | None) -> bool:
    query = sa.select(t.members.c.id).where(
        t.members.c.team_id == scope.team_id,
        t.members.c.name_key == key,
        t.members.c.deleted_at.is_(None),
    )
    if except_id is not None:
        query = query.where(t.members.c.id != except_id)
    return conn.execute(query).first() is not None


def _duplicate(name: str) -> InvalidInput:
    return InvalidInput(
        f"“{name}” is already on the roster. If that is you, pick your name instead; if it is "
        "someone else with the same name, add an initial.",
        "name",
    )


def add(scope: TeamScope, name: str, *, is_self: bool = False) -> Member:
    """Add a member. A visitor on the team link who is not on the roster may add themself."""
    name = clean_name(name)
    key = name.casefold()
    permission = Permission.VIEW if is_self else Permission.CONTRIBUTE
    try:
        with scope.writing(permission) as conn:
            if _name_taken(conn, scope, key, None):
                raise _duplicate(name)
            position = conn.execute(
                sa.select(sa.func.coalesce(sa.func.max(t.members.c.position), 0) + 1).where(
                    t.members.c.team_id == scope.team_id
                )
            ).scalar_one()
            token = scope.store.fresh_code(conn)
            joined = scope.store.now()
            member_id = conn.execute(
                t.members.insert().values(
                    team_id=scope.team_id,
                    name=name,
                    name_key=key,
                    token=token,
                    position=position,
                    joined_at=joined,
                )
            ).inserted_primary_key[0]
            activity.record(conn, scope, "roster", f"{name} joined the team")
    except sa.exc.IntegrityError as exc:  # the same name added at the same instant elsewhere
        raise _duplicate(name) from exc
    return Member(member_id, name, token, joined, position)


def rename(scope: TeamScope, member_id: int, name: str) -> None:
    name = clean_name(name)
    with scope.writing() as conn:
        scope.require_self_or_facilitator(member_id, conn)
        if _name_taken(conn, scope, name.casefold(), member_id):
            raise _duplicate(name)
        _update(conn, scope, member_id, name=name, name_key=name.casefold())


def remove(scope: TeamScope, member_id: int) -> None:
    """Move a member to the trash (restorable); their entries stay."""
    with scope.writing(Permission.FACILITATE) as conn:
        name = _name(conn, scope, member_id)
        _update(conn, scope, member_id, deleted_at=scope.store.now())
        activity.record(conn, scope, "roster", f"{name} was moved to the trash")


def _update(conn: sa.Connection, scope: TeamScope, member_id: int, **values) -> None:
    changed = conn.execute(
        t.members.update()
        .where(t.members.c.id == member_id, t.members.c.team_id == scope.team_id)
        .values(**values)
    ).rowcount
    if not changed:
        raise AccessDenied("That person is not on this team's roster.")


def _name(conn: sa.Connection, scope: TeamScope, member_id: int) -> str:
    name = conn.execute(
        sa.select(t.members.c.name).where(
            t.members.c.id == member_id, t.members.c.team_id == scope.team_id
        )
    ).scalar()
    if name is None:
        raise AccessDenied("That person is not on this team's roster.")
    return name


# --- roles ----------------------------------------------------------------------------


def current_roles(scope: TeamScope) -> dict[str, Member]:
    """Role name -> member for the current rotation (empty before the first rotation)."""
    by_id = {m.id: m for m in roster(scope)}
    query = (
        sa.select(t.role_assignments.c.role, t.role_assignments.c.member_id)
        .join(t.teams, t.teams.c.id == t.role_assignments.c.team_id)
        .where(
            t.role_assignments.c.team_id == scope.team_id,
            t.role_assignments.c.rotation == t.teams.c.role_rotation,
        )
    )
    with scope.reading() as conn:
        rows = conn.execute(query).all()
    return {r.role: by_id[r.member_id] for r in rows if r.member_id in by_id}


def rotate_roles(scope: TeamScope) -> dict[str, Member]:
    """Hand every role to the next people in the fair rotation."""
    people = roster(scope)
    if not people:
        raise InvalidInput("Add people to the roster before rotating roles.")
    with scope.writing(Permission.FACILITATE) as conn:
        number = (
            conn.execute(
                sa.select(t.teams.c.role_rotation).where(t.teams.c.id == scope.team_id)
            ).scalar_one()
            + 1
        )
        chosen = rotation.assignment(number, [m.id for m in people])
        _write_rotation(conn, scope, number, chosen)
        by_id = {m.id: m for m in people}
        summary = ", ".join(f"{role}: {by_id[mid].name}" for role, mid in chosen.items())
        activity.record(conn, scope, "roles", f"Roles rotated — {summary}")
    return {role: by_id[mid] for role, mid in chosen.items()}


def assign_role(scope: TeamScope, role: str, member_id: int) -> None:
    """Give one role to someone by hand for the current rotation."""
    if role not in ROLES:
        raise InvalidInput(f"“{role}” is not a role; roles are {', '.join(ROLES)}.")
    with scope.writing(Permission.FACILITATE) as conn:
        name = _name(conn, scope, member_id)
        number = conn.execute(
            sa.select(t.teams.c.role_rotation).where(t.teams.c.id == scope.team_id)
        ).scalar_one()
        conn.execute(
            t.role_assignments.delete().where(
                t.role_assignments.c.team_id == scope.team_id,
                t.role_assignments.c.rotation == number,
                t.role_assignments.c.role == role,
            )
        )
        _write_rotation(conn, scope, number, {role: member_id})
        activity.record(conn, scope, "roles", f"{name} is now {role}")


def _write_rotation(conn: sa.Connection, scope: TeamScope, number: int, chosen: dict) -> None:
    now = scope.store.now()
    conn.execute(
        t.role_assignments.insert(),
        [
            dict(team_id=scope.team_id, rotation=number, role=role, member_id=mid, assigned_at=now)
            for role, mid in chosen.items()
        ],
    )
    conn.execute(t.teams.update().where(t.teams.c.id == scope.team_id).values(role_rotation=number))


def role_history(scope: TeamScope) -> dict[int, dict[str, int]]:
    """Member id -> role -> how many rotations they held it."""
    query = (
        sa.select(
            t.role_assignments.c.member_id, t.role_assignments.c.role, sa.func.count().label("n")
        )
        .where(t.role_assignments.c.team_id == scope.team_id)
        .group_by(t.role_assignments.c.member_id, t.role_assignments.c.role)
    )
    history: dict[int, dict[str, int]] = {}
    with scope.reading() as conn:
        for row in conn.execute(query):
            history.setdefault(row.member_id, {})[row.role] = row.n
    return history
