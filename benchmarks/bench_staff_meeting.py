"""Staff meeting benchmark: sixty teachers arriving over a minute at their team pages,
through two servers sharing one PostgreSQL database.

A fresh database is made on the PostgreSQL server of ``--postgres`` (default:
``COLLAB_TEST_POSTGRES_URL``), seeded with the demo (``seed_demo``) and enough more teams
of five (made with the same store functions: ``create_team``, ``members.add``, roles,
norms, a meeting) for every teacher to have a personal link of their own. Two (``--servers``)
real ``collab serve`` processes serve it, each with its own preheated pool (``--pool-size``)
of the one workbook measured (``--notebook``, default the start page, opened with the
teacher's personal link). Teams are split between the servers, as a route per server
would: a teacher always opens the server of their team.

* **Alone** (the baseline): ``--alone`` teachers of each kind of client, one at a time,
  alternating servers, each after both servers settled (pools full, every process quiet,
  and all of them together quiet) and each leaving as a visitor does (its page's beacon
  ends its kernel).
* **The meeting**: ``--teachers`` teachers (default 60) arrive at random moments (seeded)
  spread over ``--window`` seconds (default 60) and stay. ``--browsers`` of them (default
  10, spread over the arrivals) open their link in Chromium, each in a browser context of
  its own: their time to interactive is ``bench_start``'s (navigation → the page's ready
  marker, plus the first click's round trip to the kernel, by the page's own clock, with
  the same probe and journey). The others are raw clients (:class:`RawPage`): what a
  teacher's browser asks of the server, without the browser's own work, which in a
  meeting runs on each teacher's laptop and not on the server's cores.
* **Sitting open**: ``--idle-seconds`` with every page open and nobody doing anything:
  the CPU of the servers and their kernels, and the database's load from
  ``pg_stat_database`` (transactions, rows, blocks; deltas per second, per 100 open
  pages), and its connections.

Reported: per kind of client, p50 and p95 of the meeting's TTI and p95 / alone (the
median of that kind alone); judged on the Chromium pages (target ≤ 2×); the pool size and
how long each page's kernel had been running when the page asked; memory per kernel (RSS,
PSS, USS via psutil) and in total; CPU per arrival and per open page (so pages per core);
the database's load per 100 open pages and its connections; the load average along the
way. ``--refill-delay`` is ``collab serve --pool-refill-delay`` (how long before a kernel
taken from a pool is replaced; Voilà's default 1 s).
Nothing here fails on timing; the exit code is 1 only if the measurement could not run.

    python3 run.py bench staff                                    # 60 teachers over 60 s
    python3 run.py bench staff --pool-size 33 --refill-delay 900  # what met the target
    python3 run.py bench staff --teachers 10 --window 10          # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import random
import re
import struct
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp
import psutil
import yarl
from playwright.async_api import Browser, Page, async_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_start import (  # noqa: E402
    BEACON_WAIT_S,
    DEFAULT_JOURNEY,
    DONE_TIMEOUT_MS,
    JOURNEYS,
    MEMORY_SETTLE_S,
    READY_TIMEOUT_MS,
    TODAY,
    Journey,
    Phase,
    Served,
    probe_script,
    serving_folder,
    settle,
    wait_gone,
)
from harness import (  # noqa: E402
    chromium_version,
    cpu_between,
    cpu_percent,
    cpu_snapshot,
    fmt,
    fresh_postgres_database,
    machine,
    median,
    memory_mib,
    memory_total,
    pg_database_stats,
    pg_rates,
    postgres_backends,
    process_tree,
    quantile,
    ratio,
    run_until_stopped,
    write_results,
)

from collab_widgets.core.db import Store  # noqa: E402
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess  # noqa: E402
from collab_widgets.demo.sample import seed_demo  # noqa: E402
from collab_widgets.meetings import store as meetings  # noqa: E402
from collab_widgets.team.store import members, norms, teams  # noqa: E402

TARGET_RATIO = 2.0  # p95 of the meeting ≤ 2 × one teacher alone
TEAM_SIZE = 5
SAMPLE_S = 0.5  # the kernels and connections watched during the meeting
WARM_AGE_S = 20  # a page's kernel started longer ago than this was preheated and waiting
STATS_FLUSH_S = 12  # PostgreSQL's backends report their counters within 10 s of going idle
NORMS = {
    "time": "We start and end on time.",
    "listening": "One voice at a time.",
    "decision-making": "We decide by consensus, then fist to five.",
}


# --- the people -------------------------------------------------------------------------


@dataclass(frozen=True)
class Teacher:
    team: str
    name: str
    code: str  # the team's
    token: str  # their own
    server: int  # the server their team is routed to


def seed(db_url: str, wanted: int, servers: int) -> list[Teacher]:
    """The demo, then teams of five until ``wanted`` teachers have a link; returns them
    ordered so that consecutive teachers alternate between the servers."""
    store = Store(db_url)
    try:
        demo = seed_demo(store)
        per_team = [
            (team, demo.team_codes[team], list(tokens.items()))
            for team, tokens in demo.member_tokens.items()
        ]
        coach = store.open_coach(demo.coach_code)
        number = 0
        while sum(len(people) for *_, people in per_team) < wanted:
            number += 1
            name = f"Staff team {number:02d}"
            scope = teams.create_team(coach, name)
            added = [members.add(scope, f"Teacher {number:02d}-{i}") for i in range(TEAM_SIZE)]
            members.rotate_roles(scope)
            for category, text in NORMS.items():
                norms.add(scope, category, text)
            meetings.create(scope, dt.date.fromisoformat(TODAY), "Staff meeting")
            per_team.append((name, teams.team_code(scope), [(m.name, m.token) for m in added]))
    finally:
        store.close()
    queues: list[list[Teacher]] = [[] for _ in range(servers)]
    for index, (team, code, people) in enumerate(per_team):
        queues[index % servers] += [Teacher(team, n, code, t, index % servers) for n, t in people]
    ordered = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


# --- one teacher's page -----------------------------------------------------------------


@dataclass
class Visit:
    teacher: str
    team: str
    server: int
    kind: str  # "alone" or "meeting"
    client: str  # "chromium" (a page in the browser) or "raw" (RawPage)
    arrival_s: float = 0.0  # planned, from the meeting's start
    started_s: float | None = None  # navigation began, from the meeting's start
    ok: bool = False
    error: str = ""
    ready_ms: float | None = None
    click_ms: float | None = None
    tti_ms: float | None = None  # ready + click, by the page's own clock
    ttfb_ms: float | None = None
    html_ms: float | None = None
    clicked: str = ""
    kernel_id: str = ""
    memory_mib: dict | None = None  # the page's kernel, once the page sat open
    loadavg: float | None = None
    settle_s: float | None = None
    page_shut_kernel_down: bool | None = None  # alone visits: did the page end its kernel?
    started_at: float | None = None  # navigation began, the machine's clock (epoch s)
    kernel_age_s: float | None = None  # the page's kernel process had run this long then


READ_PROBE = """() => {
  const nav = performance.getEntriesByType("navigation")[0] || {};
  return {...window.__bench, ttfb: nav.responseStart, html: nav.responseEnd};
}"""


async def first_click(page: Page, journey: Journey) -> str:
    """``bench_start.first_click``, for Playwright's asyncio API."""
    kind, target = journey.click
    if kind == "tab":
        await page.get_by_role("tab", name=target, exact=True).click()
        return f"tab {target!r}"
    if kind == "css":
        await page.locator(target).first.click()
        return target
    tabs = page.locator(".jupyter-widgets .lm-TabBar-tab:not(.lm-mod-current)")
    if await tabs.count():
        label = (await tabs.first.inner_text()).strip()
        await tabs.first.click()
        return f"tab {label!r}"
    button = page.locator(".jupyter-widgets button:not([disabled])").first
    label = (await button.inner_text()).strip()
    await button.click()
    return f"button {label!r}"


