"""A student's own page, a light page (:mod:`collab_widgets.core.light`) served by the Voilà
process itself, as the workshop participants' page is: one static page and a small JSON
API over :mod:`collab_widgets.students.store.student`. No kernel per student, so a class
signing in at once costs the server a few milliseconds each.

A student signs in with two codes: the class code (on the board, or in the link's query)
and the code on their own card (after the link's ``#``, which never reaches a server).
The page keeps both for the tab's life only and sends them with every call; the server
checks them again each time, so a new class code or a new card ends the page.

The API, all ``POST`` with a JSON body, all answers JSON:

* ``students/api/join`` ``{class, card}`` → the page (below); wrong codes are limited per
  network address and per card code, in the database (:data:`STUDENT_LIMIT`);
* ``students/api/page`` ``{class, card}`` → the page, again (the page polls it);
* ``students/api/survey`` ``{class, card, answers: {question: [choice, …]}}`` → the page;
* ``students/api/rate`` ``{class, card, evaluation, ratings: [{ratee, dimension, level}],
  comments: [{ratee, text}]}`` → the page (a partial form is saved as far as filled in).

The page (:func:`page_payload`) holds the student's own display name, the class's name,
the survey with their own answers, the open (or released) teamwork check with their
teammates' display names and ids and their own ratings and comments, and their own
feedback once released. Nothing else about anyone: no other student's name outside the
team being rated, no pseudonym, no school id, no one else's answer, rating or comment.

A failure answers ``{error}`` with a plain message the page shows as it is; a changed code
answers ``{error, gone}`` with status 410, and the page asks for the codes again. Light on
purpose: this module imports neither pandas nor matplotlib (a test checks it).

Retention: the first use of the store by this service (:attr:`StudentService.store`), and
the first of each later day, deletes the classes whose time to be kept has ended
(:func:`collab_widgets.students.store.classes.delete_expired`), so a server started (or
running) after the grace period leaves nothing of them, and forgets the page's wrong codes
older than the time they are counted.

Wrong codes are counted on every route, not only ``join``: ``page``, ``survey`` and
``rate`` check the codes too, and would otherwise let anyone try codes without a limit.
A right pair of codes opens whatever the count from its network (see
:func:`collab_widgets.students.store.student.find`: a room shares one address).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from collab_widgets.core.db import Store
from collab_widgets.core.errors import AccessDenied, CollabError, InvalidInput
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.core.light.service import THREADS, LightService
from collab_widgets.students import evaluation as teamwork_rules
from collab_widgets.students import survey as survey_rules
from collab_widgets.students.model import StudentPage, StudentSession
from collab_widgets.students.store import classes, student

log = logging.getLogger(__name__)

PAGE_FILE = Path(__file__).parent / "page.html"
# The largest call is ``rate``: a comment per teammate (at most MAX_COMMENT characters,
# each at most 6 bytes in JSON) and a level per teammate and dimension. A longer body is
# refused before it is read.
MAX_BODY = 64 * 1024
# Wrong codes within the window before the network address (or the card code) must wait.
# A class behind one school router shares an address and mistypes ten-letter codes;
# guessing a class code and a card code together needs far more than this. Beyond the
# network's count its wrong codes are refused unchecked, but right codes still open (one
# student cannot lock the room out); beyond a card's count that card waits, right or wrong.
STUDENT_TRIES = 30
CARD_TRIES = 10
STUDENT_WINDOW = classes.WRONG_CODES_KEPT  # 10 minutes; retention forgets them after
STUDENT_LIMIT = WrongCodeLimit(
    classes.LIGHT_PAGE,
    STUDENT_TRIES,
    CARD_TRIES,
    STUDENT_WINDOW,
    hint="the class code on the board and the code on your card",
)
TOO_LONG = (
    f"That is too much to send at once; keep each comment under "
    f"{teamwork_rules.MAX_COMMENT} characters. It was not saved."
)
NOT_READY = (
    "Your teacher's questions cannot be shown right now. Tell your teacher; your answers "
    "so far are safe."
)


# --- what the page is sent ---------------------------------------------------------------


def survey_payload(survey: survey_rules.StudentSurvey, page: StudentPage) -> dict:
    """The survey's questions and the student's own answers (those still in the survey)."""
    return {
        "title": survey.title,
        "intro": survey.intro,
        "open": page.survey_open,
        "questions": [
            {
                "id": question.id,
                "text": question.text,
                "choices": list(question.choices),
                "max": question.max_choices,
            }
            for question in survey.questions
        ],
        "answers": {
            question.id: [
                choice
                for choice in page.survey_answers.get(question.id, ())
                if choice in question.choices
            ]
            for question in survey.questions
        },
    }


def dimension_payload(dimension: teamwork_rules.Dimension) -> dict:
    return {
        "id": dimension.id,
        "name": dimension.name,
        "question": dimension.question,
        "self_question": dimension.self_question or dimension.question,
        "levels": [
            {
                "level": level,
                "text": dimension.levels.get(level, teamwork_rules.BETWEEN),
                "described": level in teamwork_rules.DESCRIBED,
            }
            for level in sorted(teamwork_rules.LEVELS, reverse=True)
        ],
    }


def evaluation_payload(page: StudentPage, teamwork: teamwork_rules.Teamwork) -> dict | None:
    """The teamwork check the student is in: their teammates (themselves first) by display
    name and by the id the page rates them with, and the student's own ratings and comments
    (of the present teammates, on the dimensions in use)."""
    found = page.evaluation
    if found is None:
        return None
    team = {mate.id for mate in found.teammates}
    in_use = {dimension.id for dimension in found.dimensions}
    return {
        "id": found.id,
        "title": found.title,
        "open": found.open,
        "intro": teamwork.intro,
        "dimensions": [dimension_payload(d) for d in found.dimensions],
        "teammates": [
            {"id": mate.id, "name": mate.display_name, "self": mate.is_self}
            for mate in found.teammates
        ],
        "ratings": [
            {"ratee": ratee, "dimension": dimension, "level": level}
            for (ratee, dimension), level in sorted(found.ratings.items())
            if ratee in team and dimension in in_use
        ],
        "comments": [
            {"ratee": ratee, "text": text}
            for ratee, text in sorted(found.comments.items())
            if ratee in team and text
        ],
    }


def feedback_payload(feedback: teamwork_rules.Feedback | None) -> dict | None:
    """The released feedback: the student's own self-rating, their teammates' mean (or
    None, with the note saying why) and the team's mean, overall and per dimension. No
    rater, no count, no comment (see :class:`~collab_widgets.students.evaluation.Feedback`)."""
    if feedback is None:
        return None
    return {
        "self": feedback.self_rating,
        "teammates": feedback.teammates_mean,
        "team": feedback.team_mean,
        "note": feedback.note,
        "dimensions": [
            {"name": name, "self": own, "teammates": teammates, "team": team}
            for name, own, teammates, team in feedback.by_dimension
        ],
    }


def page_payload(
    page: StudentPage, survey: survey_rules.StudentSurvey, teamwork: teamwork_rules.Teamwork
) -> dict:
    """Everything the student's page shows, and nothing about anyone else."""
    return {
        "name": page.display_name,
        "class": page.class_name,
        "survey": survey_payload(survey, page),
        "evaluation": evaluation_payload(page, teamwork),
        "feedback": feedback_payload(page.feedback),
    }


