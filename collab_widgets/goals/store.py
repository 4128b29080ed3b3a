"""Cycles of inquiry (the four critical questions, their dates and stage, their common
assessments), SMART goals with every saved version, their checkpoints, and the wall of
wins. The checks and the status rule live in :mod:`collab_widgets.goals`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import sqlalchemy as sa

from collab_widgets.core.db import activity, shared_text
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import MAX_TEXT, check_text, check_unchanged
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence.store import require_assessment
from collab_widgets.goals import tables as t
from collab_widgets.goals.model import (
    CYCLE_STAGES,
    Checkpoint,
    Cycle,
    Goal,
    GoalDraft,
    GoalVersion,
    Win,
)

MAX_TITLE = 200
QUESTIONS = ("must_learn", "how_know", "respond", "extend")


# --- cycles ---------------------------------------------------------------------------


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on <= starts_on:
        raise InvalidInput("A cycle ends after it starts: choose a later end date.", "ends_on")
    if (ends_on - starts_on).days > 366:
        raise InvalidInput("A cycle lasts a year at most: choose an earlier end date.", "ends_on")


def _check_title(title: str) -> str:
    title = check_text(title, "cycle title").strip()
    if not title:
        raise InvalidInput("Give the cycle a title, such as “Unit 3: fractions”.", "title")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"Keep the title to {MAX_TITLE} characters or fewer.", "title")
    return title


def create_cycle(scope: TeamScope, title: str, starts_on: dt.date, ends_on: dt.date) -> int:
    title = _check_title(title)
    _check_dates(starts_on, ends_on)
    with scope.writing() as conn:
        cycle_id = conn.execute(
            t.cycles.insert().values(
                team_id=scope.team_id,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                stage=CYCLE_STAGES[0],
                must_learn="",
                how_know="",
                respond="",
                extend="",
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        activity.record(
            conn,
            scope,
            "cycle",
            f"Cycle “{title}” planned, {starts_on:%d %b} to {ends_on:%d %b %Y}",
            f"cycle/{cycle_id}",
        )
    return cycle_id


_NO_CYCLE = "That cycle is no longer there (it may be in the trash)."


def _require_cycle(conn: sa.Connection, scope: TeamScope, cycle_id: int):
    row = conn.execute(
        sa.select(t.cycles).where(
            t.cycles.c.id == cycle_id,
            t.cycles.c.team_id == scope.team_id,
            t.cycles.c.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound(_NO_CYCLE)
    return row


def _linked(conn: sa.Connection, cycle_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """Each cycle's assessments, leaving out those in the trash."""
    rows = conn.execute(
        sa.select(t.cycle_assessments.c.cycle_id, t.cycle_assessments.c.assessment_id)
        .where(
            t.cycle_assessments.c.cycle_id.in_(cycle_ids),
            t.cycle_assessments.c.assessment_id.not_in(evidence_store.in_the_trash()),
        )
        .order_by(t.cycle_assessments.c.id)
    )
    linked: dict[int, list[int]] = {}
    for row in rows:
        linked.setdefault(row.cycle_id, []).append(row.assessment_id)
    return {k: tuple(v) for k, v in linked.items()}


def _cycle(row, linked: dict[int, tuple[int, ...]]) -> Cycle:
    return Cycle(
        id=row.id,
        title=row.title,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        stage=row.stage,
        must_learn=row.must_learn,
        how_know=row.how_know,
        respond=row.respond,
        extend=row.extend,
        assessment_ids=linked.get(row.id, ()),
    )


def cycles(scope: TeamScope) -> list[Cycle]:
    """The team's cycles, the latest start first."""
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(t.cycles)
            .where(t.cycles.c.team_id == scope.team_id, t.cycles.c.deleted_at.is_(None))
            .order_by(t.cycles.c.starts_on.desc(), t.cycles.c.id.desc())
        ).all()
        linked = _linked(conn, [r.id for r in rows])
    return [_cycle(r, linked) for r in rows]


def get_cycle(scope: TeamScope, cycle_id: int) -> Cycle:
    with scope.reading() as conn:
        row = _require_cycle(conn, scope, cycle_id)
        return _cycle(row, _linked(conn, [cycle_id]))


def set_answer(
    scope: TeamScope, cycle_id: int, question: str, typed: str, base: str | None = None
) -> None:
    """One of the four critical questions' answers, saved as typed over ``base`` (see
    ``check_unchanged``)."""
    if question not in QUESTIONS:
        raise InvalidInput(f"There is no question “{question}”.")
    text = check_text(typed, "answer")
    with scope.writing() as conn:
        shared_text.write(conn, scope, t.cycles, cycle_id, question, text, base, _NO_CYCLE)


