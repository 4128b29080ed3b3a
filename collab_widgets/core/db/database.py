"""Opening the database and handing out scopes.

A :class:`TeamScope` is the only key to a team's rows. It is issued by
:meth:`Store.open_team` for a valid team code or a member's personal token, or by a
:class:`CoachScope` for a team that coach looks after. No public call takes a bare team
id, so nothing a visitor's browser sends can reach another team's data.

A scope remembers the code that opened it and checks it again at every read and write:
changing a code, or moving a member to the trash, ends the sessions that relied on it at
their next action, not only the links opened afterwards.

A team code alone never acts as a member: a member is known by their personal token, which
the team link hands out once per name (``members.claim``), so holding the team link is not
a way to become someone else.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import sqlalchemy as sa
from platformdirs import user_data_dir

from collab_widgets.core import codes
from collab_widgets.core.clock import Clock, get_clock
from collab_widgets.core.codes import digest
from collab_widgets.core.db import activity, hub
from collab_widgets.core.db import tables as t
from collab_widgets.core.db.migrations import migrate
from collab_widgets.core.errors import AccessDenied, StoreUnavailable
from collab_widgets.core.private_files import OWNER_ONLY_FOLDER, create_private, make_private

_ISSUED = object()  # only this module hands out scopes


def default_url() -> str:
    """``COLLAB_DB_URL`` if set, else an SQLite file in the user's data folder."""
    if os.environ.get("COLLAB_DB_URL"):
        return os.environ["COLLAB_DB_URL"]
    return url_for(Path(user_data_dir("collab-workbook", appauthor=False)) / "workbook.sqlite")


def url_for(db: str | Path) -> str:
    """A database URL from what a person gives ``--db``: a URL or a file path."""
    text = str(db)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def describe(url: str) -> str:
    """Where the data lives, for printing (passwords hidden)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _check_sqlite_file(path: Path) -> None:
    if path.exists():
        if path.is_dir():
            raise StoreUnavailable(f"{path} is a folder, not a database file. Give a file name.")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreUnavailable(
                f"The database file {path} is read-only for this user. Make it writable "
                f"(for example: chmod u+w '{path}') or give another file with --db."
            )
        if not os.access(path.parent, os.W_OK):
            raise StoreUnavailable(
                f"The folder {path.parent} is read-only; the database needs to write its "
                "journal next to the file. Make the folder writable or move the file."
            )
        return
    try:
        path.parent.mkdir(mode=OWNER_ONLY_FOLDER, parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(
            f"Cannot create the folder {path.parent} for the database ({exc.strerror}). "
            "Give another place with --db."
        ) from exc
    if not os.access(path.parent, os.W_OK):
        raise StoreUnavailable(
            f"Cannot create {path}: the folder is read-only. Give another place with --db."
        )


def _keep_sqlite_file_private(path: Path) -> None:
    """The database file is made for its owner only before SQLite first opens it, and
    SQLite gives the -wal and -shm files it creates the database file's mode, so the
    journal follows whatever the umask. Existing files (made by an older version, or
    copied in) are tightened too."""
    with contextlib.suppress(FileExistsError):
        os.close(create_private(path))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        make_private(file)


def create_engine(url: str) -> sa.Engine:
    parsed = sa.make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 15})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        # Autocommit mode (isolation_level None) so SQLAlchemy's BEGIN below is the only one.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        # Writers take the lock up front so concurrent writers queue (busy timeout)
        # instead of failing half-way; readers start a plain snapshot transaction.
        write = conn.get_execution_options().get("collab_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


class Permission(Enum):
    """What an action needs. Checked in the store at the action, never only in the page."""

    VIEW = "see the team's page"
    CONTRIBUTE = "add and edit the team's shared work"
    FACILITATE = "do this (only the facilitator or the coach can)"
    # Who is on the team, who holds its roles and its code: the assigned facilitator's or a
    # coach's, never "every member" while no facilitator is assigned, since anyone can
    # join from the team link and would otherwise take the team's keys.
    MANAGE = "do this (only the facilitator or the coach can, once roles are given)"
    COACH = "do this (only a coach can)"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a member (by their personal token) and/or a coach."""

    member_id: int | None = None
    coach_id: int | None = None

    @property
    def is_coach(self) -> bool:
        return self.coach_id is not None


