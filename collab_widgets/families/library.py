"""The families' data files: home activity cards, the anonymous family feedback survey, the
default agenda of a class family meeting and Epstein's six types of involvement.

Plain Python (PyYAML only; no widgets, no SQL, no pandas): a light family page imports it.
The shipped files are under ``library/``:

- ``activities/home-activities.yaml``: ``source`` and ``activities``, each ``id``,
  ``skill`` (English keywords a teacher searches by), ``grades`` (0 = kindergarten to 8),
  ``minutes``, ``involvement`` (one of :data:`INVOLVEMENT_IDS`), and ``title``,
  ``materials`` and ``steps`` in every language (the same number of steps in each);
- ``feedback/family-feedback.yaml``: ``id`` (optional; default the file name), ``title``,
  ``intro``, ``min_respondents`` (at least 2), ``scale`` (4 labels in every language),
  ``questions`` (each ``id`` and ``text``) and ``source``;
- ``meeting-agenda.yaml``: ``items`` (each ``id``, ``minutes``, ``title``, ``purpose``)
  and ``source``;
- ``involvement.yaml``: ``types`` (each of the six ids once, with ``name`` and
  ``description``, for teachers) and ``source``.

A text families read is written once per language of :data:`FILE_LANGUAGES`, as a set of
fields (``en:``, ``es:``). Each ``load_*`` reads the shipped file (read once, then kept) or
the file at ``path``; a mistake stops it with
:class:`~collab_widgets.core.data_files.DataFileError`, naming each mistake's file, line
and field. The records hold dicts: read them, never change them (the shipped ones are
shared).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collab_widgets.core.data_checks import FileChecker, kind_of, start
from collab_widgets.core.data_files import Parse, Problem, key_from_file, load_file

PACKAGE = "collab_widgets.families"
ACTIVITIES_FILE = "library/activities/home-activities.yaml"
FEEDBACK_FILE = "library/feedback/family-feedback.yaml"
AGENDA_FILE = "library/meeting-agenda.yaml"
INVOLVEMENT_FILE = "library/involvement.yaml"

# The languages every family-facing text is written in, English first (the one a teacher
# searches and the one other languages are compared with).
FILE_LANGUAGES = ("en", "es")

# Epstein's six types of involvement, in her order.
INVOLVEMENT_IDS = (
    "parenting",
    "communicating",
    "volunteering",
    "learning-at-home",
    "decision-making",
    "collaborating-with-community",
)

GRADES = range(0, 9)  # 0 = kindergarten
MAX_TITLE = 80
MAX_SKILL = 120
MAX_MATERIALS = 200
MAX_STEP = 200
MAX_INTRO = 500
MAX_QUESTION = 160
MAX_LABEL = 40
MAX_PURPOSE = 200
MAX_NAME = 60
MAX_DESCRIPTION = 300
MAX_SOURCE = 400
SOURCES = (1, 10)  # fewest, most citations
ACTIVITIES = (1, 200)
ACTIVITY_MINUTES = (1, 60)
STEPS = (2, 6)
SCALE_POINTS = 4  # agreement 1 to 4
QUESTIONS = (2, 12)
RESPONDENTS = (2, 50)  # min_respondents: fewest, most
AGENDA_ITEMS = (1, 15)
ITEM_MINUTES = (1, 120)
MAX_MEETING = 180  # minutes, all items together

ACTIVITIES_FIELDS = ("activities", "source")
ACTIVITY_FIELDS = (
    "id",
    "skill",
    "grades",
    "minutes",
    "involvement",
    "title",
    "materials",
    "steps",
)
FEEDBACK_FIELDS = ("id", "title", "intro", "min_respondents", "scale", "questions", "source")
QUESTION_FIELDS = ("id", "text")
AGENDA_FIELDS = ("items", "source")
ITEM_FIELDS = ("id", "minutes", "title", "purpose")
INVOLVEMENT_FIELDS = ("types", "source")
TYPE_FIELDS = ("id", "name", "description")


# --- the records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """A home activity card: a short game a family plays to practise one skill."""

    id: str
    skill: str  # English keywords, e.g. "fractions, equal parts, halves"
    grades: tuple[int, ...]  # 0 = kindergarten
    minutes: int
    title: dict[str, str] = field(hash=False)  # by language
    materials: dict[str, str] = field(hash=False)
    steps: dict[str, tuple[str, ...]] = field(hash=False)  # as many in every language
    involvement: str = "learning-at-home"  # one of INVOLVEMENT_IDS


@dataclass(frozen=True)
class FeedbackQuestion:
    """A statement families rate on the survey's scale."""

    id: str
    text: dict[str, str] = field(hash=False)


