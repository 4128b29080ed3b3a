"""The family page attacked, as someone at the browser's console or a confused guardian
would: ids of another family, class or team in the body; links rotated, revoked or
blocked while a page is open; wrong JSON types and odd values; goals with tricky numbers
and two guardians at once; wrong-code limits; and every answer checked for another
family's data and for words in the wrong language or internal detail.

Each attack that once got through is named in its test's comment."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import threading
import urllib.error
import urllib.request

import pytest

from collab_widgets.core import clock
from collab_widgets.core.light import handlers as light
from collab_widgets.families import api, texts
from collab_widgets.families.api import FamilyService
from collab_widgets.families.rules import FamilyRefused, GoalDraft
from collab_widgets.families.store import (
    class_meetings,
    conferences,
    family_workshops,
    guardians,
)
from collab_widgets.families.store import family as family_page
from collab_widgets.families.store.family import (
    CHANGED,
    ENDED,
    GOAL_CHANGED,
    NO_MEETING,
    NO_SLOT,
    NO_WORKSHOP,
    SLOT_TAKEN,
    SURVEY_CLOSED,
    SURVEY_DONE,
    SURVEY_INCOMPLETE,
    TOO_MANY,
    WRONG_LINK,
)
from collab_widgets.families.texts import CATALOGUE
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes
from tests.unit.families.conftest import LIMIT, MEETING_DAY, prepare
from tests.unit.workshops.test_api import ApiServer

TODAY = dt.date(2026, 10, 15)


def es(message: str, **values) -> str:
    return CATALOGUE.text("es", message, **values)


def call(server: ApiServer, action: str, body=None, *, lang="", raw=None, method="POST"):
    """(status, answer) of ``POST families/api/<action>[?lang=…]``; the answer's raw text
    when it is not JSON."""
    query = f"?lang={lang}" if lang else ""
    data = None if method == "GET" else (raw if raw is not None else json.dumps(body).encode())
    request = urllib.request.Request(
        f"{server.base}families/api/{action}{query}",
        data=data,
        headers={"Content-Type": "application/json"},
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        text = error.read().decode("utf-8", "replace")
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text


@pytest.fixture
def server(classroom):
    running = ApiServer(FamilyService(db_url=classroom.team.store.url))
    yield running
    running.stop()


def _code(classroom, index: int = 0) -> str:
    return classroom.links[classroom.family_ids[index]]


def _body(classroom, index: int = 0, **extra) -> dict:
    return {"code": _code(classroom, index), "lang": "es", **extra}


def _goal(classroom, index=0, **typed):
    values = {"practice": "Read together for 15 minutes", "times": "4", "target": "80", "by": ""}
    called = {"code": _code(classroom, index), "meeting": classroom.meeting_id, "version": None}
    return {**called, **values, **typed}


def _slots(classroom, day=MEETING_DAY, kind="individual", start="15:00", count=3):
    conferences.add_slots(classroom.teacher, classroom.class_id, kind, day, start, 20, count)
    return [s for s in conferences.slots(classroom.teacher, classroom.class_id) if s.day == day]


def _other_class(classroom, name="Room 14"):
    """A second class of the same teacher, with its families, a meeting, a conference time,
    a workshop and an open feedback round."""
    ana = classroom.teacher
    class_id = classes.create_class(ana, name)
    classes.add_students(
        ana, class_id, [StudentRow("T1", "Zebulon Quartermaine"), StudentRow("T2", "Xanthe Vo")]
    )
    roster = classes.roster(ana, class_id)
    guardians.open_families(ana, class_id)
    fams = guardians.families(ana, class_id)
    guardian = guardians.add_guardian(ana, fams[0].id, "Other Parent")
    code = guardians.issue_link(ana, guardian)
    meeting = prepare(ana, class_id, roster, [40.0, 60.0], title="Other night")
    conferences.add_slots(ana, class_id, "individual", MEETING_DAY, "09:00", 20, 1)
    (slot,) = conferences.slots(ana, class_id)
    workshop = family_workshops.add_workshop(
        ana, class_id, {"en": "Other workshop"}, MEETING_DAY, "17:00", "Gym"
    )
    round_id = family_workshops.open_round(ana, class_id, "Other round")
    return {
        "class": class_id,
        "families": [f.id for f in fams],
        "code": code,
        "meeting": meeting,
        "slot": slot.id,
        "workshop": workshop,
        "round": round_id,
    }


def _english_only(text: str) -> bool:
    """A text that reads as English product words (a Spanish answer must have none)."""
    return bool(
        re.search(r"\b(the|this|that|your|please|try|again|link|family|choose)\b", text, re.I)
    )


# --- another family's, class's or team's data through the API ------------------------------


def test_ids_of_another_class_are_refused_and_change_nothing(server, classroom):
    other = _other_class(classroom)
    body = _body(classroom)
    goal = {**_goal(classroom), "lang": "es", "meeting": other["meeting"]}
    assert call(server, "goal", goal) == (400, {"error": es(NO_MEETING)})
    assert call(server, "slot", {**body, "slot": other["slot"]}) == (400, {"error": es(NO_SLOT)})
    signup = {**body, "workshop": other["workshop"], "coming": True}
    assert call(server, "signup", signup) == (400, {"error": es(NO_WORKSHOP)})
    answers = {"welcome": 4}
    feedback = {**body, "round": other["round"], "answers": answers}
    assert call(server, "feedback", feedback) == (400, {"error": es(SURVEY_CLOSED)})
    # nothing of the other class changed
    (slot,) = conferences.slots(classroom.teacher, other["class"])
    assert slot.family_id is None
    (workshop,) = family_workshops.workshops(classroom.teacher, other["class"])
    assert class_meetings.goals(classroom.teacher, other["class"]) == []
    assert not any(getattr(workshop, "signed_up", ()) or ())


def test_another_familys_slot_cannot_be_cancelled_or_taken(server, classroom):
    first, second, _ = _slots(classroom)
    assert call(server, "slot", _body(classroom, 1, slot=first.id))[0] == 200
    # Maya's family cancels Chidi's family's time: nothing happens to it
    status, page = call(server, "unslot", _body(classroom, 0, slot=first.id))
    assert status == 200 and not any(s["mine"] for s in page["slots"])
    assert (
        conferences.slots(classroom.teacher, classroom.class_id)[0].family_id
        == (classroom.family_ids[1])
    )
    # nor can it take it
    assert call(server, "slot", _body(classroom, 0, slot=first.id)) == (
        400,
        {"error": es(SLOT_TAKEN)},
    )
    # and the taken time is not listed to Maya's family at all
    ids = [s["id"] for s in call(server, "page", _body(classroom))[1]["slots"]]
    assert first.id not in ids and second.id in ids


def test_a_family_of_another_team_reaches_nothing_of_this_class(classroom, tmp_path):
    """A second team on the same store: its family's link opens its own class only."""
    from tests.unit.conftest import TeamFixture
    from tests.unit.families.conftest import make_classroom

    elsewhere = make_classroom(TeamFixture(classroom.team.store))
    running = ApiServer(FamilyService(db_url=classroom.team.store.url))
    try:
        body = {"code": elsewhere.links[elsewhere.family_ids[0]], "lang": "es"}
        status, page = call(running, "open", body)
        assert status == 200 and page["class"] == "Room 12"
        assert [m["id"] for m in page["meetings"]] == [elsewhere.meeting_id]
        goal = {**_goal(classroom), **body, "meeting": classroom.meeting_id}
        assert call(running, "goal", goal) == (400, {"error": es(NO_MEETING)})
    finally:
        running.stop()


