"""The synthetic demo data: the same content for the same day, and worth showing."""

from collab_widgets.core.db import Store
from collab_widgets.demo.sample import DEMO_TEAMS, seed_demo
from collab_widgets.live import store as live
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.render import run_html
from collab_widgets.team.store import members, norms


def _content(store: Store, demo) -> list:
    seen = []
    for team, code in demo.team_codes.items():
        scope = store.open_team(code)
        run = runs.past_runs(scope)[0]
        seen.append(
            (
                team,
                [m.name for m in members.roster(scope)],
                [n.text for n in norms.norms(scope)],
                [(m.date, m.title) for m in meetings.all_meetings(scope)],
                run.title,
                [s.notes for s in run.steps],
                [[n.text for n in live.board(scope, s.prompt_id).notes] for s in run.steps],
            )
        )
    return seen


def test_the_same_day_gives_the_same_demo_content_but_new_codes(tmp_path, fixed_clock):
    stores = [Store(f"sqlite:///{tmp_path / f'{i}.sqlite'}") for i in (1, 2)]
    demos = [seed_demo(store) for store in stores]
    assert _content(stores[0], demos[0]) == _content(stores[1], demos[1])
    assert demos[0].team_codes != demos[1].team_codes
    assert list(demos[0].team_codes) == list(DEMO_TEAMS)


def test_each_demo_team_has_a_finished_protocol_worth_reading(sqlite_store):
    demo = seed_demo(sqlite_store)
    by_team = {team: sqlite_store.open_team(code) for team, code in demo.team_codes.items()}
    math = runs.past_runs(by_team["Grade 4 Math"])[0]
    record = run_html(by_team["Grade 4 Math"], math)
    assert math.title == "Looking at data" and "Item 4 is the outlier" in record
    vote = next(s for s in math.steps if s.kind == "dot-vote")
    totals = live.board(by_team["Grade 4 Math"], vote.prompt_id).totals
    assert sum(totals.values()) == 3 * len(DEMO_TEAMS["Grade 4 Math"])
    science = runs.past_runs(by_team["Grade 7 Science"])[0]
    assert "Hear from those at 0, 1 or 2 before deciding: Diego F." in run_html(
        by_team["Grade 7 Science"], science
    )
    english = runs.past_runs(by_team["English 9"])[0]
    board = next(s for s in english.steps if s.kind == "board")
    notes = live.board(by_team["English 9"], board.prompt_id).notes
    assert len(notes) == 4 and all(n.author_id is None for n in notes)
    assert all(runs.live_run(scope) is None for scope in by_team.values())


def test_every_demo_team_link_still_hands_out_names(sqlite_store):
    """The demo's classroom work is written by members on their own links (a note is a
    member's own), which takes their names; the team link must still have names to give,
    or a visitor of the demo could not join."""
    demo = seed_demo(sqlite_store)
    for team, code in demo.team_codes.items():
        free = [m.name for m in members.roster(sqlite_store.open_team(code)) if not m.claimed]
        assert free, f"{team}: every name is taken"
    math = members.roster(sqlite_store.open_team(demo.team_codes["Grade 4 Math"]))
    assert [m.name for m in math if not m.claimed] == ["Avery M.", "Lin W."]
