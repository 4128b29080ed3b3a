"""Evidence benchmark: a district-sized score file, and the Results page's redraw.

No browser and no server: the evidence code is timed in this process, each measurement
beside a baseline measured in the same run, in alternating order, round after round.

* **import and summaries** (50,000 students × 40 items, two million responses): a wide
  CSV generated with NumPy (Student ID, First Name, Last Name, Teacher, Section, ELL,
  Gender, Q1..Q40: Q1-Q30 score 0/1, Q31-Q40 0-2 partial credit, about 1% blank cells and
  0.2% "absent") and its item map (Item, Standard, Max Points). *Subject*:
  ``read_scores(path, key=item_map)`` then every summary of the analysis (student
  percents, bands, items, standards, distractors, subgroups by ELL, the crosstab by Gender,
  groups, group needs). *Baseline*: ``pandas.read_csv`` of the same file (``"absent"``
  read as missing) and one ``groupby``: the mean of Q1..Q40 by Section; it takes about a
  tenth of a second, so it runs five times in each round and their median is the round's.
  Target: ≤ 3 × the baseline.
* **storing it**: ``evidence.saved.save`` of those scores into an empty SQLite store, as a
  member of a team, and ``saved.load`` reading it back. Reported in seconds, and as
  multiples of the same baseline for context; no target.
* **redraw after a filter change** (200 students, same generator): what the Results page
  does when "Students" changes on the Items view, ``views.items_view(scores, settings,
  StudentFilter("ELL", "Y"))`` (filter, analyse, draw the PNG), then the PNG set on an
  ``ipywidgets.Image`` (no kernel: the widget's comm is a dummy, so this is the widget's
  own validation and state, not the websocket). *Baseline*: the same figure from
  matplotlib alone, ``charts.percent_bars`` given labels, percents and counts computed
  once beforehand (the two PNGs are checked to be identical). Target: ≤ 1.5 ×.

Each figure is reported as the median and range of its rounds, the ratio of the medians
(the headline) and the median and range of each round's own ratio. The machine may be
shared and noisy, so only ratios mean anything; nothing here fails on timing: the exit
code is 0 whenever the measurement ran (1 if a check failed: the filter's group under the
smallest group size, a PNG unlike the baseline's, an assessment that did not read back
whole). Every sample goes to ``benchmarks/results/``.

    python3 run.py bench evidence                  # 3 rounds + 1 warm-up, 20 redraws
    python3 run.py bench evidence --profile 25     # and where the time goes (cProfile)

See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gc
import io
import os
import pstats
import signal
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import fmt, machine, median, ratio, run_until_stopped, write_results  # noqa: E402

from collab_widgets.core import charts
from collab_widgets.core.db import Store
from collab_widgets.evidence import saved, views
from collab_widgets.evidence.model import EvidenceSettings
from collab_widgets.evidence.scores import Scores, read_scores
from collab_widgets.team.store import members, teams

TARGET_IMPORT = 3.0
TARGET_REDRAW = 1.5
SEED = 2026
ITEMS = 40
PARTIAL_FROM = 30  # items after this one score 0-2 (partial credit), those up to it 0/1
BLANK_SHARE = 0.01
ABSENT_SHARE = 0.002
ELL_SHARE = 0.15
STUDENTS_PER_TEACHER = 25
STANDARDS = ("4.NF.1", "4.NF.2", "4.NF.3", "4.OA.1", "4.OA.2", "4.OA.3", "4.MD.1", "4.MD.2")
FIRST_NAMES = ("Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo")
LAST_NAMES = ("Lee", "Kim", "Diaz", "Okafor", "Smith", "Nguyen", "Patel", "Rossi")
FILTER = views.StudentFilter("ELL", "Y")
MIN_N = 10
BASELINE_REPEATS = 5  # the import's baseline takes ~0.1 s: its median of 5 counts per round
WHAT = "Percent of points earned"  # as views.items_view labels its chart
STOP = threading.Event()  # SIGTERM arrived (its KeyboardInterrupt may have been swallowed)


# --- the synthetic files ----------------------------------------------------------------


def write_score_file(folder: Path, students: int, items: int = ITEMS) -> tuple[Path, Path]:
    """A wide score file and its item map, the same for the same size every time."""
    rng = np.random.default_rng(SEED)
    numbers = np.arange(1, students + 1).astype(str)
    ids = np.char.add("S", np.char.zfill(numbers, 6))
    teacher = rng.integers(0, max(1, students // STUDENTS_PER_TEACHER), students)
    frame = pd.DataFrame(
        {
            "Student ID": ids,
            "First Name": np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), students)],
            "Last Name": np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), students)],
            "Teacher": np.char.add("Teacher ", np.char.zfill(teacher.astype(str), 4)),
            "Section": np.char.add("P", rng.integers(1, 8, students).astype(str)),
            "ELL": np.where(rng.random(students) < ELL_SHARE, "Y", "N"),
            "Gender": np.array(["F", "M", "X"])[rng.choice(3, students, p=[0.49, 0.49, 0.02])],
        }
    )
    maximum = np.where(np.arange(items) < PARTIAL_FROM, 1, 2)
    ability = rng.normal(0.5, 1.0, students)
    difficulty = rng.normal(0.0, 1.0, items)
    chance = 1 / (1 + np.exp(-(ability[:, None] - difficulty[None, :])))
    cells = rng.binomial(maximum[None, :], chance).astype("U6")  # wide enough for "absent"
    draw = rng.random((students, items))
    cells[draw < BLANK_SHARE] = ""
    cells[draw > 1 - ABSENT_SHARE] = "absent"
    names = [f"Q{i}" for i in range(1, items + 1)]
    frame = pd.concat([frame, pd.DataFrame(cells, columns=names)], axis=1)
    path = folder / f"scores_{students}.csv"
    frame.to_csv(path, index=False)
    key = pd.DataFrame(
        {
            "Item": names,
            "Standard": [STANDARDS[i % len(STANDARDS)] for i in range(items)],
            "Max Points": maximum,
        }
    )
    key_path = folder / f"items_{students}.csv"
    key.to_csv(key_path, index=False)
    return path, key_path


# --- what is timed ----------------------------------------------------------------------


def import_and_summarise(path: Path, key: Path):
    """The subject: the import, then every summary the Results page can show."""
    scores = read_scores(path, key=key)
    a = scores.analysis()
    a.student_percents()
    a.bands()
    a.items()
    a.standards()
    a.distractors()
    a.subgroups("ELL")
    a.crosstab("Gender")
    a.groups()
    a.group_needs()
    return scores


def pandas_baseline(path: Path) -> pd.DataFrame:
    """The floor: read the same file and one group-by."""
    frame = pd.read_csv(path, na_values=["absent"])
    items = [c for c in frame.columns if c.startswith("Q")]
    return frame.groupby("Section")[items].mean()


def new_member_scope(folder: Path, name: str):
    """An empty SQLite store with a coach, a team and one member; the member's scope."""
    store = Store(f"sqlite:///{folder / name}")
    _, coach_code, _ = teams.first_coach_code(store)
    as_coach = teams.create_team(store.open_coach(coach_code), "Bench team")
    member = members.add(as_coach, "Ana")
    return store, store.open_team(teams.team_code(as_coach), member.token)


