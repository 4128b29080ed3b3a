"""A new user's walk through Today's meeting and Reflection and actions (issue 20): the
meeting record shows a dot vote's counts, a decision taken from a fist-to-five check says
how many of those present showed a hand and carries the proposal the team checked, its
result does not repeat the method, and what prompted an action is never cut mid-word in
the CSV, the calendar file or the record. The fixed clock stands at 2026-10-15."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import re

import icalendar
import ipywidgets as widgets
import pytest

from collab_widgets.actions import store as actions
from collab_widgets.actions.ui import fist_to_five_checks
from collab_widgets.live import store as live
from collab_widgets.live.model import LiveMark
from collab_widgets.live.rules import consensus_sentence, spread
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.reflection.app import ReflectionApp
from collab_widgets.reports.collect import collect
from collab_widgets.reports.render import record_html, record_markdown
from collab_widgets.team.store import members
from tests.unit.widget_helpers import BUTTONS, find

LIBRARY = load_library(folder="")


MEETING_DAY = dt.date(2026, 10, 22)


DECISIONS, ACTIONS, RECORD = 2, 3, 4


PROPOSAL = "All four classes use the same lab-report rubric from unit 4 <b>on</b>."


@pytest.fixture
def team(sqlite_team, fixed_clock):
    """Ana facilitates, Chen records; one meeting (22 October)."""
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    sqlite_team.meeting = meetings.create(sqlite_team.member(0), MEETING_DAY, "Late October").id
    return sqlite_team


def attend(team, *indexes):
    for index in indexes:
        meetings.set_attendance(team.member(0), team.meeting, team.people[index].id, True)


def start(team, key):
    ids = [p.id for p in team.people]
    protocol = LIBRARY.get(key)
    wanted = {"facilitator": ids[0], "presenter": ids[1], "recorder": ids[2]}
    roles = {role: who for role, who in wanted.items() if role in protocol.roles}
    return runs.start_run(team.member(0), protocol, team.meeting, roles)


def go_to(team, run_id, key):
    while runs.get_run(team.member(0), run_id).current.key != key:
        runs.control(team.member(0), run_id, runner.advance)
    return runs.get_run(team.member(0), run_id).current_prompt_id


def fist_run(team, marks: dict[int, int], proposal: str = PROPOSAL) -> int:
    """A finished fist to five: the recorder (Chen) writes the proposal in the first step,
    then the members at ``marks`` (index -> mark) show a hand at the first check."""
    run_id = start(team, "fist-to-five")
    runs.set_step_notes(team.member(2), run_id, 0, proposal)
    check = go_to(team, run_id, "first-check")
    for index, value in marks.items():
        live.mark(team.member(index), check, value)
    runs.control(team.member(0), run_id, runner.finish)  # closes the check
    return run_id


def page(team, tab):
    made = ReflectionApp(team.store, {"team": team.code, "member": team.people[0].token})
    assert made.scope is not None, made.status.value
    made.meeting.choice.value = team.meeting
    made.tabs.selected_index = tab
    return made


def button(widget, words):
    found = find(widget, BUTTONS, lambda b: words in b.description)
    assert found, f"no button with {words!r}"
    return found[0]


def data_uri(value: str, css: str) -> bytes:
    found = re.search(rf"class='{css}'[^>]*href='data:[^;]+;base64,([^']*)'", value)
    assert found, value
    return base64.b64decode(found.group(1))


def no_error(app):
    assert "collab-error" not in app.status.value, app.status.value


def marks(*values):
    return [LiveMark(i, f"M{i}", v) for i, v in enumerate(values)]


LONG = (
    "Every class reteaches comparing fractions with fraction strips, then practises "
    "representations on number lines and gives the item-4 exit ticket on Friday"
)


def test_the_record_shows_each_dot_vote_option_with_its_dots_most_first(team):
    run_id = start(team, "looking-at-data")
    board = go_to(team, run_id, "next-steps")
    few = live.add_note(team.member(1), board, "Number-line warm-ups")
    most = live.add_note(team.member(2), board, "Reteach item 4 in small groups")
    live.add_note(team.member(1), board, "Exit ticket <script>x</script>")  # no dot
    vote = go_to(team, run_id, "choose")
    for index, note in ((0, most), (1, most), (2, most), (2, few)):
        live.vote(team.member(index), vote, note, +1)
    runs.control(team.member(0), run_id, runner.finish)

    record = collect(team.member(0), team.meeting)
    page_html, markdown = record_html(record), record_markdown(record)
    for text in (page_html, markdown):
        shown = [
            "Reteach item 4 in small groups — 3 dots",
            "Number-line warm-ups — 1 dot",
            r"x\</script\> — 0 dots" if text is markdown else "x&lt;/script&gt; — 0 dots",
        ]
        places = [text.find(s) for s in shown]
        assert -1 not in places and places == sorted(places), (places, text)
    assert "Exit ticket &lt;script&gt;x&lt;/script&gt; — 0 dots" in page_html
    assert "<script>x" not in page_html
    assert r"Exit ticket \<script\>x\</script\> — 0 dots" in markdown


def test_consensus_needs_a_hand_from_every_member_present():
    one = consensus_sentence(spread(marks(5), 0, 5, fist=True), present=3)
    assert one.startswith("1 of 3 present showed a hand")
    assert "not enough to call it consensus" in one and ": consensus" not in one
    majority = consensus_sentence(spread(marks(5, 4), 0, 5, fist=True), present=3)
    assert "2 of 3 present" in majority and "not enough to call it consensus" in majority
    everyone = consensus_sentence(spread(marks(5, 4, 3), 0, 5, fist=True), present=3)
    assert (
        everyone == "3 of 3 present showed a hand, average 4.0; everyone at 3 or above: consensus."
    )
    low = consensus_sentence(spread(marks(5, 4, 2), 0, 5, fist=True), present=3)
    assert "3 of 3 present" in low and "1 at 2 or below, to be heard before deciding" in low
    assert "consensus" not in low
    # a member who marked but was not marked present still counts as there
    assert "2 of 2 present" in consensus_sentence(spread(marks(4, 4), 0, 5, fist=True), present=1)
    nobody = consensus_sentence(spread([], 0, 5, fist=True), present=3)
    assert nobody == "None of the 3 present showed a hand."


def test_a_check_with_one_hand_of_three_present_is_not_called_consensus(team):
    attend(team, 0, 1, 2)
    fist_run(team, {0: 5})
    [(label, outcome)] = fist_to_five_checks(team.member(0), team.meeting)
    assert label == "Fist to five — First check"
    assert "1 of 3 present showed a hand" in outcome.result
    assert "not enough to call it consensus" in outcome.result
    record = record_html(collect(team.member(0), team.meeting))
    assert "1 of 3 present showed a hand" in record and ": consensus" not in record


def test_a_check_with_every_present_members_hand_at_3_or_above_is_consensus(team):
    attend(team, 0, 1)  # Chen is away
    fist_run(team, {0: 5, 1: 3})
    [(_, outcome)] = fist_to_five_checks(team.member(0), team.meeting)
    assert outcome.result.startswith("2 of 2 present showed a hand")
    assert outcome.result.endswith("consensus.")


def test_without_attendance_the_check_counts_the_team(team):
    fist_run(team, {0: 5, 1: 4})
    [(_, outcome)] = fist_to_five_checks(team.member(0), team.meeting)
    assert "2 of 3 on the team showed a hand" in outcome.result
    assert "not enough to call it consensus" in outcome.result


def test_choosing_a_check_fills_the_decision_with_its_proposal_and_says_the_method_once(team):
    attend(team, 0, 1, 2)
    fist_run(team, {0: 5, 1: 4, 2: 3})
    app = page(team, DECISIONS)
    panel = app.decisions
    [(label, outcome)] = [o for o in panel.checks.options if o[1]]
    assert panel.text.value == ""
    panel.checks.value = outcome
    no_error(app)
    assert panel.text.value == PROPOSAL
    assert panel.method.value == "fist to five"
    assert panel.result.value.startswith("3 of 3 present showed a hand")
    button(panel, "Record the decision").click()
    no_error(app)
    [decision] = actions.decisions(team.member(0), team.meeting)
    assert decision.text == PROPOSAL and decision.method == "fist to five"
    shown = "".join(w.value for w in find(panel.decided, widgets.HTML))
    assert find(panel.decided, widgets.Textarea)[0].value == PROPOSAL  # text, not markup
    assert "<b>on</b>" not in shown
    assert "fist to five: 3 of 3 present" in shown
    assert "fist to five: fist to five" not in shown.lower()
    record = collect(team.member(0), team.meeting)
    for text in (record_html(record), record_markdown(record)):
        assert "fist to five: fist to five" not in text.lower()
        assert "Fist to five: 3" not in text


def test_choosing_a_check_keeps_a_decision_already_typed(team):
    attend(team, 0, 1, 2)
    fist_run(team, {0: 5, 1: 4, 2: 3})
    panel = page(team, DECISIONS).decisions
    panel.text.value = "Our own words"
    panel.checks.value = [o for o in panel.checks.options if o[1]][0][1]
    assert panel.text.value == "Our own words"
    assert panel.result.value.startswith("3 of 3 present")


def test_prompted_by_a_long_decision_is_kept_whole_in_the_csv_calendar_and_record(team):
    assert LONG[79] != " " and LONG[80] != " "  # the old [:80] cut a word in two
    actions.decide(team.member(0), LONG, "consensus", "", team.meeting)
    app = page(team, ACTIONS)
    panel = app.actions
    [(label, value)] = [o for o in panel.prompted.options if o[0].startswith("Decision")]
    assert value == f"Decision: {LONG}"
    assert len(label) <= 90 and label.endswith("…")
    assert f"Decision: {LONG}".startswith(label[:-1]) and LONG[len(label) - 11] == " "
    panel.text.value = "Print the fraction strips"
    panel.due.value = dt.date(2026, 10, 30)
    panel.prompted.value = value
    button(panel, "Add the action").click()
    no_error(app)
    [action] = actions.actions(team.member(0))
    assert action.prompted_by == f"Decision: {LONG}"

    exports = panel.exports.value
    rows = list(csv.reader(io.StringIO(data_uri(exports, "collab-export-csv").decode("utf-8-sig"))))
    assert rows[1][rows[0].index("Prompted by")] == f"Decision: {LONG}"
    calendar = icalendar.Calendar.from_ical(data_uri(exports, "collab-export-ics"))
    [event] = calendar.walk("VEVENT")
    assert f"Prompted by: Decision: {LONG}\n" in str(event["description"])
    record = collect(team.member(0), team.meeting)
    assert f"Decision: {LONG}" in record_html(record)
    assert f"Decision: {LONG}" in record_markdown(record)


def test_what_prompted_an_action_beyond_its_limit_is_shortened_at_a_word(team):
    words = " ".join(["fraction"] * 221) + " strips"  # 1,995: the longest decision is 2,000
    actions.decide(team.member(0), words, "consensus", "", team.meeting)
    action_id = actions.add_action(
        team.member(0), "Reteach", meeting_id=team.meeting, prompted_by=f"Decision: {words}"
    )
    [action] = [a for a in actions.actions(team.member(0)) if a.id == action_id]
    stored = action.prompted_by
    assert len(stored) <= 500 and stored.endswith("fraction…")
    assert f"Decision: {words}".startswith(stored[:-1])
