"""The students' survey: the shipped file, every rule of its format with its message (file,
line, field), a teacher's own folder replacing it, and the check of a student's answers."""

import pytest

from collab_widgets.core.data_files import DataFileError
from collab_widgets.core.errors import InvalidInput
from collab_widgets.students.survey import (
    REQUIRED_QUESTIONS,
    SURVEY_ENV,
    StudentSurvey,
    SurveyQuestion,
    check_answers,
    load_survey,
    parse_survey,
)

SURVEY = """\
title: Teams for the fair
intro: Tell us what you like.
questions:
  - id: interests
    text: What do you like? Choose up to 2.
    max_choices: 2
    choices:
      - Robots
      - Plants
      - Painting
  - id: schedule
    text: When can you meet?
    choices:
      - Lunch
      - After school
source: Our own words.
"""


@pytest.fixture(autouse=True)
def no_teacher_folder(monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)


def _changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_the_valid_example_parses():
    survey, problems = parse_survey(SURVEY, "fair.yaml")
    assert problems == []
    assert survey == StudentSurvey(
        id="fair",
        title="Teams for the fair",
        intro="Tell us what you like.",
        questions=(
            SurveyQuestion(
                "interests",
                "What do you like? Choose up to 2.",
                ("Robots", "Plants", "Painting"),
                2,
            ),
            SurveyQuestion("schedule", "When can you meet?", ("Lunch", "After school"), 2),
        ),
        source="Our own words.",
        file="fair.yaml",
    )


def test_the_shipped_survey_has_interests_and_schedule():
    survey = load_survey()
    assert survey.id == "team-survey"
    interests, schedule = (survey.question(q) for q in REQUIRED_QUESTIONS)
    assert interests.max_choices == 3
    assert 8 <= len(interests.choices) <= 12
    assert "Before school" in schedule.choices and "At lunch" in schedule.choices
    assert 5 <= len(schedule.choices) <= 8
    assert schedule.max_choices == len(schedule.choices)
    assert "info.catme.org" in survey.source
    assert survey.note


# (change to SURVEY, line, field, words of the message)
RULES = [
    (("title: Teams", "titel: Teams"), 1, "titel", "did you mean 'title'?"),
    (("title: Teams for the fair\n", ""), 1, "", "field 'title' is missing"),
    (("intro: Tell us what you like.", "intro: 12"), 2, "intro", "must be text, not a number"),
    (("source: Our own words.\n", ""), 1, "", "field 'source' is missing"),
    (("source: Our own words.", "source: " + "s" * 1001), 16, "source", "at most 1000"),
    (("  - id: schedule", "  - id: interests"), 11, "questions[1].id", "used by an earlier"),
    (("  - id: schedule", "  - id: times"), 3, "questions", "no question with 'id: schedule'"),
    (("  - id: interests", "  - id: Interests"), 4, "questions[0].id", "lower-case letters"),
    (("  - id: schedule\n", "  - ident: schedule\n"), 11, "questions[1].ident", "a typo?"),
    (("    text: When can you meet?", "    txt: When?"), 12, "questions[1].txt", "'text'"),
    (("    max_choices: 2", "    max_choices: 4"), 6, "questions[0].max_choices", "from 1 to 3"),
    (("    max_choices: 2", "    max_choices: two"), 6, "questions[0].max_choices", "whole"),
    (("    max_choices: 2", "    max_choices: 0"), 6, "questions[0].max_choices", "is 0"),
    (("      - Plants", "      - robots"), 9, "questions[0].choices[1]", "repeats an earlier"),
    (("      - Plants", "      - 7"), 9, "questions[0].choices[1]", "not a number"),
    (("      - Plants", "      - " + "p" * 61), 9, "questions[0].choices[1]", "at most 60"),
    (
        ("      - Lunch\n      - After school\n", "      - Lunch\n"),
        13,
        "questions[1].choices",
        "has 1 entry; give 2 to 12",
    ),
    (("questions:\n", "questions: many\nold:\n"), 3, "questions", "must be a list"),
    (("  - id: schedule\n", "  - just text\n  - id: schedule\n"), 11, "questions[1]", "a set"),
    (("title: Teams for the fair\n", "title: A\ntitle: B\n"), 2, "title", "appears twice"),
    (("    text: When can you meet?\n", "    text: A\n    text: B\n"), 13, "", "twice"),
]