@dataclass
class Redraw:
    """The small file, and the figure's arguments computed once for the baseline."""

    scores: Scores
    settings: EvidenceSettings
    chosen: int  # students in the filter's group
    title: str
    labels: list[str]
    percents: list[float | None]
    counts: list[int]
    line: float


def prepare_redraw(path: Path, key: Path) -> Redraw:
    scores = read_scores(path, key=key)
    settings = EvidenceSettings(min_n=MIN_N)
    chosen = int((scores.students[FILTER.column] == FILTER.value).sum())
    if chosen < settings.min_n:
        raise SystemExit(f"{FILTER.label} has {chosen} students, fewer than {settings.min_n}")
    table = views.only(scores, FILTER, settings.min_n).analysis().items()
    return Redraw(
        scores=scores,
        settings=settings,
        chosen=chosen,
        # as views.items_view titles and labels it
        title=f"{scores.name}: percent correct per item — {FILTER.label}",
        labels=[
            f"{item} ({standard})" if standard else str(item)
            for item, standard in zip(table["item"], table["standard"], strict=True)
        ],
        percents=[None if pd.isna(p) else float(p) for p in table["pct_correct"]],
        counts=[int(n) for n in table["n"]],
        line=settings.group_cuts[1],
    )


def redraw_subject(r: Redraw, image) -> charts.Chart:
    _table, chart = views.items_view(r.scores, r.settings, FILTER)
    drawn = chart.png  # a chart's picture is drawn when first asked for: inside the timing
    if image is not None:
        image.value = drawn
    return chart


