"""Protocol runs: a protocol as one meeting ran it, its live prompts, roles and notes.

A run copies the protocol's steps (fitted to the team's time) so later edits of the file
never change what a meeting did. Its state (:class:`RunState`) lives in the run's row;
:func:`control` applies one of :mod:`collab_widgets.protocols.runner`'s transitions to it
inside the write transaction, so two clicks at once cannot tangle it. Only the run's
facilitator (or a coach) controls it; the recorder (or the facilitator) writes the notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.model import check_text, check_unchanged
from collab_widgets.evidence import store as evidence
from collab_widgets.live import store as live
from collab_widgets.live.model import OPEN, WAITING, LivePrompt
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import tables as t
from collab_widgets.protocols.model import (
    FINISHED,
    PAUSED,
    RUNNING,
    Protocol,
    Run,
    RunState,
    RunStep,
    Step,
)

Transition = Callable[[RunState, dt.datetime], RunState]


def start_run(
    scope: TeamScope,
    protocol: Protocol,
    meeting_id: int | None,
    roles: dict[str, int],
    anonymous: bool | None = None,
    assessment_id: int | None = None,
) -> int:
    """Start ``protocol`` (already fitted to the time) in a meeting (None: a new meeting
    today, made only if the run starts); returns the run id.

    ``roles``: role -> member id, for the roles the protocol uses. Board notes are
    anonymous where a step says so, and on every board when ``anonymous`` (default: the
    protocol's or the team's setting). ``assessment_id``: the assessment the protocol looks
    at (a Data-Driven Dialogue), saved with the run.
    """
    runner.check_roles(protocol, roles)
    with scope.writing(Permission.FACILITATE) as conn:
        running = _live_row(conn, scope)
        if running is not None:
            raise InvalidInput(
                f"“{running.title}” is still running. Finish it before starting another."
            )
        if meeting_id is None:
            meeting_id = meetings.insert(conn, scope, scope.store.clock.today(), "Team meeting")
        meetings.require_meeting(conn, scope, meeting_id)
        if assessment_id is not None:
            evidence.require_assessment(conn, scope, assessment_id)
        _own_members(conn, scope, roles.values())
        if anonymous is None:
            anonymous = protocol.anonymous or _team_anonymous(conn, scope)
        session_id = live.open_session(
            conn, scope, "protocol", protocol.title, roles.get("facilitator")
        )
        run_id = _insert_run(conn, scope, protocol, meeting_id, session_id, assessment_id)
        _insert_steps(conn, scope, run_id, session_id, protocol.steps, anonymous)
        if roles:
            conn.execute(
                t.run_roles.insert(),
                [
                    dict(team_id=scope.team_id, run_id=run_id, role=role, member_id=member)
                    for role, member in roles.items()
                ],
            )
        activity.record(
            conn,
            scope,
            "protocol",
            f"Protocol “{protocol.title}” started ({protocol.minutes} minutes)",
            f"run/{run_id}",
        )
    return run_id


def _insert_run(
    conn: sa.Connection,
    scope: TeamScope,
    protocol: Protocol,
    meeting_id: int,
    session_id: int,
    assessment_id: int | None,
) -> int:
    """The run's row, its clock started at its first step."""
    state = RunState.begin(tuple(s.minutes for s in protocol.steps), scope.store.now())
    return conn.execute(
        t.protocol_runs.insert().values(
            team_id=scope.team_id,
            meeting_id=meeting_id,
            session_id=session_id,
            protocol_key=protocol.key,
            title=protocol.title,
            source=protocol.source,
            assessment_id=assessment_id,
            **_state_values(state),
        )
    ).inserted_primary_key[0]


def _insert_steps(
    conn: sa.Connection,
    scope: TeamScope,
    run_id: int,
    session_id: int,
    steps: tuple[Step, ...],
    anonymous: bool,
) -> None:
    """Each step of the run with its live prompt: the first open, the others waiting
    until the team arrives at them; a dot vote on an earlier board votes on its notes."""
    prompt_ids: dict[str, int] = {}
    for position, step in enumerate(steps):
        prompt_ids[step.key] = live.add_prompt(
            conn,
            scope,
            session_id,
            position,
            step.input,
            step.title,
            step.prompt,
            anonymous=runner.anonymous_board(step, anonymous),
            budget=step.dots,
            scale=step.scale,
            source_prompt_id=prompt_ids.get(step.vote_on) if step.vote_on else None,
            options=step.options,
            status=OPEN if position == 0 else WAITING,
        )
        conn.execute(
            t.run_steps.insert().values(
                team_id=scope.team_id,
                run_id=run_id,
                position=position,
                key=step.key,
                minutes=step.minutes,
                prompt_id=prompt_ids[step.key],
                speakers=",".join(step.speakers),
                silent=",".join(step.silent),
                notes="",
            )
        )


