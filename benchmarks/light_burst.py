"""A class opening a light page at once, against one visitor alone: the machinery the
students' and the families' benchmarks share (``bench_students.py``, ``bench_families.py``),
each a :class:`LightPage` (what its page is, how a visitor signs in, what a good answer
holds, what the page marks once usable) and a ``prepare`` that makes its class.

Measured as the workshop benchmark measures (``bench_workshop.py``, whose networks, raw
``http``, priorities and memory this imports). Serves the workbooks with ``collab serve``
on loopback (no warm kernels: a light page is one static page and a JSON API in the
server's own process) on a fresh database made by the benchmark's ``prepare``: one class of
N visitors (``--students``, ``--families``), each with a code of their own. Then, behind
each network in turn (``--networks``), ``--rounds`` times:

1. **Alone**: one raw client signs in while nothing else happens, then one Chromium page;
   each twice, the second counted (the first warms the server's code paths).
2. **Burst**: all N start at the same moment, each with their own code: ``--browsers`` (3)
   real Chromium pages and the rest raw HTTP clients. A raw client does what a phone's
   browser does over the network, each request on a new connection: it fetches the page
   (one response holding the whole page), then posts the sign-in call (``join``, ``open``)
   with its code and gets the visitor's own page back (the payload the page draws). The raw
   clients run on one asyncio loop in a process of their own (the workshop benchmark's
   ``http``). A Chromium page is a phone-sized context of its own (360 × 740, touch), open
   on a blank page before the visitor's link (``…#card=…``, ``…#code=…``) is followed: the
   page reads the code, signs in and draws the visitor's page.

**Time to interactive**: until the visitor can use their own page. Raw: from the start
until the call has answered (the page, then the call). Chromium: by the page's own clock
from the start of its navigation, until the page's own performance mark (set once the
visitor's page is drawn and usable). Per burst: the 95th percentile of all N, each against
its own kind alone just before it (target: p95 ≤ 2×), and each kind's median and p95; then
the median over the bursts, with every burst's figure. Also reported: *the page* (raw: the
page arrived; Chromium: its script ran, DOMContentLoaded's end) and *the call* (raw
clients: the call alone; Chromium: Resource Timing; the server's share).

**Shared cores.** The browsers (and Playwright's driver) stand for the visitors' own
phones but share the server's two cores here, so they run at the lowest priority (nice
19): the server and the raw clients' process go first.

**Memory**: what all the visitors signing in cost the server process (its USS at the end,
less before the first).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/<label>-*.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_workshop import (
    DEVICES_NICE,
    NETWORKS,
    TIMEOUT,
    Network,
    across,
    behind_the_server,
    http,
    in_ms,
    uss_mib,
    voila_process,
)
from harness import (
    fmt,
    machine,
    median,
    quantile,
    ratio,
    run_until_stopped,
    write_results,
)

from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess

RESULTS = Path(__file__).parent / "results"
PHONE_SCREEN = {"width": 360, "height": 740}


@dataclasses.dataclass(frozen=True)
class LightPage:
    """What one light page's burst measures. Data only: it travels to the raw clients'
    process."""

    label: str  # the visitors, plural: the option (--students), the printed words, results-*
    page: str  # the page's path and query: "/students?class=ABC123"
    page_has: bytes  # what the page a raw client fetches must hold
    fragment: str  # a visitor's link is page + "#<fragment>=<code>"
    api: str  # the sign-in call: "/students/api/join"
    body: dict  # its body, but for the visitor's code
    code_field: str  # the body's field for the visitor's code
    answer_has: tuple[str, ...]  # paths in the answer ("meetings.0.activities"), each non-empty
    mark: str  # the performance mark the page sets once the visitor's page is usable
    heading: str  # a heading visible by then
    interactive: str = "signed in, own page"  # printed: what "interactive" means here
    call: str = "join"  # the call's name: printed, and in the results' keys

    def link(self, base: str, code: str) -> str:
        return f"{base}{self.page}#{self.fragment}={code}"

    def body_for(self, code: str) -> dict:
        return {**self.body, self.code_field: code}

    def good(self, answer: dict) -> bool:
        """Every one of ``answer_has`` is there and not empty."""
        for path in self.answer_has:
            value = answer
            for step in path.split("."):
                if isinstance(value, list) and step.isdigit() and int(step) < len(value):
                    value = value[int(step)]
                elif isinstance(value, dict) and step in value:
                    value = value[step]
                else:
                    return False
            if not value:
                return False
        return True

    @property
    def steps(self) -> tuple[str, str, str]:
        return ("tti", "page", self.call)


# ``prepare(db_url, visitors)``: the class made on a fresh database; the page (its spec
# with the class's own page and body) and each visitor's code.
Prepare = Callable[[str, int], tuple[LightPage, list[str]]]


def warm(server: ServerProcess, spec: LightPage, code: str) -> None:
    """The first call opens the store (and applies retention) and reads the data files,
    before the server's memory is first measured."""
    with urllib.request.urlopen(f"{server.base}{spec.page}", timeout=TIMEOUT) as page:
        page.read()
    request = urllib.request.Request(
        f"{server.base}{spec.api}",
        data=json.dumps(spec.body_for(code)).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        answer.read()


# --- a raw client: a phone's browser over the network, without the drawing ----------------


class RawVisitor:
    """One visitor without a browser, each request on a new connection behind the network
    (the workshop benchmark's ``http``). Times are seconds."""

    def __init__(self, base: str, network: Network, spec: LightPage, code: str):
        self.base, self.network, self.spec, self.code = base, network, spec, code
        self.interactive = self.page = self.called = None

    async def request(self, method: str, path: str, body: dict | None = None):
        return await http(self.base, self.network, method, path, body)

    async def run(self, start: float) -> RawVisitor:
        """The page, then the sign-in call with the visitor's own code: interactive once it
        has answered with the visitor's page (the payload the page draws)."""
        status, page = await self.request("GET", self.spec.page)
        assert status == 200 and self.spec.page_has in page, status
        self.page = time.monotonic() - start
        sent = time.monotonic()
        status, body = await self.request("POST", self.spec.api, self.spec.body_for(self.code))
        answer = json.loads(body)
        assert status == 200 and self.spec.good(answer), answer
        done = time.monotonic()
        self.called, self.interactive = done - sent, done - start
        return self


# The raw clients run in a process of their own (as the workshop benchmark's do): in this
# one, Playwright's work would hold the interpreter's lock while their requests wait.


def raw_visits(
    base: str, network: Network, spec: LightPage, codes: list[str], start_at: float
) -> list[RawVisitor]:
    """Wait until ``start_at``, then every visitor fetches the page and signs in."""

    async def together() -> list[RawVisitor]:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        start = time.monotonic()
        return await asyncio.gather(
            *(RawVisitor(base, network, spec, code).run(start) for code in codes)
        )

    return asyncio.run(together())


# --- a visitor's phone: a Chromium page -------------------------------------------------------


def phone_ready(browser, network: Network) -> dict:
    """A visitor's phone, open on a blank page, behind ``network``."""
    context = browser.new_context(
        viewport=PHONE_SCREEN, is_mobile=True, has_touch=True, device_scale_factor=1
    )
    page = context.new_page()
    page.set_default_timeout(TIMEOUT * 1000)
    if network.rtt:
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.emulateNetworkConditions", network.devtools())
    return {"page": page, "context": context}


def follow(opened: dict, url: str) -> dict:
    """Follow the link without waiting, so that several pages load together."""
    opened["page"].evaluate("url => { location.href = url; }", url)
    return opened


# By the page's own clock, from the start of its navigation (milliseconds).
TIMES = """([mark, api]) => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const usable = performance.getEntriesByName(mark)[0];
  const call = performance.getEntriesByType("resource")
    .find((entry) => entry.name.includes(api));
  return {ready: navigation.domContentLoadedEventEnd, usable: usable.startTime,
          call: call ? call.duration : null};
}"""
MARKED = "mark => performance.getEntriesByName(mark).length > 0"


def usable(opened: dict, spec: LightPage) -> dict:
    """Wait until the visitor's own page is drawn; its times, in seconds."""
    page = opened["page"]
    page.wait_for_function(MARKED, arg=spec.mark, timeout=TIMEOUT * 1000)
    times = page.evaluate(TIMES, [spec.mark, spec.api.lstrip("/")])
    assert page.get_by_role("heading", name=spec.heading).is_visible()
    opened["context"].close()
    return {name: None if value is None else value / 1000 for name, value in times.items()}


# --- the run -------------------------------------------------------------------------------


def alone(clients, browser, server: ServerProcess, network: Network, spec: LightPage, code: str):
    """One raw client signs in while nothing else happens, then one Chromium page; each
    twice, the second counted (the first warms the server's code paths)."""
    for _ in range(2):
        [raw] = clients.submit(
            raw_visits, server.base, network, spec, [code], time.monotonic()
        ).result(TIMEOUT)
        page = usable(follow(phone_ready(browser, network), spec.link(server.base, code)), spec)
    tti, step_page, call = spec.steps
    return {
        f"raw_{tti}_s": raw.interactive,
        f"raw_{step_page}_s": raw.page,
        f"raw_{call}_s": raw.called,
        f"browser_{tti}_s": page["usable"],
        f"browser_{step_page}_s": page["ready"],
        f"browser_{call}_s": page["call"],
    }


def burst(clients, browser, server: ServerProcess, network: Network, spec: LightPage, codes, args):
    """Every visitor starts at the same moment, with their own code: the pages on the first
    ``--browsers`` codes, the raw clients on the rest; each one's times from its own start."""
    pages_codes, raw_codes = codes[: args.browsers], codes[args.browsers :]
    ready = [phone_ready(browser, network) for _ in pages_codes]
    start_at = time.monotonic() + 0.5
    visiting = clients.submit(raw_visits, server.base, network, spec, raw_codes, start_at)
    time.sleep(max(0.0, start_at - time.monotonic()))
    opened = [
        follow(phone, spec.link(server.base, code))
        for phone, code in zip(ready, pages_codes, strict=True)
    ]
    pages = [usable(o, spec) for o in opened]
    raws = visiting.result(TIMEOUT)
    tti, step_page, call = spec.steps
    return {
        f"raw_{tti}_s": [r.interactive for r in raws],
        f"raw_{step_page}_s": [r.page for r in raws],
        f"raw_{call}_s": [r.called for r in raws],
        f"browser_{tti}_s": [p["usable"] for p in pages],
        f"browser_{step_page}_s": [p["ready"] for p in pages],
        f"browser_{call}_s": [p["call"] for p in pages if p["call"] is not None],
    }


def summarise(spec: LightPage, one: dict, many: dict) -> dict:
    """Median and p95 of the burst against one alone, for each kind of client, and the p95
    of all the visitors together (each against its own kind alone)."""
    summary = {}
    for kind in ("raw", "browser"):
        for step in spec.steps:
            times, base = many[f"{kind}_{step}_s"], one[f"{kind}_{step}_s"]
            summary[f"{kind}_{step}"] = {
                "median_s": median(times),
                "p95_s": quantile(times, 95),
                "alone_s": base,
                "p95_ratio": ratio(quantile(times, 95), base),
            }
    for step in ("tti", "page"):
        relative = [t / one[f"raw_{step}_s"] for t in many[f"raw_{step}_s"]] + [
            t / one[f"browser_{step}_s"] for t in many[f"browser_{step}_s"]
        ]
        summary[f"all_{step}"] = {
            "median_ratio": median(relative),
            "p95_ratio": quantile(relative, 95),
        }
    return summary


def report(spec: LightPage, network: Network, visitors: int, summary: dict) -> str:
    def ratios(figure: dict) -> str:
        bursts = ", ".join(fmt(value, ".2f") for value in figure["bursts"])
        return f"{fmt(figure['median'], '.2f')}× (bursts: {bursts})"

    lines = [
        f"{network.name}"
        + (f" ({in_ms(network.rtt)} ms round trip)" if network.rtt else "")
        + f", {len(summary['all_tti']['p95_ratio']['bursts'])} bursts of {visitors} "
        f"{spec.label}; p95 of all against one alone, median over the bursts (target ≤ 2×):",
        f"  to interactive ({spec.interactive}): {ratios(summary['all_tti']['p95_ratio'])}",
        f"  the page (arrived / script run): {ratios(summary['all_page']['p95_ratio'])}",
    ]
    whats = ("to interactive", "the page", f"{spec.call} call")
    for kind, label in (("raw", "raw clients"), ("browser", "Chromium pages")):
        for step, what in zip(spec.steps, whats, strict=True):
            figures = summary[f"{kind}_{step}"]
            lines.append(
                f"  {label}, {what}: median {in_ms(figures['median_s']['median'])} ms, "
                f"p95 {in_ms(figures['p95_s']['median'])} ms, alone "
                f"{in_ms(figures['alone_s']['median'])} ms; p95 {ratios(figures['p95_ratio'])}"
            )
    return "\n".join(lines)


def run(label: str, prepare: Prepare, args: argparse.Namespace) -> int:
    started_at = dt.datetime.now()
    visitors = getattr(args, label)
    networks = [NETWORKS[name] for name in args.networks]
    print(
        f"{label.capitalize()} benchmark: {visitors} {label} ({args.browsers} phone-sized "
        f"Chromium pages, {visitors - args.browsers} raw HTTP clients) on the light page, "
        f"behind {', '.join(n.name for n in networks)}; {machine()['cpus']} CPU(s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix=f"collab-bench-{label}-") as tmp_name:
        tmp = Path(tmp_name)
        served = tmp / "workbooks"
        shutil.copytree(ROOT / "workbooks", served)
        db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        spec, codes = prepare(db_url, visitors)
        assert spec.label == label, (spec.label, label)
        clients = ProcessPoolExecutor(1)
        clients.submit(time.monotonic).result()  # started before any browser or server
        results = {}
        with (
            ServerProcess(db_url, tmp / "server.log", pool_size=0, workbooks=served) as server,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            behind_the_server(DEVICES_NICE)
            warm(server, spec, codes[0])
            server_process = voila_process(server)
            server_before = uss_mib(server_process)
            signed = 0
            for network in networks:
                rounds = []
                for _ in range(args.rounds):
                    one = alone(clients, browser, server, network, spec, codes[0])
                    many = burst(clients, browser, server, network, spec, codes, args)
                    signed += visitors + 4
                    rounds.append(
                        {"summary": summarise(spec, one, many), "alone": one, "burst": many}
                    )
                results[network.name] = {
                    "network": vars(network),
                    "summary": across(rounds),
                    "rounds": rounds,
                }
                print(report(spec, network, visitors, results[network.name]["summary"]), flush=True)
            server_after = uss_mib(server_process)
            browser.close()
        clients.shutdown()
    memory = {
        "server_uss_before_mib": server_before,
        "server_uss_after_mib": server_after,
        f"{label}_server_mib": server_after - server_before,
        f"{label}_signed_in": signed,
    }
    print(
        f"Memory: the server process grew {server_after - server_before:.1f} MiB USS for "
        f"{signed} {label} signing in ({server_before:.1f} -> {server_after:.1f} MiB)",
        flush=True,
    )
    out = write_results(
        RESULTS,
        f"{label}-",
        started_at,
        {"networks": results, "memory": memory, "machine": machine(), "args": vars(args)},
    )
    print(f"Results: {out}")
    return 0


def main(label: str, doc: str, prepare: Prepare, argv: list[str] | None = None) -> int:
    """The command line of a light page's benchmark: ``--<label>`` visitors (30),
    ``--browsers``, ``--rounds``, ``--networks``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument(f"--{label}", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3, help="of them, Chromium pages")
    parser.add_argument("--rounds", type=int, default=5, help="bursts behind each network")
    parser.add_argument(
        "--networks",
        nargs="+",
        choices=list(NETWORKS),
        default=list(NETWORKS),
        help=f"between the {label}' phones and the server, --rounds bursts behind each",
    )
    return run_until_stopped(lambda args: run(label, prepare, args), parser.parse_args(argv))