def redraw_baseline(r: Redraw) -> charts.Chart:
    chart = charts.percent_bars(r.title, r.labels, r.percents, r.counts, WHAT, line=r.line)
    chart.png  # noqa: B018 - drawn inside the timing, as the subject's is
    return chart


def timed(function, *args):
    """(result, wall seconds, CPU seconds of this process) of one call; garbage from
    earlier calls is collected first, outside the timing."""
    gc.collect()
    stop_if_asked()
    cpu, wall = time.process_time(), time.perf_counter()
    result = function(*args)
    took = time.perf_counter() - wall, time.process_time() - cpu
    stop_if_asked()
    return result, *took


def stop_if_asked() -> None:
    if STOP.is_set():
        raise KeyboardInterrupt


def notice_sigterm() -> None:
    """Keep the harness's SIGTERM handling (Ctrl-C's unwinding), and remember the signal:
    an interrupt raised inside a callback (matplotlib's weak references, during garbage
    collection) is only printed, so the next measurement stops instead."""
    harness_handler = signal.getsignal(signal.SIGTERM)

    def stop(*args):
        STOP.set()
        if callable(harness_handler):
            harness_handler(*args)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


# --- rounds -----------------------------------------------------------------------------


@dataclass
class Sample:
    figure: str  # "import", "redraw"
    round: int  # 0 = warm-up
    subject_s: float = 0.0
    baseline_s: float = 0.0
    subject_cpu_s: float = 0.0
    baseline_cpu_s: float = 0.0
    subject_first: bool = True
    save_s: float | None = None
    load_s: float | None = None
    loadavg: float | None = None
    baseline_runs_s: list[float] = field(default_factory=list)  # when repeated in the round


def import_round(number: int, path: Path, key: Path, folder: Path, store_it: bool) -> Sample:
    sample = Sample("import", max(number, 0), subject_first=number % 2 == 1)
    sample.loadavg = os.getloadavg()[0]
    order = ("subject", "baseline") if sample.subject_first else ("baseline", "subject")
    scores = None
    for part in order:
        if part == "subject":
            scores, sample.subject_s, sample.subject_cpu_s = timed(import_and_summarise, path, key)
        else:
            runs = [timed(pandas_baseline, path)[1:] for _ in range(BASELINE_REPEATS)]
            sample.baseline_runs_s = [wall for wall, _cpu in runs]
            sample.baseline_s = median(sample.baseline_runs_s)
            sample.baseline_cpu_s = median([cpu for _wall, cpu in runs])
    if store_it:
        name = f"bench-{number + 100}.sqlite"
        store, scope = new_member_scope(folder, name)
        try:
            assessment_id, sample.save_s, _ = timed(saved.save, scope, scores, "Bench")
            back, sample.load_s, _ = timed(saved.load, scope, assessment_id)
            if len(back.students) != len(scores.students):
                raise SystemExit("The saved assessment did not read back whole")
            del back
        finally:
            store.close()
            (folder / name).unlink(missing_ok=True)
    return sample


def redraw_round(number: int, r: Redraw, image) -> Sample:
    sample = Sample("redraw", max(number, 0), subject_first=number % 2 == 1)
    sample.loadavg = os.getloadavg()[0]
    order = ("subject", "baseline") if sample.subject_first else ("baseline", "subject")
    for part in order:
        if part == "subject":
            got, sample.subject_s, sample.subject_cpu_s = timed(redraw_subject, r, image)
        else:
            expected, sample.baseline_s, sample.baseline_cpu_s = timed(redraw_baseline, r)
    if got.png != expected.png:
        raise SystemExit("items_view drew a different figure from the baseline's")
    return sample


# --- the report -------------------------------------------------------------------------


def spread(values: list[float]) -> dict:
    if not values:
        return {"median": None, "min": None, "max": None, "n": 0}
    return {"median": median(values), "min": min(values), "max": max(values), "n": len(values)}


@dataclass
class Figure:
    name: str
    subject_s: dict
    baseline_s: dict
    ratio: float | None  # of the medians: the headline
    round_ratios: dict  # each round's subject / baseline
    cpu_ratio: float | None  # of the medians of CPU seconds, for information
    target: float | None = None
    target_met: bool | None = None
    extra: dict = field(default_factory=dict)