async def open_page(browser: Browser, url: str, journey: Journey, visit: Visit, t0: float):
    """Open the teacher's link and do the journey's first click; returns the page's
    browser context (left open: the teacher stays)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        await context.add_init_script(probe_script(journey))
        page = await context.new_page()
        visit.loadavg = os.getloadavg()[0]
        visit.started_s = time.monotonic() - t0
        visit.started_at = time.time()
        await page.goto(url, wait_until="commit", timeout=READY_TIMEOUT_MS)
        await page.wait_for_function(
            "() => window.__bench.readyAt !== null", timeout=READY_TIMEOUT_MS
        )
        visit.clicked = await first_click(page, journey)
        await page.wait_for_function(
            "() => window.__bench.doneAt !== null", timeout=DONE_TIMEOUT_MS
        )
        probe = await page.evaluate(READ_PROBE)
        visit.ready_ms = probe["readyAt"]
        visit.click_ms = probe["doneAt"] - probe["clickAt"]
        visit.tti_ms = visit.ready_ms + visit.click_ms
        visit.ttfb_ms = probe["ttfb"]
        visit.html_ms = probe["html"]
        config = json.loads(await page.locator("#jupyter-config-data").text_content())
        visit.kernel_id = config["kernelId"]
        visit.ok = True
    except Exception as exc:  # a failed page is reported, not fatal
        visit.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return context


# --- a teacher's laptop, without the drawing ---------------------------------------------

JSON_PROTOCOL_VERSION = "5.3"
CONTROL_VERSION = "1.0.0"  # ipywidgets' control comm (request_states), as its page sends


def kernel_message(
    msg_type: str, content: dict, session: str, metadata: dict | None = None
) -> dict:
    """A Jupyter message as the page sends it on the kernel's websocket (JSON)."""
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "",
            "session": session,
            "date": dt.datetime.now(dt.UTC).isoformat(),
            "version": JSON_PROTOCOL_VERSION,
        },
        "parent_header": {},
        "metadata": metadata or {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


def read_frame(frame: aiohttp.WSMessage) -> dict | None:
    """A message from the kernel's websocket: JSON text, or binary with buffers (the
    JSON part first)."""
    if frame.type == aiohttp.WSMsgType.TEXT:
        return json.loads(frame.data)
    if frame.type == aiohttp.WSMsgType.BINARY:
        data = frame.data
        count = struct.unpack("!I", data[:4])[0]
        offsets = [struct.unpack("!I", data[4 * (i + 1) : 4 * (i + 2)])[0] for i in range(count)]
        end = offsets[1] if count > 1 else len(data)
        return json.loads(data[offsets[0] : end])
    return None


class RawPage:
    """What a teacher's browser asks of the server, without the browser's own work (on a
    teacher's own laptop in a meeting, not on the server's cores): the page (Voilà runs
    the notebook for it), the kernel's websocket, every widget's state (as ipywidgets'
    page asks: ``request_states``), then the first click as the widget message the page
    sends (the journey's tab chosen), until the kernel is idle after it. The websocket
    stays open until :meth:`close`, as an open page's does. Times on the harness's clock:
    ready = the page asked for → every widget's state received; click = the message sent
    → the kernel idle after handling it."""

    def __init__(self, url: str, tab: str):
        self.url, self.tab = url, tab
        self.session: aiohttp.ClientSession | None = None
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.base = url.split("/voila/", 1)[0]

    async def _until(self, wanted, timeout: float) -> dict:
        async with asyncio.timeout(timeout):
            while True:
                message = read_frame(await self.socket.receive())
                if message is not None and wanted(message):
                    return message

    async def open(self, visit: Visit, t0: float) -> None:
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None),
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies of 127.0.0.1 too
        )
        session_id = uuid.uuid4().hex
        try:
            visit.loadavg = os.getloadavg()[0]
            start = time.monotonic()
            visit.started_s = start - t0
            visit.started_at = time.time()
            async with self.session.get(self.url) as answer:
                first = await answer.content.readany()
                visit.ttfb_ms = (time.monotonic() - start) * 1000
                page = (first + await answer.read()).decode()
                if answer.status != 200:
                    raise RuntimeError(f"the page answered {answer.status}")
            visit.html_ms = (time.monotonic() - start) * 1000
            config = re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)
            visit.kernel_id = json.loads(config.group(1))["kernelId"]
            kernel = f"{self.base}/api/kernels/{visit.kernel_id}"
            async with self.session.get(kernel) as answer:
                await answer.read()
            self.socket = await self.session.ws_connect(
                f"{kernel}/channels?session_id={session_id}".replace("http", "ws", 1),
                max_msg_size=0,
            )
            timeout = READY_TIMEOUT_MS / 1000
            info = kernel_message("kernel_info_request", {}, session_id)
            await self.socket.send_json(info)
            await self._until(lambda m: m["msg_type"] == "kernel_info_reply", timeout)
            control = str(uuid.uuid4())
            opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
            await self.socket.send_json(
                kernel_message("comm_open", opening, session_id, {"version": CONTROL_VERSION})
            )
            ask = {"comm_id": control, "data": {"method": "request_states"}}
            await self.socket.send_json(kernel_message("comm_msg", ask, session_id))
            states = await self._until(
                lambda m: (
                    m["msg_type"] == "comm_msg"
                    and m["content"]["data"].get("method") == "update_states"
                ),
                timeout,
            )
            close = {"comm_id": control, "data": {}}
            await self.socket.send_json(kernel_message("comm_close", close, session_id))
            visit.ready_ms = (time.monotonic() - start) * 1000
            comm_id, index = self._tab(states["content"]["data"]["states"])
            update = {"method": "update", "state": {"selected_index": index}, "buffer_paths": []}
            click = kernel_message("comm_msg", {"comm_id": comm_id, "data": update}, session_id)
            sent = time.monotonic()
            await self.socket.send_json(click)
            await self._until(
                lambda m: (
                    m["msg_type"] == "status"
                    and m["parent_header"].get("msg_id") == click["header"]["msg_id"]
                    and m["content"].get("execution_state") == "idle"
                ),
                DONE_TIMEOUT_MS / 1000,
            )
            visit.click_ms = (time.monotonic() - sent) * 1000
            visit.tti_ms = visit.ready_ms + visit.click_ms
            visit.clicked = f"tab {index}"
            visit.ok = True
        except Exception as exc:  # a failed page is reported, not fatal
            visit.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"

    def _tab(self, states: dict) -> tuple[str, int]:
        """The widget tab to choose: the one titled as the journey says, else (the
        generic journey) the first tab of the first tab bar that is not already chosen."""
        for comm_id, model in states.items():
            state = model.get("state", {})
            if model.get("model_name") != "TabModel" or not state.get("titles"):
                continue
            titles = list(state["titles"])
            if self.tab:
                if self.tab in titles:
                    return comm_id, titles.index(self.tab)
                continue
            current = state.get("selected_index") or 0
            return comm_id, next(i for i in range(len(titles)) if i != current)
        raise RuntimeError(f"no tab {self.tab!r} among the page's widgets")

    async def leave(self, kernel_id: str) -> None:
        """As the page's shutdown beacon does when a visitor leaves: ask the server to end
        the page's kernel (with the XSRF cookie the page was given), then close."""
        xsrf = self.session.cookie_jar.filter_cookies(yarl.URL(self.base)).get("_xsrf")
        with contextlib.suppress(Exception):
            async with self.session.post(
                f"{self.base}/voila/api/shutdown/{kernel_id}",
                data={"_xsrf": xsrf.value if xsrf else ""},
            ) as answer:
                await answer.read()
        await self.close()

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.session is not None:
            await self.session.close()


