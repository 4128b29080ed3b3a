"""Workshops as their trainer runs them: setting one up, its prompts, putting them in
front of the room, revealing the aggregate, ending it, and the answers export.

The trainer is a coach: every change goes through its :class:`CoachScope`, and only the
coach who created a workshop sees or runs it. Each change raises the workshop's
``revision`` (:mod:`.shared`), which the presenter's page polls as the participants' do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import CoachScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.protocols.model import Protocol
from collab_widgets.workshops import tables as t
from collab_widgets.workshops.rules import (
    WORKSHOP_CODE_LENGTH,
    Aggregate,
    AnswerRow,
    Workshop,
    WorkshopPrompt,
    aggregate,
    check_prompt,
    check_title,
    protocol_prompts,
)
from collab_widgets.workshops.store import shared
from collab_widgets.workshops.store.shared import revision as revision  # the presenter polls it


@dataclass(frozen=True)
class WorkshopSummary:
    id: int
    title: str
    code: str
    prompts: int
    joined: int
    ended: bool


def _fresh_code(conn: sa.Connection) -> str:
    while True:
        code = codes.new_code()[:WORKSHOP_CODE_LENGTH]
        taken = conn.execute(sa.select(t.workshops.c.id).where(t.workshops.c.code == code))
        if not taken.first():
            return code


def _running(row: sa.Row) -> None:
    if row.ended_at is not None:
        raise InvalidInput(
            "This workshop has ended; its prompts are kept as they were run. Set up a new "
            "workshop to run them again."
        )


def _own(conn: sa.Connection, coach: CoachScope, workshop_id: int) -> sa.Row:
    row = conn.execute(
        sa.select(t.workshops).where(
            t.workshops.c.id == workshop_id, t.workshops.c.coach_id == coach.coach_id
        )
    ).first()
    if row is None:
        raise NotFound("That workshop is not one of yours; choose another from the list.")
    return row


def _note_for_team(coach: CoachScope, row: sa.Row, summary: str) -> None:
    """The activity record of the team a workshop concerns, if any."""
    if row.team_id is None:
        return
    with coach.reading() as conn:
        code = conn.execute(
            sa.select(core_tables.teams.c.code).where(core_tables.teams.c.id == row.team_id)
        ).scalar()
    scope = coach.open_team(code)
    with scope.writing() as conn:
        activity.record(conn, scope, "workshop", summary)


def create(coach: CoachScope, title: str, team_code: str | None = None) -> int:
    """A new workshop with its join code; ``team_code``: the team it concerns, noted in
    that team's activity record (the coach must look after it)."""
    title = check_title(title)
    team_id = coach.open_team(team_code).team_id if team_code else None
    with coach.writing() as conn:
        workshop_id = conn.execute(
            t.workshops.insert().values(
                coach_id=coach.coach_id,
                team_id=team_id,
                title=title,
                code=_fresh_code(conn),
                position=-1,
                results_shown=False,
                revision=0,
                created_at=coach.store.now(),
            )
        ).inserted_primary_key[0]
        row = _own(conn, coach, workshop_id)
    _note_for_team(coach, row, f"Workshop “{title}” set up by {coach.name}")
    return workshop_id


def workshops(coach: CoachScope) -> list[WorkshopSummary]:
    """The coach's own workshops, newest first."""
    w, p, people = t.workshops, t.workshop_prompts, t.workshop_participants
    prompts = (
        sa.select(sa.func.count())
        .where(p.c.workshop_id == w.c.id, p.c.deleted_at.is_(None))
        .scalar_subquery()
    )
    joined = sa.select(sa.func.count()).where(people.c.workshop_id == w.c.id).scalar_subquery()
    query = (
        sa.select(w.c.id, w.c.title, w.c.code, w.c.ended_at, prompts.label("n"), joined.label("j"))
        .where(w.c.coach_id == coach.coach_id)
        .order_by(w.c.created_at.desc(), w.c.id.desc())
    )
    with coach.reading() as conn:
        rows = conn.execute(query).all()
    return [WorkshopSummary(r.id, r.title, r.code, r.n, r.j, r.ended_at is not None) for r in rows]


def get(coach: CoachScope, workshop_id: int) -> Workshop:
    with coach.reading() as conn:
        return shared.workshop_from_row(conn, _own(conn, coach, workshop_id))


