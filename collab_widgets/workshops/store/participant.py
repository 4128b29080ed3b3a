"""A workshop's participants, as the light page acts for them.

A participant holds a :class:`Participant` from :func:`join` (the workshop's short code and
a display name, or none): it reads the current prompt, its own answer and — once the
trainer reveals them — the aggregate, never anyone else's answer. Its page keeps the
participant's token; the database keeps only the token's hash.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.db.database import Store
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.light import tokens
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.workshops import tables as t
from collab_widgets.workshops.rules import (
    WORKSHOP_CODE_LENGTH,
    Aggregate,
    WorkshopPrompt,
    aggregate,
    check_answer,
    display_name,
)
from collab_widgets.workshops.store import shared

ENDED = "This workshop has ended; answers are closed. Thank you for taking part!"
LOST_PLACE = (
    "This page is no longer in the workshop (you left, or the trainer's server was reset). "
    "Join again with the code on the trainer's screen."
)


@dataclass(frozen=True)
class Participant:
    """One person in one workshop's room. Issued by :func:`join`, or found again by
    :func:`participant` from the ``token`` that :func:`join` gave the page."""

    store: Store
    workshop_id: int
    participant_id: int
    name: str | None
    token: str = field(default="", repr=False)  # kept out of logs


@dataclass(frozen=True)
class RoomView:
    """What a participant's page shows: the current prompt, its own answer, the results
    if the trainer revealed them."""

    title: str
    state: str
    prompt: WorkshopPrompt | None
    own_answer: str
    results: Aggregate | None
    ended: bool


def join(store: Store, code: str, name: str = "") -> Participant:
    """Into the room of the workshop with ``code``, by display name or anonymously. The
    participant's ``token`` lets its page act as it; only its hash is stored."""
    with joining(store) as join_one:
        return join_one(code, name)


@contextlib.contextmanager
def joining(
    store: Store, limit: WrongCodeLimit | None = None
) -> Iterator[Callable[..., Participant]]:
    """Several joins saved in one transaction, as a room joining at once arrives: yields
    ``join_one(code, name, address="")``, which does what :func:`join` does and raises as
    it does (a wrong code, an ended workshop, a failed statement) without undoing the
    others: each runs in a savepoint of its own. With a ``limit``, wrong codes are counted
    per ``address`` and per code in the same transaction, in the order the joins come.
    Each workshop's change counter moves once, when the block ends."""
    joined: set[int] = set()
    with store.writing() as conn:

        def join_in_savepoint(code: str, name: str) -> Participant:
            with conn.begin_nested():
                return _join_in(conn, store, code, name)

        def join_one(code: str, name: str = "", address: str = "") -> Participant:
            if limit is None:
                who = join_in_savepoint(code, name)
            else:
                who = limit.attempt(
                    conn,
                    store.now(),
                    address,
                    codes.normalize(code),
                    lambda: join_in_savepoint(code, name),
                )
            joined.add(who.workshop_id)
            return who

        yield join_one
        for workshop_id in sorted(joined):
            shared.bump_revision(conn, workshop_id)


def _join_in(conn: sa.Connection, store: Store, code: str, name: str) -> Participant:
    shown = display_name(name)
    token = tokens.new_token()
    row = conn.execute(
        sa.select(t.workshops).where(t.workshops.c.code == codes.normalize(code))
    ).first()
    if row is None:
        raise AccessDenied(
            "No workshop has that code. Check the code on the trainer's screen "
            f"({WORKSHOP_CODE_LENGTH} letters and digits) and try again."
        )
    if row.ended_at is not None:
        raise InvalidInput(ENDED)
    participant_id = conn.execute(
        t.workshop_participants.insert().values(
            workshop_id=row.id,
            name=shown,
            joined_at=store.now(),
            token_hash=tokens.digest(token),
        )
    ).inserted_primary_key[0]
    return Participant(store, row.id, participant_id, shown, token)


def participant(store: Store, token: str) -> Participant:
    """The participant whose page holds ``token``; AccessDenied once it left."""
    who = t.workshop_participants
    with store.reading() as conn:
        row = conn.execute(
            sa.select(who).where(who.c.token_hash == tokens.digest(token or ""))
        ).first()
    if row is None or row.left_at is not None:
        raise AccessDenied(LOST_PLACE)
    return Participant(store, row.workshop_id, row.id, row.name, token)


def _room_row(conn: sa.Connection, who: Participant) -> sa.Row:
    row = conn.execute(sa.select(t.workshops).where(t.workshops.c.id == who.workshop_id)).first()
    if row is None:
        raise NotFound(shared.REMOVED)
    return row


def room(who: Participant) -> RoomView:
    """The participant's view: only the current prompt, its own answer, and the
    aggregate while the trainer shows it."""
    a = t.workshop_answers
    with who.store.reading() as conn:
        workshop = shared.workshop_from_row(conn, _room_row(conn, who))
        prompt = workshop.current
        own, results = "", None
        if prompt is not None:
            own = conn.execute(
                sa.select(a.c.value).where(
                    a.c.prompt_id == prompt.id, a.c.participant_id == who.participant_id
                )
            ).scalar()
            if workshop.results_shown:
                results = aggregate(prompt, shared.answer_values(conn, prompt.id))
    return RoomView(workshop.title, workshop.state, prompt, own or "", results, workshop.ended)


def answer(who: Participant, prompt_id: int, value: str) -> None:
    """Save (or change) the participant's answer to the prompt now shown."""
    a = t.workshop_answers
    with who.store.writing() as conn:
        row = _room_row(conn, who)
        if row.ended_at is not None:
            raise InvalidInput(ENDED)
        # The prompt shown, or one shown before it: what was typed just before the trainer
        # moved on still counts for the prompt it was typed for.
        shown = shared.prompt_sequence(conn, who.workshop_id)[: row.position + 1]
        prompt = next((p for p in shown if p.id == prompt_id), None)
        if prompt is None:
            raise InvalidInput(
                "That prompt is no longer in the workshop; your page now shows the current one."
            )
        value = check_answer(prompt, value)
        where = (a.c.prompt_id == prompt_id, a.c.participant_id == who.participant_id)
        now = who.store.now()
        if conn.execute(sa.select(a.c.id).where(*where)).first():
            conn.execute(a.update().where(*where).values(value=value, answered_at=now))
        else:
            conn.execute(
                a.insert().values(
                    workshop_id=who.workshop_id,
                    prompt_id=prompt_id,
                    participant_id=who.participant_id,
                    value=value,
                    answered_at=now,
                )
            )
        shared.bump_revision(conn, who.workshop_id)


def leave(who: Participant) -> None:
    with who.store.writing() as conn:
        conn.execute(
            t.workshop_participants.update()
            .where(t.workshop_participants.c.id == who.participant_id)
            .values(left_at=who.store.now())
        )
