"""Whole-journey start-up benchmark: each workbook against baselines measured in the same run.

For every ``workbooks/*.ipynb`` this measures, in Chromium against the real ``collab serve``
(standalone Voilà, preheated kernel pool, offline template):

* **time to interactive (TTI)**: from navigation until the workbook's ready marker shows,
  plus the first click's round trip to the kernel (from the pointer going down until the
  kernel's answer is in the page). The harness's own reaction time between "ready" and
  "click" is left out; it is kept in the JSON as ``wall_ms``.
* **kernel memory**: USS (memory unique to the process, from ``psutil``) of the kernel bound
  to the page, taken once the click has round-tripped; and again once every tab of the
  page has been opened (``uss_all_tabs_mib``), since a tab may import more (the meeting
  tab draws charts with matplotlib). The target is judged on the larger of the two.

and compares them, as ratios of medians, with two generated notebooks served by the same
server with the same preheating and the same waits:

* ``_bare.ipynb``: one ipywidgets Button and a Label; the click sets the label.
* ``_libs.ipynb``: a kernel that only imported ipywidgets, pandas, matplotlib and SQLAlchemy.

Targets: TTI ≤ 1.25 × the bare notebook's, memory ≤ 1.25 × the same-libraries kernel's.
The machine may be shared and noisy, so only ratios mean anything; nothing here fails on
timing: the exit code is 0 whenever the measurement itself ran (1 only if it could not).

    python3 run.py bench --rounds 5

Each workbook's "first click" comes from ``JOURNEYS`` below (keyed by file name); a workbook
without an entry gets ``DEFAULT_JOURNEY``. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    BARE,
    LIBS,
    chromium_version,
    cpu_percent,
    cpu_percents,
    fmt,
    machine,
    median,
    p90,
    ratio,
    run_until_stopped,
    write_generated_notebooks,
    write_results,
)

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess
from collab_widgets.core.serving.serve import PRESENTER_NOTEBOOK, ServeOptions, kernel_pools
from collab_widgets.demo.sample import seed_demo

TARGET_TTI = 1.25
TARGET_MEMORY = 1.25
TODAY = "2026-10-15"
TEAM = "Grade 4 Math"
READY_TIMEOUT_MS = 120_000
DONE_TIMEOUT_MS = 60_000
MEMORY_SETTLE_S = 1.0  # after the click's answer, before reading the kernel's memory
# Quiet: the server process, and each kernel on its own, under this share of one core.
# Per process, so that the measure does not grow with the number of pooled kernels
# (seven workbooks' idle pools together sat above a threshold on their sum).
QUIET_CPU_PERCENT = 10.0
QUIET_SAMPLE_S = 0.5
QUIET_SAMPLES = 2  # consecutive quiet samples needed
MIN_SETTLE_S = 2.0  # Voilà refills its pool 1 s after a kernel is taken
BEACON_WAIT_S = 10.0  # for the page's own kernel shutdown; the harness never does it


# --- what to do on each page ----------------------------------------------------------


@dataclass(frozen=True)
class Journey:
    """How to open a page, when it is ready, what its first click is, and its answer.

    ``click`` is ``("tab", name)`` for a widget tab, ``("css", selector)`` for the first
    element matching a selector, or ``("auto", "")``: the first tab that is not already
    selected, else the first enabled widget button. ``done`` is a CSS selector that only
    matches once the kernel has answered the click (``done_text``: and contains that text);
    ``None`` means "the kernel reported idle after handling the click's widget message".
    ``link``: the page is opened with a member's personal link, the coach link, or none.
    """

    ready: str = ".collab-ready"
    click: tuple[str, str] = ("auto", "")
    done: str | None = None
    done_text: str = ""
    link: str = "member"


DEFAULT_JOURNEY = Journey()

JOURNEYS: dict[str, Journey] = {
    BARE: Journey(
        ready=".bare-ready",
        click=("css", "button.bare-ready"),
        done=".bare-label",
        done_text="clicked",
    ),
    LIBS: Journey(click=("css", "button.collab-ready")),
    "00_start_here.ipynb": Journey(
        click=("tab", "Trash and history"),
        done="ul.collab-activity li",
    ),
    PRESENTER_NOTEBOOK: Journey(link="coach"),
}

# Installed before any page script: records, on the page's clock (0 = navigation start),
# when the ready marker shows, when the first real pointer-down happens, when the "done"
# selector matches, and when the kernel goes idle after a widget message sent since the
# click (messages are read from the kernel websocket, JSON or the binary v1 protocol).
PAGE_PROBE = r"""
(() => {
  const cfg = __CONFIG__;
  const B = (window.__bench = {
    readyAt: null, clickAt: null, doneAt: null, idleAt: null, sentAfterClick: 0,
  });
  const now = () => performance.now();
  const sent = new Set();
  const visible = (el) => !el.checkVisibility || el.checkVisibility();
  const check = () => {
    if (B.readyAt === null) {
      const el = document.querySelector(cfg.ready);
      if (el && visible(el)) B.readyAt = now();
    }
    if (B.clickAt !== null && B.doneAt === null && cfg.done) {
      for (const el of document.querySelectorAll(cfg.done)) {
        if (!cfg.doneText || (el.textContent || "").includes(cfg.doneText)) {
          B.doneAt = now();
          break;
        }
      }
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
  const frame = () => { check(); if (B.doneAt === null) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  addEventListener("pointerdown", (e) => {
    if (e.isTrusted && B.readyAt !== null && B.clickAt === null) B.clickAt = now();
  }, true);

  function parse(data) {
    try {
      if (typeof data === "string") {
        const m = JSON.parse(data);
        return [m.header || {}, m.parent_header || {}, m.content || {}];
      }
      let buf = null;
      if (data instanceof ArrayBuffer) buf = data;
      else if (ArrayBuffer.isView(data)) {
        buf = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      }
      if (!buf) return null;
      const view = new DataView(buf);
      const count = Number(view.getBigUint64(0, true));
      const offsets = [];
      for (let i = 0; i < count; i++) offsets.push(Number(view.getBigUint64(8 * (i + 1), true)));
      const text = new TextDecoder();
      const part = (i) => text.decode(new Uint8Array(buf, offsets[i], offsets[i + 1] - offsets[i]));
      const header = JSON.parse(part(1));
      const parent = JSON.parse(part(2));
      const content = header.msg_type === "status" ? JSON.parse(part(4)) : {};
      return [header, parent, content];
    } catch (err) {
      return null;
    }
  }

  const Native = window.WebSocket;
  function Probed(url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    if (String(url).indexOf("/api/kernels/") !== -1) {
      const send = socket.send.bind(socket);
      socket.send = (data) => {
        if (B.clickAt !== null) {
          const msg = parse(data);
          if (msg && msg[0].msg_type === "comm_msg") {
            sent.add(msg[0].msg_id);
            B.sentAfterClick++;
          }
        }
        return send(data);
      };
      socket.addEventListener("message", (event) => {
        if (B.idleAt !== null || sent.size === 0) return;
        const msg = parse(event.data);
        if (msg && msg[0].msg_type === "status" && msg[2].execution_state === "idle" &&
            sent.has(msg[1].msg_id)) {
          B.idleAt = now();
          if (!cfg.done && B.doneAt === null) B.doneAt = B.idleAt;
        }
      });
    }
    return socket;
  }
  Probed.prototype = Native.prototype;
  for (const k of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Probed[k] = Native[k];
  window.WebSocket = Probed;
})();
"""


def probe_script(journey: Journey) -> str:
    config = {"ready": journey.ready, "done": journey.done, "doneText": journey.done_text}
    return PAGE_PROBE.replace("__CONFIG__", json.dumps(config))


def first_click(page: Page, journey: Journey) -> str:
    """Do the journey's first click; returns a description of what was clicked."""
    kind, target = journey.click
    if kind == "tab":
        page.get_by_role("tab", name=target, exact=True).click()
        return f"tab {target!r}"
    if kind == "css":
        page.locator(target).first.click()
        return target
    tabs = page.locator(".jupyter-widgets .lm-TabBar-tab:not(.lm-mod-current)")
    if tabs.count():
        tab = tabs.first
        label = tab.inner_text().strip()
        tab.click()
        return f"tab {label!r}"
    button = page.locator(".jupyter-widgets button:not([disabled])").first
    label = button.inner_text().strip()
    button.click()
    return f"button {label!r}"


# --- generated notebooks --------------------------------------------------------------


# --- server processes -----------------------------------------------------------------


@dataclass
class Served:
    """A running server, how many kernels it keeps warm, and the kernels its pages left
    running (they stay, and are reported)."""

    server: ServerProcess
    pool: int
    bound: set[str] = field(default_factory=set)


def settle(servers: list[Served], timeout: float) -> float:
    """Wait until every pool of every server is full again and each server and each
    kernel is quiet. Applied identically before every page load. Returns the seconds
    waited."""
    start = time.monotonic()
    time.sleep(MIN_SETTLE_S)
    quiet = 0
    while time.monotonic() - start < timeout:
        kernels = [served.server.kernel_processes() for served in servers]
        if any(
            len(found.keys() - served.bound) < served.pool
            for served, found in zip(servers, kernels, strict=True)
        ):
            quiet = 0
            time.sleep(0.25)
            continue
        processes = [psutil.Process(served.server.process.pid) for served in servers]
        processes += [process for found in kernels for process in found.values()]
        if max(cpu_percents(processes, QUIET_SAMPLE_S), default=0) < QUIET_CPU_PERCENT:
            quiet += 1
            if quiet >= QUIET_SAMPLES:
                return time.monotonic() - start
        else:
            quiet = 0
    print(f"    (server not quiet after {timeout:.0f}s; measuring anyway)", flush=True)
    return time.monotonic() - start


def wait_gone(process: psutil.Process | None, timeout: float = 15) -> bool:
    if process is None:
        return True
    try:
        process.wait(timeout)
    except psutil.TimeoutExpired:
        return False
    except psutil.NoSuchProcess:
        pass
    return True


# --- one page load --------------------------------------------------------------------


@dataclass
class Sample:
    notebook: str
    round: int  # 0 = warm-up
    ok: bool = False
    error: str = ""
    ready_ms: float | None = None
    click_ms: float | None = None  # pointer down -> the kernel's answer is in the page
    tti_ms: float | None = None  # ready_ms + click_ms
    wall_ms: float | None = None  # navigation -> answer, including the harness's own gap
    idle_after_click_ms: float | None = None  # pointer down -> kernel idle (cross-check)
    ttfb_ms: float | None = None
    html_ms: float | None = None  # navigation -> the page's HTML fully received
    clicked: str = ""
    kernel_id: str = ""
    uss_mib: float | None = None
    pss_mib: float | None = None
    rss_mib: float | None = None
    uss_all_tabs_mib: float | None = None  # after opening every tab of the page
    settle_s: float | None = None
    loadavg: float | None = None  # 1-minute load average just before the load
    page_shut_kernel_down: bool | None = None  # did the page's own beacon end its kernel?


def load_page(
    browser: Browser, server: ServerProcess, notebook: str, links: dict[str, dict]
) -> Sample:
    journey = JOURNEYS.get(notebook, DEFAULT_JOURNEY)
    sample = Sample(notebook=notebook, round=-1)
    params = links.get(journey.link, {})
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    kernel = None
    try:
        context.add_init_script(probe_script(journey))
        page = context.new_page()
        page.goto(server.url(notebook, **params), wait_until="commit", timeout=READY_TIMEOUT_MS)
        page.wait_for_function("() => window.__bench.readyAt !== null", timeout=READY_TIMEOUT_MS)
        sample.clicked = first_click(page, journey)
        page.wait_for_function("() => window.__bench.doneAt !== null", timeout=DONE_TIMEOUT_MS)
        probe = page.evaluate(
            """() => {
              const nav = performance.getEntriesByType("navigation")[0] || {};
              return {...window.__bench, now: performance.now(),
                      ttfb: nav.responseStart, html: nav.responseEnd};
            }"""
        )
        sample.ready_ms = probe["readyAt"]
        sample.click_ms = probe["doneAt"] - probe["clickAt"]
        sample.tti_ms = sample.ready_ms + sample.click_ms
        sample.wall_ms = probe["doneAt"]
        if probe["idleAt"] is not None:
            sample.idle_after_click_ms = probe["idleAt"] - probe["clickAt"]
        sample.ttfb_ms = probe["ttfb"]
        sample.html_ms = probe["html"]
        config = json.loads(page.locator("#jupyter-config-data").text_content())
        sample.kernel_id = config["kernelId"]
        time.sleep(MEMORY_SETTLE_S)
        kernel = server.kernel_processes().get(sample.kernel_id)
        if kernel is None:
            raise RuntimeError(f"no kernel process for kernel {sample.kernel_id}")
        memory = kernel.memory_full_info()
        sample.uss_mib = memory.uss / 2**20
        sample.pss_mib = getattr(memory, "pss", 0) / 2**20 or None
        sample.rss_mib = memory.rss / 2**20
        open_every_tab(page, kernel)
        sample.uss_all_tabs_mib = kernel.memory_full_info().uss / 2**20
        sample.ok = True
        # Leave as a visitor does: on "beforeunload" Voilà's page sends a beacon asking the
        # server to shut its kernel down (navigating away, unlike closing, lets it go out).
        page.goto("about:blank")
    except Exception as exc:  # a failed load is reported, not fatal
        sample.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    finally:
        context.close()
    if sample.kernel_id:
        # Only the page may end its kernel: if it does not, the kernel stays (and is
        # reported), as it would for a visitor.
        kernel = kernel or server.kernel_processes().get(sample.kernel_id)
        sample.page_shut_kernel_down = wait_gone(kernel, BEACON_WAIT_S)
    return sample


def open_every_tab(page: Page, kernel: psutil.Process, timeout: float = 60) -> None:
    """Open each widget tab in turn, waiting for the kernel to finish what each one loads."""
    tabs = page.locator(".jupyter-widgets .lm-TabBar-tab")
    for index in range(tabs.count()):
        tabs.nth(index).click()
        time.sleep(QUIET_SAMPLE_S)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and cpu_percent([kernel], QUIET_SAMPLE_S) > 5:
            pass
    time.sleep(MEMORY_SETTLE_S)


# --- statistics and report ------------------------------------------------------------


@dataclass
class Summary:
    notebook: str
    samples: int
    failures: int
    html_ms: dict = field(default_factory=dict)
    ready_ms: dict = field(default_factory=dict)
    click_ms: dict = field(default_factory=dict)
    tti_ms: dict = field(default_factory=dict)
    uss_mib: dict = field(default_factory=dict)
    pss_mib: dict = field(default_factory=dict)
    uss_all_tabs_mib: dict = field(default_factory=dict)
    tti_ratio: float | None = None
    uss_ratio: float | None = None
    pss_ratio: float | None = None
    tti_target_met: bool | None = None
    memory_target_met: bool | None = None
    kernels_ended_by_page: int = 0  # of the samples that had a kernel
    kernels_seen: int = 0


def summarise(notebook: str, samples: list[Sample]) -> Summary:
    mine = [s for s in samples if s.notebook == notebook and s.round > 0]
    good = [s for s in mine if s.ok]
    summary = Summary(notebook=notebook, samples=len(good), failures=len(mine) - len(good))
    for name in (
        "html_ms",
        "ready_ms",
        "click_ms",
        "tti_ms",
        "uss_mib",
        "pss_mib",
        "uss_all_tabs_mib",
    ):
        values = [getattr(s, name) for s in good if getattr(s, name) is not None]
        setattr(summary, name, {"median": median(values), "p90": p90(values), "all": values})
    judged = [s for s in mine if s.page_shut_kernel_down is not None]
    summary.kernels_seen = len(judged)
    summary.kernels_ended_by_page = sum(s.page_shut_kernel_down for s in judged)
    return summary


def verdict(met: bool | None) -> str:
    return "not measured" if met is None else "MET" if met else "NOT MET"


def judged_memory(summary: Summary) -> float | None:
    """The memory the target is judged on: the larger median, after the first click or
    after every tab."""
    medians = (summary.uss_mib["median"], summary.uss_all_tabs_mib["median"])
    return max((v for v in medians if v is not None), default=None)


def judge(summaries: dict[str, Summary], workbooks: list[str]) -> None:
    """Each workbook's ratios against the baselines of its run, and their verdicts."""
    bare, libs = summaries[BARE], summaries[LIBS]
    for notebook in workbooks:
        s = summaries[notebook]
        s.tti_ratio = ratio(s.tti_ms["median"], bare.tti_ms["median"])
        s.uss_ratio = ratio(judged_memory(s), libs.uss_mib["median"])
        s.pss_ratio = ratio(s.pss_mib["median"], libs.pss_mib["median"])
        s.tti_target_met = None if s.tti_ratio is None else s.tti_ratio <= TARGET_TTI
        s.memory_target_met = None if s.uss_ratio is None else s.uss_ratio <= TARGET_MEMORY


def report(summaries: dict[str, Summary], workbooks: list[str]) -> None:
    judge(summaries, workbooks)
    bare, libs = summaries[BARE], summaries[LIBS]
    print()
    print("Time to interactive, ms: median / p90. ready = navigation -> ready marker shown;")
    print("click = first click -> the kernel's answer in the page; TTI = ready + click.")
    print("(html = navigation -> page HTML complete: Voilà runs the cells after")
    print("wait_for_request while streaming it; part of ready, for information.)")
    width = max(len(n) for n in summaries) + 2
    for notebook in [BARE, *workbooks, LIBS]:
        s = summaries[notebook]
        role = " (baseline)" if notebook == BARE else " (info)" if notebook == LIBS else ""
        failed = f"  [{s.failures} failed]" if s.failures else ""
        print(
            f"  {notebook:<{width}}html {fmt(s.html_ms['median']):>5}   "
            f"ready {fmt(s.ready_ms['median']):>6} / "
            f"{fmt(s.ready_ms['p90']):>6}   click {fmt(s.click_ms['median']):>5} / "
            f"{fmt(s.click_ms['p90']):>5}   TTI {fmt(s.tti_ms['median']):>6} / "
            f"{fmt(s.tti_ms['p90']):>6}{role}{failed}"
        )
    print()
    print("Kernel memory of the page's kernel, MiB, median (USS = unique to the process;")
    print("PSS = USS + a share of shared libraries, for information)")
    for notebook in [LIBS, *workbooks, BARE]:
        s = summaries[notebook]
        role = " (baseline)" if notebook == LIBS else " (info)" if notebook == BARE else ""
        print(
            f"  {notebook:<{width}}USS {fmt(s.uss_mib['median'], '.1f'):>6}   "
            f"PSS {fmt(s.pss_mib['median'], '.1f'):>6}   "
            f"USS after every tab {fmt(s.uss_all_tabs_mib['median'], '.1f'):>6}{role}"
        )
    print()
    print(f"Summary (targets: TTI ≤ {TARGET_TTI}× {BARE}, kernel USS ≤ {TARGET_MEMORY}× {LIBS})")
    for notebook in workbooks:
        s = summaries[notebook]
        print(
            f"  {notebook}: TTI {fmt(s.tti_ms['median'])} ms = {fmt(s.tti_ratio, '.2f')}× bare "
            f"{fmt(bare.tti_ms['median'])} ms (≤ {TARGET_TTI}×: {verdict(s.tti_target_met)}); "
            f"kernel USS {fmt(judged_memory(s), '.1f')} MiB (after every tab) = "
            f"{fmt(s.uss_ratio, '.2f')}× "
            f"libraries-only {fmt(libs.uss_mib['median'], '.1f')} MiB "
            f"(≤ {TARGET_MEMORY}×: {verdict(s.memory_target_met)}); its page ended its "
            f"kernel {s.kernels_ended_by_page} of {s.kernels_seen} times"
        )


# --- main -----------------------------------------------------------------------------


def argument_parser(description: str) -> argparse.ArgumentParser:
    """The options of a start-up measurement (``bench_compare`` adds its own)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--pool-size", type=int, default=2, help="preheated kernels per notebook")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="only the workbooks whose file names start with these (e.g. 00 03_goal)",
    )
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument(
        "--settle-timeout", type=float, default=90, help="max seconds to wait for a quiet server"
    )
    return parser


def checked_args(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if args.pool_size < 2:
        parser.error("--pool-size must be at least 2")
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    return args


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--workbooks", type=Path, default=ROOT / "workbooks")
    return checked_args(parser, argv)


def workbook_names(folder: Path, only: list[str] | None) -> list[str]:
    """The workbooks of ``folder`` to measure: all, or those named by ``--only``."""
    names = sorted(p.name for p in folder.glob("*.ipynb"))
    if only:
        names = [name for name in names if name.startswith(tuple(only))]
    return names


WARM_PRESENTER = f"{PRESENTER_NOTEBOOK} (warm kernel)"


@dataclass
class Phase:
    """One server, started with ``workshop`` as ``collab serve --workshop``, and the
    notebooks measured against it. Ratios are taken within a phase."""

    label: str
    notebooks: list[str]
    workshop: int = 0
    rename: dict[str, str] = field(default_factory=dict)  # notebook -> its name in the report


def phases_for(workbooks: list[str], prefix: str = "") -> list[Phase]:
    """The server's defaults first; then the presenter again with the kernel that
    `collab serve --workshop N` keeps warm for it, against a bare page on that server."""
    phases = [Phase(f"{prefix}default settings", [BARE, LIBS, *workbooks])]
    if PRESENTER_NOTEBOOK in workbooks:
        phases.append(
            Phase(
                f"{prefix}--workshop 30",
                [BARE, PRESENTER_NOTEBOOK],
                workshop=30,
                rename={BARE: f"{BARE} (--workshop)", PRESENTER_NOTEBOOK: WARM_PRESENTER},
            )
        )
    return phases


def expected_pool(phase: Phase, pool_size: int) -> int:
    """Kernels the server keeps warm with these settings (what ``collab serve`` sets)."""
    pools = kernel_pools(ServeOptions(pool_size=pool_size, workshop=phase.workshop))
    default = pools["default"]["pool_size"]
    return sum(pools.get(nb, {"pool_size": default})["pool_size"] for nb in phase.notebooks)


def serving_folder(folder: Path, phase: Phase, generated: Path, workbooks: Path) -> Path:
    """A folder of the phase's notebooks only: its server keeps only their pools warm."""
    folder.mkdir()
    for name in phase.notebooks:
        source = generated if name in (BARE, LIBS) else workbooks
        shutil.copy2(source / name, folder / name)
    return folder


def server_for(
    phase: Phase,
    args: argparse.Namespace,
    served: Path,
    db_url: str,
    log_path: Path,
    env: dict[str, str] | None = None,
) -> ServerProcess:
    return ServerProcess(
        db_url,
        log_path,
        pool_size=args.pool_size,
        workbooks=served,
        workshop=phase.workshop,
        extra_env={"COLLAB_TODAY": TODAY, **(env or {})},
    )


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def round_numbers(args: argparse.Namespace) -> range:
    """The warm-up rounds (numbered 0 and below), then the measured ones."""
    return range(1 - args.warmup, args.rounds + 1)


def measure_round(
    browser: Browser,
    served: Served,
    phase: Phase,
    round_number: int,
    links: dict,
    settle_on: list[Served],
    settle_timeout: float,
) -> list[Sample]:
    """One round of the phase's notebooks on ``served``; before each page load every
    server of ``settle_on`` settles."""
    # Alternate the order: bare first in even rounds, last in odd ones.
    order = phase.notebooks if round_number % 2 == 0 else phase.notebooks[::-1]
    label = "warm-up" if round_number <= 0 else f"round {round_number}"
    print(f"{phase.label}, {label}:", flush=True)
    samples = []
    for notebook in order:
        waited = settle(settle_on, settle_timeout)
        loadavg = os.getloadavg()[0]
        sample = load_page(browser, served.server, notebook, links)
        sample.notebook = phase.rename.get(notebook, notebook)
        sample.round = max(round_number, 0)
        sample.settle_s = waited
        sample.loadavg = loadavg
        if sample.kernel_id and not sample.page_shut_kernel_down:
            served.bound.add(sample.kernel_id)
        samples.append(sample)
        print_sample(sample, waited, loadavg)
    return samples


def print_log_if_failed(samples: list[Sample], log_path: Path) -> None:
    if any(not s.ok for s in samples) and log_path.exists():
        print(f"\nSome page loads failed; end of the server log ({log_path.name}):")
        print("\n".join(log_path.read_text(errors="replace").splitlines()[-40:]))


def measure(
    phase: Phase, args: argparse.Namespace, served: Path, db_url: str, links: dict, log_path: Path
) -> list[Sample]:
    samples: list[Sample] = []
    try:
        with server_for(phase, args, served, db_url, log_path) as server, chromium() as browser:
            running = Served(server, expected_pool(phase, args.pool_size))
            for round_number in round_numbers(args):
                samples += measure_round(
                    browser, running, phase, round_number, links, [running], args.settle_timeout
                )
    finally:
        print_log_if_failed(samples, log_path)
    return samples


def print_sample(sample: Sample, waited: float, loadavg: float) -> None:
    if not sample.ok:
        print(f"  {sample.notebook:<24} FAILED: {sample.error}", flush=True)
        return
    ended = "ended its kernel" if sample.page_shut_kernel_down else "LEFT ITS KERNEL RUNNING"
    print(
        f"  {sample.notebook:<24} ready {sample.ready_ms:6.0f} ms  click "
        f"{sample.click_ms:5.0f} ms  TTI {sample.tti_ms:6.0f} ms  "
        f"USS {sample.uss_mib:6.1f} MiB, after every tab "
        f"{sample.uss_all_tabs_mib:6.1f} MiB  {ended}  (waited {waited:.1f} s to settle, "
        f"load {loadavg:.1f})",
        flush=True,
    )


def summarise_all(samples: list[Sample]) -> dict[str, Summary]:
    return {n: summarise(n, samples) for n in dict.fromkeys(s.notebook for s in samples)}


def settings(args: argparse.Namespace, phases: list[Phase]) -> dict:
    """What the results file records of how the run was made."""
    notebooks = dict.fromkeys(n for phase in phases for n in phase.notebooks)
    return {
        "rounds": args.rounds,
        "warmup": args.warmup,
        "pool_size": args.pool_size,
        "phases": [asdict(p) for p in phases],
        "targets": {"tti_ratio": TARGET_TTI, "memory_ratio": TARGET_MEMORY},
        "memory_measure": "USS (psutil memory_full_info), MiB",
        "journeys": {n: asdict(JOURNEYS.get(n, DEFAULT_JOURNEY)) for n in notebooks},
    }


def run(args: argparse.Namespace) -> int:
    workbooks = workbook_names(args.workbooks, args.only)
    if not workbooks or {BARE, LIBS} & set(workbooks):
        print(f"No workbooks in {args.workbooks}, or one is named {BARE}/{LIBS}", file=sys.stderr)
        return 1
    phases = phases_for(workbooks)
    started = dt.datetime.now()
    print(
        f"Start-up benchmark: {len(workbooks)} workbook(s), {args.rounds} round(s) "
        f"+ {args.warmup} warm-up, pool size {args.pool_size}, {chromium_version()}, "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp_name:
        tmp = Path(tmp_name)
        generated = tmp / "generated"
        generated.mkdir()
        write_generated_notebooks(generated)
        db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        store = Store(db_url)
        demo = seed_demo(store)
        store.close()
        member_token = next(iter(demo.member_tokens[TEAM].values()))
        links = {
            "member": {"team": demo.team_codes[TEAM], "member": member_token},
            "coach": {"coach": demo.coach_code},
        }
        for number, phase in enumerate(phases):
            served = serving_folder(tmp / f"workbooks-{number}", phase, generated, args.workbooks)
            samples += measure(phase, args, served, db_url, links, tmp / f"server-{number}.log")

    summaries = summarise_all(samples)
    report(summaries, workbooks)
    if WARM_PRESENTER in summaries:
        report_warm_presenter(summaries)

    out = write_results(
        args.results,
        "",
        started,
        {
            "benchmark": "bench_start",
            "started": started.isoformat(timespec="seconds"),
            "settings": settings(args, phases),
            "machine": machine(),
            "summary": {n: asdict(s) for n, s in summaries.items()},
            "samples": [asdict(s) for s in samples],
        },
    )
    print(f"\nResults written to {out}")
    return 0


def report_warm_presenter(summaries: dict[str, Summary]) -> None:
    warm, bare = summaries[WARM_PRESENTER], summaries[f"{BARE} (--workshop)"]
    warm.tti_ratio = ratio(warm.tti_ms["median"], bare.tti_ms["median"])
    warm.tti_target_met = None if warm.tti_ratio is None else warm.tti_ratio <= TARGET_TTI
    print(
        f"  {WARM_PRESENTER}: TTI {fmt(warm.tti_ms['median'])} ms = "
        f"{fmt(warm.tti_ratio, '.2f')}× bare {fmt(bare.tti_ms['median'])} ms on the same "
        f"server (≤ {TARGET_TTI}×: {verdict(warm.tti_target_met)}); its page ended its "
        f"kernel {warm.kernels_ended_by_page} of {warm.kernels_seen} times"
    )


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
