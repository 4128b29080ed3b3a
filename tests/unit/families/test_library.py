"""The families' data files: the shipped ones load, are complete in English and Spanish and
add up; a file with a mistake is refused with its file, line and field; a teacher's search
for activities puts the matching skill first."""

from pathlib import Path

import pytest
import yaml

from collab_widgets.core.data_files import DataFileError
from collab_widgets.families import library
from collab_widgets.families.library import (
    FILE_LANGUAGES,
    INVOLVEMENT_IDS,
    Activity,
    activities_for,
    agenda_minutes,
    load_activities,
    load_agenda,
    load_feedback_survey,
    load_involvement,
)

LIBRARY = Path(library.__file__).parent / "library"

ACTIVITIES = """\
source:
  - Our own words.
activities:
  - id: sound-hunt
    skill: letter sounds, phonics
    grades: [0, 1]
    minutes: 10
    involvement: learning-at-home
    title:
      en: Sound hunt
      es: A buscar sonidos
    materials:
      en: Nothing special.
      es: Nada especial.
    steps:
      en:
        - Choose a letter.
        - Look for things.
        - Count them.
      es:
        - Elija una letra.
        - Busquen cosas.
        - Cuéntenlas.
  - id: card-battle
    skill: addition facts
    grades: [1, 2]
    minutes: 15
    involvement: learning-at-home
    title:
      en: Card battle with letters
      es: Batalla de cartas
    materials:
      en: Cards.
      es: Cartas.
    steps:
      en:
        - Deal the cards.
        - Add two cards.
      es:
        - Repartan las cartas.
        - Sumen dos cartas.
"""

FEEDBACK = """\
title:
  en: Your opinion
  es: Su opinión
intro:
  en: Answers are anonymous.
  es: Las respuestas son anónimas.
min_respondents: 3
scale:
  en: [Not at all, A little, Mostly, Very much]
  es: [Para nada, Un poco, Bastante, Mucho]
questions:
  - id: welcome
    text:
      en: I feel welcome.
      es: Me reciben con gusto.
  - id: help-at-home
    text:
      en: I know how to help.
      es: Sé cómo ayudar.
source: Our own words.
"""


def _changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _only_problem(load, path: Path):
    with pytest.raises(DataFileError) as caught:
        load(path)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


# --- the shipped files -------------------------------------------------------------------


def test_the_shipped_activities_load_in_both_languages_with_equal_steps():
    activities = load_activities()
    assert 10 <= len(activities) <= 14
    assert len({a.id for a in activities}) == len(activities)
    for activity in activities:
        assert activity.involvement == "learning-at-home"
        assert activity.grades and all(0 <= g <= 8 for g in activity.grades)
        assert 5 <= activity.minutes <= 30
        for texts in (activity.title, activity.materials, activity.steps):
            assert set(texts) == {"en", "es"} == set(FILE_LANGUAGES), activity.id
        assert 3 <= len(activity.steps["en"]) <= 5, activity.id
        assert len(activity.steps["es"]) == len(activity.steps["en"]), activity.id
    skills = " ".join(a.skill for a in activities)
    for skill in ("letter sounds", "sight words", "fluency", "retelling", "counting on"):
        assert skill in skills
    for skill in ("number bonds", "multiplication", "fractions", "time", "measuring", "money"):
        assert skill in skills


def test_the_shipped_agenda_takes_75_minutes_in_the_apt_order():
    agenda = load_agenda()
    assert agenda_minutes(agenda) == 75 == sum(item.minutes for item in agenda)
    assert [item.id for item in agenda] == [
        "welcome",
        "the-skill",
        "class-graph",
        "teacher-shows",
        "families-practise",
        "set-goal",
        "questions-next",
    ]
    for item in agenda:
        assert set(item.title) == set(item.purpose) == {"en", "es"}


def test_the_shipped_feedback_survey_is_anonymous_from_three_families():
    survey = load_feedback_survey()
    assert survey.id == "family-feedback"
    assert survey.min_respondents == 3
    assert 6 <= len(survey.questions) <= 8
    assert survey.scale["en"][0] == "Not at all" and survey.scale["en"][-1] == "Very much"
    assert len(survey.scale["en"]) == len(survey.scale["es"]) == 4
    assert "anonymous" in survey.intro["en"] and "anónimas" in survey.intro["es"]
    for lang in FILE_LANGUAGES:  # the intro states the threshold the file sets
        assert str(survey.min_respondents) in survey.intro[lang]
    ids = {q.id for q in survey.questions}
    assert {"welcome", "help-at-home", "meeting-times", "my-language"} <= ids


def test_the_shipped_involvement_types_are_epsteins_six_in_order():
    types = load_involvement()
    assert tuple(t.id for t in types) == INVOLVEMENT_IDS
    assert [t.name for t in types][:2] == ["Parenting", "Communicating"]
    assert all(t.description.endswith(".") for t in types)


