"""Pictures of the main screens on the demo data, for the README and docs/.

    python3 run.py screenshots                      # this tree -> docs/screenshots/
    python3 run.py screenshots --tree ../old --out docs/screenshots/before
    python3 run.py screenshots --only live-board-member coach-page   # these pictures only

Seeds the synthetic demo teams into a temporary database with the tree's own
``collab seed --demo``, serves the tree's workbooks with its own package (``python -m`` in
its folder puts it first on the path), and opens each screen in Debian's Chromium as the
visitor it is for: a member of "Grade 4 Math" (its first member), the coach, a visitor
holding only the team link, and a workshop participant. Each screen is saved as a PNG at
a projector's size (1280×800) and the member pages also at a phone's (375×667).

Run it again whenever a screen changes; the README and docs/ link the files by name.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEAM = "Grade 4 Math"
PROJECTOR = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
READY = ".collab-ready"
TIMEOUT_MS = 90_000


@dataclass(frozen=True)
class Shot:
    name: str  # the file's name, without .png
    notebook: str  # a workbook, or "" for the workshop participants' page
    visitor: str  # member, coach, team link, participant
    tab: str = ""  # a tab to open first
    phone: bool = False
    board: bool = False  # a protocol running on the team's live board, scrolled to


SHOTS = (
    Shot("start-here-member", "00_start_here.ipynb", "member"),
    Shot("start-here-member-phone", "00_start_here.ipynb", "member", phone=True),
    Shot("start-here-team-link", "00_start_here.ipynb", "team link"),
    Shot("coach-page", "00_start_here.ipynb", "coach"),
    Shot("protocols-member", "01_protocols.ipynb", "member"),
    Shot("evidence-results", "02_evidence_analysis.ipynb", "member"),
    Shot("goals-member", "03_goal_setting.ipynb", "member"),
    Shot("todays-meeting-member", "04_todays_meeting.ipynb", "member"),
    Shot("todays-meeting-member-phone", "04_todays_meeting.ipynb", "member", phone=True),
    Shot("reflection-member", "05_reflection_and_actions.ipynb", "member"),
    Shot("workshop-presenter", "07_workshop_presenter.ipynb", "coach"),
    Shot("workshop-participant-phone", "", "participant", phone=True),
    # last: from here on the team has a protocol running
    Shot("live-board-member", "01_protocols.ipynb", "member", board=True),
    Shot("live-board-member-phone", "01_protocols.ipynb", "member", phone=True, board=True),
)
BOARD_NOTES = (  # (who of the roster, what they wrote, the group the team put it in)
    (1, "Item 4: most chose 3/4 instead of 2/3", "Fractions"),
    (2, "Fractions on a number line: 48% correct", "Fractions"),
    (1, "Word problems were left blank by a third", ""),
    (3, "Items 1-3 above 85%", "What went well"),
    (0, "Section B did better on item 7", ""),
)


def seed(tree: Path, database: Path) -> dict[str, dict[str, str]]:
    """The tree's own demo seed; the query strings each kind of visitor opens pages with."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cli = [sys.executable, "-m", "collab_widgets.cli", "--db", f"sqlite:///{database}"]
    subprocess.run([*cli, "seed", "--demo"], cwd=tree, env=env, check=True, capture_output=True)
    with contextlib.closing(sqlite3.connect(database)) as db:
        team_id, code = db.execute("SELECT id, code FROM teams WHERE name = ?", (TEAM,)).fetchone()
        (token,) = db.execute(
            "SELECT token FROM members WHERE team_id = ? ORDER BY id LIMIT 1", (team_id,)
        ).fetchone()
        (coach,) = db.execute("SELECT code FROM coaches ORDER BY id LIMIT 1").fetchone()
    return {
        "member": {"team": code, "member": token},
        "coach": {"coach": coach},
        "team link": {"team": code},
    }