class Store:
    """The database behind every workbook; one per kernel or command."""

    def __init__(
        self, url: str | None = None, clock: Clock | None = None, require_hub: bool | None = None
    ):
        self.url = url or default_url()
        self._clock = clock
        # ``collab serve --require-hub`` sets it for its pages: codes in links open no
        # teacher's or coach's page, only a sign-in through the district's hub does
        if require_hub is None:
            require_hub = os.environ.get(REQUIRE_HUB_VARIABLE) == "1"
        self.require_hub = require_hub
        parsed = sa.make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database not in (None, "", ":memory:"):
            _check_sqlite_file(Path(parsed.database))
            _keep_sqlite_file_private(Path(parsed.database))
        try:
            self.engine = create_engine(self.url)
            self.previous_version = migrate(self.engine)
        except ValueError as exc:
            raise StoreUnavailable(
                f"{describe(self.url)} is not a Collaboration Workbook database: {exc}. "
                "Give another file with --db, or restore a backup with `collab restore`."
            ) from exc
        except sa.exc.DatabaseError as exc:
            raise StoreUnavailable(_explain_database_error(self.url, exc)) from exc
        except sa.exc.ArgumentError as exc:
            raise StoreUnavailable(f"The database address is not valid: {exc}") from exc

    @property
    def clock(self) -> Clock:
        return self._clock or get_clock()

    def now(self):
        return self.clock.now()

    def close(self) -> None:
        self.engine.dispose()

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        try:
            with (
                self.engine.connect().execution_options(collab_write=True) as conn,
                conn.begin(),
            ):
                yield conn
        except sa.exc.OperationalError as exc:
            raise StoreUnavailable(
                "The change could not be saved because the database is busy or unavailable "
                f"({exc.orig}). Nothing else was changed; try again in a moment."
            ) from exc

    # --- codes --------------------------------------------------------------------------

    def open_team(
        self, code: str, member_token: str | None = None, within_team: int | None = None
    ) -> TeamScope:
        """The scope of the team with ``code``, or, with a member's personal token, of
        that member's team acting as that member (``within_team``: only a member of that
        team, refused before anything is written).

        The token alone identifies a personal link: the team code in the link is there
        for people to read and may be out of date after the team code was changed.
        """
        self._refuse_codes_under_the_hub()
        if member_token:
            return self._open_personal(member_token, within_team)
        team = self._team_by_code(code)
        return TeamScope(self, team.id, team.name, Actor(), Credential("team", team.code), _ISSUED)

    def _team_by_code(self, code: str) -> sa.Row:
        wanted = codes.normalize(code or "")
        with self.reading() as conn:
            team = conn.execute(sa.select(t.teams).where(t.teams.c.code == wanted)).first()
        if team is None or not wanted:
            raise AccessDenied(
                "That team code is not known. Check it with your coach; codes that were "
                "changed stop working."
            )
        return team

    def _refuse_codes_under_the_hub(self) -> None:
        if self.require_hub:
            raise AccessDenied(SIGN_IN_THROUGH_THE_HUB)

    def _open_personal(self, member_token: str, within_team: int | None) -> TeamScope:
        wanted = codes.normalize(member_token)
        query = (
            sa.select(
                t.members.c.id,
                t.members.c.name.label("member_name"),
                t.members.c.claimed_at,
                t.teams.c.id.label("team_id"),
                t.teams.c.name,
                t.hub_links.c.hub_user,
            )
            .join(t.teams, t.teams.c.id == t.members.c.team_id)
            .outerjoin(t.hub_links, t.hub_links.c.member_id == t.members.c.id)
            .where(t.members.c.token == wanted, t.members.c.deleted_at.is_(None))
        )
        if within_team is not None:
            query = query.where(t.members.c.team_id == within_team)
        with self.reading() as conn:
            found = conn.execute(query).first()
        if found is None or not wanted:
            raise AccessDenied(PERSONAL_LINK_RENEWED)
        if found.hub_user is not None:
            raise AccessDenied(SIGN_IN_THROUGH_THE_HUB)
        scope = TeamScope(
            self,
            found.team_id,
            found.name,
            Actor(member_id=found.id),
            Credential("member", wanted),
            _ISSUED,
        )
        if found.claimed_at is None:
            _take_name_at_first_open(scope, found.member_name)
        return scope

    def open_coach(self, code: str, operator: bool = False) -> CoachScope:
        """The coach with ``code``. A visitor's code opens no coach signed in through the
        district's hub, nor any coach under ``--require-hub``; ``operator``: the server's
        console (``collab coach …``), which holds the database anyway."""
        if not operator:
            self._refuse_codes_under_the_hub()
        with self.reading() as conn:
            coach = hub.coach_by_code(conn, code)
        if coach.hub_user is not None and not operator:
            raise AccessDenied(SIGN_IN_THROUGH_THE_HUB)
        return CoachScope(self, coach.id, coach.name, coach.code, _ISSUED)

    def open_hub(self, session_secret: str) -> HubVisitor:
        """The visitor a server signed in through the district's hub, by the secret it
        gave this page's kernel (:mod:`collab_widgets.core.db.hub`)."""
        with self.reading() as conn:
            hub_user = conn.execute(
                sa.select(t.hub_sessions.c.hub_user).where(
                    _live_session(self, session_secret or "")
                )
            ).scalar()
        if hub_user is None or not session_secret:
            raise AccessDenied(HUB_SESSION_ENDED)
        return HubVisitor(self, hub_user, session_secret, _ISSUED)

    def open_school(self, code: str) -> SchoolScope:
        """The school of a coordinator's or principal's link (its code is kept hashed)."""
        wanted = (code or "").strip()
        people, schools = t.school_people.c, t.schools.c
        with self.reading() as conn:
            found = conn.execute(
                sa.select(people.id, people.name, people.role, schools.id.label("school_id"))
                .join(t.schools, schools.id == people.school_id)
                .where(people.code_hash == digest(wanted))
            ).first()
        if found is None or not wanted:
            raise AccessDenied(
                "That school link is not known: it was changed, or it is mistyped. Ask for "
                "the current one (`collab school list` shows who has one)."
            )
        return SchoolScope(
            self, found.school_id, found.id, found.name, found.role, digest(wanted), _ISSUED
        )

    def identify(self, code: str, member_token: str | None = None) -> TeamScope | CoachScope:
        """A team or coach scope for whichever kind of code was typed."""
        self._refuse_codes_under_the_hub()
        try:
            return self.open_team(code, member_token)
        except AccessDenied:
            if member_token:
                raise
            try:
                return self.open_coach(code)
            except AccessDenied:
                raise AccessDenied(
                    "That code is not known. Check it with your coach; codes that were "
                    "changed stop working."
                ) from None

    def is_empty(self) -> bool:
        with self.reading() as conn:
            return not conn.execute(sa.select(t.teams.c.id).limit(1)).first()

    def fresh_code(self, conn: sa.Connection) -> str:
        """A code used by no coach, team or member yet."""
        while True:
            code = codes.new_code()
            taken = conn.execute(
                sa.union_all(
                    sa.select(t.coaches.c.id).where(t.coaches.c.code == code),
                    sa.select(t.teams.c.id).where(t.teams.c.code == code),
                    sa.select(t.members.c.id).where(t.members.c.token == code),
                )
            ).first()
            if not taken:
                return code


