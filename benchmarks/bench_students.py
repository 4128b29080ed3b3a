"""Students benchmark: a class of 30 opening their own page at once, against one alone.

Measured as the workshop benchmark measures (``bench_workshop.py``, whose machinery this
one imports). Serves the workbooks with ``collab serve`` on loopback (no warm kernels:
students use the light page, ``/students``, one static page and a JSON API in the server's
own process) on a fresh database holding one class of ``--students`` (30) students with
cards, its groups (of five), the interest survey open and a teamwork check open: each
student's page shows the survey and five people to rate on five questions, as in class.
Then, behind each network in turn (``--networks``), ``--rounds`` (5) times:

1. **Alone**: one raw client signs in while nothing else happens, then one Chromium page;
   each twice, the second counted (the first warms the server's code paths).
2. **Burst**: 30 students start at the same moment, each with their own card:
   ``--browsers`` (3) real Chromium pages and the rest (27) raw HTTP clients. A raw client
   does what a phone's browser does over the network, each request on a new connection:
   it fetches the page (``/students?class=…``: one response holding the whole page), then
   posts ``join`` with the class code and its card code and gets the student's page back
   (the payload the page draws the student's page from). The raw clients run on one
   asyncio loop in a process of their own (the workshop benchmark's ``http``). A Chromium
   page is a phone-sized context of its own (360 × 740, touch), open on a blank page
   before the card's link (``/students?class=…#card=…``) is followed: the page reads the
   codes, signs in and draws the student's page.

**Time to interactive**: until the student can use their own page. Raw: from the start
until the ``join`` call has answered (the page, then the join). Chromium: by the page's
own clock from the start of its navigation, until the page's ``collab-signed-in`` mark
(set once the survey and the evaluation are drawn and usable). Per burst: the 95th
percentile of all 30, each against its own kind alone just before it (target: p95 ≤ 2×),
and each kind's median and p95; then the median over the bursts, with every burst's
figure. Also reported: *the page* (raw: the page arrived; Chromium: its script ran,
DOMContentLoaded's end) and *the join call* (raw clients: the ``join`` request alone; the
server's share).

**The networks** are the workshop benchmark's: ``loopback`` (this machine, nothing
between: one student alone takes a few milliseconds of the server, so the ratio counts
the requests queued on two shared cores), and Lighthouse's presets ``laptop`` (40 ms,
10 Mbps) and ``phone`` (150 ms, 1.6 Mbps down, 750 kbps up), waited out by the raw
clients and given to each page by Chromium's own network emulation.

**Shared cores.** The browsers (and Playwright's driver) stand for the students' own
phones but share the server's two cores here, so they run at the lowest priority (nice
19): the server and the raw clients' process go first.

**Memory**: what all the students signing in cost the server process (its USS at the end,
less before the first).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/``.

    python3 run.py bench students [--students 30] [--browsers 3] [--rounds 5]
                                  [--networks loopback laptop phone]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
import urllib.request
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

from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings
from collab_widgets.team.store import members, teams

RESULTS = Path(__file__).parent / "results"
GROUP_SIZE = 5
PHONE_SCREEN = {"width": 360, "height": 740}
FIRST = ("Maya", "Omar", "Lena", "Theo", "Zara", "Ivan", "Ruth", "Femi", "Ana", "Ben")
LAST = "RKPBNDEACL"


def make_class(db_url: str, students: int) -> tuple[str, list[str]]:
    """A class of ``students`` with cards, groups of five, the survey and an evaluation
    open: the class code and each student's card code."""
    store = Store(db_url)
    _, coach_code, _ = teams.first_coach_code(store)
    coach = store.open_coach(coach_code)
    as_coach = teams.create_team(coach, "Grade 7 Science")
    team_code = teams.team_code(as_coach)
    teacher_token = members.add(as_coach, "Ana").token
    teacher = store.open_team(team_code, teacher_token)
    class_id = classes.create_class(teacher, "7B Science")
    rows = [
        StudentRow(f"S{n:04d}", f"{FIRST[n % 10]} Student{n}", f"{FIRST[n % 10]} {LAST[n // 10]}.")
        for n in range(students)
    ]
    classes.add_students(teacher, class_id, rows)
    cards = classes.issue_student_codes(teacher, class_id)
    ids = sorted(cards)
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Project teams",
        {},
        None,
        [Placement(sid, n // GROUP_SIZE + 1) for n, sid in enumerate(ids)],
    )
    classes.set_survey_open(teacher, class_id, True)
    evaluations.open_evaluation(teacher, class_id, grouping_id, "Teamwork check")
    code = classes.class_info(teacher, class_id).code
    store.close()
    return code, [cards[sid] for sid in ids]


def student_url(server: ServerProcess, class_code: str, card: str) -> str:
    return f"{server.base}/students?class={class_code}#card={card}"


def warm(server: ServerProcess, class_code: str, card: str) -> None:
    """The first call opens the store (and applies retention) and reads the data files,
    before the server's memory is first measured."""
    with urllib.request.urlopen(f"{server.base}/students", timeout=TIMEOUT) as page:
        page.read()
    request = urllib.request.Request(
        f"{server.base}/students/api/join",
        data=json.dumps({"class": class_code, "card": card}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        answer.read()


# --- a raw client: a phone's browser over the network, without the drawing ----------------


class RawStudent:
    """One student without a browser, each request on a new connection behind the network
    (the workshop benchmark's ``http``). Times are seconds."""

    def __init__(self, base: str, network: Network, class_code: str, card: str):
        self.base, self.network, self.class_code, self.card = base, network, class_code, card
        self.interactive = self.page = self.joined = None

    async def request(self, method: str, path: str, body: dict | None = None):
        return await http(self.base, self.network, method, path, body)

    async def run(self, start: float) -> RawStudent:
        """The page, then ``join`` with the student's own card: interactive once the join
        has answered with the student's page (the payload the page draws)."""
        status, page = await self.request("GET", f"/students?class={self.class_code}")
        assert status == 200 and b'id="sign-in"' in page, status
        self.page = time.monotonic() - start
        sent = time.monotonic()
        status, body = await self.request(
            "POST", "/students/api/join", {"class": self.class_code, "card": self.card}
        )
        answer = json.loads(body)
        assert status == 200 and answer["survey"] and answer["evaluation"], answer
        done = time.monotonic()
        self.joined, self.interactive = done - sent, done - start
        return self


# The raw clients run in a process of their own (as the workshop benchmark's do): in this
# one, Playwright's work would hold the interpreter's lock while their requests wait.


def raw_joins(
    base: str, network: Network, class_code: str, cards: list[str], start_at: float
) -> list[RawStudent]:
    """Wait until ``start_at``, then every student fetches the page and signs in."""

    async def together() -> list[RawStudent]:
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        start = time.monotonic()
        return await asyncio.gather(
            *(RawStudent(base, network, class_code, card).run(start) for card in cards)
        )

    return asyncio.run(together())


# --- a student's phone: a Chromium page -------------------------------------------------------


def phone_ready(browser, network: Network) -> dict:
    """A student's phone, open on a blank page, behind ``network``."""
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
TIMES = """() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const signed = performance.getEntriesByName("collab-signed-in")[0];
  const join = performance.getEntriesByType("resource")
    .find((entry) => entry.name.includes("students/api/join"));
  return {ready: navigation.domContentLoadedEventEnd, signed_in: signed.startTime,
          join: join ? join.duration : null};
}"""
SIGNED_IN = "() => performance.getEntriesByName('collab-signed-in').length > 0"


def signed_in(opened: dict) -> dict:
    """Wait until the student's own page is drawn; its times, in seconds."""
    page = opened["page"]
    page.wait_for_function(SIGNED_IN, timeout=TIMEOUT * 1000)
    times = page.evaluate(TIMES)
    assert page.get_by_role("heading", name="Teamwork check").is_visible()
    opened["context"].close()
    return {name: None if value is None else value / 1000 for name, value in times.items()}


# --- the run -------------------------------------------------------------------------------


def alone(clients, browser, server: ServerProcess, network: Network, class_code: str, card: str):
    """One raw client signs in while nothing else happens, then one Chromium page; each
    twice, the second counted (the first warms the server's code paths)."""
    for _ in range(2):
        [raw] = clients.submit(
            raw_joins, server.base, network, class_code, [card], time.monotonic()
        ).result(TIMEOUT)
        page = signed_in(
            follow(phone_ready(browser, network), student_url(server, class_code, card))
        )
    return {
        "raw_tti_s": raw.interactive,
        "raw_page_s": raw.page,
        "raw_join_s": raw.joined,
        "browser_tti_s": page["signed_in"],
        "browser_page_s": page["ready"],
        "browser_join_s": page["join"],
    }


def burst(clients, browser, server: ServerProcess, network: Network, class_code: str, cards, args):
    """Every student starts at the same moment, with their own card: the pages on the first
    ``--browsers`` cards, the raw clients on the rest; each one's times from its own start."""
    pages_cards, raw_cards = cards[: args.browsers], cards[args.browsers :]
    ready = [phone_ready(browser, network) for _ in pages_cards]
    start_at = time.monotonic() + 0.5
    joining = clients.submit(raw_joins, server.base, network, class_code, raw_cards, start_at)
    time.sleep(max(0.0, start_at - time.monotonic()))
    opened = [
        follow(phone, student_url(server, class_code, card))
        for phone, card in zip(ready, pages_cards, strict=True)
    ]
    pages = [signed_in(o) for o in opened]
    raws = joining.result(TIMEOUT)
    return {
        "raw_tti_s": [r.interactive for r in raws],
        "raw_page_s": [r.page for r in raws],
        "raw_join_s": [r.joined for r in raws],
        "browser_tti_s": [p["signed_in"] for p in pages],
        "browser_page_s": [p["ready"] for p in pages],
        "browser_join_s": [p["join"] for p in pages if p["join"] is not None],
    }


def summarise(one: dict, many: dict) -> dict:
    """Median and p95 of the burst against one alone, for each kind of client, and the p95
    of all the students together (each against its own kind alone)."""
    summary = {}
    for kind in ("raw", "browser"):
        for step in ("tti", "page", "join"):
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


def report(network: Network, students: int, summary: dict) -> str:
    def ratios(figure: dict) -> str:
        bursts = ", ".join(fmt(value, ".2f") for value in figure["bursts"])
        return f"{fmt(figure['median'], '.2f')}× (bursts: {bursts})"

    lines = [
        f"{network.name}"
        + (f" ({in_ms(network.rtt)} ms round trip)" if network.rtt else "")
        + f", {len(summary['all_tti']['p95_ratio']['bursts'])} bursts of {students} "
        "students; p95 of all against one alone, median over the bursts (target ≤ 2×):",
        f"  to interactive (signed in, own page): {ratios(summary['all_tti']['p95_ratio'])}",
        f"  the page (arrived / script run): {ratios(summary['all_page']['p95_ratio'])}",
    ]
    for kind, label in (("raw", "raw clients"), ("browser", "Chromium pages")):
        for step, what in (("tti", "to interactive"), ("page", "the page"), ("join", "join call")):
            figures = summary[f"{kind}_{step}"]
            lines.append(
                f"  {label}, {what}: median {in_ms(figures['median_s']['median'])} ms, "
                f"p95 {in_ms(figures['p95_s']['median'])} ms, alone "
                f"{in_ms(figures['alone_s']['median'])} ms; p95 {ratios(figures['p95_ratio'])}"
            )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    started_at = dt.datetime.now()
    networks = [NETWORKS[name] for name in args.networks]
    print(
        f"Students benchmark: {args.students} students ({args.browsers} phone-sized Chromium "
        f"pages, {args.students - args.browsers} raw HTTP clients) on the light page, behind "
        f"{', '.join(n.name for n in networks)}; {machine()['cpus']} CPU(s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="collab-bench-st-") as tmp_name:
        tmp = Path(tmp_name)
        served = tmp / "workbooks"
        shutil.copytree(ROOT / "workbooks", served)
        db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        class_code, cards = make_class(db_url, args.students)
        clients = ProcessPoolExecutor(1)
        clients.submit(time.monotonic).result()  # started before any browser or server
        results = {}
        with (
            ServerProcess(db_url, tmp / "server.log", pool_size=0, workbooks=served) as server,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            behind_the_server(DEVICES_NICE)
            warm(server, class_code, cards[0])
            server_process = voila_process(server)
            server_before = uss_mib(server_process)
            signed = 0
            for network in networks:
                rounds = []
                for _ in range(args.rounds):
                    one = alone(clients, browser, server, network, class_code, cards[0])
                    many = burst(clients, browser, server, network, class_code, cards, args)
                    signed += args.students + 4
                    rounds.append({"summary": summarise(one, many), "alone": one, "burst": many})
                results[network.name] = {
                    "network": vars(network),
                    "summary": across(rounds),
                    "rounds": rounds,
                }
                print(report(network, args.students, results[network.name]["summary"]), flush=True)
            server_after = uss_mib(server_process)
            browser.close()
        clients.shutdown()
    memory = {
        "server_uss_before_mib": server_before,
        "server_uss_after_mib": server_after,
        "students_server_mib": server_after - server_before,
        "students_signed_in": signed,
    }
    print(
        f"Memory: the server process grew {server_after - server_before:.1f} MiB USS for "
        f"{signed} students signing in ({server_before:.1f} -> {server_after:.1f} MiB)",
        flush=True,
    )
    out = write_results(
        RESULTS,
        "students-",
        started_at,
        {"networks": results, "memory": memory, "machine": machine(), "args": vars(args)},
    )
    print(f"Results: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3, help="of them, Chromium pages")
    parser.add_argument("--rounds", type=int, default=5, help="bursts behind each network")
    parser.add_argument(
        "--networks",
        nargs="+",
        choices=list(NETWORKS),
        default=list(NETWORKS),
        help="between the students' phones and the server, --rounds bursts behind each",
    )
    return run_until_stopped(run, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
