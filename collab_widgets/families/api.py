"""A family's own page, a light page (:mod:`collab_widgets.core.light`) served by the
Voilà process itself, as the students' page is: one static page and a small JSON API over
:mod:`collab_widgets.families.store.family`, in the family's language. No kernel per
family, so a class's families opening their pages at a meeting cost the server a few
milliseconds each.

A guardian opens it with their own link: the code after the link's ``#`` (which never
reaches a server's log) or typed from the card. The page keeps the code in the tab's
memory only, sends it with every call, and the server checks it again each time, so a
rotated, revoked or blocked link ends the page at the next call.

The API, all ``POST`` with a JSON body ``{code, lang, …}``, all answers JSON:

* ``families/api/open`` → the page (below); wrong codes are limited per network address
  and per code, in the database (:data:`FAMILY_LIMIT`);
* ``families/api/page`` → the page again (the page polls it while visible);
* ``families/api/goal`` ``{meeting, version, practice, times, target, by}`` → the page, or
  ``{problems: {field: message}}`` and nothing saved;
* ``families/api/slot`` ``{slot}`` / ``families/api/unslot`` ``{slot}`` → the page;
* ``families/api/signup`` ``{workshop, coming}`` → the page;
* ``families/api/feedback`` ``{round, answers: {question: level}}`` → the page;
* ``families/api/texts`` ``{lang}`` → the page's words only (:func:`texts_payload`), no code
  needed and none counted: what the page shows before it has a code (its sign-in form).

``lang`` chooses the language of the answer (the family's own language, as the teacher set
it, when absent). Every text of the answer, its refusals included, is in that language
(:data:`collab_widgets.families.texts.CATALOGUE`); dates and numbers in its conventions.

The page (:func:`page_payload`) holds the family's own child's name and results, the class
graph as counts per bin only (no order, no id, no name), and the rest of the family's own
page: nothing about any other family (a test checks it over random classes).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from pathlib import Path

import tornado.web

from collab_widgets.core.errors import CollabError, InvalidInput, StoreUnavailable
from collab_widgets.core.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    N_,
    format_date,
    format_percent,
    format_weekday_date,
    language_of,
)
from collab_widgets.core.i18n import format_time as clock_time
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.core.light.service import THREADS, LightService
from collab_widgets.families import library
from collab_widgets.families import texts as words
from collab_widgets.families.rules import FamilyError, FamilyRefused, GoalDraft, bar_range
from collab_widgets.families.store import family, guardians
from collab_widgets.families.store.family import FamilyPageData, MeetingView
from collab_widgets.students.store import classes

log = logging.getLogger(__name__)

PAGE_FILE = Path(__file__).parent / "page.html"
MAX_BODY = 8 * 1024  # the largest call is a goal: a few hundred characters
MAX_FIELD = 2000  # longer than any goal field the page lets through: refused unread
FAMILY_TRIES = 30  # a school's families may share few addresses
CODE_TRIES = 10
FAMILY_LIMIT = WrongCodeLimit(
    guardians.LIGHT_PAGE,
    FAMILY_TRIES,
    CODE_TRIES,
    classes.WRONG_CODES_KEPT,
    hint="the link or code the teacher gave you",
)
TOO_LONG = N_("That is too long to send; it was not saved.")
UNAVAILABLE = N_("The school's server cannot answer right now. Try again in a moment.")
ACTIONS = ("open", "page", "goal", "slot", "unslot", "signup", "feedback", "texts")


# --- what the page is sent ---------------------------------------------------------------


def _in(language: str, versions: dict) -> tuple[str, bool]:
    """A teacher-written text in ``language``, or in English with True (missing)."""
    if versions.get(language):
        return versions[language], False
    return versions.get("en") or next(iter(versions.values()), ""), language != "en"


def _steps_in(language: str, steps: dict) -> tuple[list[str], bool]:
    if steps.get(language):
        return list(steps[language]), False
    return list(steps.get("en", [])), language != "en"


def _when(day: dt.date, time: str, language: str) -> dict:
    return {
        "date": format_weekday_date(day, language),
        "time": clock_time(dt.time.fromisoformat(time), language),
        "iso": day.isoformat(),
    }


def graph_payload(view: MeetingView, child: str, language: str) -> dict:
    """The class graph: a count per bin, the child's bin marked; or none for a small class.
    The child's own result, always."""
    t = words.CATALOGUE.text
    own = view.child_percent
    shown = {
        "child": (
            t(
                language,
                words.PAGE["child_result"],
                child=child,
                percent=format_percent(own, language),
            )
            if own is not None
            else t(language, words.PAGE["no_result"], child=child)
        ),
        "bins": None,
        "note": t(language, words.PAGE["graph_hidden"]) if view.bins is None else "",
    }
    if view.bins is not None:
        shown["bins"] = [
            {
                "label": "–".join(format_percent(end, language) for end in bar_range(b)),
                "count": b.count,
                "child": i == view.child_bin,
            }
            for i, b in enumerate(view.bins)
        ]
    return shown