def workshop_code(tree: Path, database: Path, coach: str) -> str:
    """A workshop with one open prompt, made by the tree's own package."""
    script = (
        "import sys\n"
        "from collab_widgets.core.db import Store\n"
        "from collab_widgets.workshops.store import trainer\n"
        "store = Store(sys.argv[1]); coach = store.open_coach(sys.argv[2])\n"
        "w = trainer.create(coach, 'Staff meeting warm-up')\n"
        "trainer.add_prompt(coach, w, 'word', 'One word for how this term started')\n"
        "print(trainer.get(coach, w).code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, f"sqlite:///{database}", coach],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def start_board(tree: Path, database: Path, visitors: dict[str, dict[str, str]]) -> None:
    """The coach starts "Looking at data" for the team with its first member as
    facilitator and moves it to "Describe"; members' notes, some of them grouped. Made by
    the tree's own package, as a team would through its pages."""
    script = (
        "import sys\n"
        "from collab_widgets.core.db import Store\n"
        "from collab_widgets.live import store as live\n"
        "from collab_widgets.meetings import store as meetings\n"
        "from collab_widgets.protocols import runner, store as runs\n"
        "from collab_widgets.protocols.library import load_library\n"
        "from collab_widgets.team.store import members\n"
        "store = Store(sys.argv[1]); team_code = sys.argv[3]\n"
        "coach = store.open_coach(sys.argv[2]).open_team(team_code)\n"
        "roster = members.roster(coach)\n"
        "protocol = load_library().get('looking-at-data')\n"
        "meeting = meetings.next_meeting(coach)\n"
        "run_id = runs.start_run(coach, protocol, meeting.id, {'facilitator': roster[0].id})\n"
        "while runs.get_run(coach, run_id).current.key != 'describe':\n"
        "    runs.control(coach, run_id, runner.advance)\n"
        "prompt = runs.get_run(coach, run_id).current_prompt_id\n"
        f"for who, text, group in {BOARD_NOTES!r}:\n"
        "    note = live.add_note(store.open_team(team_code, roster[who].token), prompt, text)\n"
        "    if group:\n"
        "        live.group_note(coach, note, group)\n"
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            f"sqlite:///{database}",
            visitors["coach"]["coach"],
            visitors["team link"]["team"],
        ],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        check=True,
        capture_output=True,
    )


def take(shots, tree: Path, out: Path) -> None:
    sys.path.insert(0, str(tree))
    from playwright.sync_api import sync_playwright

    from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS, ServerProcess

    if not Path(CHROMIUM).exists():
        sys.exit("Chromium is missing: apt-get install chromium")

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "demo.sqlite"
        visitors = seed(tree, database)
        with contextlib.chdir(tree):
            server = ServerProcess(
                f"sqlite:///{database}",
                Path(folder) / "serve.log",
                pool_size=1,
                workbooks=tree / "workbooks",
                extra_env={"PYTHONPATH": str(tree)},
            )
            with server, sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                code = workshop_code(tree, database, visitors["coach"]["coach"])
                board_started = False
                for shot in shots:
                    if shot.board and not board_started:
                        start_board(tree, database, visitors)
                        board_started = True
                    context = browser.new_context(viewport=PHONE if shot.phone else PROJECTOR)
                    page = context.new_page()
                    page.set_default_timeout(TIMEOUT_MS)
                    if shot.notebook:
                        page.goto(server.url(shot.notebook, **visitors[shot.visitor]))
                        page.wait_for_selector(READY)
                        if shot.tab:
                            page.get_by_role("tab", name=shot.tab).click()
                        if shot.board:
                            page.locator(".collab-board").first.scroll_into_view_if_needed()
                    else:
                        page.goto(f"{server.base}/workshop?code={code}")
                        page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(1500)  # charts and refreshed panels settle
                    out.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=out / f"{shot.name}.png")
                    print(f"  {shot.name}.png", flush=True)
                    context.close()
                browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout to picture")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        choices=[shot.name for shot in SHOTS],
        help="only these pictures (file names without .png)",
    )
    args = parser.parse_args(argv)
    shots = [shot for shot in SHOTS if not args.only or shot.name in args.only]
    take(shots, args.tree.resolve(), args.out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
