"""The team peer- and self-evaluation: the teamwork file (shipped, its rules with file, line
and field, a coach's folder), what a student may submit, the teacher's results with each
flag's threshold, and the feedback a student sees, which nothing in lets a student work out
what one teammate gave."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import defaultdict

import pytest

from collab_widgets.core.data_files import DataFileError
from collab_widgets.core.errors import InvalidInput
from collab_widgets.students import evaluation
from collab_widgets.students.evaluation import (
    BETWEEN,
    FLAGS,
    GAP,
    LEVELS,
    LOW,
    MAX_COMMENT,
    MIN_RATERS_RELEASED,
    SPREAD,
    TEAMWORK_ENV,
    Dimension,
    Feedback,
    Rating,
    check_comment,
    check_ratings,
    feedback_for,
    load_dimensions,
    load_teamwork,
    parse_teamwork,
    results,
    team_results,
)

TEAMWORK = """\
title: Our teamwork
intro: Pick what fits.
dimensions:
  - id: helping
    name: Helping
    question: Did they help?
    self_question: Did I help?
    levels:
      5: Helps a lot.
      3: Helps some.
      1: Hardly helps.
  - id: listening
    name: Listening
    question: Did they listen?
    self_question: Did I listen?
    levels:
      5: Always listens.
      3: Mostly listens.
      1: Rarely listens.
source: Our own words.
"""


@pytest.fixture(autouse=True)
def no_coach_folder(monkeypatch):
    monkeypatch.delenv(TEAMWORK_ENV, raising=False)


def _changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _dim(key: str, name: str | None = None) -> Dimension:
    levels = {5: "high", 4: BETWEEN, 3: "middle", 2: BETWEEN, 1: "low"}
    return Dimension(key, name or key.title(), f"{key}?", levels, f"my {key}?")


X, Y = _dim("x"), _dim("y")
XY = (X, Y)


def _rate(rater: str, ratee: str, *levels: int, dims=XY) -> list[Rating]:
    """``rater``'s ratings of ``ratee``, one level per dimension in order."""
    return [Rating(rater, ratee, d.id, level) for d, level in zip(dims, levels, strict=False)]


def _student(result, student):
    return next(s for s in result.students if s.student == student)


# --- the teamwork file ----------------------------------------------------------------------


def test_the_shipped_teamwork_has_the_five_dimensions_in_order():
    teamwork = load_teamwork()
    assert [d.id for d in teamwork.dimensions] == [
        "contributing",
        "interacting",
        "on-track",
        "quality",
        "know-how",
    ]
    assert load_dimensions() == teamwork.dimensions
    for dimension in teamwork.dimensions:
        assert list(dimension.levels) == [5, 4, 3, 2, 1]
        assert dimension.levels[4] == dimension.levels[2] == BETWEEN
        assert all(len(dimension.levels[level]) <= 200 for level in (5, 3, 1))
        assert " they " in f" {dimension.question} " and " I " in f" {dimension.self_question} "
    for cited in ("Ohland", "Loughry", "11(4)", "info.catme.org"):
        assert cited in teamwork.source


def test_the_valid_example_parses():
    teamwork, problems = parse_teamwork(TEAMWORK, "ours.yaml")
    assert problems == []
    assert teamwork.title == "Our teamwork"
    helping, listening = teamwork.dimensions
    assert helping == Dimension(
        "helping",
        "Helping",
        "Did they help?",
        {5: "Helps a lot.", 4: BETWEEN, 3: "Helps some.", 2: BETWEEN, 1: "Hardly helps."},
        "Did I help?",
    )
    assert listening.id == "listening"


