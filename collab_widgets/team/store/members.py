"""The roster, the names taken on the team link, and the rotating meeting roles."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.core.model import ROLES, Member, clean_name
from collab_widgets.team import rotation

TAKEN = (
    "“{name}” is already taken on this team. If that is you, open your personal link (the "
    "Start page shows it on the device you used first), or ask your coach for a new one."
)


def roster(scope: TeamScope) -> list[Member]:
    """Active members in joining order. A personal token is filled in only for the reader's
    own entry, or for a coach: nobody else's page ever holds another member's link."""
    query = (
        sa.select(core_tables.members)
        .where(
            core_tables.members.c.team_id == scope.team_id,
            core_tables.members.c.deleted_at.is_(None),
        )
        .order_by(core_tables.members.c.position, core_tables.members.c.id)
    )
    with scope.reading() as conn:
        rows = conn.execute(query).all()
    return [
        Member(
            r.id,
            r.name,
            r.token if scope.actor.is_coach or r.id == scope.member_id else "",
            r.joined_at,
            r.position,
            r.claimed_at is not None,
        )
        for r in rows
    ]


def _name_taken(conn: sa.Connection, scope: TeamScope, key: str, except_id: int | None) -> bool:
    query = sa.select(core_tables.members.c.id).where(
        core_tables.members.c.team_id == scope.team_id,
        core_tables.members.c.name_key == key,
        core_tables.members.c.deleted_at.is_(None),
    )
    if except_id is not None:
        query = query.where(core_tables.members.c.id != except_id)
    return conn.execute(query).first() is not None


def _duplicate(name: str) -> InvalidInput:
    return InvalidInput(
        f"“{name}” is already on the roster. If that is you, pick your name instead; if it is "
        "someone else with the same name, add an initial.",
        "name",
    )


def add(scope: TeamScope, name: str) -> Member:
    """Add someone else to the roster; their name is free until they take it (on the
    team link, or by opening their personal link). The token is the new member's own:
    it is returned to a coach only, as the roster shows it."""
    added = _insert(scope, name, Permission.CONTRIBUTE, "joined the team")
    return added if scope.actor.is_coach else replace(added, token="")


def join(scope: TeamScope, name: str) -> Member:
    """A visitor on the team link who is not on the roster adds themself, taking the name
    at once; the returned member carries the personal token for this visitor's device."""
    _require_team_link_visitor(scope)
    return _insert(scope, name, Permission.VIEW, "joined the team on the team link", taken=True)


def _insert(
    scope: TeamScope, name: str, permission: Permission, joined_how: str, taken: bool = False
) -> Member:
    name = clean_name(name)
    key = name.casefold()
    try:
        with scope.writing(permission) as conn:
            if _name_taken(conn, scope, key, None):
                raise _duplicate(name)
            position = conn.execute(
                sa.select(
                    sa.func.coalesce(sa.func.max(core_tables.members.c.position), 0) + 1
                ).where(core_tables.members.c.team_id == scope.team_id)
            ).scalar_one()
            token = scope.store.fresh_code(conn)
            joined = scope.store.now()
            member_id = conn.execute(
                core_tables.members.insert().values(
                    team_id=scope.team_id,
                    name=name,
                    name_key=key,
                    token=token,
                    position=position,
                    joined_at=joined,
                    claimed_at=joined if taken else None,
                )
            ).inserted_primary_key[0]
            activity.record(conn, scope, "roster", f"{name} {joined_how}")
    except sa.exc.IntegrityError as exc:  # the same name added at the same instant elsewhere
        raise _duplicate(name) from exc
    return Member(member_id, name, token, joined, position, taken)


def _require_team_link_visitor(scope: TeamScope) -> None:
    if scope.member_id is not None or scope.actor.is_coach:
        raise AccessDenied("You are already known on this page: there is no name to take.")


def claim(scope: TeamScope, member_id: int) -> str:
    """Take a free name on the team link, once: returns that member's new personal token
    (any link handed out for the name before stops working). The name then stays taken, so
    the team link cannot hand it, or the member's private entries, to anyone else; a
    member without their link gets a new one from the coach."""
    _require_team_link_visitor(scope)
    with scope.writing(Permission.VIEW) as conn:
        name = _name(conn, scope, member_id)
        token = scope.store.fresh_code(conn)
        taken_now = conn.execute(
            core_tables.members.update()
            .where(
                core_tables.members.c.id == member_id,
                core_tables.members.c.team_id == scope.team_id,
                core_tables.members.c.deleted_at.is_(None),
                core_tables.members.c.claimed_at.is_(None),
            )
            .values(claimed_at=scope.store.now(), token=token)
        ).rowcount
        if not taken_now:
            raise AccessDenied(TAKEN.format(name=name))
        activity.record(conn, scope, "access", f"{name} took their name on the team link")
    return token


