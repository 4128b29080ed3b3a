"""Balanced groups for a whole grade: ``make_groups`` against random search, in one run.

A synthetic grade (fixed seed): 600 students in groups of 4, six criteria (two scores and
two categories to mix, a set of interests and a pace to match, weights 1–3, a few values
unknown), four keep-apart lists and three keep-together pairs. Measured:

* **make_groups**: wall time of each round (a different seed each), and its score;
* **the baseline**: 1,000 uniformly random groupings with the right sizes, each scored
  with ``score`` (the time for all of them, in the same run), their best and mean score;
* the ratio of the two times, and our score against the random ones. Targets: make_groups
  ≤ 10 s on this 2-core machine, and a lower score than the best of the random groupings;
* **exhaustive check**: generated 12-student classes (and 11), every partition into the
  group sizes scored with ``score``; how far ours is from the optimum, as a share of the
  way from the optimum to a random grouping's mean (target ≤ 5 %).

Nothing fails on timing; the exit code is 1 only if the measurement could not run. No
server and no browser.

    python3 run.py bench grouping [--students 600] [--random 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import fmt, machine, ratio, run_until_stopped, write_results  # noqa: E402

from collab_widgets.students.grouping import (  # noqa: E402
    Criterion,
    Problem,
    group_sizes,
    make_groups,
    random_assignment,
    score,
)

SEED = 20261206
TARGET_SECONDS = 10.0
TARGET_GAP = 0.05
INTERESTS = ("art", "music", "robots", "sport", "games", "books", "dance", "coding")
BANDS = ("Beginning", "Developing", "Secure", "Extending")


def synthetic_grade(n: int, seed: int = SEED) -> Problem:
    r = random.Random(seed)
    students = tuple(f"st{i:04d}" for i in range(n))

    def unknown_some(values: dict, share: float = 0.03) -> dict:
        for sid in r.sample(students, round(share * n)):
            values[sid] = None
        return values

    ability = {s: r.gauss(0, 1) for s in students}
    criteria = (
        Criterion(
            "Unit 3 quiz",
            "number",
            unknown_some(
                {s: min(100, max(0, 70 + 12 * ability[s] + r.gauss(0, 6))) for s in students}
            ),
            weight=2,
        ),
        Criterion("Reading level", "number", unknown_some({s: r.gauss(50, 20) for s in students})),
        Criterion(
            "Band on Unit 3",
            "category",
            unknown_some({s: BANDS[min(3, max(0, int(ability[s] + 2)))] for s in students}),
        ),
        Criterion(
            "Language support",
            "category",
            {s: r.choices(["yes", "no"], [1, 4])[0] for s in students},
            weight=3,
        ),
        Criterion(
            "Interests",
            "set",
            unknown_some({s: frozenset(r.sample(INTERESTS, r.randint(1, 3))) for s in students}),
            aim="match",
        ),
        Criterion(
            "Pace", "number", {s: r.uniform(0, 10) for s in students}, weight=1.5, aim="match"
        ),
    )
    picked = r.sample(students, 18)
    apart = (
        frozenset(picked[0:3]),
        frozenset(picked[3:5]),
        frozenset(picked[5:8]),
        frozenset(picked[8:10]),
    )
    together = (frozenset(picked[10:12]), frozenset(picked[12:14]), frozenset(picked[14:16]))
    return Problem(students, group_size=4, criteria=criteria, apart=apart, together=together)


def small_class(seed: int) -> Problem:
    r = random.Random(seed)
    n = 11 if seed % 3 == 2 else 12
    students = tuple(f"k{i:02d}" for i in range(n))
    criteria = []
    for k in range(r.randint(2, 4)):
        kind = r.choice(["number", "category", "set"])
        if kind == "number":
            values = {s: round(r.uniform(20, 100)) for s in students}
        elif kind == "category":
            values = {s: r.choice(BANDS[:3]) for s in students}
        else:
            values = {s: frozenset(r.sample(INTERESTS[:6], r.randint(1, 3))) for s in students}
        aim = r.choice(["mix", "mix", "match"])
        criteria.append(Criterion(f"c{k}", kind, values, r.choice([1, 2, 3]), aim))
    apart = together = ()
    if seed % 2:
        apart = (frozenset(r.sample(students, 3)),)
        together = (frozenset(r.sample([s for s in students if s not in apart[0]], 2)),)
    size = 4 if n == 11 else (3 if seed % 4 < 2 else 4)
    return Problem(
        students, group_size=size, criteria=tuple(criteria), apart=apart, together=together
    )


def partitions(n: int, sizes: list[int]):
    """Every partition of n students into groups of these sizes, as label lists."""
    lab = [-1] * n

    def place(remaining: list[int], left: list[int], label: int):
        if not left:
            yield list(lab)
            return
        first, rest = left[0], left[1:]
        for size in sorted(set(remaining)):
            others = list(remaining)
            others.remove(size)
            for companions in itertools.combinations(rest, size - 1):
                for i in (first, *companions):
                    lab[i] = label
                yield from place(others, [i for i in rest if i not in companions], label + 1)
                for i in (first, *companions):
                    lab[i] = -1

    yield from place(list(sizes), list(range(n)), 0)


def exhaustive(instances: int) -> list[dict]:
    rows = []
    for seed in range(instances):
        problem = small_class(seed)
        sizes = group_sizes(problem)
        scores = [
            score(problem, dict(zip(problem.students, labels, strict=True)))
            for labels in partitions(len(problem.students), sizes)
        ]
        best, mean = min(scores), statistics.fmean(scores)
        ours = make_groups(problem, seed=seed).score
        gap = (ours - best) / (mean - best) if mean > best else 0.0
        rows.append(
            {
                "seed": seed,
                "students": len(problem.students),
                "sizes": sizes,
                "partitions": len(scores),
                "optimum": best,
                "random_mean": mean,
                "ours": ours,
                "gap": gap,
            }
        )
        print(
            f"  class {seed:2d}: {len(problem.students)} students in {sizes}, "
            f"{len(scores):5d} partitions: optimum {best:.4f}, ours {ours:.4f}, random mean "
            f"{mean:.4f}, gap {100 * gap:.2f} %",
            flush=True,
        )
    return rows


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--random", type=int, default=1000, help="random groupings scored")
    parser.add_argument("--rounds", type=int, default=3, help="make_groups runs (seeds 0, 1, …)")
    parser.add_argument("--exhaustive", type=int, default=12, help="small classes solved exactly")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.students < 8 or args.random < 1 or args.rounds < 1 or args.exhaustive < 0:
        parser.error("--students ≥ 8, --random ≥ 1, --rounds ≥ 1, --exhaustive ≥ 0")
    return args


def run(args: argparse.Namespace) -> int:
    started = dt.datetime.now()
    problem = synthetic_grade(args.students)
    sizes = group_sizes(problem)
    span = str(min(sizes)) if min(sizes) == max(sizes) else f"{min(sizes)}–{max(sizes)}"
    print(
        f"Grouping benchmark: {args.students} students in {len(sizes)} groups of "
        f"{span}, {len(problem.criteria)} criteria, "
        f"{len(problem.apart)} keep-apart and {len(problem.together)} keep-together lists; "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    score(problem, random_assignment(problem, random.Random(0)))  # read the problem once

    rounds = []
    for seed in range(args.rounds):
        began, cpu = time.perf_counter(), time.process_time()
        made = make_groups(problem, seed=seed)
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
        rounds.append({"seed": seed, "seconds": seconds, "cpu_seconds": cpu, "score": made.score})
        print(
            f"  make_groups, seed {seed}: {seconds:.2f} s ({cpu:.2f} s of CPU), score "
            f"{made.score:.4f} "
            f"({made.explanation.summary})",
            flush=True,
        )

    rng = random.Random(SEED)
    began, cpu = time.perf_counter(), time.process_time()
    randoms = [score(problem, random_assignment(problem, rng)) for _ in range(args.random)]
    baseline, baseline_cpu = time.perf_counter() - began, time.process_time() - cpu
    valid = [s for s in randoms if s < 10]
    # the same random groupings' balance alone (lists ignored), to set ours against
    unlisted, rng = replace(problem, apart=(), together=()), random.Random(SEED)
    balances = [score(unlisted, random_assignment(problem, rng)) for _ in range(args.random)]
    ours_seconds = statistics.median(r["seconds"] for r in rounds)
    ours_cpu = statistics.median(r["cpu_seconds"] for r in rounds)
    ours_score = statistics.median(r["score"] for r in rounds)
    best_random, mean_random = min(randoms), statistics.fmean(randoms)
    print(f"\n{args.students} students (median of {args.rounds} rounds):")
    print(
        f"  make_groups:                          {ours_seconds:.2f} s ({ours_cpu:.2f} s of "
        f"CPU), score {ours_score:.4f}"
    )
    print(
        f"  {args.random} random groupings, scored:       {baseline:.2f} s ({baseline_cpu:.2f} s "
        f"of CPU), best "
        f"{best_random:.4f}, mean {mean_random:.4f} ({len(valid)} keep every list; their "
        f"best {fmt(min(valid) if valid else None, '.4f')})"
    )
    print(
        f"  time ratio (make_groups ÷ baseline):  {fmt(ratio(ours_seconds, baseline), '.2f')}× "
        f"(CPU: {fmt(ratio(ours_cpu, baseline_cpu), '.2f')}×)"
    )
    print(
        f"  their balance alone (lists ignored): best {min(balances):.4f}, mean "
        f"{statistics.fmean(balances):.4f}; ours {ours_score:.4f} keeps every list"
    )
    print(
        f"  score: ours ÷ best random {fmt(ratio(ours_score, best_random), '.4f')}× "
        f"(÷ the best balance alone {fmt(ratio(ours_score, min(balances)), '.3f')}×)"
    )
    time_met = max(r["seconds"] for r in rounds) <= TARGET_SECONDS
    score_met = all(r["score"] < best_random for r in rounds)
    print(
        f"  target make_groups ≤ {TARGET_SECONDS:g} s (every round): "
        f"{'met' if time_met else 'NOT met'}; "
        f"score below the best random one (every round): {'met' if score_met else 'NOT met'}"
    )

    rows = []
    if args.exhaustive:
        print(f"\nExhaustive check, {args.exhaustive} small classes:", flush=True)
        rows = exhaustive(args.exhaustive)
        worst = max(r["gap"] for r in rows)
        exact = sum(r["ours"] <= r["optimum"] + 1e-9 for r in rows)
        print(
            f"  optimum found in {exact} of {len(rows)}; the largest gap {100 * worst:.2f} % "
            f"of the way to a random grouping's mean (target ≤ {100 * TARGET_GAP:g} %): "
            f"{'met' if worst <= TARGET_GAP else 'NOT met'}"
        )
    print(f"Load average at the end: {os.getloadavg()[0]:.2f}")

    out = write_results(
        args.results,
        "grouping-",
        started,
        {
            "benchmark": "bench_grouping",
            "started": started.isoformat(timespec="seconds"),
            "settings": {
                "students": args.students,
                "random": args.random,
                "rounds": args.rounds,
                "exhaustive": args.exhaustive,
                "seed": SEED,
                "target_seconds": TARGET_SECONDS,
                "target_gap": TARGET_GAP,
            },
            "machine": machine(),
            "summary": {
                "make_groups_seconds": ours_seconds,
                "make_groups_cpu_seconds": ours_cpu,
                "baseline_cpu_seconds": baseline_cpu,
                "make_groups_score": ours_score,
                "baseline_seconds": baseline,
                "time_ratio": ratio(ours_seconds, baseline),
                "random_best": best_random,
                "random_mean": mean_random,
                "random_valid": len(valid),
                "random_balance_best": min(balances),
                "random_balance_mean": statistics.fmean(balances),
                "time_met": time_met,
                "score_met": score_met,
                "exhaustive_worst_gap": max((r["gap"] for r in rows), default=None),
            },
            "rounds": rounds,
            "exhaustive": rows,
        },
    )
    print(f"\nResults written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