def _family_texts():
    """Every (English, Spanish) pair a family reads in the shipped files."""
    pairs = []
    for a in load_activities():
        pairs += [(a.title["en"], a.title["es"]), (a.materials["en"], a.materials["es"])]
        pairs += list(zip(a.steps["en"], a.steps["es"], strict=True))
    for item in load_agenda():
        pairs += [(item.title["en"], item.title["es"]), (item.purpose["en"], item.purpose["es"])]
    survey = load_feedback_survey()
    pairs += [(survey.title["en"], survey.title["es"]), (survey.intro["en"], survey.intro["es"])]
    pairs += list(zip(survey.scale["en"], survey.scale["es"], strict=True))
    pairs += [(q.text["en"], q.text["es"]) for q in survey.questions]
    return pairs


def test_the_spanish_texts_are_translated_not_copied():
    pairs = _family_texts()
    assert len(pairs) > 90
    for english, spanish in pairs:
        assert spanish != english
        assert " the " not in f" {spanish.lower()} ", spanish  # an English word left in
    usted = sum("su hijo o hija" in spanish for _, spanish in pairs)
    assert usted >= 15  # addressed to the parent, "usted"


def test_every_shipped_file_cites_its_sources_and_says_the_words_are_ours():
    files = sorted(LIBRARY.rglob("*.yaml"))
    assert len(files) == 4
    for file in files:
        text = file.read_text(encoding="utf-8")
        sources = yaml.safe_load(text)["source"]
        assert isinstance(sources, list) and len(sources) >= 2, file.name
        assert all("http" in source for source in sources), file.name
        assert "own" in text.split("\n\n", 1)[0], file.name  # the top comment


def test_the_shipped_files_are_read_once():
    assert load_activities() is load_activities()
    assert load_feedback_survey() is load_feedback_survey()


def test_the_file_languages_are_languages_of_the_family_pages():
    i18n = pytest.importorskip("collab_widgets.core.i18n")
    assert set(FILE_LANGUAGES) <= set(i18n.LANGUAGES)


# --- a file with a mistake ---------------------------------------------------------------


def test_a_valid_file_of_ones_own_loads(tmp_path):
    activities = load_activities(_write(tmp_path, ACTIVITIES))
    assert [a.id for a in activities] == ["sound-hunt", "card-battle"]
    assert activities[0].steps["es"] == ("Elija una letra.", "Busquen cosas.", "Cuéntenlas.")
    assert activities[0].grades == (0, 1)
    survey = load_feedback_survey(_write(tmp_path, FEEDBACK, "our-survey.yaml"))
    assert survey.id == "our-survey"  # from the file's name
    assert survey.scale["es"][-1] == "Mucho"


def test_a_text_without_spanish_is_refused_at_its_line(tmp_path):
    text = _changed(ACTIVITIES, "      es: A buscar sonidos\n", "")
    problem = _only_problem(load_activities, _write(tmp_path, text))
    assert (problem.file, problem.line, problem.field) == ("mine.yaml", 9, "activities[0].title")
    assert problem.message == "has no 'es' version; add 'es:' with the text in it."


def test_an_unknown_language_is_refused(tmp_path):
    text = _changed(ACTIVITIES, "      es: Nada especial.\n", "      fr: Rien.\n")
    with pytest.raises(DataFileError) as caught:
        load_activities(_write(tmp_path, text))
    messages = {(p.line, p.field, p.message) for p in caught.value.problems}
    assert (14, "activities[0].materials.fr", "is not a language of these files; "
            "the languages are: en, es.") in messages  # fmt: skip
    assert (12, "activities[0].materials", "has no 'es' version; "
            "add 'es:' with the text in it.") in messages  # fmt: skip


def test_steps_of_unequal_length_are_refused(tmp_path):
    text = _changed(ACTIVITIES, "        - Cuéntenlas.\n", "")
    problem = _only_problem(load_activities, _write(tmp_path, text))
    assert (problem.line, problem.field) == (20, "activities[0].steps.es")
    assert problem.message.startswith("has 2 steps but 'en' has 3; give the same steps")


def test_an_unknown_involvement_type_is_refused(tmp_path):
    text = _changed(ACTIVITIES, "involvement: learning-at-home", "involvement: homework")
    problem = _only_problem(load_activities, _write(tmp_path, text))
    assert (problem.line, problem.field) == (8, "activities[0].involvement")
    assert problem.message.startswith(
        "'homework' is not one of the six types of involvement; use one of: parenting, "
    )


def test_an_id_used_twice_is_refused_at_the_second(tmp_path):
    text = _changed(ACTIVITIES, "id: card-battle", "id: sound-hunt")
    problem = _only_problem(load_activities, _write(tmp_path, text))
    assert (problem.line, problem.field) == (24, "activities[1].id")
    assert problem.message == "'sound-hunt' is used by an earlier activity."
    assert "mine.yaml, line 24, field 'activities[1].id'" in str(
        pytest.raises(DataFileError, load_activities, tmp_path / "mine.yaml").value
    )