def control(scope: TeamScope, run_id: int, transition: Transition) -> Run:
    """Apply a runner transition (pause, extend, advance, back, finish, next turn)."""
    with scope.writing() as conn:
        row = _run_row(conn, scope, run_id)
        live.require_moderator(conn, scope, row.session_id)
        steps = _step_rows(conn, scope, run_id)
        before = _state(row, steps)
        after = transition(before, scope.store.now())
        conn.execute(
            t.protocol_runs.update()
            .where(t.protocol_runs.c.id == run_id)
            .values(**_state_values(after))
        )
        if runner.leaves_step(before, after):
            live.close_if_open(conn, scope, steps[before.position].prompt_id)
        if after.position != before.position:
            live.reopen(conn, scope, steps[after.position].prompt_id)
        if after.status == FINISHED:
            live.end_session(conn, scope, row.session_id)
            activity.record(
                conn, scope, "protocol", f"Protocol “{row.title}” finished", f"run/{run_id}"
            )
    return get_run(scope, run_id)


def set_step_notes(
    scope: TeamScope, run_id: int, position: int, text: str, base: str | None = None
) -> None:
    """The notes of one step, saved exactly as typed: the recorder's (or facilitator's),
    over ``base`` (see ``check_unchanged``)."""
    text = check_text(text, "notes")
    with scope.writing() as conn:
        row = _run_row(conn, scope, run_id)
        recorder = conn.execute(
            sa.select(t.run_roles.c.member_id).where(
                t.run_roles.c.run_id == run_id, t.run_roles.c.role == "recorder"
            )
        ).scalar()
        writer = runner.is_recorder(scope.member_id, recorder)
        if not writer and not live.is_moderator(conn, scope, row.session_id):
            raise AccessDenied("The recorder (or the facilitator) takes the notes of a step.")
        stored = conn.execute(
            sa.select(t.run_steps.c.notes).where(
                t.run_steps.c.run_id == run_id, t.run_steps.c.position == position
            )
        ).first()
        if stored is not None:  # a missing step: NotFound below
            check_unchanged(stored.notes, base, text)
        changed = conn.execute(
            t.run_steps.update()
            .where(t.run_steps.c.run_id == run_id, t.run_steps.c.position == position)
            .values(notes=text, notes_updated_at=scope.store.now())
        ).rowcount
        if not changed:
            raise NotFound("That step is not part of this protocol run.")


def may_take_notes(scope: TeamScope, run: Run) -> bool:
    if runner.is_recorder(scope.member_id, run.roles.get("recorder")):
        return True
    return may_moderate(scope, run)


def may_moderate(scope: TeamScope, run: Run) -> bool:
    with scope.reading() as conn:
        return live.is_moderator(conn, scope, run.session_id)


# --- reading ---------------------------------------------------------------------------


def live_run(scope: TeamScope) -> Run | None:
    """The team's protocol that is running or paused, if any."""
    with scope.reading() as conn:
        row = _live_row(conn, scope)
    return get_run(scope, row.id) if row is not None else None


def get_run(scope: TeamScope, run_id: int) -> Run:
    with scope.reading() as conn:
        row = _run_row(conn, scope, run_id)
        steps = _step_rows(conn, scope, run_id)
        prompts = live.prompts_by_id(conn, scope, [s.prompt_id for s in steps])
        roles = conn.execute(
            sa.select(t.run_roles.c.role, t.run_roles.c.member_id, core_tables.members.c.name)
            .join(core_tables.members, core_tables.members.c.id == t.run_roles.c.member_id)
            .where(t.run_roles.c.run_id == run_id, t.run_roles.c.team_id == scope.team_id)
        ).all()
    return Run(
        id=row.id,
        title=row.title,
        protocol_key=row.protocol_key,
        source=row.source,
        meeting_id=row.meeting_id,
        session_id=row.session_id,
        state=_state(row, steps),
        steps=tuple(_run_step(s, prompts[s.prompt_id]) for s in steps),
        roles={r.role: r.member_id for r in roles},
        role_names={r.role: r.name for r in roles},
        assessment_id=row.assessment_id,
    )