# --- watching the servers during the meeting --------------------------------------------


class Watch(threading.Thread):
    """Every half second: the kernels each server holds, the database's connections and
    the load average, beside the pages opened so far on each server."""

    def __init__(self, servers: list[ServerProcess], db_url: str, opened: list[int]):
        super().__init__(daemon=True)
        self.servers, self.db_url, self.opened = servers, db_url, opened
        self.samples: list[dict] = []
        self.halt = threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        while not self.halt.is_set():
            connections = None
            kernels = [len(server.kernel_processes()) for server in self.servers]
            with contextlib.suppress(Exception):
                connections = pg_database_stats(self.db_url)["numbackends"]
            self.samples.append(
                {
                    "t": time.monotonic() - self.t0,
                    "kernels": kernels,
                    "opened": list(self.opened),
                    "connections": connections,
                    "loadavg": os.getloadavg()[0],
                }
            )
            self.halt.wait(SAMPLE_S)


# --- the processes, from outside --------------------------------------------------------


@dataclass
class Processes:
    servers: list[ServerProcess]
    database: str
    browser_pid: int | None = None

    def groups(self) -> dict[str, list[psutil.Process]]:
        """The servers (each ``collab serve`` and its Voilà), their kernels, PostgreSQL's
        backends for this database, and the browser."""
        kernels, servers = [], []
        for server in self.servers:
            found = {p.pid for p in server.kernel_processes().values()}
            for process in process_tree(server.process.pid):
                (kernels if process.pid in found else servers).append(process)
        browser = process_tree(self.browser_pid) if self.browser_pid else []
        return {
            "servers": servers,
            "kernels": kernels,
            "postgres": postgres_backends(self.database),
            "browser": browser,
        }

    def cpu(self) -> dict[str, dict]:
        return {name: cpu_snapshot(found) for name, found in self.groups().items()}