@dataclass(frozen=True)
class FeedbackSurvey:
    """The anonymous family feedback survey: a teacher sees its totals only from
    ``min_respondents`` answers up."""

    id: str
    title: dict[str, str] = field(hash=False)
    intro: dict[str, str] = field(hash=False)
    scale: dict[str, tuple[str, ...]] = field(hash=False)  # 1 = first label
    min_respondents: int
    questions: tuple[FeedbackQuestion, ...]


@dataclass(frozen=True)
class AgendaItem:
    """One item of a class family meeting's agenda."""

    id: str
    minutes: int
    title: dict[str, str] = field(hash=False)
    purpose: dict[str, str] = field(hash=False)


@dataclass(frozen=True)
class InvolvementType:
    """One of Epstein's six types of involvement, worded for teachers (English)."""

    id: str
    name: str
    description: str


# --- checks shared by the files ----------------------------------------------------------


def _in_languages(check: FileChecker, data: dict, path: tuple, what: str) -> dict | None:
    """The set of fields ``en:``, ``es:`` at ``path`` as it is, after recording a missing
    or unknown language; None when it is missing or not a set of fields."""
    name = path[-1]
    example = ", ".join(f"'{lang}:'" for lang in FILE_LANGUAGES)
    if name not in data:
        check.fail(path[:-1], f"field '{name}' is missing; add it with {what} ({example}).")
        return None
    raw = data[name]
    if not isinstance(raw, dict) or not raw:
        kind = "empty" if raw is None or raw == {} else kind_of(raw)
        check.fail(path, f"must hold {what} in each language ({example}), not {kind}.")
        return None
    for lang in raw:
        if lang not in FILE_LANGUAGES:
            check.fail(
                (*path, lang),
                f"is not a language of these files; the languages are: "
                f"{', '.join(FILE_LANGUAGES)}.",
                at_key=True,
            )
    for lang in FILE_LANGUAGES:
        if lang not in raw:
            check.fail(
                path, f"has no '{lang}' version; add '{lang}:' with {what} in it.", at_key=True
            )
    return raw


def _texts(check: FileChecker, data: dict, path: tuple, longest: int) -> dict[str, str]:
    """A text in every language, by language."""
    raw = _in_languages(check, data, path, "the text")
    if raw is None:
        return {}
    texts = {}
    for lang in FILE_LANGUAGES:
        if lang in raw:
            texts[lang] = check.entry(raw[lang], (*path, lang), longest)
    return texts


def _lists(
    check: FileChecker, data: dict, path: tuple, counts: tuple[int, int], longest: int, what: str
) -> dict[str, tuple[str, ...]]:
    """A list of texts in every language, by language, as many in each."""
    raw = _in_languages(check, data, path, f"the {what}")
    if raw is None:
        return {}
    fewest, most = counts
    lists = {}
    for lang in FILE_LANGUAGES:
        if lang in raw:  # an exact count is worded below, not as "give 4 to 4"
            bounds = (1, fewest + 10) if fewest == most else counts
            lists[lang] = check.texts(raw, (*path, lang), *bounds, longest)
    lengths = {lang: len(raw[lang]) for lang in FILE_LANGUAGES if isinstance(raw.get(lang), list)}
    first = FILE_LANGUAGES[0]
    for lang, length in lengths.items():
        if fewest == most and length != fewest:
            check.fail(
                (*path, lang),
                f"has {length} {what}; give exactly {fewest}, in the same order in every language.",
                at_key=True,
            )
        elif first in lengths and length != lengths[first]:
            check.fail(
                (*path, lang),
                f"has {length} {what} but '{first}' has {lengths[first]}; give the same "
                f"{what} in every language, in the same order.",
                at_key=True,
            )
    return lists


