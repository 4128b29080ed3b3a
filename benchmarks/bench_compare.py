"""Start-up before and after a change, measured in one run: bench_start's measurement of
two trees, side by side.

The *before* tree is a git worktree of ``--before`` (default ``a646ad2``, the commit before
the regroup of issue 21) in a temporary folder, removed afterwards; the *after* tree is
this working tree as it is, uncommitted changes included. Each tree is served by a
``collab serve`` of its own package and its own workbooks: the server is started in the
tree's folder with the tree first on PYTHONPATH, and before measuring, a kernel of each
tree's server is asked which ``collab_widgets`` it imported (the run stops if it is not
the tree's). Each seeds its own demo database with its own ``collab seed --demo`` (the
schema may have changed). Both servers get bench_start's generated baselines, journeys
and waits, and run side by side; before every page load both settle, and the rounds
alternate the trees (before, after, after, before, …) so that the machine's drift falls
on both alike.

Reported per workbook: TTI and kernel USS medians before and after and their ratio
(after ÷ before; targets: TTI within 10 %, memory at most 10 % more), and each tree's
ratios against its own baselines (target ≤ 1.25×). Nothing fails on timing; the exit code
is 1 only if the measurement could not run.

    python3 run.py bench compare --rounds 3
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
from bench_start import (
    READY_TIMEOUT_MS,
    ROOT,
    TARGET_MEMORY,
    TARGET_TTI,
    TEAM,
    WARM_PRESENTER,
    Phase,
    Sample,
    Served,
    Summary,
    argument_parser,
    checked_args,
    chromium,
    expected_pool,
    judged_memory,
    measure_round,
    phases_for,
    print_log_if_failed,
    report,
    report_warm_presenter,
    round_numbers,
    server_for,
    serving_folder,
    settings,
    settle,
    summarise_all,
    verdict,
    workbook_names,
)
from harness import (
    BARE,
    LIBS,
    chromium_version,
    fmt,
    machine,
    ratio,
    run_until_stopped,
    write_generated_notebooks,
    write_notebook,
    write_results,
)
from playwright.sync_api import Browser

from collab_widgets.core.serving.process import ServerProcess

DEFAULT_BEFORE = "a646ad2"  # the commit before the regroup into domain packages (06f981c)
TARGET_CHANGE = 0.10  # after ÷ before: TTI within 10 % either way, memory at most 10 % more
WARM_BARE = f"{BARE} (--workshop)"
PACKAGE_PROBE = "_package.ipynb"
# The probe shows which collab_widgets its kernel imported, after Voilà's own start-up.
PROBE_CELLS = (
    "from voila.utils import wait_for_request\n\nwait_for_request()",
    "import collab_widgets\n"
    "import ipywidgets as widgets\n"
    "\n"
    "where = widgets.Label(collab_widgets.__file__)\n"
    "where.add_class('package-file')\n"
    "where",
)


@dataclass
class Tree:
    name: str  # "before" or "after"
    root: Path
    revision: str  # what was measured, in words
    package_file: str = ""  # collab_widgets/__init__.py as a kernel of its server found it

    def environment(self) -> dict[str, str]:
        """The tree first on the path of the server, Voilà and every kernel."""
        paths = [str(self.root), os.environ.get("PYTHONPATH", "")]
        return {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}

    def owns(self, path: str) -> bool:
        return Path(path).resolve().is_relative_to((self.root / "collab_widgets").resolve())


def git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


@contextlib.contextmanager
def worktree(revision: str, folder: Path) -> Iterator[Path]:
    """A checkout of ``revision`` in ``folder``, removed (with its caches) afterwards."""
    git("worktree", "add", "--detach", str(folder), revision)
    try:
        yield folder
    finally:
        git("worktree", "remove", "--force", str(folder))


def describe_revision(revision: str) -> str:
    return git("log", "-1", "--format=%h %s", revision)[:90]


def describe_working_tree() -> str:
    changed = git("status", "--porcelain", "--", "collab_widgets", "workbooks").splitlines()
    uncommitted = f", {len(changed)} file(s) of the package or workbooks uncommitted"
    return f"the working tree (HEAD {git('rev-parse', '--short', 'HEAD')}{uncommitted})"


def seed_demo_in(tree: Tree, path: Path) -> dict[str, dict]:
    """A database of the demo teams made by the tree's own ``collab seed --demo`` (the
    trees' schemas may differ); returns the links bench_start opens pages with: the
    team's first member's personal link, and the coach link."""
    command = [sys.executable, "-m", "collab_widgets.cli", "--db", f"sqlite:///{path}"]
    seeding = subprocess.run(
        [*command, "seed", "--demo"],
        cwd=tree.root,
        env={**os.environ, **tree.environment()},
        capture_output=True,
        text=True,
    )
    if seeding.returncode:
        raise RuntimeError(f"the {tree.name} tree could not seed the demo: {seeding.stderr}")
    with contextlib.closing(sqlite3.connect(path)) as db:
        team_id, team_code = db.execute(
            "SELECT id, code FROM teams WHERE name = ?", (TEAM,)
        ).fetchone()
        (member_token,) = db.execute(
            "SELECT token FROM members WHERE team_id = ? ORDER BY id LIMIT 1", (team_id,)
        ).fetchone()
        (coach_code,) = db.execute("SELECT code FROM coaches ORDER BY id LIMIT 1").fetchone()
    return {
        "member": {"team": team_code, "member": member_token},
        "coach": {"coach": coach_code},
    }


def start_in(tree: Tree, server: ServerProcess, stack: contextlib.ExitStack) -> ServerProcess:
    """Start ``server`` in the tree's folder: ``python -m`` puts the working folder first
    on sys.path, ahead of the editable install (which points at the after tree).
    ``stack`` stops it."""
    try:
        with contextlib.chdir(tree.root):
            stack.enter_context(server)
    except RuntimeError:
        # the log is in the temporary folder, gone when the run stops
        if server.log_path.exists():
            print(f"The {tree.name} tree's server did not start; end of its log:")
            print("\n".join(server.log_path.read_text(errors="replace").splitlines()[-40:]))
        raise
    serve = psutil.Process(server.process.pid)
    for process in [serve, *serve.children()]:  # collab serve and its Voilà
        if Path(process.cwd()).resolve() != tree.root.resolve():
            raise RuntimeError(f"the {tree.name} server runs in {process.cwd()}, not {tree.root}")
    return server


def package_seen_by_kernel(
    tree: Tree, args: argparse.Namespace, browser: Browser, probe: Path, db_url: str, log: Path
) -> str:
    """``collab_widgets.__file__`` in a kernel of a server started as the measured ones are
    (same function, same environment), serving only the probe notebook."""
    phase = Phase("package check", [PACKAGE_PROBE])
    with contextlib.ExitStack() as stack:
        server = start_in(
            tree, server_for(phase, args, probe, db_url, log, tree.environment()), stack
        )
        settle([Served(server, expected_pool(phase, args.pool_size))], args.settle_timeout)
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(server.url(PACKAGE_PROBE), wait_until="commit", timeout=READY_TIMEOUT_MS)
            label = page.locator(".package-file")
            label.wait_for(timeout=READY_TIMEOUT_MS)
            return label.inner_text().strip()
        finally:
            context.close()


def measure_side_by_side(
    number: int,
    phase: Phase,
    trees: list[Tree],
    args: argparse.Namespace,
    browser: Browser,
    tmp: Path,
    db_urls: dict[str, str],
    links: dict[str, dict],
) -> dict[str, list[Sample]]:
    """The phase on both trees' servers at once, the trees alternating round by round."""
    samples: dict[str, list[Sample]] = {tree.name: [] for tree in trees}
    logs = {tree.name: tmp / f"{tree.name}-server-{number}.log" for tree in trees}
    try:
        with contextlib.ExitStack() as stack:
            running: dict[str, Served] = {}
            for tree in trees:
                folder = serving_folder(
                    tmp / f"{tree.name}-workbooks-{number}",
                    phase,
                    tmp / "generated",
                    tree.root / "workbooks",
                )
                server = server_for(
                    phase, args, folder, db_urls[tree.name], logs[tree.name], tree.environment()
                )
                start_in(tree, server, stack)
                running[tree.name] = Served(server, expected_pool(phase, args.pool_size))
            both = list(running.values())
            for index, round_number in enumerate(round_numbers(args)):
                for tree in trees if index % 2 == 0 else trees[::-1]:
                    labelled = dataclasses.replace(phase, label=f"{tree.name}, {phase.label}")
                    samples[tree.name] += measure_round(
                        browser,
                        running[tree.name],
                        labelled,
                        round_number,
                        links[tree.name],
                        both,
                        args.settle_timeout,
                    )
    finally:
        for tree in trees:
            print_log_if_failed(samples[tree.name], logs[tree.name])
    return samples


