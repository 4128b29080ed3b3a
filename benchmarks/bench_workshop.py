"""Workshop benchmark: 30 participants joining at once, against one alone, on one server.

Serves the workbooks with ``collab serve --workshop 30`` on a fresh database holding one
workshop whose first prompt (a multiple choice) is shown, and a presenter page open in
Chromium on its Present tab. Participants use the light workshop page (``/workshop``: one
static page and a JSON API in the server's own process; no kernel each). Then:

1. **Alone**: one raw client joins while nothing else happens, then one Chromium page.
2. **Burst**: 30 participants start at the same moment: ``--browsers`` (3) real Chromium
   pages and the rest (27) raw HTTP clients. A raw client does what a phone's browser
   does over the network, on its own connection: it fetches the page (one response
   holding the whole page), then posts ``join`` with a name and gets the prompt back,
   then posts its answer. The raw clients run on one asyncio loop in a process of their
   own, so that the benchmark's own work per request is small next to the server's.

Measured, as in the issue:

* **time to interactive**: from the request for the page until the join form can be used
  (raw: the page has arrived; browser: the page's script has run, by the browser's
  Navigation Timing), and from joining until
  the answer buttons are there (raw: the join's answer arrived; browser: the buttons are
  visible). Median and 95th percentile of the burst against the same kind of client
  alone (target: p95 ≤ 2×).
* **memory**: participants have no kernel; what the 30 cost the server process (its USS
  after they joined and answered, less before), against a kernel of the same server that
  only imported ipywidgets and SQLAlchemy (the issue's target for a participant's
  kernel: ≤ 1.25× that kernel).
* **all answers shown**: from the last of the 30 answers until the presenter page shows
  30 answered, in poll intervals (the pages poll once a second).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/``.

    python3 run.py bench workshop [--participants 30] [--browsers 3]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    fmt,
    kernel_processes,
    machine,
    median,
    quantile,
    ratio,
    run_until_stopped,
    write_notebook,
    write_results,
)

from collab_widgets.live import POLL_SECONDS  # noqa: E402
from collab_widgets.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess  # noqa: E402
from collab_widgets.store import Store, teams, workshops  # noqa: E402

RESULTS = Path(__file__).parent / "results"
WIDGETS_SQL = "_widgets_sqlalchemy.ipynb"
OPTIONS = ("Chalk talk", "Tuning protocol", "Data-driven dialogue")
TIMEOUT = 120.0


def write_baseline_notebook(folder: Path) -> None:
    """A kernel that only imported ipywidgets and SQLAlchemy, preheated like the others."""
    write_notebook(
        folder / WIDGETS_SQL,
        "import ipywidgets as widgets\nimport sqlalchemy\n"
        "from voila.utils import wait_for_request\n\nwait_for_request()",
        "widgets.Button(description='Imported')",
    )


def participant_url(server: ServerProcess, code: str) -> str:
    return f"{server.base}/workshop?code={code}"


# --- a raw client: a phone's browser over the network, without the drawing ----------------


async def http(base: str, method: str, path: str, body: dict | None = None):
    """One request on a new connection, as a device opening the link: (status, body)."""
    address = urlsplit(base)
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    data = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    writer.write(head.encode() + b"\r\n" + data)
    answer = await reader.read()  # to the end: the server closes after one response
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    payload = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), payload


class RawParticipant:
    """One participant without a browser. Times are seconds from ``start``."""

    def __init__(self, base: str, code: str, name: str):
        self.base, self.code, self.name = base, code, name
        self.token = ""
        self.prompt_id = 0
        self.interactive = self.joined = self.answered_at = None

    async def run(self, start: float) -> RawParticipant:
        status, page = await http(self.base, "GET", f"/workshop?code={self.code}")
        assert status == 200 and b'id="join-form"' in page, status
        self.interactive = time.monotonic() - start
        clicked = time.monotonic()
        status, body = await http(
            self.base, "POST", "/workshop/api/join", {"code": self.code, "name": self.name}
        )
        joined = json.loads(body)
        assert status == 200, joined
        self.token, self.prompt_id = joined["token"], joined["room"]["prompt"]["id"]
        self.joined = time.monotonic() - clicked
        return self

    async def answer(self, index: int) -> float:
        body = {"token": self.token, "prompt": self.prompt_id, "value": OPTIONS[index]}
        status, answer = await http(self.base, "POST", "/workshop/api/answer", body)
        assert status == 200, answer
        self.answered_at = time.monotonic()
        return self.answered_at


# The raw clients run in a process of their own: in this one, Playwright's work would hold
# the interpreter's lock while their requests wait. (time.monotonic is the same clock in
# both processes.)


def raw_joins(base: str, code: str, names: list[str], start_at: float) -> list[RawParticipant]:
    """Wait until ``start_at``, then every participant fetches the page and joins."""

    async def together() -> list[RawParticipant]:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        start = time.monotonic()
        return await asyncio.gather(*(RawParticipant(base, code, n).run(start) for n in names))

    return asyncio.run(together())


def raw_answers(participants: list[RawParticipant]) -> list[float]:
    async def together() -> list[float]:
        return await asyncio.gather(
            *(r.answer(i % len(OPTIONS)) for i, r in enumerate(participants))
        )

    return asyncio.run(together())


# --- a browser participant -------------------------------------------------------------------


def browser_ready(browser) -> dict:
    """A participant's browser, open on a blank page before the link is followed (a
    phone's browser is running before its owner taps the link)."""
    context = browser.new_context(viewport={"width": 420, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    return {"page": page, "context": context}


def browser_follow(opened: dict, server: ServerProcess, code: str) -> dict:
    """Follow the link without waiting, so that several pages load together."""
    opened["page"].evaluate("url => { location.href = url; }", participant_url(server, code))
    return opened


# When the page could be used, by the browser's own clock from the start of its navigation:
# the page's script runs before DOMContentLoaded ends. (Timing it from here would add the
# time this benchmark spent waiting on the pages opened before.)
INTERACTIVE_MS = "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def browser_join(opened: dict, name: str) -> dict:
    """Wait until the opened page can be used, then join and wait for the answer buttons."""
    page = opened["page"]
    page.locator("body.collab-ready").wait_for(state="attached")
    opened["interactive"] = page.evaluate(INTERACTIVE_MS) / 1000
    page.get_by_label("Your name").fill(name)
    clicked = time.monotonic()
    page.get_by_role("button", name="Join").click()
    page.locator(".collab-ws-answer button").first.wait_for(state="visible")
    opened["joined"] = time.monotonic() - clicked
    return opened


def browser_answer(joined: dict, index: int) -> float:
    joined["page"].locator(".collab-ws-answer button").nth(index).click()
    joined["page"].get_by_text("All changes saved").wait_for(state="visible")
    return time.monotonic()


# --- the run -------------------------------------------------------------------------------


def wait_for_pool(server: ServerProcess, expected: int, timeout: float = 600) -> int:
    """Until the server has ``expected`` kernels and they have finished preheating."""
    from harness import cpu_percent

    deadline = time.monotonic() + timeout
    count, busy = 0, 0.0
    while time.monotonic() < deadline:
        kernels = list(kernel_processes(server).values())
        count, busy = len(kernels), cpu_percent(kernels, 1.0)
        if count >= expected and busy < 10:
            return count
        time.sleep(1)
    raise TimeoutError(f"the pool has {count} of {expected} kernels, using {busy:.0f}% CPU")


def uss_mib(process: psutil.Process) -> float:
    return process.memory_full_info().uss / 2**20


def voila_process(server: ServerProcess) -> psutil.Process:
    """The Voilà process under ``collab serve``: it serves the participants' page."""
    for child in psutil.Process(server.process.pid).children(recursive=True):
        if "collab_widgets.serving.voila_app" in " ".join(child.cmdline()):
            return child
    raise LookupError("the Voilà process was not found")


def run(args: argparse.Namespace) -> int:
    started_at = dt.datetime.now()
    raw_count = args.participants - args.browsers
    print(
        f"Workshop benchmark: {args.participants} participants ({args.browsers} Chromium "
        f"pages, {raw_count} raw HTTP clients) on the light page; {machine()['cpus']} CPU(s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="collab-bench-ws-") as tmp_name:
        tmp = Path(tmp_name)
        served = tmp / "workbooks"
        shutil.copytree(ROOT / "workbooks", served)
        write_baseline_notebook(served)
        db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        store = Store(db_url)
        _, coach_code, _ = teams.first_coach_code(store)
        coach = store.open_coach(coach_code)
        workshop_id = workshops.create(coach, "Benchmark workshop")
        workshops.add_prompt(coach, workshop_id, "choice", "Which protocol next?", OPTIONS)
        workshops.show(coach, workshop_id, 0)
        code = workshops.get(coach, workshop_id).code
        store.close()
        notebooks = len(list(served.glob("*.ipynb")))
        pool = (notebooks - 1) * args.pool_size + 1  # + the presenter's warm kernel
        clients = ProcessPoolExecutor(1)
        clients.submit(time.monotonic).result()  # started before any browser or server
        with (
            ServerProcess(
                db_url,
                tmp / "server.log",
                pool_size=args.pool_size,
                workbooks=served,
                workshop=args.participants,
            ) as server,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            print(f"  waiting for {pool} warm kernels…", flush=True)
            wait_for_pool(server, pool)
            # the presenter, on its Present tab
            presenter_context = browser.new_context(viewport={"width": 1280, "height": 900})
            presenter = presenter_context.new_page()
            presenter.set_default_timeout(TIMEOUT * 1000)
            presenter.goto(server.url("07_workshop_presenter.ipynb", coach=coach_code))
            presenter.get_by_role("tab", name="Present").click()
            presenter.locator(".collab-ws-prompt").wait_for(state="visible")

            # 1. alone (each kind twice: the first of each warms the server's code paths)
            for _ in range(2):
                [alone_raw] = clients.submit(
                    raw_joins, server.base, code, ["alone-raw"], time.monotonic()
                ).result(TIMEOUT)
                alone_browser = browser_follow(browser_ready(browser), server, code)
                alone_browser = browser_join(alone_browser, "alone")
                alone_browser["context"].close()
            print(
                f"  alone: raw {1000 * alone_raw.interactive:.1f} ms to interactive, "
                f"{1000 * alone_raw.joined:.1f} ms to join; browser "
                f"{1000 * alone_browser['interactive']:.0f} ms, "
                f"{1000 * alone_browser['joined']:.0f} ms",
                flush=True,
            )
            server_process = voila_process(server)
            server_before = uss_mib(server_process)

            # 2. the burst: the raw clients and the pages start together; each one's
            # times count from its own start
            ready = [browser_ready(browser) for _ in range(args.browsers)]
            names = [f"raw-{i}" for i in range(raw_count)]
            start_at = time.monotonic() + 0.5
            burst = clients.submit(raw_joins, server.base, code, names, start_at)
            time.sleep(max(0.0, start_at - time.monotonic()))
            opened = [browser_follow(r, server, code) for r in ready]
            browsers = [browser_join(o, f"browser-{i}") for i, o in enumerate(opened)]
            raws = burst.result(TIMEOUT)
            answered = clients.submit(raw_answers, raws).result(TIMEOUT)
            answered += [browser_answer(b, i % len(OPTIONS)) for i, b in enumerate(browsers)]
            last_answer = max(answered)
            presenter.locator(".collab-ws-answered").filter(
                has_text=f"{args.participants} of"
            ).wait_for(state="visible")
            all_shown = time.monotonic() - last_answer
            server_after = uss_mib(server_process)
            baseline = RawParticipantBaseline(server)
            baseline_uss = uss_mib(kernel_processes(server)[baseline.kernel_id])
            for b in browsers:
                b["context"].close()
            browser.close()
        clients.shutdown()

    raw_tti = [r.interactive for r in raws]
    raw_join = [r.joined for r in raws]
    browser_tti = [b["interactive"] for b in browsers]
    browser_join_s = [b["joined"] for b in browsers]
    grown = server_after - server_before
    summary = {
        "raw_tti_median_s": median(raw_tti),
        "raw_tti_p95_s": quantile(raw_tti, 95),
        "raw_alone_tti_s": alone_raw.interactive,
        "raw_tti_p95_ratio": ratio(quantile(raw_tti, 95), alone_raw.interactive),
        "raw_join_median_s": median(raw_join),
        "raw_join_p95_s": quantile(raw_join, 95),
        "raw_alone_join_s": alone_raw.joined,
        "raw_join_p95_ratio": ratio(quantile(raw_join, 95), alone_raw.joined),
        "browser_tti_median_s": median(browser_tti),
        "browser_tti_max_s": max(browser_tti, default=None),
        "browser_alone_tti_s": alone_browser["interactive"],
        "browser_tti_max_ratio": ratio(
            max(browser_tti, default=None), alone_browser["interactive"]
        ),
        "browser_join_max_s": max(browser_join_s, default=None),
        "browser_alone_join_s": alone_browser["joined"],
        "browser_join_max_ratio": ratio(max(browser_join_s, default=None), alone_browser["joined"]),
        "server_uss_before_mib": server_before,
        "server_uss_after_mib": server_after,
        "participants_server_mib": grown,
        "widgets_sqlalchemy_kernel_uss_mib": baseline_uss,
        "memory_ratio": ratio(grown, baseline_uss),
        "all_answers_shown_s": all_shown,
        "all_answers_shown_polls": all_shown / POLL_SECONDS,
    }
    ms = 1000
    print(
        f"Time to interactive, raw clients: median {summary['raw_tti_median_s'] * ms:.1f} ms, "
        f"p95 {summary['raw_tti_p95_s'] * ms:.1f} ms, alone {alone_raw.interactive * ms:.1f} ms"
        f": p95 {fmt(summary['raw_tti_p95_ratio'], '.2f')}× (target ≤ 2×)\n"
        f"Join to the prompt, raw clients: median {summary['raw_join_median_s'] * ms:.1f} ms, "
        f"p95 {summary['raw_join_p95_s'] * ms:.1f} ms, alone {alone_raw.joined * ms:.1f} ms: "
        f"p95 {fmt(summary['raw_join_p95_ratio'], '.2f')}×\n"
        f"Time to interactive, Chromium pages in the burst: median "
        f"{summary['browser_tti_median_s'] * ms:.0f} ms, slowest "
        f"{summary['browser_tti_max_s'] * ms:.0f} ms, alone "
        f"{alone_browser['interactive'] * ms:.0f} ms: "
        f"{fmt(summary['browser_tti_max_ratio'], '.2f')}× (target ≤ 2×)\n"
        f"Join to the answer buttons, Chromium: slowest {summary['browser_join_max_s'] * ms:.0f}"
        f" ms, alone {alone_browser['joined'] * ms:.0f} ms: "
        f"{fmt(summary['browser_join_max_ratio'], '.2f')}×\n"
        f"Memory: the server process grew {grown:.1f} MiB USS for {args.participants} "
        f"participants ({server_before:.1f} -> {server_after:.1f} MiB), against "
        f"{baseline_uss:.1f} MiB for one kernel with ipywidgets and SQLAlchemy: "
        f"{fmt(summary['memory_ratio'], '.2f')}× (target for one participant's kernel ≤ 1.25×)"
        f"\nAll {args.participants} answers on the presenter page {all_shown:.2f} s after the "
        f"last: {summary['all_answers_shown_polls']:.1f} poll intervals of {POLL_SECONDS:g} s",
        flush=True,
    )
    out = write_results(
        RESULTS,
        "workshop-",
        started_at,
        {
            "summary": summary,
            "raw_tti_s": raw_tti,
            "raw_join_s": raw_join,
            "browser_tti_s": browser_tti,
            "browser_join_s": browser_join_s,
            "machine": machine(),
            "args": vars(args),
        },
    )
    print(f"Results: {out}")
    return 0


class RawParticipantBaseline:
    """Opens the ipywidgets-and-SQLAlchemy notebook so its kernel is bound and measurable."""

    def __init__(self, server: ServerProcess):
        with urllib.request.urlopen(server.url(WIDGETS_SQL), timeout=TIMEOUT) as response:
            page = response.read().decode()
        self.kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
        time.sleep(2)  # the kernel finishes its last cell


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--pool-size", type=int, default=1, help="warm kernels per workbook")
    return run_until_stopped(run, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