# --- the service the handlers share ----------------------------------------------------------


class StudentService(LightService):
    """The students' page's store and threads (:class:`~collab_widgets.core.light.service.
    LightService`), the survey and teamwork dimensions in use (read once), and retention
    applied when the store is first opened and then once a day."""

    path = "students"

    def __init__(self, db_url: str | None = None, server_token: str = "", threads: int = THREADS):
        super().__init__(db_url, server_token, threads)
        self._retention = threading.Lock()
        self._retention_day: dt.date | None = None  # the day retention was last applied
        self._files = threading.Lock()
        self._survey: survey_rules.StudentSurvey | None = None
        self._teamwork: teamwork_rules.Teamwork | None = None

    @property
    def store(self) -> Store:
        """Opened by the first call that needs it, on a worker thread; that first call also
        deletes the classes whose retention has ended, and so does the first call of each
        later day (by the store's clock): a server that starts applies retention before any
        student reads anything, and a server that runs for months applies it every day
        the page is used, not only when a teacher lists the classes."""
        opened = super().store
        today = opened.clock.today()
        if self._retention_day != today:
            with self._retention:
                if self._retention_day != today:
                    self._retention_day = today
                    try:
                        gone = classes.delete_expired(opened)
                    except Exception:  # a failed clean-up must not close the students' page
                        log.exception("deleting the classes whose retention ended failed")
                    else:
                        if gone:
                            log.info("deleted %d classes whose retention ended", gone)
        return opened

    # the data files in use, read once (a mistake in one is the teacher's to fix: the
    # student reads a plain sentence, the server's log the file's problems)

    def survey(self) -> survey_rules.StudentSurvey:
        with self._files:
            if self._survey is None:
                self._survey = _load(survey_rules.load_survey, "the student survey")
            return self._survey

    def teamwork(self) -> teamwork_rules.Teamwork:
        with self._files:
            if self._teamwork is None:
                self._teamwork = _load(teamwork_rules.load_teamwork, "the teamwork dimensions")
            return self._teamwork

    # what the handlers call: the codes checked on a reader thread (a page's poll writes
    # nothing), wrong codes counted and the saves made on the writer

    def sign_in(self, class_code: str, card_code: str, address: str) -> StudentSession:
        return student.sign_in(self.store, class_code, card_code, address, STUDENT_LIMIT)

    async def session(
        self, class_code: str, card_code: str, address: str, joining: bool
    ) -> StudentSession:
        """The student the codes open, for ``join`` (``joining``) or any later call: every
        route counts wrong codes, so none is a way to guess them without a limit. On a later
        call a refusal is :class:`~collab_widgets.core.light.handlers.Gone` (a code that
        changed, or a class that ended, stops the page)."""
        later = not joining

        def checked(step):  # run on a worker thread, where the store is opened
            def once():
                return step(self.store, class_code, card_code, address, STUDENT_LIMIT, later=later)

            return (lambda: _gone_if_refused(once)) if later else once

        found = await self.read(checked(student.find))
        return found or await self.write(checked(student.count_wrong))

    def page(self, session: StudentSession) -> dict:
        teamwork = self.teamwork()
        found = student.page(self.store, session, teamwork.dimensions)
        return page_payload(found, self.survey(), teamwork)

    def save_survey(self, session: StudentSession, answers: dict) -> None:
        _gone_if_refused(lambda: student.save_survey(self.store, session, self.survey(), answers))

    def save_ratings(
        self,
        session: StudentSession,
        evaluation_id: int,
        ratings: dict[tuple[int, str], int],
        comments: dict[int, str],
    ) -> None:
        dimensions = self.teamwork().dimensions
        _gone_if_refused(
            lambda: student.save_evaluation(
                self.store, session, evaluation_id, ratings, comments, dimensions
            )
        )

    def handlers(self, base: str) -> list[tuple]:
        args = {"service": self}
        return [
            (f"{base}{self.path}", PageHandler, args),
            (f"{base}{self.path}/api/(join|page|survey|rate)", ApiHandler, args),
        ]