# --- comparison -----------------------------------------------------------------------


@dataclass
class Change:
    """One notebook before and after: medians, after ÷ before, and each tree's ratios
    against its own baselines (``None`` where a figure is not judged)."""

    notebook: str
    tti_before_ms: float | None = None
    tti_after_ms: float | None = None
    tti_change: float | None = None
    tti_change_by_round: list[float] = field(default_factory=list)
    memory_before_mib: float | None = None
    memory_after_mib: float | None = None
    memory_change: float | None = None
    tti_change_met: bool | None = None
    memory_change_met: bool | None = None
    tti_ratio_before: float | None = None
    tti_ratio_after: float | None = None
    memory_ratio_before: float | None = None
    memory_ratio_after: float | None = None
    tti_target_met_after: bool | None = None
    memory_target_met_after: bool | None = None
    kernels_left_before: int = 0
    kernels_left_after: int = 0
    kernels_seen_before: int = 0
    kernels_seen_after: int = 0


def tti_by_round(samples: list[Sample], notebook: str) -> dict[int, float]:
    return {s.round: s.tti_ms for s in samples if s.notebook == notebook and s.ok and s.round > 0}


def compare(
    notebook: str,
    before: Summary,
    after: Summary,
    before_samples: list[Sample],
    after_samples: list[Sample],
) -> Change:
    change = Change(
        notebook,
        tti_before_ms=before.tti_ms["median"],
        tti_after_ms=after.tti_ms["median"],
        memory_before_mib=judged_memory(before),
        memory_after_mib=judged_memory(after),
        tti_ratio_before=before.tti_ratio,
        tti_ratio_after=after.tti_ratio,
        memory_ratio_before=before.uss_ratio,
        memory_ratio_after=after.uss_ratio,
        tti_target_met_after=after.tti_target_met,
        memory_target_met_after=after.memory_target_met,
        kernels_left_before=before.kernels_seen - before.kernels_ended_by_page,
        kernels_left_after=after.kernels_seen - after.kernels_ended_by_page,
        kernels_seen_before=before.kernels_seen,
        kernels_seen_after=after.kernels_seen,
    )
    change.tti_change = ratio(change.tti_after_ms, change.tti_before_ms)
    change.memory_change = ratio(change.memory_after_mib, change.memory_before_mib)
    # rounds interleave the trees, so a round's pair met the same moment of the machine
    earlier = tti_by_round(before_samples, notebook)
    later = tti_by_round(after_samples, notebook)
    change.tti_change_by_round = [later[r] / earlier[r] for r in sorted(earlier.keys() & later)]
    if notebook not in (BARE, LIBS, WARM_BARE):  # the baselines show the drift, unjudged
        if change.tti_change is not None:
            change.tti_change_met = abs(change.tti_change - 1) <= TARGET_CHANGE
        if change.memory_change is not None:
            change.memory_change_met = change.memory_change <= 1 + TARGET_CHANGE
    return change


