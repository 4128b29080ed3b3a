"""Workshop benchmark: 30 participants joining at once, against one alone, on one server.

Serves the workbooks with ``collab serve --workshop 30`` on a fresh database holding one
workshop whose first prompt (a multiple choice) is shown, and a presenter page open in
Chromium on its Present tab (the pool's replacement kernel started before anyone joins,
as a trainer opens that page first). Participants use the light workshop page
(``/workshop``: one static page and a JSON API in the server's own process; no kernel
each). Then, behind each network in turn (``--networks``), ``--rounds`` (5) times:

1. **Alone**: one raw client joins while nothing else happens, then one Chromium page.
2. **Burst**: 30 participants start at the same moment: ``--browsers`` (3) real Chromium
   pages and the rest (27) raw HTTP clients. A raw client does what a phone's browser
   does over the network, on its own connection: it fetches the page (one response
   holding the whole page), then posts ``join`` with a name and gets the prompt back,
   then posts its answer. The raw clients run on one asyncio loop in a process of their
   own, so that the benchmark's own work per request is small next to the server's.

**The networks.** Time to interactive is what a participant waits for on their own device
and network. ``loopback`` is this machine with nothing in between: one participant alone
then takes one or two milliseconds of the server, so the ratio counts how many requests
queue on the two cores (30 at the same instant cannot come within 2× of one request on
any server; the figure is kept to watch the server's own queue). ``laptop`` and ``phone``
put Lighthouse's two network presets between every participant and the server, alone and
in the burst alike (https://github.com/GoogleChrome/lighthouse/blob/main/docs/throttling.md):
a laptop on broadband (40 ms round trip, 10 Mbps) and a phone on a slow 4G network
(Lighthouse's default: 150 ms, 1.6 Mbps down, 750 kbps up). A raw client waits out a round
trip to open each connection, half of one each way and the bytes at the throughput
(sleeps: no CPU); a Chromium page gets the same latency and throughputs from Chromium's
own network emulation. Only the network is emulated, not a slower CPU.

**Shared cores.** The browsers (and Playwright's driver) stand for the participants' own
devices but share the server's two cores here, so they run at the lowest priority (nice
19): the server and the raw clients' process go first, as with devices of their own.

Measured, as in the issue:

* **time to interactive**: from the request for the page until the join form can be used
  (raw: the page has arrived; browser: the page's script has run, by the browser's
  Navigation Timing), and from joining until the answer buttons are there (raw: the
  join's answer arrived; browser: the buttons are visible). Median and 95th percentile
  of each burst against the same kind of client alone just before it, and the 95th
  percentile of all 30 (each against its own kind alone). Target: p95 ≤ 2×. Each burst's
  figures are printed, and their median over the bursts (one burst is one sample of a
  shared, noisy machine).
* **memory**: participants have no kernel; what all the participants cost the server
  process (its USS after they joined and answered, less before), against a kernel of the
  same server that only imported ipywidgets and SQLAlchemy (the issue's target for a
  participant's kernel: ≤ 1.25× that kernel).
* **all answers shown**: from the last answer of a burst until the presenter page counts
  them all, in poll intervals (the pages poll once a second).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/``.

    python3 run.py bench workshop [--participants 30] [--browsers 3] [--rounds 5]
                                  [--networks loopback laptop phone]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import re
import shutil
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import (  # noqa: E402
    fmt,
    machine,
    median,
    quantile,
    ratio,
    run_until_stopped,
    write_notebook,
    write_results,
)

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess
from collab_widgets.live.rules import POLL_SECONDS
from collab_widgets.team.store import teams
from collab_widgets.workshops.store import trainer as workshops

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


# --- the network between a participant's device and the server ---------------------------


@dataclass(frozen=True)
class Network:
    """What lies between a participant's device and the server: a round trip and the
    throughput each way (bytes per second; 0 for no limit)."""

    name: str
    rtt: float
    down: float = 0.0
    up: float = 0.0

    def travel(self, size: int, throughput: float) -> float:
        """Seconds for ``size`` bytes to cross one way: half a round trip plus the bytes."""
        return self.rtt / 2 + (size / throughput if throughput else 0.0)

    def devtools(self) -> dict:
        """Chromium's own emulation of this network for a page (DevTools' throttling adds
        its latency once per request; two round trips stand for opening the connection
        and the request itself, as the raw clients wait)."""
        return {
            "offline": False,
            "latency": 2 * self.rtt * 1000,
            "downloadThroughput": self.down or -1,
            "uploadThroughput": self.up or -1,
        }


KBPS = 1024 / 8  # Lighthouse's kilobits per second, in bytes per second
# The same machine's loopback: a millisecond for one participant alone, so the ratio
# counts the requests queued on two shared cores. Then Lighthouse's two presets
# (https://github.com/GoogleChrome/lighthouse/blob/main/docs/throttling.md,
# core/config/constants.js): a laptop on broadband ("desktop": 40 ms, 10 Mbps) and a
# phone on a slow 4G network ("mobile", its default: 150 ms, 1.6 Mbps down, 750 kbps up).
LOOPBACK = Network("loopback", 0.0)
LAPTOP = Network("laptop", 0.040, 10 * 1024 * KBPS, 10 * 1024 * KBPS)
PHONE = Network("phone", 0.150, 1.6 * 1024 * KBPS, 750 * KBPS)
NETWORKS = {network.name: network for network in (LOOPBACK, LAPTOP, PHONE)}


# --- a raw client: a phone's browser over the network, without the drawing ----------------


async def http(base: str, network: Network, method: str, path: str, body: dict | None = None):
    """One request on a new connection, as a device opening the link: (status, body).
    The network's round trips and throughput are waited out (no CPU) around the real
    exchange with the server on loopback."""
    address = urlsplit(base)
    data = json.dumps(body).encode() if body is not None else b""
    head = f"{method} {path} HTTP/1.1\r\nHost: {address.netloc}\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
    request = head.encode() + b"\r\n" + data
    if network.rtt:  # one round trip to open the connection, then the request's way there
        await asyncio.sleep(network.rtt + network.travel(len(request), network.up))
    reader, writer = await asyncio.open_connection(address.hostname, address.port)
    writer.write(request)
    answer = await reader.read()  # to the end: the server closes after one response
    writer.close()
    if network.rtt:  # the answer's way back
        await asyncio.sleep(network.travel(len(answer), network.down))
    status_line, _, rest = answer.partition(b"\r\n")
    payload = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), payload


class RawParticipant:
    """One participant without a browser. Times are seconds from ``start``."""

    def __init__(self, base: str, network: Network, code: str, name: str):
        self.base, self.network, self.code, self.name = base, network, code, name
        self.token = ""
        self.prompt_id = 0
        self.interactive = self.joined = self.answered_at = None

    async def request(self, method: str, path: str, body: dict | None = None):
        return await http(self.base, self.network, method, path, body)

    async def run(self, start: float) -> RawParticipant:
        status, page = await self.request("GET", f"/workshop?code={self.code}")
        assert status == 200 and b'id="join-form"' in page, status
        self.interactive = time.monotonic() - start
        clicked = time.monotonic()
        status, body = await self.request(
            "POST", "/workshop/api/join", {"code": self.code, "name": self.name}
        )
        joined = json.loads(body)
        assert status == 200, joined
        self.token, self.prompt_id = joined["token"], joined["room"]["prompt"]["id"]
        self.joined = time.monotonic() - clicked
        return self

    async def answer(self, index: int) -> float:
        body = {"token": self.token, "prompt": self.prompt_id, "value": OPTIONS[index]}
        status, answer = await self.request("POST", "/workshop/api/answer", body)
        assert status == 200, answer
        self.answered_at = time.monotonic()
        return self.answered_at


# The raw clients run in a process of their own: in this one, Playwright's work would hold
# the interpreter's lock while their requests wait. (time.monotonic is the same clock in
# both processes.)


def raw_joins(
    base: str, network: Network, code: str, names: list[str], start_at: float
) -> list[RawParticipant]:
    """Wait until ``start_at``, then every participant fetches the page and joins."""

    async def together() -> list[RawParticipant]:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        start = time.monotonic()
        return await asyncio.gather(
            *(RawParticipant(base, network, code, n).run(start) for n in names)
        )

    return asyncio.run(together())


def raw_answers(participants: list[RawParticipant]) -> list[float]:
    async def together() -> list[float]:
        return await asyncio.gather(
            *(r.answer(i % len(OPTIONS)) for i, r in enumerate(participants))
        )

    return asyncio.run(together())


# --- a browser participant -------------------------------------------------------------------


def browser_ready(browser, network: Network) -> dict:
    """A participant's browser, open on a blank page before the link is followed (a
    phone's browser is running before its owner taps the link), behind ``network``."""
    context = browser.new_context(viewport={"width": 420, "height": 800})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    if network.rtt:
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", network.devtools())
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
    """Until the server has ``expected`` kernels and they are idle (preheated)."""
    from harness import cpu_percent

    deadline = time.monotonic() + timeout
    count, busy = 0, 0.0
    while time.monotonic() < deadline:
        kernels = list(server.kernel_processes().values())
        count, busy = len(kernels), cpu_percent(kernels, 1.0)
        if count >= expected and busy < 10:
            return count
        time.sleep(1)
    raise TimeoutError(f"the pool has {count} of {expected} kernels, using {busy:.0f}% CPU")


