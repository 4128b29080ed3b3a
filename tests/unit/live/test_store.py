"""The live engine and protocol runs in the store: who may do what, anonymity, dot budgets,
results only once closed, the change counter pages poll, and runs in exports."""

import json

import pytest
import sqlalchemy as sa

from collab_widgets.backup import store as lifecycle
from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.history import store as trash
from collab_widgets.live import store as live
from collab_widgets.live import tables as live_tables
from collab_widgets.live.model import CLOSED
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.team.store import members, teams
from tests.unit.conftest import Meeting


def test_notes_go_on_the_open_board_only(looking):
    waiting = looking.run().steps[3].prompt_id
    with pytest.raises(InvalidInput, match="not open"):
        live.add_note(looking.ben, waiting, "too early")
    board = looking.go_to("describe")
    note = live.add_note(looking.ben, board, "<img src=x onerror=alert(1)> 23% on item 4")
    shown = live.board(looking.chen, board).notes
    assert [(n.id, n.text, n.author) for n in shown] == [
        (note, "<img src=x onerror=alert(1)> 23% on item 4", "Ben")
    ]
    runs.control(looking.ana, looking.run_id, runner.advance)
    with pytest.raises(InvalidInput, match="not open"):
        live.add_note(looking.ben, board, "after it closed")
    live.edit_note(looking.ben, note, "finishing my sentence as the step moved on")
    runs.control(looking.ana, looking.run_id, runner.finish)
    with pytest.raises(InvalidInput, match="has finished"):
        live.edit_note(looking.ben, note, "after the protocol ended")


def test_a_note_being_typed_shows_in_its_place_and_counts_once_written(looking):
    board = looking.go_to("next-steps")
    blank = live.add_note(looking.ben, board)  # "New note": blank, then typed
    assert [(n.id, n.text) for n in live.board(looking.chen, board).notes] == [(blank, "")]
    vote = looking.run().steps[6].prompt_id
    voices, _ = live.contributions(looking.ana, looking.run().session_id)
    assert {c.member: c.count for c in voices}["Ben"] == 0
    live.edit_note(looking.ben, blank, "  Try exit tickets  ")  # saved exactly as typed
    assert [n.text for n in live.board(looking.chen, board).notes] == ["  Try exit tickets  "]
    live.add_note(looking.chen, board)  # Chen starts a note and never types it
    looking.go_to("choose")
    assert [n.id for n in live.board(looking.chen, vote).notes] == [blank]  # not the blank
    voices, _ = live.contributions(looking.ana, looking.run().session_id)
    assert {c.member: c.count for c in voices}["Ben"] == 1


def test_an_anonymous_notes_author_is_not_stored(team):
    session = Meeting(team, "chalk-talk")
    board = session.go_to("silent-writing")
    recorded = len(activity.entries(session.ana))
    note = live.add_note(session.ben, board, "Nobody knows I wrote this")
    with session.team.store.reading() as conn:
        row = conn.execute(
            sa.select(live_tables.live_entries).where(live_tables.live_entries.c.id == note)
        ).one()
    assert row.member_id is None
    assert "Ben" not in [str(v) for v in row._mapping.values()]
    assert live.board(session.chen, board).notes[0].author is None
    # nor anywhere else: the activity record and the team's export do not name him
    assert len(activity.entries(session.ana)) == recorded
    exported = json.loads(lifecycle.export_team(session.ana))
    assert [e["member_id"] for e in exported["tables"]["live_entries"]] == [None]
    # its writer edits it from the page that wrote it; nobody else can
    live.edit_note(session.ben, note, "Edited by me", mine={note})
    with pytest.raises(AccessDenied, match="only your own"):
        live.edit_note(session.chen, note, "Hijacked")
    with pytest.raises(AccessDenied):
        live.delete_note(session.chen, note)
    voices, anonymous = live.contributions(session.ana, session.run().session_id)
    assert anonymous == 1 and all(c.count == 0 for c in voices)


def test_a_team_can_make_every_board_anonymous(team):
    teams.set_anonymous_board(team.scopes[0], True)
    session = Meeting(team)
    board = session.go_to("describe")
    live.add_note(session.ben, board, "anonymous by the team's choice")
    assert live.board(session.ana, board).notes[0].author_id is None
    assert teams.anonymous_board(session.chen)


