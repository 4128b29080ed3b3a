"""The students' store: a class is its teacher's and the team's to read; a coach or a
team-link visitor reads pseudonyms only; students sign in with the class code and their
card's code; a class and everything about its students goes in one recorded action, or
when its retention ends (by the store's clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from collab_widgets.core.db import Store
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.students import rules
from collab_widgets.students.evaluation import load_dimensions
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings, student
from tests.unit.store_helpers import EVIL, activity_of_kind, all_rows, other_team

LIMIT = WrongCodeLimit("students", 20, 20, dt.timedelta(minutes=10), hint="the codes")
SIX = [
    StudentRow(f"S{i}", name)
    for i, name in enumerate(
        ["Maya Rivera", "Chidi Okafor", "Lena Park", "Omar Haddad", "Iris Chen", "Tom Berg"], 1
    )
]


@pytest.fixture
def room(sqlite_team):
    """Ana's class of six, with cards, in two groups of three, and an open evaluation."""
    ana = sqlite_team.member(0)
    class_id = classes.create_class(ana, "Room 12")
    classes.add_students(ana, class_id, SIX)
    cards = classes.issue_student_codes(ana, class_id)
    roster = classes.roster(ana, class_id)
    placed = [Placement(s.id, i // 3) for i, s in enumerate(roster)]
    grouping_id = groupings.save(ana, class_id, "groups", "Project teams", {}, 0.1, placed)
    evaluation_id = evaluations.open_evaluation(ana, class_id, grouping_id, "Week 1")
    code = classes.class_info(ana, class_id).code
    return sqlite_team, class_id, roster, cards, code, grouping_id, evaluation_id


def sign(store: Store, code: str, card: str, address: str = "10.0.0.1"):
    return student.sign_in(store, code, card, address, LIMIT)


def test_a_class_is_its_teachers_and_the_team_reads_it(room):
    team, class_id, roster, *_ = room
    ana, ben = team.member(0), team.member(1)
    assert [s.display_name for s in classes.roster(ben, class_id)][:2] == ["Maya R.", "Chidi O."]
    assert classes.class_info(ben, class_id).code is None  # the class code: its teacher's
    for change in (
        lambda: classes.add_students(ben, class_id, [StudentRow("S9", "New")]),
        lambda: classes.set_attributes(ben, class_id, roster[0].id, {"Support": "yes"}),
        lambda: classes.issue_student_codes(ben, class_id),
        lambda: classes.rotate_class_code(ben, class_id),
        lambda: classes.delete_class(ben, class_id),
        lambda: groupings.save(
            ben, class_id, "groups", "Mine", {}, 0, [Placement(roster[0].id, 0)]
        ),
    ):
        with pytest.raises(AccessDenied, match="Only the class's teacher"):
            change()
    assert classes.class_info(ana, class_id).students == 6


def test_a_coach_and_a_team_link_visitor_see_pseudonyms_only(room):
    team, class_id, *_ = room
    classes.set_attributes(
        team.member(0),
        class_id,
        classes.roster(team.member(0), class_id)[0].id,
        {"Support": "sits apart"},
    )
    visitor = team.store.open_team(team.code)
    for scope in (team.as_coach, visitor):
        seen = classes.roster(scope, class_id)
        assert all(s.display_name.startswith("Student ") and not s.name for s in seen)
        assert all(not s.attributes and not s.key for s in seen)
        assert not any(c.code for c in classes.classes(scope))
        with pytest.raises(AccessDenied):
            classes.create_class(scope, "Coach's class")
    with pytest.raises(AccessDenied):
        evaluations.results(team.as_coach, room[6])


def test_another_team_cannot_reach_the_class(room):
    team, class_id, roster, _, _, grouping_id, evaluation_id = room
    stranger = other_team(team)
    with pytest.raises(NotFound):
        classes.roster(stranger, class_id)
    with pytest.raises(NotFound):
        groupings.grouping(stranger, grouping_id)
    with pytest.raises(NotFound):
        evaluations.results(stranger, evaluation_id)


def test_a_student_signs_in_with_both_codes_and_sees_their_teammates_only(room):
    team, class_id, roster, cards, code, _, _ = room
    maya = sign(team.store, code.lower(), cards[roster[0].id])
    page = student.page(team.store, maya, load_dimensions())
    assert page.display_name == "Maya R." and page.class_name == "Room 12"
    assert [t.display_name for t in page.evaluation.teammates] == ["Maya R.", "Chidi O.", "Lena P."]
    assert page.feedback is None


def test_wrong_rotated_and_foreign_codes_are_refused_plainly(room):
    team, class_id, roster, cards, code, _, _ = room
    with pytest.raises(AccessDenied, match="do not open a class"):
        sign(team.store, "WRONG1", cards[roster[0].id])
    # another class's card with this class's code
    ben = team.member(1)
    other_id = classes.create_class(ben, "Room 14")
    classes.add_students(ben, other_id, [StudentRow("X1", "Zed Quinn")])
    other_card = next(iter(classes.issue_student_codes(ben, other_id).values()))
    with pytest.raises(AccessDenied, match="do not open a class"):
        sign(team.store, code, other_card)
    # a page open before the class code changed stops at its next call
    maya = sign(team.store, code, cards[roster[0].id])
    new_code = classes.rotate_class_code(team.member(0), class_id)
    with pytest.raises(AccessDenied, match="was changed"):
        student.signed_in(team.store, maya.class_code, cards[roster[0].id])
    with pytest.raises(AccessDenied):
        sign(team.store, code, cards[roster[0].id])
    assert sign(team.store, new_code, cards[roster[0].id]).student_id == roster[0].id
    # a new card: the old one stops
    fresh = classes.issue_student_codes(team.member(0), class_id, [roster[0].id])
    with pytest.raises(AccessDenied):
        sign(team.store, new_code, cards[roster[0].id])
    assert sign(team.store, new_code, fresh[roster[0].id]).display_name == "Maya R."


def test_wrong_codes_are_limited_per_network(room):
    team, _, roster, cards, code, _, _ = room
    few = WrongCodeLimit("students", 2, 10, dt.timedelta(minutes=10), hint="the codes")
    for _ in range(2):
        with pytest.raises(AccessDenied, match="do not open"):
            student.sign_in(team.store, code, "WRONGWRONG", "10.0.0.9", few)
    with pytest.raises(AccessDenied, match="Too many wrong codes"):
        student.sign_in(team.store, code, "WRONGAGAIN", "10.0.0.9", few)
    # right codes still open from that network: a room shares its address
    assert student.sign_in(team.store, code, cards[roster[0].id], "10.0.0.9", few)
    assert student.sign_in(team.store, code, cards[roster[0].id], "10.0.0.10", few)


def test_ratings_saved_by_students_reach_the_teacher_and_feedback_after_release(room):
    team, class_id, roster, cards, code, _, evaluation_id = room
    dims = load_dimensions()
    first_team = roster[:3]
    for rater in first_team:
        session = sign(team.store, code, cards[rater.id])
        levels = {(r.id, d.id): 4 if r.id == rater.id else 3 for r in first_team for d in dims}
        student.save_evaluation(
            team.store, session, evaluation_id, levels, {first_team[0].id: EVIL}, dims
        )
    results = evaluations.results(team.member(0), evaluation_id)
    maya = next(s for t in results for s in t.students if s.student == str(roster[0].id))
    assert maya.self_rating == 4 and maya.teammates_mean == 3 and maya.raters == 2
    assert evaluations.comments(team.member(0), evaluation_id)[0][2] == EVIL
    with pytest.raises(AccessDenied):  # comments: the class's teacher's only
        evaluations.comments(team.member(1), evaluation_id)
    evaluations.release(team.member(0), evaluation_id)
    session = sign(team.store, code, cards[roster[0].id])
    page = student.page(team.store, session, dims)
    assert page.feedback is not None and page.feedback.self_rating == 4
    assert page.feedback.teammates_mean is None  # two raters: under three, never shown
    with pytest.raises(InvalidInput, match="closed"):
        student.save_evaluation(team.store, session, evaluation_id, {}, {}, dims)


def test_a_student_cannot_rate_outside_their_team(room):
    team, _, roster, cards, code, _, evaluation_id = room
    dims = load_dimensions()
    session = sign(team.store, code, cards[roster[0].id])
    with pytest.raises(InvalidInput):
        student.save_evaluation(
            team.store, session, evaluation_id, {(roster[5].id, dims[0].id): 5}, {}, dims
        )
    with pytest.raises(InvalidInput):
        student.save_evaluation(team.store, session, evaluation_id, {}, {roster[5].id: "hi"}, dims)


def test_deleting_a_class_takes_everything_about_its_students_in_one_recorded_action(room):
    team, class_id, roster, cards, code, _, evaluation_id = room
    dims = load_dimensions()
    session = sign(team.store, code, cards[roster[0].id])
    student.save_evaluation(
        team.store,
        session,
        evaluation_id,
        {(roster[1].id, dims[0].id): 2},
        {roster[1].id: "kind words"},
        dims,
    )
    classes.delete_class(team.member(0), class_id)
    rows = all_rows(team.store)
    for table in (
        "classes",
        "class_students",
        "groupings",
        "grouping_members",
        "evaluations",
        "evaluation_ratings",
        "evaluation_comments",
        "student_survey_answers",
    ):
        assert rows[table] == [], table
    assert not any("Maya" in str(row) for table in rows.values() for row in table)
    (entry,) = [e for e in activity_of_kind(team.member(0), "class") if "deleted" in e.summary]
    assert "6 students" in entry.summary
    with pytest.raises(AccessDenied):
        student.signed_in(team.store, code, cards[roster[0].id])


def test_retention_closes_the_class_then_deletes_it(room, fixed_clock):
    team, class_id, roster, cards, code, *_ = room
    until = classes.class_info(team.member(0), class_id).retain_until
    assert until == rules.end_of_school_year(fixed_clock.today())
    fixed_clock.at = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(9), dt.UTC)
    with pytest.raises(AccessDenied, match="ended"):
        sign(team.store, code, cards[roster[0].id])
    assert classes.delete_expired(team.store) == 0  # closed, kept a while longer
    fixed_clock.advance(days=rules.DELETE_AFTER.days)
    assert classes.classes(team.member(0)) == []  # reading the list deletes it
    assert classes.delete_expired(team.store) == 0
    assert all_rows(team.store)["class_students"] == []
    assert any(
        "time to be kept ended" in e.summary for e in activity_of_kind(team.member(0), "class")
    )


def test_adding_again_updates_by_id_and_a_class_is_bounded(room):
    team, class_id, *_ = room
    ana = team.member(0)
    again = classes.add_students(
        ana, class_id, [StudentRow("s1", "Maya Rivera-Diaz"), StudentRow("S7", "Ava Long")]
    )
    assert (again.added, again.updated) == (1, 1)
    with pytest.raises(InvalidInput, match="twice"):
        classes.add_students(ana, class_id, [StudentRow("A"), StudentRow("a")])
    with pytest.raises(InvalidInput):
        classes.create_class(ana, "   ")


def test_moving_students_is_refused_while_they_rate_each_other(room):
    team, class_id, roster, _, _, grouping_id, evaluation_id = room
    ana = team.member(0)
    moved = [Placement(s.id, 0) for s in roster]
    with pytest.raises(InvalidInput, match="make new groups"):
        groupings.update(ana, grouping_id, moved, 0.2)
    # closed (and its feedback released or not), the groups still stay as they were rated
    evaluations.close(ana, evaluation_id)
    with pytest.raises(InvalidInput, match="make new groups"):
        groupings.update(ana, grouping_id, moved, 0.2)
    assert {p.group_number for p in groupings.grouping(ana, grouping_id).placements} == {0, 1}
    other = groupings.save(ana, class_id, "groups", "Next project", {}, 0.1, moved[::-1])
    groupings.update(ana, other, moved, 0.2)
    assert {p.group_number for p in groupings.grouping(ana, other).placements} == {0}
    with pytest.raises(InvalidInput, match="delete the evaluation first"):
        groupings.delete(ana, grouping_id)


def test_the_coach_summary_is_counts_only(room):
    team, *_ = room
    assert classes.summary(team.as_coach) == (1, 6, 1, 1)
