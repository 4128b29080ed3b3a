"""The students' short survey before teams are made: its questions as a data file, and the
check of one student's answers.

Plain Python (PyYAML only; no widgets, no SQL). The shipped survey is
``library/survey/team-survey.yaml``: ``id`` (optional; default the file name), ``title``,
``intro``, ``questions`` (each ``id``, ``text``, ``choices`` and, optionally,
``max_choices``; the ids ``interests`` and ``schedule`` are required, the team-making reads
them), ``note`` (optional, for teachers) and ``source``.

Exactly one survey is in use: the shipped one, or the one file in a teacher's or coach's
folder (default: the folder named by ``COLLAB_STUDENT_SURVEY``), which replaces it. A
mistake in that file stops :func:`load_survey` with :class:`DataFileError`, listing every
problem with its file, line and field: students never answer a survey other than the one
the teacher wrote.

The reading of one data file (:class:`FileChecker`, :func:`load_one`) is shared with the
teamwork dimensions of :mod:`collab_widgets.students.evaluation`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from collab_widgets.core.data_files import (
    KEY,
    Lines,
    Problem,
    field_path,
    key_from_file,
    load_files,
    read_yaml,
)
from collab_widgets.core.errors import InvalidInput

SURVEY_ENV = "COLLAB_STUDENT_SURVEY"
REQUIRED_QUESTIONS = ("interests", "schedule")

MAX_TITLE = 80
MAX_INTRO = 400
MAX_NOTE = 600
MAX_SOURCE = 1000
MAX_QUESTION = 160
MAX_CHOICE = 60
QUESTIONS = (2, 6)  # fewest, most questions
CHOICES = (2, 12)  # fewest, most choices of a question

SURVEY_FIELDS = ("id", "title", "intro", "questions", "note", "source")
QUESTION_FIELDS = ("id", "text", "choices", "max_choices")


@dataclass(frozen=True)
class SurveyQuestion:
    id: str
    text: str
    choices: tuple[str, ...]
    max_choices: int  # 1 to len(choices)


@dataclass(frozen=True)
class StudentSurvey:
    id: str
    title: str
    intro: str
    questions: tuple[SurveyQuestion, ...]  # "interests" and "schedule" among them
    note: str = ""  # for teachers
    source: str = ""
    file: str = ""

    def question(self, question_id: str) -> SurveyQuestion | None:
        return next((q for q in self.questions if q.id == question_id), None)


class DataFileError(InvalidInput):
    """The data file in use has mistakes: ``problems`` names each one's file, line and
    field; the message lists them all."""

    def __init__(self, what: str, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"{what} cannot be used until these are fixed:\n{lines}")


# --- reading one data file (shared with the teamwork dimensions) ---------------------------


class FileChecker:
    """Records the problems of one YAML file, each at its line and field."""

    def __init__(self, file: str, lines: Lines, what: str):
        self.file = file
        self.lines = lines
        self.what = what  # "a student survey", in messages
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.problems.append(
            Problem(self.file, self.lines.line(path, at_key), field_path(path), message)
        )

    def unknown(self, data: dict, path: tuple, known: Collection[str], what: str) -> None:
        """Every field of ``data`` that is not ``known``, with the closest known name."""
        for name in data:
            if name in known:
                continue
            close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "a typo?"
            self.fail(
                (*path, name),
                f"is not a field of {what} ({hint}); the fields are: {', '.join(known)}.",
                at_key=True,
            )

    def text(self, data: dict, path: tuple, longest: int, *, required: bool = True) -> str:
        """The text at ``path``, its spaces tidied; "" when it is missing and optional, or
        after recording its problem."""
        name = path[-1]
        if name not in data:
            if required:
                self.fail(path[:-1], f"field '{name}' is missing; add it as text.")
            return ""
        return self.entry(data[name], path, longest)

    def entry(self, value: Any, path: tuple, longest: int) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(path, "is empty; write a few words.")
            return ""
        if not isinstance(value, str):
            kind = kind_of(value)
            self.fail(path, f"must be text, not {kind}{QUOTE_HINTS.get(kind, '')}.")
            return ""
        value = " ".join(value.split())
        if len(value) > longest:
            self.fail(path, f"is {len(value)} characters long; shorten it to at most {longest}.")
            return ""
        return value

    def items(self, data: dict, path: tuple, fewest: int, most: int, example: str) -> list:
        """The list at ``path`` (required), as it is; [] after recording its problem."""
        name = path[-1]
        if name not in data:
            self.fail(path[:-1], f"field '{name}' is missing; add it as a list ({example}).")
            return []
        value = data[name]
        if value is None:
            self.fail(path, f"is empty; add entries ({example}).")
            return []
        if not isinstance(value, list):
            self.fail(path, f"must be a list ({example}), not {kind_of(value)}.")
            return []
        if not fewest <= len(value) <= most:
            word = "entry" if len(value) == 1 else "entries"
            self.fail(path, f"has {len(value)} {word}; give {fewest} to {most}.", at_key=True)
        return value

    def texts(
        self, data: dict, path: tuple, fewest: int, most: int, longest: int
    ) -> tuple[str, ...]:
        """The list of short texts at ``path`` (required), none repeated."""
        entries: list[str] = []
        example = "one entry per line starting with '- '"
        for index, item in enumerate(self.items(data, path, fewest, most, example)):
            text = self.entry(item, (*path, index), longest)
            if text and text.casefold() in (e.casefold() for e in entries):
                self.fail((*path, index), f"repeats an earlier entry ('{text}').")
            elif text:
                entries.append(text)
        return tuple(entries)

    def fields(self, value: Any, path: tuple, what: str) -> dict | None:
        """``value`` (an entry of a list at ``path``) when it is a set of fields."""
        if isinstance(value, dict):
            return value
        self.fail(path, f"must be {what}, a set of fields, not {kind_of(value)}.")
        return None

    def key(self, data: dict, path: tuple = (), *, default: str | None = None) -> str:
        """The id at ``path`` + ``id``: lower-case letters, digits and dashes. Without
        ``default`` it is required; a file's own id defaults to its name."""
        if "id" not in data:
            if default is None:
                self.fail(path, "field 'id' is missing; add one, e.g. 'id: my-question'.")
                return ""
            if not KEY.match(default):
                self.fail(
                    path,
                    f"the file name gives the id '{default}', which is not valid; rename the "
                    "file or add 'id:' with lower-case letters, digits and dashes.",
                )
            return default
        key = data["id"]
        if not isinstance(key, str) or not KEY.match(key):
            self.fail((*path, "id"), "must be lower-case letters, digits and dashes, e.g. 'my-id'.")
            return ""
        return key

    def repeated_fields(self, node: yaml.Node | None, path: tuple = ()) -> None:
        """A field written twice in one mapping: YAML keeps only the last, silently."""
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.repeated_fields(item, (*path, index))
            return
        if not isinstance(node, yaml.MappingNode):
            return
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            name = key_node.value
            if name in seen:
                self.problems.append(
                    Problem(
                        self.file,
                        key_node.start_mark.line + 1,
                        field_path((*path, name)),
                        "appears twice; keep only one (the last one would silently win).",
                    )
                )
            seen.add(name)
            self.repeated_fields(value_node, (*path, name))