def summarise(name: str, samples: list[Sample], target: float | None) -> Figure:
    measured = [s for s in samples if s.round > 0]
    subject = spread([s.subject_s for s in measured])
    baseline = spread([s.baseline_s for s in measured])
    headline = ratio(subject["median"], baseline["median"])
    figure = Figure(
        name=name,
        subject_s=subject,
        baseline_s=baseline,
        ratio=headline,
        round_ratios=spread([s.subject_s / s.baseline_s for s in measured if s.baseline_s]),
        cpu_ratio=ratio(
            median([s.subject_cpu_s for s in measured]),
            median([s.baseline_cpu_s for s in measured]),
        ),
        target=target,
        target_met=None if headline is None or target is None else headline <= target,
    )
    return figure


def seconds(stats: dict, scale: float = 1.0, unit: str = "s", spec: str = ".2f") -> str:
    return (
        f"{fmt(stats['median'] and stats['median'] * scale, spec)} {unit} "
        f"({fmt(stats['min'] and stats['min'] * scale, spec)}–"
        f"{fmt(stats['max'] and stats['max'] * scale, spec)})"
    )


def times(stats: dict) -> str:
    return f"{fmt(stats['median'], '.2f')}× ({fmt(stats['min'], '.2f')}–{fmt(stats['max'], '.2f')})"


def verdict(met: bool | None) -> str:
    return "not measured" if met is None else "MET" if met else "NOT MET"


def report(big: Figure, small: Figure, storing: dict, args: argparse.Namespace) -> None:
    print()
    print("Medians, with the range of the rounds in brackets.")
    print()
    print(f"Import and every summary, {args.students:,} students × {ITEMS} items:")
    print(f"  subject   read_scores + summaries   {seconds(big.subject_s)}")
    print(f"  baseline  pandas read_csv + groupby {seconds(big.baseline_s, spec='.3f')}")
    print(
        f"  ratio     {fmt(big.ratio, '.2f')}× (medians); round by round "
        f"{times(big.round_ratios)}; CPU time {fmt(big.cpu_ratio, '.2f')}× (info)"
    )
    if storing:
        print("Storing it (SQLite, an empty store each round):")
        for what in ("save", "load"):
            s = storing[what]
            print(
                f"  {what:<9} saved.{what:<25}{seconds(s['seconds'])} = "
                f"{fmt(s['ratio'], '.1f')}× the baseline (context; no target)"
            )
    print()
    print(
        f"Redraw after a filter change, {args.small_students} students, "
        f"{FILTER.label} ({small.extra['filtered_students']} students), ms:"
    )
    image = " + Image.value" if small.extra["image_update"] else ""
    print(f"  subject   items_view{image:<16}{seconds(small.subject_s, 1000, 'ms', '.0f')}")
    print(f"  baseline  charts.percent_bars      {seconds(small.baseline_s, 1000, 'ms', '.0f')}")
    print(
        f"  ratio     {fmt(small.ratio, '.2f')}× (medians); round by round "
        f"{times(small.round_ratios)}; CPU time {fmt(small.cpu_ratio, '.2f')}× (info)"
    )
    print()
    print(f"Summary (targets: import ≤ {TARGET_IMPORT}×, redraw ≤ {TARGET_REDRAW}× the baseline)")
    print(
        f"  import and summaries: {fmt(big.ratio, '.2f')}× "
        f"(≤ {TARGET_IMPORT}×: {verdict(big.target_met)})"
    )
    if storing:
        print(
            f"  storing: save {fmt(storing['save']['seconds']['median'], '.1f')} s, "
            f"load {fmt(storing['load']['seconds']['median'], '.1f')} s"
        )
    print(f"  redraw: {fmt(small.ratio, '.2f')}× (≤ {TARGET_REDRAW}×: {verdict(small.target_met)})")


def profile(top: int, path: Path, key: Path, r: Redraw, image) -> None:
    """One more run of each subject under cProfile; the evidence code's own functions."""
    for title, function, call_args in (
        ("Import and summaries", import_and_summarise, (path, key)),
        ("Redraw", redraw_subject, (r, image)),
    ):
        profiler = cProfile.Profile()
        profiler.runcall(function, *call_args)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"/collab_widgets/", top)
        stats.strip_dirs().sort_stats("tottime").print_stats(top)
        print(f"\n--- cProfile: {title} (one run, not part of the figures) ---")
        print(out.getvalue().replace(f"{ROOT}{os.sep}", ""))


