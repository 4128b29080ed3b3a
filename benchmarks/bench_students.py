"""Students benchmark: a class of 30 opening their own page at once, against one alone.

Serves the workbooks with ``collab serve`` on loopback (no warm kernels: students use the
light page, ``/students``, one static page and a JSON API in the server's own process) on a
fresh database holding one class of ``--students`` (30) students with cards, its groups
(of five), the interest survey open and a teamwork check open: each student's page shows
the survey and five people to rate on five questions, as in class.

Each student is a Chromium page in a phone-sized context of its own (360 × 740, touch),
opened on a blank page first (a phone's browser is running before its owner scans the
card), then sent to their own card's link (``/students?class=…#card=…``): the page reads
the codes, signs in (``join``) and draws the student's page. Behind each network in turn
(``--networks``), ``--rounds`` (3) times:

1. **Alone**: one student opens their link while nothing else happens (twice; the second
   counts, the first warms the server's code paths).
2. **Burst**: all the students' links are followed at the same moment.

**Time to interactive** is read from each page's own clock, from the start of its
navigation: until the page's script has run (*page ready*: DOMContentLoaded's end), and
until the student's own page is drawn after signing in (*signed in*: the page's
``collab-signed-in`` performance mark, set once the survey and the evaluation are drawn
and usable). The ``join`` call's own duration (Resource Timing) is reported too: the
server's share. Figures: the median and 95th percentile of the burst against the student
alone just before it, and their ratio (target: p95 ≤ 2× alone); each burst's figures are
printed, and their median over the bursts.

**The networks** are the workshop benchmark's (``bench_workshop.py``): ``loopback`` (this
machine, nothing between), and Lighthouse's presets ``laptop`` (40 ms, 10 Mbps) and
``phone`` (150 ms, 1.6 Mbps down, 750 kbps up), given to each page by Chromium's own
network emulation. On loopback one student alone takes a few milliseconds of the server,
so the ratio there counts how long thirty pages queue on two shared cores (the browsers'
included: thirty Chromium pages draw on the same cores as the server), not what a student
waits for on their own phone and network.

**Shared cores.** The Chromium processes stand for the students' own phones but share the
server's two cores here, so they run at the lowest priority (nice 19).

Nothing fails on timing (this machine is shared and noisy): the figures are printed and
written to ``benchmarks/results/``.

    python3 run.py bench students [--students 30] [--rounds 3]
                                  [--networks loopback laptop phone]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_workshop import (  # noqa: E402
    DEVICES_NICE,
    NETWORKS,
    Network,
    behind_the_server,
    uss_mib,
    voila_process,
)
from harness import (  # noqa: E402
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
TIMEOUT = 120.0
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
    """The first call opens the store (and applies retention) and reads the data files."""
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


# --- a student's phone -----------------------------------------------------------------------


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


def alone(browser, network: Network, url: str) -> dict:
    """One student while nothing else happens; twice, the second counted."""
    for _ in range(2):
        times = signed_in(follow(phone_ready(browser, network), url))
    return times


def burst(browser, network: Network, urls: list[str]) -> list[dict]:
    """Every student's link followed at the same moment; each one's times by its own
    clock."""
    ready = [phone_ready(browser, network) for _ in urls]
    opened = [follow(phone, url) for phone, url in zip(ready, urls, strict=True)]
    return [signed_in(o) for o in opened]


def summarise(one: dict, many: list[dict]) -> dict:
    summary = {}
    for step in ("signed_in", "ready", "join"):
        times = [m[step] for m in many if m[step] is not None]
        summary[step] = {
            "median_s": median(times),
            "p95_s": quantile(times, 95),
            "alone_s": one[step],
            "p95_ratio": ratio(quantile(times, 95), one[step]),
        }
    return summary


def across(rounds: list[dict]) -> dict:
    """Each figure: its median over the bursts, and each burst's."""
    first = rounds[0]["summary"]
    return {
        step: {
            name: {
                "median": median(
                    [r["summary"][step][name] for r in rounds if r["summary"][step][name]]
                ),
                "bursts": [r["summary"][step][name] for r in rounds],
            }
            for name in figures
        }
        for step, figures in first.items()
    }


def in_ms(seconds: float | None) -> str:
    return fmt(None if seconds is None else seconds * 1000, ".0f")


def report(network: Network, students: int, summary: dict) -> str:
    def ratios(figure: dict) -> str:
        bursts = ", ".join(fmt(value, ".2f") for value in figure["bursts"])
        return f"{fmt(figure['median'], '.2f')}× (bursts: {bursts})"

    rounds = len(summary["signed_in"]["p95_ratio"]["bursts"])
    lines = [
        f"{network.name}"
        + (f" ({in_ms(network.rtt)} ms round trip)" if network.rtt else "")
        + f", {rounds} bursts of {students} students; p95 against one alone, median over "
        "the bursts (target ≤ 2×):"
    ]
    for step, what in (
        ("signed_in", "to interactive (signed in, own page drawn)"),
        ("ready", "page ready (its script run)"),
        ("join", "the join call (the server's share)"),
    ):
        figures = summary[step]
        lines.append(
            f"  {what}: {ratios(figures['p95_ratio'])}; median "
            f"{in_ms(figures['median_s']['median'])} ms, p95 {in_ms(figures['p95_s']['median'])} "
            f"ms, alone {in_ms(figures['alone_s']['median'])} ms"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    started_at = dt.datetime.now()
    networks = [NETWORKS[name] for name in args.networks]
    print(
        f"Students benchmark: {args.students} students on the light page, each a phone-sized "
        f"Chromium page, behind {', '.join(n.name for n in networks)}; "
        f"{machine()['cpus']} CPU(s)",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="collab-bench-st-") as tmp_name:
        tmp = Path(tmp_name)
        served = tmp / "workbooks"
        shutil.copytree(ROOT / "workbooks", served)
        db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        class_code, cards = make_class(db_url, args.students)
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
            links = [student_url(server, class_code, card) for card in cards]
            for network in networks:
                rounds = []
                for _ in range(args.rounds):
                    one = alone(browser, network, links[0])
                    many = burst(browser, network, links)
                    rounds.append({"summary": summarise(one, many), "alone": one, "burst": many})
                results[network.name] = {
                    "network": vars(network),
                    "summary": across(rounds),
                    "rounds": rounds,
                }
                print(report(network, args.students, results[network.name]["summary"]), flush=True)
            server_after = uss_mib(server_process)
            browser.close()
    print(
        f"Server process: {server_before:.1f} -> {server_after:.1f} MiB USS over "
        f"{len(networks) * args.rounds * (args.students + 2)} students signing in",
        flush=True,
    )
    out = write_results(
        RESULTS,
        "students-",
        started_at,
        {
            "networks": results,
            "server_uss_mib": {"before": server_before, "after": server_after},
            "machine": machine(),
            "args": vars(args),
        },
    )
    print(f"Results: {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="bursts behind each network")
    parser.add_argument(
        "--networks",
        nargs="+",
        choices=list(NETWORKS),
        default=["loopback", "phone"],
        help="between the students' phones and the server, --rounds bursts behind each",
    )
    return run_until_stopped(run, parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