REQUIRE_HUB_VARIABLE = "COLLAB_REQUIRE_HUB"

PERSONAL_LINK_RENEWED = (
    "This personal link is not valid any more: it was renewed, or the team code was "
    "changed. Ask your coach for your current personal link."
)

SIGN_IN_THROUGH_THE_HUB = (
    "This workbook signs teachers and coaches in through your district's sign-in, not with "
    "codes in links. Open it from your district's JupyterHub page and sign in there."
)

HUB_SESSION_ENDED = (
    "Your sign-in on this page has ended: you signed out of the district's hub, or your "
    "account there was removed. Sign in again from the district's JupyterHub page."
)

SESSION_ENDED = (
    "This page's link no longer opens the team: its code was changed, your personal link was "
    "renewed, or you were taken off the roster. Ask your coach for your current link, then "
    "open it."
)


def _take_name_at_first_open(scope: TeamScope, name: str) -> None:
    """A personal link's first opening takes its member's name, so that the team link can
    no longer hand it to someone else (a coach may have sent the link before the member
    ever used the team link)."""
    with scope.writing(Permission.VIEW) as conn:
        taken_now = conn.execute(
            t.members.update()
            .where(t.members.c.id == scope.member_id, t.members.c.claimed_at.is_(None))
            .values(claimed_at=scope.store.now())
        ).rowcount
        if taken_now:
            activity.record(
                conn, scope, "access", f"{name} opened their personal link for the first time"
            )