def test_own_notes_edit_and_delete_everyone_groups_and_the_moderator_removes(looking):
    board = looking.go_to("describe")
    bens = live.add_note(looking.ben, board, "Ben's")
    chens = live.add_note(looking.chen, board, "Chen's")
    live.edit_note(looking.ben, bens, "Ben's, edited")
    with pytest.raises(AccessDenied):
        live.edit_note(looking.ben, chens, "not mine")
    live.group_note(looking.ben, chens, "Fractions")  # the team sorts the open board
    live.group_note(looking.ana, chens, "Fractions")
    with pytest.raises(InvalidInput, match="one line"):
        live.group_note(looking.ana, chens, "x" * 81)
    live.delete_note(looking.ana, bens)  # the facilitator removes any note
    assert [(n.text, n.group) for n in live.board(looking.ben, board).notes] == [
        ("Chen's", "Fractions")
    ]
    item = [i for i in trash.items(looking.ben) if i.kind == "board note"][0]
    members.assign_role(looking.team.as_coach, "facilitator", looking.team.people[0].id)
    with pytest.raises(AccessDenied):  # a removed note is the facilitator's to bring back
        trash.restore(looking.ben, "board note", item.id)
    trash.restore(looking.ana, "board note", item.id)
    assert len(live.board(looking.ben, board).notes) == 2


def test_once_the_protocol_ends_only_the_facilitator_takes_notes_off_the_board(looking):
    board = looking.go_to("describe")
    bens = live.add_note(looking.ben, board, "Ben's")
    chens = live.add_note(looking.chen, board, "Chen's")
    runs.control(looking.ana, looking.run_id, runner.finish)
    with pytest.raises(AccessDenied):
        live.delete_note(looking.ben, bens)
    live.delete_note(looking.ana, chens)
    assert [n.text for n in live.board(looking.ben, board).notes] == ["Ben's"]


def test_a_dot_vote_keeps_to_each_budget_and_shows_totals_once_closed(looking):
    board = looking.go_to("next-steps")
    a = live.add_note(looking.ben, board, "Reteach item 4 in small groups")
    b = live.add_note(looking.chen, board, "Exit ticket on fractions")
    vote = looking.go_to("choose")
    for _ in range(3):
        live.vote(looking.ben, vote, a, +1)
    with pytest.raises(InvalidInput, match="used all 3 of your dots"):
        live.vote(looking.ben, vote, b, +1)
    live.vote(looking.ben, vote, a, -1)
    live.vote(looking.ben, vote, b, +1)
    with pytest.raises(InvalidInput, match="no dot on that note"):
        live.vote(looking.chen, vote, a, -1)
    live.vote(looking.chen, vote, b, +1)
    live.vote(looking.ana, vote, b, +1)
    open_board = live.board(looking.chen, vote)
    assert open_board.totals is None and open_board.answered == 3
    assert open_board.my_dots == {b: 1} and open_board.dots_left == 2
    with pytest.raises(AccessDenied):
        live.close_prompt(looking.ben, vote)
    live.close_prompt(looking.ana, vote)
    assert live.board(looking.ben, vote).totals == {a: 2, b: 3}
    with pytest.raises(InvalidInput, match="not open"):
        live.vote(looking.chen, vote, a, +1)
    with pytest.raises(InvalidInput, match="one dot at a time"):
        live.vote(looking.chen, vote, a, +3)


def test_dots_on_a_note_taken_off_the_board_are_free_again(looking):
    board = looking.go_to("next-steps")
    gone = live.add_note(looking.ben, board, "Reteach item 4")
    kept = live.add_note(looking.chen, board, "Exit ticket")
    vote = looking.go_to("choose")
    for _ in range(3):
        live.vote(looking.ben, vote, gone, +1)
    live.delete_note(looking.ana, gone)
    assert live.board(looking.ben, vote).dots_left == 3
    assert live.board(looking.ben, vote).answered == 0
    live.vote(looking.ben, vote, kept, +1)
    live.close_prompt(looking.ana, vote)
    assert live.board(looking.ben, vote).totals == {kept: 1}


def test_a_vote_counts_only_notes_of_its_board(looking):
    other = looking.go_to("implications")
    stray = live.add_note(looking.ben, other, "On another board")
    vote = looking.go_to("choose")
    with pytest.raises(NotFound, match="not among the choices"):
        live.vote(looking.ben, vote, stray, +1)


def test_fist_to_five_one_mark_per_member_shown_with_names_once_closed(team):
    session = Meeting(team, "fist-to-five")
    check = session.go_to("first-check")
    for scope, value in ((session.ana, 5), (session.ben, 1), (session.chen, 3)):
        live.mark(scope, check, value)
    live.mark(session.ben, check, 2)  # changes his mark; still one mark
    with pytest.raises(InvalidInput, match="from 0 to 5"):
        live.mark(session.chen, check, 6)
    with pytest.raises(InvalidInput, match="Only members"):
        live.mark(session.team.as_coach, check, 3)
    before = live.board(session.chen, check)
    assert before.marks is None and before.answered == 3 and before.my_mark == 3
    live.close_prompt(session.ana, check)
    marks = {m.member: m.value for m in live.board(session.chen, check).marks}
    assert marks == {"Ana": 5, "Ben": 2, "Chen": 3}


def test_a_rating_keeps_to_its_scale(team):
    session = Meeting(team, "tuning")
    rating = session.go_to("usefulness")
    live.mark(session.ben, rating, 5)
    for bad in (0, 6, True, "4"):
        with pytest.raises(InvalidInput, match="from 1 to 5"):
            live.mark(session.ben, rating, bad)