def _gone_if_refused(action):
    try:
        return action()
    except AccessDenied as exc:
        raise light.Gone(str(exc)) from exc


def _load(read, what: str):
    try:
        return read()
    except CollabError as exc:
        log.error("%s cannot be used: %s", what, exc)
        raise InvalidInput(NOT_READY) from exc


# --- reading the calls ------------------------------------------------------------------------


def _unreadable() -> InvalidInput:
    return InvalidInput(light.UNREADABLE)


def answers_of(body: dict) -> dict[str, list[str]]:
    """``answers``: question id -> the choices picked."""
    raw = body.get("answers", {})
    if not isinstance(raw, dict):
        raise _unreadable()
    answers: dict[str, list[str]] = {}
    for question, chosen in raw.items():
        if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
            raise _unreadable()
        answers[question] = list(chosen)
    return answers


def ratings_of(body: dict) -> dict[tuple[int, str], int]:
    """``ratings``: [{ratee, dimension, level}], the last of two for one pair counting."""
    raw = body.get("ratings", [])
    if not isinstance(raw, list):
        raise _unreadable()
    ratings: dict[tuple[int, str], int] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise _unreadable()
        ratee, level = light.number(item, "ratee"), light.number(item, "level")
        if ratee is None or level is None:
            raise _unreadable()
        ratings[(ratee, light.text(item, "dimension"))] = level
    return ratings


def comments_of(body: dict) -> dict[int, str]:
    """``comments``: [{ratee, text}] ("" takes a comment back)."""
    raw = body.get("comments", [])
    if not isinstance(raw, list):
        raise _unreadable()
    comments: dict[int, str] = {}
    for item in raw:
        if not isinstance(item, dict):
            raise _unreadable()
        ratee = light.number(item, "ratee")
        if ratee is None:
            raise _unreadable()
        comments[ratee] = light.text(item, "text")
    return comments


# --- the page and its API ---------------------------------------------------------------------


class PageHandler(light.PageHandler):
    """The student's page: the same bytes for everyone; its script reads the link."""

    page = PAGE_FILE.read_text(encoding="utf-8")
    no_token_message = (
        "This server needs its token in the link. Scan the code on your card again, or ask "
        "your teacher for the full link (it ends with token=…)."
    )


class ApiHandler(light.JsonHandler):
    """``POST students/api/<action>``."""

    max_body = MAX_BODY
    too_long = TOO_LONG

    async def answer(self, body: dict, action: str) -> dict:
        service: StudentService = self.service
        class_code, card_code = light.text(body, "class"), light.text(body, "card")
        # read before the codes are checked: a call the page could not have sent is
        # refused without counting a wrong code
        if action == "survey":
            answers = answers_of(body)
        elif action == "rate":
            evaluation_id = light.number(body, "evaluation")
            if evaluation_id is None:
                raise _unreadable()
            ratings, comments = ratings_of(body), comments_of(body)
        address = self.client_address
        session = await service.session(class_code, card_code, address, action == "join")
        if action == "survey":
            await service.write(lambda: service.save_survey(session, answers))
        elif action == "rate":
            await service.write(
                lambda: service.save_ratings(session, evaluation_id, ratings, comments)
            )
        return await service.read(lambda: service.page(session))
