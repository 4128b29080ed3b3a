"""A workshop participant's page, a light page (:mod:`collab_widgets.core.light`) served
by the Voilà process itself: one static page and a small JSON API over
:mod:`collab_widgets.workshops.store.participant`. No kernel per participant, so a room
of thirty joining at once costs the server a few milliseconds each, not a kernel each
(``docs/workshops.md`` explains the choice).

The API, all ``POST`` with a JSON body, all answers JSON:

* ``workshop/api/join`` ``{code, name}`` → ``{token, name, revision, room}``; wrong codes
  are limited per network address and per code, in the database (:data:`ROOM_LIMIT`);
* ``workshop/api/room`` ``{token, seen}`` → ``{revision}``, plus ``room`` when the
  workshop changed since revision ``seen``;
* ``workshop/api/answer`` ``{token, prompt, value}`` → ``{revision, room}``;
* ``workshop/api/leave`` ``{token}`` → ``{}``.

``token`` is the participant's, from ``join``. A failure answers ``{error}`` with a plain
message the page shows as it is; no traceback leaves the server. Light on purpose: this
module imports neither pandas nor matplotlib (a test checks it).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from collab_widgets.core.errors import AccessDenied, CollabError, NotFound
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.core.light.service import THREADS, LightService
from collab_widgets.workshops.rules import (
    MAX_TEXT,
    MAX_WORD,
    Aggregate,
    WorkshopPrompt,
)
from collab_widgets.workshops.store import participant, shared
from collab_widgets.workshops.store.participant import Participant, RoomView

PAGE_FILE = Path(__file__).parent / "page.html"
# The longest answer is MAX_TEXT characters, each at most 6 bytes in JSON (\u escapes),
# beside a token and a prompt's number. A longer body is refused before it is read.
MAX_BODY = 16 * 1024
# Wrong codes within the window before the network address (or the code) must wait. A room
# behind one router shares an address, and typos happen; guessing a code needs millions.
ROOM_TRIES = 20
ROOM_WINDOW = dt.timedelta(minutes=10)
ROOM_LIMIT = WrongCodeLimit(
    "workshop", ROOM_TRIES, ROOM_TRIES, ROOM_WINDOW, hint="the code on the trainer's screen"
)
TOO_LONG = f"Keep the answer under {MAX_TEXT} characters; it was not sent."


# --- what the page is sent ---------------------------------------------------------------


def prompt_payload(prompt: WorkshopPrompt) -> dict:
    return {
        "id": prompt.id,
        "kind": prompt.kind,
        "kind_name": prompt.kind_name,
        "text": prompt.text,
        "choices": [{"label": label, "value": value} for label, value in prompt.choices()],
        "limit": {"text": MAX_TEXT, "word": MAX_WORD}.get(prompt.kind),
    }


def results_payload(result: Aggregate) -> dict:
    return {
        "sentence": result.sentence(),
        "rows": [{"label": label, "count": count} for label, count in result.rows],
        "scale": result.bar_scale,
        "texts": list(result.texts),
    }


def room_payload(view: RoomView) -> dict:
    """Only what a participant may see: the prompt shown, its own answer, the results
    while the trainer shows them. Never another participant's name or answer."""
    return {
        "title": view.title,
        "state": view.state,
        "prompt": prompt_payload(view.prompt) if view.prompt else None,
        "own_answer": view.own_answer,
        "results": results_payload(view.results) if view.results else None,
        "ended": view.ended,
    }


# --- the service the handlers share ----------------------------------------------------------


@dataclass
class PendingJoin:
    """A join waiting for the writer, and where its answer (or its failure) goes."""

    address: str
    code: str
    name: str
    answer: Future = field(default_factory=Future)