def rename(scope: TeamScope, member_id: int, name: str) -> None:
    name = clean_name(name)
    with scope.writing() as conn:
        scope.require_self_or_facilitator(member_id, conn)
        if _name_taken(conn, scope, name.casefold(), member_id):
            raise _duplicate(name)
        _update(conn, scope, member_id, name=name, name_key=name.casefold())


def remove(scope: TeamScope, member_id: int) -> None:
    """Move a member to the trash (restorable); their entries stay."""
    with scope.writing(Permission.MANAGE) as conn:
        name = _name(conn, scope, member_id)
        _update(conn, scope, member_id, deleted_at=scope.store.now())
        activity.record(conn, scope, "roster", f"{name} was moved to the trash")


def _update(conn: sa.Connection, scope: TeamScope, member_id: int, **values) -> None:
    changed = conn.execute(
        core_tables.members.update()
        .where(
            core_tables.members.c.id == member_id, core_tables.members.c.team_id == scope.team_id
        )
        .values(**values)
    ).rowcount
    if not changed:
        raise AccessDenied("That person is not on this team's roster.")


def _name(conn: sa.Connection, scope: TeamScope, member_id: int) -> str:
    name = conn.execute(
        sa.select(core_tables.members.c.name).where(
            core_tables.members.c.id == member_id, core_tables.members.c.team_id == scope.team_id
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
        sa.select(core_tables.role_assignments.c.role, core_tables.role_assignments.c.member_id)
        .join(core_tables.teams, core_tables.teams.c.id == core_tables.role_assignments.c.team_id)
        .where(
            core_tables.role_assignments.c.team_id == scope.team_id,
            core_tables.role_assignments.c.rotation == core_tables.teams.c.role_rotation,
        )
    )
    with scope.reading() as conn:
        rows = conn.execute(query).all()
    return {r.role: by_id[r.member_id] for r in rows if r.member_id in by_id}


def rotate_roles(scope: TeamScope) -> dict[str, Member]:
    """Hand every role to the next people in the fair rotation. Before any role was ever
    given any member may start it (a new team gives its roles at its first meeting, and the
    fair order cannot be chosen); after that, the facilitator or a coach."""
    people = roster(scope)
    if not people:
        raise InvalidInput("Add people to the roster before rotating roles.")
    with scope.writing(Permission.CONTRIBUTE) as conn:
        number = (
            conn.execute(
                sa.select(core_tables.teams.c.role_rotation).where(
                    core_tables.teams.c.id == scope.team_id
                )
            ).scalar_one()
            + 1
        )
        ever_given = conn.execute(
            sa.select(core_tables.role_assignments.c.id)
            .where(core_tables.role_assignments.c.team_id == scope.team_id)
            .limit(1)
        ).first()
        if ever_given:
            scope.require(Permission.MANAGE, conn)
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
    with scope.writing(Permission.MANAGE) as conn:
        name = _name(conn, scope, member_id)
        number = conn.execute(
            sa.select(core_tables.teams.c.role_rotation).where(
                core_tables.teams.c.id == scope.team_id
            )
        ).scalar_one()
        conn.execute(
            core_tables.role_assignments.delete().where(
                core_tables.role_assignments.c.team_id == scope.team_id,
                core_tables.role_assignments.c.rotation == number,
                core_tables.role_assignments.c.role == role,
            )
        )
        _write_rotation(conn, scope, number, {role: member_id})
        activity.record(conn, scope, "roles", f"{name} is now {role}")


def _write_rotation(conn: sa.Connection, scope: TeamScope, number: int, chosen: dict) -> None:
    now = scope.store.now()
    conn.execute(
        core_tables.role_assignments.insert(),
        [
            dict(team_id=scope.team_id, rotation=number, role=role, member_id=mid, assigned_at=now)
            for role, mid in chosen.items()
        ],
    )
    conn.execute(
        core_tables.teams.update()
        .where(core_tables.teams.c.id == scope.team_id)
        .values(role_rotation=number)
    )


def role_history(scope: TeamScope) -> dict[int, dict[str, int]]:
    """Member id -> role -> how many rotations they held it."""
    query = (
        sa.select(
            core_tables.role_assignments.c.member_id,
            core_tables.role_assignments.c.role,
            sa.func.count().label("n"),
        )
        .where(core_tables.role_assignments.c.team_id == scope.team_id)
        .group_by(core_tables.role_assignments.c.member_id, core_tables.role_assignments.c.role)
    )
    history: dict[int, dict[str, int]] = {}
    with scope.reading() as conn:
        for row in conn.execute(query):
            history.setdefault(row.member_id, {})[row.role] = row.n
    return history
