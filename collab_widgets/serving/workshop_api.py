"""A workshop participant's page, served by the Voilà process itself: one static page and
a small JSON API over :mod:`collab_widgets.store.workshops`. No kernel per participant,
so a room of thirty joining at once costs the server a few milliseconds each, not a
kernel each (``docs/workshops.md`` explains the choice).

The API, all ``POST`` with a JSON body, all answers JSON:

* ``workshop/api/join`` ``{code, name}`` → ``{token, name, revision, room}``; wrong codes
  are limited per address (:class:`~collab_widgets.access.Gate`);
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
import hashlib
import hmac
import json
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import tornado.web

from ..access import Gate
from ..errors import AccessDenied, CollabError, InvalidInput, NotFound, StoreUnavailable
from ..store import Store, workshops
from ..store.workshops import Participant, RoomView
from ..workshop import MAX_TEXT, MAX_WORD, Aggregate, WorkshopPrompt

PAGE_FILE = Path(__file__).parent / "workshop_page.html"
PAGE_PATH = "workshop"
MAX_BODY = 16 * 1024  # the longest answer is MAX_TEXT characters
ROOM_TRIES = 20  # wrong codes from one address before it must wait: a room may share one
# Store calls leave the server's event loop, so a busy database holds up no other page.
# SQLite takes one writer at a time and makes the others sleep and retry: one thread
# queues them without the sleeps.
THREADS = 4
UNEXPECTED = "Something went wrong on the server. Try again in a moment."


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
class WorkshopService:
    """The store, the worker threads and the per-address limits on wrong codes."""

    db_url: str | None = None
    server_token: str = ""
    threads: int = THREADS
    gates: dict[str, Gate] = field(default_factory=dict)
    _store: Store | None = None
    _executor: ThreadPoolExecutor | None = None

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store(self.db_url)
        return self._store

    async def run(self, action: Callable[[], dict]) -> dict:
        if self._executor is None:
            threads = 1 if self.store.is_sqlite else self.threads
            self._executor = ThreadPoolExecutor(threads, thread_name_prefix="workshop")
        return await asyncio.get_running_loop().run_in_executor(self._executor, action)

    def join(self, address: str, code: str, name: str) -> dict:
        gate = self.gates.setdefault(address, Gate(self.store, max_tries=ROOM_TRIES))
        who = gate.attempt(lambda: workshops.join(self.store, code, name))
        if not gate.failures:
            self.gates.pop(address, None)  # only addresses that got codes wrong are kept
        return {"token": who.token, "name": who.name, **self._room(who, seen=None)}

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
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        if self._store is not None:
            self._store.close()


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


class ApiHandler(_Handler):
    """``POST workshop/api/<action>``: JSON in, JSON out, a plain message on failure."""

    async def post(self, action: str) -> None:
        try:
            answer = await self._answer(action)
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
        calls = {
            "join": lambda: self.service.join(
                self.request.remote_ip or "", _text(body, "code"), _text(body, "name")
            ),
            "room": lambda: self.service.room(_text(body, "token"), _number(body, "seen")),
            "answer": lambda: self.service.answer(
                _text(body, "token"), _number(body, "prompt") or 0, _text(body, "value")
            ),
            "leave": lambda: self.service.leave(_text(body, "token")),
        }
        return await self.service.run(calls[action])

    def _body(self) -> dict:
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise InvalidInput("The page sent something this server does not read; reload it.")
        if len(self.request.body) > MAX_BODY:
            raise InvalidInput(f"Keep the answer under {MAX_TEXT} characters; it was not sent.")
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise InvalidInput("The page sent something this server does not read; reload it.")
        return body


def _text(body: dict, key: str) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
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


def service_from_environment(threads: int = THREADS) -> WorkshopService:
    """As ``collab serve`` starts Voilà: the database and server token in its environment."""
    return WorkshopService(
        db_url=os.environ.get("COLLAB_DB_URL") or None,
        server_token=os.environ.get("COLLAB_SERVER_TOKEN", ""),
        threads=threads,
    )
