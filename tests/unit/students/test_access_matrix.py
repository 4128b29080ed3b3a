"""Every kind of link against everything of the students' domain (docs/access-and-privacy.md,
"Every kind of link"): the store's reads and writes with each kind of team scope, the
students' light page's routes with each kind of code, and the Students together workbook
opened with codes that are not for it. Each cell says what the kind may do; every other
cell must be refused (or, for reads that are allowed, show no more than the kind may see)."""

from __future__ import annotations

import pytest

from collab_widgets.core.errors import AccessDenied, NotFound
from collab_widgets.students.api import StudentService
from collab_widgets.students.app import StudentsApp
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings, student
from collab_widgets.workshops.store import participant as participants
from collab_widgets.workshops.store import trainer as workshops
from tests.unit.store_helpers import other_team
from tests.unit.widget_helpers import texts
from tests.unit.workshops.test_api import ApiServer

KINDS = ("class teacher", "colleague", "coach", "team link", "other team")
NAMES = {"S1": "Maya Rivera", "S2": "Chidi Okafor", "S3": "Lena Park", "S4": "Omar Haddad"}
NOTE = "sits-apart-from-S2"


@pytest.fixture
def world(sqlite_team):
    team = sqlite_team
    teacher = team.member(0)
    class_id = classes.create_class(teacher, "Room 12")
    classes.add_students(
        teacher,
        class_id,
        [StudentRow(key, name, attributes={"Note": NOTE}) for key, name in NAMES.items()],
    )
    roster = classes.roster(teacher, class_id)
    cards = classes.issue_student_codes(teacher, class_id)
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Pairs",
        {},
        0.0,
        [Placement(s.id, i // 2) for i, s in enumerate(roster)],
    )
    evaluation_id = evaluations.open_evaluation(teacher, class_id, grouping_id, "Check")
    scopes = {
        "class teacher": teacher,
        "colleague": team.member(1),
        "coach": team.as_coach,
        "team link": team.store.open_team(team.code),
        "other team": other_team(team),
    }
    code = classes.class_info(teacher, class_id).code
    return team, scopes, class_id, roster, cards, grouping_id, evaluation_id, code


# what each kind may do: True allowed, False refused (AccessDenied or NotFound)
WRITES = {
    "add students": ("class teacher",),
    "notes about a student": ("class teacher",),
    "print cards": ("class teacher",),
    "change class code": ("class teacher",),
    "open the survey": ("class teacher",),
    "save groups": ("class teacher",),
    "move students": ("class teacher",),
    "open a teamwork check": ("class teacher",),
    "release feedback": ("class teacher",),
    "delete the class": ("class teacher",),
}
READS = {
    "the class list": ("class teacher", "colleague", "coach", "team link"),
    "the roster": ("class teacher", "colleague", "coach", "team link"),
    "saved groups": ("class teacher", "colleague", "coach", "team link"),
    "teamwork results": ("class teacher", "colleague"),
    "students' comments": ("class teacher",),
    "survey answers": ("class teacher", "colleague", "coach", "team link"),
}


def _write(name, scope, class_id, roster, grouping_id, evaluation_id):
    first = roster[0].id
    return {
        "add students": lambda: classes.add_students(scope, class_id, [StudentRow("S9", "New")]),
        "notes about a student": lambda: classes.set_attributes(scope, class_id, first, {"N": "x"}),
        "print cards": lambda: classes.issue_student_codes(scope, class_id, [first]),
        "change class code": lambda: classes.rotate_class_code(scope, class_id),
        "open the survey": lambda: classes.set_survey_open(scope, class_id, True),
        "save groups": lambda: groupings.save(
            scope, class_id, "groups", "X", {}, 0, [Placement(first, 0)]
        ),
        "move students": lambda: groupings.update(
            scope, grouping_id, [Placement(s.id, 0) for s in roster], 0
        ),
        "open a teamwork check": lambda: evaluations.open_evaluation(
            scope, class_id, grouping_id, "Again"
        ),
        "release feedback": lambda: evaluations.release(scope, evaluation_id),
        "delete the class": lambda: classes.delete_class(scope, class_id),
    }[name]


def _read(name, scope, class_id, grouping_id, evaluation_id):
    return {
        "the class list": lambda: [c for c in classes.classes(scope) if c.id == class_id] or None,
        "the roster": lambda: classes.roster(scope, class_id),
        "saved groups": lambda: groupings.grouping(scope, grouping_id),
        "teamwork results": lambda: evaluations.results(scope, evaluation_id),
        "students' comments": lambda: evaluations.comments(scope, evaluation_id),
        "survey answers": lambda: classes.survey_answers(scope, class_id),
    }[name]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("action", list(WRITES))
def test_each_kind_may_change_only_what_it_is_for(world, kind, action):
    team, scopes, class_id, roster, _cards, grouping_id, evaluation_id, _ = world
    if action == "move students":  # groups students rated each other in stay as they were
        evaluations.delete(scopes["class teacher"], evaluation_id)
    change = _write(action, scopes[kind], class_id, roster, grouping_id, evaluation_id)
    if kind in WRITES[action]:
        change()
    else:
        before = classes.roster(scopes["class teacher"], class_id)
        with pytest.raises((AccessDenied, NotFound)):
            change()
        assert classes.roster(scopes["class teacher"], class_id) == before


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("what", list(READS))
def test_each_kind_may_read_only_what_it_is_for_and_names_only_as_a_member(world, kind, what):
    team, scopes, class_id, _roster, _cards, grouping_id, evaluation_id, _ = world
    read = _read(what, scopes[kind], class_id, grouping_id, evaluation_id)
    if kind not in READS[what]:
        try:
            found = read()
        except (AccessDenied, NotFound):
            return
        assert found is None, f"{kind} read {what}: {found!r}"  # a list without the class
        return
    shown = repr(read())
    named = kind in ("class teacher", "colleague")
    for key, name in NAMES.items():
        assert (name in shown) == (named and what == "the roster"), (kind, what, name)
        assert (f"'{key}'" in shown) == (named and what == "the roster"), (kind, what, key)
    assert (NOTE in shown) == (named and what == "the roster")
    class_code = classes.class_info(scopes["class teacher"], class_id).code
    assert (class_code in shown) == (kind == "class teacher" and what == "the class list")


@pytest.fixture
def api(sqlite_team):
    server = ApiServer(StudentService(db_url=sqlite_team.store.url))
    yield server
    server.stop()


def test_the_students_routes_open_only_with_a_class_code_and_that_classs_card(world, api):
    team, scopes, class_id, roster, cards, *_rest, code = world
    coach_workshop = workshops.create(team.coach, "Workshop")
    workshop_code = workshops.get(team.coach, coach_workshop).code
    participant = participants.join(team.store, workshop_code, "Pat")
    member_token = team.people[0].token
    # another class of the same teacher, and its card
    other_id = classes.create_class(scopes["class teacher"], "Room 14")
    classes.add_students(scopes["class teacher"], other_id, [StudentRow("X1", "Zed Quinn")])
    other_card = next(iter(classes.issue_student_codes(scopes["class teacher"], other_id).values()))
    maya = roster[0].id
    wrong = {
        "the team code and a personal token": {"class": team.code, "card": member_token},
        "the coach code": {"class": team.coach_code, "card": team.coach_code},
        "a workshop code and its participant token": {
            "class": workshop_code,
            "card": participant.token,
        },
        "the class code with another class's card": {"class": code, "card": other_card},
        "the class code alone": {"class": code, "card": ""},
        "a card alone": {"class": "", "card": cards[maya]},
    }
    for route in ("join", "page", "survey", "rate"):
        for what, body in wrong.items():
            status, answer = api.call(route, {**body, "answers": {}, "evaluation": 0})
            assert status in (403, 410), (route, what, status, answer)
            assert "Maya" not in repr(answer) and "Room 12" not in repr(answer), (route, what)
    status, page = api.call("join", {"class": code, "card": cards[maya]})
    assert status == 200 and page["name"] == "Maya R."
    # the student's codes open nothing of the team: not as a team code, not with the class's
    assert student.signed_in(team.store, code, cards[maya]).student_id == maya
    for params in (
        {"team": code},
        {"team": cards[maya]},
        {"team": code, "member": cards[maya]},
        {"class": code, "card": cards[maya]},
    ):
        app = StudentsApp(team.store, params)
        shown = texts(app.widget)
        assert "Room 12" not in shown and "Maya" not in shown, params
        app.close()
