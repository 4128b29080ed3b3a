"""The protocols page driven without a browser: setup, the live view on two members'
pages, the board, votes, checks, rounds, notes, the countdown, polling, library, history."""

import asyncio

import pytest

from collab_widgets.core.ui.feedback import guarded
from collab_widgets.live import store as live
from collab_widgets.live.rules import POLL_SECONDS, WAITING_POLL_SECONDS
from collab_widgets.live.ui import NOT_UNDERSTOOD, BoardView
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.app import ProtocolsApp
from collab_widgets.protocols.ui.past_runs import PastRunsPanel
from collab_widgets.protocols.ui.run_setup import NEW_MEETING, RunSetup
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, teams
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, texts


def page(fixture, index):
    return ProtocolsApp(
        fixture.store, {"team": fixture.code, "member": fixture.people[index].token}
    )


def button(widget, words):
    found = find(widget, BUTTONS, lambda b: words in b.description)
    assert found, f"no button with {words!r}"
    return found[0]


@pytest.fixture
def ana_facilitates(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    members.assign_role(sqlite_team.as_coach, "recorder", sqlite_team.people[2].id)
    return sqlite_team


def start(app, key="looking-at-data", minutes=None, presenter=None):
    setup = app.live.children[0]
    assert isinstance(setup, RunSetup)
    setup.protocol.value = key
    if minutes:
        setup.minutes.value = minutes
    if presenter is not None:
        setup.role_pickers["presenter"].value = presenter
    button(setup, "Start the protocol").click()
    assert app.live.view is not None, app.status.value
    return app.live.view


def describing(fixture):
    """Ana's and Ben's pages on "Looking at data", at its board "Describe" (Ana started it)."""
    ana, ben = page(fixture, 0), page(fixture, 1)
    start(ana)
    go_to(ana, "describe")
    ben.live.refresh()  # what Ben's poll does when the change counter moves
    return ana, ben


def browser_says(board, message):
    """A message from the board in the browser, through the widget's own channel."""
    board.canvas._handle_custom_msg(message, [])


def cards(board):
    return {card["id"]: card for card in board.canvas.cards}


def write_note(board, text):
    """What a member does: "New note", then type into the new card (the browser sends
    the text after a pause in typing). Returns the note's id."""
    browser_says(board, {"action": "new"})
    note_id = [i for i, card in cards(board).items() if card["own"] and not card["text"]][-1]
    browser_says(board, {"action": "edit", "id": note_id, "text": text})
    return note_id


def go_to(app, key):
    view = app.live.view
    while view.run.current.key != key:
        button(view.controls, "Next step").click()
    return view


def test_the_facilitator_sets_up_and_starts_and_a_member_sees_it(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    assert "No protocol is running" in texts(ben.live)
    assert not find(ben.live, RunSetup)
    setup = ana.live.children[0]
    setup.protocol.value = "tuning"
    assert setup.minutes.value == 53 and "presenter" in setup.role_pickers
    assert setup.role_pickers["facilitator"].value == ana_facilitates.people[0].id
    assert setup.role_pickers["recorder"].value == ana_facilitates.people[2].id
    setup.minutes.value = 30
    assert "min" in setup.plan.value and setup.plan.value.count("<li>") == 8
    view = start(ana, "tuning", 30, presenter=ana_facilitates.people[1].id)
    assert sum(s.minutes for s in view.run.steps) == 30
    ben.live.refresh()  # what Ben's poll does when the change counter moves
    assert "Step 1 of 8" in ben.live.view.header.value
    assert "Ana leads the steps" in texts(ben.live.view.controls)


def test_a_member_cannot_move_the_protocol_even_by_a_crafted_message(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    start(ana)
    ben.live.refresh()
    assert not find(ben.live.view.controls, BUTTONS)
    # A forged widget message can only reach a callback: run one as a click would.
    guarded(ben.status)(ben.live.view._control)(runner.advance)
    assert "Only the facilitator of this protocol" in ben.status.value
    assert runs.live_run(ana_facilitates.member(0)).state.position == 0


def test_a_note_added_on_one_page_appears_on_the_other_as_text(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    go_to_describe = start(ana)
    go_to(ana, "describe")
    ben.live.refresh()
    board = ben.live.view.board
    write_note(board, "<script>alert(1)</script> 40% missed item 4")
    ana.live.refresh()
    (shown,) = ana.live.view.board.canvas.cards  # text for the browser to show as text
    assert shown["text"] == "<script>alert(1)</script> 40% missed item 4"
    assert shown["byline"] == "Ben" and not shown["own"] and go_to_describe


def test_everyone_groups_by_dropping_cards_the_facilitator_removes_any(ana_facilitates):
    ana, ben = describing(ana_facilitates)
    bens = ben.live.view.board
    first = write_note(bens, "first wording")
    browser_says(bens, {"action": "edit", "id": first, "text": "second wording"})
    second = write_note(bens, "another")
    ana.live.refresh()
    board = ana.live.view.board
    assert cards(board)[first]["text"] == "second wording"
    assert board.canvas.can_group and bens.canvas.can_group  # the team sorts together
    browser_says(board, {"action": "group_with", "id": second, "target": first})  # a drop
    ben.live.refresh()
    assert {c["group"] for c in bens.canvas.cards} == {"Group 1"}
    assert bens.canvas.groups == ["Group 1"]
    browser_says(bens, {"action": "rename", "group": "Group 1", "to": " Fractions "})
    browser_says(bens, {"action": "new_group", "id": second})  # "A new group" from the list
    ana.live.refresh()
    assert [(c["text"], c["group"]) for c in board.canvas.cards] == [
        ("second wording", "Fractions"),
        ("another", "Group 1"),
    ]
    browser_says(board, {"action": "group", "id": second, "group": ""})  # back to the pile
    assert cards(board)[second]["group"] == ""
    assert cards(board)[first]["removable"] and not cards(board)[first]["own"]
    browser_says(board, {"action": "remove", "id": first})
    assert [n.id for n in live.board(ana_facilitates.member(1), bens.prompt_id).notes] == [second]
    assert "trash" in ana.status.value


NOTE = "the id of Ben's note"  # put in by the test


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (None, NOT_UNDERSTOOD),
        ("remove", NOT_UNDERSTOOD),
        ({"action": "run", "code": "import os"}, NOT_UNDERSTOOD),
        ({"action": "edit", "id": "1 or 1=1", "text": "x"}, NOT_UNDERSTOOD),
        ({"action": "edit", "id": True, "text": "x"}, NOT_UNDERSTOOD),
        ({"action": "edit", "id": NOTE, "text": ["x"]}, NOT_UNDERSTOOD),
        ({"action": "group", "id": 10**12, "group": "x"}, "not on the board any more"),
        ({"action": "group", "id": NOTE, "group": "two\nlines"}, "one line"),
        ({"action": "dot", "id": NOTE, "change": 5}, NOT_UNDERSTOOD),
        ({"action": "dot", "id": NOTE, "change": 1.0}, NOT_UNDERSTOOD),
        ({"action": "group", "id": NOTE, "group": "Not grouped yet"}, "no group; choose"),
        ({"action": "rename", "group": "x", "to": "not GROUPED yet"}, "no group; choose"),
    ],
    ids=repr,
)
def test_what_a_browser_sends_that_the_board_never_would_is_refused_in_words(
    ana_facilitates, message, words
):
    ana, ben = describing(ana_facilitates)
    board = ben.live.view.board
    note_id = write_note(board, "Ben's")
    if isinstance(message, dict):
        message = {key: note_id if value == NOTE else value for key, value in message.items()}
    before = live.board(ana_facilitates.member(1), board.prompt_id)
    ben.status.value = ""
    browser_says(board, message)
    assert words in ben.status.value and "Traceback" not in ben.status.value, ben.status.value
    assert live.board(ana_facilitates.member(1), board.prompt_id) == before


def test_only_the_board_shown_and_open_takes_edits_and_removals(ana_facilitates):
    """A note of an earlier step, or of a board that has closed, is out of the browser's
    reach, even one's own: a vote's choices are not rewritten once it is on."""
    ana, ben = describing(ana_facilitates)
    earlier = write_note(ben.live.view.board, "described")
    go_to(ana, "next-steps")
    ben.live.refresh()
    board = ben.live.view.board
    choice = write_note(board, "Reteach item 4")
    for message in (
        {"action": "edit", "id": earlier, "text": "rewritten later"},
        {"action": "remove", "id": earlier},
        {"action": "group", "id": earlier, "group": "x"},
    ):
        browser_says(board, message)
        assert "not on the board" in ben.status.value
    go_to(ana, "choose")
    ben.live.refresh()  # the vote on the notes: they are choices now, as written
    for message in (
        {"action": "edit", "id": choice, "text": "Reteach 5"},
        {"action": "rename", "group": "", "to": "Renamed"},
        {"action": "new"},
    ):
        ben.status.value = ""
        browser_says(ben.live.view.board, message)
        assert "has closed" in ben.status.value
    notes = {n.id: n.text for n in live.board(ana_facilitates.member(1), board.prompt_id).notes}
    assert notes == {choice: "Reteach item 4"}


def test_a_coach_follows_a_board_and_writes_no_note(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    coach = ProtocolsApp(
        sqlite_team.store, {"coach": sqlite_team.coach_code, "team": sqlite_team.code}
    )
    start(coach, "chalk-talk")
    board = go_to(coach, "silent-writing").board
    assert not board.canvas.can_write and board.canvas.can_group  # the coach moderates
    browser_says(board, {"action": "new"})
    assert "Only members of the team answer" in coach.status.value
    assert live.board(sqlite_team.member(0), board.prompt_id).notes == ()


def test_typing_is_saved_after_a_pause_and_before_any_other_action(ana_facilitates):
    async def meeting():
        ana = page(ana_facilitates, 0)
        start(ana)
        board = go_to(ana, "describe").board
        browser_says(board, {"action": "new"})
        (note_id,) = cards(board)
        for typed in ("Q", "Q4", "Q4 was hard"):
            browser_says(board, {"action": "edit", "id": note_id, "text": typed})
        stored = live.board(ana_facilitates.member(0), board.prompt_id).notes[0].text
        assert stored == "" and "Saving" in ana.indicator.value  # waiting for a pause
        browser_says(board, {"action": "group", "id": note_id, "group": "Hard"})
        stored = live.board(ana_facilitates.member(0), board.prompt_id).notes[0].text
        assert stored == "Q4 was hard"  # written out before the other action
        browser_says(board, {"action": "edit", "id": note_id, "text": "x" * 2001})
        await asyncio.sleep(0.6)
        assert "Not saved" in ana.indicator.value and "2,000" in ana.indicator.value
        browser_says(board, {"action": "edit", "id": note_id, "text": "Q4 was hard!"})
        await asyncio.sleep(0.6)
        assert "Not saved" not in ana.indicator.value  # the next save clears the failure
        ana.close()

    asyncio.run(meeting())


def test_a_member_cannot_change_or_remove_a_teammates_card(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    start(ana)
    go_to(ana, "describe")
    anas = write_note(ana.live.view.board, "Ana's")
    ben.live.refresh()
    bens = ben.live.view.board
    assert not cards(bens)[anas]["own"] and not cards(bens)[anas]["removable"]
    for message in (
        {"action": "edit", "id": anas, "text": "Ben was here"},
        {"action": "remove", "id": anas},
    ):
        browser_says(bens, message)
        assert "only your own" in ben.status.value or "Only the facilitator" in ben.status.value
    assert [n.text for n in live.board(ana_facilitates.member(1), bens.prompt_id).notes] == [
        "Ana's"
    ]


def test_an_anonymous_note_shows_no_name_and_only_its_page_can_change_it(ana_facilitates):
    ana, ben, chen = (page(ana_facilitates, i) for i in range(3))
    start(ana, "chalk-talk")
    go_to(ana, "silent-writing")
    ben.live.refresh()
    note_id = write_note(ben.live.view.board, "anonymous idea")
    chen.live.refresh()
    (shown,) = chen.live.view.board.canvas.cards
    assert shown["text"] == "anonymous idea" and shown["byline"] == ""  # no author at all
    assert "Ben" not in str(chen.live.view.board.canvas.get_state())
    assert not shown["own"]  # a card, not a text box
    assert cards(ben.live.view.board)[note_id]["own"]  # the page that wrote it
    again = page(ana_facilitates, 1)  # Ben on another device: the note is not known as his
    assert not cards(again.live.view.board)[note_id]["own"]


def test_the_facilitator_makes_anonymous_notes_the_teams_default(ana_facilitates):
    ana = page(ana_facilitates, 0)
    setup = ana.live.children[0]
    setup.protocol.value = "looking-at-data"
    assert not setup.anonymous.value and not setup.team_anonymous.value
    setup.team_anonymous.value = True
    assert teams.anonymous_board(ana_facilitates.member(1)) and setup.anonymous.value
    assert "anonymous by default" in ana.status.value
    view = start(ana, "looking-at-data")
    go_to(ana, "describe")
    write_note(view.board, "signed by nobody")
    assert live.board(ana_facilitates.member(1), view.run.current_prompt_id).notes[0].author is None


def test_a_start_that_fails_leaves_no_new_meeting(ana_facilitates):
    ana = page(ana_facilitates, 0)
    scope = ana_facilitates.member(0)
    start(ana, "chalk-talk")
    before = len(meetings.all_meetings(scope))
    setup = RunSetup(scope, ana.status, ana.live.library, lambda _id: None)
    setup.meeting.value = NEW_MEETING
    button(setup, "Start the protocol").click()  # another page, a protocol still running
    assert "is still running" in ana.status.value
    assert len(meetings.all_meetings(scope)) == before


def test_a_dot_vote_from_the_page_counts_right_and_shows_results_when_closed(ana_facilitates):
    ana, ben, chen = (page(ana_facilitates, i) for i in range(3))
    start(ana)
    go_to(ana, "next-steps")
    for app, text in ((ben, "Small groups for item 4"), (chen, "Exit tickets")):
        app.live.refresh()
        write_note(app.live.view.board, text)
    go_to(ana, "choose")
    for app in (ben, chen):
        app.live.refresh()
    ben_vote = ben.live.view.board
    choices = [card["id"] for card in ben_vote.canvas.cards]
    assert ben_vote.canvas.mode == "vote" and ben_vote.canvas.voting
    for _ in range(3):
        browser_says(ben_vote, {"action": "dot", "id": choices[0], "change": 1})
    assert "You have 0 of 3 dots left" in ben_vote.canvas.status
    assert ben_vote.canvas.dots_left == 0 and cards(ben_vote)[choices[0]]["mine"] == 3
    browser_says(ben_vote, {"action": "dot", "id": choices[1], "change": 1})
    assert "used all 3 of your dots" in ben.status.value
    browser_says(chen.live.view.board, {"action": "dot", "id": choices[1], "change": 1})
    assert cards(chen.live.view.board)[choices[1]]["total"] == 0  # nobody's totals yet
    assert "Results show when voting closes" in ben_vote.canvas.status
    ana.live.refresh()
    button(ana.live.view.board, "Close voting").click()
    ben.live.refresh()
    result = ben.live.view.board.canvas
    assert result.mode == "ranked" and not result.voting
    assert [(c["text"], c["total"]) for c in result.cards] == [
        ("Small groups for item 4", 3),
        ("Exit tickets", 1),
    ]


def test_fist_to_five_from_the_page_shows_the_spread_and_whom_to_hear(ana_facilitates):
    ana, ben, chen = (page(ana_facilitates, i) for i in range(3))
    start(ana, "fist-to-five")
    go_to(ana, "first-check")
    for app, value in ((ana, 4), (ben, 1), (chen, 5)):
        app.live.refresh()
        app.live.view.board.mark.value = value
    assert "3 members have answered" in chen.live.view.board.summary.value
    ana.live.refresh()
    button(ana.live.view.board, "Show the spread").click()
    chen.live.refresh()
    shown = chen.live.view.board.summary.value
    assert "Hear from those at 0, 1 or 2 before deciding: Ben." in shown
    assert "average 3.3" in shown


def test_a_round_goes_member_by_member_with_the_presenter_last(ana_facilitates):
    ana = page(ana_facilitates, 0)
    start(ana, "success-analysis", presenter=ana_facilitates.people[1].id)
    view = go_to(ana, "sharing")
    assert "Ana ← speaking now" in view.round.value
    order = [name for name in ("Ana", "Chen", "Ben")]
    assert [view.round.value.index(n) for n in order] == sorted(
        view.round.value.index(n) for n in order
    )
    button(view.input, "Next speaker").click()
    assert "Chen ← speaking now" in view.round.value


def test_the_recorders_notes_save_as_typed_and_others_read_them(ana_facilitates):
    ana, ben, chen = (page(ana_facilitates, i) for i in range(3))
    start(ana)
    chen.live.refresh()
    ben.live.refresh()
    typed = "Ana: item 4 <i>confuses</i> decimals 🙂\n  two lines"
    chen.live.view.notes_box.value = typed
    assert runs.live_run(ana_facilitates.member(0)).steps[0].notes == typed
    assert ben.live.view.notes_box is None
    ben.live.refresh()
    assert "item 4 &lt;i&gt;confuses&lt;/i&gt;" in ben.live.view.notes_html.value


def test_the_countdown_warns_in_the_last_minute_and_shows_overtime(ana_facilitates, fixed_clock):
    ana = page(ana_facilitates, 0)
    view = start(ana, "looking-at-data")  # the first step has 5 minutes
    assert "5:00 left" in view.clock.value and "collab-on-time" in view.clock.value
    fixed_clock.advance(seconds=250)
    view.tick()
    assert "0:50 left — last minute" in view.clock.value
    fixed_clock.advance(seconds=120)
    view.tick()
    assert "+1:10 over time" in view.clock.value and "collab-overtime" in view.clock.value
    button(view.controls, "Pause").click()
    fixed_clock.advance(seconds=600)
    view.tick()
    assert "Paused · +1:10 over time" in view.clock.value
    button(view.controls, "Resume").click()
    button(view.controls, "+5 min").click()
    assert "3:50 left" in view.clock.value


def test_a_silent_presenter_is_shown_as_such(ana_facilitates):
    ana = page(ana_facilitates, 0)
    start(ana, "tuning", presenter=ana_facilitates.people[1].id)
    view = go_to(ana, "feedback")
    assert "Ben (presenter) listens in silence during this step." in view.who.value


def test_a_page_polls_fast_while_a_protocol_runs_and_stops_when_it_ends(ana_facilitates):
    async def meeting():
        ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
        loop = ben.live.loop
        assert loop.running and loop.interval == WAITING_POLL_SECONDS  # waiting for a start
        start(ana, "fist-to-five")
        ben.live.refresh()  # its poll saw the counter move
        assert loop.running and loop.interval == POLL_SECONDS
        button(ana.live.view.controls, "End the protocol").click()
        answer_yes(ana.live.view.controls)
        assert not ana.live.loop.running
        ben.live.refresh()
        assert not loop.running and "has finished" in texts(ben.live)
        button(ben.live, "Look for a new protocol").click()
        assert loop.running and loop.interval == WAITING_POLL_SECONDS
        ben.close()  # the page goes away
        assert not loop.running

    asyncio.run(meeting())


def test_a_page_really_learns_of_a_teammates_note_by_polling(ana_facilitates, monkeypatch):
    async def meeting():
        ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
        start(ana, "chalk-talk")
        go_to(ana, "silent-writing")
        ben.live.refresh()
        slept = []

        async def quick(seconds):  # the loop's one-second sleep, without waiting
            slept.append(seconds)
            await asyncio.sleep(0)

        ben.live.loop.sleep = quick
        ben.live.loop.stop()
        ben.live.loop.start()
        write_note(ana.live.view.board, "seen by polling")
        for _ in range(20):
            await asyncio.sleep(0)
        assert [c["text"] for c in ben.live.view.board.canvas.cards] == ["seen by polling"]
        assert set(slept) == {POLL_SECONDS}
        ben.close()

    asyncio.run(meeting())


def test_the_library_lists_protocols_and_explains_broken_files(sqlite_team, tmp_path, monkeypatch):
    (tmp_path / "ours.yaml").write_text("title: <b>Ours</b>\nsteps: 3\n")
    monkeypatch.setenv("COLLAB_PROTOCOLS", str(tmp_path))
    app = page(sqlite_team, 0)
    app.tabs.selected_index = 1
    library = app.tabs.children[1]
    assert "ours.yaml, line 2, field &#x27;steps&#x27;" in texts(library)
    library.choice.value = "tuning"
    assert "Warm and cool feedback" in library.details.value
    assert "School Reform Initiative" in library.details.value


def test_earlier_runs_show_notes_and_results(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    start(ana, "chalk-talk")
    ana.live.view.notes_box.value = "Question: how do we know they learned it?"
    view = go_to(ana, "silent-writing")
    write_note(view.board, "a <u>silent</u> note")
    button(ana.live.view.controls, "End the protocol").click()
    answer_yes(ana.live.view.controls)
    panel = find(ben.widget, PastRunsPanel)[0]
    panel.refresh()
    assert "Chalk talk" in panel.choice.label
    assert "how do we know they learned it?" in panel.record.value
    assert "a &lt;u&gt;silent&lt;/u&gt; note" in panel.record.value


def test_workbook_pages_link_to_each_other_as_the_same_person(sqlite_team):
    start_page = StartHereApp(
        sqlite_team.store, {"team": sqlite_team.code, "member": sqlite_team.people[1].token}
    )
    assert (
        f'href="01_protocols.ipynb?team={sqlite_team.code}&amp;member='
        f'{sqlite_team.people[1].token}"' in start_page.nav.value
    )
    coach = ProtocolsApp(
        sqlite_team.store, {"coach": sqlite_team.coach_code, "team": sqlite_team.code}
    )
    assert f"You are: {coach.coach.name}, coach" in coach.title.value
    assert f"coach={sqlite_team.coach_code}" in coach.nav.value


def test_a_coach_can_lead_a_teams_protocol(sqlite_team):
    coach = ProtocolsApp(
        sqlite_team.store, {"coach": sqlite_team.coach_code, "team": sqlite_team.code}
    )
    view = start(coach, "fist-to-five")
    button(view.controls, "Next step").click()
    assert coach.live.view.run.state.position == 1
    board = coach.live.view.board
    assert isinstance(board, BoardView) and board.board.prompt.kind == "fist-to-five"
    assert board.mark.layout.display == "none"  # a coach follows; only members mark


def test_redraws_keep_the_board_and_the_facilitators_buttons_alive(ana_facilitates):
    """A teammate's note redraws the board: the board the visitor is typing on, and the
    buttons they may be about to click, must be the same live widgets afterwards (the
    browser keeps the card being typed in: tests/browser/test_board_browser.py)."""
    ana, ben = describing(ana_facilitates)
    board = ben.live.view.board
    canvas = board.canvas
    mine = write_note(board, "mine, still typing")
    teammate = live.add_note(ana_facilitates.member(2), board.prompt_id, "a teammate's note")
    live.group_note(ana_facilitates.member(0), teammate, "Fractions")
    ben.live.refresh()
    assert ben.live.view.board.canvas is canvas and canvas.comm is not None
    assert [(c["id"], c["text"], c["group"]) for c in canvas.cards] == [
        (mine, "mine, still typing", ""),
        (teammate, "a teammate's note", "Fractions"),
    ]
    controls = list(ana.live.view.control_buttons.values())
    button(ana.live.view.controls, "+1 min").click()
    assert list(ana.live.view.control_buttons.values()) == controls
    assert all(b.comm is not None for b in controls)


def test_new_note_with_an_empty_card_of_yours_waiting_takes_you_to_it(ana_facilitates):
    ana, ben = describing(ana_facilitates)
    board = ben.live.view.board
    said = []
    board.canvas.send = said.append
    browser_says(board, {"action": "new"})
    browser_says(board, {"action": "new"})  # pressed again before typing anything
    blank = [i for i, card in cards(board).items() if card["own"]]
    assert len(blank) == 1 and said[-1]["focus"] == blank[0]
    browser_says(board, {"action": "edit", "id": blank[0], "text": "Item 4"})
    browser_says(board, {"action": "new"})  # written: the next press makes a new card
    assert len([card for card in cards(board).values() if card["own"]]) == 2


def test_a_note_taken_off_the_board_leaves_no_not_saved_behind(ana_facilitates):
    ana, ben = describing(ana_facilitates)
    note_id = write_note(ben.live.view.board, "Ben's")
    ana.live.refresh()
    browser_says(ana.live.view.board, {"action": "remove", "id": note_id})  # the facilitator
    # Ben types on before his page has heard: that save is refused
    browser_says(ben.live.view.board, {"action": "edit", "id": note_id, "text": "Ben's, more"})
    assert "Not saved" in ben.indicator.value
    ben.live.refresh()  # his page's next poll: the note has gone, and nothing is unsaved
    assert note_id not in cards(ben.live.view.board)
    assert "Not saved" not in ben.indicator.value


def test_a_member_who_takes_over_moderation_mid_step_gets_the_close_button(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    start(ana)
    go_to(ana, "next-steps")
    ben.live.refresh()
    write_note(ben.live.view.board, "Reteach item 4")
    go_to(ana, "choose")
    ben.live.refresh()
    board = ben.live.view.board
    assert board.close_button.layout.display == "none"
    coach = ana_facilitates.as_coach
    members.remove(coach, ana_facilitates.people[0].id)  # the moderator leaves the team
    members.assign_role(coach, "facilitator", ana_facilitates.people[1].id)
    ben.live.refresh()
    assert ben.live.view.board is board and board.close_button.layout.display != "none"