def _whole(
    check: FileChecker, data: dict, path: tuple, span: tuple[int, int], why: str = ""
) -> int:
    """The whole number at ``path`` (required), from ``span[0]`` to ``span[1]``; 0 after
    recording its problem."""
    name = path[-1]
    if name not in data:
        check.fail(path[:-1], f"field '{name}' is missing; add it as a whole number.")
        return 0
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int):
        check.fail(path, f"must be a whole number, not {kind_of(value)}.")
        return 0
    low, high = span
    if not low <= value <= high:
        check.fail(path, f"is {value}; give a whole number from {low} to {high}{why}.")
        return 0
    return value


def _sources(check: FileChecker, data: dict) -> tuple[str, ...]:
    """The file's citations: a list of texts (or one text)."""
    if isinstance(data.get("source"), str):
        return (check.text(data, ("source",), MAX_SOURCE),)
    return check.texts(data, ("source",), *SOURCES, MAX_SOURCE)


def _entries(
    check: FileChecker, data: dict, name: str, span: tuple[int, int], example: str, what: str
) -> list[tuple[tuple, dict]]:
    """The entries of the list ``name`` that are sets of fields, with their paths."""
    found = []
    for index, raw in enumerate(check.items(data, (name,), *span, example)):
        entry = check.fields(raw, (name, index), what)
        if entry is not None:
            found.append(((name, index), entry))
    return found


def _repeated(check: FileChecker, path: tuple, key: str, earlier: Sequence[Any], what: str) -> bool:
    """Whether ``key`` is the id of an ``earlier`` record (recorded as a problem)."""
    if key and key in (item.id for item in earlier):
        check.fail((*path, "id"), f"'{key}' is used by an earlier {what}.")
        return True
    return False


# --- the home activities -----------------------------------------------------------------


def parse_activities(text: str, file: str) -> tuple[tuple[Activity, ...] | None, list[Problem]]:
    """The activities in the YAML ``text`` of ``file``, or None and every problem found."""
    check, data = start(text, file, "a home activities", "'activities:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), ACTIVITIES_FIELDS, "a home activities file")
    example = "each with 'id:', 'skill:', 'grades:', 'minutes:', 'title:' and 'steps:'"
    activities: list[Activity] = []
    for path, entry in _entries(check, data, "activities", ACTIVITIES, example, "an activity"):
        activity = _activity(check, entry, path)
        if activity and not _repeated(check, path, activity.id, activities, "activity"):
            activities.append(activity)
    _sources(check, data)
    if check.problems:
        return None, check.problems
    return tuple(activities), []


def _activity(check: FileChecker, data: dict, path: tuple) -> Activity | None:
    before = len(check.problems)
    check.unknown(data, path, ACTIVITY_FIELDS, "an activity")
    key = check.key(data, path)
    skill = check.text(data, (*path, "skill"), MAX_SKILL)
    grades = _grades(check, data, (*path, "grades"))
    minutes = _whole(check, data, (*path, "minutes"), ACTIVITY_MINUTES)
    involvement = check.text(data, (*path, "involvement"), MAX_NAME)
    if involvement and involvement not in INVOLVEMENT_IDS:
        check.fail(
            (*path, "involvement"),
            f"'{involvement}' is not one of the six types of involvement; use one of: "
            f"{', '.join(INVOLVEMENT_IDS)}.",
        )
    title = _texts(check, data, (*path, "title"), MAX_TITLE)
    materials = _texts(check, data, (*path, "materials"), MAX_MATERIALS)
    steps = _lists(check, data, (*path, "steps"), STEPS, MAX_STEP, "steps")
    if len(check.problems) > before:
        return None
    return Activity(key, skill, grades, minutes, title, materials, steps, involvement)


def _grades(check: FileChecker, data: dict, path: tuple) -> tuple[int, ...]:
    example = "e.g. [0, 1, 2], where 0 is kindergarten"
    grades: list[int] = []
    for index, value in enumerate(check.items(data, path, 1, len(GRADES), example)):
        if isinstance(value, bool) or not isinstance(value, int):
            check.fail((*path, index), f"must be a grade (a whole number), not {kind_of(value)}.")
        elif value not in GRADES:
            check.fail((*path, index), f"is {value}; grades go from 0 (kindergarten) to 8.")
        elif value in grades:
            check.fail((*path, index), f"repeats grade {value}.")
        else:
            grades.append(value)
    return tuple(sorted(grades))


def load_activities(path: str | Path | None = None) -> tuple[Activity, ...]:
    """The home activities in the file at ``path`` (default: the shipped library), in the
    file's order. Raises ``DataFileError`` naming each mistake's file, line and field."""
    return _load(path, ACTIVITIES_FILE, parse_activities, "the home activities")


_WORD = re.compile(r"[^\W_]+")
_IGNORED = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})