def cpu_used(before: dict[str, dict], after: dict[str, dict]) -> dict[str, float]:
    return {name: cpu_between(before[name], after[name]) for name in after}


def browser_pid() -> int | None:
    """Chromium's main process: the child of Playwright's driver that runs it."""
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if process.exe() == CHROMIUM or process.name() in ("chromium", "chrome"):
                parent = process.parent()
                if parent and parent.name() not in ("chromium", "chrome"):
                    return process.pid
    return None


# --- the run ----------------------------------------------------------------------------

QUIET_TOTAL_PERCENT = 30.0  # every server's processes together, % of one core


def settle_all(served: list[Served], timeout: float) -> float:
    """``bench_start.settle`` (every pool full, each process quiet), then until the
    servers and all their kernels *together* are quiet for two seconds running: with
    dozens of kernels starting at once each one alone stays under bench_start's threshold
    while together they hold both cores. Returns the seconds waited."""
    start = time.monotonic()
    settle(served, timeout)
    quiet = 0
    while time.monotonic() - start < timeout and quiet < 2:
        processes = [p for s in served for p in process_tree(s.server.process.pid)]
        quiet = quiet + 1 if cpu_percent(processes, 1.0) < QUIET_TOTAL_PERCENT else 0
    if quiet < 2:
        print(f"    (servers not quiet after {timeout:.0f}s; measuring anyway)", flush=True)
    return time.monotonic() - start


def arrivals(count: int, window: float, seed: int) -> list[float]:
    """``count`` moments spread at random over ``window`` seconds, in order; the first
    teacher arrives at 0."""
    rng = random.Random(seed)
    moments = sorted(rng.uniform(0, window) for _ in range(count))
    return [m - moments[0] for m in moments] if moments else []


def chromium_places(teachers: int, browsers: int) -> set[int]:
    """Which of the teachers (by arrival) open their page in Chromium: ``browsers`` of
    them, spread evenly over the arrivals."""
    return {int((j + 0.5) * teachers / browsers) for j in range(browsers)} if browsers else set()


def link(server: ServerProcess, notebook: str, teacher: Teacher) -> str:
    return server.url(notebook, team=teacher.code, member=teacher.token)


def raw_tab(journey: Journey) -> str:
    """The tab a raw client chooses for the journey's first click ("" for the generic
    journey's first tab not already open)."""
    kind, target = journey.click
    if kind == "tab":
        return target
    if kind == "auto":
        return ""
    raise SystemExit(f"a raw client cannot do the first click {journey.click}")


async def visit_page(
    browser: Browser, url: str, journey: Journey, visit: Visit, t0: float
) -> tuple[object, RawPage | None]:
    """Open the page as its kind of client does; returns what to close later."""
    if visit.client == "chromium":
        return await open_page(browser, url, journey, visit, t0), None
    raw = RawPage(url, raw_tab(journey))
    await raw.open(visit, t0)
    return None, raw


async def alone(
    browser: Browser,
    servers: list[ServerProcess],
    served: list[Served],
    notebook: str,
    teachers: list[tuple[Teacher, str]],
    settle_timeout: float,
    refill_delay: float | None = None,
) -> list[Visit]:
    """One teacher at a time, each after the servers settled, each leaving as a visitor
    does (the page's beacon ends its kernel). With a refill delay, the kernel a visit takes
    is replaced only after it: the pool to wait for is one smaller."""
    journey = JOURNEYS.get(notebook, DEFAULT_JOURNEY)
    visits = []
    for teacher, client in teachers:
        waited = await asyncio.to_thread(settle_all, served, settle_timeout)
        visit = Visit(teacher.name, teacher.team, teacher.server, "alone", client, settle_s=waited)
        if refill_delay:
            served[teacher.server].pool -= 1
        server = servers[teacher.server]
        url = link(server, notebook, teacher)
        context, raw = await visit_page(browser, url, journey, visit, time.monotonic())
        kernel = None
        if visit.kernel_id:
            await asyncio.sleep(MEMORY_SETTLE_S)
            kernel = server.kernel_processes().get(visit.kernel_id)
            visit.memory_mib = memory_mib(kernel) if kernel else None
        if context is not None:
            with contextlib.suppress(Exception):
                await context.pages[0].goto("about:blank")  # leave: the page's beacon
            await context.close()
        if raw is not None:
            await raw.leave(visit.kernel_id)
        if visit.kernel_id:
            visit.page_shut_kernel_down = await asyncio.to_thread(wait_gone, kernel, BEACON_WAIT_S)
            if not visit.page_shut_kernel_down:
                served[teacher.server].bound.add(visit.kernel_id)
        visits.append(visit)
        print_visit(visit)
    return visits