def meeting_payload(view: MeetingView, child: str, language: str, today: dt.date) -> dict:
    t = words.CATALOGUE.text
    activities = []
    for activity in view.activities:
        title, missing = _in(language, activity.get("title", {}))
        materials, missing_materials = _in(language, activity.get("materials", {}))
        steps, missing_steps = _steps_in(language, activity.get("steps", {}))
        activities.append(
            {
                "title": title,
                "materials": materials,
                "steps": steps,
                "missing": missing or missing_materials or missing_steps,
            }
        )
    agenda = []
    for item in view.agenda:
        title, missing = _in(language, item.get("title", {}))
        agenda.append({"title": title, "minutes": item.get("minutes", 0), "missing": missing})
    goal = view.goal
    progress = view.progress
    return {
        "id": view.id,
        "title": view.title,
        "skill": view.skill,
        "when": _when(view.held_on, view.starts_at, language),
        "past": view.held_on < today,
        "graph": graph_payload(view, child, language),
        "agenda": agenda,
        "activities": activities,
        "goal": None
        if goal is None
        else {
            "practice": goal.practice,
            "times": goal.times_per_week,
            "target": goal.target,
            "by": goal.by_date.isoformat(),
            "version": goal.version,
            "text": t(
                language,
                words.PAGE["goal_now"],
                practice=goal.practice,
                times=goal.times_per_week,
                target=format_percent(goal.target, language),
                date=format_date(goal.by_date, language),
            ),
        },
        "progress": None
        if progress is None
        else t(
            language,
            words.PROGRESS[progress.status],
            start="" if progress.start is None else format_percent(progress.start, language),
            latest="" if progress.latest is None else format_percent(progress.latest, language),
        ),
        "default_by": (view.held_on + dt.timedelta(days=60)).isoformat(),
    }


def feedback_payload(data: FamilyPageData, survey: library.FeedbackSurvey, language: str):
    if data.feedback is None:
        return None
    title, _ = _in(language, survey.title)
    intro, _ = _in(language, survey.intro)
    scale = list(survey.scale.get(language) or survey.scale["en"])
    return {
        "round": data.feedback["round"],
        "title": title,
        "intro": intro,
        "answered": data.feedback["answered"],
        "scale": scale,
        "questions": [
            {"id": q.id, "text": _in(language, q.text)[0]}
            for q in library.asked(survey, data.feedback["questions"])
        ],
    }


def texts_payload(language: str) -> dict:
    """The page's words in ``language`` and the languages it can be read in: all the page
    needs before it has a code (nothing about anyone)."""
    return {
        "language": language,
        "languages": [{"id": key, "name": name} for key, name in LANGUAGES.items()],
        "texts": words.CATALOGUE.texts(language, words.PAGE),
    }


