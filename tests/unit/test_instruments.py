"""Pulse-survey instruments: the shipped files, every rule of the file format with its
message (file, line, field), and scoring against figures worked out by hand."""

from __future__ import annotations

import math
import re
from importlib import resources
from pathlib import Path

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.instruments.library import load_instruments, load_library
from collab_widgets.instruments.schema import InstrumentFileError, Subscale, parse
from collab_widgets.instruments.scoring import check_answer, respondent_scores, summarise, trend

# Line numbers are on the left for reading the tests below; they are not in the file.
#  1 id: pulse
#  2 title: Pulse
#  3 purpose: Try the scoring.
#  4 scale:
#  5   min: 1
#  6   max: 6
#  7   labels: [a, b, c, d, e, f]
#  8 min_respondents: 3
#  9 subscales:
# 10   comp: Competence
# 11   task: Task
# 12 items:
# 13   - key: c1
# 14     text: One.
# 15     subscale: comp
# 16   - key: c2
# 17     text: Two.
# 18     subscale: comp
# 19     reverse: true
# 20   - key: t1
# 21     text: Three.
# 22     subscale: task
# 23 source: Our own words.
VALID = """\
id: pulse
title: Pulse
purpose: Try the scoring.
scale:
  min: 1
  max: 6
  labels: [a, b, c, d, e, f]
min_respondents: 3
subscales:
  comp: Competence
  task: Task
items:
  - key: c1
    text: One.
    subscale: comp
  - key: c2
    text: Two.
    subscale: comp
    reverse: true
  - key: t1
    text: Three.
    subscale: task
source: Our own words.
"""

SHIPPED = {"collective-efficacy", "team-health", "fist-to-five"}


@pytest.fixture
def pulse():
    return parse(VALID, "pulse.yaml")


@pytest.fixture(autouse=True)
def no_coach_folder(monkeypatch):
    monkeypatch.delenv("COLLAB_INSTRUMENTS", raising=False)


