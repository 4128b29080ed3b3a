"""Browser tests: Debian's Chromium, driven by Playwright, against a real `collab serve`.

Every page is watched: a request to any host other than loopback fails the test (and is
blocked, so the page must work offline), and so does any JavaScript dialog (a sign that
user text ran as code).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import urlparse

import pytest

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess
from collab_widgets.demo.sample import seed_demo
from collab_widgets.team.store import members

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
READY = ".collab-ready"
TIMEOUT_MS = 60_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def browser():
    """A fresh Chromium per test. Playwright's sync API holds an asyncio loop in this thread
    while it runs; scoping it to one test keeps that loop out of every other test."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def make_demo_db(folder: Path):
    url = f"sqlite:///{folder / 'demo.sqlite'}"
    store = Store(url)
    demo = seed_demo(store)
    store.close()
    return url, demo


@contextlib.contextmanager
def protocol_links(folder: Path, team: str, others: int):
    """A server of its own on the demo data (a protocol run must not meet the other
    browser tests): the protocols page's personal links of ``team``'s facilitator and of
    ``others`` other members, in roster order."""
    url, demo = make_demo_db(folder)
    store = Store(url)
    scope = store.open_team(demo.team_codes[team])
    facilitator = members.current_roles(scope)["facilitator"].name
    rest = [m.name for m in members.roster(scope) if m.name != facilitator][:others]
    store.close()
    with ServerProcess(url, folder / "serve.log", pool_size=2) as server:
        yield [
            server.url(
                "01_protocols.ipynb",
                team=demo.team_codes[team],
                member=demo.member_tokens[team][name],
            )
            for name in (facilitator, *rest)
        ]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """One server with the demo teams for tests that do not restart it."""
    folder = tmp_path_factory.mktemp("served")
    url, demo = make_demo_db(folder)
    with ServerProcess(url, folder / "serve.log", pool_size=2) as server:
        yield server, demo


class PageWatch:
    """Records what a page must never do: leave the server or open a dialog."""

    def __init__(self):
        self.external: list[str] = []
        self.dialogs: list[str] = []

    def route(self, route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def open_page(browser):
    """``open_page(url)`` -> a page whose app is built; checks requests and dialogs after."""
    watch = PageWatch()
    contexts = []

    def opener(url: str, wait_ready: bool = True):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route("**/*", watch.route)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", watch.dialog)
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        if wait_ready:
            page.wait_for_selector(READY, timeout=TIMEOUT_MS)
        return page

    yield opener
    for context in contexts:
        context.close()
    assert watch.external == [], f"requests left the server: {watch.external}"
    assert watch.dialogs == [], f"a dialog opened (user text ran as code?): {watch.dialogs}"