# Values YAML reads as something else than text, and how to keep them as text.
QUOTE_HINTS = {
    "a number": " (put it in quotes if it is meant as text)",
    "yes/no": " (put it in quotes if it is meant as text)",
    "a date": " (put it in quotes if it is meant as text)",
    "a set of fields": " (put it in quotes if the text contains ': ')",
}


def kind_of(value: Any) -> str:
    """What YAML read ``value`` as, in a coach's words."""
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, str):
        return "text"
    return "a date" if hasattr(value, "year") else "that value"


def start(text: str, file: str, what: str, example: str) -> tuple[FileChecker, dict | None]:
    """The checker of ``file`` and its fields; no fields when it is not valid YAML or does
    not hold fields (the checker then holds the problem)."""
    node, data, invalid = read_yaml(text, file, invalid="not valid YAML")
    if invalid is not None:
        check = FileChecker(file, Lines(None), what)
        check.problems.append(invalid)
        return check, None
    check = FileChecker(file, Lines(node), what)
    if not isinstance(data, dict):
        check.fail((), f"{what} file holds fields such as {example}.")
        return check, None
    check.repeated_fields(node)
    return check, data


Parse = Callable[[str, str], tuple[Any, list[Problem]]]


def load_one(parse: Parse, folder: str | Path | None, env: str, *, library: str, what: str) -> Any:
    """The one data file in use: the one in ``folder`` (default: the folder named by
    ``env``, if set), which replaces the shipped one in ``library``; parsed by ``parse``.

    Raises :class:`DataFileError` when the file in use has problems, when that folder does
    not exist, holds no data file or holds more than one (exactly one set is in use).
    """
    shipped: list[Any] = []
    own: list[tuple[str, Any]] = []
    problems: list[Problem] = []

    def add(text: str, name: str, *, replaces: bool, taken: Collection[str]) -> None:
        try:
            item, found = parse(text, name)
        except Exception as exc:  # a file the rules did not foresee: a problem, not a crash
            item, found = None, [Problem(name, 1, "", f"cannot be read ({type(exc).__name__}).")]
        problems.extend(found)
        if replaces:
            own.append((name, item))
        else:
            shipped.append(item)

    place = f"the folder of {what} ({env})"
    load_files("collab_widgets.students", folder, env, add, problems, what=place, library=library)
    chosen = folder if folder is not None else os.environ.get(env)
    if chosen and Path(chosen).expanduser().is_dir() and not own:
        problems.append(
            Problem(str(chosen), 1, "", f"holds no .yaml file; put your one file of {what} in it.")
        )
    if len(own) > 1:
        names = ", ".join(name for name, _ in own)
        for name, _ in own[1:]:
            problems.append(
                Problem(
                    name,
                    1,
                    "",
                    f"only one file of {what} can be in use; the folder holds "
                    f"{names}. Keep exactly one.",
                )
            )
    if problems:
        raise DataFileError(f"The file of {what}", problems)
    return own[0][1] if own else shipped[0]