def changed(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def problems_of(text: str, name: str = "bad.yaml") -> InstrumentFileError:
    with pytest.raises(InvalidInput) as caught:
        parse(text, name)
    assert isinstance(caught.value, InstrumentFileError)
    return caught.value


# --- the file format -----------------------------------------------------------------


def test_the_valid_example_parses_into_frozen_records(pulse):
    assert pulse.key == "pulse" and pulse.title == "Pulse" and pulse.file == "pulse.yaml"
    assert (pulse.scale.min, pulse.scale.max) == (1, 6)
    assert pulse.scale.points == (1, 2, 3, 4, 5, 6)
    assert pulse.scale.label(1) == "a" and pulse.scale.label(6) == "f"
    assert pulse.min_respondents == 3 and pulse.anonymous is True
    assert pulse.subscales == (Subscale("comp", "Competence"), Subscale("task", "Task"))
    assert [(i.key, i.subscale, i.reverse) for i in pulse.items] == [
        ("c1", "comp", False),
        ("c2", "comp", True),
        ("t1", "task", False),
    ]
    with pytest.raises(AttributeError):
        pulse.title = "Other"  # frozen


def test_defaults_id_from_file_minimum_three_and_one_implicit_subscale():
    text = """\
title: Quick check
purpose: One question.
scale: {min: 1, max: 3, labels: [low, middle, high]}
items:
  - key: how
    text: How is it going?
source: Our own words.
"""
    instrument = parse(text, "folder/Quick_Check.yaml")
    assert instrument.key == "quick-check"
    assert instrument.min_respondents == 3
    assert instrument.subscales == (Subscale("quick-check", "Quick check"),)
    assert instrument.items[0].subscale == "quick-check"
    assert instrument.items[0].reverse is False


# (replace this, with that) -> the line and the field named, and words in the message.
MISTAKES = [
    pytest.param("source: Our own words.\n", "", 1, "source", "is missing", id="missing source"),
    pytest.param("title: Pulse\n", "", 1, "title", "is missing", id="missing title"),
    pytest.param("    text: Two.\n", "", 16, "items[1].text", "is missing", id="missing text"),
    pytest.param(
        "  - key: c1\n    text: One.\n",
        "  - text: One.\n",
        13,
        "items[0].key",
        "is missing",
        id="missing key",
    ),
    pytest.param(
        "source: Our own words.\n",
        "source: Our own words.\ncolour: red\n",
        24,
        "colour",
        "not a field",
        id="unknown field",
    ),
    pytest.param(
        "    reverse: true",
        "    reversed: true",
        19,
        "items[1].reversed",
        "not a field",
        id="unknown item field",
    ),
    pytest.param("  max: 6", "  max: 1", 6, "scale.max", "above min", id="max below min"),
    pytest.param("  min: 1", "  min: one", 5, "scale.min", "whole number", id="min not number"),
    pytest.param("  max: 6", "  max: 11", 6, "scale.max", "from 1 to 10", id="max too high"),
    pytest.param(
        "[a, b, c, d, e, f]", "[a, b, c]", 7, "scale.labels", "has 3 labels", id="few labels"
    ),
    pytest.param(
        "[a, b, c, d, e, f]",
        "[a, b, c, d, e, e]",
        7,
        "scale.labels[5]",
        "used twice",
        id="same label twice",
    ),
    pytest.param(
        "scale:\n  min: 1\n  max: 6\n  labels: [a, b, c, d, e, f]\n",
        "scale: 6\n",
        4,
        "scale",
        "must hold 'min', 'max' and 'labels'",
        id="scale not a mapping",
    ),
    pytest.param(
        "    subscale: comp\n    reverse",
        "    subscale: compo\n    reverse",
        18,
        "items[1].subscale",
        "'compo' is not declared under 'subscales'; use one of: comp, task",
        id="undeclared subscale",
    ),
    pytest.param(
        "  - key: t1",
        "  - key: c1",
        20,
        "items[2].key",
        "used by an earlier item",
        id="duplicate item key",
    ),
    pytest.param(
        "  - key: c2", "  - key: C 2", 16, "items[1].key", "lower-case", id="bad item key"
    ),
    pytest.param("id: pulse", "id: Pulse Check", 1, "id", "lower-case", id="bad id"),
    pytest.param(
        "min_respondents: 3",
        "min_respondents: 1",
        8,
        "min_respondents",
        "from 2",
        id="minimum below 2",
    ),
    pytest.param(
        "min_respondents: 3",
        "min_respondents: true",
        8,
        "min_respondents",
        "whole number",
        id="minimum a bool",
    ),
    pytest.param(
        "    reverse: true",
        '    reverse: "yes"',
        19,
        "items[1].reverse",
        "true or false",
        id="reverse a text",
    ),
    pytest.param(
        "    reverse: true",
        "    reverse: 1",
        19,
        "items[1].reverse",
        "true or false",
        id="reverse a number",
    ),
    pytest.param(
        "source: Our own words.\n",
        "source: Our own words.\nanonymous: false\n",
        24,
        "anonymous",
        "must be true",
        id="not anonymous",
    ),
    pytest.param(
        "  task: Task\n",
        "  task: Task\n  spare: Spare\n",
        12,
        "subscales.spare",
        "has no items",
        id="subscale without items",
    ),
    pytest.param("title: Pulse", "title: 12", 2, "title", "must be text", id="title a number"),
    pytest.param(
        "source: Our own words.\n",
        "source: Our own words.\ntitle: Again\n",
        24,
        "title",
        "written twice",
        id="field twice",
    ),
]


@pytest.mark.parametrize(("old", "new", "line", "field", "words"), MISTAKES)
def test_each_mistake_names_the_file_the_line_and_the_field(old, new, line, field, words):
    error = problems_of(changed(old, new), "pulse.yaml")
    assert len(error.problems) == 1, str(error)
    problem = error.problems[0]
    assert (problem.file, problem.line, problem.field) == ("pulse.yaml", line, field)
    assert words in problem.message
    assert str(error).startswith(f"pulse.yaml, line {line}, field '{field}': ")
    assert error.field == field


def test_an_item_subscale_without_declared_subscales_is_refused():
    text = """\
title: Quick check
purpose: One question.
scale: {min: 1, max: 3, labels: [low, middle, high]}
items:
  - key: how
    text: How is it going?
    subscale: mood
source: Our own words.
"""
    error = problems_of(text, "quick.yaml")
    assert str(error) == (
        "quick.yaml, line 7, field 'items[0].subscale': 'mood' is not declared: this file "
        "has no 'subscales'. Declare it there or remove the item's subscale."
    )


def test_a_field_written_twice_is_judged_by_the_value_yaml_keeps():
    text = changed("    reverse: true\n", "    reverse: true\n    reverse: maybe\n")
    error = problems_of(text, "twice.yaml")
    assert [(p.line, p.field) for p in error.problems] == [
        (20, "items[1].reverse"),  # written twice
        (20, "items[1].reverse"),  # and the value kept, the second, is not true or false
    ]
    assert "written twice" in error.problems[0].message
    assert "true or false" in error.problems[1].message


@pytest.mark.parametrize(
    ("text", "found"),
    [("- a list\n- of things\n", "a list"), ("just words\n", "a str"), ("", "nothing")],
)
def test_yaml_that_is_not_a_mapping_is_refused_with_file_and_line(text, found):
    error = problems_of(text, "notes.yaml")
    assert len(error.problems) == 1
    assert str(error).startswith("notes.yaml, line 1: an instrument file holds fields")
    assert f"(found {found})" in str(error)


def test_text_that_is_not_yaml_names_the_line():
    error = problems_of(VALID.replace("  labels: [a, b, c, d, e, f]", "  labels: [a, b"))
    assert len(error.problems) == 1
    assert str(error).startswith("bad.yaml, line ")
    assert "not valid YAML" in str(error)
    assert error.problems[0].line >= 7


def test_a_file_with_several_problems_lists_them_all_in_file_order():
    text = (
        changed("min_respondents: 3", "min_respondents: 1")
        .replace("    reverse: true", "    reverse: maybe")
        .replace("    subscale: comp\n    reverse", "    subscale: compo\n    reverse")
        .replace("source: Our own words.\n", "colour: red\n")
    )
    error = problems_of(text, "many.yaml")
    assert [(p.line, p.field) for p in error.problems] == [
        (1, "source"),
        (8, "min_respondents"),
        (18, "items[1].subscale"),
        (19, "items[1].reverse"),
        (23, "colour"),
    ]
    lines = str(error).splitlines()
    assert len(lines) == 5
    assert all(line.startswith("many.yaml, line ") for line in lines)


def test_the_example_in_the_authoring_guide_parses():
    guide = Path(__file__).parents[2] / "docs" / "authoring-instruments.md"
    example = re.search(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)
    instrument = parse(example.group(1), "meeting-pulse.yaml")
    assert instrument.key == "meeting-pulse"
    assert [(i.key, i.subscale, i.reverse) for i in instrument.items] == [
        ("on-learning", "focus", False),
        ("few-talked", "voice", True),
        ("heard", "voice", False),
    ]


# --- the shipped library -------------------------------------------------------------


def test_the_shipped_library_loads_whole():
    library = load_library()
    assert library.problems == []
    assert set(library.instruments) == SHIPPED
    assert set(load_instruments()) == SHIPPED


def test_each_shipped_file_passes_parse_and_cites_its_source():
    folder = resources.files("collab_widgets.instruments").joinpath("library")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".yaml"))
    assert names == sorted(f"{key}.yaml" for key in SHIPPED)
    for name in names:
        instrument = parse(folder.joinpath(name).read_text(encoding="utf-8"), name)
        assert instrument.key == name.removesuffix(".yaml")
        assert instrument.source.startswith("Collaboration Workbook wording.")
        assert instrument.anonymous is True and instrument.min_respondents >= 3
        for item in instrument.items:
            # Our own items speak of "our team", never in a published scale's voice.
            assert "teachers here" not in item.text.lower()
            assert "teachers in this school" not in item.text.lower()