def times(value: float | None) -> str:
    return f"{fmt(value, '.2f')}×"


def print_change(change: Change) -> None:
    role = {
        BARE: " (TTI baseline: its change is the machine's drift)",
        LIBS: " (memory baseline)",
        WARM_BARE: " (TTI baseline of the warm presenter)",
    }.get(change.notebook, "")
    print(f"  {change.notebook}{role}")
    rounds = change.tti_change_by_round
    spread = f" (rounds {min(rounds):.2f}–{max(rounds):.2f}×)" if len(rounds) > 1 else ""
    judged = "" if change.tti_change_met is None else f": {verdict(change.tti_change_met)}"
    own = ""
    if change.tti_ratio_after is not None:
        own = (
            f";  × bare {times(change.tti_ratio_before)} → {times(change.tti_ratio_after)}"
            f" (≤ {TARGET_TTI}×: {verdict(change.tti_target_met_after)})"
        )
    print(
        f"      TTI {fmt(change.tti_before_ms):>6} → {fmt(change.tti_after_ms):>6} ms  "
        f"= {times(change.tti_change)}{spread}{judged}{own}"
    )
    judged = "" if change.memory_change_met is None else f": {verdict(change.memory_change_met)}"
    own = ""
    if change.memory_ratio_after is not None:
        own = (
            f";  × libraries-only {times(change.memory_ratio_before)} → "
            f"{times(change.memory_ratio_after)} (≤ {TARGET_MEMORY}×: "
            f"{verdict(change.memory_target_met_after)})"
        )
    print(
        f"      USS {fmt(change.memory_before_mib, '.1f'):>6} → "
        f"{fmt(change.memory_after_mib, '.1f'):>6} MiB = {times(change.memory_change)}"
        f"{judged}{own}"
    )
    if change.kernels_left_before or change.kernels_left_after:
        print(
            f"      A PAGE LEFT ITS KERNEL RUNNING: {change.kernels_left_before} of "
            f"{change.kernels_seen_before} before, {change.kernels_left_after} of "
            f"{change.kernels_seen_after} after"
        )