def test_voices_count_each_members_notes_marks_and_votes(looking):
    board = looking.go_to("describe")
    for text in ("one", "two"):
        live.add_note(looking.ben, board, text)
    note = live.add_note(looking.chen, board, "three")
    looking.go_to("next-steps")
    step = live.add_note(looking.chen, looking.run().current_prompt_id, "four")
    vote = looking.go_to("choose")
    live.vote(looking.ana, vote, step, +1)
    live.vote(looking.ana, vote, step, +1)
    voices, anonymous = live.contributions(looking.ben, looking.run().session_id)
    assert {c.member: c.count for c in voices} == {"Ana": 1, "Ben": 2, "Chen": 2}
    assert anonymous == 0 and note


def test_every_live_write_moves_the_change_counter(looking):
    board = looking.go_to("describe")
    seen = [looking.ben.revision()]
    notes: list[int] = []
    for write in (
        lambda: notes.append(live.add_note(looking.ben, board, "a")),
        lambda: live.edit_note(looking.ben, notes[0], "ab"),
        lambda: live.group_note(looking.ana, notes[0], "Fractions"),
        lambda: runs.set_step_notes(looking.chen, looking.run_id, 2, "n"),
        lambda: runs.control(looking.ana, looking.run_id, runner.pause),
        lambda: runs.control(looking.ana, looking.run_id, runner.resume),
        lambda: looking.go_to("next-steps"),
        lambda: notes.append(live.add_note(looking.ben, looking.run().current_prompt_id, "b")),
        lambda: looking.go_to("choose"),
        lambda: live.vote(looking.chen, looking.run().current_prompt_id, notes[1], +1),
        lambda: live.close_prompt(looking.ana, looking.run().current_prompt_id),
        lambda: live.delete_note(looking.ana, notes[0]),
    ):
        write()
        seen.append(looking.chen.revision())
    assert seen == sorted(seen) and len(set(seen)) == len(seen)


def test_once_the_board_has_closed_only_the_moderator_regroups(looking):
    board = looking.go_to("describe")
    chens = live.add_note(looking.chen, board, "Chen's")
    looking.go_to("choose")  # the board closes as the protocol moves on
    assert live.board(looking.ben, board).prompt.status == CLOSED
    with pytest.raises(AccessDenied, match="Only the facilitator"):
        live.group_note(looking.ben, chens, "Fractions")
    live.group_note(looking.ana, chens, "Fractions")
    assert live.board(looking.ben, board).notes[0].group == "Fractions"


def test_a_group_is_renamed_whole_with_notes_grouped_since_the_page_looked(looking):
    board = looking.go_to("describe")
    ours = [
        live.add_note(who, board, text) for who, text in ((looking.ben, "a"), (looking.chen, "b"))
    ]
    assert live.group_together(looking.ben, ours) == "Group 1"
    late = live.add_note(looking.chen, board, "c")
    live.group_note(looking.chen, late, "Group 1")  # a teammate, after Ben's page drew
    assert live.rename_group(looking.ben, board, "Group 1", " Fractions ") == 3
    assert {n.group for n in live.board(looking.ana, board).notes} == {"Fractions"}
    assert live.rename_group(looking.ben, board, "Group 1", "Other") == 0  # gone already
    with pytest.raises(InvalidInput, match="no group; choose"):
        live.rename_group(looking.ben, board, "Fractions", "not grouped YET")
    looking.go_to("choose")  # closed: the team's sorting is over, the facilitator's is not
    with pytest.raises(AccessDenied, match="Only the facilitator"):
        live.rename_group(looking.ben, board, "Fractions", "Mine")
    assert live.rename_group(looking.ana, board, "Fractions", "Fractions, 4.NF") == 3


def test_two_people_starting_a_group_at_once_start_two(looking):
    board = looking.go_to("describe")
    notes = [live.add_note(looking.ben, board, text) for text in "abcd"]
    # both pages saw no group yet; the names are chosen as the notes move
    assert live.group_together(looking.ben, notes[:2]) == "Group 1"
    assert live.group_together(looking.chen, notes[2:]) == "Group 2"
    other = looking.go_to("next-steps")
    elsewhere = live.add_note(looking.ben, other, "e")
    with pytest.raises(InvalidInput, match="one board"):
        live.group_together(looking.ana, [notes[0], elsewhere])


def test_a_board_takes_a_bounded_number_of_notes(looking, monkeypatch):
    monkeypatch.setattr(live.rules, "MAX_NOTES", 3)
    board = looking.go_to("describe")
    for text in "abc":
        live.add_note(looking.ben, board, text)
    with pytest.raises(InvalidInput, match="holds 3 notes"):
        live.add_note(looking.chen, board, "d")
    live.delete_note(looking.ben, live.board(looking.ben, board).notes[0].id)
    live.add_note(looking.chen, board, "d")  # a note in the trash leaves room
