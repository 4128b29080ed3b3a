"""A school's mentoring: programmes, mentors (their clearance: when the check was done, until
when it holds and who verified it, never what it found), mentees (students of the school's
classes, shown to the coordinator and principal by their team's pseudonym and class, never
by name), suggested and confirmed matches, close-outs, and the mentor's own light page
(:mod:`collab_widgets.community.api`), opened by the mentor's link code.

A mentor's page shows the programme, their own mentee's first name, the minutes expected a
week and their own logs, and offers no way to reach the student. A mentor whose clearance
is not valid today is refused at once, at every call; the coordinator's list of matches
flags it. Every change is in the school's activity record."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable

import sqlalchemy as sa

from collab_widgets.community import matching, rules
from collab_widgets.community import tables as c
from collab_widgets.community.model import (
    Clearance,
    Match,
    Mentee,
    Mentor,
    MentorLog,
    MentorPage,
    Programme,
    Suggestion,
    Unmatched,
)
from collab_widgets.community.store import schools
from collab_widgets.core import codes
from collab_widgets.core.db import Connection, SchoolScope, Store, wrong_codes
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.light.limits import WrongCodeLimit, find_by_code
from collab_widgets.core.light.tokens import digest
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.students import tables as s
from collab_widgets.students.store import classes

LIGHT_PAGE = "mentors"  # the mentor page: its wrong codes are counted under this
LINK_CODE_LENGTH = 12  # as a family's link: one code, nothing beside it
KIND = "mentoring"  # in the school's activity record
MAX_NAME = 120
MAX_WORD = 60
MAX_WORDS = 20
MAX_ACTIVITY = 200
MAX_NOTE = 2000
MAX_MINUTES = 600  # a meeting, and a programme's minutes a week
CHECK_INS = {1: "Hard going", 2: "Mixed", 3: "Going well", 4: "Going very well"}

WRONG_LINK = (
    "This link does not open a mentor page. Check that the whole link was copied, or ask "
    "the school's mentoring coordinator for a new one."
)
CHANGED = (
    "This link was changed or stopped by the school. Ask the school's mentoring "
    "coordinator for your new link."
)
TOO_MANY = "Too many tries with wrong links. Wait a few minutes, then open your link again."
NOT_CLEARED = (
    "Your clearance to mentor is not valid today, so this page is closed. Ask the school's "
    "mentoring coordinator about renewing it; your logs are kept."
)
ENDED = "This mentoring has ended: no more meetings can be logged. Thank you!"
NO_MENTEE = "You have no mentee yet: the school's coordinator will tell you when you do."
NO_PROGRAMME = "That mentoring programme is not in this school (any more)."
NO_MENTOR = "That mentor is not in this programme (any more)."
NO_MENTEE_HERE = "That mentee is not in this programme (any more)."
NO_MATCH = "That match is not in this school (any more)."
NO_STUDENT = "That student is not in one of this school's classes (any more)."


# --- checking what is typed -------------------------------------------------------------------


def _words(typed: Iterable[str], what: str) -> tuple[str, ...]:
    """A short list of words (interests, times, languages), each once, in the order given;
    typed in one line, separated by commas."""
    if isinstance(typed, str):
        typed = typed.split(",")
    kept: dict[str, str] = {}
    for word in typed or ():
        if not isinstance(word, str):
            raise InvalidInput(f"Each of the {what} is a word or two.", what)
        word = " ".join(word.split())
        if len(word) > MAX_WORD:
            raise InvalidInput(f"“{word[:20]}…” is too long: keep each of the {what} short.", what)
        if word:
            kept.setdefault(word.casefold(), word)
    if len(kept) > MAX_WORDS:
        raise InvalidInput(f"Give at most {MAX_WORDS} {what}.", what)
    return tuple(kept.values())


def _whole(value, what: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high``, typed (text) or sent as a number."""
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(
            f"The {what} is a whole number from {low} to {high}"
            + (f"; {value} is not." if isinstance(value, int | float) else "."),
            what,
        )
    return value