# --- links that stop: rotated, revoked, blocked, the class's year over -----------------------

ROUTES = (
    ("page", {}),
    ("goal", {"meeting": 1, "practice": "Read every night together", "times": "3"}),
    ("slot", {"slot": 1}),
    ("unslot", {"slot": 1}),
    ("signup", {"workshop": 1, "coming": True}),
    ("feedback", {"round": 1, "answers": {}}),
)


@pytest.mark.parametrize("how", ["rotated", "revoked", "blocked", "removed"])
def test_a_stopped_link_ends_the_open_page_at_every_route(server, classroom, how):
    code, guardian = _code(classroom), classroom.guardians[classroom.family_ids[0]]
    assert call(server, "open", {"code": code})[0] == 200
    if how == "rotated":
        guardians.issue_link(classroom.teacher, guardian)
    elif how == "revoked":
        guardians.revoke_link(classroom.teacher, guardian)
    elif how == "blocked":
        guardians.set_blocked(classroom.teacher, guardian, True)
    else:
        guardians.remove_guardian(classroom.teacher, guardian)
    for action, extra in ROUTES:
        answer = call(server, action, {"code": code, "lang": "es", **extra})
        assert answer == (410, {"error": es(CHANGED), "gone": True}), (how, action)
    assert call(server, "open", {"code": code, "lang": "es"}) == (403, {"error": es(WRONG_LINK)})


def test_a_blocked_guardian_stays_out_after_the_block_is_lifted(server, classroom):
    code, guardian = _code(classroom), classroom.guardians[classroom.family_ids[0]]
    guardians.set_blocked(classroom.teacher, guardian, True)
    with pytest.raises(Exception):  # noqa: B017 - refused: no link for a blocked person
        guardians.issue_link(classroom.teacher, guardian)
    guardians.set_blocked(classroom.teacher, guardian, False)
    # lifting the block gives the old link no life back
    assert call(server, "open", {"code": code})[0] == 403


def test_a_blocked_guardian_is_refused_while_another_saves_in_between(classroom):
    """A page signed in before the block, its save arriving after: refused, nothing saved."""
    session = classroom.sign_in(0)
    guardians.set_blocked(classroom.teacher, classroom.guardians[classroom.family_ids[0]], True)
    draft = GoalDraft("Read together for 15 minutes", "4", "80", "")
    with pytest.raises(FamilyRefused):
        family_page.save_goal(classroom.team.store, session, classroom.meeting_id, draft, None)
    (slot, *_) = _slots(classroom)
    with pytest.raises(FamilyRefused):
        family_page.choose_slot(classroom.team.store, session, slot.id)
    with pytest.raises(FamilyRefused):
        family_page.page(classroom.team.store, session)
    assert class_meetings.goals(classroom.teacher, classroom.class_id) == []