def report_changes(changes: list[Change], trees: list[Tree]) -> None:
    before, after = trees
    print()
    print(f"Before: {before.revision}")
    print(f"After:  {after.revision}")
    print(
        f"Medians; after ÷ before (TTI within {1 - TARGET_CHANGE:.2f}–{1 + TARGET_CHANGE:.2f}×, "
        f"memory ≤ {1 + TARGET_CHANGE:.2f}×), and each tree's ratio to its own baselines "
        f"(≤ {TARGET_TTI}×). USS: the larger of after the first click and after every tab."
    )
    for change in changes:
        print_change(change)
    verdicts = [
        (change.notebook, name, met)
        for change in changes
        for name, met in (
            ("TTI change", change.tti_change_met),
            ("memory change", change.memory_change_met),
            ("TTI × bare", change.tti_target_met_after),
            ("USS × libraries-only", change.memory_target_met_after),
        )
        if met is not None
    ]
    missed = [f"{notebook}: {name}" for notebook, name, met in verdicts if not met]
    left = sum(change.kernels_left_before + change.kernels_left_after for change in changes)
    print(
        f"\n{len(verdicts) - len(missed)} of {len(verdicts)} targets met"
        + (f"; not met: {'; '.join(missed)}" if missed else "")
        + (f"; pages left {left} kernel(s) running" if left else "; every page ended its kernel")
    )


# --- main -----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument(
        "--before",
        default=DEFAULT_BEFORE,
        metavar="REV",
        help=f"the git revision measured as 'before' (default {DEFAULT_BEFORE})",
    )
    return checked_args(parser, argv)


def measured_workbooks(trees: list[Tree], only: list[str] | None) -> list[str]:
    names = {tree.name: workbook_names(tree.root / "workbooks", only) for tree in trees}
    common = sorted(set.intersection(*(set(n) for n in names.values())))
    for tree in trees:
        if extra := sorted(set(names[tree.name]) - set(common)):
            print(f"Only in the {tree.name} tree, not compared: {', '.join(extra)}")
    return common


