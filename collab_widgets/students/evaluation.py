"""The team peer- and self-evaluation: the teamwork dimensions (a data file), the check of
what a student submits, the teacher's results with their flags, and the feedback one
student may see.

Plain Python (PyYAML only; no widgets, no SQL, no pandas). Student ids are strings here.

**The dimensions** are ``library/teamwork/teamwork.yaml``: ``title``, ``intro``,
``dimensions`` (each ``id``, ``name``, ``question``, ``self_question`` and ``levels`` with
levels 5, 3 and 1 described; 4 and 2 are "between the two") and ``source``. Exactly one set
is in use: the shipped file, or the one file in a coach's or teacher's folder (default: the
folder named by ``COLLAB_TEAMWORK``), which replaces it. A mistake in the file in use stops
:func:`load_dimensions` with :class:`~collab_widgets.core.data_files.DataFileError`, naming
each mistake's file, line and field.

**The results** (:func:`team_results`, for the teacher) count every rating given. Each
teammate counts once: a student's teammates' mean is the mean over the teammates who
rated them of each one's mean over the dimensions they rated. The flags (:data:`FLAGS`)
are prompts to look and talk, never verdicts; their thresholds are the constants below.

**The feedback** (:func:`feedback_for`, what one student sees once released) holds nothing
attributable to a rater; see :class:`Feedback` for the rules and why they suffice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from typing import Any

from collab_widgets.core.data_checks import FileChecker, kind_of, start
from collab_widgets.core.data_files import Problem, load_one
from collab_widgets.core.errors import InvalidInput

TEAMWORK_ENV = "COLLAB_TEAMWORK"

LEVELS = (1, 2, 3, 4, 5)
DESCRIBED = (5, 3, 1)  # the levels a dimension describes; the others lie between
BETWEEN = "Between the two"

MAX_TITLE = 80
MAX_INTRO = 400
MAX_NAME = 60
MAX_QUESTION = 120
MAX_LEVEL = 240
MAX_SOURCE = 1000
DIMENSIONS = (1, 8)  # fewest, most dimensions in a file

TEAMWORK_FIELDS = ("title", "intro", "dimensions", "source")
DIMENSION_FIELDS = ("id", "name", "question", "self_question", "levels")

MAX_COMMENT = 500

# The flags' thresholds (levels are 1 to 5).
GAP = 1.0  # above_peers / below_peers: self minus teammates' mean, at least this far apart
MIN_RATERS_GAP = 2  # ... counted from this many teammates who rated the student
LOW = 3.0  # low_by_all: every teammate's mean below this; low_team: team mean below this
MIN_RATERS_LOW = 2  # low_by_all: from this many teammates who rated the student
MIN_IDENTICAL = 2  # identical: the rater rated at least this many teammates
SPREAD = 2.0  # disagree: mean over members of (highest - lowest teammate's mean) at least
MIN_ANSWERED_TEAM = 3  # disagree, low_team: from this many members who rated a teammate

FLAGS: dict[str, str] = {
    "above_peers": (
        "Rates themselves at least 1 point (of 5) above their teammates' average view of "
        "them (from 2 teammates' ratings up)."
    ),
    "below_peers": (
        "Rates themselves at least 1 point (of 5) below their teammates' average view of "
        "them (from 2 teammates' ratings up)."
    ),
    "low_by_all": ("Every teammate who rated them (at least 2) gave them below 3 on average."),
    "identical": (
        "Gave every teammate they rated (at least 2) and themselves the same level on every "
        "question: these ratings may not say much."
    ),
    "disagree": (
        "Teammates see the same people very differently: on average, the teammates' means "
        "each member received are 2 points or more apart (highest minus lowest; counted "
        "over members rated by at least 2, from 3 members answering)."
    ),
    "low_team": (
        "The team's average (the mean of what each member received from teammates) is "
        "below 3, from 3 members answering."
    ),
}
STUDENT_FLAGS = ("above_peers", "below_peers", "low_by_all", "identical")
TEAM_FLAGS = ("disagree", "low_team")

MIN_RATERS_RELEASED = 3


# --- the dimensions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    """One thing students rate about themselves and each teammate."""

    id: str
    name: str  # e.g. "Helping with the team's work"
    question: str  # about a teammate: "How did they help with the team's work?"
    levels: dict[int, str] = field(hash=False)  # 5 to 1; 4 and 2 are BETWEEN
    self_question: str = ""  # about oneself: "How did I help with the team's work?"


@dataclass(frozen=True)
class Teamwork:
    """The teamwork file in use: its dimensions, in the file's order."""

    title: str
    intro: str
    dimensions: tuple[Dimension, ...]
    source: str
    file: str = ""