# (change to TEAMWORK, line, field, words of the message)
RULES = [
    (("title: Our", "titel: Our"), 1, "titel", "did you mean 'title'?"),
    (("intro: Pick what fits.\n", ""), 1, "", "field 'intro' is missing"),
    (("source: Our own words.", "source: 1999"), 20, "source", "not a number"),
    (("dimensions:\n", "dimensions: two\nold:\n"), 3, "dimensions", "must be a list"),
    (("  - id: listening", "  - id: helping"), 12, "dimensions[1].id", "used by an earlier"),
    (("  - id: listening", "  - id: Listening"), 12, "dimensions[1].id", "lower-case"),
    (("  - id: listening\n", "  - name: L\n"), 12, "dimensions[1]", "field 'id' is missing"),
    (("    name: Listening", "    name: helping"), 13, "dimensions[1].name", "an earlier one"),
    (("    name: Helping", "    name: " + "n" * 61), 5, "dimensions[0].name", "at most 60"),
    (("    question: Did they listen?\n", ""), 12, "dimensions[1]", "'question' is missing"),
    (("    self_question: Did I help?", "    self_q: Did I?"), 7, "dimensions[0].self_q", "'self"),
    (("      3: Helps some.", "      4: Helps some."), 10, "dimensions[0].levels[4]", "between"),
    (("      3: Helps some.", "      2: Helps some."), 10, "dimensions[0].levels[2]", "between"),
    (("      3: Helps some.", "      3:"), 10, "dimensions[0].levels[3]", "is empty"),
    (("      1: Hardly helps.", "      1: " + "h" * 241), 11, "dimensions[0].levels[1]", "240"),
    (("      3: Helps some.", "      high: Helps."), 10, "dimensions[0].levels.high", "not a"),
    (("      1: Hardly helps.\n", ""), 8, "dimensions[0].levels", "missing level 1"),
    (
        ("    levels:\n      5: Always", "    levels: all\n    old:\n      5: Always"),
        16,
        "dimensions[1].levels",
        "must hold the levels, not text",
    ),
    (
        ("  - id: helping\n", "  - helping\n  - id: helping\n"),
        4,
        "dimensions[0]",
        "a set of fields",
    ),
    (("title: Our teamwork\n", "title: A\ntitle: B\n"), 2, "title", "appears twice"),
]


@pytest.mark.parametrize(("change", "line", "field", "words"), RULES)
def test_each_mistake_names_the_file_line_and_field(change, line, field, words):
    teamwork, problems = parse_teamwork(_changed(TEAMWORK, *change), "ours.yaml")
    assert teamwork is None
    found = [p for p in problems if words in p.message]
    assert found, problems
    assert found[0].file == "ours.yaml"
    assert found[0].line == line, found[0]
    if field:
        assert found[0].field == field
    assert str(found[0]).startswith(f"ours.yaml, line {line}")


def test_a_coachs_folder_replaces_the_shipped_dimensions(tmp_path, monkeypatch):
    (tmp_path / "ours.yaml").write_text(TEAMWORK, encoding="utf-8")
    assert [d.id for d in load_dimensions(tmp_path)] == ["helping", "listening"]
    monkeypatch.setenv(TEAMWORK_ENV, str(tmp_path))
    assert [d.name for d in load_dimensions()] == ["Helping", "Listening"]