def rename(coach: CoachScope, workshop_id: int, title: str) -> None:
    title = check_title(title)
    with coach.writing() as conn:
        _own(conn, coach, workshop_id)
        conn.execute(
            t.workshops.update().where(t.workshops.c.id == workshop_id).values(title=title)
        )
        shared.bump_revision(conn, workshop_id)


def add_prompt(
    coach: CoachScope, workshop_id: int, kind: str, text: str = "", options: tuple[str, ...] = ()
) -> int:
    """A prompt at the end of the sequence; its text may still be empty (typed next)."""
    check_prompt(kind, text or "(to be written)", options or ("a", "b"))
    p = t.workshop_prompts
    with coach.writing() as conn:
        _running(_own(conn, coach, workshop_id))
        last = conn.execute(
            sa.select(sa.func.max(p.c.position)).where(p.c.workshop_id == workshop_id)
        ).scalar()
        prompt_id = conn.execute(
            p.insert().values(
                workshop_id=workshop_id,
                position=(last or 0) + 1,
                kind=kind,
                text=text,
                options=json.dumps(list(options)),
            )
        ).inserted_primary_key[0]
        shared.bump_revision(conn, workshop_id)
    return prompt_id


def add_protocol(coach: CoachScope, workshop_id: int, protocol: Protocol) -> int:
    """A library protocol's steps as prompts, run as a whole-room activity; how many."""
    specs = protocol_prompts(protocol)
    for kind, text, options in specs:
        add_prompt(coach, workshop_id, kind, text, options)
    return len(specs)


def attach_team(coach: CoachScope, workshop_id: int, team_code: str) -> None:
    """The team this workshop concerns (e.g. its practice team); noted in its record."""
    scope = coach.open_team(team_code)
    with coach.writing() as conn:
        row = _own(conn, coach, workshop_id)
        conn.execute(
            t.workshops.update()
            .where(t.workshops.c.id == workshop_id)
            .values(team_id=scope.team_id)
        )
        shared.bump_revision(conn, workshop_id)
    with scope.writing() as conn:
        activity.record(conn, scope, "workshop", f"Used in the workshop “{row.title}”")