VERIFIER = "the name of who verified the clearance"


def _clearance(
    cleared_on: dt.date | None, expires_on: dt.date | None, verified_by: str
) -> tuple[dt.date | None, dt.date | None, str]:
    if cleared_on is None and expires_on is None:
        return (
            None,
            None,
            rules.line(
                verified_by, "the name of who verified the clearance", MAX_NAME, required=False
            ),
        )
    if cleared_on is None or expires_on is None:
        raise InvalidInput(
            "Give both dates of the clearance: when the check was done and when it expires.",
            "clearance",
        )
    cleared_on = rules.check_date(cleared_on, "the day the clearance was checked")
    expires_on = rules.check_date(expires_on, "the day the clearance expires")
    if expires_on < cleared_on:
        raise InvalidInput(
            f"The clearance expires ({expires_on:%d %B %Y}) before the check was done "
            f"({cleared_on:%d %B %Y}): check the dates.",
            "clearance",
        )
    return (
        cleared_on,
        expires_on,
        rules.line(verified_by, "the name of who verified the clearance", MAX_NAME),
    )


def _weights(given: dict[str, float] | None) -> dict[str, float]:
    if given is None:
        return dict(matching.DEFAULT_WEIGHTS)
    kept = {}
    for key, value in given.items():
        if key not in matching.CRITERIA:
            raise InvalidInput(
                f"Matching weighs {', '.join(matching.CRITERIA)}; “{key}” is not one of them.",
                "weights",
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 10:
            raise InvalidInput(f"The weight of {key} is a number from 0 to 10.", "weights")
        kept[key] = float(value)
    return kept


# --- reading rows -----------------------------------------------------------------------------


def _programme_row(conn: Connection, scope: SchoolScope, programme_id: int):
    row = conn.execute(
        sa.select(c.mentoring_programmes, c.partners.c.name.label("partner"))
        .outerjoin(c.partners, c.partners.c.id == c.mentoring_programmes.c.partner_id)
        .where(
            c.mentoring_programmes.c.id == programme_id,
            c.mentoring_programmes.c.school_id == scope.school_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_PROGRAMME)
    return row


def _programme(row) -> Programme:
    return Programme(
        id=row.id,
        name=row.name,
        partner=row.partner or "",
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        minutes_a_week=row.minutes_a_week,
        weights=json.loads(row.weights),
    )


def _mentor_row(conn: Connection, scope: SchoolScope, mentor_id: int, programme_id=None):
    where = [c.mentors.c.id == mentor_id, c.mentors.c.school_id == scope.school_id]
    if programme_id is not None:
        where.append(c.mentors.c.programme_id == programme_id)
    row = conn.execute(sa.select(c.mentors).where(*where)).first()
    if row is None:
        raise NotFound(NO_MENTOR)
    return row


def _clearance_of(row) -> Clearance:
    return Clearance(row.cleared_on, row.clearance_expires_on, row.cleared_by)


def _mentor(row) -> Mentor:
    return Mentor(
        id=row.id,
        name=row.name,
        interests=tuple(json.loads(row.interests)),
        times=tuple(json.loads(row.times)),
        languages=tuple(json.loads(row.languages)),
        clearance=_clearance_of(row),
        has_link=row.code_hash is not None,
    )


@dataclasses.dataclass(frozen=True)
class Student:
    """A student of one of the school's classes, as the coordinator chooses a mentee."""

    id: int
    pseudonym: str
    class_name: str


def _school_students(conn: Connection, scope: SchoolScope, *where) -> list:
    return conn.execute(
        sa.select(
            s.class_students.c.id,
            s.class_students.c.key,
            s.class_students.c.class_id,
            s.classes.c.name.label("class_name"),
            s.classes.c.team_id,
        )
        .join(s.classes, s.classes.c.id == s.class_students.c.class_id)
        .where(s.classes.c.team_id.in_(schools.team_ids(conn, scope)), *where)
        .order_by(s.classes.c.name, s.class_students.c.id)
    ).all()


def _named(scope: SchoolScope, rows) -> dict[int, str]:
    """Student id -> the team's pseudonym."""
    salts = evidence.school_salts(scope, {row.team_id for row in rows}) if rows else {}
    return {row.id: pseudonym(salts[row.team_id], row.key) for row in rows}


def students(scope: SchoolScope) -> list[Student]:
    """The school's classes' students, by pseudonym and class: whom a mentee may be."""
    with scope.reading() as conn:
        rows = _school_students(conn, scope)
    names = _named(scope, rows)
    return [Student(row.id, names[row.id], row.class_name) for row in rows]


# --- programmes -------------------------------------------------------------------------------


def add_programme(
    scope: SchoolScope,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    minutes_a_week: int,
    weights: dict[str, float] | None = None,
    partner_id: int | None = None,
) -> int:
    name = rules.line(name, "the programme's name", MAX_NAME)
    minutes = _whole(minutes_a_week, "minutes a week", 1, MAX_MINUTES)
    starts_on = rules.check_date(starts_on, "the day the programme starts")
    ends_on = rules.check_date(ends_on, "the day the programme ends")
    if ends_on < starts_on:
        raise InvalidInput(
            f"The programme ends ({ends_on:%d %B %Y}) before it starts ({starts_on:%d %B %Y}).",
            "ends_on",
        )
    chosen = _weights(weights)
    with scope.writing() as conn:
        if partner_id is not None:
            partner = conn.execute(
                sa.select(c.partners.c.id).where(
                    c.partners.c.id == partner_id, c.partners.c.school_id == scope.school_id
                )
            ).first()
            if partner is None:
                raise NotFound("That partner is not in this school's directory (any more).")
        programme_id = conn.execute(
            c.mentoring_programmes.insert().values(
                school_id=scope.school_id,
                partner_id=partner_id,
                name=name,
                starts_on=starts_on,
                ends_on=ends_on,
                minutes_a_week=minutes,
                weights=json.dumps(chosen),
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, KIND, f"started the mentoring programme “{name}”")
    return programme_id


def programmes(scope: SchoolScope) -> list[Programme]:
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(c.mentoring_programmes, c.partners.c.name.label("partner"))
            .outerjoin(c.partners, c.partners.c.id == c.mentoring_programmes.c.partner_id)
            .where(c.mentoring_programmes.c.school_id == scope.school_id)
            .order_by(c.mentoring_programmes.c.starts_on.desc(), c.mentoring_programmes.c.id)
        ).all()
    return [_programme(row) for row in rows]


def programme(scope: SchoolScope, programme_id: int) -> Programme:
    with scope.reading() as conn:
        return _programme(_programme_row(conn, scope, programme_id))


# --- mentors ----------------------------------------------------------------------------------


def add_mentor(
    scope: SchoolScope,
    programme_id: int,
    name: str,
    interests: Iterable[str] = (),
    times: Iterable[str] = (),
    languages: Iterable[str] = (),
    cleared_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    verified_by: str = "",
) -> int:
    """A mentor of the programme, with their clearance (dates and who verified it) if it
    is known yet: without one valid today they are never matched nor open their page."""
    name = rules.line(name, "the mentor's name", MAX_NAME)
    values = {
        "interests": json.dumps(_words(interests, "interests")),
        "times": json.dumps(_words(times, "times")),
        "languages": json.dumps(_words(languages, "languages")),
    }
    cleared_on, expires_on, verified_by = _clearance(cleared_on, expires_on, verified_by)
    with scope.writing() as conn:
        programme_row = _programme_row(conn, scope, programme_id)
        mentor_id = conn.execute(
            c.mentors.insert().values(
                school_id=scope.school_id,
                programme_id=programme_id,
                name=name,
                cleared_on=cleared_on,
                clearance_expires_on=expires_on,
                cleared_by=verified_by,
                code_hash=None,
                created_at=scope.store.now(),
                **values,
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, KIND, f"added {name} as a mentor of “{programme_row.name}”")
    return mentor_id


def set_clearance(
    scope: SchoolScope,
    mentor_id: int,
    cleared_on: dt.date | None,
    expires_on: dt.date | None,
    verified_by: str,
) -> None:
    """The mentor's clearance as checked now (a renewal, or none: both dates None)."""
    cleared_on, expires_on, verified_by = _clearance(cleared_on, expires_on, verified_by)
    with scope.writing() as conn:
        row = _mentor_row(conn, scope, mentor_id)
        conn.execute(
            c.mentors.update()
            .where(c.mentors.c.id == mentor_id)
            .values(cleared_on=cleared_on, clearance_expires_on=expires_on, cleared_by=verified_by)
        )
        until = f"until {expires_on:%d %B %Y}" if expires_on else "none recorded"
        schools.record(conn, scope, KIND, f"recorded {row.name}'s clearance ({until})")


def mentors(scope: SchoolScope, programme_id: int) -> list[Mentor]:
    with scope.reading() as conn:
        _programme_row(conn, scope, programme_id)
        rows = conn.execute(
            sa.select(c.mentors)
            .where(c.mentors.c.programme_id == programme_id)
            .order_by(c.mentors.c.name, c.mentors.c.id)
        ).all()
    return [_mentor(row) for row in rows]


# --- mentees ----------------------------------------------------------------------------------


def add_mentee(
    scope: SchoolScope,
    programme_id: int,
    student_id: int,
    interests: Iterable[str] = (),
    times: Iterable[str] = (),
    languages: Iterable[str] = (),
) -> int:
    """A student of one of the school's classes as a mentee of the programme."""
    values = {
        "interests": json.dumps(_words(interests, "interests")),
        "times": json.dumps(_words(times, "times")),
        "languages": json.dumps(_words(languages, "languages")),
    }
    with scope.writing() as conn:
        programme_row = _programme_row(conn, scope, programme_id)
        found = _school_students(conn, scope, s.class_students.c.id == student_id)
        if not found:
            raise NotFound(NO_STUDENT)
        (student,) = found
        already = conn.execute(
            sa.select(c.mentees.c.id).where(
                c.mentees.c.programme_id == programme_id, c.mentees.c.student_id == student_id
            )
        ).first()
        if already is not None:
            raise InvalidInput("That student is already a mentee of this programme.", "student")
        mentee_id = conn.execute(
            c.mentees.insert().values(
                school_id=scope.school_id,
                programme_id=programme_id,
                class_id=student.class_id,
                student_id=student_id,
                created_at=scope.store.now(),
                **values,
            )
        ).inserted_primary_key[0]
        schools.record(
            conn, scope, KIND, f"added a mentee from {student.class_name} to “{programme_row.name}”"
        )
    return mentee_id


def _mentee_rows(conn: Connection, programme_id: int) -> list:
    return conn.execute(
        sa.select(
            c.mentees,
            s.class_students.c.key,
            s.classes.c.name.label("class_name"),
            s.classes.c.team_id,
        )
        .join(s.class_students, s.class_students.c.id == c.mentees.c.student_id)
        .join(s.classes, s.classes.c.id == c.mentees.c.class_id)
        .where(c.mentees.c.programme_id == programme_id)
        .order_by(c.mentees.c.id)
    ).all()


def _mentees(scope: SchoolScope, rows) -> list[Mentee]:
    salts = evidence.school_salts(scope, {row.team_id for row in rows}) if rows else {}
    return [
        Mentee(
            id=row.id,
            pseudonym=pseudonym(salts[row.team_id], row.key),
            class_name=row.class_name,
            interests=tuple(json.loads(row.interests)),
            times=tuple(json.loads(row.times)),
            languages=tuple(json.loads(row.languages)),
        )
        for row in rows
    ]


def mentees(scope: SchoolScope, programme_id: int) -> list[Mentee]:
    """The programme's mentees by pseudonym and class (never a name)."""
    with scope.reading() as conn:
        _programme_row(conn, scope, programme_id)
        rows = _mentee_rows(conn, programme_id)
    return _mentees(scope, rows)


# --- matches ----------------------------------------------------------------------------------


def _open_matches(conn: Connection, programme_id: int) -> list:
    return conn.execute(
        sa.select(c.mentor_matches.c.mentor_id, c.mentor_matches.c.mentee_id).where(
            c.mentor_matches.c.programme_id == programme_id,
            c.mentor_matches.c.closed_on.is_(None),
        )
    ).all()


def suggestions(scope: SchoolScope, programme_id: int) -> tuple[list[Suggestion], list[Unmatched]]:
    """Suggested matches among the mentors and mentees not in an open match, each with its
    reasons, and who was left out and why (:func:`collab_widgets.community.matching.suggest`)."""
    with scope.reading() as conn:
        row = _programme_row(conn, scope, programme_id)
        mentor_rows = conn.execute(
            sa.select(c.mentors)
            .where(c.mentors.c.programme_id == programme_id)
            .order_by(c.mentors.c.id)
        ).all()
        mentee_rows = _mentee_rows(conn, programme_id)
        taken = _open_matches(conn, programme_id)
    return matching.suggest(
        [_mentor(m) for m in mentor_rows],
        _mentees(scope, mentee_rows),
        json.loads(row.weights),
        scope.store.clock.today(),
        taken_mentors={m.mentor_id for m in taken},
        taken_mentees={m.mentee_id for m in taken},
    )


def confirm_match(
    scope: SchoolScope, programme_id: int, mentor_id: int, mentee_id: int, reason: str
) -> int:
    """Matches the mentor with the mentee from today. Refused, saying why, when the
    mentor's clearance is not valid today or either is in an open match already; checked
    in the write's own transaction (which holds the school's row), so two confirmations at
    once never match one person twice."""
    reason = rules.passage(reason, "the reason", MAX_NOTE)
    today = scope.store.clock.today()
    with scope.writing() as conn:
        programme_row = _programme_row(conn, scope, programme_id)
        mentor = _mentor_row(conn, scope, mentor_id, programme_id)
        mentee = conn.execute(
            sa.select(c.mentees.c.id).where(
                c.mentees.c.id == mentee_id, c.mentees.c.programme_id == programme_id
            )
        ).first()
        if mentee is None:
            raise NotFound(NO_MENTEE_HERE)
        problem = rules.clearance_problem(_clearance_of(mentor), today)
        if problem is not None:
            raise InvalidInput(problem, "clearance")
        for open_mentor, open_mentee in _open_matches(conn, programme_id):
            if open_mentor == mentor_id:
                raise InvalidInput(
                    f"{mentor.name} is already matched with a mentee: close that match first.",
                    "mentor",
                )
            if open_mentee == mentee_id:
                raise InvalidInput(
                    "That mentee is already matched with a mentor: close that match first.",
                    "mentee",
                )
        match_id = conn.execute(
            c.mentor_matches.insert().values(
                school_id=scope.school_id,
                programme_id=programme_id,
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                started_on=today,
                reason=reason,
                closed_on=None,
                closing_note="",
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(
            conn, scope, KIND, f"matched {mentor.name} with a mentee in “{programme_row.name}”"
        )
    return match_id


def close_match(scope: SchoolScope, match_id: int, note: str) -> None:
    """Ends the match today (the close-out), with a note on how it went."""
    note = rules.passage(note, "the closing note", MAX_NOTE)
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(c.mentor_matches, c.mentors.c.name.label("mentor"))
            .join(c.mentors, c.mentors.c.id == c.mentor_matches.c.mentor_id)
            .where(
                c.mentor_matches.c.id == match_id,
                c.mentor_matches.c.school_id == scope.school_id,
            )
        ).first()
        if row is None:
            raise NotFound(NO_MATCH)
        if row.closed_on is not None:
            raise InvalidInput(f"This match was already closed on {row.closed_on:%d %B %Y}.")
        conn.execute(
            c.mentor_matches.update()
            .where(c.mentor_matches.c.id == match_id)
            .values(closed_on=scope.store.clock.today(), closing_note=note)
        )
        schools.record(conn, scope, KIND, f"closed {row.mentor}'s mentoring match")


def _log(row) -> MentorLog:
    return MentorLog(row.id, row.met_on, row.minutes, row.activity, row.note, row.check_in)


def matches(scope: SchoolScope, programme_id: int) -> list[Match]:
    """The programme's matches, open ones first, each with its logs and, while open, what
    needs attention (the mentor's clearance, weeks without a meeting)."""
    today = scope.store.clock.today()
    with scope.reading() as conn:
        programme_row = _programme_row(conn, scope, programme_id)
        rows = conn.execute(
            sa.select(
                c.mentor_matches,
                c.mentors.c.name.label("mentor"),
                c.mentors.c.cleared_on,
                c.mentors.c.clearance_expires_on,
                c.mentors.c.cleared_by,
            )
            .join(c.mentors, c.mentors.c.id == c.mentor_matches.c.mentor_id)
            .where(c.mentor_matches.c.programme_id == programme_id)
            .order_by(
                c.mentor_matches.c.closed_on.is_not(None),
                c.mentor_matches.c.started_on,
                c.mentor_matches.c.id,
            )
        ).all()
        log_rows = conn.execute(
            sa.select(c.mentor_logs)
            .join(c.mentor_matches, c.mentor_matches.c.id == c.mentor_logs.c.match_id)
            .where(c.mentor_matches.c.programme_id == programme_id)
            .order_by(c.mentor_logs.c.met_on, c.mentor_logs.c.id)
        ).all()
        mentee_rows = _mentee_rows(conn, programme_id)
    names = {m.id: m.pseudonym for m in _mentees(scope, mentee_rows)}
    logs: dict[int, list[MentorLog]] = {}
    for log_row in log_rows:
        logs.setdefault(log_row.match_id, []).append(_log(log_row))
    found = []
    for row in rows:
        own = tuple(logs.get(row.id, ()))
        flags = (
            ()
            if row.closed_on is not None
            else rules.match_flags(
                _clearance_of(row),
                max((log.met_on for log in own), default=None),
                row.started_on,
                today,
                programme_row.minutes_a_week,
            )
        )
        found.append(
            Match(
                id=row.id,
                mentor_id=row.mentor_id,
                mentor=row.mentor,
                mentee_id=row.mentee_id,
                mentee=names.get(row.mentee_id, ""),
                started_on=row.started_on,
                reason=row.reason,
                closed_on=row.closed_on,
                closing_note=row.closing_note,
                flags=flags,
                logs=own,
            )
        )
    return found


# --- mentor links -----------------------------------------------------------------------------


def _forget_wrong_codes(conn: Connection, code_hash: str | None) -> None:
    if code_hash:
        conn.execute(
            t.wrong_codes.delete().where(
                t.wrong_codes.c.page == LIGHT_PAGE, t.wrong_codes.c.code_hash == code_hash
            )
        )


def issue_mentor_link(scope: SchoolScope, mentor_id: int) -> str:
    """A new link code for the mentor's page, shown once (kept hashed); the old one, and
    every page opened with it, stop at once."""
    with scope.writing() as conn:
        row = _mentor_row(conn, scope, mentor_id)
        while True:
            code = classes.new_code(LINK_CODE_LENGTH)
            hashed = digest(code)
            taken = conn.execute(
                sa.select(c.mentors.c.id).where(c.mentors.c.code_hash == hashed)
            ).first()
            if taken is None:
                break
        _forget_wrong_codes(conn, row.code_hash)
        conn.execute(c.mentors.update().where(c.mentors.c.id == mentor_id).values(code_hash=hashed))
        schools.record(conn, scope, KIND, f"made a new mentor page link for {row.name}")
    return code


def revoke_mentor_link(scope: SchoolScope, mentor_id: int) -> None:
    """The mentor's link stops opening their page; a new one can be made later."""
    with scope.writing() as conn:
        row = _mentor_row(conn, scope, mentor_id)
        _forget_wrong_codes(conn, row.code_hash)
        conn.execute(c.mentors.update().where(c.mentors.c.id == mentor_id).values(code_hash=None))
        schools.record(conn, scope, KIND, f"stopped {row.name}'s mentor page link")


def forget_stale_wrong_codes(store: Store) -> None:
    """The mentor page's wrong codes past the time they are counted (network addresses)."""
    wrong_codes.forget_older(store, LIGHT_PAGE, classes.WRONG_CODES_KEPT)


# --- the mentor's own page --------------------------------------------------------------------


class MentorRefused(AccessDenied):
    """A mentor link that opens nothing (wrong, changed, stopped, or a clearance not valid
    today), in words a mentor reads."""


@dataclasses.dataclass(frozen=True)
class MentorSession:
    mentor_id: int
    school_id: int
    code_hash: str


def _look_up(conn: Connection, code: str):
    return conn.execute(sa.select(c.mentors).where(c.mentors.c.code_hash == digest(code))).first()


def _cleared(row, today: dt.date) -> MentorSession:
    if rules.clearance_problem(_clearance_of(row), today) is not None:
        raise MentorRefused(NOT_CLEARED)
    return MentorSession(row.id, row.school_id, row.code_hash)


def sign_in(
    store: Store, code: str, address: str, limit: WrongCodeLimit, *, later: bool = False
) -> MentorSession:
    """The mentor the link's code belongs to, if their clearance is valid today. Wrong
    codes are counted per network and per code (``limit``); a right code opens whatever
    its network's count, unless that code was tried too often. ``later``: the page was
    open, so a code that no longer opens was changed."""
    row = find_by_code(
        store,
        codes.normalize(code),
        address,
        limit,
        _look_up,
        unknown=MentorRefused(CHANGED if later else WRONG_LINK),
        too_many=MentorRefused(TOO_MANY),
    )
    return _cleared(row, store.clock.today())


def _still_signed_in(conn: Connection, session: MentorSession, today: dt.date):
    """In the call's own transaction: the link still opens, the clearance still holds."""
    row = conn.execute(
        sa.select(c.mentors).where(
            c.mentors.c.id == session.mentor_id, c.mentors.c.code_hash == session.code_hash
        )
    ).first()
    if row is None:
        raise MentorRefused(CHANGED)
    _cleared(row, today)
    return row


def _latest_match(conn: Connection, mentor_id: int):
    """The mentor's open match, or else the last one that closed (None: not matched)."""
    return conn.execute(
        sa.select(c.mentor_matches)
        .where(c.mentor_matches.c.mentor_id == mentor_id)
        .order_by(
            c.mentor_matches.c.closed_on.is_not(None),
            c.mentor_matches.c.started_on.desc(),
            c.mentor_matches.c.id.desc(),
        )
        .limit(1)
    ).first()


def first_name(display_name: str) -> str:
    """The first word of the name the class shows: all a mentor learns of the student."""
    words = display_name.split()
    return words[0] if words else ""


def mentor_page(store: Store, session: MentorSession) -> MentorPage:
    """What the mentor's page shows: the programme, their own mentee's first name (none
    once the mentoring ended), the minutes expected a week and their own logs."""
    today = store.clock.today()
    with store.reading() as conn:
        mentor = _still_signed_in(conn, session, today)
        programme_row = conn.execute(
            sa.select(c.mentoring_programmes).where(
                c.mentoring_programmes.c.id == mentor.programme_id
            )
        ).one()
        match = _latest_match(conn, mentor.id)
        name, logs = "", ()
        if match is not None:
            logs = tuple(
                _log(row)
                for row in conn.execute(
                    sa.select(c.mentor_logs)
                    .where(c.mentor_logs.c.match_id == match.id)
                    .order_by(c.mentor_logs.c.met_on.desc(), c.mentor_logs.c.id.desc())
                ).all()
            )
            if match.closed_on is None:
                name = first_name(
                    conn.execute(
                        sa.select(s.class_students.c.display_name)
                        .join(c.mentees, c.mentees.c.student_id == s.class_students.c.id)
                        .where(c.mentees.c.id == match.mentee_id)
                    ).scalar_one()
                )
    return MentorPage(
        mentor=mentor.name,
        programme=programme_row.name,
        mentee_first_name=name,
        minutes_a_week=programme_row.minutes_a_week,
        logs=logs,
        ended=match is not None and match.closed_on is not None,
    )


def _meeting_day(value, started_on: dt.date, today: dt.date) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        raise InvalidInput("Choose the date you met, for example 2026-10-15.", "met_on")
    if value > today:
        raise InvalidInput(
            "That date is after today: log a meeting once it has happened.", "met_on"
        )
    if value < started_on:
        raise InvalidInput(
            f"That date is before this mentoring began ({started_on:%d %B %Y}).", "met_on"
        )
    return value


def log_meeting(
    store: Store,
    session: MentorSession,
    met_on: dt.date | str,
    minutes: int | str,
    activity: str,
    note: str,
    check_in: int | str | None,
) -> int:
    """The mentor's log of a meeting with their mentee: the day (not after today, not
    before the match), 1 to 600 minutes, what they did, a note, and how it is going (1 to
    4). Refused, saying why, when the mentor is not matched or the mentoring ended."""
    today = store.clock.today()
    with store.writing() as conn:
        mentor = _still_signed_in(conn, session, today)
        match = _latest_match(conn, mentor.id)
        if match is None:
            raise InvalidInput(NO_MENTEE)
        if match.closed_on is not None:
            raise InvalidInput(ENDED)
        day = _meeting_day(met_on, match.started_on, today)
        try:
            minutes = _whole(minutes, "minutes", 1, MAX_MINUTES)
        except InvalidInput:
            raise InvalidInput(
                f"Type how long you met in minutes, a whole number from 1 to {MAX_MINUTES}.",
                "minutes",
            ) from None
        activity = " ".join((activity or "").split())
        if not activity:
            raise InvalidInput("Say in a few words what you did together.", "activity")
        if len(activity) > MAX_ACTIVITY:
            raise InvalidInput(
                f"Keep what you did to {MAX_ACTIVITY} characters; the note takes the rest.",
                "activity",
            )
        note = rules.passage(note, "the note", MAX_NOTE)
        try:
            check_in = _whole(check_in, "check-in", min(CHECK_INS), max(CHECK_INS))
        except InvalidInput:
            raise InvalidInput("Choose how the mentoring is going.", "check_in") from None
        log_id = conn.execute(
            c.mentor_logs.insert().values(
                school_id=mentor.school_id,
                match_id=match.id,
                met_on=day,
                minutes=minutes,
                activity=activity,
                note=note,
                check_in=check_in,
                created_at=store.now(),
            )
        ).inserted_primary_key[0]
        # the coordinator's screens poll the school's revision; the record says who logged
        conn.execute(
            t.schools.update()
            .where(t.schools.c.id == mentor.school_id)
            .values(revision=t.schools.c.revision + 1)
        )
        conn.execute(
            t.school_activity.insert().values(
                school_id=mentor.school_id,
                at=store.now(),
                kind=KIND,
                summary=f"{mentor.name} logged a meeting of {minutes} minutes",
                person_id=None,
            )
        )
    return log_id