@dataclass
class Credential:
    """What opened a scope: a team code, a member's token, a coach (by its scope), or a
    member's sign-in through the district's hub (the page's session secret)."""

    kind: str  # "team", "member", "coach" or "hub"
    secret: str = ""
    coach: CoachScope | None = None


class TeamScope:
    """Access to one team's rows, as one actor. Issued only by the store."""

    def __init__(
        self,
        store: Store,
        team_id: int,
        team_name: str,
        actor: Actor,
        credential: Credential,
        key: object,
    ):
        if key is not _ISSUED:
            raise TypeError("a TeamScope comes from Store.open_team or CoachScope.open_team")
        self._store = store
        self._team_id = team_id
        self.team_name = team_name
        self.actor = actor
        self._credential = credential

    @property
    def store(self) -> Store:
        return self._store

    @property
    def team_id(self) -> int:
        return self._team_id

    @property
    def member_id(self) -> int | None:
        return self.actor.member_id

    def as_member(self, member_id: int) -> TeamScope:
        """The same team, acting as one of its active members: for a coach only (who may
        see every personal link anyway), as the sample data does. A team code never
        becomes a member this way; the team link hands out a name once (``members.claim``)."""
        if not self.actor.is_coach:
            raise AccessDenied(
                "The team link cannot act as a member. Take your name once on the team "
                "link, or open your personal link."
            )
        with self.reading() as conn:
            found = conn.execute(
                sa.select(t.members.c.id).where(
                    t.members.c.id == member_id,
                    t.members.c.team_id == self._team_id,
                    t.members.c.deleted_at.is_(None),
                )
            ).scalar()
        if found is None:
            raise AccessDenied("That person is not on this team's roster.")
        actor = Actor(member_id=member_id, coach_id=self.actor.coach_id)
        return TeamScope(
            self._store, self._team_id, self.team_name, actor, self._credential, _ISSUED
        )

    def _check_credential(self, conn: sa.Connection) -> None:
        """Refuse if the code that opened this scope was changed or its member removed."""
        c = self._credential
        teams, members = t.teams.c, t.members.c
        if c.kind == "coach":  # the team's own coach, or a coach it was given to
            c.coach.check(conn)
            query = sa.select(teams.id).where(
                teams.id == self._team_id, _followed_by(c.coach.coach_id)
            )
        elif c.kind == "hub":
            query = (
                sa.select(members.id)
                .join(t.hub_links, t.hub_links.c.member_id == members.id)
                .join(t.hub_sessions, t.hub_sessions.c.hub_user == t.hub_links.c.hub_user)
                .where(
                    members.id == self.actor.member_id,
                    members.team_id == self._team_id,
                    members.deleted_at.is_(None),
                    _live_session(self._store, c.secret),
                )
            )
            if conn.execute(query).first() is None:
                raise AccessDenied(HUB_SESSION_ENDED)
            return
        elif c.kind == "member":
            query = sa.select(members.id).where(
                members.id == self.actor.member_id,
                members.team_id == self._team_id,
                members.token == c.secret,
                members.deleted_at.is_(None),
            )
        else:  # a team code acts as nobody (see as_member)
            query = sa.select(teams.id).where(teams.id == self._team_id, teams.code == c.secret)
        if conn.execute(query).first() is None:
            raise AccessDenied(SESSION_ENDED)

    def renewed(self, kind: str, secret: str) -> None:
        """This scope's own code was changed from this page: keep the page working."""
        if self._credential.kind == kind:
            self._credential.secret = secret

    def facilitator_id(self, conn: sa.Connection) -> int | None:
        """The current facilitator, if they are still on the roster (else nobody is, and
        every member may facilitate until roles are given again)."""
        return conn.execute(
            sa.select(t.role_assignments.c.member_id)
            .join(t.teams, t.teams.c.id == t.role_assignments.c.team_id)
            .join(t.members, t.members.c.id == t.role_assignments.c.member_id)
            .where(
                t.role_assignments.c.team_id == self._team_id,
                t.role_assignments.c.rotation == t.teams.c.role_rotation,
                t.role_assignments.c.role == "facilitator",
                t.members.c.deleted_at.is_(None),
            )
        ).scalar()

    def allows(self, permission: Permission, conn: sa.Connection | None = None) -> bool:
        if self.actor.is_coach or permission is Permission.VIEW:
            return True
        if permission is Permission.COACH or self.actor.member_id is None:
            return False
        if permission is Permission.CONTRIBUTE:
            return True
        with contextlib.ExitStack() as stack:
            conn = conn or stack.enter_context(self.reading())
            facilitator = self.facilitator_id(conn)
        if permission is Permission.MANAGE:
            return facilitator is not None and facilitator == self.actor.member_id
        return facilitator is None or facilitator == self.actor.member_id

    def require(self, permission: Permission, conn: sa.Connection | None = None) -> None:
        if not self.allows(permission, conn):
            if self.actor.member_id is None and not self.actor.is_coach:
                raise AccessDenied("Pick your name first: the workbook needs to know who you are.")
            raise AccessDenied(f"You cannot {permission.value}.")

    def require_self_or_coach(self, member_id: int) -> None:
        """Identity rule: a member's personal link is their own and their coaches'; not
        the facilitator's, who could otherwise take it or lock its owner out."""
        if self.actor.member_id != member_id and not self.actor.is_coach:
            raise AccessDenied("You can renew only your own personal link.")

    def require_self_or_facilitator(self, member_id: int, conn: sa.Connection) -> None:
        """Own-entry rule: members change their own entries; facilitator and coach any."""
        if self.actor.member_id == member_id:
            return
        if not self.allows(Permission.FACILITATE, conn):
            raise AccessDenied("You can change only your own entries.")

    @contextlib.contextmanager
    def writing(self, permission: Permission = Permission.CONTRIBUTE) -> Iterator[sa.Connection]:
        """A transaction for a change to this team: checks access, bumps the revision.

        Raising the revision first also locks the team's row until the commit, so one
        team's writes happen one after another on PostgreSQL as on SQLite (BEGIN
        IMMEDIATE): a rule read and then written (a dot budget) cannot be raced.
        """
        with self._store.writing() as conn:
            self._check_credential(conn)
            self.require(permission, conn)
            conn.execute(
                t.teams.update()
                .where(t.teams.c.id == self._team_id)
                .values(revision=t.teams.c.revision + 1)
            )
            yield conn

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self._store.reading() as conn:
            self._check_credential(conn)
            yield conn

    def revision(self) -> int:
        """A cheap change counter: it grows with every write to this team."""
        with self.reading() as conn:
            return conn.execute(
                sa.select(t.teams.c.revision).where(t.teams.c.id == self._team_id)
            ).scalar_one()


