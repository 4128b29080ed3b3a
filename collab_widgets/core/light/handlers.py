"""The handlers a light page is made of: the page itself (:class:`PageHandler`) and its
JSON API (:class:`JsonHandler`), both asking for the server's token when it has one.

The API takes ``POST`` with a JSON object and answers JSON. A body over the handler's
``max_body`` is refused with 413 before it is read; a failure answers ``{error}`` with a
plain message the page shows as it is (and ``gone`` when the visitor's place no longer
exists: the page then stops); no traceback leaves the server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import os
import re
from typing import ClassVar

import tornado.httputil
import tornado.web

from collab_widgets.core.errors import (
    AccessDenied,
    CollabError,
    InvalidInput,
    NotFound,
    StoreUnavailable,
)
from collab_widgets.core.i18n import N_
from collab_widgets.core.light.service import LightService
from collab_widgets.core.model import encodable

# marked N_: a page in the visitor's language translates them (see JsonHandler.say)
UNEXPECTED = N_("Something went wrong on the server. Try again in a moment.")
UNREADABLE = N_("The page sent something this server does not read; reload it.")
NEEDS_TOKEN = N_("This server needs its token; open the full link again.")
LARGEST = 2**31 - 1  # PostgreSQL's integer
STATUS = {AccessDenied: 403, NotFound: 404, InvalidInput: 400, StoreUnavailable: 503}


class Gone(CollabError):
    """The visitor's place (or what it was in) no longer exists: the page stops."""


def _inline_hashes(page: str, tag: str) -> list[str]:
    blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", page, flags=re.DOTALL)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in blocks
    ]


def content_security_policy(page: str) -> str:
    """Only the page's own script and style run, and it talks to this server only."""
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


# ``collab serve --trusted-proxy``: the addresses of the proxies in front of the server (a
# JupyterHub's proxy, nginx), comma-separated
TRUSTED_PROXIES_VARIABLE = "COLLAB_TRUSTED_PROXIES"


def client_address(request: tornado.httputil.HTTPServerRequest) -> str:
    """Where a call comes from, for the wrong-code limits. Behind a proxy every call
    comes from the proxy; its X-Forwarded-For names the client, but anyone can send that
    header, so it is believed only from a trusted proxy, and only up to the nearest
    address that is not one (the proxy appends what it saw; what came before is the
    client's word)."""
    address = request.remote_ip or ""
    trusted = _trusted_proxies(os.environ.get(TRUSTED_PROXIES_VARIABLE, ""))
    if not _within(address, trusted):
        return address
    for hop in reversed(request.headers.get("X-Forwarded-For", "").split(",")):
        hop = hop.strip()
        if _address(hop) is None:
            return address  # not an address: the proxy's own is the one known
        if not _within(hop, trusted):
            return hop
    return address


def _trusted_proxies(setting: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Addresses or networks (``10.42.0.0/16``: a cluster's proxy pods), comma-separated."""
    return [
        ipaddress.ip_network(part.strip(), strict=False)
        for part in setting.split(",")
        if part.strip()
    ]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    # an IPv4 client on an IPv6 socket (::ffff:10.0.0.5) is that IPv4 address
    return getattr(found, "ipv4_mapped", None) or found


def _within(text: str, networks: list) -> bool:
    found = _address(text)
    return found is not None and any(found in network for network in networks)


class LightHandler(tornado.web.RequestHandler):
    def initialize(self, service: LightService) -> None:
        self.service = service

    @property
    def client_address(self) -> str:
        return client_address(self.request)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")

    def server_token_ok(self, given: str) -> bool:
        wanted = self.service.server_token
        return not wanted or hmac.compare_digest(given.encode(), wanted.encode())


class PageHandler(LightHandler):
    """A light page: the same bytes for everyone (its script reads the link), under a
    policy that lets only its own inline script and style run. A subclass sets ``page``."""

    page: ClassVar[str] = ""
    policy: ClassVar[str] = ""
    no_token_message = (
        "This server needs its token in the link. Open the full link you were given (it "
        "ends with token=…)."
    )

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.policy = content_security_policy(cls.page)

    def get(self) -> None:
        if not self.server_token_ok(self.get_query_argument("token", "")):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(self.no_token_message)
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", self.policy)
        self.finish(self.page)


@tornado.web.stream_request_body
class JsonHandler(LightHandler):
    """``POST`` JSON in, JSON out, a plain message on failure. A subclass answers in
    :meth:`answer` and raises :class:`~collab_widgets.core.errors.CollabError` for what
    the visitor should read. The body arrives in chunks (:meth:`data_received`): tornado
    would otherwise read a body of any length whole before the handler could refuse it."""

    max_body = 4 * 1024  # a light page's calls are small; one that carries text raises it
    too_long = "That is too long to send; it was not sent."

    def prepare(self) -> None:
        self._chunks: list[bytes] = []
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            # answered now; tornado reads the rest of the body away and closes the connection
            self.set_status(413)
            self.finish({"error": self.say(self.too_long)})
            return
        # a body without a length (chunked) is cut off at the limit by the connection
        self.request.connection.set_max_body_size(self.max_body)

    def data_received(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    async def post(self, *path_args: str) -> None:
        try:
            given = self.request.headers.get("Authorization", "").removeprefix("token ")
            if not self.server_token_ok(given):
                raise AccessDenied(NEEDS_TOKEN)
            answer = await self.answer(self._body(), *path_args)
        except Gone as exc:
            self.set_status(410)  # the page stops: nothing more to follow
            answer = {"error": self.say(exc), "gone": True}
        except CollabError as exc:
            status = next((s for kind, s in STATUS.items() if isinstance(exc, kind)), 400)
            self.set_status(status)
            answer = {"error": self.say(exc)}
        self.finish(answer)

    async def answer(self, body: dict, *path_args: str) -> dict:
        raise NotImplementedError

    def say(self, error: CollabError | str) -> str:
        """What the visitor reads for ``error`` (a refusal, or one of this module's texts);
        a page in the visitor's language translates it."""
        return str(error)

    def write_error(self, status_code: int, **kwargs) -> None:
        # anything unforeseen: logged by tornado with its traceback, a plain message here
        self.finish({"error": self.say(UNEXPECTED)})

    def _body(self) -> dict:
        if not self.request.headers.get("Content-Type", "").startswith("application/json"):
            raise InvalidInput(UNREADABLE)
        try:
            body = json.loads(b"".join(self._chunks) or b"{}")
        except (ValueError, RecursionError):  # not JSON, or nested deeper than Python reads
            body = None
        if not isinstance(body, dict):
            raise InvalidInput(UNREADABLE)
        return body


def text(body: dict, key: str) -> str:
    """The text at ``key`` ("" when absent); refused if it is not text a database stores."""
    value = body.get(key, "")
    if not isinstance(value, str) or not encodable(value):
        raise InvalidInput(UNREADABLE)
    return value


def number(body: dict, key: str) -> int | None:
    """The whole number at ``key`` (None when absent): an id, a level or a count, so
    never negative, and within what a database's integer column holds (a larger one would
    fail in the database instead of being refused)."""
    value = body.get(key)
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= LARGEST
    ):
        raise InvalidInput(UNREADABLE)
    return value