def update_cycle(
    scope: TeamScope,
    cycle_id: int,
    title: str | None,
    starts_on: dt.date,
    ends_on: dt.date,
    stage: str,
) -> None:
    """The cycle's dates and stage, and its title (None: the title stays as stored)."""
    values = {"starts_on": starts_on, "ends_on": ends_on, "stage": stage}
    if title is not None:
        values["title"] = _check_title(title)
    _check_dates(starts_on, ends_on)
    if stage not in CYCLE_STAGES:
        raise InvalidInput(f"Choose the stage from: {', '.join(CYCLE_STAGES)}.", "stage")
    with scope.writing() as conn:
        row = _require_cycle(conn, scope, cycle_id)
        conn.execute(t.cycles.update().where(t.cycles.c.id == cycle_id).values(values))
        title = values.get("title", row.title)
        if stage != row.stage:
            activity.record(
                conn, scope, "cycle", f"Cycle “{title}” is now {stage}", f"cycle/{cycle_id}"
            )


def set_cycle_title(scope: TeamScope, cycle_id: int, typed: str, base: str | None = None) -> None:
    """The cycle's title as typed over ``base`` (see ``check_unchanged``; titles are kept
    trimmed)."""
    title = _check_title(typed)
    base = None if base is None else base.strip()
    with scope.writing() as conn:
        shared_text.write(conn, scope, t.cycles, cycle_id, "title", title, base, _NO_CYCLE)


def link_assessment(scope: TeamScope, cycle_id: int, assessment_id: int, linked: bool) -> None:
    """Count a saved assessment among the cycle's (``linked``) or no longer."""
    with scope.writing() as conn:
        cycle = _require_cycle(conn, scope, cycle_id)
        assessment = require_assessment(conn, scope, assessment_id)
        where = (t.cycle_assessments.c.cycle_id == cycle_id) & (
            t.cycle_assessments.c.assessment_id == assessment_id
        )
        there = conn.execute(sa.select(t.cycle_assessments.c.id).where(where)).first()
        if linked and there is None:
            conn.execute(
                t.cycle_assessments.insert().values(
                    team_id=scope.team_id, cycle_id=cycle_id, assessment_id=assessment_id
                )
            )
            activity.record(
                conn,
                scope,
                "cycle",
                f"“{assessment.name}” is a common assessment of “{cycle.title}”",
                f"assessment/{assessment_id}",
            )
        elif not linked and there is not None:
            conn.execute(t.cycle_assessments.delete().where(where))


def delete_cycle(scope: TeamScope, cycle_id: int) -> None:
    """To the trash, its goals hidden with it (and back with it)."""
    with scope.writing(Permission.FACILITATE) as conn:
        row = _require_cycle(conn, scope, cycle_id)
        conn.execute(
            t.cycles.update().where(t.cycles.c.id == cycle_id).values(deleted_at=scope.store.now())
        )
        activity.record(conn, scope, "trash", f"Cycle “{row.title}” moved to the trash")


# --- goals ----------------------------------------------------------------------------


def _fields(draft: GoalDraft) -> str:
    return json.dumps(dataclasses.asdict(draft), ensure_ascii=False)


def _draft(text: str) -> GoalDraft:
    known = {f.name for f in dataclasses.fields(GoalDraft)}
    return GoalDraft(**{k: v for k, v in json.loads(text).items() if k in known})


def _check_draft(draft: GoalDraft) -> GoalDraft:
    for field in dataclasses.fields(GoalDraft):
        value = getattr(draft, field.name)
        if isinstance(value, str):
            check_text(value, field.name.replace("_", " "))
    return draft