def run(args: argparse.Namespace) -> int:
    started = dt.datetime.now()
    samples: dict[str, list[Sample]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="collab-compare-") as tmp_name:
        tmp = Path(tmp_name)
        with worktree(args.before, tmp / "before-tree") as before_root:
            trees = [
                Tree("before", before_root, describe_revision(args.before)),
                Tree("after", ROOT, describe_working_tree()),
            ]
            workbooks = measured_workbooks(trees, args.only)
            if not workbooks or {BARE, LIBS} & set(workbooks):
                print(f"No workbooks in both trees, or one is named {BARE}/{LIBS}", file=sys.stderr)
                return 1
            phases = phases_for(workbooks)
            print(
                f"Start-up before and after: {len(workbooks)} workbook(s), {args.rounds} "
                f"round(s) + {args.warmup} warm-up per tree, pool size {args.pool_size}, "
                f"{chromium_version()}, {os.cpu_count()} CPU(s), load average "
                f"{os.getloadavg()[0]:.2f}\n  before: {trees[0].revision}\n"
                f"  after:  {trees[1].revision}",
                flush=True,
            )
            (tmp / "generated").mkdir()
            write_generated_notebooks(tmp / "generated")
            (tmp / "probe").mkdir()
            write_notebook(tmp / "probe" / PACKAGE_PROBE, *PROBE_CELLS)
            links = {t.name: seed_demo_in(t, tmp / f"{t.name}.sqlite") for t in trees}
            db_urls = {t.name: f"sqlite:///{tmp / f'{t.name}.sqlite'}" for t in trees}
            with chromium() as browser:
                for tree in trees:
                    tree.package_file = package_seen_by_kernel(
                        tree,
                        args,
                        browser,
                        tmp / "probe",
                        db_urls[tree.name],
                        tmp / f"{tree.name}-probe.log",
                    )
                    print(f"  the {tree.name} tree's kernels import {tree.package_file}")
                    if not tree.owns(tree.package_file):
                        print(f"Not the {tree.name} tree's package: stopping.", file=sys.stderr)
                        return 1
                for number, phase in enumerate(phases):
                    for name, found in measure_side_by_side(
                        number, phase, trees, args, browser, tmp, db_urls, links
                    ).items():
                        samples[name] += found

    summaries = {tree.name: summarise_all(samples[tree.name]) for tree in trees}
    for tree in trees:
        print(f"\n=== {tree.name}: {tree.revision}")
        report(summaries[tree.name], workbooks)
        if WARM_PRESENTER in summaries[tree.name]:
            report_warm_presenter(summaries[tree.name])
    order = [BARE, LIBS, *workbooks, WARM_BARE, WARM_PRESENTER]
    changes = [
        compare(
            notebook,
            summaries["before"][notebook],
            summaries["after"][notebook],
            samples["before"],
            samples["after"],
        )
        for notebook in order
        if notebook in summaries["before"] and notebook in summaries["after"]
    ]
    report_changes(changes, trees)

    out = write_results(
        args.results,
        "compare-",
        started,
        {
            "benchmark": "bench_compare",
            "started": started.isoformat(timespec="seconds"),
            "trees": {t.name: {**asdict(t), "root": str(t.root)} for t in trees},
            "settings": {
                **settings(args, phases),
                "before": args.before,
                "only": args.only,
                "target_change": TARGET_CHANGE,
                "order": "rounds alternate the trees: before, after, after, before, …",
            },
            "machine": machine(),
            "comparison": [asdict(c) for c in changes],
            "summary": {
                name: {n: asdict(s) for n, s in tree_summaries.items()}
                for name, tree_summaries in summaries.items()
            },
            "samples": [
                {"tree": name, **asdict(s)} for name, found in samples.items() for s in found
            ],
        },
    )
    print(f"\nResults written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