class WorkshopService(LightService):
    """The workshop page's store and threads (:class:`~collab_widgets.core.light.service.
    LightService`), and the joins queued for the writer: those that queue while it is busy
    are saved together, wrong codes counted in the order they came (:meth:`join`)."""

    path = "workshop"

    def __init__(self, db_url: str | None = None, server_token: str = "", threads: int = THREADS):
        super().__init__(db_url, server_token, threads)
        self._joins: deque[PendingJoin] = deque()  # appended on the event loop, taken by the writer

    async def join(self, address: str, code: str, name: str) -> dict:
        """Saved with the joins that arrive while the writer is busy, in one transaction:
        a room joining at once waits for a few transactions, not one each."""
        waiting = PendingJoin(address, code, name)
        self._joins.append(waiting)
        await self.write(self._save_joins)
        # done by this call's turn of the writer or by an earlier turn that took it
        return await asyncio.wrap_future(waiting.answer)

    def _save_joins(self) -> None:
        """On the writer: every join waiting, in order, each as it would be alone (wrong
        codes counted as they come); one room read per workshop for all."""
        batch = []
        with contextlib.suppress(IndexError):  # every join queued so far
            while True:
                batch.append(self._joins.popleft())
        if not batch:  # an earlier turn took them
            return
        joined: list[tuple[PendingJoin, Participant]] = []
        try:
            with participant.joining(self.store, ROOM_LIMIT) as join_one:
                for waiting in batch:
                    try:
                        who = join_one(waiting.code, waiting.name, waiting.address)
                    except Exception as exc:  # this join only: the others stand
                        waiting.answer.set_exception(exc)
                    else:
                        joined.append((waiting, who))
        except Exception as exc:  # the transaction failed: none of them joined
            for waiting in batch:
                if not waiting.answer.done():
                    waiting.answer.set_exception(_own_failure(exc))
            return
        by_workshop: dict[int, list[tuple[PendingJoin, Participant]]] = {}
        for waiting, who in joined:
            by_workshop.setdefault(who.workshop_id, []).append((waiting, who))
        for group in by_workshop.values():
            try:  # a new participant has no answer yet: one room for the whole group
                room = self._room(group[0][1], seen=None)
            except Exception as exc:  # joined, but the room could not be read
                for waiting, _who in group:
                    waiting.answer.set_exception(_own_failure(exc))
                continue
            for waiting, who in group:
                waiting.answer.set_result({"token": who.token, "name": who.name, **room})

    def room(self, token: str, seen: int | None) -> dict:
        return self._room(participant.participant(self.store, token), seen)

    def answer(self, token: str, prompt_id: int, value: str) -> dict:
        who = participant.participant(self.store, token)
        participant.answer(who, prompt_id, value)
        return self._room(who, seen=None)

    def leave(self, token: str) -> dict:
        participant.leave(participant.participant(self.store, token))
        return {}

    def _room(self, who: Participant, seen: int | None) -> dict:
        revision = shared.revision(self.store, who.workshop_id)  # read before the room
        if revision == seen:
            return {"revision": revision}
        return {"revision": revision, "room": room_payload(participant.room(who))}

    def handlers(self, base: str) -> list[tuple]:
        args = {"service": self}
        return [
            (f"{base}{self.path}", PageHandler, args),
            (f"{base}{self.path}/api/(join|room|answer|leave)", ApiHandler, args),
        ]


def _own_failure(failure: Exception) -> Exception:
    """A failure several joins shared, as one exception each (one raised in many requests
    would gather all their tracebacks)."""
    own = (
        type(failure)(str(failure))
        if isinstance(failure, CollabError)
        else RuntimeError(f"joins saved together failed: {failure!r}")
    )
    own.__cause__ = failure
    return own


# --- the page and its API ---------------------------------------------------------------------


class PageHandler(light.PageHandler):
    """The participant's page: the same bytes for everyone; its script reads the link."""

    page = PAGE_FILE.read_text(encoding="utf-8")
    no_token_message = (
        "This server needs its token in the link. Open the full link from the "
        "trainer's screen (it ends with token=…)."
    )


class ApiHandler(light.JsonHandler):
    """``POST workshop/api/<action>``."""

    max_body = MAX_BODY
    too_long = TOO_LONG

    async def answer(self, body: dict, action: str) -> dict:
        service = self.service
        if action == "join":
            address = self.client_address
            code, name = light.text(body, "code"), light.text(body, "name")
            return await service.join(address, code, name)
        token = light.text(body, "token")
        try:
            if action == "room":
                seen = light.number(body, "seen")
                return await service.read(lambda: service.room(token, seen))
            if action == "answer":
                prompt, value = light.number(body, "prompt") or 0, light.text(body, "value")
                return await service.write(lambda: service.answer(token, prompt, value))
            return await service.write(lambda: service.leave(token))
        except (AccessDenied, NotFound) as exc:
            raise light.Gone(str(exc)) from exc