# The browsers and Playwright's driver stand for the participants' own phones and laptops,
# but share the server's two cores here: they run at the lowest priority, so that the
# server (and the raw clients' process, which mostly waits) goes first, as it would with
# devices of their own. The pages still compete with each other and with the presenter's.
DEVICES_NICE = 19


def behind_the_server(nice: int) -> None:
    """Lower the priority of this benchmark's Chromium processes and Playwright's driver
    (the renderers Chromium starts later come from its zygote and inherit it)."""
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if Path(child.exe()).name in ("chromium", "node"):
                child.nice(nice)


def uss_mib(process: psutil.Process) -> float:
    return process.memory_full_info().uss / 2**20


def voila_process(server: ServerProcess) -> psutil.Process:
    """The Voilà process under ``collab serve``: it serves the participants' page."""
    for child in psutil.Process(server.process.pid).children(recursive=True):
        if "collab_widgets.core.serving.voila_app" in " ".join(child.cmdline()):
            return child
    raise LookupError("the Voilà process was not found")


def alone(clients, browser, server: ServerProcess, network: Network, code: str) -> dict:
    """One raw client joins while nothing else happens, then one Chromium page; each twice,
    the second counted (the first warms the server's code paths)."""
    for _ in range(2):
        [raw] = clients.submit(
            raw_joins, server.base, network, code, ["alone-raw"], time.monotonic()
        ).result(TIMEOUT)
        page = browser_join(browser_follow(browser_ready(browser, network), server, code), "alone")
        page["context"].close()
    return {
        "raw_tti_s": raw.interactive,
        "raw_join_s": raw.joined,
        "browser_tti_s": page["interactive"],
        "browser_join_s": page["joined"],
    }


