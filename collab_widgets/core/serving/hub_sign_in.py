"""Signing teachers and coaches in through the district's JupyterHub.

``collab serve`` started by a hub as a service (the hub gives it ``JUPYTERHUB_SERVICE_NAME``
and the rest of its ``JUPYTERHUB_*`` variables) identifies each workbook page's visitor
with the hub's OAuth, whatever authenticator the hub uses. The visitor's hub user reaches
the page's kernel as a session the server writes in the database
(:mod:`collab_widgets.core.db.hub`), whose secret is added to the page's query by the
server, never by the browser (a secret in the browser's own query is dropped); the kernel
opens only what that hub user is linked to.

Every ``check_seconds`` the server asks the hub about each user it signed in; one the hub
no longer has loses their sessions and links, which ends their open pages.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from urllib.parse import parse_qsl, quote, urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError
from tornado.httputil import HTTPServerRequest, parse_qs_bytes, url_concat
from tornado.web import HTTPError, RequestHandler

from collab_widgets.core.db import Store
from collab_widgets.core.db import hub as hub_store

T = TypeVar("T")
log = logging.getLogger(__name__)

# the query parameter that carries a page's session to its kernel (session.request_params)
SESSION_PARAMETER = "hub_session"
SERVICE_VARIABLE = "JUPYTERHUB_SERVICE_NAME"
CHECK_SECONDS = 60
LINKED_PER_ROUND = 50  # linked users asked about each round, beside those signed in here
CHECK_VARIABLE = "COLLAB_HUB_CHECK_SECONDS"  # how often an open page checks its sign-in


def running_as_hub_service(environ: dict[str, str] | None = None) -> bool:
    """Whether a JupyterHub started this process as a service (a user's own server has
    a hub token too, but no service name)."""
    env = os.environ if environ is None else environ
    return bool(env.get(SERVICE_VARIABLE) and env.get("JUPYTERHUB_API_TOKEN"))


def drop_session_from_browser(request: HTTPServerRequest) -> None:
    """A session secret comes from this server only: one in the address is dropped."""
    if SESSION_PARAMETER in request.query_arguments:
        _set_query(request, [p for p in _pairs(request) if p[0] != SESSION_PARAMETER])


def _pairs(request: HTTPServerRequest) -> list[tuple[str, str]]:
    return parse_qsl(request.query, keep_blank_values=True)


def _set_query(request: HTTPServerRequest, pairs: list[tuple[str, str]]) -> None:
    # Voilà hands ``request.query`` to the page's kernel (QUERY_STRING)
    request.query = urlencode(pairs)
    request.query_arguments = parse_qs_bytes(request.query, keep_blank_values=True)
    request.arguments = {key: list(values) for key, values in request.query_arguments.items()}


class HubSignIn:
    """The hub's OAuth for one server's workbook pages, and the watch on its users."""

    def __init__(
        self,
        db_url: str | None,
        check_seconds: int = CHECK_SECONDS,
        *,
        auth: object | None = None,
        service: str = "",
    ):
        if auth is None:
            from jupyterhub.services.auth import HubOAuth  # only servers under a hub need it

            auth = HubOAuth(cache_max_age=min(60, check_seconds))
        self.auth = auth  # the hub's OAuth, configured from the JUPYTERHUB_* variables
        self.service = service or os.environ[SERVICE_VARIABLE]
        self.check_seconds = check_seconds
        self.db_url = db_url
        self._store: Store | None = None
        self._worker = ThreadPoolExecutor(2, thread_name_prefix="hub-sign-in")
        self._watch: asyncio.Task | None = None
        self._missing_last_round: set[str] = set()
        self._next_linked = 0  # where the next share of linked users starts

    # --- the database, off the event loop ------------------------------------------------

    async def run(self, action: Callable[[Store], T]) -> T:
        def with_store() -> T:
            if self._store is None:
                self._store = Store(self.db_url)
            return action(self._store)

        return await asyncio.get_running_loop().run_in_executor(self._worker, with_store)

    # --- a workbook page -----------------------------------------------------------------

    async def sign_in(self, handler: RequestHandler) -> bool:
        """Hand the page's kernel the signed-in visitor's session; or send the visitor to
        the hub's sign-in (False: the response is the redirect)."""
        user = await self.visitor(handler)
        if user is None:
            self._redirect_to_login(handler)
            return False
        secret = await self.run(lambda store: hub_store.start_session(store, user, self.service))
        _set_query(handler.request, [*_pairs(handler.request), (SESSION_PARAMETER, secret)])
        return True

    async def visitor(self, handler: RequestHandler) -> str | None:
        """The hub user of the request (its sign-in cookie, or a token in its
        Authorization header), if the hub lets them use this service."""
        model = await self.auth.get_user(handler, sync=False)
        if not model or model.get("kind", "user") != "user":  # a service's token is nobody
            return None
        if not self.auth.check_scopes(self.auth.access_scopes, model):
            raise HTTPError(403, "the hub does not let this account use the workbook")
        return model["name"]

    def _redirect_to_login(self, handler: RequestHandler) -> None:
        params = {}
        verifier = None
        if self.auth.pkce_enabled:
            verifier, challenge, method = self.auth.generate_pkce_code_challenge()
            params = {"code_challenge": challenge, "code_challenge_method": method}
        params["state"] = self.auth.set_state_cookie(
            handler, next_url=handler.request.uri, code_verifier=verifier
        )
        handler.redirect(url_concat(self.auth.login_url, params))

    # --- the watch on the users it signed in -----------------------------------------------

    def start_watching(self) -> None:
        self._watch = asyncio.get_event_loop().create_task(self._watch_users())

    async def _watch_users(self) -> None:
        while True:
            await asyncio.sleep(self.check_seconds)
            try:
                await self.forget_removed_users()
            except Exception:  # the next round tries again; the pages keep their sessions
                log.warning("Could not check the hub's users", exc_info=True)

    async def forget_removed_users(self) -> list[str]:
        """End the pages and links of every user the hub no longer has: each round asks
        about the users this server signed in (their open pages end) and about a share
        of every linked user (so one removed while away loses their links too, before
        the name can be given to someone else). A user counts as removed when the hub
        said so in two rounds running, a hub that answers nothing ends nobody. Returns
        the names forgotten."""
        users = await self.run(lambda store: hub_store.signed_in_users(store, self.service))
        linked = await self.run(hub_store.linked_users)
        if linked:
            start = self._next_linked % len(linked)
            share = linked[start : start + LINKED_PER_ROUND]
            self._next_linked = start + LINKED_PER_ROUND
            users = sorted(set(users) | set(share))
        missing = {name for name in users if not await self._hub_has(name)}
        removed = sorted(missing & self._missing_last_round)
        self._missing_last_round = missing - set(removed)
        for name in removed:
            await self.run(
                lambda store, name=name: hub_store.forget_user(
                    store, name, "was removed from the hub"
                )
            )
            log.info("The hub no longer has %s: their pages end", name)
        return removed

    async def _hub_has(self, name: str) -> bool:
        """Only the hub's "no such user" counts as removed: a hub that cannot answer now
        ends nobody's page."""
        try:
            await AsyncHTTPClient().fetch(
                f"{self.auth.api_url}/users/{quote(name, safe='')}",
                headers={"Authorization": f"token {self.auth.api_token}"},
            )
        except HTTPClientError as exc:
            # the hub's own "no such user" is JSON; a wrong address's 404 (a proxy's
            # page) is not, and ends nobody
            answer = exc.response.headers.get("Content-Type", "") if exc.response else ""
            return not (exc.code == 404 and answer.startswith("application/json"))
        except OSError:
            log.warning("The hub did not answer about %s; asked again next round", name)
        return True

    def close(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
        self._worker.shutdown(wait=False, cancel_futures=True)
        if self._store is not None:
            self._store.close()


def hub_handlers(sign_in: HubSignIn, base: str) -> list[tuple]:
    """The OAuth callback the hub sends a signed-in visitor back to."""
    from jupyterhub.services.auth import HubOAuthCallbackHandler

    class CallbackHandler(HubOAuthCallbackHandler):
        def initialize(self) -> None:
            self.hub_auth = sign_in.auth

    return [(f"{base}oauth_callback", CallbackHandler)]


_active: list[HubSignIn] = []  # the server's own, once it signs in through a hub


def activate(sign_in: HubSignIn) -> None:
    _active[:] = [sign_in]


def active() -> HubSignIn | None:
    """This server's sign-in through the hub, for other routes that need to know who
    calls (the team export for a member's JupyterLab); None on a server without a hub."""
    return _active[0] if _active else None