def test_a_class_past_its_last_day_opens_nothing(server, classroom):
    code = _code(classroom)
    assert call(server, "open", {"code": code})[0] == 200
    last_day = classes.class_info(classroom.teacher, classroom.class_id).retain_until
    fixed = clock.get_clock()
    fixed.advance(days=(last_day - fixed.today()).days + 1)
    for action, extra in ROUTES:
        answer = call(server, action, {"code": code, "lang": "es", **extra})
        assert answer == (410, {"error": es(ENDED), "gone": True}), action
    assert call(server, "open", {"code": code, "lang": "es"}) == (403, {"error": es(ENDED)})


# --- values set from the browser's console -----------------------------------------------------

BAD_BODIES = [
    ("goal", {"meeting": "1"}),
    ("goal", {"meeting": True}),
    ("goal", {"meeting": 1.0}),
    ("goal", {"meeting": {"id": 1}}),
    ("goal", {"meeting": 1, "version": "1"}),
    ("goal", {"meeting": 1, "practice": ["a", "b"]}),
    ("goal", {"meeting": 1, "times": 4}),
    ("goal", {"meeting": 1, "target": None}),
    ("goal", {"meeting": 1, "practice": "\ud800 lone"}),
    ("slot", {"slot": "1"}),
    ("slot", {"slot": [1]}),
    ("slot", {"slot": None}),
    ("slot", {"slot": False}),
    ("unslot", {"slot": 1.5}),
    ("signup", {"workshop": 1, "coming": 1}),
    ("signup", {"workshop": 1, "coming": "true"}),
    ("signup", {"workshop": "1", "coming": True}),
    ("feedback", {"round": 1, "answers": "4444"}),
    ("feedback", {"round": 1, "answers": None}),
    ("feedback", {"round": "1", "answers": {}}),
    ("open", {"lang": ["es"]}),
    ("open", {"lang": {"es": 1}}),
    ("open", {"lang": None}),
]


@pytest.mark.parametrize("action,extra", BAD_BODIES)
def test_wrong_json_types_are_refused_plainly_in_spanish(server, classroom, action, extra):
    body = {"code": _code(classroom), "lang": "es", **extra}
    assert call(server, action, body, lang="es") == (400, {"error": es(light.UNREADABLE)})


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e309", "-0.0"])
def test_non_finite_json_numbers_are_refused(server, classroom, literal):
    code = _code(classroom)
    for action, key in (("slot", "slot"), ("goal", "meeting"), ("signup", "workshop")):
        raw = f'{{"code": "{code}", "lang": "es", "{key}": {literal}, "coming": true}}'.encode()
        assert call(server, action, raw=raw) == (400, {"error": es(light.UNREADABLE)}), key


@pytest.mark.parametrize("number", [0, 2**31 - 1])
def test_ids_that_match_nothing_are_refused_in_the_familys_words(server, classroom, number):
    body = _body(classroom)
    goal = {**_goal(classroom), "lang": "es", "meeting": number}
    assert call(server, "goal", goal) == (400, {"error": es(NO_MEETING)})
    assert call(server, "slot", {**body, "slot": number}) == (400, {"error": es(NO_SLOT)})
    signup = {**body, "workshop": number, "coming": True}
    assert call(server, "signup", signup) == (400, {"error": es(NO_WORKSHOP)})
    feedback = {**body, "round": number, "answers": {}}
    assert call(server, "feedback", feedback) == (400, {"error": es(SURVEY_CLOSED)})
    assert call(server, "unslot", {**body, "slot": number})[0] == 200


# An id beyond what the database stores (2**63 failed in SQLite, 2**31 would in PostgreSQL)
# or below zero is refused as unreadable before any query: no 500, no traceback.
@pytest.mark.parametrize("huge", [-1, 2**31, 2**53 + 1, 2**63])
@pytest.mark.parametrize("action", ["goal", "slot", "unslot", "signup", "feedback"])
def test_an_id_out_of_range_is_refused_as_unreadable(server, classroom, action, huge):
    extra = {
        "goal": {"meeting": huge, "practice": "Read together for 15 minutes", "times": "4"},
        "slot": {"slot": huge},
        "unslot": {"slot": huge},
        "signup": {"workshop": huge, "coming": True},
        "feedback": {"round": huge, "answers": {}},
    }[action]
    status, answer = call(server, action, _body(classroom, **extra))
    assert status == 400, (status, answer)
    assert answer["error"] in {es(light.UNREADABLE), es(NO_MEETING), es(NO_SLOT)} | {
        es(NO_WORKSHOP),
        es(SURVEY_CLOSED),
    }