def burst(clients, browser, server: ServerProcess, network: Network, code: str, args) -> dict:
    """Every participant starts at the same moment: the raw clients and the pages, each
    one's times counted from its own start; then each answers."""
    ready = [browser_ready(browser, network) for _ in range(args.browsers)]
    names = [f"{network.name}-raw-{i}" for i in range(args.participants - args.browsers)]
    start_at = time.monotonic() + 0.5
    joining = clients.submit(raw_joins, server.base, network, code, names, start_at)
    time.sleep(max(0.0, start_at - time.monotonic()))
    opened = [browser_follow(r, server, code) for r in ready]
    pages = [browser_join(o, f"{network.name}-browser-{i}") for i, o in enumerate(opened)]
    raws = joining.result(TIMEOUT)
    answered = clients.submit(raw_answers, raws).result(TIMEOUT)
    answered += [browser_answer(b, i % len(OPTIONS)) for i, b in enumerate(pages)]
    for page in pages:
        page["context"].close()
    return {
        "raw_tti_s": [r.interactive for r in raws],
        "raw_join_s": [r.joined for r in raws],
        "browser_tti_s": [b["interactive"] for b in pages],
        "browser_join_s": [b["joined"] for b in pages],
        "last_answer": max(answered),
    }


def summarise(one: dict, many: dict) -> dict:
    """Median and p95 of the burst against one alone, for each kind of client and for
    all participants together (each against its own kind alone)."""
    summary = {}
    for kind in ("raw", "browser"):
        for step in ("tti", "join"):
            times, base = many[f"{kind}_{step}_s"], one[f"{kind}_{step}_s"]
            summary[f"{kind}_{step}"] = {
                "median_s": median(times),
                "p95_s": quantile(times, 95),
                "alone_s": base,
                "p95_ratio": ratio(quantile(times, 95), base),
            }
    for step in ("tti", "join"):
        relative = [t / one[f"raw_{step}_s"] for t in many[f"raw_{step}_s"]] + [
            t / one[f"browser_{step}_s"] for t in many[f"browser_{step}_s"]
        ]
        summary[f"all_{step}"] = {
            "median_ratio": median(relative),
            "p95_ratio": quantile(relative, 95),
        }
    return summary


