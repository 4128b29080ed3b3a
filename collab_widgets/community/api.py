"""A mentor's own page, a light page (:mod:`collab_widgets.core.light`) served by the Voilà
process itself, as the families' page is: one static page and a small JSON API over
:mod:`collab_widgets.community.store.mentoring`. No kernel per mentor.

A mentor opens it with their own link: the code after the link's ``#`` (which never reaches
a server's log) or typed from the card. The page keeps the code in the tab's memory only,
sends it with every call, and the server checks it (and the mentor's clearance) again each
time, so a changed or stopped link, or a clearance that lapsed, ends the page at the next
call.

The API, all ``POST`` with a JSON body ``{code, …}``, all answers JSON:

* ``mentors/api/open`` → the page (below); wrong codes are limited per network address and
  per code, in the database (:data:`MENTOR_LIMIT`);
* ``mentors/api/page`` → the page again;
* ``mentors/api/log`` ``{met_on, minutes, activity, note, check_in}`` → the page, the
  meeting logged; or ``{error}`` saying what to put right, and nothing saved.

The page (:func:`page_payload`) holds the programme's name, the mentee's first name only,
the minutes expected a week and the mentor's own logs: no other name, no pseudonym, no
class, no id of a student, and no way to reach the student.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from collab_widgets.community.model import MentorPage
from collab_widgets.community.store import mentoring
from collab_widgets.community.store.mentoring import MentorRefused, MentorSession
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.core.light.service import THREADS, LightService
from collab_widgets.students.store import classes

log = logging.getLogger(__name__)

PAGE_FILE = Path(__file__).parent / "page.html"
MAX_BODY = 8 * 1024  # the largest call is a log: a note of a few hundred characters
MENTOR_TRIES = 30  # a partner's mentors may share one office's address
CODE_TRIES = 10
MENTOR_LIMIT = WrongCodeLimit(
    mentoring.LIGHT_PAGE,
    MENTOR_TRIES,
    CODE_TRIES,
    classes.WRONG_CODES_KEPT,
    hint="the link or code the school's mentoring coordinator gave you",
)
TOO_LONG = "That is too long to send; it was not saved. Shorten the note."
ACTIONS = ("open", "page", "log")


def page_payload(page: MentorPage, today: dt.date) -> dict:
    """Everything the mentor's page shows, and nothing else about the student."""
    return {
        "mentor": page.mentor,
        "programme": page.programme,
        "mentee": page.mentee_first_name,
        "minutes_a_week": page.minutes_a_week,
        "ended": page.ended,
        "today": today.isoformat(),
        "max_minutes": mentoring.MAX_MINUTES,
        "check_ins": [
            {"value": value, "words": words} for value, words in mentoring.CHECK_INS.items()
        ],
        "logs": [
            {
                "id": entry.id,
                "met_on": entry.met_on.isoformat(),
                "date": f"{entry.met_on:%A %d %B %Y}",
                "minutes": entry.minutes,
                "activity": entry.activity,
                "note": entry.note,
                "check_in": mentoring.CHECK_INS.get(entry.check_in, ""),
            }
            for entry in page.logs
        ],
    }


class MentorService(LightService):
    """The mentor page's store and threads; the page's stale wrong codes forgotten once a
    day."""

    path = "mentors"

    def __init__(self, db_url: str | None = None, server_token: str = "", threads: int = THREADS):
        super().__init__(db_url, server_token, threads)
        self._cleaned_on: dt.date | None = None

    def tidy(self) -> None:
        today = self.store.clock.today()
        if self._cleaned_on != today:
            self._cleaned_on = today
            try:
                mentoring.forget_stale_wrong_codes(self.store)
            except Exception:  # a failed clean-up must not close the mentors' page
                log.exception("the mentor page's daily clean-up failed")

    def sign_in(self, code: str, address: str, later: bool) -> MentorSession:
        self.tidy()
        return mentoring.sign_in(self.store, code, address, MENTOR_LIMIT, later=later)

    def page(self, session: MentorSession) -> dict:
        return page_payload(mentoring.mentor_page(self.store, session), self.store.clock.today())

    def handlers(self, base: str) -> list[tuple]:
        args = {"service": self}
        return [
            (f"{base}{self.path}", PageHandler, args),
            (f"{base}{self.path}/api/({'|'.join(ACTIONS)})", ApiHandler, args),
        ]


class PageHandler(light.PageHandler):
    """The mentor's page: the same bytes for everyone; its script reads the link."""

    page = PAGE_FILE.read_text(encoding="utf-8")
    no_token_message = (
        "This server needs its token in the link. Open the full link the school's mentoring "
        "coordinator gave you (it ends with token=…)."
    )


def _log_of(body: dict):
    """The meeting the body logs, as typed: the store checks each value (a number as text
    or as a number) and says what is wrong."""
    typed = {key: light.text(body, key) for key in ("met_on", "activity", "note")}
    if max(len(value) for value in typed.values()) > mentoring.MAX_NOTE:
        raise InvalidInput(TOO_LONG)
    minutes, check_in = body.get("minutes", ""), body.get("check_in")
    return lambda store, session: mentoring.log_meeting(
        store, session, typed["met_on"], minutes, typed["activity"], typed["note"], check_in
    )


class ApiHandler(light.JsonHandler):
    """``POST mentors/api/<action>``."""

    max_body = MAX_BODY
    too_long = TOO_LONG

    async def answer(self, body: dict, action: str) -> dict:
        service: MentorService = self.service
        code = light.text(body, "code")
        change = _log_of(body) if action == "log" else None  # read first: counts no code
        address = self.client_address
        later = action != "open"

        def gone_if_refused(step):
            """After ``open``, a link that stops opening (changed, stopped, the clearance
            lapsed) at any step of the call ends the page: 410, in plain words."""

            def run():
                try:
                    return step()
                except MentorRefused as exc:
                    if later:
                        raise light.Gone(str(exc)) from exc
                    raise

            return run

        if change is None:
            return await service.read(
                gone_if_refused(lambda: service.page(service.sign_in(code, address, later)))
            )
        session = await service.read(gone_if_refused(lambda: service.sign_in(code, address, later)))
        await service.write(gone_if_refused(lambda: change(service.store, session)))
        return await service.read(gone_if_refused(lambda: service.page(session)))