async def meeting(
    browser: Browser,
    servers: list[ServerProcess],
    notebook: str,
    teachers: list[tuple[Teacher, str]],
    moments: list[float],
    watch: Watch,
    timeout: float,
) -> tuple[list[Visit], list]:
    """Every teacher arrives at their moment and stays; returns the visits and what to
    close (browser contexts and raw pages, still open)."""
    journey = JOURNEYS.get(notebook, DEFAULT_JOURNEY)
    t0 = time.monotonic()
    watch.t0 = t0

    async def arrive(teacher: Teacher, client: str, moment: float) -> tuple[Visit, list]:
        await asyncio.sleep(max(0.0, t0 + moment - time.monotonic()))
        visit = Visit(
            teacher.name, teacher.team, teacher.server, "meeting", client, arrival_s=moment
        )
        watch.opened[teacher.server] += 1
        url = link(servers[teacher.server], notebook, teacher)
        opened = await visit_page(browser, url, journey, visit, t0)
        print_visit(visit)
        return visit, [o for o in opened if o is not None]

    tasks = [
        asyncio.create_task(arrive(teacher, client, moment))
        for (teacher, client), moment in zip(teachers, moments, strict=True)
    ]
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    results = [task.result() for task in tasks if task in done and not task.exception()]
    return [v for v, _ in results], [o for _, opened in results for o in opened]


def print_visit(visit: Visit) -> None:
    where = f"server {'AB'[visit.server] if visit.server < 2 else visit.server}"
    if not visit.ok:
        print(
            f"  {visit.kind:<7} {visit.client:<8} {visit.teacher:<16} {where}  FAILED: "
            f"{visit.error}",
            flush=True,
        )
        return
    ended = ""
    if visit.page_shut_kernel_down is not None:
        ended = "  ended its kernel" if visit.page_shut_kernel_down else "  LEFT ITS KERNEL"
    print(
        f"  {visit.kind:<7} {visit.client:<8} {visit.teacher:<16} {where}  at "
        f"{visit.started_s:5.1f} s  "
        f"ready {visit.ready_ms:6.0f} ms  click {visit.click_ms:5.0f} ms  "
        f"TTI {visit.tti_ms:6.0f} ms  (load {visit.loadavg:.1f}){ended}",
        flush=True,
    )


def spread(values: list[float]) -> dict:
    return {
        "count": len(values),
        "median": median(values),
        "p95": quantile(values, 95),
        "min": min(values, default=None),
        "max": max(values, default=None),
    }


async def measure(args: argparse.Namespace, db_url: str, folder: Path, tmp: Path) -> dict:
    kinds = [
        k for k, n in (("chromium", args.browsers), ("raw", args.teachers - args.browsers)) if n
    ]
    total = args.teachers + args.alone * len(kinds)
    print(f"Seeding the demo and teams for {total} teachers …", flush=True)
    people = seed(db_url, total, args.servers)
    in_browser = chromium_places(args.teachers, args.browsers)
    teachers = [
        (teacher, "chromium" if index in in_browser else "raw")
        for index, teacher in enumerate(people[: args.teachers])
    ]
    # alone: the kinds in turn, and (as people alternate) the servers in turn
    lonely = [(t, kinds[i % len(kinds)]) for i, t in enumerate(people[args.teachers : total])]
    database = db_url.rsplit("/", 1)[-1].split("?")[0]
    moments = arrivals(args.teachers, args.window, args.seed)
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(
                ServerProcess(
                    db_url,
                    tmp / f"server-{i}.log",
                    pool_size=args.pool_size,
                    workbooks=folder,
                    extra_env={"COLLAB_TODAY": TODAY},
                    serve_args=(
                        []
                        if args.refill_delay is None
                        else ["--pool-refill-delay", f"{args.refill_delay:g}"]
                    ),
                )
            )
            for i in range(args.servers)
        ]
        served = [Served(server, args.pool_size) for server in servers]
        print(
            f"{args.servers} servers on ports {', '.join(str(s.port) for s in servers)}, "
            f"pool size {args.pool_size} each; filling the pools …",
            flush=True,
        )
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
            )
            processes = Processes(servers, database, browser_pid())
            opened: list = []
            try:
                alone_visits = await alone(
                    browser,
                    servers,
                    served,
                    args.notebook,
                    lonely,
                    args.settle_timeout,
                    args.refill_delay,
                )
                waited = await asyncio.to_thread(settle_all, served, args.settle_timeout)
                memory_before = {
                    name: memory_total(found) for name, found in processes.groups().items()
                }
                load_before = os.getloadavg()
                print(
                    f"Settled in {waited:.0f} s (load average {load_before[0]:.2f}); "
                    f"{args.teachers} teachers arrive over {args.window:g} s …",
                    flush=True,
                )
                watch = Watch(servers, db_url, [0] * args.servers)
                cpu_start = processes.cpu()
                watch.start()
                visits, opened = await meeting(
                    browser,
                    servers,
                    args.notebook,
                    teachers,
                    moments,
                    watch,
                    args.window + READY_TIMEOUT_MS / 1000 + 60,
                )
                cpu_wave = processes.cpu()
                wave_seconds = time.monotonic() - watch.t0
                load_after_wave = os.getloadavg()
                watch.halt.set()
                watch.join()

                print(
                    f"Every page open; sitting for {STATS_FLUSH_S} s, then measuring "
                    f"{args.idle_seconds:g} s of quiet …",
                    flush=True,
                )
                await asyncio.sleep(STATS_FLUSH_S)
                cpu_idle_start, pg_start = processes.cpu(), pg_database_stats(db_url)
                await asyncio.sleep(args.idle_seconds)
                cpu_idle_end, pg_end = processes.cpu(), pg_database_stats(db_url)
                load_idle = os.getloadavg()
                memory = await asyncio.to_thread(memory_now, processes, servers, visits)
            finally:
                for thing in opened:
                    with contextlib.suppress(Exception):
                        await thing.close()
                await browser.close()
    return {
        "teachers": [{"team": t.team, "name": t.name, "server": t.server} for t in people[:total]],
        "alone": alone_visits,
        "meeting": visits,
        "arrivals_s": moments,
        "wave_seconds": wave_seconds,
        "cpu_wave_s": cpu_used(cpu_start, cpu_wave),
        "cpu_idle_s": cpu_used(cpu_idle_start, cpu_idle_end),
        "idle_seconds": pg_end["at"] - pg_start["at"],
        "pg_before": pg_start,
        "pg_after": pg_end,
        "pg_rates_per_s": pg_rates(pg_start, pg_end),
        "memory_before_mib": memory_before,
        "memory_mib": memory,
        "watch": watch.samples,
        "loadavg": {
            "before_meeting": load_before,
            "after_meeting": load_after_wave,
            "after_idle": load_idle,
        },
    }