def test_over_long_fields_are_refused_before_reading(server, classroom):
    long = "x" * 2001
    body = {**_goal(classroom, practice=long), "lang": "es"}
    assert call(server, "goal", body) == (400, {"error": es(api.TOO_LONG)})
    # within the body's limit but over the goal's
    status, page = call(server, "goal", {**_goal(classroom, practice="read " * 120), "lang": "es"})
    assert status == 200 and set(page["problems"]) == {"practice"}
    assert page["meetings"][0]["goal"] is None


@pytest.mark.parametrize(
    "lang", ["", "xx", "qps-ploc", "ES", "es_MX", "../../etc/passwd", "en;q=0.1", "e" * 2000]
)
def test_odd_languages_answer_in_a_known_one(server, classroom, lang):
    status, page = call(server, "page", {"code": _code(classroom), "lang": lang})
    assert status == 200
    assert page["language"] in {"en", "es"} or lang.startswith("qps")
    if lang.lower().startswith("es"):
        assert page["language"] == "es"


# A "lang" in the address that is not UTF-8 (``?lang=%ff``) is read as the default
# language: the answer is still a plain ``{error}`` (it once broke the error answer itself).
def test_an_undecodable_language_in_the_address_is_refused_plainly(server, classroom):
    status, answer = call(server, "open", {"code": "WRONG2345678"}, lang="%ff%fe")
    assert status == 400 and answer == {"error": light.UNREADABLE} or status == 403, answer


# --- feedback ---------------------------------------------------------------------------------


def _round(classroom, server):
    round_id = family_workshops.open_round(classroom.teacher, classroom.class_id, "Autumn")
    questions = call(server, "page", _body(classroom))[1]["feedback"]["questions"]
    return round_id, [q["id"] for q in questions]


@pytest.mark.parametrize("level", [0, 5, -1, 2**64, 4.0, True, "4", None])
def test_feedback_levels_out_of_range_are_refused(server, classroom, level):
    round_id, ids = _round(classroom, server)
    answers = {q: 3 for q in ids}
    answers[ids[0]] = level
    body = _body(classroom, round=round_id, answers=answers)
    assert call(server, "feedback", body) == (400, {"error": es(SURVEY_INCOMPLETE)})
    assert family_workshops.feedback(classroom.teacher, classroom.class_id) is not None
    status, page = call(server, "page", _body(classroom))
    assert page["feedback"]["answered"] is False


def test_extra_questions_are_not_kept(server, classroom):
    round_id, ids = _round(classroom, server)
    answers = {**{q: 3 for q in ids}, "secret": 4, "name": 1, "__proto__": 2}
    status, page = call(server, "feedback", _body(classroom, round=round_id, answers=answers))
    assert status == 200 and page["feedback"]["answered"] is True
    with classroom.team.store.reading() as conn:
        kept = set(conn.exec_driver_sql("SELECT question FROM feedback_counts").scalars())
    assert kept == set(ids)


def test_two_guardians_of_one_family_answer_once(server, classroom):
    round_id, ids = _round(classroom, server)
    other = guardians.add_guardian(classroom.teacher, classroom.family_ids[0], "Parent 1b")
    second = guardians.issue_link(classroom.teacher, other)
    answers = {q: 2 for q in ids}
    assert call(server, "feedback", _body(classroom, round=round_id, answers=answers))[0] == 200
    again = {"code": second, "lang": "es", "round": round_id, "answers": answers}
    assert call(server, "feedback", again) == (400, {"error": es(SURVEY_DONE)})
    # at once, from threads: one answer still
    round_two = family_workshops.open_round(classroom.teacher, classroom.class_id, "Winter")
    results = []

    def send(code):
        body = {"code": code, "lang": "es", "round": round_two, "answers": answers}
        results.append(call(server, "feedback", body)[0])

    threads = [threading.Thread(target=send, args=(c,)) for c in (_code(classroom), second) * 3]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == [200] + [400] * 5
    with classroom.team.store.reading() as conn:
        counted = conn.exec_driver_sql(
            "SELECT sum(families) FROM feedback_counts WHERE round_id = ? GROUP BY question",
            (round_two,),
        ).scalars()
        receipts = conn.exec_driver_sql(
            "SELECT count(*) FROM feedback_receipts WHERE round_id = ?", (round_two,)
        ).scalar()
    assert set(counted) == {1} and receipts == 1


def test_feedback_after_the_round_closed_is_refused(server, classroom):
    round_id, ids = _round(classroom, server)
    family_workshops.close_round(classroom.teacher, round_id)
    body = _body(classroom, round=round_id, answers={q: 3 for q in ids})
    assert call(server, "feedback", body) == (400, {"error": es(SURVEY_CLOSED)})
    # a round closed by a new one opening: the old one refused too
    round_id, ids = _round(classroom, server)
    family_workshops.open_round(classroom.teacher, classroom.class_id, "Winter")
    body = _body(classroom, round=round_id, answers={q: 3 for q in ids})
    assert call(server, "feedback", body) == (400, {"error": es(SURVEY_CLOSED)})


