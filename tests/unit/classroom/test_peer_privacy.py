"""A peer observation belongs to its two teachers: Ana, observed, and Ben, who observes.
Chen (the team's third member), the coach (even acting as a member, even as Ana) and the
team link read none of it; the meeting record, the coach's dashboard, the team's export
and the activity record hold none of its words; the database holds them only in their
own tables. The team sees only what Ana shares, and Ana alone removes it, for good."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from collab_widgets.backup import store as lifecycle
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.model import ClassroomSummary, SharedPeerLearning
from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.meetings import store as meetings
from collab_widgets.reports import collect, dashboard, render
from tests.unit.store_helpers import activity_of_kind, all_rows, other_team

NOTE_MARKERS = ("PEER-NOTE-MARKER-a1f3", "PEER-NOTE-MARKER-b2e4", "PEER-NOTE-MARKER-c3d5")
OBSERVATION_MARKERS = {
    "focus": "PEER-FOCUS-MARKER-7a1c",
    "evidence": "PEER-EVIDENCE-MARKER-7b2d",
    "glows": "PEER-GLOW-MARKER-8e3f",
    "grows": "PEER-GROW-MARKER-9f40",
    "wonderings": "PEER-WONDER-MARKER-0a51",
}
TAKEAWAY = "PEER-TAKEAWAY-MARKER-1b62"
ALL_MARKERS = (*NOTE_MARKERS, *OBSERVATION_MARKERS.values(), TAKEAWAY)
NAMES = ("Ana", "Ben")


class Peer:
    """Ana invited Ben; Ben observed her lesson and wrote three notes, glows, grows and
    wonderings."""

    def __init__(self, team):
        self.team = team
        self.ana, self.ben, self.chen = team.scopes
        self.ana_id, self.ben_id, self.chen_id = (p.id for p in team.people)
        self.id = classroom.invite(
            self.ana,
            self.ben_id,
            OBSERVATION_MARKERS["focus"],
            OBSERVATION_MARKERS["evidence"],
        )
        with pytest.raises(InvalidInput, match="Start the lesson first"):
            classroom.add_peer_note(self.ben, self.id, "Too early")
        classroom.peer_lesson(self.ben, self.id, start=True)
        self.notes = [
            classroom.add_peer_note(self.ben, self.id, NOTE_MARKERS[0], "Launch"),
            classroom.add_peer_note(self.ben, self.id, NOTE_MARKERS[1]),
        ]
        for field in ("glows", "grows", "wonderings"):
            classroom.set_peer_text(self.ben, self.id, field, OBSERVATION_MARKERS[field], "")
        classroom.peer_lesson(self.ben, self.id, start=False)
        self.notes.append(classroom.add_peer_note(self.ben, self.id, NOTE_MARKERS[2]))

    def outsiders(self):
        """Every scope that is neither Ana nor Ben on their own link, with its name."""
        coach = self.team.as_coach
        return {
            "Chen": self.chen,
            "the coach": coach,
            "the coach as Chen": coach.as_member(self.chen_id),
            "the coach as Ana": coach.as_member(self.ana_id),
            "the coach as Ben": coach.as_member(self.ben_id),
            "the team link": self.team.store.open_team(self.team.code),
        }


@pytest.fixture
def peer(team, fixed_clock) -> Peer:
    return Peer(team)


def _holding(text: str, markers=ALL_MARKERS) -> list[str]:
    return [m for m in markers if m in text]


def _names_in(text: str) -> list[str]:
    return [n for n in NAMES if re.search(rf"\b{n}\b", text)]


# --- the two teachers ------------------------------------------------------------------


def test_the_two_teachers_read_the_whole_observation(peer):
    for scope in (peer.ana, peer.ben):
        observation = classroom.get_peer(scope, peer.id)
        assert (observation.observed, observation.observer) == ("Ana", "Ben")
        assert observation.focus == OBSERVATION_MARKERS["focus"]
        assert observation.evidence == OBSERVATION_MARKERS["evidence"]
        assert (observation.glows, observation.grows, observation.wonderings) == (
            OBSERVATION_MARKERS["glows"],
            OBSERVATION_MARKERS["grows"],
            OBSERVATION_MARKERS["wonderings"],
        )
        assert not observation.lesson_on and observation.lesson_ended_at is not None
        notes = classroom.peer_notes(scope, peer.id)
        assert [(n.text, n.segment, n.after_lesson, n.shared) for n in notes] == [
            (NOTE_MARKERS[0], "Launch", False, False),
            (NOTE_MARKERS[1], None, False, False),
            (NOTE_MARKERS[2], None, True, False),
        ]
        assert [o.id for o in classroom.my_peer_observations(scope)] == [peer.id]


# --- (a) nobody else reads or writes it ---------------------------------------------------


def test_nobody_but_the_two_teachers_reads_or_writes_it(peer):
    for who, scope in peer.outsiders().items():
        calls = {
            "get_peer": lambda s=scope: classroom.get_peer(s, peer.id),
            "peer_notes": lambda s=scope: classroom.peer_notes(s, peer.id),
            "set_peer_text focus": lambda s=scope: classroom.set_peer_text(
                s, peer.id, "focus", "changed", None
            ),
            "set_peer_text glows": lambda s=scope: classroom.set_peer_text(
                s, peer.id, "glows", "changed", None
            ),
            "add_peer_note": lambda s=scope: classroom.add_peer_note(s, peer.id, "mine"),
            "edit_peer_note": lambda s=scope: classroom.edit_peer_note(s, peer.notes[0], "x"),
            "share_peer_note": lambda s=scope: classroom.share_peer_note(s, peer.notes[0], True),
            "peer_lesson": lambda s=scope: classroom.peer_lesson(s, peer.id, start=True),
            "delete_peer_observation": lambda s=scope: classroom.delete_peer_observation(
                s, peer.id
            ),
        }
        for name, call in calls.items():
            with pytest.raises(AccessDenied):
                call()
                pytest.fail(f"{who} could {name}")
        assert classroom.my_peer_observations(scope) == [], who
    # and nothing changed
    observation = classroom.get_peer(peer.ana, peer.id)
    assert observation.focus == OBSERVATION_MARKERS["focus"]
    assert observation.glows == OBSERVATION_MARKERS["glows"]
    assert [n.text for n in classroom.peer_notes(peer.ana, peer.id)] == list(NOTE_MARKERS)
    assert not any(n.shared for n in classroom.peer_notes(peer.ana, peer.id))


def test_the_refusal_does_not_tell_an_outsider_what_it_holds(peer):
    for who, scope in peer.outsiders().items():
        with pytest.raises(AccessDenied) as refused:
            classroom.get_peer(scope, peer.id)
        assert _holding(str(refused.value)) == [], who
        assert _names_in(str(refused.value)) == [], who


def test_another_teams_member_finds_no_such_observation(peer):
    dee = other_team(peer.team)
    with pytest.raises(NotFound):
        classroom.get_peer(dee, peer.id)
    with pytest.raises(NotFound):
        classroom.peer_notes(dee, peer.id)
    with pytest.raises(NotFound):
        classroom.share_peer_note(dee, peer.notes[0], True)
    assert classroom.my_peer_observations(dee) == []
    assert classroom.shared_peer_learning(dee) == []
    assert classroom.peer_count(dee) == 0


def test_the_coach_sees_only_how_many(peer):
    summary = classroom.summary(peer.team.as_coach)
    assert summary == ClassroomSummary(plans=0, studies=(), peer_observations=1)
    assert _holding(repr(summary)) == [] and _names_in(repr(summary)) == []


# --- (b) no record, dashboard, export or activity entry holds it -------------------------


def test_the_meeting_record_holds_none_of_it(peer):
    meeting = meetings.create(peer.ana, peer.team.store.clock.today(), "October meeting")
    for scope in (peer.ana, peer.ben, peer.team.as_coach):
        record = collect.collect(scope, meeting.id)
        for text in (render.record_html(record), render.record_markdown(record), repr(record)):
            assert _holding(text) == []


def test_the_coach_dashboard_and_its_exports_hold_none_of_it(peer):
    meetings.create(peer.ana, peer.team.store.clock.today(), "October meeting")
    found = dashboard.rows(peer.team.coach)
    assert len(found) == 1
    cells = " | ".join(str(c) for c in dashboard.cells(found[0]))
    csv_text = dashboard.dashboard_csv(found)
    page = dashboard.dashboard_html(found, "Coach", peer.team.store.now())
    for text in (repr(found), cells, csv_text, page):
        assert _holding(text) == []
        assert _names_in(text) == []


def test_the_teams_export_holds_none_of_it(peer):
    exported = lifecycle.export_team(peer.ana)
    assert _holding(exported) == []
    tables = json.loads(exported)["tables"]
    assert "peer_observations" not in tables and "peer_notes" not in tables
    entries = [e for e in tables["activity"] if e["kind"] == "peer-observation"]
    assert len(entries) == 2
    assert all(e["member_id"] is None for e in entries)
    assert _names_in(json.dumps(entries)) == []


def test_the_activity_record_says_it_happened_and_nothing_else(peer):
    entries = activity_of_kind(peer.ana, "peer-observation")
    assert [e.summary for e in entries] == [
        "A peer observation took place",
        "A peer observation was arranged",
    ]
    assert all(e.who is None and e.link is None for e in entries)
    for entry in activity.entries(peer.ana):
        assert _holding(f"{entry.summary} {entry.link}") == []
    for row in all_rows(peer.team.store)["activity"]:
        values = dict(row)
        if values["kind"] == "peer-observation":
            assert values["member_id"] == "None"
            assert _names_in(values["summary"]) == []


# --- (c) in the database, only in its own tables -------------------------------------------


def test_the_database_holds_each_marker_only_in_its_own_table(peer):
    classroom.share_peer_note(peer.ana, peer.notes[0], True)
    classroom.set_peer_text(peer.ana, peer.id, "takeaway", TAKEAWAY, "")
    rows = all_rows(peer.team.store)  # raw SQL: every column of every table, as text
    own_table = {m: "peer_notes" for m in NOTE_MARKERS} | {
        m: "peer_observations" for m in (*OBSERVATION_MARKERS.values(), TAKEAWAY)
    }
    for marker, table in own_table.items():
        holding = {
            name
            for name, found in rows.items()
            if any(marker in value for row in found for _, value in row)
        }
        assert holding == {table}, marker


# --- (d) what Ana shares reaches the team, and nothing else ------------------------------


def test_the_team_sees_only_the_note_ana_shares_and_her_takeaway(peer, fixed_clock):
    assert classroom.shared_peer_learning(peer.chen) == []
    with pytest.raises(AccessDenied, match="only they share"):
        classroom.share_peer_note(peer.ben, peer.notes[1], True)
    with pytest.raises(AccessDenied):
        classroom.share_peer_note(peer.chen, peer.notes[1], True)
    classroom.share_peer_note(peer.ana, peer.notes[1], True)
    classroom.set_peer_text(peer.ana, peer.id, "takeaway", TAKEAWAY, "")
    expected = [
        SharedPeerLearning(peer.id, "Ana", fixed_clock.at.date(), TAKEAWAY, (NOTE_MARKERS[1],))
    ]
    assert classroom.shared_peer_learning(peer.chen) == expected
    shown = repr(classroom.shared_peer_learning(peer.chen))
    for private in (NOTE_MARKERS[0], NOTE_MARKERS[2], *OBSERVATION_MARKERS.values()):
        assert private not in shown
    assert [n.shared for n in classroom.peer_notes(peer.ben, peer.id)] == [False, True, False]
    # a coach, or a visitor holding the team link, reads none of what Ana shared
    assert classroom.shared_peer_learning(peer.team.as_coach) == []
    assert classroom.shared_peer_learning(peer.team.store.open_team(peer.team.code)) == []
    # Ben changes the shared note: the team no longer sees it until Ana shares the new words
    classroom.edit_peer_note(peer.ben, peer.notes[1], "Ben's new words")
    assert classroom.shared_peer_learning(peer.chen)[0].notes == ()
    classroom.share_peer_note(peer.ana, peer.notes[1], True)
    assert classroom.shared_peer_learning(peer.chen)[0].notes == ("Ben's new words",)
    # Ana takes it back: the team sees her takeaway only
    classroom.share_peer_note(peer.ana, peer.notes[1], False)
    assert classroom.shared_peer_learning(peer.chen)[0].notes == ()


# --- (e) who writes what ---------------------------------------------------------------


def test_only_the_observer_takes_notes(peer):
    with pytest.raises(AccessDenied, match="observer takes the notes"):
        classroom.add_peer_note(peer.ana, peer.id, "Ana's own note")
    with pytest.raises(AccessDenied, match="Only the observer"):
        classroom.edit_peer_note(peer.ana, peer.notes[0], "Ana rewrote it")
    classroom.edit_peer_note(peer.ben, peer.notes[0], "Ben finished his sentence")
    assert classroom.peer_notes(peer.ana, peer.id)[0].text == "Ben finished his sentence"
    assert len(classroom.peer_notes(peer.ana, peer.id)) == 3


def test_only_ana_writes_the_focus_and_the_takeaway(peer):
    for field in ("focus", "evidence", "takeaway"):
        with pytest.raises(AccessDenied, match="Only the teacher observed"):
            classroom.set_peer_text(peer.ben, peer.id, field, "Ben's words", None)
    classroom.set_peer_text(peer.ana, peer.id, "focus", "Wait time", OBSERVATION_MARKERS["focus"])
    classroom.set_peer_text(peer.ana, peer.id, "takeaway", "I will wait longer", "")
    observation = classroom.get_peer(peer.ben, peer.id)
    assert (observation.focus, observation.takeaway) == ("Wait time", "I will wait longer")


def test_only_ben_writes_the_glows_grows_and_wonderings(peer):
    for field in ("glows", "grows", "wonderings"):
        with pytest.raises(AccessDenied, match="Only the observer"):
            classroom.set_peer_text(peer.ana, peer.id, field, "Ana's words", None)
    classroom.set_peer_text(peer.ben, peer.id, "glows", "Clear launch", None)
    assert classroom.get_peer(peer.ana, peer.id).glows == "Clear launch"
    with pytest.raises(InvalidInput, match="no “observed_id”"):
        classroom.set_peer_text(peer.ana, peer.id, "observed_id", "3", None)


def test_a_colleague_is_invited_from_the_roster_and_nobody_observes_themselves(peer):
    with pytest.raises(InvalidInput, match="cannot observe yourself"):
        classroom.invite(peer.ana, peer.ana_id, "Focus")
    dee = other_team(peer.team)
    with pytest.raises(InvalidInput, match="roster"):
        classroom.invite(peer.ana, dee.member_id, "Focus")
    for scope in (peer.team.as_coach, peer.team.as_coach.as_member(peer.chen_id)):
        with pytest.raises(AccessDenied):
            classroom.invite(scope, peer.ben_id, "Focus")
    with pytest.raises(AccessDenied):
        classroom.invite(peer.team.store.open_team(peer.team.code), peer.ben_id, "Focus")


# --- (f) Ana removes it, for good --------------------------------------------------------


def test_only_ana_deletes_it_and_then_it_is_gone_for_good(peer):
    with pytest.raises(AccessDenied, match="Only the teacher observed"):
        classroom.delete_peer_observation(peer.ben, peer.id)
    assert len(classroom.peer_notes(peer.ana, peer.id)) == 3
    classroom.share_peer_note(peer.ana, peer.notes[0], True)
    classroom.delete_peer_observation(peer.ana, peer.id)
    for scope in (peer.ana, peer.ben):
        with pytest.raises(NotFound):
            classroom.get_peer(scope, peer.id)
        with pytest.raises(NotFound):
            classroom.peer_notes(scope, peer.id)
        assert classroom.my_peer_observations(scope) == []
    assert classroom.shared_peer_learning(peer.chen) == []
    assert classroom.peer_count(peer.ana) == 0
    rows = all_rows(peer.team.store)
    assert rows["peer_notes"] == [] and rows["peer_observations"] == []
    for table, found in rows.items():
        assert not [r for r in found if any(_holding(v) for _, v in r)], table


def test_the_times_of_the_lesson_are_kept_with_the_notes(team, fixed_clock):
    ana, ben = team.member(0), team.member(1)
    peer_id = classroom.invite(ana, team.people[1].id, "Questioning")
    fixed_clock.advance(minutes=5)
    classroom.peer_lesson(ana, peer_id, start=True)
    fixed_clock.advance(minutes=3)
    classroom.add_peer_note(ben, peer_id, "A question to the class")
    fixed_clock.advance(minutes=40)
    classroom.peer_lesson(ben, peer_id, start=False)
    observation = classroom.get_peer(ana, peer_id)
    start = dt.datetime(2026, 10, 15, 15, 5, tzinfo=dt.UTC)
    assert observation.lesson_started_at == start
    assert observation.lesson_ended_at == start + dt.timedelta(minutes=43)
    [note] = classroom.peer_notes(ana, peer_id)
    assert (note.at, note.after_lesson) == (start + dt.timedelta(minutes=3), False)