def _own_prompt(conn: sa.Connection, coach: CoachScope, prompt_id: int) -> sa.Row:
    row = conn.execute(
        sa.select(t.workshop_prompts).where(
            t.workshop_prompts.c.id == prompt_id, t.workshop_prompts.c.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFound("That prompt was removed; the list is updated.")
    _own(conn, coach, row.workshop_id)
    return row


def edit_prompt(
    coach: CoachScope,
    prompt_id: int,
    text: str | None = None,
    options: tuple[str, ...] | None = None,
) -> None:
    """Change a prompt's text (saved as typed) or its options. The prompt the room sees
    must stay answerable, and options that were answered stay as they were."""
    values: dict = {}
    if text is not None:
        values["text"] = text
    if options is not None:
        values["options"] = json.dumps(list(options))
    with coach.writing() as conn:
        row = _own_prompt(conn, coach, prompt_id)
        workshop = _own(conn, coach, row.workshop_id)
        _running(workshop)
        prompts = shared.prompt_sequence(conn, row.workshop_id)
        if options is not None and tuple(options) != tuple(json.loads(row.options)):
            answered = conn.execute(
                sa.select(t.workshop_answers.c.id).where(
                    t.workshop_answers.c.prompt_id == prompt_id
                )
            ).first()
            if answered:
                raise InvalidInput(
                    "This prompt already has answers, so its options stay as they were. "
                    "Add a new prompt for other options."
                )
        if [p.id for p in prompts].index(prompt_id) == workshop.position:
            check_prompt(
                row.kind,
                row.text if text is None else text,
                json.loads(row.options) if options is None else options,
            )
        conn.execute(
            t.workshop_prompts.update().where(t.workshop_prompts.c.id == prompt_id).values(values)
        )
        shared.bump_revision(conn, row.workshop_id)


def remove_prompt(coach: CoachScope, prompt_id: int) -> None:
    """Taken out of the sequence (its answers stay in the export). The room keeps seeing
    the prompt it saw; if that was the one removed, the next one (results hidden)."""
    with coach.writing() as conn:
        row = _own_prompt(conn, coach, prompt_id)
        workshop = _own(conn, coach, row.workshop_id)
        _running(workshop)
        index = [p.id for p in shared.prompt_sequence(conn, row.workshop_id)].index(prompt_id)
        conn.execute(
            t.workshop_prompts.update()
            .where(t.workshop_prompts.c.id == prompt_id)
            .values(deleted_at=coach.store.now())
        )
        left = shared.prompt_sequence(conn, row.workshop_id)
        position, shown = workshop.position, workshop.results_shown
        if index < position:
            position -= 1
        elif index == position:
            position, shown = min(position, len(left) - 1), False
            if position >= 0 and not _showable(left[position]):
                position = -1  # not written yet: the room waits for the trainer
        conn.execute(
            t.workshops.update()
            .where(t.workshops.c.id == row.workshop_id)
            .values(position=position, results_shown=shown)
        )
        shared.bump_revision(conn, row.workshop_id)


def _showable(prompt: WorkshopPrompt) -> bool:
    try:
        check_prompt(prompt.kind, prompt.text, prompt.options)
    except InvalidInput:
        return False
    return True


def show(coach: CoachScope, workshop_id: int, position: int) -> Workshop:
    """Put prompt ``position`` (0-based) in front of the room, results hidden."""
    with coach.writing() as conn:
        row = _own(conn, coach, workshop_id)
        if row.ended_at is not None:
            raise InvalidInput("This workshop has ended; set up a new one to run it again.")
        prompts = shared.prompt_sequence(conn, workshop_id)
        if not 0 <= position < len(prompts):
            raise InvalidInput("There is no prompt there; add one first.")
        prompt = prompts[position]
        check_prompt(prompt.kind, prompt.text, prompt.options)
        conn.execute(
            t.workshops.update()
            .where(t.workshops.c.id == workshop_id)
            .values(position=position, results_shown=False)
        )
        shared.bump_revision(conn, workshop_id)
        return shared.workshop_from_row(conn, _own(conn, coach, workshop_id))


def show_results(coach: CoachScope, workshop_id: int, shown: bool) -> None:
    """Reveal the current prompt's aggregate on the participants' pages, or hide it."""
    with coach.writing() as conn:
        _own(conn, coach, workshop_id)
        conn.execute(
            t.workshops.update().where(t.workshops.c.id == workshop_id).values(results_shown=shown)
        )
        shared.bump_revision(conn, workshop_id)


def end(coach: CoachScope, workshop_id: int) -> None:
    """Close answers; participants' pages say so and stop polling."""
    with coach.writing() as conn:
        row = _own(conn, coach, workshop_id)
        if row.ended_at is not None:
            return
        conn.execute(
            t.workshops.update()
            .where(t.workshops.c.id == workshop_id)
            .values(ended_at=coach.store.now())
        )
        shared.bump_revision(conn, workshop_id)
        workshop = shared.workshop_from_row(conn, row)
        answered = conn.execute(
            sa.select(sa.func.count()).where(t.workshop_answers.c.workshop_id == workshop_id)
        ).scalar_one()
    _note_for_team(
        coach,
        row,
        f"Workshop “{workshop.title}” ended: {workshop.joined} took part, "
        f"{plural(answered, 'answer')}",
    )


def results(coach: CoachScope, workshop_id: int) -> tuple[Workshop, Aggregate | None]:
    """The workshop as it stands and the current prompt's aggregate (None before the
    first prompt)."""
    with coach.reading() as conn:
        workshop = shared.workshop_from_row(conn, _own(conn, coach, workshop_id))
        prompt = workshop.prompts[workshop.position] if workshop.position >= 0 else None
        values = shared.answer_values(conn, prompt.id) if prompt else []
    return workshop, aggregate(prompt, values) if prompt else None


def answers(coach: CoachScope, workshop_id: int) -> tuple[Workshop, list[AnswerRow]]:
    """Every answer with its participant's display name, for the trainer's export."""
    a, p, who = t.workshop_answers, t.workshop_prompts, t.workshop_participants
    with coach.reading() as conn:
        workshop = shared.workshop_from_row(conn, _own(conn, coach, workshop_id))
        rows = conn.execute(
            sa.select(p.c.id, p.c.text, p.c.kind, who.c.name, a.c.value, a.c.answered_at)
            .join(p, p.c.id == a.c.prompt_id)
            .join(who, who.c.id == a.c.participant_id)
            .where(a.c.workshop_id == workshop_id)
            .order_by(p.c.position, p.c.id, a.c.answered_at, a.c.id)
        ).all()
    # Numbered as the room saw them; an answer to a prompt removed later is marked so.
    number = {prompt.id: prompt.position for prompt in workshop.prompts}
    return workshop, [
        AnswerRow(number.get(r.id), r.text, r.kind, r.name, r.value, r.answered_at) for r in rows
    ]