# --- main -------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds of the big file")
    parser.add_argument("--warmup", type=int, default=1, help="unmeasured rounds first (default 1)")
    parser.add_argument("--redraws", type=int, default=20, help="measured redraw rounds")
    parser.add_argument("--redraw-warmup", type=int, default=3)
    parser.add_argument("--students", type=int, default=50_000, help="students in the big file")
    parser.add_argument("--small-students", type=int, default=200)
    parser.add_argument("--no-store", action="store_true", help="skip saving and loading")
    parser.add_argument(
        "--no-image", action="store_true", help="leave the ipywidgets Image out of the redraw"
    )
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print cProfile's top N afterwards"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.redraws < 1 or args.warmup < 0 or args.redraw_warmup < 0:
        parser.error("--rounds and --redraws must be at least 1, warm-ups at least 0")
    if args.students < MIN_N or args.small_students < MIN_N:
        parser.error(f"a file needs at least {MIN_N} students")
    return args


def run(args: argparse.Namespace) -> int:
    notice_sigterm()
    started = dt.datetime.now()
    print(
        f"Evidence benchmark: {args.students:,} students × {ITEMS} items, {args.rounds} "
        f"round(s) + {args.warmup} warm-up; redraw of {args.small_students} students, "
        f"{args.redraws} round(s) + {args.redraw_warmup} warm-up; {os.cpu_count()} CPU(s), "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    image = None
    if not args.no_image:
        import ipywidgets as widgets

        image = widgets.Image(format="png")
    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="collab-bench-evidence-") as tmp_name:
        tmp = Path(tmp_name)
        began = time.perf_counter()
        big_path, big_key = write_score_file(tmp, args.students)
        small_path, small_key = write_score_file(tmp, args.small_students)
        print(
            f"Files written in {time.perf_counter() - began:.1f} s: {big_path.name} "
            f"{big_path.stat().st_size / 2**20:.1f} MiB, {small_path.name}",
            flush=True,
        )
        r = prepare_redraw(small_path, small_key)

        print("Redraw after a filter change:", flush=True)
        redraws = []
        for number in range(1 - args.redraw_warmup, args.redraws + 1):
            redraws.append(redraw_round(number, r, image))
        measured = [s for s in redraws if s.round > 0]
        print(
            "  " + " ".join(f"{s.subject_s / s.baseline_s:.2f}×" for s in measured),
            flush=True,
        )
        samples += redraws

        print("Import and summaries:", flush=True)
        for number in range(1 - args.warmup, args.rounds + 1):
            sample = import_round(number, big_path, big_key, tmp, not args.no_store)
            samples.append(sample)
            label = "warm-up" if number <= 0 else f"round {number}"
            stored = (
                f"  save {sample.save_s:5.2f} s  load {sample.load_s:5.2f} s"
                if sample.save_s is not None
                else ""
            )
            print(
                f"  {label:<8} subject {sample.subject_s:6.2f} s  baseline "
                f"{sample.baseline_s:5.2f} s  = {sample.subject_s / sample.baseline_s:6.1f}×"
                f"{stored}  (load {sample.loadavg:.1f})",
                flush=True,
            )

        big = summarise("import", [s for s in samples if s.figure == "import"], TARGET_IMPORT)
        small = summarise("redraw", redraws, TARGET_REDRAW)
        small.extra = {"filtered_students": r.chosen, "image_update": image is not None}
        storing = {}
        if not args.no_store:
            kept = [s for s in samples if s.figure == "import" and s.round > 0]
            for what in ("save", "load"):
                values = [getattr(s, f"{what}_s") for s in kept]
                storing[what] = {
                    "seconds": spread(values),
                    "ratio": ratio(median(values), big.baseline_s["median"]),
                }
        report(big, small, storing, args)
        if args.profile:
            profile(args.profile, big_path, big_key, r, image)

    out = write_results(
        args.results,
        "evidence-",
        started,
        {
            "benchmark": "bench_evidence",
            "started": started.isoformat(timespec="seconds"),
            "settings": {
                "students": args.students,
                "items": ITEMS,
                "rounds": args.rounds,
                "warmup": args.warmup,
                "small_students": args.small_students,
                "redraws": args.redraws,
                "redraw_warmup": args.redraw_warmup,
                "filter": asdict(FILTER),
                "min_n": MIN_N,
                "image_update": image is not None,
                "targets": {"import_ratio": TARGET_IMPORT, "redraw_ratio": TARGET_REDRAW},
                "seed": SEED,
                "import_baseline_repeats": BASELINE_REPEATS,
            },
            "machine": machine(),
            "summary": {"import": asdict(big), "storing": storing, "redraw": asdict(small)},
            "samples": [asdict(s) for s in samples],
        },
    )
    print(f"\nResults written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