def test_collective_efficacy_has_two_subscales_and_reverse_items():
    efficacy = load_instruments()["collective-efficacy"]
    assert efficacy.scale.points == (1, 2, 3, 4, 5, 6)
    assert efficacy.scale.labels[0] == "strongly disagree"
    assert efficacy.scale.labels[-1] == "strongly agree"
    assert [s.key for s in efficacy.subscales] == ["group-competence", "task-analysis"]
    assert 6 <= len(efficacy.items) <= 8
    assert sum(item.reverse for item in efficacy.items) >= 2
    assert all(efficacy.items_of(s.key) for s in efficacy.subscales)
    assert "Goddard" in efficacy.source and "Bandura" in efficacy.source


def test_team_health_covers_four_areas_with_two_items_each():
    health = load_instruments()["team-health"]
    assert health.scale.points == (1, 2, 3, 4, 5)
    assert [s.key for s in health.subscales] == [
        "norms",
        "trust",
        "participation",
        "student-learning",
    ]
    assert [len(health.items_of(s.key)) for s in health.subscales] == [2, 2, 2, 2]
    assert any(item.reverse for item in health.items)
    assert "Learning by Doing" in health.source


def test_fist_to_five_is_one_item_from_fist_to_full_support():
    fist = load_instruments()["fist-to-five"]
    assert fist.scale.points == (0, 1, 2, 3, 4, 5)
    assert fist.scale.label(0) == "fist: I block this"
    assert fist.scale.label(5) == "full support"
    assert len(fist.items) == 1 and len(fist.subscales) == 1
    assert fist.min_respondents == 3
    summary = summarise(fist, [{"support": 5}, {"support": 3}, {"support": 0}])
    assert summary.subscale("fist-to-five").mean == pytest.approx(8 / 3)
    assert summary.item("support").counts == {0: 1, 1: 0, 2: 0, 3: 1, 4: 0, 5: 1}