def parse_teamwork(text: str, file: str) -> tuple[Teamwork | None, list[Problem]]:
    """The teamwork dimensions in the YAML ``text`` of ``file``, or None and every problem
    found."""
    check, data = start(text, file, "a teamwork", "'title:', 'intro:' and 'dimensions:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), TEAMWORK_FIELDS, "a teamwork file")
    title = check.text(data, ("title",), MAX_TITLE)
    intro = check.text(data, ("intro",), MAX_INTRO)
    example = "each with 'id:', 'name:', 'question:', 'self_question:' and 'levels:'"
    dimensions: list[Dimension] = []
    for index, raw in enumerate(check.items(data, ("dimensions",), *DIMENSIONS, example)):
        path = ("dimensions", index)
        dimension = _dimension(check, raw, path)
        if dimension is None:
            continue
        if dimension.id in (d.id for d in dimensions):
            check.fail((*path, "id"), f"'{dimension.id}' is used by an earlier dimension.")
        elif dimension.name.casefold() in (d.name.casefold() for d in dimensions):
            check.fail((*path, "name"), f"'{dimension.name}' is the name of an earlier one.")
        else:
            dimensions.append(dimension)
    source = check.text(data, ("source",), MAX_SOURCE)
    if check.problems:
        return None, check.problems
    return Teamwork(title, intro, tuple(dimensions), source, file), []


def _dimension(check: FileChecker, raw: Any, path: tuple) -> Dimension | None:
    data = check.fields(raw, path, "a dimension")
    if data is None:
        return None
    before = len(check.problems)
    check.unknown(data, path, DIMENSION_FIELDS, "a dimension")
    key = check.key(data, path)
    name = check.text(data, (*path, "name"), MAX_NAME)
    question = check.text(data, (*path, "question"), MAX_QUESTION)
    self_question = check.text(data, (*path, "self_question"), MAX_QUESTION)
    levels = _levels(check, data, (*path, "levels"))
    if len(check.problems) > before:
        return None
    return Dimension(key, name, question, levels, self_question)


def _levels(check: FileChecker, data: dict, path: tuple) -> dict[int, str]:
    wanted = "describe levels 5, 3 and 1 (4 and 2 are 'between the two')"
    if "levels" not in data:
        check.fail(path[:-1], f"field 'levels' is missing; under it, {wanted}.")
        return {}
    raw = data["levels"]
    if not isinstance(raw, dict) or not raw:
        what = "empty" if not raw else kind_of(raw)
        check.fail(path, f"must hold the levels, not {what}: {wanted}.", at_key=True)
        return {}
    described: dict[int, str] = {}
    for key, value in raw.items():
        level = int(key) if isinstance(key, int | str) and str(key).strip().isdigit() else None
        where = (*path, level if level is not None else str(key))
        if level in (4, 2):
            check.fail(
                where,
                "levels 4 and 2 mean 'between the two' and are not described; describe "
                "only 5, 3 and 1.",
                at_key=True,
            )
        elif level not in DESCRIBED:
            check.fail(where, f"is not a level; {wanted}.", at_key=True)
        else:
            text = check.entry(value, where, MAX_LEVEL)
            if text:
                described[level] = text
    for level in DESCRIBED:
        if level not in raw and str(level) not in raw:
            check.fail(path, f"is missing level {level}; {wanted}.", at_key=True)
    if set(described) != set(DESCRIBED):
        return {}
    return {level: described.get(level, BETWEEN) for level in sorted(LEVELS, reverse=True)}


def load_teamwork(folder: Path | None = None) -> Teamwork:
    """The teamwork file in use: the one file in ``folder`` (default: the folder named by
    ``COLLAB_TEAMWORK``, if set), else the shipped one. Raises ``DataFileError`` naming
    each mistake's file, line and field."""
    return load_one(
        "collab_widgets.students",
        folder,
        TEAMWORK_ENV,
        parse_teamwork,
        library="library/teamwork",
        what="the teamwork dimensions",
    )


def load_dimensions(folder: Path | None = None) -> tuple[Dimension, ...]:
    """The dimensions in use, in the file's order (see :func:`load_teamwork`)."""
    return load_teamwork(folder).dimensions


# --- what a student submits --------------------------------------------------------------


def stored_dimensions(dimensions: Sequence[Dimension]) -> str:
    """What a teamwork check keeps of its questions when it opens: ids and names."""
    return json.dumps([[d.id, d.name] for d in dimensions], ensure_ascii=False)


def dimensions_in_use(stored: str, current: Sequence[Dimension]) -> tuple[Dimension, ...]:
    """A check's questions as it opened with them, worded as the file in use words them:
    a file changed since (a question added, dropped or reworded) changes neither which
    ratings count nor, so, anyone's figures. A question the file no longer has keeps its
    name."""
    by_id = {d.id: d for d in current}
    return tuple(
        by_id.get(key) or Dimension(key, name, name, {level: "" for level in LEVELS})
        for key, name in json.loads(stored)
    )


@dataclass(frozen=True)
class Rating:
    """One level one student gave one student (maybe themselves) on one dimension."""

    rater: str
    ratee: str
    dimension: str  # a Dimension's id
    level: int  # 1 to 5


def _dimension_ids(dimensions: Iterable[Dimension | str]) -> tuple[str, ...]:
    return tuple(d if isinstance(d, str) else d.id for d in dimensions)


def check_ratings(
    team: Sequence[str],
    rater: str,
    ratings: Mapping[tuple[str, str], int],
    dimensions: Iterable[Dimension | str],
) -> None:
    """What one student submits: ``ratings[(ratee, dimension_id)] = level``, themselves
    and their teammates. A partial form is allowed (it is saved as far as it is filled).
    Refused with :class:`InvalidInput`, in plain words: a rater or ratee outside the team,
    a level that is not a whole number from 1 to 5, a question not in use."""
    members = {str(member) for member in team}
    known = set(_dimension_ids(dimensions))
    if str(rater) not in members:
        raise InvalidInput("You can only rate your own team, and you are not in this one.")
    for key, level in ratings.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise InvalidInput("Each rating needs a teammate and a question.")
        ratee, dimension = key
        if str(ratee) not in members:
            raise InvalidInput("You can only rate yourself and the members of your team.")
        if dimension not in known:
            raise InvalidInput("That question is not part of this evaluation.", "dimension")
        if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
            raise InvalidInput("Choose a level from 1 to 5.", "level")


def check_comment(text: str | None) -> str:
    """A confidential comment for the teacher, tidied: line ends unified, spaces at the
    ends removed; "" for none. Refused when longer than :data:`MAX_COMMENT` characters."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise InvalidInput("A comment must be text.", "comment")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    text = "".join(c for c in text if c in "\n\t" or c.isprintable())
    if len(text) > MAX_COMMENT:
        raise InvalidInput(
            f"Your comment is {len(text)} characters long; shorten it to at most {MAX_COMMENT}.",
            "comment",
        )
    return text


# --- the teacher's results ---------------------------------------------------------------


@dataclass(frozen=True)
class StudentResult:
    student: str
    self_rating: float | None  # mean over dimensions of their rating of themselves
    teammates_mean: float | None  # mean over teammates who rated them of each one's mean
    raters: int  # how many teammates rated them (on at least one dimension)
    gap: float | None  # self_rating - teammates_mean
    # dimension id -> (their own level, the mean of teammates' levels); None: not rated
    by_dimension: dict[str, tuple[float | None, float | None]] = field(hash=False)
    flags: tuple[str, ...]  # ids of FLAGS, in FLAGS' order


@dataclass(frozen=True)
class TeamResult:
    team: str
    members: tuple[str, ...]
    answered: int  # members who gave at least one rating (themselves or a teammate)
    team_mean: float | None  # mean of the members' teammates_mean (those rated)
    flags: tuple[str, ...]
    students: tuple[StudentResult, ...]  # in the members' order


Given = dict[tuple[str, str], dict[str, int]]  # (rater, ratee) -> dimension -> level


def _given(
    members: Sequence[str], ratings: Iterable[Rating], dimensions: Sequence[str] | None
) -> Given:
    """The ratings among ``members`` (on ``dimensions`` when given); the last of two
    ratings of the same pair and dimension counts."""
    inside = set(members)
    given: Given = {}
    for rating in ratings:
        rater, ratee = str(rating.rater), str(rating.ratee)
        if rater not in inside or ratee not in inside:
            continue  # e.g. a student who moved to another team
        if dimensions is not None and rating.dimension not in dimensions:
            continue  # a dimension no longer in use
        given.setdefault((rater, ratee), {})[rating.dimension] = rating.level
    return given


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return fmean(values) if values else None


def _at_least(value: float, threshold: float) -> bool:
    return value >= threshold - 1e-9  # means of small whole numbers: no float noise


def team_results(
    team: str,
    members: Sequence[str],
    ratings: Iterable[Rating],
    dimensions: Sequence[Dimension | str] | None = None,
) -> TeamResult:
    """The teacher's view of one team: each member's self-rating, teammates' mean, gap and
    flags, and the team's flags. Ratings by or of someone outside ``members`` are left
    out; with ``dimensions``, so are ratings on other dimensions, and ``by_dimension``
    follows their order (else the dimensions rated, sorted)."""
    members = tuple(dict.fromkeys(str(member) for member in members))
    ids = _dimension_ids(dimensions) if dimensions is not None else None
    given = _given(members, ratings, ids)
    order = ids if ids is not None else tuple(sorted({d for lv in given.values() for d in lv}))
    peer_raters = {rater for rater, ratee in given if rater != ratee}

    students = []
    received: dict[str, list[float]] = {}  # student -> each rater's mean of them
    for student in members:
        own = given.get((student, student), {})
        raters = [r for r in members if r != student and given.get((r, student))]
        per_rater = received[student] = [fmean(given[(r, student)].values()) for r in raters]
        self_rating = _mean(own.values())
        teammates_mean = _mean(per_rater)
        gap = None
        if self_rating is not None and teammates_mean is not None:
            gap = self_rating - teammates_mean
        by_dimension = {
            d: (
                float(own[d]) if d in own else None,
                _mean(given[(r, student)][d] for r in raters if d in given[(r, student)]),
            )
            for d in order
        }
        flags = set()
        if gap is not None and len(raters) >= MIN_RATERS_GAP:
            if _at_least(gap, GAP):
                flags.add("above_peers")
            if _at_least(-gap, GAP):
                flags.add("below_peers")
        if len(raters) >= MIN_RATERS_LOW and all(m < LOW - 1e-9 for m in per_rater):
            flags.add("low_by_all")
        rated = [x for x in members if x != student and given.get((student, x))]
        levels = {lv for x in members for lv in given.get((student, x), {}).values()}
        if len(rated) >= MIN_IDENTICAL and len(levels) == 1:
            flags.add("identical")
        students.append(
            StudentResult(
                student=student,
                self_rating=self_rating,
                teammates_mean=teammates_mean,
                raters=len(raters),
                gap=gap,
                by_dimension=by_dimension,
                flags=tuple(f for f in STUDENT_FLAGS if f in flags),
            )
        )

    team_mean = _mean(s.teammates_mean for s in students if s.teammates_mean is not None)
    flags = set()
    if len(peer_raters) >= MIN_ANSWERED_TEAM:
        spreads = [max(means) - min(means) for means in received.values() if len(means) >= 2]
        if spreads and _at_least(fmean(spreads), SPREAD):
            flags.add("disagree")
        if team_mean is not None and team_mean < LOW - 1e-9:
            flags.add("low_team")
    answered = {rater for rater, _ in given}
    return TeamResult(
        team=str(team),
        members=members,
        answered=len(answered),
        team_mean=team_mean,
        flags=tuple(f for f in TEAM_FLAGS if f in flags),
        students=tuple(students),
    )


def results(
    teams: Mapping[str, Sequence[str]],
    ratings: Iterable[Rating],
    dimensions: Sequence[Dimension | str] | None = None,
) -> list[TeamResult]:
    """:func:`team_results` of every team (``teams``: team -> members), in ``teams``'
    order."""
    ratings = list(ratings)
    return [team_results(team, members, ratings, dimensions) for team, members in teams.items()]


# --- what one student sees ---------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """What ONE student may see once the teacher releases feedback: nothing in it is
    attributable to a rater.

    - Only *complete* ratings count: a teammate's ratings of a member count when they
      rated that member on every dimension in use. (With partial forms, the overall mean
      and the per-dimension means would differ by one rater's answers.)
    - ``teammates_mean`` (and each dimension's teammates' mean) is shown only when at
      least :data:`MIN_RATERS_RELEASED` teammates rated the student completely; it is the
      mean of those teammates' levels (per dimension; overall, the mean over dimensions),
      the same for every order and labelling of those teammates.
    - ``team_mean`` (and each dimension's team mean) is the mean of every complete rating
      given within the team, each counted once (self-ratings left out: a student's own
      view of themselves is not the team's view), shown only when *every* member was rated
      completely by at least :data:`MIN_RATERS_RELEASED` teammates. In a team of three
      (two teammates each) neither mean is ever shown.
    - Values are rounded to one decimal. There are no rater ids, no counts, no comments.

    Why no single rating can be worked out. A student knows what they gave. Per dimension
    they see besides (a) the sum of the ratings they received from at least 3 teammates
    (the mean times their number) and (b) the sum of all complete ratings in the team (the
    team mean times their number). Taking from (b) what they gave and (a) leaves one sum
    with equal weights: the ratings the other members gave each other. Each of those
    members was rated by at least 3 teammates, so by at least 2 others than the student:
    a sum over at least two raters, from which no one rater's rating follows. Two students
    pooling what they know take off both their (a) and what both gave; what remains is the
    ratings among the rest, still from at least two raters (each of the rest is rated by
    one of the rest, who is rated by another). The equal weights matter: a mean of the
    members' means weighs each rating by one over its member's raters, and two students
    could then decode one teammate's total (the tests check this exhaustively for small
    teams). The overall values are means of the per-dimension ones and add nothing. A mean
    cannot hide unanimity: if all three teammates gave 5, a mean of 5 says so, about all
    of them at once.
    """

    self_rating: float | None
    teammates_mean: float | None  # None unless at least MIN_RATERS_RELEASED rated fully
    team_mean: float | None  # None unless every member's teammates' mean could be shown
    # (dimension name, self, teammates' mean or None, team mean or None), in file order
    by_dimension: tuple[tuple[str, float | None, float | None, float | None], ...]
    note: str  # a plain sentence about what is shown and why


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def feedback_for(
    student: str,
    team_result: TeamResult,
    ratings_in_team: Iterable[Rating],
    dimensions: Sequence[Dimension],
) -> Feedback:
    """The feedback ``student`` may see (see :class:`Feedback` for what it holds and why).
    ``ratings_in_team``: the team's ratings (others are left out)."""
    student = str(student)
    members = team_result.members
    if student not in members:
        raise InvalidInput("That student is not in this team.")
    dimensions = tuple(dimensions)
    ids = _dimension_ids(dimensions)
    given = _given(members, ratings_in_team, ids)
    complete = {
        pair: levels
        for pair, levels in given.items()
        if pair[0] != pair[1] and ids and all(d in levels for d in ids)
    }

    def received(member: str) -> dict[str, float] | None:
        raters = [r for r in members if (r, member) in complete]
        if len(raters) < MIN_RATERS_RELEASED:
            return None
        return {d: fmean(complete[(r, member)][d] for r in raters) for d in ids}

    mine = received(student)
    team: dict[str, float] | None = None
    if all(received(member) is not None for member in members):
        team = {d: fmean(levels[d] for levels in complete.values()) for d in ids}

    own = given.get((student, student), {})
    by_dimension = tuple(
        (
            dimension.name,
            float(own[dimension.id]) if dimension.id in own else None,
            _round(mine[dimension.id]) if mine else None,
            _round(team[dimension.id]) if team else None,
        )
        for dimension in dimensions
    )
    return Feedback(
        self_rating=_round(_mean(own.values())),
        teammates_mean=_round(_mean(mine.values())) if mine else None,
        team_mean=_round(_mean(team.values())) if team else None,
        by_dimension=by_dimension,
        note=_note(len(members), mine is not None, team is not None),
    )


def _note(size: int, mine: bool, team: bool) -> str:
    if size - 1 < MIN_RATERS_RELEASED:
        return (
            f"Your teammates' average is shown only when at least {MIN_RATERS_RELEASED} "
            "teammates rated you, so that nobody can work out what one of them gave; your "
            "team is too small for that, so you see your own ratings."
        )
    if not mine:
        return (
            f"Your teammates' average is shown when at least {MIN_RATERS_RELEASED} "
            "teammates have rated you on every question; fewer have, so you see your own "
            "ratings."
        )
    if not team:
        return (
            f"Your teammates' average comes from at least {MIN_RATERS_RELEASED} teammates; "
            "nobody's own answer is shown. The team average is shown when every member "
            f"has been rated by at least {MIN_RATERS_RELEASED} teammates."
        )
    return (
        f"Your teammates' average comes from at least {MIN_RATERS_RELEASED} teammates, and "
        "the team average from every member's; nobody's own answer is shown."
    )
