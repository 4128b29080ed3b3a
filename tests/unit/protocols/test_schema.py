"""Protocol files: the shipped library, every rule of the schema with its message, a coach's
folder, and fitting a protocol to the time a team has."""

import textwrap

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.protocols.library import load_library
from collab_widgets.protocols.model import Step
from collab_widgets.protocols.schema import INPUTS, fit_minutes, fitted, parse

VALID = """\
title: Quick look
purpose: Look at one chart together.
when: Any meeting.
roles: [facilitator, presenter, participants]
minutes: 12
steps:
  - key: describe
    title: Describe
    minutes: 5
    input: board
    speakers: [participants]
    silent: [presenter]
    prompt: Only what you see.
  - key: vote
    title: Vote
    minutes: 4
    input: dot-vote
    dots: 2
    vote_on: describe
    prompt: Which matters most?
  - key: rate
    title: Rate
    minutes: 3
    input: rating
    prompt: How clear was the chart?
source: Our own words.
"""


def _broken(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


# (change to VALID, line, field, words of the message)
RULES = [
    (("title: Quick look\n", "titel: Quick look\n"), 1, "titel", "not a field of a protocol"),
    (("title: Quick look\n", ""), 1, "", "field 'title' is missing"),
    (("purpose: Look at one chart together.", "purpose: 42"), 2, "purpose", "must be text"),
    (("when: Any meeting.", "when: ''"), 3, "when", "must be text"),
    (("roles: [facilitator, presenter", "roles: [host, presenter"), 4, "roles[0]", "'host'"),
    (
        ("roles: [facilitator, presenter, participants]", "roles: [presenter, participants]"),
        4,
        "roles",
        "must include facilitator",
    ),
    (("minutes: 12", "minutes: 13"), 5, "minutes", "steps add up to 12"),
    (("minutes: 12", "minutes: twelve"), 5, "minutes", "whole number from 1 to 480"),
    (("source: Our own words.\n", ""), 1, "", "field 'source' is missing"),
    (("steps:\n", "links: [ftp://x]\nsteps:\n"), 6, "links[0]", "https://"),
    (("    minutes: 5\n", "    minutes: 0\n"), 9, "steps[0].minutes", "from 1 to 240"),
    (("    input: board\n", "    input: poster\n"), 10, "steps[0].input", "must be one of"),
    (("    input: board\n", ""), 7, "steps[0]", "field 'input' is missing"),
    (("    prompt: Only what you see.\n", ""), 7, "steps[0]", "field 'prompt' is missing"),
    (
        ("    speakers: [participants]", "    speakers: [audience]"),
        11,
        "steps[0].speakers[0]",
        "'audience' is not one of",
    ),
    (
        ("    speakers: [participants]", "    speakers: [timekeeper]"),
        11,
        "steps[0].speakers",
        "does not list",
    ),
    (
        ("    speakers: [participants]", "    speakers: [presenter]"),
        12,
        "steps[0].silent",
        "cannot both speak and stay silent",
    ),
    (
        ("    title: Describe\n", "    title: Describe\n    colour: red\n"),
        9,
        "steps[0].colour",
        "not a field of a protocol step",
    ),
    (("  - key: vote\n", "  - key: describe\n"), 14, "steps[1].key", "used by an earlier step"),
    (("  - key: vote\n", "  - key: Vote Now\n"), 14, "steps[1].key", "lower-case"),
    (("    dots: 2\n", ""), 14, "steps[1]", "field 'dots' is missing"),
    (("    dots: 2\n", "    dots: 40\n"), 18, "steps[1].dots", "from 1 to 10"),
    (
        ("    vote_on: describe\n", "    vote_on: rate\n"),
        19,
        "steps[1].vote_on",
        "earlier board step",
    ),
    (("    vote_on: describe\n", ""), 14, "steps[1]", "needs 'vote_on'"),
    (
        ("    vote_on: describe\n", "    vote_on: describe\n    options: [A, B]\n"),
        20,
        "steps[1].options",
        "either 'vote_on' or 'options'",
    ),
    (
        ("    input: rating\n", "    input: rating\n    scale: 50\n"),
        25,
        "steps[2].scale",
        "from 3 to 10",
    ),
    (
        ("    input: rating\n", "    input: board\n    scale: 5\n"),
        25,
        "steps[2].scale",
        "belongs only to a step whose input is rating",
    ),
    (
        ("    input: board\n", "    input: board\n    dots: 2\n"),
        11,
        "steps[0].dots",
        "belongs only to a step whose input is dot-vote",
    ),
    (
        ("    input: rating\n", "    input: round\n    anonymous: true\n"),
        25,
        "steps[2].anonymous",
        "only sticky notes",
    ),
    (
        ("    input: rating\n", "    input: round\n    options: [A]\n"),
        25,
        "steps[2].options",
        "belongs only to a step whose input is dot-vote",
    ),
    (
        ("    input: rating\n", "    input: rating\n    options: [Low, High]\n"),
        25,
        "steps[2].options",
        "belongs only to a step whose input is dot-vote",
    ),
    (
        ("    input: rating\n", "    input: rating\n    scale: 5.0\n"),
        25,
        "steps[2].scale",
        "whole number from 3 to 10",
    ),
    (
        ("    vote_on: describe\n", "    vote_on: [describe]\n"),
        19,
        "steps[1].vote_on",
        "earlier board step",
    ),
    (
        ("    vote_on: describe\n", "    options: A, B\n"),
        19,
        "steps[1].options",
        "list of short texts",
    ),
    (
        (
            "  - key: describe\n    title: Describe\n",
            "  - just a line\n  - key: describe\n    title: Describe\n",
        ),
        7,
        "steps[0]",
        "each step holds fields",
    ),
    (("    minutes: 5\n", ""), 7, "steps[0]", "field 'minutes' is missing"),
    (("minutes: 12\n", ""), 1, "", "field 'minutes' is missing"),
    (("roles: [facilitator, presenter, participants]\n", ""), 1, "", "field 'roles' is missing"),
    (
        ("roles: [facilitator, presenter, participants]", "roles: {lead: 1}"),
        4,
        "roles",
        "must be a list",
    ),
    (("steps:\n", "links: https://example.org\nsteps:\n"), 6, "links", "list of web addresses"),
    (
        ("    input: board\n", "    input: board\n    anonymous: perhaps\n"),
        11,
        "steps[0].anonymous",
        "true or false",
    ),
    (("steps:\n", "anonymous: maybe\nsteps:\n"), 6, "anonymous", "true or false"),
    (("title: Quick look\n", "id: Quick Look\ntitle: Quick look\n"), 1, "id", "lower-case"),
]


def _steps(*minutes):
    return tuple(Step(f"s{i}", "t", m, "p", "notes") for i, m in enumerate(minutes))


def test_the_valid_example_parses():
    protocol, problems = parse(VALID, "quick.yaml")
    assert problems == []
    assert protocol.key == "quick" and protocol.minutes == 12
    assert protocol.steps[1].vote_on == "describe" and protocol.steps[2].scale == 5


def test_the_shipped_library_loads_whole_with_sources(monkeypatch):
    monkeypatch.delenv("COLLAB_PROTOCOLS", raising=False)
    library = load_library()
    assert library.problems == []
    assert set(library.protocols) == {
        "looking-at-data",
        "data-driven-dialogue",
        "tuning",
        "consultancy",
        "success-analysis",
        "chalk-talk",
        "four-as",
        "what-so-what-now-what",
        "fist-to-five",
        "lesson-study-debrief",
    }
    for protocol in library.sorted():
        assert "Collaboration Workbook wording" in protocol.source
        assert protocol.links and protocol.purpose and protocol.when
    used = {step.input for p in library.sorted() for step in p.steps}
    assert used == set(INPUTS)
    ddd = [s.key for s in library.get("data-driven-dialogue").steps]
    assert ddd[:4] == ["predict", "go-visual", "observe", "infer"]
    assert [s.key for s in library.get("looking-at-data").steps][2:6] == [
        "describe",
        "interpret",
        "implications",
        "next-steps",
    ]
    assert [s.title for s in library.get("four-as").steps][1:5] == [
        "Assumptions",
        "Agree",
        "Argue",
        "Aspire",
    ]
    assert [s.key for s in library.get("lesson-study-debrief").steps] == [
        "by-case-student",
        "by-segment",
        "what-we-learned",
        "revise",
        "close",
    ]
    tuning = {s.key: s for s in library.get("tuning").steps}
    assert "presenter" in tuning["feedback"].silent


@pytest.mark.parametrize("change,line,field,words", RULES, ids=[r[2] or r[3] for r in RULES])
def test_every_rule_names_the_file_line_and_field(change, line, field, words):
    protocol, problems = parse(_broken(*change), "quick.yaml")
    assert protocol is None
    matching = [p for p in problems if p.field == field and words in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].line == line and matching[0].file == "quick.yaml"
    shown = str(matching[0])
    assert shown.startswith(f"quick.yaml, line {line}") and words in shown


@pytest.mark.parametrize(
    "text,words",
    [
        ("title: [unclosed", "not valid YAML"),
        ("- just\n- a list\n", "holds fields such as 'title:'"),
        (VALID.replace("steps:\n", "steps: []\nold_steps:\n"), "at least one step"),
        (VALID.split("steps:\n")[0] + "source: Ours.\n", "field 'steps' is missing"),
    ],
)
def test_files_that_are_not_protocols_are_explained(text, words):
    protocol, problems = parse(text, "odd.yaml")
    assert protocol is None and any(words in str(p) for p in problems)


def test_all_problems_of_a_file_are_listed_at_once():
    text = _broken("minutes: 12", "minutes: 0").replace("    dots: 2\n", "    dots: 99\n")
    _, problems = parse(text, "quick.yaml")
    assert {p.field for p in problems} >= {"minutes", "steps[1].dots"}


def test_a_coach_folder_adds_replaces_and_reports_without_losing_the_rest(tmp_path, monkeypatch):
    (tmp_path / "quick.yaml").write_text(VALID)
    (tmp_path / "tuning.yaml").write_text(
        "id: tuning\n" + VALID.replace("Quick look", "Our tuning")
    )
    (tmp_path / "broken.yaml").write_text(_broken("    minutes: 5\n", "    minutes: -1\n"))
    (tmp_path / "latin1.yml").write_bytes("title: caf\xe9".encode("latin-1"))
    (tmp_path / "zz-copy.yaml").write_text("id: quick\n" + VALID)
    (tmp_path / "notes.txt").write_text("ignored: not a protocol file")
    monkeypatch.setenv("COLLAB_PROTOCOLS", str(tmp_path))
    library = load_library()
    assert library.get("quick").title == "Quick look"
    assert library.get("tuning").title == "Our tuning"  # a coach's file replaces ours
    assert library.get("chalk-talk") is not None  # the rest still loads
    shown = [str(p) for p in library.problems]
    assert any(s.startswith("broken.yaml, line 9, field 'steps[0].minutes'") for s in shown)
    assert any(s.startswith("latin1.yml") and "cannot be read" in s for s in shown)
    assert any(s.startswith("zz-copy.yaml") and "already used" in s for s in shown)
    assert len(shown) == 3


def test_a_file_the_rules_did_not_foresee_costs_only_itself(tmp_path, monkeypatch):
    from collab_widgets.protocols import library as library_module

    real_parse = library_module.parse

    def parse_or_fail(text, name):
        if name == "odd.yaml":
            raise TypeError("unhashable type: 'list'")
        return real_parse(text, name)

    (tmp_path / "odd.yaml").write_text(VALID)
    monkeypatch.setattr(library_module, "parse", parse_or_fail)
    library = load_library(tmp_path)
    assert [str(p) for p in library.problems] == [
        "odd.yaml, line 1: cannot be read as a protocol (TypeError)."
    ]
    assert library.get("tuning") is not None


def test_a_missing_coach_folder_is_reported(tmp_path):
    library = load_library(tmp_path / "nope")
    assert "does not exist" in str(library.problems[0]) and library.get("tuning")


@pytest.mark.parametrize(
    "minutes,target",
    [
        ((5, 10, 5, 3, 15, 10, 5), 30),
        ((5, 10, 5, 3, 15, 10, 5), 53),
        ((1, 1, 1), 10),
        ((10, 3, 2), 5),
        ((8, 15, 10, 5, 5), 43),
        ((7, 13), 101),
    ],
)
def test_fitting_splits_minutes_in_proportion_and_keeps_every_step(minutes, target):
    fitted = fit_minutes(_steps(*minutes), target)
    parts = [s.minutes for s in fitted]
    assert sum(parts) == target and min(parts) >= 1
    ideal = [m * target / sum(minutes) for m in minutes]
    if min(ideal) >= 1:
        assert all(abs(p - i) < 1 for p, i in zip(parts, ideal, strict=True))
    if target == sum(minutes):
        assert parts == list(minutes)


def test_fitting_needs_a_minute_per_step():
    with pytest.raises(InvalidInput, match="needs at least 3 minutes"):
        fit_minutes(_steps(5, 5, 5), 2)


def test_a_protocol_shortens_to_the_time_a_team_has(monkeypatch):
    monkeypatch.delenv("COLLAB_PROTOCOLS", raising=False)
    tuning = load_library().get("tuning")
    short = fitted(tuning, 30)
    assert short.minutes == 30 and len(short.steps) == len(tuning.steps)
    assert short.steps[4].minutes > short.steps[0].minutes  # feedback stays the longest part
    assert textwrap.shorten(short.title, 20) == "Tuning"