# --- the survey --------------------------------------------------------------------------


def parse_survey(text: str, file: str) -> tuple[StudentSurvey | None, list[Problem]]:
    """The survey in the YAML ``text`` of ``file``, or None and every problem found."""
    check, data = start(text, file, "a student survey", "'title:', 'intro:' and 'questions:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), SURVEY_FIELDS, "a student survey")
    key = check.key(data, default=key_from_file(file))
    title = check.text(data, ("title",), MAX_TITLE)
    intro = check.text(data, ("intro",), MAX_INTRO)
    example = "each with 'id:', 'text:' and 'choices:'"
    questions: list[SurveyQuestion] = []
    for index, raw in enumerate(check.items(data, ("questions",), *QUESTIONS, example)):
        question = _question(check, raw, ("questions", index))
        if question and question.id in (q.id for q in questions):
            check.fail(
                ("questions", index, "id"), f"'{question.id}' is used by an earlier question."
            )
        elif question:
            questions.append(question)
    if isinstance(data.get("questions"), list):
        for required in REQUIRED_QUESTIONS:
            ids = [raw.get("id") for raw in data["questions"] if isinstance(raw, dict)]
            if required not in ids:
                check.fail(
                    ("questions",),
                    f"has no question with 'id: {required}'; the team-making reads it.",
                    at_key=True,
                )
    note = check.text(data, ("note",), MAX_NOTE, required=False)
    source = check.text(data, ("source",), MAX_SOURCE)
    if check.problems:
        return None, check.problems
    survey = StudentSurvey(key, title, intro, tuple(questions), note, source, file)
    return survey, []


def _question(check: FileChecker, raw: Any, path: tuple) -> SurveyQuestion | None:
    data = check.fields(raw, path, "a question")
    if data is None:
        return None
    before = len(check.problems)
    check.unknown(data, path, QUESTION_FIELDS, "a question")
    key = check.key(data, path)
    text = check.text(data, (*path, "text"), MAX_QUESTION)
    choices = check.texts(data, (*path, "choices"), *CHOICES, MAX_CHOICE)
    most = len(choices)
    if "max_choices" in data:
        value = data["max_choices"]
        if isinstance(value, bool) or not isinstance(value, int):
            check.fail((*path, "max_choices"), f"must be a whole number, not {kind_of(value)}.")
        elif choices and not 1 <= value <= len(choices):
            check.fail(
                (*path, "max_choices"),
                f"is {value}; give a number from 1 to {len(choices)} (the number of choices).",
            )
        else:
            most = value
    if len(check.problems) > before:
        return None
    return SurveyQuestion(key, text, choices, most)


def load_survey(folder: Path | None = None) -> StudentSurvey:
    """The survey in use: the one file in ``folder`` (default: the folder named by
    ``COLLAB_STUDENT_SURVEY``, if set), else the shipped one. Raises
    :class:`DataFileError` naming each mistake's file, line and field."""
    return load_one(
        parse_survey, folder, SURVEY_ENV, library="library/survey", what="the student survey"
    )


# --- a student's answers -----------------------------------------------------------------


def check_answers(
    survey: StudentSurvey, answers: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """One student's answers, cleaned: every question of ``survey`` by id, with the chosen
    choices in the survey's order (a question not answered has none). Refused with
    :class:`InvalidInput` (plain words for the student): an unknown question or choice, or
    more choices than the question allows."""
    cleaned: dict[str, tuple[str, ...]] = {question.id: () for question in survey.questions}
    for question_id, chosen in answers.items():
        question = survey.question(question_id)
        if question is None:
            raise InvalidInput("This survey has no such question.", field=str(question_id))
        if isinstance(chosen, str):
            chosen = (chosen,)
        picked: set[str] = set()
        for choice in chosen:
            text = " ".join(choice.split()) if isinstance(choice, str) else None
            if text not in question.choices:
                raise InvalidInput(  # the choice is not repeated: it could be anything
                    f"One of the answers is not a choice for “{question.text}”; reload the "
                    "page and choose again.",
                    field=question.id,
                )
            picked.add(text)
        if len(picked) > question.max_choices:
            raise InvalidInput(
                f"Choose at most {question.max_choices} for “{question.text}”.",
                field=question.id,
            )
        cleaned[question.id] = tuple(c for c in question.choices if c in picked)
    return cleaned