class CoachScope:
    """A coach's key: create teams and open the teams this coach looks after."""

    def __init__(
        self,
        store: Store,
        coach_id: int,
        name: str,
        code: str,
        key: object,
        hub_session: str = "",
    ):
        if key is not _ISSUED:
            raise TypeError("a CoachScope comes from Store.open_coach or HubVisitor.open_coach")
        self._store = store
        self.coach_id = coach_id
        self.name = name
        self.code = code  # "" for a coach signed in through the hub
        self._hub_session = hub_session

    @property
    def store(self) -> Store:
        return self._store

    @property
    def signed_in_through_the_hub(self) -> bool:
        return bool(self._hub_session)

    def check(self, conn: sa.Connection) -> None:
        """Refuse if the coach code was changed, or the hub sign-in that opened this ended."""
        coaches = t.coaches.c
        if self._hub_session:
            found = conn.execute(
                sa.select(coaches.id)
                .join(t.hub_links, t.hub_links.c.coach_id == coaches.id)
                .join(t.hub_sessions, t.hub_sessions.c.hub_user == t.hub_links.c.hub_user)
                .where(
                    coaches.id == self.coach_id,
                    _live_session(self._store, self._hub_session),
                )
            ).first()
            if found is None:
                raise AccessDenied(HUB_SESSION_ENDED)
            return
        found = conn.execute(
            sa.select(coaches.id).where(coaches.id == self.coach_id, coaches.code == self.code)
        ).first()
        if found is None:
            raise AccessDenied(
                "This coach link no longer works: the coach code was changed. Open the new "
                "coach link (`collab coach list` prints it)."
            )

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self._store.reading() as conn:
            self.check(conn)
            yield conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        with self._store.writing() as conn:
            self.check(conn)
            yield conn

    def open_team(self, team_code: str) -> TeamScope:
        """One of this coach's teams, acting as coach. Takes the team's code, not an id."""
        return self._open_followed(self._store._team_by_code(team_code))

    def open_team_by_id(self, team_id: int) -> TeamScope:
        """One of this coach's teams by its id (a hub-signed-in coach's links carry no
        codes): any other id is refused as the same as an unknown one."""
        with self.reading() as conn:
            team = conn.execute(sa.select(t.teams).where(t.teams.c.id == team_id)).first()
        if team is None:
            raise AccessDenied("That team is looked after by another coach.")
        return self._open_followed(team)

    def _open_followed(self, team: sa.Row) -> TeamScope:
        with self.reading() as conn:
            followed = conn.execute(
                sa.select(t.teams.c.id).where(t.teams.c.id == team.id, _followed_by(self.coach_id))
            ).first()
        if followed is None:
            raise AccessDenied("That team is looked after by another coach.")
        return TeamScope(
            self._store,
            team.id,
            team.name,
            Actor(coach_id=self.coach_id),
            Credential("coach", coach=self),
            _ISSUED,
        )