def test_feedback_keeps_counts_only_nothing_to_match_with_a_family(server, classroom):
    """Answers are added to the round's counts: no row per family, so no order (a table
    keeps its rows as they came) can match an answer with a receipt."""
    round_id, ids = _round(classroom, server)
    for index in range(6):  # each family answers with its own level
        answers = {q: 1 + index % 4 for q in ids}
        body = _body(classroom, index, round=round_id, answers=answers)
        assert call(server, "feedback", body)[0] == 200
    with classroom.team.store.reading() as conn:
        rows = conn.exec_driver_sql(
            "SELECT level, families FROM feedback_counts WHERE question = ? ORDER BY id",
            (ids[0],),
        ).all()
    assert sorted(rows) == [(1, 2), (2, 2), (3, 1), (4, 1)]  # six families, four rows


# --- goals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,typed",
    [
        ("target", "1e309"),
        ("target", "NaN"),
        ("target", "Infinity"),
        ("target", "100.0000001"),
        ("target", "-5"),
        ("target", "eighty"),
        ("target", "0x50"),
        ("target", "８０\u0000"),
        ("times", "1e309"),
        ("times", "4.5"),
        ("times", "0"),
        ("times", "15"),
        ("times", "-0"),
        ("times", "NaN"),
        ("times", "9" * 400),
        ("by", "2026-02-30"),
        ("by", "9999-12-31"),
        ("by", "0001-01-01"),
        ("by", "2026-10-15"),
        ("by", "tomorrow"),
        ("by", "2027-06-01"),
        ("practice", ""),
        ("practice", "read"),
        ("practice", "   \n\t  "),
    ],
)
def test_a_goal_with_a_bad_value_saves_nothing(server, classroom, field, typed):
    status, page = call(server, "goal", {**_goal(classroom, **{field: typed}), "lang": "es"})
    assert status == 200, page
    problems = page["problems"]
    assert list(problems) == [{"times": "times_per_week", "by": "by_date"}.get(field, field)]
    assert not any(_english_only(p) for p in problems.values()), problems
    assert page["meetings"][0]["goal"] is None
    assert class_meetings.goals(classroom.teacher, classroom.class_id) == []


def test_a_goal_of_a_child_without_a_result_takes_a_real_target(server, classroom):
    """Tom has no result: "-0" is not a goal to show as "-0 %"."""
    status, page = call(server, "page", _body(classroom, 5))
    assert page["child"] == "Tom B."
    body = {**_goal(classroom, 5, target="-0"), "lang": "es"}
    status, page = call(server, "goal", body)
    goal = page["meetings"][0]["goal"]
    assert "problems" in page or (goal["target"] == 0 and "-0" not in goal["text"]), page