def test_a_mistake_in_the_coachs_file_stops_loading(tmp_path):
    broken = _changed(TEAMWORK, "      3: Helps some.", "      4: Helps some.")
    (tmp_path / "ours.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_dimensions(tmp_path)
    assert isinstance(raised.value, InvalidInput)
    message = str(raised.value)
    assert "ours.yaml, line 10, field 'dimensions[0].levels[4]'" in message
    assert "ours.yaml, line 8, field 'dimensions[0].levels': is missing level 3" in message


def test_exactly_one_set_of_dimensions_is_in_use(tmp_path):
    (tmp_path / "a.yaml").write_text(TEAMWORK, encoding="utf-8")
    (tmp_path / "b.yml").write_text(TEAMWORK, encoding="utf-8")
    with pytest.raises(DataFileError, match="Keep exactly one"):
        load_dimensions(tmp_path)
    (tmp_path / "b.yml").unlink()
    (tmp_path / "notes.txt").write_text("not a data file", encoding="utf-8")
    assert len(load_dimensions(tmp_path)) == 2
    with pytest.raises(DataFileError, match="does not exist"):
        load_dimensions(tmp_path / "missing")


# --- what a student submits -------------------------------------------------------------------


TEAM = ("s1", "s2", "s3")


def test_a_full_or_partial_form_is_accepted():
    full = {(ratee, d.id): 4 for ratee in TEAM for d in XY}
    check_ratings(TEAM, "s1", full, XY)
    check_ratings(TEAM, "s1", {("s2", "x"): 1}, XY)
    check_ratings(TEAM, "s1", {}, ["x", "y"])


@pytest.mark.parametrize(
    ("rater", "ratings", "words"),
    [
        ("s9", {("s2", "x"): 3}, "not in this one"),
        ("s1", {("s9", "x"): 3}, "members of your team"),
        ("s1", {("s2", "z"): 3}, "not part of this evaluation"),
        ("s1", {("s2", "x"): 0}, "from 1 to 5"),
        ("s1", {("s2", "x"): 6}, "from 1 to 5"),
        ("s1", {("s2", "x"): 3.5}, "from 1 to 5"),
        ("s1", {("s2", "x"): "4"}, "from 1 to 5"),
        ("s1", {("s2", "x"): True}, "from 1 to 5"),
        ("s1", {("s2", "x"): None}, "from 1 to 5"),
        ("s1", {"s2": 3}, "a teammate and a question"),
    ],
)
def test_ratings_that_are_refused(rater, ratings, words):
    with pytest.raises(InvalidInput, match=words):
        check_ratings(TEAM, rater, ratings, XY)


def test_comments_are_tidied_and_limited():
    assert check_comment(None) == ""
    assert check_comment("  Great job!\r\nThanks\x00 ") == "Great job!\nThanks"
    assert check_comment("x" * MAX_COMMENT) == "x" * MAX_COMMENT
    with pytest.raises(InvalidInput, match="at most 500"):
        check_comment("x" * (MAX_COMMENT + 1))
    with pytest.raises(InvalidInput, match="must be text"):
        check_comment(42)


# --- the teacher's results ---------------------------------------------------------------------


def test_a_teams_numbers():
    ratings = [
        *_rate("a", "a", 5, 4),
        *_rate("a", "b", 4, 4),
        *_rate("a", "c", 3),  # partial: one dimension
        *_rate("b", "a", 3, 3),
        *_rate("b", "b", 4, 4),
        *_rate("c", "a", 4, 4),
        *_rate("z", "a", 1, 1),  # not in the team: left out
    ]
    result = team_results("T", ["a", "b", "c"], ratings, XY)
    assert result.team == "T" and result.members == ("a", "b", "c")
    assert result.answered == 3
    a, b, c = result.students
    assert a.self_rating == 4.5
    assert a.teammates_mean == 3.5 and a.raters == 2
    assert a.gap == pytest.approx(1.0)
    assert a.by_dimension == {"x": (5.0, 3.5), "y": (4.0, 3.5)}
    assert b.teammates_mean == 4.0 and b.raters == 1 and b.gap == 0.0
    assert c.self_rating is None and c.teammates_mean == 3.0 and c.gap is None
    assert c.by_dimension == {"x": (None, 3.0), "y": (None, None)}
    assert result.team_mean == pytest.approx((3.5 + 4.0 + 3.0) / 3)


def test_each_teammate_counts_once_however_much_of_the_form_they_filled():
    ratings = [*_rate("b", "a", 5), *_rate("c", "a", 1, 1)]
    a = _student(team_results("T", ["a", "b", "c"], ratings, XY), "a")
    assert a.teammates_mean == 3.0  # (5 + 1) / 2, not (5 + 1 + 1) / 3


def test_without_dimensions_the_rated_ones_are_used_sorted():
    ratings = [Rating("b", "a", "y", 2), Rating("b", "a", "x", 4)]
    a = _student(team_results("T", ["a", "b"], ratings), "a")
    assert list(a.by_dimension) == ["x", "y"]
    old = _student(team_results("T", ["a", "b"], ratings, [X]), "a")
    assert list(old.by_dimension) == ["x"] and old.teammates_mean == 4.0


def test_results_for_every_team():
    teams = {"T1": ["a", "b"], "T2": ["c", "d"]}
    ratings = [*_rate("a", "b", 4, 4), *_rate("c", "d", 2, 2)]
    found = results(teams, iter(ratings), XY)
    assert [r.team for r in found] == ["T1", "T2"]
    assert found[0].team_mean == 4.0 and found[1].team_mean == 2.0


def test_every_flag_is_explained_with_its_threshold():
    assert set(FLAGS) == {
        "above_peers",
        "below_peers",
        "low_by_all",
        "identical",
        "disagree",
        "low_team",
    }
    assert "1 point" in FLAGS["above_peers"] and "2 teammates" in FLAGS["above_peers"]
    assert "below 3" in FLAGS["low_by_all"] and "2 points" in FLAGS["disagree"]
    assert (GAP, LOW, SPREAD) == (1.0, 3.0, 2.0)


def _flags(members, ratings, student=None):
    result = team_results("T", members, ratings, XY)
    return result.flags if student is None else _student(result, student).flags


ABC = ("a", "b", "c")


# (ratings, the student, flagged?)
STUDENT_CASES = {
    "above_peers": [
        ([*_rate("a", "a", 5, 5), *_rate("b", "a", 4, 4), *_rate("c", "a", 4, 4)], True),
        ([*_rate("a", "a", 4, 5), *_rate("b", "a", 3, 4), *_rate("c", "a", 3, 4)], True),
        ([*_rate("a", "a", 5, 5), *_rate("b", "a", 4, 5), *_rate("c", "a", 4, 4)], False),
        ([*_rate("a", "a", 5, 5), *_rate("b", "a", 2, 2)], False),  # one rater
    ],
    "below_peers": [
        ([*_rate("a", "a", 2, 2), *_rate("b", "a", 3, 3), *_rate("c", "a", 3, 3)], True),
        ([*_rate("a", "a", 2, 3), *_rate("b", "a", 3, 3), *_rate("c", "a", 3, 3)], False),
        ([*_rate("a", "a", 1, 1), *_rate("b", "a", 5, 5)], False),  # one rater
    ],
    "low_by_all": [
        ([*_rate("b", "a", 2, 3), *_rate("c", "a", 2, 2)], True),
        ([*_rate("b", "a", 2, 3), *_rate("c", "a", 3, 3)], False),  # one at 3
        ([*_rate("b", "a", 1, 1)], False),  # one rater
    ],
    "identical": [
        ([*_rate("a", "a", 4, 4), *_rate("a", "b", 4, 4), *_rate("a", "c", 4, 4)], True),
        ([*_rate("a", "b", 4, 4), *_rate("a", "c", 4, 4)], True),  # no self-rating
        ([*_rate("a", "a", 4, 4), *_rate("a", "b", 4, 4), *_rate("a", "c", 4, 3)], False),
        ([*_rate("a", "a", 3, 4), *_rate("a", "b", 4, 4), *_rate("a", "c", 4, 4)], False),
        ([*_rate("a", "a", 4, 4), *_rate("a", "b", 4, 4)], False),  # one teammate
    ],
}


@pytest.mark.parametrize(
    ("flag", "ratings", "flagged"),
    [
        (flag, ratings, flagged)
        for flag, cases in STUDENT_CASES.items()
        for ratings, flagged in cases
    ],
)
def test_each_students_flag_triggers_at_its_threshold_and_not_near_it(flag, ratings, flagged):
    assert (flag in _flags(ABC, ratings, "a")) is flagged


def _everyone(levels: dict[tuple[str, str], int]) -> list[Rating]:
    """One dimension ("x") each: levels[(rater, ratee)]."""
    return [Rating(r, x, "x", level) for (r, x), level in levels.items()]


def _team_of_three(received_by_c: tuple[int, int]):
    return _everyone(
        {
            ("b", "a"): 5,
            ("c", "a"): 3,
            ("a", "b"): 5,
            ("c", "b"): 3,
            ("a", "c"): received_by_c[0],
            ("b", "c"): received_by_c[1],
        }
    )


CLIQUE = {(r, x): (5 if (r in "ab") == (x in "ab") else 1) for r in "abcd" for x in "abcd"}

TEAM_CASES = {
    "disagree": [
        (ABC, _team_of_three((4, 2)), True),  # spreads 2, 2, 2: mean 2
        (ABC, _team_of_three((4, 3)), False),  # spreads 2, 2, 1: mean 1.67
        (("a", "b", "c", "d"), _everyone(CLIQUE), True),  # two pairs: spreads 4
        (ABC, _everyone({("a", "c"): 5, ("b", "c"): 1, ("a", "b"): 3}), False),  # 2 answered
    ],
    "low_team": [
        (ABC, _everyone({(r, x): 2 for r in ABC for x in ABC if r != x}), True),
        (ABC, _everyone({(r, x): 3 for r in ABC for x in ABC if r != x}), False),
        (ABC, _everyone({("a", "b"): 1, ("b", "a"): 1}), False),  # 2 answered
    ],
}


@pytest.mark.parametrize(
    ("flag", "members", "ratings", "flagged"),
    [(flag, *case) for flag, cases in TEAM_CASES.items() for case in cases],
)
def test_each_team_flag_triggers_at_its_threshold_and_not_near_it(flag, members, ratings, flagged):
    assert (flag in _flags(members, ratings)) is flagged


def test_a_team_that_rated_sensibly_has_no_flags():
    levels = {("a", "a"): 4, ("a", "b"): 4, ("a", "c"): 5, ("b", "a"): 4, ("b", "b"): 4}
    levels |= {("b", "c"): 5, ("c", "a"): 3, ("c", "b"): 4, ("c", "c"): 5}
    result = team_results("T", ABC, _everyone(levels), [X])
    assert result.flags == ()
    assert all(s.flags == () for s in result.students)


# --- the feedback a student sees -------------------------------------------------------------


def _complete(members, level=lambda r, x, d: 4, dims=XY, selves=True) -> list[Rating]:
    return [
        Rating(r, x, d.id, level(r, x, d.id))
        for r in members
        for x in members
        if selves or r != x
        for d in dims
    ]


def _feedback(student, members, ratings, dims=XY) -> Feedback:
    return feedback_for(student, team_results("T", members, ratings, dims), ratings, dims)


def test_feedback_holds_exactly_these_fields():
    assert [f.name for f in dataclasses.fields(Feedback)] == [
        "self_rating",
        "teammates_mean",
        "team_mean",
        "by_dimension",
        "note",
    ]


def test_in_a_team_of_three_no_teammates_mean_is_ever_shown():
    ratings = _complete(ABC, lambda r, x, d: 2 if r == "b" else 5)
    feedback = _feedback("a", ABC, ratings)
    assert feedback.self_rating == 5.0
    assert feedback.teammates_mean is None and feedback.team_mean is None
    assert feedback.by_dimension == (("X", 5.0, None, None), ("Y", 5.0, None, None))
    assert "too small" in feedback.note


def test_with_one_or_two_raters_the_teammates_mean_is_not_shown():
    members = ("a", "b", "c", "d")
    for raters in (["b"], ["b", "c"]):
        ratings = [r for rater in raters for r in _rate(rater, "a", 4, 4)]
        feedback = _feedback("a", members, ratings)
        assert feedback.teammates_mean is None and feedback.team_mean is None
        assert all(row[2] is None and row[3] is None for row in feedback.by_dimension)
        assert "fewer have" in feedback.note


def test_with_three_raters_the_teachers_mean_is_shown():
    members = ("a", "b", "c", "d")
    ratings = [*_rate("b", "a", 5, 4), *_rate("c", "a", 3, 3), *_rate("d", "a", 4, 2)]
    ratings += _rate("a", "a", 2, 3)
    feedback = _feedback("a", members, ratings)
    teacher = _student(team_results("T", members, ratings, XY), "a")
    assert feedback.teammates_mean == round(teacher.teammates_mean, 1) == 3.5
    assert feedback.by_dimension == (("X", 2.0, 4.0, None), ("Y", 3.0, 3.0, None))
    assert feedback.self_rating == 2.5
    assert feedback.team_mean is None  # b, c and d have fewer than 3 raters
    assert "team average is shown when every member" in feedback.note


def test_a_partial_form_does_not_count_in_feedback():
    members = ("a", "b", "c", "d")
    ratings = [*_rate("b", "a", 5, 5), *_rate("c", "a", 5, 5), *_rate("d", "a", 1)]
    assert _student(team_results("T", members, ratings, XY), "a").raters == 3
    assert _feedback("a", members, ratings).teammates_mean is None


def test_the_team_mean_is_every_complete_rating_given_counted_once():
    members = ("a", "b", "c", "d")
    ratings = _complete(members, lambda r, x, d: 2 if r == "d" else (5 if d == "x" else 3))
    feedback = _feedback("a", members, ratings)
    # 12 ratings given to teammates on each dimension; d's three are 2
    assert feedback.by_dimension[0][3] == round((9 * 5 + 3 * 2) / 12, 1)
    assert feedback.by_dimension[1][3] == round((9 * 3 + 3 * 2) / 12, 1)
    assert feedback.team_mean == round(((9 * 5 + 3 * 2) / 12 + (9 * 3 + 3 * 2) / 12) / 2, 1)
    assert feedback.teammates_mean == round((4 + 4 + 2) / 3, 1)  # from b, c and d
    assert "team average from every member" in feedback.note
    # self-ratings are left out of the team mean
    changed = [r if r.rater != r.ratee else dataclasses.replace(r, level=1) for r in ratings]
    assert _feedback("a", members, changed).team_mean == feedback.team_mean


def test_a_member_who_did_not_answer_does_not_hide_the_team_mean_in_a_team_of_five():
    members = ("a", "b", "c", "d", "e")
    ratings = [r for r in _complete(members) if r.rater != "e"]
    feedback = _feedback("a", members, ratings)
    assert feedback.teammates_mean == 4.0 and feedback.team_mean == 4.0


def test_feedback_is_only_for_a_member_of_the_team():
    with pytest.raises(InvalidInput):
        _feedback("zz", ABC, [])


# --- nothing in the feedback is attributable to a rater ----------------------------------------


def _random_team(rng: random.Random, size: int, dims=XY) -> tuple[tuple[str, ...], list[Rating]]:
    """A team with ids that appear in no text, and each pair's form: complete, partial or
    none."""
    members = tuple(f"q{rng.randrange(10**6):06d}" for _ in range(size))
    ratings = []
    for r, x in itertools.product(members, members):
        form = rng.choices(["complete", "partial", "none"], weights=[6, 1, 1])[0]
        chosen = dims if form == "complete" else dims[:1] if form == "partial" else ()
        ratings += [Rating(r, x, d.id, rng.choice(LEVELS)) for d in chosen]
    return members, ratings


TEAMS = [_random_team(random.Random(seed), 3 + seed % 4) for seed in range(40)]


def _by_pair(ratings):
    pairs = defaultdict(list)
    for rating in ratings:
        pairs[(rating.rater, rating.ratee)].append(rating)
    return pairs


@pytest.mark.parametrize(("members", "ratings"), TEAMS)
def test_feedback_names_no_other_student(members, ratings):
    for student in members:
        text = repr(_feedback(student, members, ratings))
        assert not [other for other in members if other in text]


@pytest.mark.parametrize(("members", "ratings"), TEAMS)
def test_feedback_does_not_change_when_two_raters_swap_their_ratings(members, ratings):
    """Two teammates (not the student) swap what they gave the same member: the student
    sees exactly the same feedback, so nothing says who gave what."""
    rng = random.Random(len(ratings))
    pairs = _by_pair(ratings)
    for student in members:
        before = _feedback(student, members, ratings)
        for ratee in members:
            raters = [r for r in members if r not in (student, ratee)]
            if len(raters) < 2:
                continue
            one, two = rng.sample(raters, 2)
            swapped = [
                r
                for pair, rs in pairs.items()
                if pair not in ((one, ratee), (two, ratee))
                for r in rs
            ]
            swapped += [dataclasses.replace(r, rater=two) for r in pairs[(one, ratee)]]
            swapped += [dataclasses.replace(r, rater=one) for r in pairs[(two, ratee)]]
            assert _feedback(student, members, swapped) == before


@pytest.mark.parametrize(("members", "ratings"), TEAMS)
def test_one_rater_up_and_another_down_is_invisible(members, ratings):
    """One teammate gives someone a point more and another a point less on the same
    dimension: the student cannot tell, so neither single rating follows from what they
    see."""
    complete = {
        pair
        for pair, rs in _by_pair(ratings).items()
        if pair[0] != pair[1] and {r.dimension for r in rs} == {"x", "y"}
    }
    for student in members:
        before = _feedback(student, members, ratings)
        for ratee in members:
            raters = [r for r in members if r not in (student, ratee) and (r, ratee) in complete]
            for one, two in itertools.permutations(raters, 2):
                up = next(
                    r for r in ratings if (r.rater, r.ratee, r.dimension) == (one, ratee, "x")
                )
                down = next(
                    r for r in ratings if (r.rater, r.ratee, r.dimension) == (two, ratee, "x")
                )
                if up.level == 5 or down.level == 1:
                    continue
                changed = [
                    dataclasses.replace(r, level=r.level + 1)
                    if r is up
                    else dataclasses.replace(r, level=r.level - 1)
                    if r is down
                    else r
                    for r in ratings
                ]
                assert _feedback(student, members, changed) == before


ONE = (X,)


def _leaks(members, known, forms, dims=ONE, values=(2, 3, 4), feedback=feedback_for):
    """Every way the ratings unknown to the students ``known`` (pooling what they gave and
    what they see) can be filled in with ``values``, grouped by what those students see.
    Returns the raters whose ratings one such view gives away: pinned to a tuple holding
    a middle value (a pinned rating a mean can only force at its bounds), or pinned in
    their sum while the ratings themselves are not (one rater's total)."""
    team = team_results("T", members, [])
    fixed = [Rating(r, x, d, 3) for (r, x), ds in forms.items() if r in known for d in ds]
    unknown = [(r, x, d) for (r, x), ds in forms.items() if r not in known for d in ds]
    views = defaultdict(list)
    for combo in itertools.product(values, repeat=len(unknown)):
        ratings = fixed + [Rating(r, x, d, v) for (r, x, d), v in zip(unknown, combo, strict=True)]
        views[tuple(feedback(k, team, ratings, dims) for k in known)].append(combo)
    middle = values[len(values) // 2]
    leaked = set()
    for combos in views.values():
        for rater in {r for r, _, _ in unknown}:
            places = [i for i, (r, _, _) in enumerate(unknown) if r == rater]
            tuples = {tuple(combo[i] for i in places) for combo in combos}
            sums = {sum(t) for t in tuples}
            if (len(tuples) == 1 and middle in next(iter(tuples))) or (
                len(sums) == 1 and len(tuples) > 1
            ):
                leaked.add(rater)
    return leaked


def _all_pairs(members, dims=("x",)):
    return {(r, x): dims for r in members for x in members if r != x}


FOUR = ("s", "a", "b", "c")
FIVE = ("s", "a", "b", "c", "d")


def _five(*others: str) -> dict:
    """A team of five where s and a rate everyone and b, c and d rate ``others`` (e.g.
    "ba": b rates a)."""
    forms = {(r, x): ("x",) for r in "sa" for x in FIVE if r != x}
    return forms | {(pair[0], pair[1]): ("x",) for pair in others}


# Every member rated by at least 3 (the team mean is shown), one of them by 4.
FIVE_FORMS = [
    _five("ba", "bc", "bd", "bs", "ca", "cb", "db", "ds"),
    _five("ba", "bc", "bs", "ca", "cb", "cd", "cs", "dc"),
]


def test_no_student_can_work_out_a_teammates_ratings_in_a_full_team_of_four():
    assert _leaks(FOUR, ("s",), _all_pairs(FOUR)) == set()


def test_two_students_pooling_what_they_know_cannot_either():
    assert _leaks(FOUR, ("s", "a"), _all_pairs(FOUR)) == set()
    for forms in FIVE_FORMS:
        assert _leaks(FIVE, ("s", "a"), forms) == set(), sorted(forms)


def test_partial_forms_and_two_dimensions_give_nothing_away():
    both = ("x", "y")
    # three teammates rated s fully, two others rated b on one dimension
    full = {("a", "s"): both, ("b", "s"): both, ("c", "s"): both}
    assert _leaks(FOUR, ("s",), full | {("a", "b"): ("y",), ("c", "b"): ("x",)}, XY) == set()
    # two rated s fully, the third on one dimension only: three on "x", two on "y"
    partial = {("a", "s"): both, ("b", "s"): both, ("c", "s"): ("x",)}
    assert _leaks(FOUR, ("s",), partial, XY) == set()


def test_the_check_finds_a_leak_when_two_raters_would_be_enough(monkeypatch):
    """The check has teeth: with the threshold at 2, two students together work out what
    the third gave them."""
    assert MIN_RATERS_RELEASED == 3
    monkeypatch.setattr(evaluation, "MIN_RATERS_RELEASED", 2)
    three = ("s", "a", "b")
    assert _leaks(three, ("s", "a"), _all_pairs(three)) == {"b"}


def test_the_check_finds_the_leak_of_a_mean_of_the_members_means():
    """The equal weights matter: a team mean that is the (unrounded) mean of the members'
    means weighs each rating by one over its member's raters, and in a team of five two
    students pooling what they know could decode one teammate's total."""

    def members_means(student, team_result, ratings, dimensions):
        feedback = feedback_for(student, team_result, ratings, dimensions)
        if feedback.team_mean is None:
            return feedback
        teacher = team_results("T", team_result.members, ratings, dimensions)
        return dataclasses.replace(feedback, team_mean=teacher.team_mean)

    assert _leaks(FIVE, ("s", "a"), FIVE_FORMS[0], feedback=members_means) == {"b"}