def _live_session(store: Store, secret: str) -> sa.ColumnElement[bool]:
    """A hub session's condition: this secret's, and not older than its hours."""
    return sa.and_(
        t.hub_sessions.c.secret_hash == digest(secret),
        t.hub_sessions.c.started_at > store.now() - dt.timedelta(hours=hub.SESSION_HOURS),
    )


def _followed_by(coach_id: int) -> sa.ColumnElement[bool]:
    """A team's condition: the coach made it, or it was given to them."""
    given = sa.select(t.coach_teams.c.team_id).where(t.coach_teams.c.coach_id == coach_id)
    return sa.or_(t.teams.c.coach_id == coach_id, t.teams.c.id.in_(given))


@dataclass(frozen=True)
class HubTeam:
    """A team a hub user is a member of."""

    team_id: int
    team_name: str
    member_id: int
    member_name: str


class HubVisitor:
    """A visitor signed in through the district's hub, as one page's session. Opens only
    what their hub user is linked to (:mod:`collab_widgets.core.db.hub`); a personal or
    coach link opened once while signed in links it, if nobody else's it is yet."""

    def __init__(self, store: Store, hub_user: str, session: str, key: object):
        if key is not _ISSUED:
            raise TypeError("a HubVisitor comes from Store.open_hub")
        self._store = store
        self.hub_user = hub_user
        self._session = session

    def _check(self, conn: sa.Connection) -> None:
        alive = conn.execute(
            sa.select(t.hub_sessions.c.id).where(_live_session(self._store, self._session))
        ).first()
        if alive is None:
            raise AccessDenied(HUB_SESSION_ENDED)

    def teams(self) -> list[HubTeam]:
        members = t.members.c
        with self._store.reading() as conn:
            self._check(conn)
            rows = conn.execute(
                sa.select(members.team_id, t.teams.c.name, members.id, members.name)
                .join(t.teams, t.teams.c.id == members.team_id)
                .join(t.hub_links, t.hub_links.c.member_id == members.id)
                .where(t.hub_links.c.hub_user == self.hub_user, members.deleted_at.is_(None))
                .order_by(t.teams.c.name, members.team_id)
            ).all()
        return [HubTeam(*row) for row in rows]

    def is_coach(self) -> bool:
        return self._coach() is not None

    def _coach(self) -> sa.Row | None:
        with self._store.reading() as conn:
            self._check(conn)
            return conn.execute(
                sa.select(t.coaches.c.id, t.coaches.c.name)
                .join(t.hub_links, t.hub_links.c.coach_id == t.coaches.c.id)
                .where(t.hub_links.c.hub_user == self.hub_user)
            ).first()

    def open_coach(self) -> CoachScope:
        coach = self._coach()
        if coach is None:
            raise AccessDenied("Your district sign-in is not a coach's in this workbook.")
        return CoachScope(self._store, coach.id, coach.name, "", _ISSUED, self._session)

    def open_member(self, team_id: int) -> TeamScope:
        """The team as this visitor's member on it; another team is refused."""
        found = next((team for team in self.teams() if team.team_id == team_id), None)
        if found is None:
            raise AccessDenied(
                "Your district sign-in is not on that team. Ask its coach to add you."
            )
        return TeamScope(
            self._store,
            found.team_id,
            found.team_name,
            Actor(member_id=found.member_id),
            Credential("hub", self._session),
            _ISSUED,
        )

    def _refuse_claims_under_the_hub(self) -> None:
        """Under ``--require-hub`` a code is not a key, so it cannot make one either: a
        link held by someone else would otherwise become their account's for good."""
        if self._store.require_hub:
            raise AccessDenied(LINKED_BY_THE_OPERATOR)

    @contextlib.contextmanager
    def _linking(self) -> Iterator[sa.Connection]:
        """A transaction that links: losing a race for the same person to another
        account (the unique link decides) is said as that person being taken."""
        try:
            with self._store.writing() as conn:
                self._check(conn)
                yield conn
        except sa.exc.IntegrityError:
            raise AccessDenied(LINKED_TO_SOMEONE_ELSE) from None

    def claim_personal_link(self, member_token: str) -> int:
        """Link this hub user to the member whose personal link this is (signed in, with
        the link: both); returns the team's id. A member linked to someone else stays
        theirs; the link stops opening the member on its own."""
        wanted = codes.normalize(member_token or "")
        members = t.members.c
        with self._linking() as conn:
            member = conn.execute(
                sa.select(members.id, members.team_id, members.name, t.hub_links.c.hub_user)
                .outerjoin(t.hub_links, t.hub_links.c.member_id == members.id)
                .where(members.token == wanted, members.deleted_at.is_(None))
            ).first()
            if member is None or not wanted:
                raise AccessDenied(PERSONAL_LINK_RENEWED)
            if member.hub_user not in (None, self.hub_user):
                raise AccessDenied(LINKED_TO_SOMEONE_ELSE)
            if member.hub_user is None:
                self._refuse_claims_under_the_hub()
                if any(team.team_id == member.team_id for team in self.teams()):
                    raise AccessDenied(
                        "Your district account is someone else on this team already. Open "
                        "the workbook from the hub, or ask your coach."
                    )
                hub.link(conn, self._store, self.hub_user, "personal link", member_id=member.id)
                activity.record_for_team(
                    conn,
                    member.team_id,
                    self._store.now(),
                    "access",
                    hub.signs_in_now(member.name, self.hub_user),
                )
            return member.team_id

    def claim_coach_link(self, code: str) -> None:
        """Link this hub user to the coach whose link this is, as a personal link does."""
        with self._linking() as conn:
            coach = hub.coach_by_code(conn, code)
            if coach.hub_user not in (None, self.hub_user):
                raise AccessDenied(LINKED_TO_SOMEONE_ELSE)
            if coach.hub_user is None:
                self._refuse_claims_under_the_hub()
                if self._coach() is not None:
                    raise AccessDenied(
                        "Your district account is another coach's already: one coach per "
                        "account. Ask the workbook's operator (`collab hub list`)."
                    )
                hub.link(conn, self._store, self.hub_user, "coach link", coach_id=coach.id)