def _run_step(step, prompt: LivePrompt) -> RunStep:
    """A step as the run copied it, with its live prompt's title, input and text."""
    return RunStep(
        position=step.position,
        key=step.key,
        title=prompt.title,
        minutes=step.minutes,
        prompt_id=step.prompt_id,
        kind=prompt.kind,
        text=prompt.text,
        speakers=_roles(step.speakers),
        silent=_roles(step.silent),
        notes=step.notes,
    )


def _visible_runs():
    """The team's runs, less those about an assessment in the trash (hidden with it)."""
    return (
        sa.select(t.protocol_runs.c.id)
        .where(
            sa.or_(
                t.protocol_runs.c.assessment_id.is_(None),
                t.protocol_runs.c.assessment_id.not_in(evidence.in_the_trash()),
            )
        )
        .order_by(t.protocol_runs.c.started_at.desc(), t.protocol_runs.c.id.desc())
    )


def past_runs(scope: TeamScope, meeting_id: int | None = None) -> list[Run]:
    """Finished runs, newest first (of one meeting, when given)."""
    query = _visible_runs().where(
        t.protocol_runs.c.team_id == scope.team_id, t.protocol_runs.c.status == FINISHED
    )
    if meeting_id is not None:
        query = query.where(t.protocol_runs.c.meeting_id == meeting_id)
    with scope.reading() as conn:
        ids = conn.execute(query).scalars().all()
    return [get_run(scope, run_id) for run_id in ids]


def assessment_runs(scope: TeamScope, assessment_id: int) -> list[Run]:
    """Every run about an assessment (its dialogues), newest first."""
    query = _visible_runs().where(
        t.protocol_runs.c.team_id == scope.team_id,
        t.protocol_runs.c.assessment_id == assessment_id,
    )
    with scope.reading() as conn:
        ids = conn.execute(query).scalars().all()
    return [get_run(scope, run_id) for run_id in ids]


# --- rows and state --------------------------------------------------------------------


def _roles(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _live_row(conn: sa.Connection, scope: TeamScope):
    return conn.execute(
        sa.select(t.protocol_runs)
        .where(
            t.protocol_runs.c.team_id == scope.team_id,
            t.protocol_runs.c.status.in_((RUNNING, PAUSED)),
        )
        .order_by(t.protocol_runs.c.id.desc())
        .limit(1)
    ).first()


def _run_row(conn: sa.Connection, scope: TeamScope, run_id: int):
    row = conn.execute(
        sa.select(t.protocol_runs).where(
            t.protocol_runs.c.id == run_id, t.protocol_runs.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound("That protocol run is not there any more.")
    return row


def _step_rows(conn: sa.Connection, scope: TeamScope, run_id: int) -> list:
    return conn.execute(
        sa.select(t.run_steps)
        .where(t.run_steps.c.run_id == run_id, t.run_steps.c.team_id == scope.team_id)
        .order_by(t.run_steps.c.position)
    ).all()


def _state(row, steps: list) -> RunState:
    return RunState(
        step_minutes=tuple(s.minutes for s in steps),
        position=row.position,
        status=row.status,
        step_started_at=row.step_started_at,
        started_at=row.started_at,
        paused_at=row.paused_at,
        paused_seconds=row.paused_seconds,
        extra_seconds=row.extra_seconds,
        turn=row.turn,
        ended_at=row.ended_at,
    )


def _state_values(state: RunState) -> dict:
    return dict(
        status=state.status,
        position=state.position,
        started_at=state.started_at,
        step_started_at=state.step_started_at,
        paused_at=state.paused_at,
        paused_seconds=state.paused_seconds,
        extra_seconds=state.extra_seconds,
        turn=state.turn,
        ended_at=state.ended_at,
    )


def _team_anonymous(conn: sa.Connection, scope: TeamScope) -> bool:
    return bool(
        conn.execute(
            sa.select(core_tables.teams.c.anonymous_board).where(
                core_tables.teams.c.id == scope.team_id
            )
        ).scalar()
    )


def _own_members(conn: sa.Connection, scope: TeamScope, member_ids) -> None:
    wanted = set(member_ids)
    found = set(
        conn.execute(
            sa.select(core_tables.members.c.id).where(
                core_tables.members.c.id.in_(wanted),
                core_tables.members.c.team_id == scope.team_id,
                core_tables.members.c.deleted_at.is_(None),
            )
        ).scalars()
    )
    if wanted - found:
        raise AccessDenied("A role was given to someone who is not on this team's roster.")