def memory_now(processes: Processes, servers: list[ServerProcess], visits: list[Visit]) -> dict:
    """Each open page's kernel (RSS, PSS, USS), the other kernels (the pools), and each
    group of processes in total."""
    page_kernels = {v.kernel_id: v for v in visits if v.kernel_id}
    spare = []
    for server in servers:
        for kernel_id, process in server.kernel_processes().items():
            memory = memory_mib(process)
            if kernel_id in page_kernels:
                visit = page_kernels[kernel_id]
                visit.memory_mib = memory
                with contextlib.suppress(psutil.Error, TypeError):
                    visit.kernel_age_s = visit.started_at - process.create_time()
            elif memory:
                spare.append(memory)
    groups = processes.groups()
    return {
        "groups": {name: memory_total(found) for name, found in groups.items()},
        "spare_kernels": spare,
        "machine_used_mib": (psutil.virtual_memory().total - psutil.virtual_memory().available)
        / 2**20,
    }


def summarise(args: argparse.Namespace, result: dict) -> dict:
    by_kind, ratios = {}, []
    for kind in ("chromium", "raw"):
        lonely = [v.tti_ms for v in result["alone"] if v.ok and v.client == kind]
        mine = [v for v in result["meeting"] if v.ok and v.client == kind]
        if not lonely and not mine:
            continue
        base = median(lonely)
        tti = [v.tti_ms for v in mine]
        ratios += [t / base for t in tti] if base else []
        by_kind[kind] = {
            "alone_tti_ms": spread(lonely),
            "meeting_tti_ms": spread(tti),
            "meeting_ready_ms": spread([v.ready_ms for v in mine]),
            "meeting_click_ms": spread([v.click_ms for v in mine]),
            "meeting_html_ms": spread([v.html_ms for v in mine if v.html_ms is not None]),
            "alone_html_ms": spread(
                [v.html_ms for v in result["alone"] if v.ok and v.client == kind and v.html_ms]
            ),
            "p95_over_alone": ratio(quantile(tti, 95), base),
            "p50_over_alone": ratio(median(tti), base),
        }
    # judged on the Chromium pages: time to interactive as bench_start defines it, the
    # browser's own work included; the raw clients' share is the server's alone
    judged = (by_kind.get("chromium") or by_kind.get("raw") or {}).get("p95_over_alone")
    opened = sum(v.ok for v in result["meeting"])
    page_memory = [v.memory_mib for v in result["meeting"] if v.memory_mib]
    groups = result["memory_mib"]["groups"]
    cores = os.cpu_count() or 1
    wave_cpu = result["cpu_wave_s"]
    idle_cpu = result["cpu_idle_s"]
    idle = result["idle_seconds"]
    server_side_wave = wave_cpu["servers"] + wave_cpu["kernels"]
    server_side_idle = idle_cpu["servers"] + idle_cpu["kernels"]
    per_page_idle = server_side_idle / idle / opened if opened else None  # cores per page
    arrival_cpu = server_side_wave / opened if opened else None  # CPU s per arrival
    per_100 = {
        key: value * 100 / opened if opened else None
        for key, value in result["pg_rates_per_s"].items()
    }
    spare_pss = [m["pss"] for m in result["memory_mib"]["spare_kernels"]]
    aged = [v for v in result["meeting"] if v.ok and v.kernel_age_s is not None]
    return {
        "opened": opened,
        "failed": len(result["meeting"]) - opened + (args.teachers - len(result["meeting"])),
        "by_client": by_kind,
        "judged_on": "chromium" if "chromium" in by_kind else "raw",
        "p95_over_alone": judged,
        # each page's TTI over the median of its own kind alone, every page: p95 and p50
        "every_page_p95_over_alone": quantile(ratios, 95),
        "every_page_p50_over_alone": median(ratios),
        "target_met": None if judged is None else judged <= TARGET_RATIO,
        "page_kernel_mib": {
            key: spread([m[key] for m in page_memory]) for key in ("rss", "pss", "uss")
        },
        "spare_kernel_pss_mib": spread(spare_pss),
        "memory_total_mib": {
            "servers_and_kernels_pss": groups["servers"]["pss"] + groups["kernels"]["pss"],
            "kernels_pss": groups["kernels"]["pss"],
            "kernels_rss": groups["kernels"]["rss"],
            "servers_pss": groups["servers"]["pss"],
            "postgres_backends_pss": groups["postgres"]["pss"],
            "browser_pss": groups["browser"]["pss"],
            "kernels": groups["kernels"]["processes"],
        },
        "cpu": {
            "cores": cores,
            "wave_s": wave_cpu,
            "wave_seconds": result["wave_seconds"],
            "server_side_cpu_s_per_arrival": arrival_cpu,
            "arrivals_per_core_minute": ratio(60, arrival_cpu),
            "idle_s": idle_cpu,
            "idle_core_share_per_open_page": per_page_idle,
            "open_pages_per_core_idle": ratio(1, per_page_idle),
            "postgres_idle_core_share_per_100_pages": idle_cpu["postgres"] / idle / opened * 100
            if opened
            else None,
        },
        "db": {
            "per_second": result["pg_rates_per_s"],
            "per_second_per_100_open_pages": per_100,
            "connections_idle": result["pg_after"]["numbackends"],
            "connections_peak": max(
                (s["connections"] for s in result["watch"] if s.get("connections") is not None),
                default=None,
            ),
        },
        # a kernel started less than WARM_AGE_S before its page asked was still starting
        "warm_pages": sum(v.kernel_age_s >= WARM_AGE_S for v in aged),
        "cold_pages": sum(v.kernel_age_s < WARM_AGE_S for v in aged),
        "warm_tti_ms": spread([v.tti_ms for v in aged if v.kernel_age_s >= WARM_AGE_S]),
        "cold_tti_ms": spread([v.tti_ms for v in aged if v.kernel_age_s < WARM_AGE_S]),
        "loadavg": result["loadavg"],
    }


