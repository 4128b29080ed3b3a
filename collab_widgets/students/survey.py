"""The students' short survey before teams are made: its questions as a data file, and the
check of one student's answers.

Plain Python (PyYAML only; no widgets, no SQL). The shipped survey is
``library/survey/team-survey.yaml``: ``id`` (optional; default the file name), ``title``,
``intro``, ``questions`` (each ``id``, ``text``, ``choices`` and, optionally,
``max_choices``; the ids ``interests`` and ``schedule`` are required, the team-making reads
them), ``note`` (optional, for teachers) and ``source``.

Exactly one survey is in use: the shipped one, or the one file in a teacher's or coach's
folder (default: the folder named by ``COLLAB_STUDENT_SURVEY``), which replaces it. A
mistake in that file stops :func:`load_survey` with
:class:`~collab_widgets.core.data_files.DataFileError`, listing every problem with its
file, line and field: students never answer a survey other than the one the teacher wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collab_widgets.core.data_checks import FileChecker, kind_of, start
from collab_widgets.core.data_files import Problem, key_from_file, load_one
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
    :class:`~collab_widgets.core.data_files.DataFileError` naming each mistake's file, line
    and field."""
    return load_one(
        "collab_widgets.students",
        folder,
        SURVEY_ENV,
        parse_survey,
        library="library/survey",
        what="the student survey",
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