def test_two_guardians_saving_at_once_never_overwrite_unseen(server, classroom):
    other = guardians.add_guardian(classroom.teacher, classroom.family_ids[0], "Parent 1b")
    second = guardians.issue_link(classroom.teacher, other)
    codes = [_code(classroom), second] * 4
    results = []

    def save(i, code):
        body = {**_goal(classroom), "code": code, "practice": f"Practice number {i} at home"}
        results.append((i, *call(server, "goal", body)))

    threads = [threading.Thread(target=save, args=(i, c)) for i, c in enumerate(codes)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    saved = [i for i, status, _ in results if status == 200]
    refused = [answer for _, status, answer in results if status != 200]
    assert len(saved) == 1 and len(refused) == len(codes) - 1
    assert all(a == {"error": GOAL_CHANGED} for a in refused), refused
    ((goal, _),) = class_meetings.goals(classroom.teacher, classroom.class_id)
    assert goal.version == 1 and goal.practice == f"Practice number {saved[0]} at home"


def test_a_stale_version_is_refused_even_when_higher(server, classroom):
    assert call(server, "goal", _goal(classroom))[0] == 200
    for version in (None, 0, 2, 99):
        body = {**_goal(classroom, practice="Count coins at the shop"), "version": version}
        assert call(server, "goal", {**body, "lang": "es"}) == (400, {"error": es(GOAL_CHANGED)})
    body = {**_goal(classroom, practice="Count coins at the shop"), "version": -1, "lang": "es"}
    assert call(server, "goal", body) == (400, {"error": es(light.UNREADABLE)})
    ((goal, _),) = class_meetings.goals(classroom.teacher, classroom.class_id)
    assert goal.practice == "Read together for 15 minutes" and goal.version == 1


# --- conference times ----------------------------------------------------------------------------


def test_a_past_slot_cannot_be_taken(server, classroom):
    (past,) = _slots(classroom, day=TODAY - dt.timedelta(days=1), count=1)
    assert call(server, "slot", _body(classroom, slot=past.id)) == (400, {"error": es(NO_SLOT)})
    assert all(s["id"] != past.id for s in call(server, "page", _body(classroom))[1]["slots"])


def test_a_family_holds_one_time_of_a_kind(server, classroom):
    slots = _slots(classroom, count=3)
    for slot in slots:
        assert call(server, "slot", _body(classroom, slot=slot.id))[0] == 200
    mine = [s.id for s in conferences.slots(classroom.teacher, classroom.class_id) if s.family_id]
    assert mine == [slots[-1].id]
    # two guardians of the family choosing two times at once: still one
    other = guardians.add_guardian(classroom.teacher, classroom.family_ids[0], "Parent 1b")
    second = guardians.issue_link(classroom.teacher, other)
    threads = [
        threading.Thread(
            target=call, args=(server, "slot", {"code": code, "slot": slot.id, "lang": "es"})
        )
        for code, slot in ((_code(classroom), slots[0]), (second, slots[1])) * 2
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    held = [s for s in conferences.slots(classroom.teacher, classroom.class_id) if s.family_id]
    assert len(held) == 1


# A conference time that has happened stays on record: a family's "unslot" from the
# browser's console leaves it (choosing a past time is refused too).
def test_a_past_conference_cannot_be_cancelled_by_the_family(server, classroom):
    (slot,) = _slots(classroom, day=TODAY + dt.timedelta(days=1), count=1)
    assert call(server, "slot", _body(classroom, slot=slot.id))[0] == 200
    clock.get_clock().advance(days=3)
    call(server, "unslot", _body(classroom, slot=slot.id))
    (after,) = conferences.slots(classroom.teacher, classroom.class_id)
    assert after.family_id == classroom.family_ids[0]


# A workshop that has taken place takes no sign-up (nor a sign-up taken back) from the
# browser's console; the page lists only coming ones.
def test_a_past_workshop_takes_no_sign_up(server, classroom):
    workshop = family_workshops.add_workshop(
        classroom.teacher,
        classroom.class_id,
        {"en": "Reading at home"},
        TODAY - dt.timedelta(days=2),
        "17:30",
        "Library",
    )
    status, answer = call(server, "signup", _body(classroom, workshop=workshop, coming=True))
    assert (status, answer) == (400, {"error": es(NO_WORKSHOP)})


# --- the family's page holds nothing of anyone else ------------------------------------------

SECRETS = (
    "Chidi",
    "Okafor",
    "Lena",
    "Omar",
    "Haddad",
    "Iris",
    "Berg",
    "Rivera",  # Maya's full name: the page shows her display name only
    "CONTACT-7f3a",
    "NOTE-c91e",
    "AGREEMENT-OTHER-4b2d",
    "GOAL-OTHER-8e1f",
    "GUARDIAN-NAME-5d0c",
    "Zebulon",
    "Quartermaine",
    "Xanthe",
    "Other night",
    "Other workshop",
    "Other round",
    "Unit 3 check",  # the assessment's name is the team's
)


def test_no_route_answers_with_another_familys_data_after_a_busy_class(server, classroom):
    teacher = classroom.teacher
    other = _other_class(classroom)
    roster = classes.roster(teacher, classroom.class_id)
    pseudonyms = [s.pseudonym for s in roster]
    keys = [s.key for s in roster]
    for fam in classroom.family_ids:
        guardians.set_contact(teacher, fam, f"CONTACT-7f3a {fam} 555-0100")
    guardians.add_guardian(teacher, classroom.family_ids[0], "GUARDIAN-NAME-5d0c")
    guardians.add_guardian(teacher, classroom.family_ids[1], "GUARDIAN-NAME-5d0c")
    slots = _slots(classroom, count=4)
    # Chidi's family: a time with notes and an agreement; a goal; a sign-up; feedback
    chidi = classroom.family_ids[1]
    conferences.assign(teacher, slots[0].id, chidi)
    conferences.set_notes(teacher, slots[0].id, "NOTE-c91e reads below level")
    conferences.add_agreement(teacher, slots[0].id, "AGREEMENT-OTHER-4b2d", "family")
    body = {**_goal(classroom, 1, practice="GOAL-OTHER-8e1f read nightly together")}
    assert call(server, "goal", body)[0] == 200
    # Maya's own: a time with notes, an agreement, a goal
    conferences.assign(teacher, slots[1].id, classroom.family_ids[0])
    conferences.set_notes(teacher, slots[1].id, "NOTE-c91e about Maya")
    conferences.add_agreement(teacher, slots[1].id, "Read with Maya", "family")
    workshop = family_workshops.add_workshop(
        teacher, classroom.class_id, {"en": "Fractions at home"}, MEETING_DAY, "17:30", "Room 12"
    )
    signup = {"code": _code(classroom, 1), "workshop": workshop, "coming": True}
    assert call(server, "signup", signup)[0] == 200
    round_id = family_workshops.open_round(teacher, classroom.class_id, "Autumn")
    questions = call(server, "page", {"code": _code(classroom, 1)})[1]["feedback"]["questions"]
    answers = {q["id"]: 4 for q in questions}
    feedback = {"code": _code(classroom, 1), "round": round_id, "answers": answers}
    assert call(server, "feedback", feedback)[0] == 200
    for index in (2, 3):
        call(server, "slot", {"code": _code(classroom, index), "slot": slots[2 + index - 2].id})

    own_ids = {classroom.meeting_id, workshop, round_id} | {s.id for s in slots}
    answers_seen = []
    for lang in ("en", "es"):
        base = {"code": _code(classroom), "lang": lang}
        answers_seen += [
            call(server, "open", base),
            call(server, "page", base),
            call(server, "goal", {**_goal(classroom), "lang": lang}),
            call(server, "goal", {**_goal(classroom, target="1"), "lang": lang}),
            call(server, "slot", {**base, "slot": slots[3].id}),
            call(server, "unslot", {**base, "slot": slots[3].id}),
            call(server, "signup", {**base, "workshop": workshop, "coming": False}),
            call(server, "feedback", {**base, "round": round_id, "answers": answers}),
            call(server, "feedback", {**base, "round": other["round"], "answers": answers}),
            call(server, "slot", {**base, "slot": other["slot"]}),
        ]
    for status, answer in answers_seen:
        text = json.dumps(answer, ensure_ascii=False)
        for secret in (*SECRETS, *pseudonyms, *keys):
            assert secret not in text, (secret, status, text[:300])
        # no id but this class's meeting, times, workshop and round
        for key, value in _pairs(answer):
            if key in ("id", "round") and isinstance(value, int):
                assert value in own_ids, (key, value)
        # the other families' results never appear as percents
        for percent in ("55", "72", "90"):
            assert not re.search(rf"\b{percent}\s?%", text), percent
    status, page = answers_seen[1]
    assert [s["mine"] for s in page["slots"]].count(True) == 1
    assert page["agreements"] == [
        {"text": "Read with Maya", "owner": page["agreements"][0]["owner"], "done": False}
    ]


def _pairs(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _pairs(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _pairs(v, key)
    else:
        yield key, node


# --- wrong-code limits ----------------------------------------------------------------------


def test_many_wrong_codes_from_one_address_then_the_right_code_opens(classroom):
    store = classroom.team.store
    limit = api.FAMILY_LIMIT
    for i in range(limit.per_address + 5):
        with pytest.raises(FamilyRefused) as refused:
            family_page.sign_in(store, f"WRONG{i:07d}", "10.1.1.1", limit)
    assert refused.value.message == TOO_MANY
    session = family_page.sign_in(store, _code(classroom), "10.1.1.1", limit)
    assert session.family_id == classroom.family_ids[0]
    # another family at the same school router also opens
    assert (
        family_page.sign_in(store, _code(classroom, 1), "10.1.1.1", limit).family_id
        == (classroom.family_ids[1])
    )


def test_one_code_tried_from_many_addresses_is_stopped(classroom):
    store = classroom.team.store
    limit = api.FAMILY_LIMIT
    guess = "GUESS2345678"
    said = []
    for i in range(limit.per_code + 3):
        with pytest.raises(FamilyRefused) as refused:
            family_page.sign_in(store, guess, f"203.0.113.{i}", limit)
        said.append(refused.value.message)
    assert said[: limit.per_code] == [WRONG_LINK] * limit.per_code
    assert said[limit.per_code :] == [TOO_MANY] * 3
    # spelled otherwise, the same code: still stopped
    with pytest.raises(FamilyRefused) as refused:
        family_page.sign_in(store, "guess-2345-678", "198.51.100.9", limit)
    assert refused.value.message == TOO_MANY
    # the right codes still open, from anywhere
    assert family_page.sign_in(store, _code(classroom), "203.0.113.1", limit)


def test_ipv6_addresses_of_one_household_count_as_one(classroom):
    store = classroom.team.store
    for i in range(LIMIT.per_address):
        with pytest.raises(FamilyRefused):
            family_page.sign_in(store, f"WRONG{i:07d}", f"2001:db8::{i + 1:x}", LIMIT)
    with pytest.raises(FamilyRefused) as refused:
        family_page.sign_in(store, "WRONGLAST234", "2001:db8::ffff:1", LIMIT)
    assert refused.value.message == TOO_MANY


def test_the_too_many_refusal_is_in_spanish_through_the_api(server, classroom):
    for i in range(api.FAMILY_TRIES):
        assert call(server, "open", {"code": f"WRONG{i:07d}", "lang": "es"})[0] == 403
    assert call(server, "open", {"code": "WRONGLAST234", "lang": "es"}) == (
        403,
        {"error": es(TOO_MANY)},
    )
    assert call(server, "open", {"code": _code(classroom), "lang": "es"})[0] == 200


# --- every refusal in Spanish, no internal detail ------------------------------------------------

INTERNAL = re.compile(
    r"Traceback|File \"|Error\b|Exception|sqlalchemy|sqlite|psycopg|SELECT|INSERT|"
    r"UPDATE|\.py\b|line \d+|\bNone\b|<class|Too many wrong",
    re.I,
)


def test_every_refusal_reads_in_spanish_with_no_internal_detail(server, classroom):
    code = _code(classroom)
    round_id = family_workshops.open_round(classroom.teacher, classroom.class_id, "Autumn")
    (slot,) = _slots(classroom, count=1)
    call(server, "slot", _body(classroom, 1, slot=slot.id))
    refusals = [
        call(server, "open", {"code": "NOPE23456789"}, lang="es"),
        call(server, "open", raw=b"{", lang="es"),
        call(server, "open", raw=b'{"a":' * 5000, lang="es"),
        call(server, "goal", raw=json.dumps({"x": "y" * 9000}).encode(), lang="es"),
        call(server, "goal", {**_goal(classroom), "lang": "es", "meeting": 999}),
        call(server, "slot", {"code": code, "lang": "es", "slot": slot.id}),
        call(server, "slot", {"code": code, "lang": "es", "slot": 999}),
        call(server, "signup", {"code": code, "lang": "es", "workshop": 999, "coming": True}),
        call(server, "feedback", {"code": code, "lang": "es", "round": round_id, "answers": {}}),
        call(server, "feedback", {"code": code, "lang": "es", "round": 999, "answers": {}}),
        call(server, "goal", {"code": code, "lang": "es"}),
        call(server, "page", None, lang="es", method="GET"),
        call(server, "page", {"code": code}, lang="es", method="PUT"),
    ]
    for status, answer in refusals:
        assert status >= 400, answer
        assert isinstance(answer, dict) and set(answer) <= {"error", "gone"}, (status, answer)
        assert not INTERNAL.search(answer["error"]), answer
        assert not _english_only(answer["error"]), answer


def test_goal_problems_read_in_spanish(server, classroom):
    body = {**_goal(classroom, practice="", times="x", target="y", by="z"), "lang": "es"}
    status, page = call(server, "goal", body)
    assert status == 200 and len(page["problems"]) == 4
    for message in page["problems"].values():
        assert not _english_only(message) and not INTERNAL.search(message), message
    body = {**_goal(classroom, practice="x " * 300, times="99", by="2026-10-01"), "lang": "es"}
    for message in call(server, "goal", body)[1]["problems"].values():
        assert not _english_only(message), message


def test_every_family_text_has_a_spanish_translation():
    english = [
        CHANGED,
        ENDED,
        GOAL_CHANGED,
        NO_MEETING,
        NO_SLOT,
        NO_WORKSHOP,
        SLOT_TAKEN,
        SURVEY_CLOSED,
        SURVEY_DONE,
        SURVEY_INCOMPLETE,
        TOO_MANY,
        WRONG_LINK,
        api.TOO_LONG,
        api.UNAVAILABLE,
        light.UNEXPECTED,
        light.UNREADABLE,
        light.NEEDS_TOKEN,
    ]
    for message in english:
        assert es(message) != message, message
    for key, message in texts.PAGE.items():
        if message not in ("{minutes} min",):  # the same words in both
            assert es(message) != message, key


def test_a_session_of_a_removed_family_reads_nothing(classroom):
    """The child taken off the class: their family, its links and its page go with them."""
    session = classroom.sign_in(0)
    classes.remove_student(classroom.teacher, classroom.class_id, classroom.roster[0].id)
    with pytest.raises(FamilyRefused):
        family_page.page(classroom.team.store, session)
    with pytest.raises(FamilyRefused):
        classroom.sign_in(0)


def test_dataclass_limit_is_what_the_docs_say():
    assert (api.FAMILY_LIMIT.per_address, api.FAMILY_LIMIT.per_code) == (30, 10)
    assert api.FAMILY_LIMIT.window == dt.timedelta(minutes=10)
    assert dataclasses.is_dataclass(api.FAMILY_LIMIT)


# A meeting's goal is written until the meeting's day is over (the page removes its form
# then; the server refuses a call from the console too): a family cannot lower its target
# after the next meeting's results to turn "closer" into "reached".
def test_a_goal_cannot_be_rewritten_after_its_meeting(server, classroom):
    assert call(server, "goal", _goal(classroom))[0] == 200  # 80, Maya at 35 now
    later = prepare(
        classroom.teacher,
        classroom.class_id,
        classroom.roster,
        [60.0, 55.0, 72.0, 90.0, 100.0, None],
        title="Winter night",
        day=dt.date(2026, 12, 10),
    )
    clock.get_clock().advance(days=57)  # 2026-12-11: the next meeting has read the goal
    status, page = call(server, "page", _body(classroom))
    (first,) = [m for m in page["meetings"] if m["id"] == classroom.meeting_id]
    assert later and first["past"] and first["goal"]["target"] == 80
    assert first["progress"] == es(texts.PROGRESS["closer"], start="35\u00a0%", latest="60\u00a0%")
    lowered = {**_goal(classroom, target="50", by="2027-01-31"), "version": 1, "lang": "es"}
    call(server, "goal", lowered)
    ((goal, progress),) = class_meetings.goals(classroom.teacher, classroom.class_id)
    assert (goal.target, goal.version) == (80, 1), (goal, progress)