LINKED_BY_THE_OPERATOR = (
    "This workbook links district accounts to teams itself: ask your coach to link your "
    "account (the workbook's operator runs `collab hub link`). Codes in links do not."
)

LINKED_TO_SOMEONE_ELSE = (
    "This link belongs to someone who signs in with another district account. Open the "
    "workbook from the hub with your own account, or ask your coach for your own link."
)


SCHOOL_ROLES = ("coordinator", "principal")


class SchoolScope:
    """A school's key, as its coordinator (runs the partnerships and the plan) or its
    principal (reads the school's view). Issued only by :meth:`Store.open_school`; the link
    is checked again at every read and write, so a changed link ends the pages opened
    with the old one at their next action."""

    def __init__(
        self,
        store: Store,
        school_id: int,
        person_id: int,
        person_name: str,
        role: str,
        code_hash: str,
        key: object,
    ):
        if key is not _ISSUED:
            raise TypeError("a SchoolScope comes from Store.open_school")
        self._store = store
        self._school_id = school_id
        self.person_id = person_id
        self.person_name = person_name
        self.role = role
        self._code_hash = code_hash

    @property
    def store(self) -> Store:
        return self._store

    @property
    def school_id(self) -> int:
        return self._school_id

    @property
    def can_change(self) -> bool:
        """The coordinator changes the school's partnerships; the principal reads them."""
        return self.role == "coordinator"

    def school_name(self) -> str:
        with self.reading() as conn:
            return conn.execute(
                sa.select(t.schools.c.name).where(t.schools.c.id == self._school_id)
            ).scalar_one()

    def _check_code(self, conn: sa.Connection) -> None:
        people = t.school_people.c
        found = conn.execute(
            sa.select(people.id).where(
                people.id == self.person_id,
                people.school_id == self._school_id,
                people.code_hash == self._code_hash,
            )
        ).first()
        if found is None:
            raise AccessDenied(
                "This school link no longer works: it was changed. Open the new one you were given."
            )

    @contextlib.contextmanager
    def reading(self) -> Iterator[sa.Connection]:
        with self._store.reading() as conn:
            self._check_code(conn)
            yield conn

    @contextlib.contextmanager
    def writing(self) -> Iterator[sa.Connection]:
        """A change to the school's partnerships: the coordinator's only. Raising the
        school's revision first locks its row until the commit (as a team's writes do)."""
        with self._store.writing() as conn:
            self._check_code(conn)
            if not self.can_change:
                raise AccessDenied(
                    "The principal's link shows the school's partnerships; only the "
                    "coordinator's link changes them."
                )
            conn.execute(
                t.schools.update()
                .where(t.schools.c.id == self._school_id)
                .values(revision=t.schools.c.revision + 1)
            )
            yield conn

    def revision(self) -> int:
        """A cheap change counter: it grows with every change to the school's records."""
        with self.reading() as conn:
            return conn.execute(
                sa.select(t.schools.c.revision).where(t.schools.c.id == self._school_id)
            ).scalar_one()


def _explain_database_error(url: str, exc: sa.exc.DatabaseError) -> str:
    where = describe(url)
    message = str(exc.orig)
    if isinstance(exc.orig, sqlite3.DatabaseError) and "not a database" in message:
        return (
            f"{where} is not a database file (or it is damaged). Give another file with --db, "
            "or restore a backup with `collab restore`."
        )
    if "readonly" in message or "read-only" in message:
        return f"The database {where} is read-only. Make it writable or give another with --db."
    return f"The database {where} cannot be opened: {message}"