def test_an_id_that_is_not_kebab_case_is_refused(tmp_path):
    text = _changed(ACTIVITIES, "id: card-battle", "id: Card Battle")
    problem = _only_problem(load_activities, _write(tmp_path, text))
    assert (problem.line, problem.field) == (24, "activities[1].id")
    assert "lower-case letters, digits and dashes" in problem.message


def test_a_survey_shown_from_one_family_is_refused(tmp_path):
    text = _changed(FEEDBACK, "min_respondents: 3", "min_respondents: 1")
    problem = _only_problem(load_feedback_survey, _write(tmp_path, text))
    assert (problem.line, problem.field) == (7, "min_respondents")
    assert problem.message == (
        "is 1; give a whole number from 2 to 50, so that no family's answers can be picked "
        "out of the totals."
    )
    with pytest.raises(DataFileError, match=r"The file of the family feedback survey"):
        load_feedback_survey(tmp_path / "mine.yaml")


def test_a_scale_without_four_labels_is_refused(tmp_path):
    text = _changed(FEEDBACK, "Bastante, Mucho]", "Mucho]")
    _write(tmp_path, text)
    problem = _only_problem(load_feedback_survey, tmp_path / "mine.yaml")
    assert (problem.line, problem.field) == (10, "scale.es")
    assert problem.message == "has 3 labels; give exactly 4, in the same order in every language."


def test_a_repeated_question_and_a_missing_source_are_refused(tmp_path):
    text = _changed(FEEDBACK, "id: help-at-home", "id: welcome")
    text = _changed(text, "source: Our own words.\n", "")
    with pytest.raises(DataFileError) as caught:
        load_feedback_survey(_write(tmp_path, text))
    found = {(p.line, p.field, p.message) for p in caught.value.problems}
    assert found == {
        (16, "questions[1].id", "'welcome' is used by an earlier question."),
        (1, "", "field 'source' is missing; add it as a list (one entry per line starting "
         "with '- ')."),
    }  # fmt: skip


def test_an_agenda_and_its_types_are_checked_too(tmp_path):
    agenda = """\
items:
  - id: welcome
    minutes: 200
    title: {en: Welcome, es: Bienvenida}
    purpose: {en: We meet., es: Nos conocemos.}
source: Our own words.
"""
    problem = _only_problem(load_agenda, _write(tmp_path, agenda, "agenda.yaml"))
    assert (problem.line, problem.field) == (3, "items[0].minutes")
    assert problem.message == "is 200; give a whole number from 1 to 120."

    kinds = "types:\n" + "".join(
        f"  - id: {key}\n    name: {key}\n    description: About {key}.\n"
        for key in INVOLVEMENT_IDS[:5] + ("homework",)
    )
    kinds += "source: Our own words.\n"
    problem = _only_problem(load_involvement, _write(tmp_path, kinds, "types.yaml"))
    assert (problem.line, problem.field) == (17, "types[5].id")
    assert problem.message.startswith("'homework' is not one of the six types of involvement")


def test_a_missing_file_is_refused_in_words(tmp_path):
    problem = _only_problem(load_agenda, tmp_path / "none.yaml")
    assert problem.file == "none.yaml" and problem.message.startswith("cannot be read")


# --- finding activities ------------------------------------------------------------------


def test_a_matching_skill_comes_first():
    assert activities_for("fractions", None)[0].id == "fair-shares"
    assert activities_for("Sight words", 1)[0].id == "sight-word-memory"
    assert activities_for("times tables", 4)[0].id == "times-tables-toss"
    assert activities_for("money", None)[0].id == "play-store"


def test_a_skill_match_ranks_above_a_title_match(tmp_path):
    activities = load_activities(_write(tmp_path, ACTIVITIES))
    # "letters" is in card-battle's title only, "letter" in sound-hunt's skill
    assert [a.id for a in activities_for("letters", None, activities)] == [
        "sound-hunt",
        "card-battle",
    ]
    assert [a.id for a in activities_for("addition", None, activities)] == ["card-battle"]


def test_the_grade_narrows_and_no_match_gives_them_all():
    shipped = load_activities()
    kindergarten = activities_for("", 0, shipped)
    assert kindergarten and all(0 in a.grades for a in kindergarten)
    assert len(kindergarten) < len(shipped)
    assert activities_for("astronomy", None, shipped) == list(shipped)
    assert activities_for("fractions", 0, shipped) == kindergarten  # none for kindergarten
    assert activities_for("addition", 8, shipped)[0].id == "addition-card-battle"  # none in 8
    assert all(isinstance(a, Activity) for a in activities_for("count", None, shipped))
