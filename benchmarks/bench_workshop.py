"""Workshop benchmark: 30 participants joining at once, against one alone, on one server.

Serves the workbooks with ``collab serve --workshop 30`` (a warm kernel per expected
participant) on a fresh database holding one workshop whose first prompt (a multiple
choice) is shown, and a presenter page open in Chromium on its Present tab. Then:

1. **Alone**: one raw client joins and answers while nothing else happens, then one
   Chromium page does the same. The pool refills before the burst.
2. **Burst**: 30 participants start at the same moment: ``--browsers`` (3) real Chromium
   pages and the rest (27) raw clients. A raw client does what the page's JavaScript does,
   over HTTP and the kernel's websocket: it fetches the page (which holds its kernel's id),
   opens the widget control channel and asks for every widget's state, sets the name,
   clicks Join, waits for the answer buttons, and picks an option.

Measured, as in the issue:

* **time to interactive**: from the request for the page until the join form can be used
  (raw: the widget states arrived; browser: the Join button is visible), and from
  clicking Join until the answer buttons exist. Median and 95th percentile of the burst
  against the same kind of client alone (target: p95 ≤ 2×).
* **kernel memory**: USS of a participant's kernel after it answered, against a kernel of
  the same server that only imported ipywidgets and SQLAlchemy (target ≤ 1.25×).
* **all answers shown**: from the last of the 30 answers until the presenter page shows
  30 answered, in poll intervals (the pages poll once a second).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/``.

    python3 run.py bench workshop [--participants 30] [--browsers 3]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import websocket
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
    from nbformat import v4

    notebook = v4.new_notebook(
        cells=[
            v4.new_code_cell(
                "import ipywidgets as widgets\nimport sqlalchemy\n"
                "from voila.utils import wait_for_request\n\nwait_for_request()"
            ),
            v4.new_code_cell("widgets.Button(description='Imported')"),
        ]
    )
    write_notebook(notebook, folder / WIDGETS_SQL)


# --- a raw client: the page's JavaScript, over HTTP and the kernel's websocket --------------


class RawParticipant:
    """One participant without a browser. Times are seconds from ``start``."""

    def __init__(self, server: ServerProcess, code: str, name: str):
        self.server, self.code, self.name = server, code, name
        self.session = uuid.uuid4().hex
        self.kernel_id = ""
        self.ws: websocket.WebSocket | None = None
        self.models: dict[str, dict] = {}
        self.interactive = self.joined = self.answered_at = self.fetched = None

    def _send(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": self.session,
            "username": "bench",
            "date": dt.datetime.now(dt.UTC).isoformat(),
            "version": "5.3",
        }
        message = {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        self.ws.send(json.dumps(message))

    def _widget_msg(self, comm_id: str, data: dict) -> None:
        self._send("comm_msg", {"comm_id": comm_id, "data": data}, {"version": "2.1.0"})

    def _receive_until(self, found, deadline: float):
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.1, deadline - time.monotonic()))
            raw = self.ws.recv()
            if not isinstance(raw, str):
                continue
            message = json.loads(raw)
            result = found(message)
            if result is not None:
                return result
        raise TimeoutError(f"{self.name}: no answer from the kernel in time")

    def _model(self, predicate) -> str:
        for comm_id, state in self.models.items():
            if predicate(state):
                return comm_id
        raise LookupError(f"{self.name}: the widget was not found")

    def run(self, start: float, go: threading.Event) -> RawParticipant:
        go.wait()
        deadline = time.monotonic() + TIMEOUT
        url = self.server.url("06_workshop.ipynb", workshop=self.code)
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            page = response.read().decode()
        self.fetched = time.monotonic() - start  # the page, rendered by its kernel
        self.kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
        address = self.server.base.replace("http", "ws", 1)
        self.ws = websocket.create_connection(
            f"{address}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
            timeout=TIMEOUT,
        )
        control = uuid.uuid4().hex
        self._send(
            "comm_open",
            {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},
        )
        self._send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})

        def states(message):
            data = message.get("content", {}).get("data", {})
            if message.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return {k: v["state"] for k, v in data["states"].items()}
            return None

        self.models = self._receive_until(states, deadline)
        self.interactive = time.monotonic() - start
        name_box = self._model(lambda s: "collab-ws-name" in s.get("_dom_classes", ()))
        join = self._model(lambda s: s.get("description") == "Join")
        clicked = time.monotonic()
        self._widget_msg(name_box, {"method": "update", "state": {"value": self.name}})
        self._widget_msg(join, {"method": "custom", "content": {"event": "click"}})

        def answer_buttons(message):
            # the class arrives in the widget's state or in the update just after it
            content = message.get("content", {})
            data = content.get("data", {})
            state = data.get("state", {})
            kind = message.get("msg_type")
            if kind in ("comm_open", "comm_msg") and "collab-ws-answer" in state.get(
                "_dom_classes", ()
            ):
                return content["comm_id"]
            return None

        buttons = self._receive_until(answer_buttons, deadline)
        self.joined = time.monotonic() - clicked
        self._pick = buttons
        return self

    def answer(self, index: int) -> float:
        self._widget_msg(self._pick, {"method": "update", "state": {"index": index}})
        self.answered_at = time.monotonic()
        return self.answered_at

    def close(self) -> None:
        if self.ws is not None:
            self.ws.close()


# --- a browser participant -------------------------------------------------------------------


def browser_open(browser, server: ServerProcess, code: str) -> dict:
    """Start loading the participant page; returns at once with the start time."""
    context = browser.new_context(viewport={"width": 420, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    started = time.monotonic()
    page.goto(server.url("06_workshop.ipynb", workshop=code), wait_until="commit")
    return {"page": page, "context": context, "started": started}


def browser_join(opened: dict, name: str) -> dict:
    """Wait until the opened page can be used, then join and wait for the answer buttons."""
    page = opened["page"]
    join = page.get_by_role("button", name="Join")
    join.wait_for(state="visible")
    opened["interactive"] = time.monotonic() - opened["started"]
    page.locator(".collab-ws-name input").fill(name)
    clicked = time.monotonic()
    join.click()
    page.locator(".collab-ws-answer").wait_for(state="visible")
    opened["joined"] = time.monotonic() - clicked
    return opened


def browser_answer(joined: dict, index: int) -> float:
    joined["page"].locator(".collab-ws-answer button").nth(index).click()
    joined["page"].locator(".collab-saved-ok").wait_for(state="visible")
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


def uss_mib(server: ServerProcess, kernel_id: str) -> float:
    return kernel_processes(server)[kernel_id].memory_full_info().uss / 2**20


def run(args: argparse.Namespace) -> int:
    started_at = dt.datetime.now()
    raw_count = args.participants - args.browsers
    print(
        f"Workshop benchmark: {args.participants} participants ({args.browsers} Chromium "
        f"pages, {raw_count} raw websocket clients); {machine()['cpus']} CPU(s)",
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
        pool = args.participants + 2 + 1 + (notebooks - 2) * args.pool_size  # + the presenter
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

            # 1. alone
            go = threading.Event()
            go.set()
            alone_raw = RawParticipant(server, code, "alone-raw").run(time.monotonic(), go)
            alone_raw.close()
            alone_browser = browser_join(browser_open(browser, server, code), "alone-browser")
            alone_browser["context"].close()
            print(
                f"  alone: raw {alone_raw.interactive:.2f} s to interactive, "
                f"{alone_raw.joined:.2f} s to join; browser {alone_browser['interactive']:.2f}"
                f" s, {alone_browser['joined']:.2f} s",
                flush=True,
            )
            wait_for_pool(server, pool)  # the two used kernels are replaced

            # 2. the burst
            go = threading.Event()
            raws = [RawParticipant(server, code, f"raw-{i}") for i in range(raw_count)]
            with concurrent.futures.ThreadPoolExecutor(max_workers=raw_count) as pool_threads:
                start = time.monotonic()
                futures = [pool_threads.submit(r.run, start, go) for r in raws]
                go.set()
                # the pages start loading together with the raw clients; each one's times
                # count from its own start
                opened = [browser_open(browser, server, code) for _ in range(args.browsers)]
                browsers = [browser_join(o, f"browser-{i}") for i, o in enumerate(opened)]
                for future in futures:
                    future.result()
            answered = [r.answer(i % len(OPTIONS)) for i, r in enumerate(raws)]
            answered += [browser_answer(b, i % len(OPTIONS)) for i, b in enumerate(browsers)]
            fetched = [r.fetched for r in raws]
            print(
                f"  raw clients' pages arrived after a median {median(fetched):.2f} s "
                f"(alone {alone_raw.fetched:.2f} s)",
                flush=True,
            )
            last_answer = max(answered)
            presenter.locator(".collab-ws-answered").filter(
                has_text=f"{args.participants} of"
            ).wait_for(state="visible")
            all_shown = time.monotonic() - last_answer
            participant_uss = uss_mib(server, raws[0].kernel_id)
            baseline = RawParticipantBaseline(server)
            baseline_uss = uss_mib(server, baseline.kernel_id)
            for r in raws:
                r.close()
            for b in browsers:
                b["context"].close()
            browser.close()

    raw_tti = [r.interactive for r in raws]
    raw_join = [r.joined for r in raws]
    browser_tti = [b["interactive"] for b in browsers]
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
        "participant_kernel_uss_mib": participant_uss,
        "widgets_sqlalchemy_kernel_uss_mib": baseline_uss,
        "memory_ratio": ratio(participant_uss, baseline_uss),
        "all_answers_shown_s": all_shown,
        "all_answers_shown_polls": all_shown / POLL_SECONDS,
    }
    print(
        f"Time to interactive, raw clients: median {fmt(summary['raw_tti_median_s'], '.2f')} s,"
        f" p95 {fmt(summary['raw_tti_p95_s'], '.2f')} s, alone "
        f"{alone_raw.interactive:.2f} s: p95 {fmt(summary['raw_tti_p95_ratio'], '.2f')}× "
        "(target ≤ 2×)\n"
        f"Join to answer buttons, raw clients: median {fmt(summary['raw_join_median_s'], '.2f')}"
        f" s, p95 {fmt(summary['raw_join_p95_s'], '.2f')} s, alone {alone_raw.joined:.2f} s: "
        f"p95 {fmt(summary['raw_join_p95_ratio'], '.2f')}×\n"
        f"Time to interactive, Chromium pages in the burst: median "
        f"{fmt(summary['browser_tti_median_s'], '.2f')} s, slowest "
        f"{fmt(summary['browser_tti_max_s'], '.2f')} s, alone "
        f"{alone_browser['interactive']:.2f} s: {fmt(summary['browser_tti_max_ratio'], '.2f')}×\n"
        f"Participant kernel {participant_uss:.1f} MiB USS against {baseline_uss:.1f} MiB for a "
        f"kernel with ipywidgets and SQLAlchemy: {fmt(summary['memory_ratio'], '.2f')}× "
        "(target ≤ 1.25×)\n"
        f"All {args.participants} answers on the presenter page {all_shown:.2f} s after the "
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
            "raw_page_fetched_s": [r.fetched for r in raws],
            "raw_alone_page_fetched_s": alone_raw.fetched,
            "browser_tti_s": browser_tti,
            "browser_join_s": [b["joined"] for b in browsers],
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
