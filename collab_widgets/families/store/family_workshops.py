"""Family workshops (sign-ups from the family page, attendance by the teacher) and the
anonymous family feedback survey: rounds the teacher opens and closes, answers added to
the round's counts (no family, no time, no answer kept on its own), and means shown only
once the survey's minimum of families has answered, trended over the year."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from collab_widgets.core.db import Connection, TeamScope, activity
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.i18n import LANGUAGES
from collab_widgets.families import rules
from collab_widgets.families import tables as f
from collab_widgets.families.library import INVOLVEMENT_IDS, FeedbackSurvey, load_feedback_survey
from collab_widgets.families.model import FeedbackSummary, Workshop
from collab_widgets.families.store.guardians import require_own_family
from collab_widgets.students.store import classes

NO_WORKSHOP = "That workshop is no longer here."


def _own_workshop(conn: Connection, scope: TeamScope, workshop_id: int):
    row = conn.execute(
        sa.select(f.family_workshops).where(
            f.family_workshops.c.id == workshop_id,
            f.family_workshops.c.team_id == scope.team_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_WORKSHOP)
    classes.require_own_class(conn, scope, row.class_id)
    return row


def add_workshop(
    scope: TeamScope,
    class_id: int,
    title: dict[str, str],
    held_on: dt.date,
    starts_at: str,
    place: str,
    involvement: str = "parenting",
) -> int:
    """A workshop for the class's families; ``title`` per language (English at least: the
    family page says when its language has none)."""
    titles = {lang: " ".join(text.split()) for lang, text in title.items() if lang in LANGUAGES}
    titles = {lang: text for lang, text in titles.items() if text}
    if "en" not in titles:
        raise InvalidInput("Write the workshop's title in English at least.")
    for text in titles.values():
        rules.check_title(text, "the workshop's title")
    if involvement not in INVOLVEMENT_IDS:
        raise InvalidInput("Choose the type of involvement the workshop is for.")
    place = " ".join((place or "").split())[:200]
    with scope.writing() as conn:
        row = classes.require_own_class(conn, scope, class_id)
        workshop_id = conn.execute(
            f.family_workshops.insert().values(
                team_id=scope.team_id,
                class_id=class_id,
                title=json.dumps(titles),
                held_on=held_on,
                starts_at=rules.check_time(starts_at),
                place=place,
                involvement=involvement,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        classes.bump(conn, class_id)
        activity.record(
            conn, scope, "families", f"planned the family workshop “{titles['en']}” ({row.name})"
        )
    return workshop_id


def workshops(scope: TeamScope, class_id: int) -> list[Workshop]:
    """The class's workshops by date, with who signed up and came (the teacher's view;
    the team sees the counts)."""
    with scope.reading() as conn:
        owner = classes.require_class(conn, scope, class_id).owner_id
        rows = conn.execute(
            sa.select(f.family_workshops)
            .where(f.family_workshops.c.class_id == class_id)
            .order_by(f.family_workshops.c.held_on, f.family_workshops.c.id)
        ).all()
        signups = conn.execute(
            sa.select(f.workshop_signups)
            .join(f.family_workshops, f.family_workshops.c.id == f.workshop_signups.c.workshop_id)
            .where(f.family_workshops.c.class_id == class_id)
        ).all()
    teacher = not scope.actor.is_coach and scope.member_id == owner
    return [
        Workshop(
            row.id,
            json.loads(row.title),
            row.held_on,
            row.starts_at,
            row.place,
            row.involvement,
            frozenset(
                x.family_id
                for x in signups
                if teacher and x.workshop_id == row.id and x.signed_up_at is not None
            ),
            frozenset(
                x.family_id for x in signups if teacher and x.workshop_id == row.id and x.attended
            ),
        )
        for row in rows
    ]


def set_attended(scope: TeamScope, workshop_id: int, family_id: int, attended: bool) -> None:
    with scope.writing() as conn:
        row = _own_workshop(conn, scope, workshop_id)
        require_own_family(conn, scope, family_id)
        where = (
            f.workshop_signups.c.workshop_id == workshop_id,
            f.workshop_signups.c.family_id == family_id,
        )
        done = conn.execute(f.workshop_signups.update().where(*where).values(attended=attended))
        if done.rowcount == 0 and attended:
            conn.execute(
                f.workshop_signups.insert().values(
                    team_id=scope.team_id,
                    workshop_id=workshop_id,
                    family_id=family_id,
                    signed_up_at=None,
                    attended=True,
                )
            )
        classes.bump(conn, row.class_id)


def delete_workshop(scope: TeamScope, workshop_id: int) -> None:
    with scope.writing() as conn:
        row = _own_workshop(conn, scope, workshop_id)
        conn.execute(f.family_workshops.delete().where(f.family_workshops.c.id == workshop_id))
        classes.bump(conn, row.class_id)


# --- the family feedback survey ------------------------------------------------------------


def open_round(scope: TeamScope, class_id: int, title: str) -> int:
    """A new round of the family feedback survey (an open one closes first)."""
    title = rules.check_title(title, "the round's name (for example: After the first meeting)")
    survey = load_feedback_survey()
    with scope.writing() as conn:
        classes.require_own_class(conn, scope, class_id)
        conn.execute(
            f.feedback_rounds.update()
            .where(
                f.feedback_rounds.c.class_id == class_id, f.feedback_rounds.c.closed_at.is_(None)
            )
            .values(closed_at=scope.store.now())
        )
        round_id = conn.execute(
            f.feedback_rounds.insert().values(
                team_id=scope.team_id,
                class_id=class_id,
                title=title,
                questions=json.dumps([q.id for q in survey.questions]),
                opened_on=scope.store.clock.today(),
                closed_at=None,
            )
        ).inserted_primary_key[0]
        classes.bump(conn, class_id)
        activity.record(conn, scope, "families", f"opened the family feedback “{title}”")
    return round_id


def close_round(scope: TeamScope, round_id: int) -> None:
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(f.feedback_rounds).where(
                f.feedback_rounds.c.id == round_id, f.feedback_rounds.c.team_id == scope.team_id
            )
        ).first()
        if row is None:
            raise NotFound("That feedback round is no longer here.")
        classes.require_own_class(conn, scope, row.class_id)
        conn.execute(
            f.feedback_rounds.update()
            .where(f.feedback_rounds.c.id == round_id)
            .values(closed_at=scope.store.now())
        )
        classes.bump(conn, row.class_id)


def means(counts: list[tuple[str, int, int]], answered: int, minimum: int) -> dict[str, float]:
    """Each question's mean level from its counts (question, level, families), or nothing
    below ``minimum`` families."""
    if answered < minimum:
        return {}
    totals: dict[str, list[int]] = {}
    for question, level, families in counts:
        total = totals.setdefault(question, [0, 0])
        total[0] += level * families
        total[1] += families
    return {question: points / n for question, (points, n) in totals.items() if n}


def feedback(
    scope: TeamScope, class_id: int, survey: FeedbackSurvey | None = None
) -> list[FeedbackSummary]:
    """Every round's totals, oldest first: the trend over the year."""
    survey = survey or load_feedback_survey()
    with scope.reading() as conn:
        classes.require_class(conn, scope, class_id)
        rounds = conn.execute(
            sa.select(f.feedback_rounds)
            .where(f.feedback_rounds.c.class_id == class_id)
            .order_by(f.feedback_rounds.c.id)
        ).all()
        found = []
        for row in rounds:
            answered = conn.execute(
                sa.select(sa.func.count()).where(f.feedback_receipts.c.round_id == row.id)
            ).scalar_one()
            counts = conn.execute(
                sa.select(
                    f.feedback_counts.c.question,
                    f.feedback_counts.c.level,
                    f.feedback_counts.c.families,
                ).where(f.feedback_counts.c.round_id == row.id)
            ).all()
            asked = set(json.loads(row.questions))
            found.append(
                FeedbackSummary(
                    row.id,
                    row.title,
                    row.opened_on,
                    row.closed_at is None,
                    answered,
                    survey.min_respondents,
                    means(
                        [tuple(c) for c in counts if c.question in asked],
                        answered,
                        survey.min_respondents,
                    ),
                )
            )
    return found