def report(args: argparse.Namespace, summary: dict) -> None:
    s = summary
    print()
    print(
        f"Staff meeting: {s['opened']} of {args.teachers} teachers' pages opened over "
        f"{args.window:g} s through {args.servers} servers (pool size {args.pool_size} each, "
        f"{args.notebook}; {args.browsers} in Chromium, the others raw"
        f"{'' if args.refill_delay is None else f'; refill delay {args.refill_delay:g} s'}); "
        f"{s['failed']} failed"
    )
    print("Time to interactive (ready + first click), ms:")
    for kind, k in s["by_client"].items():
        alone, meet = k["alone_tti_ms"], k["meeting_tti_ms"]
        print(
            f"  {kind:<8} alone: median {fmt(alone['median'])} ({alone['count']} visits, "
            f"{fmt(alone['min'])}–{fmt(alone['max'])});  meeting: p50 {fmt(meet['median'])}, "
            f"p95 {fmt(meet['p95'])}, max {fmt(meet['max'])} ({meet['count']} pages; ready p95 "
            f"{fmt(k['meeting_ready_ms']['p95'])}, click p95 {fmt(k['meeting_click_ms']['p95'])}"
            f"); p95 / alone {fmt(k['p95_over_alone'], '.2f')}×"
        )
    verdict = {None: "not measured", True: "MET", False: "NOT MET"}[s["target_met"]]
    print(
        f"  every page against its own kind alone: p95 "
        f"{fmt(s['every_page_p95_over_alone'], '.2f')}× (p50 "
        f"{fmt(s['every_page_p50_over_alone'], '.2f')}×)"
    )
    print(
        f"  judged on the {s['judged_on']} pages: p95 / alone {fmt(s['p95_over_alone'], '.2f')}×;"
        f" target ≤ {TARGET_RATIO:g}×: {verdict}"
    )
    print(
        f"  {s['warm_pages']} pages were given a kernel started ≥ {WARM_AGE_S:g} s before they "
        f"asked (TTI p50 "
        f"{fmt(s['warm_tti_ms']['median'])}, p95 {fmt(s['warm_tti_ms']['p95'])} ms), "
        f"{s['cold_pages']} one started since (p50 {fmt(s['cold_tti_ms']['median'])}, "
        f"p95 {fmt(s['cold_tti_ms']['p95'])} ms)"
    )
    page = s["page_kernel_mib"]
    total = s["memory_total_mib"]
    print(
        f"Memory: a page's kernel RSS {fmt(page['rss']['median'], '.1f')} MiB, PSS "
        f"{fmt(page['pss']['median'], '.1f')} MiB, USS {fmt(page['uss']['median'], '.1f')} MiB "
        f"(medians); a spare (pooled) kernel PSS {fmt(s['spare_kernel_pss_mib']['median'], '.1f')}"
        f" MiB"
    )
    print(
        f"  servers and all {total['kernels']} kernels together: PSS "
        f"{fmt(total['servers_and_kernels_pss'] / 1024, '.2f')} GiB (kernels "
        f"{fmt(total['kernels_pss'] / 1024, '.2f')} GiB PSS, "
        f"{fmt(total['kernels_rss'] / 1024, '.2f')} GiB RSS; "
        f"servers {fmt(total['servers_pss'], '.0f')} MiB); PostgreSQL's backends "
        f"{fmt(total['postgres_backends_pss'], '.0f')} MiB; the browser (not the servers') "
        f"{fmt(total['browser_pss'] / 1024, '.2f')} GiB"
    )
    cpu = s["cpu"]
    wave = cpu["wave_s"]
    print(
        f"CPU over the meeting ({fmt(cpu['wave_seconds'], '.0f')} s, {cpu['cores']} cores): "
        f"servers {wave['servers']:.1f} s, kernels {wave['kernels']:.1f} s (the pools' refills "
        f"included), PostgreSQL {wave['postgres']:.1f} s, browser {wave['browser']:.1f} s"
    )
    print(
        f"  server side per arrival {fmt(cpu['server_side_cpu_s_per_arrival'], '.2f')} CPU s = "
        f"{fmt(cpu['arrivals_per_core_minute'], '.0f')} arrivals per core per minute"
    )
    print(
        f"  sitting open: {fmt((cpu['idle_core_share_per_open_page'] or 0) * 100, '.3f')}% of a "
        f"core per page = {fmt(cpu['open_pages_per_core_idle'], '.0f')} open pages per core; "
        f"PostgreSQL {fmt(cpu['postgres_idle_core_share_per_100_pages'] * 100, '.2f')}% of a "
        f"core per 100 pages"
    )
    db = s["db"]["per_second_per_100_open_pages"]
    print(
        f"Database per 100 open pages, per second: {db['xact_commit']:.2f} commits, "
        f"{db['tup_fetched']:.1f} rows fetched, {db['tup_returned']:.1f} returned, "
        f"{db['blks_hit']:.1f} blocks hit, {db['blks_read']:.2f} read; connections "
        f"{fmt(s['db']['connections_idle'])} sitting open (peak "
        f"{fmt(s['db']['connections_peak'])})"
    )
    load = s["loadavg"]
    print(
        f"Load average (1 min): {load['before_meeting'][0]:.2f} before the meeting, "
        f"{load['after_meeting'][0]:.2f} after it, {load['after_idle'][0]:.2f} after sitting"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teachers", type=int, default=60, help="arriving (default 60)")
    parser.add_argument("--window", type=float, default=60, help="seconds they arrive over")
    parser.add_argument(
        "--browsers",
        type=int,
        default=10,
        help="teachers whose page opens in Chromium (default 10); the others are raw clients "
        "(RawPage), as their browsers' work is on their own laptops, not the server's cores",
    )
    parser.add_argument(
        "--alone", type=int, default=3, help="baseline visits of each kind, one at a time"
    )
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--pool-size", type=int, default=2, help="preheated kernels per server")
    parser.add_argument("--notebook", default="00_start_here.ipynb")
    parser.add_argument(
        "--refill-delay",
        type=float,
        default=None,
        help="seconds before a kernel taken from a pool is replaced: `collab serve "
        "--pool-refill-delay` (default 1)",
    )
    parser.add_argument("--idle-seconds", type=float, default=60, help="pages sitting open")
    parser.add_argument("--seed", type=int, default=28, help="of the arrival moments")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("COLLAB_TEST_POSTGRES_URL"),
        help="a PostgreSQL server's URL whose user may create databases "
        "(default: COLLAB_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--settle-timeout", type=float, default=600)
    parser.add_argument("--workbooks", type=Path, default=ROOT / "workbooks")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if not args.postgres:
        parser.error("give --postgres URL or set COLLAB_TEST_POSTGRES_URL")
    if not 0 <= args.browsers <= args.teachers:
        parser.error("--browsers must be between 0 and --teachers")
    if args.teachers < 1 or args.alone < 1 or args.servers < 1 or args.pool_size < 1:
        parser.error("--teachers, --alone, --servers and --pool-size must be at least 1")
    if not (args.workbooks / args.notebook).exists():
        parser.error(f"no {args.notebook} in {args.workbooks}")
    return args


