"""Pulse-survey instruments: the shipped files, every rule of the file format with its
message (file, line, field), and scoring against figures worked out by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.instruments.schema import InstrumentFileError, Subscale, parse
from tests.unit.instruments.conftest import VALID


def changed(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def problems_of(text: str, name: str = "bad.yaml") -> InstrumentFileError:
    with pytest.raises(InvalidInput) as caught:
        parse(text, name)
    assert isinstance(caught.value, InstrumentFileError)
    return caught.value


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
    guide = Path(__file__).parents[3] / "docs" / "authoring-instruments.md"
    example = re.search(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S)
    instrument = parse(example.group(1), "meeting-pulse.yaml")
    assert instrument.key == "meeting-pulse"
    assert [(i.key, i.subscale, i.reverse) for i in instrument.items] == [
        ("on-learning", "focus", False),
        ("few-talked", "voice", True),
        ("heard", "voice", False),
    ]
