"""Voilà's hand-over of a page's request to its preheated kernel, as `collab serve` serves
it (routes.RequestInfoHandler): a browser behind the proxy cannot read it, what was
handed over is not kept, and one socket closing leaves the others' places alone."""

from __future__ import annotations

import asyncio
import json

import pytest
import tornado.web
from tornado.httpclient import HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect
from voila.request_info_handler import RequestInfoSocketHandler

from collab_widgets.core.serving.routes import RequestInfoHandler

KERNEL = "11111111-2222-3333-4444-555555555555"


@pytest.fixture(autouse=True)
def nothing_kept_between_tests():
    yield
    RequestInfoSocketHandler._waiters.clear()
    RequestInfoSocketHandler._cache.clear()


async def _serve():
    [sock] = bind_sockets(0, "127.0.0.1")
    server = HTTPServer(tornado.web.Application([(r"/voila/query/(.*)", RequestInfoHandler)]))
    server.add_sockets([sock])
    return server, f"ws://127.0.0.1:{sock.getsockname()[1]}/voila/query/"


def test_the_kernel_gets_its_request_once_and_nothing_is_kept():
    async def run():
        server, base = await _serve()
        RequestInfoSocketHandler.send_updates(
            {"kernel_id": KERNEL, "payload": {"QUERY_STRING": "hub_session=s"}}
        )
        kernel = await websocket_connect(base + KERNEL)
        got = await kernel.read_message()
        kernel.close()
        await asyncio.sleep(0.05)
        server.stop()
        return got

    assert json.loads(asyncio.run(run())) == {"QUERY_STRING": "hub_session=s"}
    assert KERNEL not in RequestInfoSocketHandler._cache
    assert KERNEL not in RequestInfoSocketHandler._waiters


def test_a_browser_through_the_proxy_is_refused_and_reads_nothing():
    async def run():
        server, base = await _serve()
        RequestInfoSocketHandler.send_updates({"kernel_id": KERNEL, "payload": {"A": "secret"}})
        browser = await websocket_connect(
            HTTPRequest(base + KERNEL, headers={"X-Forwarded-For": "203.0.113.9"})
        )
        got = await browser.read_message()  # None: closed without a word
        server.stop()
        return got

    assert asyncio.run(run()) is None
    assert RequestInfoSocketHandler._cache[KERNEL] == {"A": "secret"}  # still the kernel's


def test_a_socket_closing_leaves_the_waiting_kernel_in_its_place():
    """Voilà's own handler, when a socket no longer in its place closed, took the last
    place waiting: a second socket on one id, then the first one closing, left another
    page's kernel waiting for its request for ever."""
    other_id = "99999999-2222-3333-4444-555555555555"

    async def run():
        server, base = await _serve()
        first = await websocket_connect(base + other_id)
        kernel = await websocket_connect(base + KERNEL)
        second = await websocket_connect(base + other_id)  # takes the first one's place
        await asyncio.sleep(0.05)
        first.close()
        await asyncio.sleep(0.05)
        RequestInfoSocketHandler.send_updates({"kernel_id": KERNEL, "payload": {"Q": "1"}})
        got = await asyncio.wait_for(kernel.read_message(), 5)
        for socket in (kernel, second):
            socket.close()
        server.stop()
        return got

    assert json.loads(asyncio.run(run())) == {"Q": "1"}
