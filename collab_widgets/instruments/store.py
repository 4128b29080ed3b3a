"""Pulse-survey rounds. Anonymous by construction: whether a member answered is a row of
its own (``survey_responders``, so each member answers once per round), and the answers
are one list in the round's row, with no member and no time, reshuffled at every answer.
The answers are read only once the round's minimum number of members have answered.
Scoring lives in :mod:`collab_widgets.instruments`; this module stores."""

from __future__ import annotations

import json
import random

import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.instruments import tables as t
from collab_widgets.instruments.model import SurveyRound
from collab_widgets.meetings.store import require_meeting

MIN_RESPONDENTS = 2  # a team may not lower the minimum below this
_shuffle = random.SystemRandom().shuffle


def _round(row, answered: int) -> SurveyRound:
    return SurveyRound(
        id=row.id,
        instrument=row.instrument,
        title=row.title,
        meeting_id=row.meeting_id,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        min_respondents=row.min_respondents,
        answered=answered,
    )


def open_round(
    scope: TeamScope,
    instrument: str,
    title: str,
    min_respondents: int,
    meeting_id: int | None = None,
) -> int:
    """A new round of an instrument (the facilitator or the coach)."""
    if min_respondents < MIN_RESPONDENTS:
        raise InvalidInput(
            f"Results need at least {MIN_RESPONDENTS} answers before they show, so that no "
            "answer can be told apart."
        )
    with scope.writing(Permission.FACILITATE) as conn:
        if meeting_id is not None:
            require_meeting(conn, scope, meeting_id)
        round_id = conn.execute(
            t.survey_rounds.insert().values(
                team_id=scope.team_id,
                meeting_id=meeting_id,
                instrument=instrument[:60],
                title=title[:200],
                min_respondents=min_respondents,
                answers="[]",
                opened_by=scope.member_id,
                opened_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        activity.record(
            conn, scope, "survey", f"Pulse survey “{title}” opened", f"survey/{round_id}"
        )
    return round_id


def _answered(conn: sa.Connection, round_ids: list[int]) -> dict[int, int]:
    rows = conn.execute(
        sa.select(t.survey_responders.c.round_id, sa.func.count().label("n"))
        .where(t.survey_responders.c.round_id.in_(round_ids))
        .group_by(t.survey_responders.c.round_id)
    )
    return {r.round_id: r.n for r in rows}


def rounds(scope: TeamScope, instrument: str | None = None) -> list[SurveyRound]:
    """The team's rounds, oldest first (the order of a trend)."""
    query = sa.select(t.survey_rounds).where(
        t.survey_rounds.c.team_id == scope.team_id, t.survey_rounds.c.deleted_at.is_(None)
    )
    if instrument is not None:
        query = query.where(t.survey_rounds.c.instrument == instrument)
    with scope.reading() as conn:
        rows = conn.execute(query.order_by(t.survey_rounds.c.opened_at, t.survey_rounds.c.id)).all()
        answered = _answered(conn, [r.id for r in rows])
    return [_round(r, answered.get(r.id, 0)) for r in rows]


def _require_round(conn: sa.Connection, scope: TeamScope, round_id: int):
    row = conn.execute(
        sa.select(t.survey_rounds).where(
            t.survey_rounds.c.id == round_id,
            t.survey_rounds.c.team_id == scope.team_id,
            t.survey_rounds.c.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound("That survey is no longer there.")
    return row


def get_round(scope: TeamScope, round_id: int) -> SurveyRound:
    with scope.reading() as conn:
        row = _require_round(conn, scope, round_id)
        return _round(row, _answered(conn, [round_id]).get(round_id, 0))


def has_answered(scope: TeamScope, round_id: int) -> bool:
    if scope.member_id is None:
        return False
    with scope.reading() as conn:
        return (
            conn.execute(
                sa.select(t.survey_responders.c.id).where(
                    t.survey_responders.c.round_id == round_id,
                    t.survey_responders.c.member_id == scope.member_id,
                )
            ).first()
            is not None
        )


def answer(scope: TeamScope, round_id: int, answers: dict[str, int]) -> None:
    """The visitor's one answer to a round (checked by the caller against its instrument)."""
    if scope.member_id is None:
        raise InvalidInput("Pick your name first: each member answers once, anonymously.")
    with scope.writing() as conn:
        # the team's row is locked by writing(): two answers never read the same list
        row = _require_round(conn, scope, round_id)
        if row.closed_at is not None:
            raise InvalidInput("This survey is closed; your answer was not needed after all.")
        try:
            with conn.begin_nested():
                conn.execute(
                    t.survey_responders.insert().values(
                        team_id=scope.team_id, round_id=round_id, member_id=scope.member_id
                    )
                )
        except sa.exc.IntegrityError as exc:
            raise InvalidInput("You have already answered this survey: one answer each.") from exc
        stored = json.loads(row.answers)
        stored.append(answers)
        _shuffle(stored)  # nothing in the list says which answer came when
        conn.execute(
            t.survey_rounds.update()
            .where(t.survey_rounds.c.id == round_id)
            .values(answers=json.dumps(stored, separators=(",", ":")))
        )


def results(scope: TeamScope, round_id: int) -> list[dict[str, int]] | None:
    """The round's answers (in no particular order), or None while fewer than its minimum
    have answered: then nothing of them leaves the store."""
    with scope.reading() as conn:
        row = _require_round(conn, scope, round_id)
        answered = _answered(conn, [round_id]).get(round_id, 0)
    if answered < row.min_respondents:
        return None
    return json.loads(row.answers)


def close_round(scope: TeamScope, round_id: int) -> None:
    with scope.writing(Permission.FACILITATE) as conn:
        row = _require_round(conn, scope, round_id)
        if row.closed_at is not None:
            return
        conn.execute(
            t.survey_rounds.update()
            .where(t.survey_rounds.c.id == round_id)
            .values(closed_at=scope.store.now())
        )
        count = _answered(conn, [round_id]).get(round_id, 0)
        activity.record(
            conn,
            scope,
            "survey",
            f"Pulse survey “{row.title}” closed with {count} answer(s)",
            f"survey/{round_id}",
        )
