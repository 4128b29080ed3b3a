"""A workshop participant's page, served by the Voilà process itself: one static page and
a small JSON API over :mod:`collab_widgets.workshops.store`. No kernel per participant,
so a room of thirty joining at once costs the server a few milliseconds each, not a
kernel each (``docs/workshops.md`` explains the choice).

The API, all ``POST`` with a JSON body, all answers JSON:

* ``workshop/api/join`` ``{code, name}`` → ``{token, name, revision, room}``; wrong codes
  are limited per address (:class:`~collab_widgets.team.access.Gate`);
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
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import tornado.web

from collab_widgets.core.db import Store, default_url
from collab_widgets.core.errors import (
    AccessDenied,
    CollabError,
    InvalidInput,
    NotFound,
    StoreUnavailable,
)
from collab_widgets.core.model import encodable
from collab_widgets.team.access import AddressLimit
from collab_widgets.workshops import store as workshops
from collab_widgets.workshops.rules import (
    MAX_TEXT,
    MAX_WORD,
    Aggregate,
    WorkshopPrompt,
)
from collab_widgets.workshops.store import Participant, RoomView

PAGE_FILE = Path(__file__).parent / "page.html"
PAGE_PATH = "workshop"
T = TypeVar("T")
# The longest answer is MAX_TEXT characters, each at most 6 bytes in JSON (\u escapes),
# beside a token and a prompt's number. A longer body is refused before it is read.
MAX_BODY = 16 * 1024
# Wrong codes from one network address within the window before it must wait. A room
# behind one router shares an address, and typos happen; guessing a code needs millions.
ROOM_TRIES = 20
ROOM_WINDOW = dt.timedelta(minutes=10)
THREADS = 4  # worker threads reading for participants' pages
UNEXPECTED = "Something went wrong on the server. Try again in a moment."
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


class WorkshopService:
    """The store, the worker threads and the per-address limit on wrong codes.

    Store calls run on worker threads, never on the server's event loop (a busy or
    unreachable database would stall every page, kernels' included). Reads (the polls)
    have ``threads`` of their own. Joins, answers and leaves queue on one writer thread, on
    any database: SQLite takes one writer at a time (the others would sleep and retry);
    a room's writes take a few milliseconds each, so PostgreSQL needs no more; and the
    joins that queue while it is busy are saved together, wrong codes counted in the order
    they came (:meth:`join`).
    """

    def __init__(self, db_url: str | None = None, server_token: str = "", threads: int = THREADS):
        self.db_url = db_url or default_url()
        self.server_token = server_token
        self.limit = AddressLimit(ROOM_TRIES, ROOM_WINDOW)
        self._store: Store | None = None
        self._opening = threading.Lock()
        self._joins: deque[PendingJoin] = deque()  # appended on the event loop, taken by the writer
        self._readers = ThreadPoolExecutor(threads, thread_name_prefix="workshop-read")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="workshop-write")

    @property
    def store(self) -> Store:
        """Opened by the first call that needs it, on a worker thread."""
        with self._opening:
            if self._store is None:
                self._store = Store(self.db_url)
            return self._store

    async def read(self, action: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._readers, action)

    async def write(self, action: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, action)

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
        codes counted per address as they come); one room read per workshop for all."""
        batch = []
        with contextlib.suppress(IndexError):  # every join queued so far
            while True:
                batch.append(self._joins.popleft())
        if not batch:  # an earlier turn took them
            return
        joined: list[tuple[PendingJoin, Participant]] = []
        try:
            with workshops.joining(self.store) as join_one:
                for waiting in batch:
                    try:
                        who = self.limit.attempt(
                            waiting.address, lambda w=waiting: join_one(w.code, w.name)
                        )
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
        return self._room(workshops.participant(self.store, token), seen)

    def answer(self, token: str, prompt_id: int, value: str) -> dict:
        who = workshops.participant(self.store, token)
        workshops.answer(who, prompt_id, value)
        return self._room(who, seen=None)

    def leave(self, token: str) -> dict:
        workshops.leave(workshops.participant(self.store, token))
        return {}

    def _room(self, who: Participant, seen: int | None) -> dict:
        revision = workshops.revision(self.store, who.workshop_id)  # read before the room
        if revision == seen:
            return {"revision": revision}
        return {"revision": revision, "room": room_payload(workshops.room(who))}

    def close(self) -> None:
        for pool in (self._readers, self._writer):
            pool.shutdown(wait=False, cancel_futures=True)
        if self._store is not None:
            self._store.close()


def _own_failure(shared: Exception) -> Exception:
    """A failure several joins shared, as one exception each (one raised in many requests
    would gather all their tracebacks)."""
    own = (
        type(shared)(str(shared))
        if isinstance(shared, CollabError)
        else RuntimeError(f"joins saved together failed: {shared!r}")
    )
    own.__cause__ = shared
    return own


