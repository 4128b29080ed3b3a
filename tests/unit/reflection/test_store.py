"""A member's own reflection and the team's synthesis in the store (SQLite, and PostgreSQL
when COLLAB_TEST_POSTGRES_URL is set). The fixed clock stands at 2026-10-15 15:00 UTC."""

from __future__ import annotations

import pytest

from collab_widgets.core.db import activity
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.reflection import store as reflections
from collab_widgets.reflection.model import Reflection
from tests.unit.store_helpers import EVIL, activity_of_kind, all_rows, other_team


def test_a_members_own_reflection_is_read_by_its_author_alone(team, meeting):
    ana, ben = team.member(0), team.member(1)
    reflections.save_own(ana, meeting, "what", "Ana's what")
    reflections.save_own(ana, meeting, "now_what", "Ana's now what")
    reflections.save_own(ben, meeting, "so_what", "Ben's so what")
    assert reflections.own(ana, meeting) == Reflection(meeting, "Ana's what", "", "Ana's now what")
    assert reflections.own(ben, meeting) == Reflection(meeting, "", "Ben's so what", "")
    assert reflections.own(team.member(2), meeting) == Reflection(meeting)
    assert reflections.own(team.as_coach, meeting) == Reflection(meeting)
    with pytest.raises(InvalidInput, match="member's own"):
        reflections.save_own(team.as_coach, meeting, "what", "the coach's view")
    with pytest.raises(InvalidInput, match="no part"):
        reflections.save_own(ana, meeting, "why", "text")
    # nothing of either reflection reached the synthesis
    assert reflections.synthesis(team.as_coach, meeting) == Reflection(meeting)


@pytest.mark.parametrize(
    "typed",
    [
        EVIL,
        "Ünïcödé 😀 – ½ — 漢字 עברית",
        "  leading and trailing spaces  \n\n\tand a tab\n",
        "x" * 2000,
        "",
    ],
    ids=["markup", "unicode", "whitespace", "2000-chars", "empty"],
)
def test_a_reflection_is_saved_exactly_as_typed(team, meeting, typed):
    ana = team.member(0)
    reflections.save_own(ana, meeting, "what", "first")
    reflections.save_own(ana, meeting, "so_what", typed)
    reflections.save_synthesis(ana, meeting, "now_what", typed)
    assert reflections.own(ana, meeting).so_what == typed
    assert reflections.own(ana, meeting).what == "first"
    assert reflections.synthesis(team.member(1), meeting).now_what == typed


def test_a_reflection_too_long_is_refused_and_the_saved_text_kept(team, meeting):
    ana = team.member(0)
    reflections.save_own(ana, meeting, "what", "kept")
    reflections.save_synthesis(ana, meeting, "what", "shared, kept")
    with pytest.raises(InvalidInput, match=r"50,000 characters.*2,000") as own_error:
        reflections.save_own(ana, meeting, "what", "y" * 50_000)
    assert own_error.value.field == "What?"
    with pytest.raises(InvalidInput, match="2,000"):
        reflections.save_synthesis(ana, meeting, "what", "y" * 50_000)
    assert reflections.own(ana, meeting).what == "kept"
    assert reflections.synthesis(ana, meeting).what == "shared, kept"


def test_the_synthesis_is_shared_by_every_member_and_the_coach(team, meeting):
    reflections.save_synthesis(team.member(1), meeting, "what", "We saw item 4 again.")
    reflections.save_synthesis(team.as_coach, meeting, "so_what", "The coach adds a line.")
    expected = Reflection(meeting, "We saw item 4 again.", "The coach adds a line.", "")
    for scope in (*team.scopes, team.as_coach):
        assert reflections.synthesis(scope, meeting) == expected


def test_activity_notes_reflections_but_never_their_text(team, meeting):
    ana = team.member(0)
    secret = "PRIVATE-MARKER-ana-3141"
    reflections.save_own(ana, meeting, "what", secret)
    reflections.save_own(ana, meeting, "so_what", secret + " more")
    reflections.save_synthesis(ana, meeting, "what", "SHARED-MARKER-2718")
    entries = activity_of_kind(ana, "reflection")
    assert len(entries) == 2  # one per reflection begun, not one per keystroke
    assert {e.link for e in entries} == {f"meeting/{meeting}"}
    for entry in activity.entries(ana):
        assert "MARKER" not in entry.summary and "MARKER" not in (entry.link or "")
    # the private text is in the reflections table and nowhere else in the database
    for table, rows in all_rows(team.store).items():
        holding = [r for r in rows if any(secret in value for _, value in r)]
        assert holding == [] or table == "reflections", table


def test_a_reflection_on_another_teams_meeting_is_refused(team, meeting):
    dee = other_team(team)
    with pytest.raises(NotFound):
        reflections.save_own(dee, meeting, "what", "not mine")
    with pytest.raises(NotFound):
        reflections.save_synthesis(dee, meeting, "what", "not ours")
    reflections.save_synthesis(team.member(0), meeting, "what", "ours")
    assert reflections.synthesis(dee, meeting) == Reflection(meeting)
