"""A district's sign-in through JupyterHub, in the database: which hub user is which coach
or member (``hub_links``), and the pages the hub signed in (``hub_sessions``).

A server running as a hub service signs a visitor in with the hub's OAuth, then writes a
session here and hands its secret to the page's kernel, never to the browser; the kernel
opens only what that hub user is linked to (:class:`~collab_widgets.core.db.database.
HubVisitor`) and checks the session at every read and write. Everything lives here rather
than in a server's memory, so any server on the database can link, check or end it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.codes import digest
from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput

if TYPE_CHECKING:
    from collab_widgets.core.db.database import Store

# A page open longer than this signs in again: a session's secret is not kept for ever.
SESSION_HOURS = 12
HUB_USER_LENGTH = 255


@dataclass(frozen=True)
class Link:
    """One hub user's link, as ``collab hub list`` prints it."""

    hub_user: str
    who: str  # "coach Dana R." or "Ana on Grade 4 team"
    how: str
    linked_at: dt.datetime


def link(
    conn: sa.Connection,
    store: Store,
    hub_user: str,
    how: str,
    *,
    member_id: int | None = None,
    coach_id: int | None = None,
) -> None:
    """Link a hub user to a member or a coach. Their personal link (or coach link) is
    renewed, so a page opened with the old one ends and the old one opens nothing; and a
    member's name is theirs from then on, which the team link can no longer hand out."""
    conn.execute(
        t.hub_links.insert().values(
            hub_user=hub_user,
            member_id=member_id,
            coach_id=coach_id,
            how=how,
            linked_at=store.now(),
        )
    )
    _renew_codes(conn, store, [member_id] if member_id else [], [coach_id] if coach_id else [])
    if member_id is not None:
        conn.execute(
            t.members.update()
            .where(t.members.c.id == member_id, t.members.c.claimed_at.is_(None))
            .values(claimed_at=store.now())
        )


def _renew_codes(
    conn: sa.Connection, store: Store, member_ids: list[int], coach_ids: list[int]
) -> None:
    for member_id in member_ids:
        conn.execute(
            t.members.update()
            .where(t.members.c.id == member_id)
            .values(token=store.fresh_code(conn))
        )
    for coach_id in coach_ids:
        conn.execute(
            t.coaches.update().where(t.coaches.c.id == coach_id).values(code=store.fresh_code(conn))
        )


def coach_by_code(conn: sa.Connection, code: str) -> sa.Row:
    """The coach with ``code`` and the hub user linked to them, if any."""
    wanted = codes.normalize(code or "")
    coach = conn.execute(
        sa.select(t.coaches, t.hub_links.c.hub_user)
        .outerjoin(t.hub_links, t.hub_links.c.coach_id == t.coaches.c.id)
        .where(t.coaches.c.code == wanted)
    ).first()
    if coach is None or not wanted:
        raise AccessDenied("That coach code is not known. Check the link `collab serve` printed.")
    return coach


