"""The students' light page and store attacked as a student, a curious classmate, a parent
holding a card and an outsider would: odd codes, guessing through every route, locking a
room out, forged ratings and survey answers, what any answer (errors included) says about
anyone else, what released feedback lets a teammate work out once groups change, what a
team member who is not the class's teacher (or a coach) can change, and what deleting a
class leaves behind."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from collab_widgets.core import codes
from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.light import handlers as light
from collab_widgets.core.light.tokens import digest
from collab_widgets.students import api
from collab_widgets.students import evaluation as evaluation_rules
from collab_widgets.students import tables as s
from collab_widgets.students.api import CARD_TRIES, STUDENT_TRIES, StudentService
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings
from collab_widgets.students.store.student import CHANGED, CLOSED, WRONG_CODES
from tests.unit.store_helpers import EVIL, all_rows, other_team
from tests.unit.students.test_api import DIMENSIONS, Klass, make_class
from tests.unit.workshops.test_api import ApiServer


@pytest.fixture
def server(team):
    running = ApiServer(StudentService(db_url=team.store.url))
    yield running
    running.stop()


def call_from(server: ApiServer, action: str, body, headers: dict[str, str]):
    """``server.call`` with extra request headers."""
    request = urllib.request.Request(
        f"{server.base}students/api/{action}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def wrong_codes(team) -> list[tuple[str, str]]:
    with team.store.reading() as conn:
        return [
            (r.network, r.code_hash)
            for r in conn.execute(sa.select(t.wrong_codes.c.network, t.wrong_codes.c.code_hash))
        ]


def full_ratings(klass: Klass, rater: int, level: int | dict = 4) -> list[dict]:
    return [
        {
            "ratee": ratee,
            "dimension": dimension,
            "level": level if isinstance(level, int) else level[ratee],
        }
        for ratee in klass.group_of(rater)
        for dimension in DIMENSIONS
    ]


def big_class(team, size: int, name: str = "Big room"):
    """A class of ``size`` students with cards; (class id, class code, {id: card})."""
    teacher = team.member(0)
    class_id = classes.create_class(teacher, name)
    classes.add_students(
        teacher, class_id, [StudentRow(f"K{n:03d}", f"Kid {n}", f"Kid {n}") for n in range(size)]
    )
    cards = classes.issue_student_codes(teacher, class_id)
    return class_id, classes.class_info(teacher, class_id).code, cards


# --- codes in odd forms ---------------------------------------------------------------------


def test_codes_that_are_not_text_are_unreadable_and_count_nothing(server, team):
    klass = make_class(team, 3, 1)
    maya = klass.groups[0][0]
    for action in ("join", "page", "survey", "rate"):
        for odd in (
            [klass.code],
            {"code": klass.code},
            123456,
            12.5,
            True,
            None,
            "\ud800" + klass.code,  # half a surrogate pair: no database holds it
        ):
            for body in (
                {"class": odd, "card": klass.cards[maya]},
                {**klass.codes_of(maya), "card": odd},
            ):
                status, answer = server.call(action, {**body, "evaluation": 1})
                assert (status, answer) == (400, {"error": light.UNREADABLE}), (action, odd)
    assert wrong_codes(team) == []


def test_look_alike_and_padded_codes(server, team):
    klass = make_class(team, 3, 1)
    maya = klass.groups[0][0]
    card = klass.cards[maya]
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in card)  # ＡＢＣ… look the same
    cyrillic = card.translate(str.maketrans("ABCEHKMPTX", "АВСЕНКМРТХ"))
    for look_alike in (fullwidth, cyrillic, card + "2", card[:-1]):
        if look_alike == card:
            continue
        body = {"class": klass.code, "card": look_alike}
        assert server.call("join", body) == (403, {"error": WRONG_CODES}), look_alike
    # what typing forgives (case, spaces, dashes, invisible characters) still opens
    forgiven = "\u200b " + codes.display(card).lower().replace("-", "\x00 - ") + "\t"
    assert server.call("join", {"class": klass.code, "card": forgiven})[0] == 200
    # very long codes: refused as wrong codes, not as a failure of the server
    for long in ("A" * 60_000, card * 5_000):
        body = {"class": klass.code, "card": long}
        status, answer = server.call("join", body)
        assert (status, answer) in ((403, {"error": WRONG_CODES}), (413, {"error": api.TOO_LONG}))


# --- the wrong-code limits ------------------------------------------------------------------


def test_forwarded_headers_do_not_spread_one_address_over_many_networks(server, team):
    """The limits count the connection's address: X-Forwarded-For and the like are not
    believed (``collab serve`` does not trust them), so a guesser cannot claim a new
    network for every try."""
    klass = make_class(team, 3, 1)
    for n in range(STUDENT_TRIES):
        forged = {
            "X-Forwarded-For": f"10.{n}.0.1",
            "X-Real-Ip": f"10.{n}.0.2",
            "Forwarded": f"for=10.{n}.0.3",
        }
        body = {"class": klass.code, "card": f"WRONGCARD{n:02d}"}
        assert call_from(server, "join", body, forged) == (403, {"error": WRONG_CODES})
    status, refused = call_from(
        server, "join", {"class": klass.code, "card": "ONEMORE234"}, {"X-Forwarded-For": "9.9.9.9"}
    )
    assert status == 403 and refused["error"].startswith("Too many wrong codes from this network")
    assert {network for network, _ in wrong_codes(team)} == {"127.0.0.1"}


def test_a_classmate_typing_wrong_codes_cannot_lock_the_room_out(server, team, fixed_clock):
    """A whole room shares the school's address. One student typing wrong codes on purpose
    (or a room's typos behind a reverse proxy) reaches the network's count; the others'
    right codes must still open their pages. Guessing gains nothing from it: beyond the
    count every wrong code is refused unchecked, and a right pair (a class code and a
    ten-letter card, about 79 bits; 49 bits for a classmate who knows the class code) is
    not found by trying."""
    klass = make_class(team, 6, 2)
    for n in range(STUDENT_TRIES + 5):
        api_answer = server.call("join", {"class": klass.code, "card": f"PRANK{n:05d}"})
        assert api_answer[0] == 403
    assert api_answer[1]["error"].startswith("Too many wrong codes from this network")
    for sid in klass.cards:
        status, page = server.call("join", klass.codes_of(sid))
        assert status == 200, page
        assert server.call("page", klass.codes_of(sid))[0] == 200
    # the table holds no more than the limit counts
    assert len(wrong_codes(team)) == STUDENT_TRIES


def test_guessing_through_the_page_survey_and_rate_routes_is_counted(server, team, fixed_clock):
    """A card found in the corridor, and the class code guessed: the per-card limit must
    hold on every route, not only on ``join`` (``page`` is the page's poll)."""
    klass = make_class(team, 3, 1)
    maya = klass.groups[0][0]
    card = klass.cards[maya]
    routes = ["page", "survey", "rate"]
    for n in range(CARD_TRIES):
        body = {"class": f"GUES{n:02d}", "card": card, "evaluation": 1, "answers": {}}
        assert server.call(routes[n % 3], body) == (410, {"error": CHANGED, "gone": True})
    assert len(wrong_codes(team)) == CARD_TRIES
    # the right class code now: refused as well, on every route (a guesser learns nothing:
    # the page's routes answer as for a wrong code, signing in says why)
    status, refused = server.call("join", klass.codes_of(maya))
    assert status == 403 and refused["error"].startswith("Too many wrong tries of that code")
    for route in routes:
        body = {**klass.codes_of(maya), "evaluation": 1, "answers": {}}
        assert server.call(route, body) == (410, {"error": CHANGED, "gone": True}), route
    fixed_clock.advance(minutes=10)
    assert server.call("page", klass.codes_of(maya))[0] == 200


def test_a_new_class_code_with_a_room_of_open_pages_locks_nobody_out(server, team):
    """Thirty-five pages open when the teacher changes the class code: each page's next
    poll is refused (a wrong code, counted); then everyone types the new code."""
    class_id, code, cards = big_class(team, STUDENT_TRIES + 5)
    for card in cards.values():
        assert server.call("join", {"class": code, "card": card})[0] == 200
    fresh = classes.rotate_class_code(team.member(0), class_id)
    for card in cards.values():
        assert server.call("page", {"class": code, "card": card}) == (
            410,
            {"error": CHANGED, "gone": True},
        )
    for card in cards.values():
        status, page = server.call("join", {"class": fresh, "card": card})
        assert status == 200, page


# --- released feedback, and groups that change afterwards -----------------------------------


@pytest.fixture
def fives(team):
    """Ten students in two teams of five who all rated everyone fully (each rater a level
    of their own for each ratee), the feedback released: (klass, levels given)."""
    teacher = team.member(0)
    class_id, code, cards = big_class(team, 10, "Fives")
    ids = sorted(cards)
    groups = [ids[:5], ids[5:]]
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Teams of five",
        {},
        None,
        [Placement(sid, n + 1) for n, group in enumerate(groups) for sid in group],
    )
    evaluation_id = evaluations.open_evaluation(teacher, class_id, grouping_id, "Check")
    klass = Klass(
        team=team,
        teacher=teacher,
        class_id=class_id,
        code=code,
        cards=cards,
        people={},
        pseudonyms={},
        groups=groups,
        grouping_id=grouping_id,
        evaluation_id=evaluation_id,
    )
    given = {
        (rater, ratee): 1 + (rater * 7 + ratee * 3) % 5
        for group in groups
        for rater in group
        for ratee in group
    }
    return klass, given


def _rate_all(server, klass: Klass, given: dict) -> None:
    for rater in klass.cards:
        levels = {ratee: given[(rater, ratee)] for ratee in klass.group_of(rater)}
        body = {
            **klass.codes_of(rater),
            "evaluation": klass.evaluation_id,
            "ratings": full_ratings(klass, rater, levels),
        }
        assert server.call("rate", body)[0] == 200


def test_moving_a_teammate_after_the_release_shows_no_one_what_they_gave(server, fives):
    """A student who reads their teammates' average from four teammates, and again from
    three once the teacher moved one away, has four times the one minus three times the
    other: what the moved teammate gave them. Groups rated in stay as they were."""
    klass, given = fives
    _rate_all(server, klass, given)
    evaluations.release(klass.teacher, klass.evaluation_id)
    first, moved = klass.groups[0][0], klass.groups[0][4]
    before = server.call("page", klass.codes_of(first))[1]["feedback"]
    assert before["teammates"] is not None
    placements = [
        Placement(sid, 2 if sid == moved else (1 if sid in klass.groups[0] else 2))
        for sid in klass.cards
    ]
    with pytest.raises(InvalidInput, match="make new groups"):
        groupings.update(klass.teacher, klass.grouping_id, placements, None)
    # nor after taking the feedback back, to release it again afterwards
    evaluations.release(klass.teacher, klass.evaluation_id, released=False)
    with pytest.raises(InvalidInput, match="make new groups"):
        groupings.update(klass.teacher, klass.grouping_id, placements, None)
    evaluations.release(klass.teacher, klass.evaluation_id)
    assert server.call("page", klass.codes_of(first))[1]["feedback"] == before


def test_a_teammate_removed_after_the_release_takes_the_feedback_back(server, fives):
    """The same with a teammate taken off the class (their ratings are deleted with
    them): the feedback their teammates read is taken back, not worked out again."""
    klass, given = fives
    _rate_all(server, klass, given)
    evaluations.release(klass.teacher, klass.evaluation_id)
    first, leaving = klass.groups[0][0], klass.groups[0][4]
    other_team_member = klass.groups[1][0]
    assert server.call("page", klass.codes_of(first))[1]["feedback"]["teammates"] is not None
    classes.remove_student(klass.teacher, klass.class_id, leaving)
    for sid in (first, other_team_member):
        page = server.call("page", klass.codes_of(sid))[1]
        assert page["feedback"] is None and page["evaluation"] is None
    (info,) = evaluations.evaluations(klass.teacher, klass.class_id)
    assert info.released_at is None and info.closed_at is not None
    summaries = [e.summary for e in activity.entries(klass.teacher)]
    assert any("took back the feedback" in line and "left the class" in line for line in summaries)
    # and for good: released again, it would show the figures without them
    with pytest.raises(InvalidInput, match="taken back for good"):
        evaluations.release(klass.teacher, klass.evaluation_id)
    assert server.call("page", klass.codes_of(first))[1]["feedback"] is None


def test_taking_feedback_back_then_removing_a_teammate_cannot_release_it_again(server, fives):
    """Taken back first (by the teacher), then a teammate leaves: released again, the
    figures would lack exactly what the leaver gave."""
    klass, given = fives
    _rate_all(server, klass, given)
    evaluations.release(klass.teacher, klass.evaluation_id)
    evaluations.release(klass.teacher, klass.evaluation_id, released=False)
    classes.remove_student(klass.teacher, klass.class_id, klass.groups[0][4])
    with pytest.raises(InvalidInput, match="taken back for good"):
        evaluations.release(klass.teacher, klass.evaluation_id)
    (info,) = evaluations.evaluations(klass.teacher, klass.class_id)
    assert not info.may_release


def test_a_teamwork_file_changed_during_a_check_changes_no_ones_figures(
    server, fives, tmp_path, monkeypatch
):
    """The questions are those the check opened with: a teacher's file that drops one
    later changes neither the questions students answer nor which ratings count."""
    klass, given = fives
    _rate_all(server, klass, given)
    evaluations.release(klass.teacher, klass.evaluation_id)
    first = klass.groups[0][0]
    before = server.call("page", klass.codes_of(first))[1]
    shipped = Path(evaluation_rules.__file__).parent / "library" / "teamwork" / "teamwork.yaml"
    text = shipped.read_text(encoding="utf-8")
    start = text.index("\n  - id: know-how")  # the last question dropped
    kept = text[:start] + text[text.index("\nsource:") :]
    folder = tmp_path / "teamwork"
    folder.mkdir()
    (folder / "teamwork.yaml").write_text(kept, encoding="utf-8")
    monkeypatch.setenv(evaluation_rules.TEAMWORK_ENV, str(folder))
    assert len(evaluation_rules.load_dimensions()) == len(before["feedback"]["dimensions"]) - 1
    results = evaluations.results(klass.teacher, klass.evaluation_id)
    assert len(results[0].students[0].by_dimension) == len(before["feedback"]["dimensions"])


# --- forged ratings and survey answers, and what every answer says --------------------------


def test_forged_ratings_and_answers_are_refused_and_no_answer_says_anything_of_anyone_else(
    server, team
):
    """Maya's calls, each a forgery a curious student could send; every answer (errors
    too) is collected and searched for what Maya may not read."""
    eight = make_class(team, 8, 2)
    later = make_class(team, 2, 1, evaluate=True, name="8A History")  # another class
    outsider = other_team(team)
    far_id = classes.create_class(outsider, "Elsewhere 5C")
    classes.add_students(outsider, far_id, [StudentRow("F-1", "Farah Faraway", "Farah F.")])
    far_card = next(iter(classes.issue_student_codes(outsider, far_id).values()))
    far_student = classes.roster(outsider, far_id)[0].id
    maya, theo = eight.groups[0][0], eight.groups[1][0]
    stranger = next(iter(later.cards))
    classes.set_survey_open(eight.teacher, eight.class_id, True)
    heard: list[str] = []

    def send(action, status_wanted, **body):
        status, answer = server.call(action, {**eight.codes_of(maya), **body})
        heard.append(json.dumps(answer, ensure_ascii=False))
        assert status == status_wanted, (action, body, status, answer)
        return answer

    rate = {"evaluation": eight.evaluation_id}
    one = {"ratee": maya, "dimension": DIMENSIONS[0]}
    for level in (0, 6, -1, 10**20):
        send("rate", 400, **rate, ratings=[{**one, "level": level}])
    for level in ("5", True, 5.5, None, [5], {"level": 5}):
        assert send("rate", 400, **rate, ratings=[{**one, "level": level}]) == {
            "error": light.UNREADABLE
        }
    for dimension in ("charm", "", DIMENSIONS[0] + "\x00", DIMENSIONS[0].upper()):
        send("rate", 400, **rate, ratings=[{**one, "dimension": dimension, "level": 3}])
    send("rate", 400, **rate, ratings=[{**one, "dimension": 7, "level": 3}])
    for ratee in (theo, stranger, far_student, 999_999_999, -1, 10**30):
        send("rate", 400, **rate, ratings=[{**one, "ratee": ratee, "level": 3}])
        send("rate", 400, **rate, comments=[{"ratee": ratee, "text": "psst"}])
    # another class's evaluation, and an id that is no evaluation
    for evaluation in (later.evaluation_id, 2**31 - 1):
        assert send("rate", 400, evaluation=evaluation, ratings=[{**one, "level": 3}]) == {
            "error": CLOSED
        }
    for evaluation in (10**30, -1):  # no database holds such an id: refused unread
        assert send("rate", 400, evaluation=evaluation, ratings=[{**one, "level": 3}]) == {
            "error": light.UNREADABLE
        }
    # thousands of ratings in one body: one pair counted once
    many = [{**one, "level": 1 + n % 5} for n in range(900)]
    page = send("rate", 200, **rate, ratings=many)
    assert page["evaluation"]["ratings"] == [{**one, "level": 1 + 899 % 5}]
    # a comment of 100,000 characters; one with markup and control characters
    huge = {**rate, "comments": [{"ratee": maya, "text": "x" * 100_000}]}
    status, refused = server.call("rate", {**eight.codes_of(maya), **huge})
    assert (status, refused) == (413, {"error": api.TOO_LONG})
    marked = EVIL + "\x00\x1b[31m\u202e"
    page = send("rate", 200, **rate, comments=[{"ratee": maya, "text": marked}])
    # kept as text, as typed, without the control and direction-changing characters
    assert page["evaluation"]["comments"] == [{"ratee": maya, "text": EVIL + "[31m"}]
    # the survey: unknown questions, too many choices, huge arrays, nested values
    send("survey", 400, answers={"favourite": ["x"]})
    send(
        "survey",
        400,
        answers={
            "interests": [
                "Art and design",
                "Sports and health",
                "Science experiments",
                "Animals and nature",
            ]
        },
    )
    assert send("survey", 400, answers={"interests": [["Music"]]}) == {"error": light.UNREADABLE}
    page = send("survey", 200, answers={"interests": ["Sports and health"] * 2000})
    assert page["survey"]["answers"]["interests"] == ["Sports and health"]
    status, _ = server.call(
        "survey", {**eight.codes_of(maya), "answers": {"interests": ["Sports and health"] * 10_000}}
    )
    assert status == 413
    classes.set_survey_open(eight.teacher, eight.class_id, False)
    send("survey", 400, answers={"interests": ["Sports and health"]})
    # a newer check opened: the old id is stale; closed: nothing saved
    newer = evaluations.open_evaluation(eight.teacher, eight.class_id, eight.grouping_id, "Again")
    assert send("rate", 400, **rate, ratings=[{**one, "level": 3}]) == {"error": CLOSED}
    evaluations.close(eight.teacher, newer)
    assert send("rate", 400, evaluation=newer, ratings=[{**one, "level": 3}]) == {"error": CLOSED}
    # codes of others: another class's card, another team's card, a card alone
    for codes_given in (
        {"class": eight.code, "card": later.cards[stranger]},
        {"class": eight.code, "card": far_card},
        {"class": later.code, "card": eight.cards[maya]},
    ):
        for action in ("join", "page"):
            status, answer = server.call(action, codes_given)
            heard.append(json.dumps(answer, ensure_ascii=False))
            assert status in (403, 410)
    text = "\n".join(heard)
    mates = eight.group_of(maya)
    forbidden = [p.name for p in team.people] + ["Grade 4 Math", "Grade 5 Science", team.code]
    forbidden += ["8A History", "Elsewhere 5C", "Farah", "F-1"]
    for other in eight.cards:
        forbidden += eight.secrets_of(other)
        if other not in mates:
            forbidden.append(eight.people[other][0])
    forbidden += [later.secrets_of(sid)[-1] for sid in later.cards]  # their pseudonyms
    for secret in forbidden:
        assert secret not in text, secret
    # nothing of the forgeries was saved about anyone else
    with team.store.reading() as conn:
        ratees = set(conn.execute(sa.select(s.evaluation_ratings.c.ratee_id)).scalars())
        commented = set(conn.execute(sa.select(s.evaluation_comments.c.ratee_id)).scalars())
    assert ratees <= {maya} and commented <= {maya}


def test_a_student_card_reads_only_its_own_teams_names_in_a_class_of_many(server, team):
    """With another team's evaluation open in another class of the same teacher, and the
    same display name in two classes: names come from the student's own group only."""
    eight = make_class(team, 8, 2)
    maya = eight.groups[0][0]
    page = server.call("join", eight.codes_of(maya))[1]
    names = {mate["name"] for mate in page["evaluation"]["teammates"]}
    assert names == {eight.people[sid][0] for sid in eight.group_of(maya)}
    ids = {mate["id"] for mate in page["evaluation"]["teammates"]}
    assert ids == set(eight.group_of(maya))


# --- deleting a class, retention -------------------------------------------------------------


def _rows_about(team, klass: Klass) -> dict[str, int]:
    with team.store.reading() as conn:
        ids = list(klass.cards)
        counts = {
            "class_students": s.class_students.c.id.in_(ids),
            "student_survey_answers": s.student_survey_answers.c.student_id.in_(ids),
            "grouping_members": s.grouping_members.c.student_id.in_(ids),
            "evaluation_ratings": s.evaluation_ratings.c.rater_id.in_(ids),
            "evaluation_comments": s.evaluation_comments.c.rater_id.in_(ids),
            "groupings": s.groupings.c.class_id == klass.class_id,
            "evaluations": s.evaluations.c.class_id == klass.class_id,
            "classes": s.classes.c.id == klass.class_id,
            "wrong_codes": t.wrong_codes.c.code_hash.in_(
                [digest(codes.normalize(card)) for card in klass.cards.values()]
            ),
        }
        return {
            name: conn.execute(
                sa.select(sa.func.count())
                .select_from(t.wrong_codes if name == "wrong_codes" else getattr(s, name))
                .where(where)
            ).scalar_one()
            for name, where in counts.items()
        }


def _used(server, klass: Klass) -> None:
    """Survey answers, full ratings and comments from everyone; then the class code
    changes while their pages are open, so each page's next poll is a wrong code with the
    student's own card (its hash and the school's address, in the wrong codes)."""
    classes.set_survey_open(klass.teacher, klass.class_id, True)
    for sid in klass.cards:
        body = klass.codes_of(sid)
        assert (
            server.call("survey", {**body, "answers": {"interests": ["Art and design"]}})[0] == 200
        )
        rated = {
            **body,
            "evaluation": klass.evaluation_id,
            "ratings": full_ratings(klass, sid),
            "comments": [{"ratee": sid, "text": f"about me {sid}"}],
        }
        assert server.call("rate", rated)[0] == 200
    evaluations.release(klass.teacher, klass.evaluation_id)
    classes.rotate_class_code(klass.teacher, klass.class_id)
    for sid in klass.cards:
        assert server.call("page", klass.codes_of(sid))[0] == 410
        assert server.call("join", klass.codes_of(sid)) == (403, {"error": WRONG_CODES})


def test_deleting_a_class_leaves_nothing_about_its_students(server, team):
    gone = make_class(team, 6, 2)
    kept = make_class(team, 3, 1, name="Kept class")
    _used(server, gone)
    _used(server, kept)
    assert all(_rows_about(team, gone).values())
    classes.delete_class(gone.teacher, gone.class_id)
    assert _rows_about(team, gone) == dict.fromkeys(_rows_about(team, gone), 0)
    assert all(_rows_about(team, kept).values())  # another class is untouched
    # the activity record names no student of it
    everything = json.dumps(all_rows(team.store)["activity"], ensure_ascii=False)
    for sid in gone.cards:
        for secret in (*gone.secrets_of(sid), gone.people[sid][0], f"about me {sid}"):
            assert secret not in everything, secret


def test_removing_a_student_leaves_nothing_about_them(server, team):
    klass = make_class(team, 6, 2)
    _used(server, klass)
    leaving = klass.groups[0][1]
    classes.remove_student(klass.teacher, klass.class_id, leaving)
    with team.store.reading() as conn:
        text = json.dumps(all_rows(team.store), ensure_ascii=False)
        hashes = set(conn.execute(sa.select(t.wrong_codes.c.code_hash)).scalars())
    assert digest(codes.normalize(klass.cards[leaving])) not in hashes
    for secret in klass.secrets_of(leaving):
        assert secret not in text, secret
    assert f"about me {leaving}" not in text


def test_wrong_codes_do_not_outlive_the_time_they_are_counted(server, team, fixed_clock):
    """Each wrong code keeps a network address (and a hash of a code, often a real card
    with an old class code) for the minutes the limits count it; the page deleted old
    ones only when the next wrong code came, which may be never."""
    klass = make_class(team, 3, 1)
    for n in range(3):
        server.call("join", {"class": klass.code, "card": f"TYPO{n:06d}"})
    assert len(wrong_codes(team)) == 3
    fixed_clock.advance(minutes=9)
    classes.classes(klass.teacher)  # the teacher's list applies retention
    assert len(wrong_codes(team)) == 3  # still counted
    fixed_clock.advance(minutes=2)
    classes.classes(klass.teacher)
    assert wrong_codes(team) == []
    # and a server starting applies it too
    server.call("join", {"class": klass.code, "card": "TYPOTYPO22"})
    fixed_clock.advance(minutes=11)
    fresh = ApiServer(StudentService(db_url=team.store.url))
    try:
        assert fresh.call("join", klass.codes_of(klass.groups[0][0]))[0] == 200
        assert wrong_codes(team) == []
    finally:
        fresh.stop()


def test_a_class_past_its_last_day_opens_nothing_and_then_goes(server, team, fixed_clock):
    klass = make_class(team, 3, 1)
    maya = klass.groups[0][0]
    assert server.call("join", klass.codes_of(maya))[0] == 200
    info = classes.class_info(klass.teacher, klass.class_id)
    the_day_after = info.retain_until + dt.timedelta(days=1)
    fixed_clock.at = dt.datetime.combine(the_day_after, dt.time(9), dt.UTC)
    status, refused = server.call("join", klass.codes_of(maya))
    assert status == 403 and "ended" in refused["error"]
    for action in ("page", "survey", "rate"):
        status, refused = server.call(action, {**klass.codes_of(maya), "evaluation": 1})
        assert status == 410 and "ended" in refused["error"], action
    assert wrong_codes(team) == []  # right codes of an ended class are no wrong codes
    fixed_clock.advance(days=61)
    classes.classes(klass.teacher)
    assert all(v == 0 for v in _rows_about(team, klass).values())


# --- who may change a class through the store -----------------------------------------------


def test_no_one_but_the_classs_teacher_changes_anything_of_it(team):
    """Every store function that changes a class, its students, groups or checks, tried
    by a colleague, the coach, the coach acting for the teacher, a team-link visitor and
    a member of another team: refused, and nothing changed."""
    klass = make_class(team, 6, 2)
    teacher = klass.teacher
    spare = groupings.save(
        teacher,
        klass.class_id,
        "groups",
        "Spare",
        {},
        None,
        [Placement(sid, 1) for sid in klass.cards],
    )
    first = klass.groups[0][0]
    evaluation = klass.evaluation_id
    scopes = {
        "colleague": team.member(1),
        "coach": team.as_coach,
        "coach acting for the teacher": team.as_coach.as_member(team.people[0].id),
        "team link": team.store.open_team(team.code),
        "other team": other_team(team),
    }
    changes = {
        "display name": lambda sc: classes.set_display_name(sc, klass.class_id, first, "X"),
        "notes": lambda sc: classes.set_attributes(sc, klass.class_id, first, {"N": "x"}),
        "remove a student": lambda sc: classes.remove_student(sc, klass.class_id, first),
        "add students": lambda sc: classes.add_students(sc, klass.class_id, [StudentRow("Z9")]),
        "cards": lambda sc: classes.issue_student_codes(sc, klass.class_id),
        "class code": lambda sc: classes.rotate_class_code(sc, klass.class_id),
        "retention": lambda sc: classes.set_retention(
            sc, klass.class_id, sc.store.clock.today() + dt.timedelta(days=3)
        ),
        "survey": lambda sc: classes.set_survey_open(sc, klass.class_id, True),
        "delete the class": lambda sc: classes.delete_class(sc, klass.class_id),
        "save groups": lambda sc: groupings.save(
            sc, klass.class_id, "groups", "X", {}, None, [Placement(first, 1)]
        ),
        "move students": lambda sc: groupings.update(sc, spare, [Placement(first, 1)], None),
        "delete groups": lambda sc: groupings.delete(sc, spare),
        "open a check": lambda sc: evaluations.open_evaluation(
            sc, klass.class_id, klass.grouping_id, "X"
        ),
        "close the check": lambda sc: evaluations.close(sc, evaluation),
        "release": lambda sc: evaluations.release(sc, evaluation),
        "take back": lambda sc: evaluations.release(sc, evaluation, released=False),
        "delete the check": lambda sc: evaluations.delete(sc, evaluation),
        "read comments": lambda sc: evaluations.comments(sc, evaluation),
    }
    before = all_rows(team.store)
    for who, scope in scopes.items():
        for what, change in changes.items():
            with pytest.raises((AccessDenied, NotFound)):
                change(scope)
            after = all_rows(team.store)
            for table in [*(tb.name for tb in s.CLASS_TABLES), "activity"]:
                assert after[table] == before[table], (who, what, table)


# --- the page in a browser --------------------------------------------------------------------


@pytest.fixture
def chromium():
    """Debian's Chromium through Playwright, when both are here (the page's behaviour
    cannot be checked without running its script)."""
    from collab_widgets.core.serving.process import CHROMIUM, CHROMIUM_FLAGS

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


class Phone:
    """A student's page in its own browser context, watched: no request leaves the
    server, no dialog opens."""

    def __init__(self, chromium, server: ApiServer):
        self.context = chromium.new_context(viewport={"width": 390, "height": 844})
        self.page = self.context.new_page()
        self.server = server
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on(
            "request",
            lambda r: None if r.url.startswith(server.base) else self.outside.append(r.url),
        )

    def open(self, class_code: str, card: str = "") -> None:
        link = f"{self.server.base}students?class={class_code}"
        self.page.goto("about:blank")  # a new document, not a jump within the page
        self.page.goto(link + (f"#card={card}" if card else ""))
        self.page.wait_for_selector("body.collab-ready")

    def signed_in(self) -> bool:
        return self.page.locator("#mine").is_visible()

    def checked(self) -> list[str]:
        return self.page.evaluate(
            "[...document.querySelectorAll('#evaluation-people input:checked')]"
            ".map((r) => r.dataset.ratee + '|' + r.dataset.dimension + '=' + r.value)"
        )

    def note(self, which: str = "evaluation") -> str:
        return self.page.inner_text(f"#{which}-saved")

    def wait_note(self, which: str = "evaluation") -> str:
        """The note once the save ended (its button works again)."""
        self.page.wait_for_selector(f"#{which}-save:enabled")
        return self.note(which)

    def radio(self, ratee: int, dimension: str, level: int):
        return self.page.locator(
            f"#evaluation-people input[data-ratee='{ratee}'][data-dimension='{dimension}']"
            f"[value='{level}']"
        )

    def close(self) -> None:
        assert self.outside == [] and self.dialogs == []
        self.context.close()


def _saved_levels(team, rater: int) -> dict[tuple[int, str], int]:
    with team.store.reading() as conn:
        r = s.evaluation_ratings.c
        rows = conn.execute(sa.select(r.ratee_id, r.dimension, r.level).where(r.rater_id == rater))
        return {(row.ratee_id, row.dimension): row.level for row in rows}


def test_the_page_keeps_what_was_changed_while_a_save_was_under_way(chromium, server, team):
    """Save pressed, then another answer chosen before the server answered: the answer
    stays chosen and the page says it is not saved yet (it was put back to the saved
    level and the page said "Saved.")."""
    klass = make_class(team, 3, 1)
    maya, omar = klass.groups[0][0], klass.groups[0][1]
    classes.set_survey_open(klass.teacher, klass.class_id, True)
    phone = Phone(chromium, server)
    try:
        phone.open(klass.code, klass.cards[maya])
        assert phone.signed_in()
        phone.radio(maya, DIMENSIONS[0], 4).check()
        held = []
        phone.page.route("**/students/api/rate", lambda route: held.append(route))
        phone.page.click("#evaluation-save")
        while not held:
            phone.page.wait_for_timeout(50)
        phone.radio(omar, DIMENSIONS[1], 2).check()
        phone.page.fill("#evaluation-people textarea >> nth=1", "typed while saving")
        held[0].continue_()
        note = phone.wait_note()
        phone.page.unroute("**/students/api/rate")
        assert f"{omar}|{DIMENSIONS[1]}=2" in phone.checked()
        assert phone.page.input_value("#evaluation-people textarea >> nth=1") == (
            "typed while saving"
        )
        assert note != "Saved." and "not saved" in note.lower()
        assert _saved_levels(team, maya) == {(maya, DIMENSIONS[0]): 4}
        phone.page.click("#evaluation-save")
        assert phone.wait_note() == "Saved."
        assert _saved_levels(team, maya) == {(maya, DIMENSIONS[0]): 4, (omar, DIMENSIONS[1]): 2}
        # the survey alike
        boxes = phone.page.locator("#survey-questions input[type=checkbox]")
        boxes.nth(0).check()
        held.clear()
        phone.page.route("**/students/api/survey", lambda route: held.append(route))
        phone.page.click("#survey-save")
        while not held:
            phone.page.wait_for_timeout(50)
        boxes.nth(1).check()
        held[0].continue_()
        note = phone.wait_note("survey")
        assert boxes.nth(1).is_checked() and "not saved" in note.lower()
    finally:
        phone.close()


def test_a_save_the_server_never_got_says_so_and_works_once_it_is_back(chromium, server, team):
    """The server gone as Save is pressed: the page must not claim it will try again by
    itself (it tries its polls again, never a save); the answers stay in the form, and
    Save works once the server is back."""
    klass = make_class(team, 3, 1)
    maya, lena = klass.groups[0][0], klass.groups[0][2]
    phone = Phone(chromium, server)
    try:
        phone.open(klass.code, klass.cards[maya])
        phone.radio(lena, DIMENSIONS[2], 5).check()
        phone.page.route("**/students/api/rate", lambda route: route.abort("connectionrefused"))
        phone.page.click("#evaluation-save")
        note = phone.wait_note()
        assert note.startswith("Not saved") and "by itself" not in note
        assert "press Save again" in note
        phone.page.unroute("**/students/api/rate")
        assert f"{lena}|{DIMENSIONS[2]}=5" in phone.checked()
        phone.page.click("#evaluation-save")
        assert phone.wait_note() == "Saved."
        assert _saved_levels(team, maya) == {(lena, DIMENSIONS[2]): 5}
    finally:
        phone.close()


def test_the_codes_open_the_page_again_only_on_a_reload_moments_later(chromium, server, team):
    """A tab's sessionStorage comes back with the tab when a closed tab is reopened (and
    is copied into a duplicated tab): on a shared tablet the next student would be in as
    the one before. The codes are used again only by a reload of a page in use moments
    ago; the link opened again, or a reload long after, asks for the codes."""
    klass = make_class(team, 3, 1)
    maya = klass.groups[0][0]
    phone = Phone(chromium, server)
    try:
        phone.open(klass.code, klass.cards[maya])
        assert phone.signed_in() and "#card" not in phone.page.url
        assert phone.page.evaluate("localStorage.length") == 0
        assert phone.context.cookies() == []
        phone.page.reload()
        phone.page.wait_for_selector("body.collab-ready")
        phone.page.wait_for_selector("#mine:not([hidden])")
        # the class's link opened again in the tab (as a reopened tab opens it)
        phone.open(klass.code)
        assert not phone.signed_in()
        assert phone.page.input_value("#card-code") == ""
        assert phone.page.evaluate("sessionStorage.length") == 0
        # signed in again, then the page left alone for long: a reload asks again
        phone.open(klass.code, klass.cards[maya])
        assert phone.signed_in()
        phone.page.evaluate(
            "(() => { const kept = JSON.parse(sessionStorage.getItem('collab-students'));"
            " kept.at -= 3 * 60 * 1000;"
            " sessionStorage.setItem('collab-students', JSON.stringify(kept)); })()"
        )
        phone.page.reload()
        phone.page.wait_for_selector("body.collab-ready")
        assert not phone.signed_in()
        assert phone.page.evaluate("sessionStorage.length") == 0
    finally:
        phone.close()


def test_a_server_that_keeps_running_applies_retention_every_day(server, team, fixed_clock):
    """Retention was applied when the page's service first opened the store, then only
    when a teacher listed the classes: a server running through the summer kept every
    class past its time (its students refused, its rows all there)."""
    klass = make_class(team, 3, 1)
    kept = make_class(team, 2, 1, evaluate=False, name="Kept longer")
    classes.set_retention(
        kept.teacher, kept.class_id, fixed_clock.at.date() + dt.timedelta(days=390)
    )
    assert server.call("join", kept.codes_of(next(iter(kept.cards))))[0] == 200
    info = classes.class_info(klass.teacher, klass.class_id)
    fixed_clock.at = dt.datetime.combine(
        info.retain_until + dt.timedelta(days=61), dt.time(9), dt.UTC
    )
    assert server.call("join", kept.codes_of(next(iter(kept.cards))))[0] == 200
    assert all(v == 0 for v in _rows_about(team, klass).values())
    assert any(_rows_about(team, kept).values())


def test_names_comments_and_titles_with_markup_stay_text_on_the_page(chromium, server, team):
    klass = make_class(team, 3, 1, name="<b>7B</b> & <i>co</i>")
    maya, omar = klass.groups[0][0], klass.groups[0][1]
    evil_name = "<img src=x onerror=alert(1)>"
    classes.set_display_name(klass.teacher, klass.class_id, omar, evil_name)
    comment = {"ratee": omar, "text": EVIL}
    body = {**klass.codes_of(maya), "evaluation": klass.evaluation_id, "comments": [comment]}
    assert server.call("rate", body)[0] == 200
    phone = Phone(chromium, server)
    try:
        phone.open(klass.code, klass.cards[maya])
        text = phone.page.inner_text("#mine")
        assert evil_name in text and "<b>7B</b> & <i>co</i>" in text
        assert phone.page.locator("#mine img, #mine script, #mine b, #mine i").count() == 0
        boxes = phone.page.locator("#evaluation-people textarea")
        assert EVIL in [boxes.nth(n).input_value() for n in range(boxes.count())]
    finally:
        phone.close()  # no dialog opened


def test_another_cards_link_opened_in_the_same_tab_opens_that_card(chromium, server, team):
    """Only the part after "#" differs between two cards' links of a class: opened in a
    tab that shows Maya's page (pasted, or scanned into it), the page stayed Maya's, with
    Omar thinking it was his."""
    klass = make_class(team, 3, 1)
    maya, omar = klass.groups[0][0], klass.groups[0][1]
    phone = Phone(chromium, server)
    try:
        phone.open(klass.code, klass.cards[maya])
        assert phone.page.inner_text("#hello") == "Hi Maya R."
        phone.page.goto(f"{server.base}students?class={klass.code}#card={klass.cards[omar]}")
        for _ in range(50):
            if phone.page.inner_text("#hello") == "Hi Omar K.":
                break
            phone.page.wait_for_timeout(100)
        assert phone.page.inner_text("#hello") == "Hi Omar K."
        assert "#card" not in phone.page.url
        # the first person of the form ("You") is Omar now
        first = phone.page.locator("#evaluation-people .collab-progress").first
        assert first.get_attribute("data-person") == str(omar)
    finally:
        phone.close()