def new_goal(scope: TeamScope, cycle_id: int, draft: GoalDraft | None = None) -> int:
    """A goal with nothing saved but its draft (the builder's fields as typed)."""
    draft = draft or GoalDraft()
    with scope.writing() as conn:
        _require_cycle(conn, scope, cycle_id)
        return conn.execute(
            t.goals.insert().values(
                team_id=scope.team_id,
                cycle_id=cycle_id,
                draft=_fields(_check_draft(draft)),
                met_posted=False,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]


def _require_goal(conn: sa.Connection, scope: TeamScope, goal_id: int):
    row = conn.execute(
        sa.select(t.goals)
        .join(t.cycles, t.cycles.c.id == t.goals.c.cycle_id)
        .where(
            t.goals.c.id == goal_id,
            t.goals.c.team_id == scope.team_id,
            t.goals.c.deleted_at.is_(None),
            t.cycles.c.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound("That goal is no longer there (it may be in the trash).")
    return row


def save_draft(scope: TeamScope, goal_id: int, draft: GoalDraft) -> None:
    """The builder's fields as typed, kept until the next version is saved (and after)."""
    _check_draft(draft)
    with scope.writing() as conn:
        _require_goal(conn, scope, goal_id)
        conn.execute(t.goals.update().where(t.goals.c.id == goal_id).values(draft=_fields(draft)))


def save_draft_fields(
    scope: TeamScope, goal_id: int, values: dict, bases: dict[str, str] | None = None
) -> None:
    """Some of the draft's fields as typed, the others as they are stored: each field in
    ``bases`` typed over that text (see ``check_unchanged``)."""
    known = {f.name for f in dataclasses.fields(GoalDraft)}
    if not set(values) <= known:
        raise InvalidInput(f"A goal has no field {', '.join(sorted(set(values) - known))}.")
    with scope.writing() as conn:
        stored = _draft(_require_goal(conn, scope, goal_id).draft)
        for name, base in (bases or {}).items():
            check_unchanged(getattr(stored, name), base, values[name])
        merged = _check_draft(dataclasses.replace(stored, **values))
        conn.execute(t.goals.update().where(t.goals.c.id == goal_id).values(draft=_fields(merged)))


def draft(scope: TeamScope, goal_id: int) -> GoalDraft:
    with scope.reading() as conn:
        return _draft(_require_goal(conn, scope, goal_id).draft)


def save_version(scope: TeamScope, goal_id: int, draft: GoalDraft, statement: str) -> int:
    """A new version (never overwriting one); returns its number, 1 for the first."""
    _check_draft(draft)
    statement = check_text(statement, "goal statement")
    with scope.writing() as conn:
        _require_goal(conn, scope, goal_id)
        last = conn.execute(
            sa.select(sa.func.max(t.goal_versions.c.version)).where(
                t.goal_versions.c.goal_id == goal_id
            )
        ).scalar()
        version = (last or 0) + 1
        conn.execute(
            t.goal_versions.insert().values(
                team_id=scope.team_id,
                goal_id=goal_id,
                version=version,
                fields=_fields(draft),
                statement=statement,
                saved_by=scope.member_id,
                saved_at=scope.store.now(),
            )
        )
        conn.execute(t.goals.update().where(t.goals.c.id == goal_id).values(draft=_fields(draft)))
        activity.record(
            conn,
            scope,
            "goal",
            f"Goal version {version} saved: {statement[:160]}",
            f"goal/{goal_id}",
        )
    return version


def _goal(conn: sa.Connection, row) -> Goal:
    versions = tuple(
        GoalVersion(v.version, _draft(v.fields), v.statement, v.saved_at, v.who)
        for v in conn.execute(
            sa.select(t.goal_versions, core_tables.members.c.name.label("who"))
            .outerjoin(core_tables.members, core_tables.members.c.id == t.goal_versions.c.saved_by)
            .where(t.goal_versions.c.goal_id == row.id)
            .order_by(t.goal_versions.c.version)
        )
    )
    checkpoints = tuple(
        Checkpoint(c.id, c.taken_on, c.value, c.note, c.assessment_id)
        for c in conn.execute(
            sa.select(t.goal_checkpoints)
            .where(
                t.goal_checkpoints.c.goal_id == row.id,
                t.goal_checkpoints.c.deleted_at.is_(None),
                # a checkpoint taken from an assessment goes to the trash with it
                sa.or_(
                    t.goal_checkpoints.c.assessment_id.is_(None),
                    t.goal_checkpoints.c.assessment_id.not_in(evidence_store.in_the_trash()),
                ),
            )
            .order_by(t.goal_checkpoints.c.taken_on, t.goal_checkpoints.c.id)
        )
    )
    return Goal(row.id, row.cycle_id, versions, checkpoints, row.created_at, row.met_posted)


def goals(scope: TeamScope, cycle_id: int) -> list[Goal]:
    """The cycle's goals, the first written first (a goal not yet saved has no versions)."""
    with scope.reading() as conn:
        _require_cycle(conn, scope, cycle_id)
        rows = conn.execute(
            sa.select(t.goals)
            .where(t.goals.c.cycle_id == cycle_id, t.goals.c.deleted_at.is_(None))
            .order_by(t.goals.c.id)
        ).all()
        return [_goal(conn, r) for r in rows]


def get_goal(scope: TeamScope, goal_id: int) -> Goal:
    with scope.reading() as conn:
        return _goal(conn, _require_goal(conn, scope, goal_id))


def delete_goal(scope: TeamScope, goal_id: int) -> None:
    with scope.writing(Permission.FACILITATE) as conn:
        _require_goal(conn, scope, goal_id)
        conn.execute(
            t.goals.update().where(t.goals.c.id == goal_id).values(deleted_at=scope.store.now())
        )
        activity.record(conn, scope, "trash", "A goal was moved to the trash", f"goal/{goal_id}")


def _check_taken_on(taken_on: dt.date, today: dt.date) -> None:
    """A checkpoint is a result measured, so its day has come (a date ahead would also
    decide the goal's status before that day)."""
    if taken_on > today:
        raise InvalidInput(
            "A checkpoint records a result you already have; its date cannot be after today "
            f"({today:%d %b %Y}). Choose today or an earlier date, and add the checkpoint "
            "once the result is in.",
            "checkpoint_date",
        )


def add_checkpoint(
    scope: TeamScope,
    goal_id: int,
    taken_on: dt.date,
    value: float,
    note: str = "",
    assessment_id: int | None = None,
) -> int:
    note = check_text(note, "checkpoint note")
    with scope.writing() as conn:
        _require_goal(conn, scope, goal_id)
        _check_taken_on(taken_on, scope.store.clock.today())
        if assessment_id is not None:
            require_assessment(conn, scope, assessment_id)
        checkpoint_id = conn.execute(
            t.goal_checkpoints.insert().values(
                team_id=scope.team_id,
                goal_id=goal_id,
                taken_on=taken_on,
                value=float(value),
                note=note,
                assessment_id=assessment_id,
                created_by=scope.member_id,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        activity.record(
            conn,
            scope,
            "checkpoint",
            f"Goal checkpoint of {taken_on:%d %b %Y}: {value:g}",
            f"goal/{goal_id}",
        )
    return checkpoint_id


def delete_checkpoint(scope: TeamScope, checkpoint_id: int) -> None:
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(t.goal_checkpoints).where(
                t.goal_checkpoints.c.id == checkpoint_id,
                t.goal_checkpoints.c.team_id == scope.team_id,
                t.goal_checkpoints.c.deleted_at.is_(None),
            )
        ).first()
        if row is None:
            raise NotFound("That checkpoint is no longer there.")
        conn.execute(
            t.goal_checkpoints.update()
            .where(t.goal_checkpoints.c.id == checkpoint_id)
            .values(deleted_at=scope.store.now())
        )
        activity.record(
            conn, scope, "trash", "A goal checkpoint was moved to the trash", f"goal/{row.goal_id}"
        )


# --- the wall of wins -----------------------------------------------------------------


def _insert_win(conn, scope: TeamScope, text: str, goal_id: int | None, member_id) -> int:
    win_id = conn.execute(
        t.wins.insert().values(
            team_id=scope.team_id,
            text=text,
            goal_id=goal_id,
            member_id=member_id,
            posted_at=scope.store.now(),
        )
    ).inserted_primary_key[0]
    activity.record(conn, scope, "win", f"Win: {text[:160]}", f"win/{win_id}")
    return win_id


def post_win(scope: TeamScope, typed: str) -> int:
    """A success a member celebrates: a student's breakthrough, a strategy that worked."""
    text = check_text(typed, "win")
    if not text.strip():
        raise InvalidInput("Write the win first: what went well, for whom.", "win")
    if scope.member_id is None:
        raise InvalidInput("Wins are posted by team members; pick your name first.", "win")
    with scope.writing() as conn:
        return _insert_win(conn, scope, text, None, scope.member_id)


def post_goal_met(scope: TeamScope, goal_id: int, text: str) -> bool:
    """A met goal posts itself once; returns whether it was posted now."""
    with scope.writing() as conn:
        row = _require_goal(conn, scope, goal_id)
        if row.met_posted:
            return False
        conn.execute(t.goals.update().where(t.goals.c.id == goal_id).values(met_posted=True))
        _insert_win(conn, scope, text[:MAX_TEXT], goal_id, None)
    return True


def wins(scope: TeamScope, limit: int = 50) -> list[Win]:
    """The newest first."""
    with scope.reading() as conn:
        rows = conn.execute(
            sa.select(t.wins, core_tables.members.c.name.label("who"))
            .outerjoin(core_tables.members, core_tables.members.c.id == t.wins.c.member_id)
            .where(t.wins.c.team_id == scope.team_id, t.wins.c.deleted_at.is_(None))
            .order_by(t.wins.c.posted_at.desc(), t.wins.c.id.desc())
            .limit(limit)
        ).all()
    return [Win(r.id, r.text, r.posted_at, r.who, r.goal_id, r.member_id) for r in rows]


def delete_win(scope: TeamScope, win_id: int) -> None:
    """To the trash: its author, the facilitator or the coach."""
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(t.wins).where(
                t.wins.c.id == win_id,
                t.wins.c.team_id == scope.team_id,
                t.wins.c.deleted_at.is_(None),
            )
        ).first()
        if row is None:
            raise NotFound("That win is no longer there.")
        if row.member_id is None:
            scope.require(Permission.FACILITATE, conn)
        else:
            scope.require_self_or_facilitator(row.member_id, conn)
        conn.execute(
            t.wins.update().where(t.wins.c.id == win_id).values(deleted_at=scope.store.now())
        )
        activity.record(conn, scope, "trash", "A win was moved to the trash")
