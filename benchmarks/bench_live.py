"""Live board benchmark: a note added on one page, shown on seven others; idle polling's CPU.

Eight members of one team each open their personal link to the protocols workbook in a
browser context of their own (one Chromium, one real ``collab serve``, SQLite). The
facilitator starts a chalk talk and moves to its silent-writing board. Then, round after
round, one page (each in turn) presses "New note" and types a note. The harness records

* **typed**: when the text went into the box (the page's ``Date.now()``, just before
  Playwright types it);
* **saved**: when the note is in the store (the harness reads the table every 20 ms);
* **shown**: on each of the seven other pages, when the note's text first appears on
  its board (a MutationObserver installed before any page script, ``Date.now()``).

With ``--servers 2`` the run is on a fresh PostgreSQL database (made on the server of
``--postgres``, default ``COLLAB_TEST_POSTGRES_URL``, and dropped at the end) served by two
``collab serve`` processes; the members' pages alternate between them, so that each note
is seen on three pages of its writer's server and four of the other's: the latency
*across servers* (written through A, shown on a page served by B) is judged, the one on
the same server reported beside it. On PostgreSQL each idle window also reads the
database's load (``pg_stat_database``: transactions, rows, per second and per 100 open
pages).

Browser pages and the harness share the machine's clock. Latencies are reported as
medians and 95th percentiles, in milliseconds and as multiples of the poll interval
(``POLL_SECONDS``, one second): from *saved* (what the live engine does: poll, read,
redraw, reach the browser) and from *typed* (what a member sees, including the 0.4 s the
box waits after the last key before saving). Target: p95 ≤ 2 × the interval, judged on
both.
Rounds start at a random moment within the poll interval, so the polling phase is
sampled fairly.

**Idle CPU**: each page's kernel's CPU time (user + system, ``psutil``) over a quiet
window, as CPU seconds per minute, in three states of the same eight kernels: *waiting*
(no protocol running: polling every five seconds), *live* (a protocol running, nobody
typing: polling every second, the countdown ticking), *ended* (the run finished: no
polling). A kernel serving ``_bare.ipynb`` (one Button) measured in the same windows is the
floor. Nothing here fails on timing; the exit code is 1 only if the measurement could not
run.

    python3 run.py bench live --rounds 24 --idle-seconds 60
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
import sqlalchemy as sa
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    BARE,
    chromium_version,
    fmt,
    fresh_postgres_database,
    machine,
    median,
    pg_database_stats,
    pg_rates,
    quantile,
    run_until_stopped,
    write_generated_notebooks,
    write_results,
)

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess
from collab_widgets.demo.sample import seed_demo
from collab_widgets.live.rules import POLL_SECONDS, WAITING_POLL_SECONDS
from collab_widgets.live.tables import live_entries
from collab_widgets.team.store import members, teams

WORKBOOK = "01_protocols.ipynb"
TEAM = "Grade 4 Math"
EXTRA_MEMBERS = ("Hana K.", "Ravi P.", "Olu A.", "Marta S.", "Finn D.", "Yusuf B.")
PROTOCOL = "Chalk talk (35 min)"
BOARD_STEP = "Write in silence"
TARGET_P95 = 2.0  # × the poll interval
READY_TIMEOUT_MS = 180_000
SHOWN_TIMEOUT_S = 30
DB_POLL_S = 0.02
NOTE = "bench{:03d}x"

# Installed before any page script: the first moment each benchmark note's text is on
# this page's board, in the machine's wall clock (shared with the harness).
OBSERVER = r"""
(() => {
  const seen = (window.__seen = {});
  const scan = () => {
    for (const el of document.querySelectorAll(".collab-board .collab-board-card-text")) {
      for (const word of (el.textContent || "").match(/bench\d{3}x/g) || []) {
        if (!(word in seen)) seen[word] = Date.now();
      }
    }
  };
  new MutationObserver(scan).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""


@dataclass
class Round:
    number: int
    writer: str
    typed_ms: float = 0.0
    saved_ms: float | None = None
    shown_ms: dict[str, float] = field(default_factory=dict)  # member -> wall clock
    error: str = ""
    server: int = 0  # the writer's page's server
    across: list[str] = field(default_factory=list)  # members whose page another serves

    def _sightings(self, across: bool | None) -> list[float]:
        return [
            t
            for name, t in self.shown_ms.items()
            if across is None or (name in self.across) == across
        ]

    def from_saved(self, across: bool | None = None) -> list[float]:
        if not self.saved_ms:
            return []
        return [t - self.saved_ms for t in self._sightings(across)]

    def from_typed(self, across: bool | None = None) -> list[float]:
        return [t - self.typed_ms for t in self._sightings(across)]


class StoreWatch(threading.Thread):
    """Reads the notes table every 20 ms and notes when each benchmark note is saved."""

    def __init__(self, db_url: str):
        super().__init__(daemon=True)
        self.engine = sa.create_engine(db_url)
        self.saved: dict[str, float] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        query = sa.select(live_entries.c.text).where(live_entries.c.text.like("bench%"))
        while not self.halt.is_set():
            with self.engine.connect() as conn:
                texts = conn.execute(query).scalars().all()
            now = time.time() * 1000
            for text in texts:
                word = text.split()[0]
                self.saved.setdefault(word, now)
            time.sleep(DB_POLL_S)
        self.engine.dispose()


def add_members(db_url: str, code: str) -> None:
    """Bring the team to eight members, added by its facilitator."""
    store = Store(db_url)
    try:
        scope = teams.coach_of_team(store, code).open_team(code)  # it holds every link
        facilitator = members.current_roles(scope)["facilitator"]
        scope = store.open_team(code, facilitator.token)
        for name in EXTRA_MEMBERS[: max(0, 8 - len(members.roster(scope)))]:
            members.add(scope, name)
    finally:
        store.close()


def team_links(
    db_url: str, servers: list[ServerProcess], code: str
) -> tuple[dict[str, str], dict[str, int], str]:
    """Each member's personal link (eight members, their pages alternating between the
    servers), the server of each, and the facilitator's name."""
    store = Store(db_url)
    try:
        scope = teams.coach_of_team(store, code).open_team(code)  # it holds every link
        roster = members.roster(scope)[:8]
        facilitator = members.current_roles(scope)["facilitator"].name
    finally:
        store.close()
    where = {m.name: i % len(servers) for i, m in enumerate(roster)}
    links = {
        m.name: servers[where[m.name]].url(WORKBOOK, team=code, member=m.token) for m in roster
    }
    return links, where, facilitator


def kernel_of(page: Page, server: ServerProcess) -> psutil.Process:
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    kernel = server.kernel_processes().get(config["kernelId"])
    if kernel is None:
        raise RuntimeError(f"no kernel process for kernel {config['kernelId']}")
    return kernel


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


def idle_cpu(kernels: dict[str, psutil.Process], seconds: float) -> dict[str, float]:
    """CPU seconds per minute each process used over ``seconds`` of quiet."""
    before = {name: cpu_seconds(p) for name, p in kernels.items()}
    start = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - start
    return {name: (cpu_seconds(p) - before[name]) * 60 / elapsed for name, p in kernels.items()}


def one_round(
    number: int, writer: str, pages: dict[str, Page], watch: StoreWatch, where: dict[str, int]
) -> Round:
    sample = Round(number, writer, server=where[writer])
    sample.across = [name for name in pages if where[name] != where[writer]]
    word = NOTE.format(number)
    page = pages[writer]
    boxes = page.locator(".collab-board-own textarea")
    try:
        before = boxes.count()
        page.get_by_role("button", name="New note").click()
        expect(boxes).to_have_count(before + 1, timeout=SHOWN_TIMEOUT_S * 1000)
        time.sleep(random.uniform(0, POLL_SECONDS))  # start at a random phase of the polling
        sample.typed_ms = page.evaluate("Date.now()")
        boxes.last.fill(f"{word} what I notice, round {number}")
        deadline = time.monotonic() + SHOWN_TIMEOUT_S
        others = {name: p for name, p in pages.items() if name != writer}
        while time.monotonic() < deadline and len(sample.shown_ms) < len(others):
            for name, other in others.items():
                if name not in sample.shown_ms:
                    seen = other.evaluate("(word) => window.__seen[word] || null", word)
                    if seen:
                        sample.shown_ms[name] = seen
            time.sleep(0.05)
        sample.saved_ms = watch.saved.get(word)
        if len(sample.shown_ms) < len(others):
            sample.error = f"shown on {len(sample.shown_ms)} of {len(others)} pages"
    except Exception as exc:  # one failed round is reported, not fatal
        sample.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return sample


def intervals(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else milliseconds / (POLL_SECONDS * 1000)


@dataclass
class Latency:
    count: int
    median_ms: float | None
    p95_ms: float | None

    @classmethod
    def of(cls, values: list[float]) -> Latency:
        return cls(len(values), median(values), quantile(values, 95))

    def text(self) -> str:
        return (
            f"median {fmt(self.median_ms)} ms ({fmt(intervals(self.median_ms), '.2f')}×), "
            f"p95 {fmt(self.p95_ms)} ms ({fmt(intervals(self.p95_ms), '.2f')}×)  "
            f"[{self.count} sightings]"
        )


def report(
    rounds: list[Round],
    cpu: dict[str, dict[str, float]],
    servers: int = 1,
    db_load: dict | None = None,
) -> dict:
    # with two servers the sightings on a page of the other server are judged
    judged = True if servers > 1 else None
    saved = Latency.of([v for r in rounds for v in r.from_saved(judged)])
    typed = Latency.of([v for r in rounds for v in r.from_typed(judged)])
    save_delay = Latency.of([r.saved_ms - r.typed_ms for r in rounds if r.saved_ms])
    failed = [r for r in rounds if r.error]
    extra = {}
    if servers > 1:
        print(
            f"\nPoll interval {POLL_SECONDS:g} s; {servers} servers on one PostgreSQL; a note "
            "written through one server, shown on the pages another server serves:"
        )
    else:
        print(f"\nPoll interval {POLL_SECONDS:g} s; a note on one page, shown on the seven others:")
    print(f"  from saved in the store: {saved.text()}")
    print(f"  from typed on the page:  {typed.text()}")
    print(f"  typed → saved:           {save_delay.text()}")
    if servers > 1:
        same_saved = Latency.of([v for r in rounds for v in r.from_saved(False)])
        same_typed = Latency.of([v for r in rounds for v in r.from_typed(False)])
        print("  beside it, on the pages of the writer's own server:")
        print(f"    from saved: {same_saved.text()}")
        print(f"    from typed: {same_typed.text()}")
        extra = {
            "same_server_from_saved": asdict(same_saved),
            "same_server_from_typed": asdict(same_typed),
        }
    for name, latency in (("saved", saved), ("typed", typed)):
        multiple = intervals(latency.p95_ms)
        verdict = "met" if multiple is not None and multiple <= TARGET_P95 else "NOT met"
        print(f"  target p95 ≤ {TARGET_P95:g}× the interval, from {name}: {verdict}")
    if failed:
        print(f"  {len(failed)} round(s) incomplete: " + "; ".join(r.error for r in failed[:5]))
    print("\nIdle CPU, seconds per minute of one kernel (median of the eight; bare kernel beside):")
    summary = {}
    for phase, values in cpu.items():
        pages = [v for name, v in values.items() if name != BARE]
        bare = values.get(BARE)
        summary[phase] = {"median_page_kernel": median(pages), "bare_kernel": bare}
        print(
            f"  {phase:<8} {fmt(median(pages), '.2f')} s/min "
            f"({fmt(median(pages) / 60 * 100 if pages else None, '.1f')}% of a core; "
            f"max {fmt(max(pages) if pages else None, '.2f')})   bare {fmt(bare, '.2f')} s/min"
        )
    if db_load:
        print("\nThe database's load while the pages sat open, per second per 100 open pages:")
        for phase, load in db_load.items():
            per_100 = load["per_second_per_100_pages"]
            print(
                f"  {phase:<8} {per_100['xact_commit']:7.1f} transactions, "
                f"{per_100['tup_fetched']:8.1f} rows fetched, {per_100['tup_returned']:8.1f} "
                f"returned, {per_100['blks_hit']:8.1f} blocks hit  "
                f"({load['pages']} pages, {load['connections']:.0f} connections)"
            )
    return {
        "servers": servers,
        "judged": "across servers" if servers > 1 else "every other page",
        "from_saved": asdict(saved),
        "from_typed": asdict(typed),
        "typed_to_saved": asdict(save_delay),
        **extra,
        "idle_cpu_s_per_min": summary,
        "db_load": db_load or {},
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=24, help="notes added, one per round")
    parser.add_argument("--idle-seconds", type=float, default=60, help="each idle CPU window")
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="collab serve processes the pages alternate between (2 or more: on PostgreSQL)",
    )
    parser.add_argument(
        "--postgres",
        default=None,
        help="a PostgreSQL server's URL whose user may create databases: the run is on a "
        "fresh database there (default with --servers 2: COLLAB_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--workbooks", type=Path, default=ROOT / "workbooks")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.idle_seconds <= 0 or args.servers < 1:
        parser.error("--rounds, --idle-seconds and --servers must be positive")
    if args.servers > 1 and not args.postgres:
        args.postgres = os.environ.get("COLLAB_TEST_POSTGRES_URL")
        if not args.postgres:
            parser.error(
                "--servers 2 shares one PostgreSQL: give --postgres URL or set "
                "COLLAB_TEST_POSTGRES_URL"
            )
    return args


def open_member(browser, server: ServerProcess, link: str) -> tuple[Page, psutil.Process]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OBSERVER)
    page = context.new_page()
    page.goto(link, timeout=READY_TIMEOUT_MS)
    page.wait_for_selector(".collab-ready", timeout=READY_TIMEOUT_MS)
    return page, kernel_of(page, server)


def run(args: argparse.Namespace) -> int:
    started = dt.datetime.now()
    print(
        f"Live board benchmark: 8 pages, {args.rounds} notes, idle windows of "
        f"{args.idle_seconds:g} s, {args.servers} server(s) on "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}, {chromium_version()}, "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    rounds: list[Round] = []
    cpu: dict[str, dict[str, float]] = {}
    db_load: dict[str, dict] = {}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="collab-bench-live-")))
        served = tmp / "workbooks"
        served.mkdir()
        shutil.copy2(args.workbooks / WORKBOOK, served / WORKBOOK)
        write_generated_notebooks(served)
        if args.postgres:
            db_url = stack.enter_context(
                fresh_postgres_database(args.postgres, "collab_bench_live")
            )
        else:
            db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        store = Store(db_url)
        demo = seed_demo(store)
        store.close()
        add_members(db_url, demo.team_codes[TEAM])
        watch = StoreWatch(db_url)
        logs = [tmp / f"server-{i}.log" for i in range(args.servers)]

        def idle(phase: str, pages: dict, kernels: dict) -> None:
            before = pg_database_stats(db_url) if args.postgres else None
            cpu[phase] = idle_cpu(kernels, args.idle_seconds)
            if before:
                after = pg_database_stats(db_url)
                rates = pg_rates(before, after)
                db_load[phase] = {
                    "pages": len(pages),
                    "connections": after["numbackends"],
                    "per_second": rates,
                    "per_second_per_100_pages": {
                        key: value * 100 / len(pages) for key, value in rates.items()
                    },
                }

        try:
            servers = [
                stack.enter_context(
                    ServerProcess(db_url, log, pool_size=args.pool_size, workbooks=served)
                )
                for log in logs
            ]
            playwright = stack.enter_context(sync_playwright())
            links, where, facilitator = team_links(db_url, servers, demo.team_codes[TEAM])
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
            )
            pages: dict[str, Page] = {}
            kernels: dict[str, psutil.Process] = {}
            for name, link in links.items():
                pages[name], kernels[name] = open_member(browser, servers[where[name]], link)
                print(f"  {name} is on the page (server {'ABCDEFGH'[where[name]]})", flush=True)
            bare_context = browser.new_context()
            bare = bare_context.new_page()
            bare.goto(servers[0].url(BARE), timeout=READY_TIMEOUT_MS)
            bare.wait_for_selector(".bare-ready", timeout=READY_TIMEOUT_MS)
            kernels[BARE] = kernel_of(bare, servers[0])
            time.sleep(WAITING_POLL_SECONDS)

            print(f"Idle, no protocol running ({args.idle_seconds:g} s)…", flush=True)
            idle("waiting", pages, kernels)

            leader = pages[facilitator]
            choice = leader.locator(".collab-protocol-choice select")
            choice.select_option(label=PROTOCOL)
            leader.get_by_role("button", name="Start the protocol").click()
            leader.get_by_role("button", name="Next step ▶").click()
            for page in pages.values():
                expect(page.locator(".collab-run .collab-step-title")).to_contain_text(
                    BOARD_STEP, timeout=READY_TIMEOUT_MS
                )
            print(f"Chalk talk on every page; {args.rounds} notes…", flush=True)
            watch.start()
            writers = list(pages)
            for number in range(args.rounds):
                sample = one_round(number, writers[number % len(writers)], pages, watch, where)
                rounds.append(sample)
                shown = sorted(t - sample.typed_ms for t in sample.shown_ms.values())
                print(
                    f"  note {number:2d} by {sample.writer:<12} saved "
                    f"{fmt(sample.saved_ms and sample.saved_ms - sample.typed_ms)} ms, "
                    f"shown after {fmt(shown[0] if shown else None)}–"
                    f"{fmt(shown[-1] if shown else None)} ms {sample.error}",
                    flush=True,
                )
            watch.halt.set()
            time.sleep(2 * POLL_SECONDS)

            print(f"Idle, protocol live ({args.idle_seconds:g} s)…", flush=True)
            idle("live", pages, kernels)

            try:
                leader.get_by_role("button", name="End the protocol").click()
                leader.get_by_role("button", name="Yes, end it").click()  # it asks first
                for page in pages.values():
                    expect(page.locator(".collab-live")).to_contain_text(
                        "has finished", timeout=READY_TIMEOUT_MS
                    )
                time.sleep(2 * POLL_SECONDS)
                print(f"Idle, protocol ended ({args.idle_seconds:g} s)…", flush=True)
                idle("ended", pages, kernels)
            except Exception as exc:  # the notes' latencies are measured: report them
                print(f"  (the protocol's end could not be measured: {type(exc).__name__})")
            browser.close()
        except Exception:
            for log in logs:
                if log.exists():
                    print(f"\nEnd of the server log {log.name}:")
                    print("\n".join(log.read_text(errors="replace").splitlines()[-40:]))
            raise
        finally:
            watch.halt.set()
            if watch.is_alive():
                watch.join()

    summary = report(rounds, cpu, args.servers, db_load)
    out = write_results(
        args.results,
        "live-",
        started,
        {
            "benchmark": "bench_live",
            "started": started.isoformat(timespec="seconds"),
            "settings": {
                "rounds": args.rounds,
                "idle_seconds": args.idle_seconds,
                "pool_size": args.pool_size,
                "servers": args.servers,
                "database": "postgresql" if args.postgres else "sqlite",
                "poll_seconds": POLL_SECONDS,
                "target_p95_multiple": TARGET_P95,
            },
            "machine": machine(),
            "summary": summary,
            "idle_cpu_s_per_min": cpu,
            "rounds": [asdict(r) for r in rounds],
        },
    )
    print(f"\nResults written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
