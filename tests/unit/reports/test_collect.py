"""The meeting record collected from the store (who came, the synthesis, surveys, goals,
decisions and actions) and rendered: every section shown, private things kept out. The
fixed clock stands at 2026-10-15 15:00 UTC."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import pytest

from collab_widgets.actions import store as actions
from collab_widgets.classroom import store as classroom
from collab_widgets.core.errors import NotFound
from collab_widgets.goals import store as goal_store
from collab_widgets.goals import team_goal as team_goals
from collab_widgets.goals.model import PERCENT_PROFICIENT, GoalDraft
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.scoring import agreement, summarise
from collab_widgets.meetings import store as meetings
from collab_widgets.reflection import store as reflections
from collab_widgets.reports.collect import collect
from collab_widgets.reports.render import record_html, record_markdown
from collab_widgets.team.store import members, norms
from tests.unit.reports.test_render import SECTIONS  # the record's headings, in order
from tests.unit.store_helpers import EVIL, FIST, PRIVATE, other_team

GOAL = GoalDraft(
    group="all our 4th graders",
    group_size="48",
    learning_target="compare fractions with unlike denominators",
    measure=PERCENT_PROFICIENT,
    baseline="40",
    target="75",
    by_date="2026-12-11",
)
SYNTHESIS = "We saw <b>item 4</b> & fractions — “again”"
SHOWN = [{"support": 0}, {"support": 2}, {"support": 5}]


def _full_meeting(team, meeting):
    """A meeting with everything filled in."""
    ana, ben, chen = team.scopes
    members.rotate_roles(team.as_coach)
    for person in team.people[:2]:
        meetings.set_attendance(ana, meeting, person.id, True)
    meetings.set_attendance(ana, meeting, team.people[2].id, False)
    norm = norms.add(ana, "time", "We start on time.")
    for scope, start, end in ((ana, 3, 4), (ben, 2, 4)):
        meetings.check_norm(scope, meeting, norm.id, "start", start)
        meetings.check_norm(scope, meeting, norm.id, "end", end)
    goal_store.post_win(ben, "Maya explained equivalent fractions to her group")
    cycle_id = goal_store.create_cycle(ana, "Unit 3", dt.date(2026, 9, 1), dt.date(2026, 12, 18))
    goal_id = goal_store.new_goal(ana, cycle_id)
    team_goals.save_version(ana, goal_store.get_cycle(ana, cycle_id), goal_id, GOAL)
    goal_store.add_checkpoint(ana, goal_id, dt.date(2026, 10, 10), 55, "quick check")
    for part in ("what", "so_what", "now_what"):
        reflections.save_synthesis(ben, meeting, part, f"{part}: {SYNTHESIS}")
    reflections.save_own(chen, meeting, "what", PRIVATE)
    hidden = surveys.open_round(team.as_coach, FIST, "Hidden round", 3, meeting)
    for scope, point in ((ana, 1), (ben, 4)):
        surveys.answer(scope, hidden, {"support": point})
    shown = surveys.open_round(team.as_coach, FIST, "Shown round", 3, meeting)
    for scope, answer in zip(team.scopes, SHOWN, strict=True):
        surveys.answer(scope, shown, answer)
    actions.decide(ana, "Reteach item 4 " + EVIL, "consensus", "5 of 5", meeting)
    actions.add_action(
        ana,
        "Regroup for item 4",
        owner_id=team.people[1].id,
        due_on=dt.date(2026, 10, 10),
        meeting_id=meeting,
        prompted_by="Decision: reteach",
    )


def test_the_record_holds_the_plan_kept_that_day_and_each_lesson_studys_stage(
    team, meeting, fixed_clock
):
    ana, ben = team.member(0), team.member(1)
    plan_id = classroom.create_plan(ana, "Fractions " + EVIL)
    classroom.set_plan_text(ben, plan_id, "criteria", "I split the whole", "")
    classroom.add_segment(ana, plan_id, "Launch", 10, "station-teaching")
    classroom.save_version(ana, plan_id, "Ready to teach")
    classroom.create_study(ana, "Fractions as numbers")
    assert meetings.get(ana, meeting).date == fixed_clock.today()  # the version is that day's
    record = collect(ana, meeting)
    assert [p.title for p in record.plans] == ["Fractions " + EVIL]
    assert record.lesson_studies == (("Fractions as numbers", "Research theme"),)
    page = record_html(record)
    shown = _section(page, "classroom")
    assert "Research theme" in shown and "<script>" not in page
    assert "I split the whole" in shown and "Station teaching" in shown
    assert "## In the classroom" in record_markdown(record)


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section id="{section_id}">(.*?)</section>', page, re.S)
    assert found, section_id
    return found.group(1)


def test_the_record_shows_every_section_and_keeps_private_things_out(team, meeting):
    _full_meeting(team, meeting)
    record = collect(team.member(0), meeting)
    assert record.present == ("Ana", "Ben") and record.absent == ("Chen",)
    assert record.reflection.what == f"what: {SYNTHESIS}"
    hidden, shown = sorted(record.surveys, key=lambda s: s.title)
    assert (hidden.title, hidden.shown, hidden.respondents, hidden.subscales) == (
        "Hidden round",
        False,
        2,
        (),
    )
    assert shown.shown and shown.respondents == 3
    page = record_html(record)
    for heading in SECTIONS:
        assert f"<h2>{heading}</h2>" in page, heading
    assert "October meeting" in page
    assert html.escape(f"so_what: {SYNTHESIS}") in page
    assert PRIVATE not in page
    assert "Maya explained equivalent fractions" in page
    assert "Regroup for item 4" in page and "(overdue)" in page
    assert "<script>" not in page and html.escape(EVIL) in page
    assert "http://" not in page and "https://" not in page
    # survey results: the hidden round says why, the shown one only its mean and spread
    summary = summarise(load_instruments()[FIST], SHOWN, 3).subscales[0]
    part = _section(page, "pulse-surveys")
    hidden_part, shown_part = part.split("<h3>Shown round</h3>")
    assert "Results show once 3 members have answered." in hidden_part
    assert "<table>" not in hidden_part
    cells = re.findall(r'<td class="(?:number|text)">([^<]*)</td>', shown_part)
    assert cells[1:] == [f"{summary.mean:.2f}", agreement(summary.sd, 0, 5)]
    assert "How much we agree" in shown_part and "SD" not in shown_part
    assert "How much do you support" not in page
    # charts are inside the page
    sources = re.findall(r'<img src="([^"]*)"', page)
    assert len(sources) >= 2  # the norms check and the goal
    for source in sources:
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1]).startswith(b"\x89PNG")
    markdown = record_markdown(record)
    assert PRIVATE not in markdown and "Shown round" in markdown and "item 4" in markdown


def test_the_record_of_a_bare_meeting_says_nothing_was_recorded(team, meeting):
    page = record_html(collect(team.as_coach, meeting))
    for heading in SECTIONS:
        assert f"<h2>{heading}</h2>" in page
    assert "<img" not in page and "http://" not in page and "https://" not in page
    with pytest.raises(NotFound):
        collect(other_team(team), meeting)