@pytest.mark.parametrize(("change", "line", "field", "words"), RULES)
def test_each_mistake_names_the_file_line_and_field(change, line, field, words):
    survey, problems = parse_survey(_changed(SURVEY, *change), "fair.yaml")
    assert survey is None
    found = [p for p in problems if words in p.message]
    assert found, problems
    assert found[0].file == "fair.yaml"
    assert found[0].line == line
    if field:
        assert found[0].field == field
    text = str(found[0])
    assert text.startswith(f"fair.yaml, line {line}")


def test_a_file_that_is_not_yaml_or_holds_no_fields():
    _, problems = parse_survey("title: [unclosed\n", "bad.yaml")
    assert problems[0].file == "bad.yaml" and "not valid YAML" in problems[0].message
    _, problems = parse_survey("- a list\n", "bad.yaml")
    assert "holds fields such as" in problems[0].message


def test_a_teachers_folder_replaces_the_shipped_survey(tmp_path, monkeypatch):
    (tmp_path / "ours.yaml").write_text(SURVEY, encoding="utf-8")
    assert load_survey(tmp_path).id == "ours"
    monkeypatch.setenv(SURVEY_ENV, str(tmp_path))
    survey = load_survey()
    assert survey.title == "Teams for the fair"
    assert survey.question("interests").choices == ("Robots", "Plants", "Painting")


def test_a_mistake_in_the_teachers_file_stops_loading_with_every_problem(tmp_path):
    broken = _changed(_changed(SURVEY, "title: Teams", "titel: Teams"), "- Plants", "- 7")
    (tmp_path / "ours.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(DataFileError) as raised:
        load_survey(tmp_path)
    message = str(raised.value)
    assert "ours.yaml, line 1, field 'titel'" in message
    assert "ours.yaml, line 9, field 'questions[0].choices[1]'" in message
    assert "ours.yaml, line 1: field 'title' is missing" in message
    assert isinstance(raised.value, InvalidInput)
    assert len(raised.value.problems) == 3


def test_exactly_one_survey_is_in_use(tmp_path):
    (tmp_path / "a.yaml").write_text(SURVEY, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(SURVEY, encoding="utf-8")
    with pytest.raises(DataFileError, match="Keep exactly one"):
        load_survey(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DataFileError, match="holds no .yaml file"):
        load_survey(empty)
    with pytest.raises(DataFileError, match="does not exist"):
        load_survey(tmp_path / "missing")


# --- a student's answers ------------------------------------------------------------------


@pytest.fixture
def survey():
    return parse_survey(SURVEY, "fair.yaml")[0]


def test_answers_come_back_cleaned_in_the_surveys_order(survey):
    cleaned = check_answers(survey, {"interests": ["Painting", " Robots ", "Painting"]})
    assert cleaned == {"interests": ("Robots", "Painting"), "schedule": ()}
    assert check_answers(survey, {"schedule": "Lunch"}) == {
        "interests": (),
        "schedule": ("Lunch",),
    }
    assert check_answers(survey, {}) == {"interests": (), "schedule": ()}


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"colour": ["Red"]}, "no such question"),
        ({"interests": ["Cars"]}, "One of the answers is not a choice"),
        ({"interests": [3]}, "One of the answers is not a choice"),
        ({"interests": ["Robots", "Plants", "Painting"]}, "Choose at most 2"),
    ],
)
def test_answers_that_are_refused(survey, answers, words):
    with pytest.raises(InvalidInput, match=words):
        check_answers(survey, answers)