def _words(text: str) -> list[str]:
    """The words of ``text``, lower-case, plural ``s`` dropped, small words left out."""
    words = [w for w in _WORD.findall(text.casefold()) if w not in _IGNORED]
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def _same_word(asked: str, word: str) -> bool:
    if asked == word:
        return True
    return min(len(asked), len(word)) >= 4 and (word.startswith(asked) or asked.startswith(word))


def _score(asked: list[str], activity: Activity) -> int:
    """How well ``activity`` fits the words ``asked``: 2 a word in its skill, 1 a word only
    in its English title, 3 more when the words are one of its skill's phrases."""
    skill = _words(activity.skill)
    title = _words(activity.title.get(FILE_LANGUAGES[0], ""))
    score = 0
    for word in asked:
        if any(_same_word(word, w) for w in skill):
            score += 2
        elif any(_same_word(word, w) for w in title):
            score += 1
    phrases = [_words(phrase) for phrase in activity.skill.split(",")]
    if score and asked in phrases:
        score += 3
    return score


def activities_for(
    skill_words: str, grade: int | None = None, activities: Sequence[Activity] | None = None
) -> list[Activity]:
    """The ``activities`` (default: :func:`load_activities`) that fit ``skill_words`` (e.g.
    "fractions", "sight words"), best first, matched on each one's skill and English title.

    With ``grade``, only the activities for that grade (every activity when none is). When
    no word matches (or none is given), all of those activities, in the file's order."""
    pool = list(load_activities() if activities is None else activities)
    if grade is not None:
        pool = [a for a in pool if grade in a.grades] or pool
    asked = _words(skill_words or "")
    scored = [(_score(asked, a), index, a) for index, a in enumerate(pool)] if asked else []
    best = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))
    return [a for _, _, a in best] or pool


# --- the family feedback survey ----------------------------------------------------------


def parse_feedback_survey(text: str, file: str) -> tuple[FeedbackSurvey | None, list[Problem]]:
    """The survey in the YAML ``text`` of ``file``, or None and every problem found."""
    check, data = start(
        text, file, "a family feedback survey", "'title:', 'intro:', 'scale:' and 'questions:'"
    )
    if data is None:
        return None, check.problems
    check.unknown(data, (), FEEDBACK_FIELDS, "a family feedback survey")
    key = check.key(data, default=key_from_file(file))
    title = _texts(check, data, ("title",), MAX_TITLE)
    intro = _texts(check, data, ("intro",), MAX_INTRO)
    why = ", so that no family's answers can be picked out of the totals"
    least = _whole(check, data, ("min_respondents",), RESPONDENTS, why)
    scale = _lists(check, data, ("scale",), (SCALE_POINTS, SCALE_POINTS), MAX_LABEL, "labels")
    example = "each with 'id:' and 'text:'"
    questions: list[FeedbackQuestion] = []
    for path, entry in _entries(check, data, "questions", QUESTIONS, example, "a question"):
        before = len(check.problems)
        check.unknown(entry, path, QUESTION_FIELDS, "a question")
        question = FeedbackQuestion(
            check.key(entry, path), _texts(check, entry, (*path, "text"), MAX_QUESTION)
        )
        if len(check.problems) == before and not _repeated(
            check, path, question.id, questions, "question"
        ):
            questions.append(question)
    _sources(check, data)
    if check.problems:
        return None, check.problems
    return FeedbackSurvey(key, title, intro, scale, least, tuple(questions)), []


def load_feedback_survey(path: str | Path | None = None) -> FeedbackSurvey:
    """The family feedback survey in the file at ``path`` (default: the shipped one).
    Raises ``DataFileError`` naming each mistake's file, line and field."""
    return _load(path, FEEDBACK_FILE, parse_feedback_survey, "the family feedback survey")


# --- the agenda of a class family meeting ------------------------------------------------


