"""The coach dashboard: which teams a coach sees (created or given, no other), what each
row says about a demo team, that nothing private reaches it or its exports, sorting and
filtering, the page, and `collab coach assign`."""

import base64
import csv
import io

import pytest

from collab_widgets import cli
from collab_widgets.core.errors import AccessDenied
from collab_widgets.demo.sample import seed_demo
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.meetings import store as meetings
from collab_widgets.reflection import store as reflections
from collab_widgets.reports import dashboard
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, teams
from tests.unit.widget_helpers import BUTTONS, find, texts

PRIVATE = "MY-PRIVATE-REFLECTION-4711"


@pytest.fixture
def demo(sqlite_store):
    """The demo teams (today 15 October 2026), with one member's private reflection and a
    pulse round only two members answered (under its minimum of three)."""
    made = seed_demo(sqlite_store)
    coach = sqlite_store.open_coach(made.coach_code)  # a coach may act for a member
    scope = coach.open_team(made.team_codes["Grade 4 Math"])
    roster = members.roster(scope)
    past = meetings.all_meetings(scope)[-1]
    reflections.save_own(scope.as_member(roster[0].id), past.id, "what", PRIVATE)
    leader = scope.as_member(members.current_roles(scope)["facilitator"].id)
    round_id = surveys.open_round(leader, "collective-efficacy", "Pulse", 3)
    instrument = load_instruments()["collective-efficacy"]
    for member in roster[:2]:
        surveys.answer(
            scope.as_member(member.id), round_id, {item.key: 6 for item in instrument.items}
        )
    return sqlite_store, made


def test_a_coach_sees_the_teams_created_or_given_and_no_other(demo):
    store, made = demo
    first = store.open_coach(made.coach_code)
    assert sorted(r.name for r in dashboard.rows(first)) == sorted(made.team_codes)
    other_code = teams.add_coach(store, "Other Coach")
    other = store.open_coach(other_code)
    assert dashboard.rows(other) == []
    with pytest.raises(AccessDenied):
        other.open_team(made.team_codes["English 9"])
    assert (
        cli.main(["--db", store.url, "coach", "assign", made.team_codes["English 9"], other_code])
        == 0
    )
    assert [r.name for r in dashboard.rows(other)] == ["English 9"]
    assert other.open_team(made.team_codes["English 9"]).team_name == "English 9"
    assert len(dashboard.rows(first)) == 3  # the first coach keeps it too


def test_each_row_sums_up_a_team_without_anything_private(demo):
    store, made = demo
    coach = store.open_coach(made.coach_code)
    by_name = {r.name: r for r in dashboard.rows(coach)}
    math = by_name["Grade 4 Math"]
    assert math.stage == "responding" and math.cycle == "Unit 3: fractions"
    assert math.goal_status == "on track" and "comparing fractions" in math.goal
    assert by_name["Grade 7 Science"].goal_status == "at risk"
    assert by_name["English 9"].goal_status == "met"
    assert math.latest_assessment == "Unit 3 common assessment"
    assert (math.open_actions, math.overdue_actions) == (3, 2)
    assert math.last_meeting == meetings.all_meetings(store.open_team(math.code))[-1].date
    # four rounds through the year rising, then the round two members answered: hidden
    assert len(math.pulse) == 4 and math.pulse[-1] is None
    assert math.pulse[0] < math.pulse[2]
    assert "hidden" in math.pulse_text
    assert len(math.norms) == 1 and 1 <= math.norms[0] <= 4
    # in the classroom: counts and stages, never a word of a plan or a note
    assert math.classroom == "1 plan · lesson study: Debrief · 1 peer observation"
    assert by_name["English 9"].classroom == "0 plans · 0 peer observations"
    # students together: counts only, never a student, a group or a rating
    assert math.students == "1 class · 24 students · 2 groupings · 1 teamwork check"
    assert by_name["English 9"].students == "no class"
    # families: rates only, never a family, a child, a goal or a count
    assert math.families == (
        "links 42% · latest meeting 25% came · with a goal 8% · goals reached 0%"
    )
    assert by_name["English 9"].families == "no families yet"
    everything = repr(by_name) + dashboard.dashboard_csv(list(by_name.values()))
    everything += dashboard.dashboard_html(list(by_name.values()), "Coach", store.now())
    assert PRIVATE not in everything
    for name in ("Ana", "Ben", "Chen"):  # nothing of the synthetic students' names either
        assert f">{name} " not in everything
    assert "Student " not in everything  # nor a pseudonym


def test_sorting_and_filtering(demo):
    store, made = demo
    found = dashboard.rows(store.open_coach(made.coach_code))
    assert [r.name for r in dashboard.sort_rows(found, "team")] == [
        "English 9",
        "Grade 4 Math",
        "Grade 7 Science",
    ]
    assert [r.name for r in dashboard.filter_rows(found, status="at risk")] == ["Grade 7 Science"]
    assert dashboard.filter_rows(found, stage="planning") == []
    assert len(dashboard.filter_rows(found, overdue_only=True)) == 3
    with pytest.raises(ValueError):
        dashboard.sort_rows(found, "shoe size")


def test_the_exports_are_safe_and_self_contained(demo):
    store, made = demo
    coach = store.open_coach(made.coach_code)
    scope = coach.open_team(made.team_codes["English 9"])
    teams.rename_team(scope, '=HYPERLINK("x") <script>alert(1)</script>')
    found = dashboard.rows(coach)
    rows = list(csv.reader(io.StringIO(dashboard.dashboard_csv(found))))
    assert rows[0][0] == "Team" and len(rows) == 4
    evil = next(r for r in rows if "HYPERLINK" in r[0])
    assert evil[0].startswith("'=")  # neutralised
    assert evil[7] == "3"  # open actions: a number, untouched
    page = dashboard.dashboard_html(found, "Coach <b>", store.now())
    assert "<script>" not in page and "&lt;script&gt;" in page and "Coach &lt;b&gt;" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page


def test_the_coach_page_shows_the_dashboard_and_its_exports(demo):
    store, made = demo
    app = StartHereApp(store, {"coach": made.coach_code})
    panel = app.body.children[0].dashboard
    assert "Grade 7 Science" in panel.table.value and "at risk" in panel.table.value
    panel.state.value = "met"
    assert "English 9" in panel.table.value and "Grade 4 Math" not in panel.table.value
    panel.state.value = ""
    panel.sort.value = "goal status"
    assert panel.table.value.index("at risk") < panel.table.value.index("on track")
    href = panel.exports.value.split("href='")[1].split("'")[0]
    page = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert "Teams at a glance" in page and PRIVATE not in page
    assert "Traceback" not in texts(app.widget)
    assert find(app.widget, BUTTONS, lambda b: b.description == "Open")


def test_a_coach_opening_a_teams_workbook_is_in_the_teams_activity_record(sqlite_team):
    from collab_widgets.core.db import activity

    team = sqlite_team
    StartHereApp(team.store, {"coach": team.coach_code, "team": team.code})
    summaries = [e.summary for e in activity.entries(team.member(0))]
    assert summaries[0] == "Coach Coach opened the Start here workbook"
    StartHereApp(team.store, {"team": team.code, "member": team.people[0].token})
    assert len(activity.entries(team.member(0))) == len(summaries)  # members are not noted
