"""A page's kernel ends with its page; a preheated kernel that died is never handed out;
kernels are reached over Unix sockets.

Kernels are counted from outside, as the server's processes that run ipykernel: nothing
here ends a kernel on a page's behalf.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import ServerProcess
from collab_widgets.team import links
from collab_widgets.team.store import members

from .conftest import READY, TIMEOUT_MS, make_demo_db

TEAM = "Grade 4 Math"
POOL_SIZE = 1
PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
POOLED = POOL_SIZE * len(links.WORKBOOKS)  # the presenter's page keeps none by default


def wait_for_kernels(server: ServerProcess, wanted, seconds: float) -> int:
    """Poll the server's kernel count until ``wanted(count)``; returns the last count."""
    deadline = time.monotonic() + seconds
    while True:
        count = len(server.kernel_processes())
        if wanted(count) or time.monotonic() > deadline:
            return count
        time.sleep(1)


@pytest.fixture
def served(tmp_path):
    url, demo = make_demo_db(tmp_path)
    log = tmp_path / "serve.log"
    server = ServerProcess(url, log, pool_size=POOL_SIZE, serve_args=("--abandoned-after", "20"))
    with server:
        assert wait_for_kernels(server, lambda n: n == POOLED, 120) == POOLED
        time.sleep(3)  # each pooled kernel has run its notebook up to the visitor's request
        yield server, demo, log


def test_every_workbook_ends_its_kernel_when_its_page_is_left_or_closed(served, open_page):
    server, demo, log = served
    team, token = demo.team_codes[TEAM], next(iter(demo.member_tokens[TEAM].values()))
    page = open_page(server.url(links.WORKBOOKS[0][0], team=team, member=token))
    for notebook, _ in links.WORKBOOKS[1:]:
        page.goto(server.url(notebook, team=team, member=token))
        page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    page.reload()
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    page.goto(server.url("07_workshop_presenter.ipynb", coach=demo.coach_code))
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    page.close(run_before_unload=True)

    left = wait_for_kernels(server, lambda n: n <= POOLED, 30)
    assert left <= POOLED, f"{left} kernels 30 s after the tab closed; the pool holds {POOLED}"
    assert "_xsrf' argument missing" not in log.read_text()


def test_a_page_gone_without_a_word_has_its_ticking_kernel_ended(served, open_page):
    server, demo, _ = served
    store = Store(server.db_url)
    scope = store.open_team(demo.team_codes[TEAM])
    facilitator = members.current_roles(scope)["facilitator"].name
    store.close()
    page = open_page(
        server.url(
            "01_protocols.ipynb",
            team=demo.team_codes[TEAM],
            member=demo.member_tokens[TEAM][facilitator],
        )
    )
    page.locator(".collab-protocol-choice select").select_option(label="Looking at data (58 min)")
    page.get_by_role("button", name="Start the protocol").click()
    expect(page.locator(".collab-countdown")).to_contain_text("left", timeout=15_000)
    assert len(server.kernel_processes()) == POOLED + 1

    # A lid closed: no beacon reaches the server, only the websocket goes.
    page.context.route("**/voila/api/shutdown/**", lambda route: route.abort())
    page.context.close()

    left = wait_for_kernels(server, lambda n: n <= POOLED, 60)
    assert left <= POOLED, f"the running protocol's kernel outlived its page ({left} kernels)"


def test_kernels_are_reached_over_unix_sockets_not_network_ports(served):
    """Kernels on loopback TCP ports raced other programs for them (a port taken between
    Jupyter choosing it and the kernel binding it killed the kernel, and a page waited a
    minute); a Unix socket in the server's private folder has no port to lose."""
    server, _, _ = served
    kernels = server.kernel_processes().values()
    assert kernels
    for kernel in kernels:
        connection_file = Path(next(a for a in kernel.cmdline() if a.endswith(".json")))
        info = json.loads(connection_file.read_text())
        assert info["transport"] == "ipc", info["transport"]
        sockets = [Path(f"{info['ip']}-{info[port]}") for port in PORTS]
        assert all(path.is_socket() for path in sockets), sockets
        assert connection_file.parent.stat().st_mode & 0o077 == 0  # only the server's user


def test_a_preheated_kernel_that_died_is_never_handed_to_a_visitor(served, open_page):
    server, demo, log = served
    for kernel in server.kernel_processes().values():  # every pooled kernel dies
        kernel.send_signal(signal.SIGKILL)
    time.sleep(5)

    page = open_page(server.url(team=demo.team_codes[TEAM]), wait_ready=False)
    # a kernel started and its notebook run while the visitor waits: longer than a pooled one
    expect(page.locator(READY)).to_have_count(1, timeout=3 * TIMEOUT_MS)
    assert "cannot serve a page" in log.read_text()
