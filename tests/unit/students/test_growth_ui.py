"""Did the groups help? The growth panel with a real store: each saved grouping and each
role of tutoring pairs beside the whole class, an arrangement under the team's smallest
group shown without figures, the same figures for a coach (and no name), and the
students' screens' shared helpers (a class, an assessment of it)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.scores import read_scores
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, groupings
from collab_widgets.students.ui.growth_panel import WHOLE_CLASS, GrowthPanel
from collab_widgets.students.ui.state import ClassState
from tests.unit.widget_helpers import BUTTONS, find, texts

NAMES = (
    "Maya", "Leo", "Zoe", "Sam", "Ivy", "Noah", "Ada", "Eli", "Mia", "Omar", "Rosa", "Theo",
)  # fmt: skip


# --- shared by the students' screen tests --------------------------------------------------


def make_class(team, count: int, display: dict[int, str] | None = None) -> int:
    """Ana's class of ``count`` students (ids 101, 102, …), shown by first name unless
    ``display`` gives another name for the student at that index."""
    ana = team.member(0)
    class_id = classes.create_class(ana, "Grade 4 – Room 12")
    rows = [
        StudentRow(
            key=str(101 + i),
            name=f"{NAMES[i]} Rivera",
            display_name=(display or {}).get(i, NAMES[i]),
        )
        for i in range(count)
    ]
    classes.add_students(ana, class_id, rows)
    return class_id


def ids_of(team, class_id: int) -> list[int]:
    """The class's students' ids, in the order they were added."""
    return [s.id for s in classes.roster(team.member(0), class_id)]


def save_assessment(team, name: str, percents: list[float], given_on: dt.date | None = None):
    """An assessment of students 101, 102, … scoring ``percents`` (one item of 100 points
    and another of the standard 4.NF.2, half of each)."""
    rows = "".join(f"{101 + i},{p / 2:g},{p / 2:g}\n" for i, p in enumerate(percents))
    scores = read_scores(
        f"Student ID,Q1,Q2\n{rows}".encode(),
        key=b"Item,Standard,Max Points\nQ1,4.NF.1,50\nQ2,4.NF.2,50\n",
        name=f"{name}.csv",
    )
    return saved.save(team.member(0), scores, name, given_on=given_on)


def class_state(scope, class_id: int | None) -> ClassState:
    state = ClassState(scope)
    state.open_class(class_id)
    return state


def built(panel_class, scope, class_id):
    state = class_state(scope, class_id)
    panel = panel_class(scope, state, StatusLine(), SavedIndicator())
    panel.refresh()
    return panel


def press(widget, label: str) -> None:
    (found,) = find(widget, BUTTONS, lambda b: b.description == label)
    found.click()


# --- growth --------------------------------------------------------------------------------


def _groups(team, class_id, ids, sizes, kind="groups", name="Project teams", roles=None):
    placements, start = [], 0
    for number, size in enumerate(sizes, 1):
        for offset, student in enumerate(ids[start : start + size]):
            role = roles[offset] if roles else None
            placements.append(Placement(student, number, role))
        start += size
    return groupings.save(team.member(0), class_id, kind, name, {}, None, placements)


@pytest.fixture
def assessments(sqlite_team):
    before = save_assessment(sqlite_team, "Unit 3 pre", [40, 50, 60, 70] * 3, dt.date(2026, 9, 1))
    after = save_assessment(sqlite_team, "Unit 3 post", [60, 60, 80, 90] * 3, dt.date(2026, 10, 1))
    return before, after


def _compare(panel, before, after):
    panel.before.value, panel.after.value = before, after
    press(panel, "Compare")
    return panel.table.value


def test_a_small_class_shows_no_figures_only_how_many_it_takes(sqlite_team, assessments):
    class_id = make_class(sqlite_team, 4)
    _groups(sqlite_team, class_id, ids_of(sqlite_team, class_id), [2, 2])
    panel = built(GrowthPanel, sqlite_team.member(0), class_id)
    assert panel.before.value == assessments[0] and panel.after.value == assessments[1]
    shown = _compare(panel, *assessments)
    assert "Project teams (groups)" in shown and WHOLE_CLASS in shown
    assert shown.count("fewer than 10 students: not shown") == 2
    assert "%" not in shown and "points" not in shown
    assert "not what it caused" in panel.reading.value


def test_each_arrangement_with_enough_students_shows_its_growth(sqlite_team, assessments):
    settings = evidence.settings(sqlite_team.as_coach)
    evidence.set_settings(sqlite_team.as_coach, dataclasses.replace(settings, min_n=5))
    class_id = make_class(sqlite_team, 12)
    ids = ids_of(sqlite_team, class_id)
    _groups(sqlite_team, class_id, ids, [6, 6])
    # six pairs: tutors are students 3 and 4 of each four (70%, then 90%), tutees the others
    order = [ids[i] for i in (3, 0, 2, 1, 7, 4, 6, 5, 11, 8, 10, 9)]
    _groups(
        sqlite_team, class_id, order, [2] * 6, "tutoring", "Fractions pairs", ["tutor", "tutee"]
    )
    panel = built(GrowthPanel, sqlite_team.member(0), class_id)
    shown = _compare(panel, *assessments)
    assert "Project teams (groups)" in shown
    assert "Fractions pairs (tutoring pairs): tutors" in shown
    # the whole class: 55% before, 72.5% later
    assert "<td>12</td><td>55.0%</td><td>72.5%</td><td>+17.5 points</td>" in shown
    # tutors: 70% and 60% (mean 65%) before, 90% and 80% (85%) later; tutees 45% -> 60%
    assert "<td>6</td><td>65.0%</td><td>85.0%</td><td>+20.0 points</td>" in shown
    assert "<td>6</td><td>45.0%</td><td>60.0%</td><td>+15.0 points</td>" in shown
    assert "fewer than" not in shown
    assert "fewer than 5 students" in panel.reading.value


def test_a_coach_reads_the_same_figures_and_no_name(sqlite_team, assessments):
    settings = evidence.settings(sqlite_team.as_coach)
    evidence.set_settings(sqlite_team.as_coach, dataclasses.replace(settings, min_n=5))
    class_id = make_class(sqlite_team, 12)
    _groups(sqlite_team, class_id, ids_of(sqlite_team, class_id), [6, 6])
    coach = built(GrowthPanel, sqlite_team.as_coach, class_id)
    shown = _compare(coach, *assessments)
    assert "<td>12</td><td>55.0%</td><td>72.5%</td><td>+17.5 points</td>" in shown
    everything = texts(coach)
    assert not any(name in everything for name in NAMES)
    assert "Rivera" not in everything


def test_one_assessment_is_not_enough_and_the_same_twice_is_refused(sqlite_team):
    class_id = make_class(sqlite_team, 4)
    only = save_assessment(sqlite_team, "Unit 3 pre", [40, 50, 60, 70])
    panel = built(GrowthPanel, sqlite_team.member(0), class_id)
    assert "Save two assessments" in texts(panel)
    assert panel.choose.layout.display == "none"
    panel.before.options = panel.after.options = [("Unit 3 pre", only)]
    panel.before.value = panel.after.value = only
    press(panel, "Compare")
    assert "two different assessments" in panel.status.value
    assert panel.table.value == ""


def test_no_class_chosen_shows_a_plain_line(sqlite_team):
    panel = built(GrowthPanel, sqlite_team.member(0), None)
    assert panel.no_class.layout.display != "none" and panel.body.layout.display == "none"