def page_payload(
    data: FamilyPageData, language: str, survey: library.FeedbackSurvey, today: dt.date
) -> dict:
    """Everything the family's page shows, in ``language``, and nothing about anyone else."""
    t = words.CATALOGUE.text
    return {
        **texts_payload(language),
        "child": data.child,
        "class": data.class_name,
        "teacher": data.teacher,
        "meetings": [meeting_payload(m, data.child, language, today) for m in data.meetings],
        "slots": [
            {
                "id": slot["id"],
                "kind": t(language, words.CONFERENCE_KINDS[slot["kind"]]),
                "minutes": slot["minutes"],
                "mine": slot["mine"],
                **_when(slot["day"], slot["starts_at"], language),
            }
            for slot in data.slots
        ],
        "agreements": [
            {"text": a["text"], "owner": t(language, words.OWNERS[a["owner"]]), "done": a["done"]}
            for a in data.agreements
        ],
        "workshops": [
            {
                "id": w["id"],
                "title": _in(language, w["title"])[0],
                "missing": _in(language, w["title"])[1],
                "place": w["place"],
                "signed_up": w["signed_up"],
                **_when(w["held_on"], w["starts_at"], language),
            }
            for w in data.workshops
        ],
        "feedback": feedback_payload(data, survey, language),
    }


# --- the service the handlers share ----------------------------------------------------------


class FamilyService(LightService):
    """The family page's store and threads; the feedback survey in use (read once); the
    page's stale wrong codes forgotten once a day (the families themselves go with their
    class, :func:`collab_widgets.students.store.classes.delete_expired`)."""

    path = "families"

    def __init__(self, db_url: str | None = None, server_token: str = "", threads: int = THREADS):
        super().__init__(db_url, server_token, threads)
        self._cleaned_on: dt.date | None = None

    def tidy(self) -> None:
        today = self.store.clock.today()
        if self._cleaned_on != today:
            self._cleaned_on = today
            try:
                classes.delete_expired(self.store)
                guardians.forget_stale_wrong_codes(self.store)
            except Exception:  # a failed clean-up must not close the families' page
                log.exception("the family page's daily clean-up failed")

    def sign_in(self, code: str, address: str, later: bool):
        self.tidy()
        return family.sign_in(self.store, code, address, FAMILY_LIMIT, later=later)

    def page(self, session, language: str) -> dict:
        data = family.page(self.store, session)
        return page_payload(
            data, language, library.load_feedback_survey(), self.store.clock.today()
        )

    def handlers(self, base: str) -> list[tuple]:
        args = {"service": self}
        return [
            (f"{base}{self.path}", PageHandler, args),
            (f"{base}{self.path}/api/({'|'.join(ACTIONS)})", ApiHandler, args),
        ]


class PageHandler(light.PageHandler):
    """The family's page: the same bytes for everyone; its script reads the link."""

    page = PAGE_FILE.read_text(encoding="utf-8")
    no_token_message = (
        "This server needs its token in the link. Open the full link the teacher gave you "
        "(it ends with token=…). / Este servidor necesita el enlace completo que le dio el "
        "maestro (termina con token=…)."
    )