def in_ms(seconds: float | None) -> str:
    return fmt(None if seconds is None else seconds * 1000, ".1f")


def across(rounds: list[dict]) -> dict:
    """Each figure of the bursts' summaries: its median over the bursts, and each burst's."""
    first = rounds[0]["summary"]
    return {
        group: {
            name: {
                "median": median(
                    [
                        r["summary"][group][name]
                        for r in rounds
                        if r["summary"][group][name] is not None
                    ]
                ),
                "bursts": [r["summary"][group][name] for r in rounds],
            }
            for name in figures
        }
        for group, figures in first.items()
    }


def report(network: Network, summary: dict) -> str:
    def ratios(figure: dict) -> str:
        bursts = ", ".join(fmt(value, ".2f") for value in figure["bursts"])
        return f"{fmt(figure['median'], '.2f')}× (bursts: {bursts})"

    lines = [
        f"{network.name}"
        + (f" ({in_ms(network.rtt)} ms round trip)" if network.rtt else "")
        + f", {len(summary['all_tti']['p95_ratio']['bursts'])} bursts; p95 of all "
        "participants against one alone, median over the bursts (target ≤ 2×):",
        f"  to interactive: {ratios(summary['all_tti']['p95_ratio'])}",
        f"  joining, to the answer buttons: {ratios(summary['all_join']['p95_ratio'])}",
    ]
    for kind, label in (("raw", "raw clients"), ("browser", "Chromium pages")):
        for step, what in (("tti", "to interactive"), ("join", "joining")):
            figures = summary[f"{kind}_{step}"]
            lines.append(
                f"  {label}, {what}: median {in_ms(figures['median_s']['median'])} ms, "
                f"p95 {in_ms(figures['p95_s']['median'])} ms, alone "
                f"{in_ms(figures['alone_s']['median'])} ms; p95 {ratios(figures['p95_ratio'])}"
            )
    shown = summary["answers"]["shown_polls"]["bursts"]
    lines.append(
        "  all answers on the presenter's page after the last: "
        + ", ".join(f"{polls:.1f}" for polls in shown)
        + f" poll intervals of {POLL_SECONDS:g} s"
    )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    started_at = dt.datetime.now()
    networks = [NETWORKS[name] for name in args.networks]
    raw_count = args.participants - args.browsers
    print(
        f"Workshop benchmark: {args.participants} participants ({args.browsers} Chromium "
        f"pages, {raw_count} raw HTTP clients) on the light page, behind "
        f"{', '.join(n.name for n in networks)}; {machine()['cpus']} CPU(s)",
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
        results = {}
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
            behind_the_server(DEVICES_NICE)
            print(f"  waiting for {pool} warm kernels…", flush=True)
            wait_for_pool(server, pool)
            # the presenter, on its Present tab
            presenter_context = browser.new_context(viewport={"width": 1280, "height": 900})
            presenter = presenter_context.new_page()
            presenter.set_default_timeout(TIMEOUT * 1000)
            presenter.goto(server.url("07_workshop_presenter.ipynb", coach=coach_code))
            presenter.get_by_role("tab", name="Present").click()
            presenter.locator(".collab-ws-prompt").wait_for(state="visible")
            # the pool starts a kernel in place of the presenter's (the presenter's still
            # counts: one more); a trainer opens the presenter's page before the room
            # joins, so that start is over by then
            wait_for_pool(server, pool + 1)
            server_process = voila_process(server)
            server_before = uss_mib(server_process)
            # each network in turn: one alone, then all at once, --rounds times; the
            # answers add up on the presenter's page
            bursts = 0
            for network in networks:
                rounds = []
                for _ in range(args.rounds):
                    one = alone(clients, browser, server, network, code)
                    many = burst(clients, browser, server, network, code, args)
                    bursts += 1
                    presenter.locator(".collab-ws-answered").filter(
                        has_text=f"{bursts * args.participants} of"
                    ).wait_for(state="visible")
                    shown = time.monotonic() - many.pop("last_answer")
                    summary = summarise(one, many)
                    summary["answers"] = {"shown_polls": shown / POLL_SECONDS}
                    rounds.append({"summary": summary, "alone": one, "burst": many})
                results[network.name] = {
                    "network": vars(network),
                    "summary": across(rounds),
                    "rounds": rounds,
                }
                print(report(network, results[network.name]["summary"]), flush=True)
            server_after = uss_mib(server_process)
            baseline_uss = uss_mib(server.kernel_processes()[baseline_kernel(server)])
            browser.close()
        clients.shutdown()

    grown = server_after - server_before
    memory = {
        "server_uss_before_mib": server_before,
        "server_uss_after_mib": server_after,
        "participants_server_mib": grown,
        "widgets_sqlalchemy_kernel_uss_mib": baseline_uss,
        "memory_ratio": ratio(grown, baseline_uss),
    }
    print(
        f"Memory: the server process grew {grown:.1f} MiB USS for "
        f"{bursts * (args.participants + 4)} participants "
        f"({server_before:.1f} -> {server_after:.1f} MiB), against {baseline_uss:.1f} MiB "
        f"for one kernel with ipywidgets and SQLAlchemy: "
        f"{fmt(memory['memory_ratio'], '.2f')}× (target for one participant's kernel ≤ 1.25×)",
        flush=True,
    )
    out = write_results(
        RESULTS,
        "workshop-",
        started_at,
        {"networks": results, "memory": memory, "machine": machine(), "args": vars(args)},
    )
    print(f"Results: {out}")
    return 0


def baseline_kernel(server: ServerProcess) -> str:
    """Opens the ipywidgets-and-SQLAlchemy notebook, so that its kernel is bound and
    measurable: that kernel's id."""
    with urllib.request.urlopen(server.url(WIDGETS_SQL), timeout=TIMEOUT) as response:
        page = response.read().decode()
    time.sleep(2)  # the kernel finishes its last cell
    return re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--pool-size", type=int, default=1, help="warm kernels per workbook")
    parser.add_argument("--rounds", type=int, default=5, help="bursts behind each network")
    parser.add_argument(
        "--networks",
        nargs="+",
        choices=list(NETWORKS),
        default=list(NETWORKS),
        help="between the participants and the server, --rounds bursts behind each",
    )
    return run_until_stopped(run, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