def parse_agenda(text: str, file: str) -> tuple[tuple[AgendaItem, ...] | None, list[Problem]]:
    """The agenda in the YAML ``text`` of ``file``, or None and every problem found."""
    check, data = start(text, file, "a meeting agenda", "'items:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), AGENDA_FIELDS, "a meeting agenda")
    example = "each with 'id:', 'minutes:', 'title:' and 'purpose:'"
    items: list[AgendaItem] = []
    for path, entry in _entries(check, data, "items", AGENDA_ITEMS, example, "an agenda item"):
        before = len(check.problems)
        check.unknown(entry, path, ITEM_FIELDS, "an agenda item")
        item = AgendaItem(
            check.key(entry, path),
            _whole(check, entry, (*path, "minutes"), ITEM_MINUTES),
            _texts(check, entry, (*path, "title"), MAX_TITLE),
            _texts(check, entry, (*path, "purpose"), MAX_PURPOSE),
        )
        if len(check.problems) == before and not _repeated(check, path, item.id, items, "item"):
            items.append(item)
    total = agenda_minutes(items)
    if not check.problems and not 0 < total <= MAX_MEETING:
        check.fail(
            ("items",),
            f"add up to {total} minutes; a meeting takes from 1 to {MAX_MEETING} minutes.",
            at_key=True,
        )
    _sources(check, data)
    if check.problems:
        return None, check.problems
    return tuple(items), []


def agenda_minutes(items: Sequence[AgendaItem]) -> int:
    """The length of a meeting with these ``items``, in minutes."""
    return sum(item.minutes for item in items)


def load_agenda(path: str | Path | None = None) -> tuple[AgendaItem, ...]:
    """The agenda items in the file at ``path`` (default: the shipped agenda), in order.
    Raises ``DataFileError`` naming each mistake's file, line and field."""
    return _load(path, AGENDA_FILE, parse_agenda, "the meeting agenda")


# --- the six types of involvement --------------------------------------------------------


def parse_involvement(
    text: str, file: str
) -> tuple[tuple[InvolvementType, ...] | None, list[Problem]]:
    """The six types in the YAML ``text`` of ``file`` (in :data:`INVOLVEMENT_IDS`' order),
    or None and every problem found."""
    check, data = start(text, file, "a types of involvement", "'types:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), INVOLVEMENT_FIELDS, "a types of involvement file")
    example = "each with 'id:', 'name:' and 'description:'"
    six = (len(INVOLVEMENT_IDS), len(INVOLVEMENT_IDS))
    types: list[InvolvementType] = []
    for path, entry in _entries(check, data, "types", six, example, "a type"):
        before = len(check.problems)
        check.unknown(entry, path, TYPE_FIELDS, "a type of involvement")
        kind = InvolvementType(
            check.key(entry, path),
            check.text(entry, (*path, "name"), MAX_NAME),
            check.text(entry, (*path, "description"), MAX_DESCRIPTION),
        )
        if kind.id and kind.id not in INVOLVEMENT_IDS:
            check.fail(
                (*path, "id"),
                f"'{kind.id}' is not one of the six types of involvement; they are: "
                f"{', '.join(INVOLVEMENT_IDS)}.",
            )
        elif len(check.problems) == before and not _repeated(check, path, kind.id, types, "type"):
            types.append(kind)
    if not check.problems:
        for key in INVOLVEMENT_IDS:
            if key not in (t.id for t in types):
                check.fail(("types",), f"has no type '{key}'; describe all six.", at_key=True)
    _sources(check, data)
    if check.problems:
        return None, check.problems
    return tuple(sorted(types, key=lambda t: INVOLVEMENT_IDS.index(t.id))), []


def load_involvement(path: str | Path | None = None) -> tuple[InvolvementType, ...]:
    """Epstein's six types in the file at ``path`` (default: the shipped one), in
    :data:`INVOLVEMENT_IDS`' order. Raises ``DataFileError`` naming each mistake's file,
    line and field."""
    return _load(path, INVOLVEMENT_FILE, parse_involvement, "the types of involvement")


# --- reading a file ----------------------------------------------------------------------


def _load(path: str | Path | None, shipped: str, parse: Parse, what: str) -> Any:
    return load_file(PACKAGE, path, shipped, parse, what)


def asked(survey: FeedbackSurvey, ids: list[str]) -> list[FeedbackQuestion]:
    """The questions a feedback round opened with that the survey still has, in the
    survey's order: a round open while the file changes asks only what both know."""
    wanted = set(ids)
    return [question for question in survey.questions if question.id in wanted]