class ApiHandler(light.JsonHandler):
    """``POST families/api/<action>``, answered in the family's language."""

    max_body = MAX_BODY
    too_long = TOO_LONG

    language = DEFAULT_LANGUAGE  # until the address (then the body) says another

    def prepare(self) -> None:
        with contextlib.suppress(tornado.web.HTTPError):  # undecodable: the default language
            self.language = language_of(self.get_query_argument("lang", ""))
        super().prepare()

    def say(self, error: CollabError | str) -> str:
        t = words.CATALOGUE.text
        if isinstance(error, light.Gone) and error.__cause__ is not None:
            error = error.__cause__  # a link that stopped opening: said as when signing in
        if isinstance(error, (FamilyError, FamilyRefused)):
            return self.words(error.message, error.values)
        if isinstance(error, StoreUnavailable):
            return t(self.language, UNAVAILABLE)
        text = str(error)
        known = (light.UNEXPECTED, light.UNREADABLE, light.NEEDS_TOKEN, TOO_LONG)
        return t(self.language, text if text in known else light.UNEXPECTED)

    async def answer(self, body: dict, action: str) -> dict:
        service: FamilyService = self.service
        code = light.text(body, "code")
        self.language = language_of(light.text(body, "lang") or self.language)
        if action == "texts":  # the sign-in form's words: no code asked, none counted
            return texts_payload(self.language)
        change = _change_of(action, body)  # read first: a malformed call counts no code
        address = self.client_address
        later = action != "open"

        def gone_if_refused(step):
            """After ``open``, a link that stops opening (rotated, revoked, blocked, its
            class ended) at any step of the call ends the page: 410, in the family's words."""

            def run():
                try:
                    return step()
                except FamilyRefused as exc:
                    if later:
                        raise light.Gone(str(exc)) from exc
                    raise

            return run

        chosen = bool(light.text(body, "lang"))

        def signed_in():
            session = service.sign_in(code, address, later)
            if not chosen:
                self.language = session.language
            return session

        if change is None:  # a read: signed in and answered on one reader thread
            session, answer = await service.read(
                gone_if_refused(lambda: (s := signed_in(), service.page(s, self.language)))
            )
            return answer
        session = await service.read(gone_if_refused(signed_in))
        problems = await service.write(gone_if_refused(lambda: change(service.store, session)))
        answer = await service.read(gone_if_refused(lambda: service.page(session, self.language)))
        if problems:
            answer["problems"] = {
                field: self.words(p.message, p.values) for field, p in problems.items()
            }
        return answer

    def words(self, message: str, values: dict) -> str:
        """``message`` in the family's language, its dates and numbers in its conventions."""
        shown = {
            key: format_date(value, self.language) if isinstance(value, dt.date) else value
            for key, value in values.items()
        }
        return words.CATALOGUE.text(self.language, message, **shown)


def _unreadable() -> InvalidInput:
    return InvalidInput(light.UNREADABLE)


def _change_of(action: str, body: dict):
    """The store call ``action`` makes with the body's values (None: a read only)."""
    if action in ("open", "page"):
        return None
    if action == "goal":
        meeting, version = light.number(body, "meeting"), light.number(body, "version")
        if meeting is None:
            raise _unreadable()
        draft = GoalDraft(
            practice=light.text(body, "practice"),
            times_per_week=light.text(body, "times"),
            target=light.text(body, "target"),
            by_date=light.text(body, "by"),
        )
        typed = (draft.practice, draft.times_per_week, draft.target, draft.by_date)
        if max(len(value) for value in typed) > MAX_FIELD:
            raise InvalidInput(TOO_LONG)

        def save_goal(store, session):
            _saved, problems = family.save_goal(store, session, meeting, draft, version)
            return {p.field: p for p in problems}

        return save_goal
    if action in ("slot", "unslot"):
        slot = light.number(body, "slot")
        if slot is None:
            raise _unreadable()
        step = family.choose_slot if action == "slot" else family.give_up_slot
        return lambda store, session: step(store, session, slot)
    if action == "signup":
        workshop, coming = light.number(body, "workshop"), body.get("coming")
        if workshop is None or not isinstance(coming, bool):
            raise _unreadable()
        return lambda store, session: family.sign_up(store, session, workshop, coming)
    if action == "feedback":
        round_id, raw = light.number(body, "round"), body.get("answers")
        if round_id is None or not isinstance(raw, dict):
            raise _unreadable()
        answers = {
            str(k): v for k, v in raw.items() if isinstance(v, int) and not isinstance(v, bool)
        }
        return lambda store, session: family.answer_feedback(
            store, session, round_id, answers, library.load_feedback_survey()
        )
    raise _unreadable()