def run(args: argparse.Namespace) -> int:
    started = dt.datetime.now()
    print(
        f"Staff meeting benchmark: {args.teachers} teachers over {args.window:g} s, "
        f"{args.servers} servers, pool size {args.pool_size}, {args.notebook}, "
        f"{chromium_version()}, {os.cpu_count()} CPU(s), load average "
        f"{os.getloadavg()[0]:.2f}, memory available "
        f"{psutil.virtual_memory().available / 2**30:.1f} GiB",
        flush=True,
    )
    with (
        tempfile.TemporaryDirectory(prefix="collab-bench-staff-") as tmp_name,
        fresh_postgres_database(args.postgres, "collab_bench_staff") as db_url,
    ):
        tmp = Path(tmp_name)
        folder = serving_folder(
            tmp / "workbooks", Phase("staff", [args.notebook]), args.workbooks, args.workbooks
        )
        try:
            result = asyncio.run(measure(args, db_url, folder, tmp))
        except Exception:
            for log in sorted(tmp.glob("server-*.log")):
                print(f"\nEnd of {log.name}:")
                print("\n".join(log.read_text(errors="replace").splitlines()[-30:]))
            raise
    summary = summarise(args, result)
    report(args, summary)
    settings = {
        key: getattr(args, key)
        for key in ("teachers", "browsers", "window", "alone", "servers", "pool_size", "notebook")
    }
    settings |= {
        "idle_seconds": args.idle_seconds,
        "seed": args.seed,
        "target": TARGET_RATIO,
        "refill_delay": args.refill_delay,
    }
    out = write_results(
        args.results,
        "staff-",
        started,
        {
            "benchmark": "bench_staff_meeting",
            "started": started.isoformat(timespec="seconds"),
            "settings": settings,
            "machine": machine(),
            "summary": summary,
            "visits": [asdict(v) for v in result["alone"] + result["meeting"]],
            "raw": {
                key: result[key]
                for key in (
                    "teachers",
                    "arrivals_s",
                    "cpu_wave_s",
                    "cpu_idle_s",
                    "pg_before",
                    "pg_after",
                    "memory_before_mib",
                    "memory_mib",
                    "watch",
                )
            },
        },
    )
    print(f"\nResults written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
