"""Observing a lesson: notes from four observers at once, shown on every other observer's page.

Four members of one team each open their personal link to the classroom workbook in a
browser context of their own (one Chromium, one real ``collab serve``, SQLite), open its
"Observe" tab and the lesson being taught. Before the pages open, the harness sets that
lesson up in the store: a lesson study of the demo team, its research lesson the team's
plan, moved through "Study" and "Plan" to "Teach and observe", taught by the team's fifth
member. Then, round after round, **all four observers type a note at the same moment**
(each a text of its own; the moment is agreed in the machine's clock and each page puts
its text into its box itself, so none waits for another's turn). For each note the
harness records

* **typed**: when the text went into the box (the page's ``Date.now()``, as it sets it);
* **saved**: when the note is in the store (the harness reads ``observation_notes`` every
  20 ms); the page saves it after a pause in typing (0.4 s);
* **shown**: on each of the three other observers' pages, when its text first appears in
  the notes feed (a MutationObserver installed before any page script, ``Date.now()``).

Then each observer presses "Next note" (which finishes the note and clears the box). The
others' pages find the notes by polling the team's revision every ``POLL_SECONDS``.
Latencies are reported as medians and 95th percentiles, in milliseconds and as multiples
of the poll interval, from *saved* (the live engine's part) and from *typed* (what an
observer sees, the pause before saving included). Target: p95 ≤ 2 × the interval, judged
on both and printed as ratios. Each round starts at a random moment within the poll
interval. Nothing here fails on timing; the exit code is 1 only if the measurement could
not run (no note was seen on any other page counts as that).

    python3 run.py bench observe --rounds 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench_live import DB_POLL_S, TARGET_P95, Latency, intervals  # noqa: E402
from harness import (  # noqa: E402
    chromium_version,
    fmt,
    machine,
    run_until_stopped,
    write_results,
)

from collab_widgets.classroom import rules as stages
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.tables import observation_notes
from collab_widgets.core.db import Store
from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess
from collab_widgets.demo.sample import seed_demo
from collab_widgets.live.rules import POLL_SECONDS

WORKBOOK = "06_in_the_classroom.ipynb"
TEAM = "Grade 4 Math"
OBSERVERS = 4
TAB = "Observe"
STUDY = "Benchmark: four observers at once"
LESSON = f"{STUDY} ({stages.STAGE_NAMES[stages.TEACH]})"  # as the "Lesson" dropdown names it
READY_TIMEOUT_MS = 180_000
SHOWN_TIMEOUT_S = 30
START_AHEAD_S = 0.3  # the agreed moment is at least this far ahead of when it is sent
NOTE = "obs{:03d}o{}x"  # round, observer: one word, unique to each note

# Installed before any page script: the first moment each benchmark note's text is in this
# page's notes feed, in the machine's wall clock (shared with the harness); and, for the
# harness, each page's errors as the page shows them.
OBSERVER = r"""
(() => {
  const seen = (window.__seen = {});
  window.__typed = {};
  const scan = () => {
    for (const el of document.querySelectorAll(".collab-observation-feed .collab-note-text")) {
      for (const word of (el.textContent || "").match(/obs\d{3}o\d+x/g) || []) {
        if (!(word in seen)) seen[word] = Date.now();
      }
    }
  };
  new MutationObserver(scan).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
"""

# Puts ``text`` into the page's note box at the wall-clock moment ``at`` (ms), as typing
# does (the box's "input" event: the widget sends the value to the kernel at once), and
# keeps the moment it did.
TYPE_AT = r"""
({word, text, at}) => {
  const box = document.querySelector(".collab-observation-text textarea");
  if (!box) throw new Error("no note box on the page");
  setTimeout(() => {
    window.__typed[word] = Date.now();
    box.value = text;
    box.dispatchEvent(new Event("input", {bubbles: true}));
  }, Math.max(0, at - Date.now()));
}
"""

# What the page says went wrong: its status line's errors and a failed save.
PAGE_ERRORS = r"""
() => [...document.querySelectorAll(".collab-status .collab-error, .collab-saved-failed")]
  .map((el) => (el.textContent || "").trim()).filter(Boolean)
"""


@dataclass
class Note:
    round: int
    observer: str
    word: str
    at_ms: float  # the agreed moment
    typed_ms: float | None = None
    saved_ms: float | None = None
    shown_ms: dict[str, float] = field(default_factory=dict)  # other observer -> wall clock
    own_page_ms: float | None = None  # on the writer's own page (drawn after its save)
    # the pages where it came with that page's own note of the round (the same redraw)
    with_own_note: list[str] = field(default_factory=list)
    error: str = ""

    def from_saved(self) -> list[float]:
        return [t - self.saved_ms for t in self.shown_ms.values()] if self.saved_ms else []

    def from_typed(self) -> list[float]:
        return [t - self.typed_ms for t in self.shown_ms.values()] if self.typed_ms else []

    def polled_from_saved(self) -> list[float]:
        """From saved, on the pages that found it by polling (not with their own note)."""
        if not self.saved_ms:
            return []
        return [t - self.saved_ms for n, t in self.shown_ms.items() if n not in self.with_own_note]


class StoreWatch(threading.Thread):
    """Reads the observation notes every 20 ms and notes when each benchmark note is saved."""

    def __init__(self, db_url: str):
        super().__init__(daemon=True)
        self.engine = sa.create_engine(db_url)
        self.saved: dict[str, float] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        n = observation_notes.c
        query = sa.select(n.text).where(n.text.like("obs%"))
        while not self.halt.is_set():
            with self.engine.connect() as conn:
                texts = conn.execute(query).scalars().all()
            now = time.time() * 1000
            for text in texts:
                self.saved.setdefault(text.split()[0], now)
            time.sleep(DB_POLL_S)
        self.engine.dispose()


def start_lesson(db_url: str, code: str, tokens: dict[str, str]) -> str:
    """A lesson study of the team at "Teach and observe" (the demo's own is at its debrief),
    its research lesson the team's plan, taught by the last member; returns the teacher."""
    store = Store(db_url)
    try:
        teacher = list(tokens)[-1]
        scope = store.open_team(code, tokens[teacher])
        study_id = classroom.create_study(scope, STUDY)
        classroom.set_research_lesson(scope, study_id, classroom.plans(scope)[0].id)
        classroom.set_teacher(scope, study_id, scope.member_id)
        for stage in (stages.STUDY, stages.PLAN, stages.TEACH):
            classroom.move(scope, study_id, stage)
        if classroom.get_study(scope, study_id).lesson_started_at is None:
            raise RuntimeError("the benchmark's lesson did not start")
    finally:
        store.close()
    return teacher


def open_observer(browser, link: str, errors: list[str], name: str) -> Page:
    """The observer's personal link, its "Observe" tab, the lesson being taught."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OBSERVER)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{name}: page error: {exc}"))
    page.goto(link, timeout=READY_TIMEOUT_MS)
    page.wait_for_selector(".collab-ready", timeout=READY_TIMEOUT_MS)
    page.get_by_role("tab", name=TAB, exact=True).click()
    panel = page.locator(".collab-observe")
    lesson = panel.get_by_label("Lesson", exact=True)
    expect(lesson.locator("option", has_text=LESSON)).to_have_count(1, timeout=READY_TIMEOUT_MS)
    if lesson.evaluate("(el) => el.selectedOptions[0]?.textContent || ''") != LESSON:
        lesson.select_option(label=LESSON)
    expect(panel.locator(".collab-observation-feed")).to_contain_text(
        "No notes yet", timeout=READY_TIMEOUT_MS
    )
    expect(page.locator(".collab-observation-text textarea")).to_be_visible()
    return page


def one_round(
    number: int, pages: dict[str, Page], watch: StoreWatch, errors: list[str]
) -> list[Note]:
    """Every observer types a note at the same moment; each is then looked for on the
    other pages until all are seen or ``SHOWN_TIMEOUT_S`` passes."""
    at = time.time() * 1000 + (START_AHEAD_S + random.uniform(0, POLL_SECONDS)) * 1000
    notes = {}
    for index, (name, page) in enumerate(pages.items()):
        word = NOTE.format(number, index)
        note = notes[name] = Note(number, name, word, at)
        text = f"{word} a student counted the tick marks, round {number}"
        try:
            page.evaluate(TYPE_AT, {"word": word, "text": text, "at": at})
        except Exception as exc:  # one failed note is reported, not fatal
            note.error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    expected = len(pages) - 1
    deadline = time.monotonic() + (at / 1000 - time.time()) + SHOWN_TIMEOUT_S

    def complete() -> bool:
        return all(
            n.error or (n.typed_ms and len(n.shown_ms) == expected and n.own_page_ms)
            for n in notes.values()
        )

    while time.monotonic() < deadline and not complete():
        for name, page in pages.items():
            try:
                seen, typed = page.evaluate("() => [window.__seen, window.__typed]")
            except Exception as exc:
                errors.append(f"{name}: reading the page: {type(exc).__name__}")
                continue
            for note in notes.values():
                if note.word in seen:
                    if note.observer == name:
                        note.own_page_ms = note.own_page_ms or seen[note.word]
                    else:
                        note.shown_ms.setdefault(name, seen[note.word])
            mine = notes[name]
            if mine.typed_ms is None and mine.word in typed:
                mine.typed_ms = typed[mine.word]
        time.sleep(0.05)
    time.sleep(3 * DB_POLL_S)
    for note in notes.values():
        note.saved_ms = watch.saved.get(note.word)
        # a page that saves its own note redraws its feed at once, with every note saved
        # before it: a sighting in that same redraw (the same scan) did not wait for a poll
        note.with_own_note = [
            name
            for name, t in note.shown_ms.items()
            if notes[name].own_page_ms is not None and abs(t - notes[name].own_page_ms) < 1
        ]
        if note.error:
            continue
        problems = []
        if note.typed_ms is None:
            problems.append("never typed")
        if note.saved_ms is None:
            problems.append("not saved")
        if len(note.shown_ms) < expected:
            missing = sorted(set(pages) - {note.observer} - set(note.shown_ms))
            problems.append(f"not shown on {', '.join(missing)}")
        if note.own_page_ms is None:
            problems.append("not shown on its own page")
        note.error = "; ".join(problems)
    for name, page in pages.items():  # what the page itself says went wrong
        try:
            for message in page.evaluate(PAGE_ERRORS):
                errors.append(f"{name}, round {number}: {message}")
        except Exception as exc:
            errors.append(f"{name}: reading the page: {type(exc).__name__}")
    return list(notes.values())


def next_note(pages: dict[str, Page]) -> None:
    """Each observer finishes the note and starts another: the box is empty again."""
    for page in pages.values():
        page.get_by_role("button", name="Next note").click()
    for page in pages.values():
        expect(page.locator(".collab-observation-text textarea")).to_have_value(
            "", timeout=SHOWN_TIMEOUT_S * 1000
        )


def report(notes: list[Note], errors: list[str]) -> dict:
    saved = Latency.of([v for n in notes for v in n.from_saved()])
    typed = Latency.of([v for n in notes for v in n.from_typed()])
    save_delay = Latency.of([n.saved_ms - n.typed_ms for n in notes if n.saved_ms and n.typed_ms])
    own = Latency.of([n.own_page_ms - n.typed_ms for n in notes if n.own_page_ms and n.typed_ms])
    spread = Latency.of([n.typed_ms - n.at_ms for n in notes if n.typed_ms])
    polled = Latency.of([v for n in notes for v in n.polled_from_saved()])
    with_own = sum(len(n.with_own_note) for n in notes)
    incomplete = [n for n in notes if n.error]
    print(
        f"\nPoll interval {POLL_SECONDS:g} s; {OBSERVERS} observers typing at once, each note "
        f"looked for on the {OBSERVERS - 1} other pages:"
    )
    print(f"  from saved in the store: {saved.text()}")
    print(f"  from typed on the page:  {typed.text()}")
    print(
        f"  of the sightings, {with_own} came with the page's own note (its redraw after "
        "saving it), the others with its poll; those by poll alone:"
    )
    print(f"    from saved:            {polled.text()}")
    print(f"  typed → saved:           {save_delay.text()}")
    print(f"  typed → own page:        {own.text()}")
    print(
        f"  typed after the agreed moment: median {fmt(spread.median_ms)} ms, "
        f"p95 {fmt(spread.p95_ms)} ms"
    )
    for name, latency in (("saved", saved), ("typed", typed)):
        multiple = intervals(latency.p95_ms)
        verdict = "met" if multiple is not None and multiple <= TARGET_P95 else "NOT met"
        print(
            f"  target p95 ≤ {TARGET_P95:g}× the interval, from {name}: "
            f"{fmt(multiple, '.2f')}×, {verdict}"
        )
    if incomplete:
        print(f"  {len(incomplete)} of {len(notes)} note(s) incomplete:")
        for n in incomplete[:10]:
            print(f"    round {n.round}, {n.observer} ({n.word}): {n.error}")
    if errors:
        print(f"  {len(errors)} error(s) on the pages:")
        for message in list(dict.fromkeys(errors))[:10]:
            print(f"    {message}")
    return {
        "from_saved": asdict(saved),
        "from_typed": asdict(typed),
        "polled_from_saved": asdict(polled),
        "sightings_with_own_note": with_own,
        "typed_to_saved": asdict(save_delay),
        "typed_to_own_page": asdict(own),
        "typed_after_agreed_moment": asdict(spread),
        "p95_multiple_from_saved": intervals(saved.p95_ms),
        "p95_multiple_from_typed": intervals(typed.p95_ms),
        "incomplete_notes": len(incomplete),
        "page_errors": list(dict.fromkeys(errors)),
    }


def server_problems(log_path: Path) -> list[str]:
    """The server log's errors (the kernels' included), each with the traceback after it;
    those logged once the server was told to stop are marked so."""
    if not log_path.exists():
        return []
    lines = log_path.read_text(errors="replace").splitlines()
    found, i, stopping = [], 0, False
    while i < len(lines):
        stopping = stopping or "Handle signal" in lines[i]  # the harness stopping the server
        if " ERROR" in lines[i] or "[E " in lines[i] or lines[i].startswith("Traceback"):
            block = [("(while the server stopped) " if stopping else "") + lines[i]]
            i += 1
            while i < len(lines) and not lines[i].startswith("[") and len(block) < 60:
                block.append(lines[i])
                i += 1
            found.append("\n".join(block))
        else:
            i += 1
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rounds", type=int, default=10, help=f"rounds of {OBSERVERS} notes typed at once"
    )
    parser.add_argument("--pool-size", type=int, default=2)
    parser.add_argument("--workbooks", type=Path, default=ROOT / "workbooks")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be positive")
    return args


def run(args: argparse.Namespace) -> int:
    started = dt.datetime.now()
    print(
        f"Observation benchmark: {OBSERVERS} observers, {args.rounds} rounds of {OBSERVERS} "
        f"notes typed at once, {chromium_version()}, {os.cpu_count()} CPU(s), "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    notes: list[Note] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="collab-bench-observe-") as tmp_name:
        tmp = Path(tmp_name)
        served = tmp / "workbooks"
        served.mkdir()
        shutil.copy2(args.workbooks / WORKBOOK, served / WORKBOOK)
        db_url = f"sqlite:///{tmp / 'bench.sqlite'}"
        store = Store(db_url)
        demo = seed_demo(store)
        store.close()
        code, tokens = demo.team_codes[TEAM], demo.member_tokens[TEAM]
        teacher = start_lesson(db_url, code, tokens)
        observers = [name for name in tokens if name != teacher][:OBSERVERS]
        if len(observers) < OBSERVERS:
            raise RuntimeError(f"{TEAM} has {len(observers)} members besides the teacher")
        watch = StoreWatch(db_url)
        log_path = tmp / "server.log"
        try:
            with (
                ServerProcess(
                    db_url, log_path, pool_size=args.pool_size, workbooks=served
                ) as server,
                sync_playwright() as playwright,
            ):
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
                )
                pages: dict[str, Page] = {}
                for name in observers:
                    link = server.url(WORKBOOK, team=code, member=tokens[name])
                    pages[name] = open_observer(browser, link, errors, name)
                    print(f"  {name} is observing", flush=True)
                print(f"{teacher} teaches; {args.rounds} rounds…", flush=True)
                watch.start()
                for number in range(args.rounds):
                    batch = one_round(number, pages, watch, errors)
                    notes.extend(batch)
                    typed = [n.typed_ms for n in batch if n.typed_ms]
                    saved = [n.saved_ms - n.typed_ms for n in batch if n.saved_ms and n.typed_ms]
                    shown = sorted(v for n in batch for v in n.from_typed())
                    problems = "; ".join(f"{n.observer}: {n.error}" for n in batch if n.error)
                    print(
                        f"  round {number:2d}: typed within "
                        f"{fmt(max(typed) - min(typed) if typed else None)} ms of each other, "
                        f"saved {fmt(min(saved) if saved else None)}–"
                        f"{fmt(max(saved) if saved else None)} ms after, "
                        f"shown on the others {fmt(shown[0] if shown else None)}–"
                        f"{fmt(shown[-1] if shown else None)} ms after "
                        f"({len(shown)} sightings) {problems}",
                        flush=True,
                    )
                    next_note(pages)
                watch.halt.set()
                browser.close()
        except Exception:
            if log_path.exists():
                print("\nEnd of the server log:")
                print("\n".join(log_path.read_text(errors="replace").splitlines()[-40:]))
            raise
        finally:
            watch.halt.set()
        problems = server_problems(log_path)

    summary = report(notes, errors)
    if problems:
        print(f"  {len(problems)} error(s) in the server log (every one in the JSON), the first:")
        print("    " + problems[0].replace("\n", "\n    "))
    summary["server_log_errors"] = problems
    out = write_results(
        args.results,
        "observe-",
        started,
        {
            "benchmark": "bench_observe",
            "started": started.isoformat(timespec="seconds"),
            "settings": {
                "rounds": args.rounds,
                "observers": OBSERVERS,
                "pool_size": args.pool_size,
                "poll_seconds": POLL_SECONDS,
                "target_p95_multiple": TARGET_P95,
            },
            "machine": machine(),
            "summary": summary,
            "notes": [asdict(n) for n in notes],
        },
    )
    print(f"\nResults written to {out}")
    if not any(n.shown_ms for n in notes):
        print("No note was seen on another page: the measurement did not run.")
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_until_stopped(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