def test_shipped_reverse_items_score_the_other_way_round():
    instruments = load_instruments()
    # 6-point scale: 1 + 6 - 2 = 5.
    assert respondent_scores(instruments["collective-efficacy"], {"out-of-ideas": 2}) == {
        "group-competence": 5.0
    }
    # 5-point scale: 1 + 5 - 1 = 5.
    assert respondent_scores(instruments["team-health"], {"few-dominate": 1}) == {
        "participation": 5.0
    }


def test_a_coach_folder_adds_and_replaces_and_a_bad_file_is_listed(tmp_path):
    (tmp_path / "fist-to-five.yaml").write_text(
        VALID.replace("id: pulse", "id: fist-to-five").replace("title: Pulse", "title: Ours"),
        encoding="utf-8",
    )
    (tmp_path / "pulse.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(
        changed("min_respondents: 3", "min_respondents: 0"), encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("not an instrument", encoding="utf-8")
    library = load_library(tmp_path)
    assert set(library.instruments) == SHIPPED | {"pulse"}
    assert library.get("fist-to-five").title == "Ours"
    assert [str(p) for p in library.problems] == [
        "broken.yaml, line 8, field 'min_respondents': must be the fewest answers before "
        "any figure is shown: a whole number from 2 to 100."
    ]
    with pytest.raises(InvalidInput, match=r"broken\.yaml, line 8, field 'min_respondents'"):
        load_instruments(tmp_path)


def test_two_coach_files_with_one_id_and_a_missing_folder_are_problems(tmp_path, monkeypatch):
    (tmp_path / "a.yaml").write_text(VALID, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(VALID, encoding="utf-8")
    monkeypatch.setenv("COLLAB_INSTRUMENTS", str(tmp_path))
    library = load_library()
    assert "pulse" in library.instruments
    assert [(p.file, p.field) for p in library.problems] == [("b.yaml", "id")]
    with pytest.raises(InvalidInput, match="does not exist"):
        load_instruments(tmp_path / "nowhere")


# --- one respondent ------------------------------------------------------------------


def test_check_answer_keeps_item_order_and_drops_skipped_items(pulse):
    checked = check_answer(pulse, {"t1": 3, "c1": None, "c2": 4})
    assert checked == {"c2": 4, "t1": 3}
    assert list(checked) == ["c2", "t1"]


@pytest.mark.parametrize(
    ("answer", "field", "words"),
    [
        pytest.param({"zz": 3}, "zz", "'zz' is not an item of Pulse", id="unknown item"),
        pytest.param(
            {"c1": 7},
            "c1",
            "Item 'c1': the answer must be a whole number from 1 to 6",
            id="above the scale",
        ),
        pytest.param({"c1": 0}, "c1", "from 1 to 6 (got 0)", id="below the scale"),
        pytest.param({"c1": "4"}, "c1", "from 1 to 6 (got '4')", id="text"),
        pytest.param({"c1": 4.0}, "c1", "from 1 to 6 (got 4.0)", id="float"),
        pytest.param({"c1": True}, "c1", "from 1 to 6 (got True)", id="bool is not an int"),
        pytest.param({}, None, "Answer at least one item of Pulse.", id="empty"),
        pytest.param({"c1": None}, None, "Answer at least one item", id="all skipped"),
    ],
)
def test_check_answer_refuses_naming_the_item_and_the_range(pulse, answer, field, words):
    with pytest.raises(InvalidInput) as caught:
        check_answer(pulse, answer)
    assert words in str(caught.value)
    assert caught.value.field == field


def test_check_answer_lists_every_wrong_item_and_refuses_a_non_mapping(pulse):
    with pytest.raises(InvalidInput) as caught:
        check_answer(pulse, {"c1": 9, "t1": 3, "zz": 1})
    assert "Item 'c1'" in str(caught.value) and "'zz' is not an item" in str(caught.value)
    assert "the items are: c1, c2, t1" in str(caught.value)
    with pytest.raises(InvalidInput, match="maps item keys"):
        check_answer(pulse, [("c1", 3)])


def test_respondent_scores_reverse_items_and_means_per_subscale(pulse):
    # c2 is reverse on 1..6: an answer of 2 scores 1 + 6 - 2 = 5.
    assert respondent_scores(pulse, {"c2": 2}) == {"comp": 5.0}
    # comp = (c1 5 + c2 reversed 5) / 2 = 5; task = t1 = 3.
    assert respondent_scores(pulse, {"c1": 5, "c2": 2, "t1": 3}) == {"comp": 5.0, "task": 3.0}
    # comp = (4 + (7 - 5)) / 2 = 3.
    assert respondent_scores(pulse, {"c1": 4, "c2": 5}) == {"comp": 3.0}
    # A partial answer: comp skipped entirely is absent, not zero.
    assert respondent_scores(pulse, {"t1": 4}) == {"task": 4.0}
    with pytest.raises(InvalidInput):
        respondent_scores(pulse, {"t1": 8})


# --- a round -------------------------------------------------------------------------

# Four respondents, worked out by hand (c2 is reverse: scored 7 - answer).
A = {"c1": 5, "c2": 2, "t1": 3}  # comp (5 + 5) / 2 = 5.0; task 3.0
B = {"c1": 4, "c2": 5, "t1": 6}  # comp (4 + 2) / 2 = 3.0; task 6.0
C = {"c1": 6, "c2": 1}  # comp (6 + 6) / 2 = 6.0; skipped task
D = {"t1": 2}  # skipped comp; task 2.0


def test_two_answers_with_a_minimum_of_three_show_no_figure_at_all(pulse):
    summary = summarise(pulse, [A, B])
    assert summary.respondents == 2 and summary.min_respondents == 3
    assert summary.shown is False
    for sub in summary.subscales:
        assert sub.shown is False
        assert (sub.n, sub.mean, sub.sd, sub.min, sub.max) == (None,) * 5
    for item in summary.items:
        assert item.shown is False and item.n is None and item.counts == {}
    assert [s.key for s in summary.subscales] == ["comp", "task"]
    assert "2 answered" in summary.note and "at least 3" in summary.note


def test_three_answers_show_and_a_subscale_below_the_minimum_stays_hidden(pulse):
    summary = summarise(pulse, [A, B, C])
    assert summary.shown is True and summary.respondents == 3 and summary.note == ""
    comp = summary.subscale("comp")
    # Scores 5, 3, 6: mean 14/3; deviations 1/3, -5/3, 4/3; squares sum 42/9;
    # population variance 42/27 = 14/9; sd sqrt(14)/3 = 1.2472.
    assert comp.shown is True and comp.n == 3
    assert comp.mean == pytest.approx(14 / 3)
    assert comp.sd == pytest.approx(math.sqrt(14) / 3)
    assert comp.sd == pytest.approx(1.2472, abs=1e-4)
    assert (comp.min, comp.max) == (3.0, 6.0)
    # C skipped task: only A and B answered it, fewer than 3, so it shows nothing.
    task = summary.subscale("task")
    assert task.shown is False and task.n is None and task.mean is None
    # Counts are the answers as given (c2 not reversed), every point listed.
    assert summary.item("c1").counts == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    assert summary.item("c2").counts == {1: 1, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0}
    assert summary.item("c1").n == 3
    assert summary.item("t1").shown is False and summary.item("t1").counts == {}


def test_partial_answers_count_only_in_the_subscales_they_answered(pulse):
    summary = summarise(pulse, [A, B, C, D])
    assert summary.respondents == 4
    comp, task = summary.subscale("comp"), summary.subscale("task")
    assert comp.n == 3  # D skipped comp
    assert comp.mean == pytest.approx(14 / 3)
    # Task scores 3, 6, 2 (C skipped task): mean 11/3; deviations -2/3, 7/3, -5/3;
    # squares 4/9 + 49/9 + 25/9 = 78/9; variance 78/27 = 26/9; sd sqrt(26)/3 = 1.6997.
    assert task.n == 3
    assert task.mean == pytest.approx(11 / 3)
    assert task.sd == pytest.approx(math.sqrt(26) / 3)
    assert (task.min, task.max) == (2.0, 6.0)
    assert summary.item("t1").counts == {1: 0, 2: 1, 3: 1, 4: 0, 5: 0, 6: 1}


def test_a_team_minimum_of_two_shows_two_answers_with_population_sd(pulse):
    summary = summarise(pulse, [A, B], min_respondents=2)
    assert summary.shown is True and summary.min_respondents == 2
    # comp 5 and 3: mean 4, population sd 1 (a sample sd would be 1.414).
    assert summary.subscale("comp").mean == 4.0 and summary.subscale("comp").sd == 1.0
    # task 3 and 6: mean 4.5, population sd 1.5.
    assert summary.subscale("task").mean == 4.5 and summary.subscale("task").sd == 1.5


@pytest.mark.parametrize("minimum", [1, 0, True, 2.5])
def test_a_minimum_below_two_is_refused(pulse, minimum):
    with pytest.raises(InvalidInput, match="at least 2"):
        summarise(pulse, [A, B, C], min_respondents=minimum)


def test_a_wrong_answer_in_a_round_is_named_by_its_position(pulse):
    with pytest.raises(InvalidInput, match=r"^Answer 2 of 3: Item 'c1'"):
        summarise(pulse, [A, {"c1": 9}, C])


def test_trend_keeps_a_hidden_round_in_the_middle_without_figures(pulse):
    points = trend(pulse, [("Sep", [A, B, C, D]), ("Oct", [A, B]), ("Nov", [B, B, B])])
    assert [(p.label, p.subscale) for p in points] == [
        ("Sep", "comp"),
        ("Sep", "task"),
        ("Oct", "comp"),
        ("Oct", "task"),
        ("Nov", "comp"),
        ("Nov", "task"),
    ]
    sep_comp, sep_task, oct_comp, oct_task, nov_comp, nov_task = points
    assert sep_comp.shown and sep_comp.mean == pytest.approx(14 / 3) and sep_comp.n == 3
    assert sep_task.mean == pytest.approx(11 / 3)
    assert (sep_task.min, sep_task.max) == (2.0, 6.0)
    assert sep_task.sd == pytest.approx(math.sqrt(26) / 3)
    for hidden in (oct_comp, oct_task):
        assert hidden.shown is False and hidden.respondents == 2
        assert (hidden.n, hidden.mean, hidden.sd, hidden.min, hidden.max) == (None,) * 5
    # Three identical answers from B: comp 3, task 6, no spread.
    assert (nov_comp.mean, nov_comp.sd, nov_comp.min, nov_comp.max) == (3.0, 0.0, 3.0, 3.0)
    assert (nov_task.mean, nov_task.sd, nov_task.n) == (6.0, 0.0, 3)
    assert nov_comp.title == "Competence" and nov_task.respondents == 3