def clean_hub_user(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > HUB_USER_LENGTH or any(ord(c) < 32 for c in name):
        raise InvalidInput(
            "Give the hub user's name as the hub shows it (its admin page lists them)."
        )
    return name


def signs_in_now(member_name: str, hub_user: str) -> str:
    return f"{member_name} now signs in with the district account {hub_user}"


# --- the operator's console (collab hub …) ------------------------------------------------


def link_member(store: Store, hub_user: str, team_code: str, member_name: str) -> str:
    """Link ``hub_user`` to the member named ``member_name`` on the team with ``team_code``;
    returns what was linked, in words."""
    hub_user = clean_hub_user(hub_user)
    members = t.members.c
    with store.writing() as conn:
        team = conn.execute(
            sa.select(t.teams.c.id, t.teams.c.name).where(
                t.teams.c.code == codes.normalize(team_code or "")
            )
        ).first()
        if team is None:
            raise AccessDenied("That team code is not known (`collab team list` shows them).")
        member = conn.execute(
            sa.select(members.id, members.name, t.hub_links.c.hub_user)
            .outerjoin(t.hub_links, t.hub_links.c.member_id == members.id)
            .where(
                members.team_id == team.id,
                members.name_key == (member_name or "").strip().casefold(),
                members.deleted_at.is_(None),
            )
        ).first()
        if member is None:
            raise InvalidInput(f"Nobody called {member_name!r} is on {team.name}'s roster.")
        if member.hub_user is not None:
            raise InvalidInput(
                f"{member.name} on {team.name} is already linked to the hub user "
                f"{member.hub_user!r}; `collab hub unlink {member.hub_user}` first."
            )
        already = conn.execute(
            sa.select(members.name)
            .join(t.hub_links, t.hub_links.c.member_id == members.id)
            .where(t.hub_links.c.hub_user == hub_user, members.team_id == team.id)
        ).scalar()
        if already is not None:
            raise InvalidInput(f"{hub_user} is {already} on {team.name} already.")
        link(conn, store, hub_user, "command", member_id=member.id)
        activity.record_for_team(
            conn, team.id, store.now(), "access", signs_in_now(member.name, hub_user)
        )
    return f"{member.name} on {team.name}"


def link_coach(store: Store, hub_user: str, coach_code: str) -> str:
    hub_user = clean_hub_user(hub_user)
    with store.writing() as conn:
        coach = coach_by_code(conn, coach_code)
        if coach.hub_user is not None:
            raise InvalidInput(
                f"Coach {coach.name} is already linked to the hub user {coach.hub_user!r}; "
                f"`collab hub unlink {coach.hub_user}` first."
            )
        if conn.execute(
            sa.select(t.hub_links.c.id).where(
                t.hub_links.c.hub_user == hub_user, t.hub_links.c.coach_id.is_not(None)
            )
        ).first():
            raise InvalidInput(f"{hub_user} is a coach already: one coach per account.")
        link(conn, store, hub_user, "command", coach_id=coach.id)
    return f"coach {coach.name}"


IMPORT_COLUMNS = ("hub_user", "team_code", "member", "coach_code")


def link_many(store: Store, rows: list[dict[str, str]]) -> tuple[int, list[str]]:
    """Link every row of a district's list (``hub_user`` with ``team_code`` and
    ``member``, or with ``coach_code``), each on its own: returns how many were linked
    and, for each row that was not, its line and why."""
    linked, problems = 0, []
    for line, row in enumerate(rows, start=2):  # line 1 holds the headings
        values = {k: (row.get(k) or "").strip() for k in IMPORT_COLUMNS}
        try:
            if values["coach_code"]:
                link_coach(store, values["hub_user"], values["coach_code"])
            elif values["team_code"] and values["member"]:
                link_member(store, values["hub_user"], values["team_code"], values["member"])
            else:
                raise InvalidInput("give team_code and member, or coach_code")
        except (AccessDenied, InvalidInput) as exc:
            problems.append(f"line {line}: {exc}")
        else:
            linked += 1
    return linked, problems


def links(store: Store) -> list[Link]:
    members, coaches, links_ = t.members.c, t.coaches.c, t.hub_links.c
    with store.reading() as conn:
        rows = conn.execute(
            sa.select(
                links_.hub_user,
                links_.how,
                links_.linked_at,
                coaches.name.label("coach"),
                members.name.label("member"),
                t.teams.c.name.label("team"),
            )
            .outerjoin(t.coaches, coaches.id == links_.coach_id)
            .outerjoin(t.members, members.id == links_.member_id)
            .outerjoin(t.teams, t.teams.c.id == members.team_id)
            .order_by(links_.hub_user, links_.id)
        ).all()
    return [
        Link(
            r.hub_user,
            f"coach {r.coach}" if r.coach else f"{r.member} on {r.team}",
            r.how,
            r.linked_at,
        )
        for r in rows
    ]


def forget_user(store: Store, hub_user: str, why: str) -> int:
    """End every page of ``hub_user`` and take their links away (the hub removed them, or
    the operator unlinked them); each team they were on notes it. Returns how many links
    there were."""
    members = t.members.c
    with store.writing() as conn:
        conn.execute(t.hub_sessions.delete().where(t.hub_sessions.c.hub_user == hub_user))
        on_teams = conn.execute(
            sa.select(members.id, members.team_id, members.name)
            .join(t.hub_links, t.hub_links.c.member_id == members.id)
            .where(t.hub_links.c.hub_user == hub_user)
        ).all()
        coaches = conn.execute(
            sa.select(t.hub_links.c.coach_id).where(
                t.hub_links.c.hub_user == hub_user, t.hub_links.c.coach_id.is_not(None)
            )
        ).scalars()
        # the links they had before being linked do not come back: new ones, from the coach
        _renew_codes(conn, store, [row.id for row in on_teams], list(coaches))
        removed = conn.execute(
            t.hub_links.delete().where(t.hub_links.c.hub_user == hub_user)
        ).rowcount
        for _, team_id, name in on_teams:
            activity.record_for_team(
                conn, team_id, store.now(), "access", f"{name}'s district sign-in {why}"
            )
    return removed


# --- a server signing visitors in -----------------------------------------------------------


def start_session(store: Store, hub_user: str, server: str) -> str:
    """A session for one page of ``hub_user``, signed in by ``server``: its secret, for
    the page's kernel only. Sessions past :data:`SESSION_HOURS` are cleared as new ones
    start."""
    secret = secrets.token_urlsafe(32)
    now = store.now()
    with store.writing() as conn:
        conn.execute(
            t.hub_sessions.delete().where(
                t.hub_sessions.c.started_at < now - dt.timedelta(hours=SESSION_HOURS)
            )
        )
        conn.execute(
            t.hub_sessions.insert().values(
                secret_hash=digest(secret),
                hub_user=clean_hub_user(hub_user),
                server=server,
                started_at=now,
            )
        )
        conn.execute(
            t.hub_links.update()
            .where(t.hub_links.c.hub_user == hub_user, t.hub_links.c.signed_in_at.is_(None))
            .values(signed_in_at=now)
        )
    return secret


def end_session(store: Store, secret: str) -> None:
    with store.writing() as conn:
        conn.execute(t.hub_sessions.delete().where(t.hub_sessions.c.secret_hash == digest(secret)))


def linked_users(store: Store) -> list[str]:
    """Every hub user linked to someone who has signed in at least once, in name order
    (a hub has no user linked ahead of their first sign-in: that is not a removal)."""
    links_ = t.hub_links.c
    with store.reading() as conn:
        return list(
            conn.execute(
                sa.select(links_.hub_user)
                .where(links_.signed_in_at.is_not(None))
                .distinct()
                .order_by(links_.hub_user)
            ).scalars()
        )


def signed_in_users(store: Store, server: str) -> list[str]:
    """The hub users with pages signed in by ``server``: whom it asks the hub about."""
    with store.reading() as conn:
        return list(
            conn.execute(
                sa.select(t.hub_sessions.c.hub_user)
                .where(t.hub_sessions.c.server == server)
                .distinct()
                .order_by(t.hub_sessions.c.hub_user)
            ).scalars()
        )