# --- the page ---------------------------------------------------------------------------------


def _inline_hashes(page: str, tag: str) -> list[str]:
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.DOTALL)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in blocks
    ]


def content_security_policy(page: str) -> str:
    """Only this page's own script and style run, and it talks to this server only."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join(_inline_hashes(page, "script")),
            "style-src " + " ".join(_inline_hashes(page, "style")),
            "connect-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'self'",
        ]
    )


class _Handler(tornado.web.RequestHandler):
    def initialize(self, service: WorkshopService) -> None:
        self.service = service

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def _server_token_ok(self, given: str) -> bool:
        wanted = self.service.server_token
        return not wanted or hmac.compare_digest(given.encode(), wanted.encode())


class PageHandler(_Handler):
    """The participant's page: the same bytes for everyone; its script reads the link."""

    page = PAGE_FILE.read_text(encoding="utf-8")
    policy = content_security_policy(page)

    def get(self) -> None:
        if not self._server_token_ok(self.get_query_argument("token", "")):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                "This server needs its token in the link. Open the full link from the "
                "trainer's screen (it ends with token=…)."
            )
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", self.policy)
        self.finish(self.page)


STATUS = {AccessDenied: 403, NotFound: 404, InvalidInput: 400, StoreUnavailable: 503}


class PlaceGone(CollabError):
    """The participant's place or its workshop no longer exists: the page stops."""


@tornado.web.stream_request_body
class ApiHandler(_Handler):
    """``POST workshop/api/<action>``: JSON in, JSON out, a plain message on failure. The
    body arrives in chunks (:meth:`data_received`): tornado would otherwise read a body of
    any length whole before the handler could refuse it."""

    def prepare(self) -> None:
        self._chunks: list[bytes] = []
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            # answered now; tornado reads the rest of the body away and closes the connection
            self.set_status(413)
            self.finish({"error": TOO_LONG})
            return
        # a body without a length (chunked) is cut off at the limit by the connection
        self.request.connection.set_max_body_size(MAX_BODY)

    def data_received(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    async def post(self, action: str) -> None:
        try:
            answer = await self._answer(action)
        except PlaceGone as exc:
            self.set_status(410)  # the page stops: nothing more to follow
            answer = {"error": str(exc), "gone": True}
        except CollabError as exc:
            status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), 400)
            self.set_status(status)
            answer = {"error": str(exc)}
        self.finish(answer)

    def write_error(self, status_code: int, **kwargs) -> None:
        # anything unforeseen: logged by tornado with its traceback, a plain message here
        self.finish({"error": UNEXPECTED})

    async def _answer(self, action: str) -> dict:
        given = self.request.headers.get("Authorization", "").removeprefix("token ")
        if not self._server_token_ok(given):
            raise AccessDenied("This server needs its token; open the full link again.")
        body = self._body()
        service = self.service
        if action == "join":
            address = self.request.remote_ip or ""
            code, name = _text(body, "code"), _text(body, "name")
            return await service.join(address, code, name)
        token = _text(body, "token")
        try:
            if action == "room":
                seen = _number(body, "seen")
                return await service.read(lambda: service.room(token, seen))
            if action == "answer":
                prompt, value = _number(body, "prompt") or 0, _text(body, "value")
                return await service.write(lambda: service.answer(token, prompt, value))
            return await service.write(lambda: service.leave(token))
        except (AccessDenied, NotFound) as exc:
            raise PlaceGone(str(exc)) from exc

    def _body(self) -> dict:
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise InvalidInput("The page sent something this server does not read; reload it.")
        try:
            body = json.loads(b"".join(self._chunks) or b"{}")
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
            body = None
        if not isinstance(body, dict):
            raise InvalidInput("The page sent something this server does not read; reload it.")
        return body


def _text(body: dict, key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str) or not encodable(value):
        raise InvalidInput("The page sent something this server does not read; reload it.")
    return value


def _number(body: dict, key: str) -> int | None:
    value = body.get(key)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise InvalidInput("The page sent something this server does not read; reload it.")
    return value


def handlers(base: str, service: WorkshopService) -> list[tuple]:
    """Tornado routes under ``base`` (the server's path, ending in ``/``)."""
    args = {"service": service}
    return [
        (f"{base}{PAGE_PATH}", PageHandler, args),
        (f"{base}{PAGE_PATH}/api/(join|room|answer|leave)", ApiHandler, args),
    ]


def service_from_environment(server_token: str, threads: int = THREADS) -> WorkshopService:
    """As ``collab serve`` starts Voilà: the database named in its environment."""
    return WorkshopService(
        db_url=os.environ.get("COLLAB_DB_URL") or None, server_token=server_token, threads=threads
    )
