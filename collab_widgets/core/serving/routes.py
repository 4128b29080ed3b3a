"""Voilà's routes as ``collab serve`` answers them: a bad address gets 400 or 404 and a plain
line, never a server error with a traceback in the log.

Voilà's standalone server lacks what some Jupyter Server pages need (their templates and a
``static_path``), so those pages failed while drawing themselves; some of its handlers take
any path as valid and fail on the ones that are not.
"""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import unquote

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.auth.logout import LogoutHandler
from jupyter_server.base.handlers import JupyterHandler
from tornado.web import HTTPError, RequestHandler
from tornado.websocket import WebSocketHandler
from voila.handler import BaseVoilaHandler
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import TemplateStaticFileHandler
from voila.tornado.handler import TornadoVoilaHandler


def refuse_control_characters(request) -> None:
    """A NUL or other control character in a path names no page or file (a redirect that
    carried one failed as an unsafe header)."""
    if any(ord(character) < 32 or ord(character) == 127 for character in unquote(request.path)):
        raise HTTPError(400, "control character in the address")


class PlainErrors(RequestHandler):
    """Errors as one plain line, drawn without templates (Jupyter Server's error pages need
    settings the standalone server does not have)."""

    def prepare(self):
        refuse_control_characters(self.request)
        return super().prepare()

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish(f"{status_code} {HTTPStatus(status_code).phrase}\n")


class SignedOutHandler(PlainErrors, JupyterHandler):
    """``/logout``: forgets the server token's cookie (``collab serve --token``) and says so."""

    @allow_unauthenticated
    def get(self):
        self.identity_provider.clear_login_cookie(self)
        self.set_header("Content-Type", "text/plain; charset=UTF-8")
        self.finish("You are signed out of this workbook server. Open your link again.\n")


class TemplateFileHandler(PlainErrors, TemplateStaticFileHandler):
    """A template's static files, at ``<template>/static/<file>`` only (Voilà's handler
    failed on any other path instead of answering 404)."""

    def parse_url_path(self, path: str) -> str:
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1] != "static" or not parts[0] or not parts[2]:
            raise HTTPError(404)
        return super().parse_url_path(path)


class RequestInfoHandler(RequestInfoSocketHandler):
    """Voilà's hand-over of a page's request (its query, and under a hub the page's
    session) to the preheated kernel, which asks from this machine: a call that came
    through a proxy is a browser's and is refused; what was handed over is not kept; and a
    socket that closes takes only its own place (Voilà's took the last one waiting, so a
    visitor could leave another page's kernel waiting for ever)."""

    def open(self, kernel_id: str) -> None:
        if "X-Forwarded-For" in self.request.headers:
            self.close()
            return
        RequestInfoSocketHandler._waiters[kernel_id] = self
        payload = RequestInfoSocketHandler._cache.pop(kernel_id, None)
        if payload is not None:
            self.write_message(payload)

    def on_close(self) -> None:
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id, waiter in list(waiters.items()):
            if waiter is self:
                del waiters[kernel_id]


def harden(routes: list, page_handler: type) -> list:
    """Voilà's ``routes`` with the workbook page served by ``page_handler``, the static and
    sign-out handlers above, and plain errors everywhere but on Voilà's own pages (which
    have an error page of their own) and websockets (which answer no page)."""
    hardened = []
    for pattern, handler, *rest in routes:
        if handler is TornadoVoilaHandler:
            handler = page_handler
        elif handler is RequestInfoSocketHandler:
            handler = RequestInfoHandler
        elif handler is TemplateStaticFileHandler:
            handler = TemplateFileHandler
        elif isinstance(handler, type) and issubclass(handler, LogoutHandler):
            handler = SignedOutHandler
        elif isinstance(handler, type) and not issubclass(
            handler, (BaseVoilaHandler, PlainErrors, WebSocketHandler)
        ):
            handler = type(handler.__name__, (PlainErrors, handler), {})
        hardened.append((pattern, handler, *rest))
    return hardened
