"""Co-teaching approaches and observation templates: the shipped files, every rule of the two
file formats with its message (file, line, field), and a coach's own folder."""

from importlib import resources

import pytest

from collab_widgets.classroom import practice_library
from collab_widgets.classroom.practice_library import (
    APPROACHES_ENV,
    PLANNING,
    TEMPLATES_ENV,
    Approach,
    ObservationTemplate,
    Roles,
    load_approaches,
    load_templates,
    parse_approach,
    parse_template,
)

APPROACH = """\
title: Quick pairs
summary: Two adults split the class for a short practice.
fits_when:
  - a short practice after a whole-class explanation
  - the class is large
watch_for:
  - keep the two groups mixed
roles:
  lead: Teaches one half.
  partner: Teaches the other half.
planning: moderate
source: Our own words.
"""

TEMPLATE = """\
title: Hands up
purpose: Who answers when the teacher asks the class.
look_for:
  - who raises a hand
  - who answers without being asked
  - who is never asked
evidence:
  - tallies
  - quotes of student talk
source: Our own words.
"""

SHIPPED_APPROACHES = {
    "one-teach-one-observe",
    "one-teach-one-assist",
    "station-teaching",
    "parallel-teaching",
    "alternative-teaching",
    "team-teaching",
}
SHIPPED_TEMPLATES = {
    "student-discourse",
    "checking-for-understanding",
    "task-engagement",
    "lesson-study-case-students",
}


@pytest.fixture(autouse=True)
def no_coach_folders(monkeypatch):
    monkeypatch.delenv(APPROACHES_ENV, raising=False)
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)


def _changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (change to APPROACH, line, field, words of the message)
APPROACH_RULES = [
    (("title: Quick pairs\n", "titel: Quick pairs\n"), 1, "titel", "did you mean 'title'?"),
    (
        ("planning: moderate\n", "planning: moderate\ncolour: red\n"),
        12,
        "colour",
        "not a field of a co-teaching approach (a typo?)",
    ),
    (("title: Quick pairs\n", ""), 1, "", "field 'title' is missing"),
    (("source: Our own words.\n", ""), 1, "", "field 'source' is missing"),
    (("fits_when:\n", "fits_when: []\nold:\n"), 3, "fits_when", "has 0 entries; give 1 to 8"),
    (
        ("watch_for:\n  - keep the two groups mixed\n", ""),
        1,
        "",
        "field 'watch_for' is missing; add it as a list",
    ),
    (("title: Quick pairs", "title: 42"), 1, "title", "must be text, not a number"),
    (("title: Quick pairs", "title: yes"), 1, "title", "must be text, not yes/no"),
    (
        ("summary: Two adults split the class for a short practice.", "summary: [Two adults]"),
        2,
        "summary",
        "must be text, not a list",
    ),
    (("title: Quick pairs", "title: ''"), 1, "title", "is empty"),
    (("title: Quick pairs", "title:"), 1, "title", "is empty"),
    (("title: Quick pairs", "title: " + "x" * 81), 1, "title", "81 characters long"),
    (
        ("summary: Two adults split the class", "summary: " + "long " * 50),
        2,
        "summary",
        "at most 200",
    ),
    (
        ("watch_for:\n  - keep", "watch_for: keep them mixed\nold:\n  - keep"),
        6,
        "watch_for",
        "must be a list, not text",
    ),
    (("  - the class is large", "  - 7"), 5, "fits_when[1]", "must be text, not a number"),
    (("  - the class is large", "  - ''"), 5, "fits_when[1]", "is empty"),
    (("  - the class is large", "  - " + "y" * 161), 5, "fits_when[1]", "at most 160"),
    (
        ("  - the class is large", "  - A short practice after a whole-class explanation"),
        5,
        "fits_when[1]",
        "repeats an earlier entry",
    ),
    (("roles:\n", "role:\n"), 8, "role", "did you mean 'roles'?"),
    (("roles:\n  lead:", "roles: both\nold:\n  lead:"), 8, "roles", "'lead:' and 'partner:'"),
    (
        ("  partner: Teaches the other half.\n", ""),
        8,
        "roles",
        "is missing 'partner'",
    ),
    (
        ("  partner: Teaches", "  helper: Teaches"),
        10,
        "roles.helper",
        "exactly two fields: lead and partner",
    ),
    (("  partner: Teaches the other half.", "  partner:"), 10, "roles.partner", "is empty"),
    (
        ("  lead: Teaches one half.", "  lead: " + "z" * 241),
        9,
        "roles.lead",
        "at most 240",
    ),
    (
        ("planning: moderate", "planning: medium"),
        11,
        "planning",
        "'medium' is not a planning level; use one of: light, moderate, heavy",
    ),
    (("planning: moderate\n", ""), 1, "", "field 'planning' is missing; use one of: light"),
    (("planning: moderate", "planning:"), 11, "planning", "is empty; use one of: light"),
    (("roles:\n  lead:", "roles:\nold:\n  lead:"), 8, "roles", "is empty; give 'lead:'"),
    (("title: Quick pairs\n", "id: Quick Pairs\ntitle: Quick pairs\n"), 1, "id", "lower-case"),
    (
        ("title: Quick pairs\n", "title: Quick pairs\ntitle: Again\n"),
        2,
        "title",
        "appears twice",
    ),
]

# (change to TEMPLATE, line, field, words of the message)
TEMPLATE_RULES = [
    (("purpose: Who", "purpos: Who"), 2, "purpos", "did you mean 'purpose'?"),
    (("purpose: Who answers when the teacher asks the class.\n", ""), 1, "", "'purpose'"),
    (
        ("look_for:\n  - who raises a hand\n  - who answers without being asked\n", "look_for:\n"),
        3,
        "look_for",
        "has 1 entry; give 2 to 8",
    ),
    (
        ("  - who is never asked\n", "".join(f"  - prompt {i}\n" for i in range(7))),
        3,
        "look_for",
        "has 9 entries; give 2 to 8",
    ),
    (("  - who is never asked", "  - [a, b]"), 6, "look_for[2]", "must be text, not a list"),
    (("  - who is never asked", "  -"), 6, "look_for[2]", "is empty"),
    (
        ("  - tallies", "  - tallies: 3"),
        8,
        "evidence[0]",
        "not a set of fields (put it in quotes if the text contains ': ')",
    ),
    (("evidence:\n", "evidence: tallies\nold:\n"), 7, "evidence", "must be a list, not text"),
    (("evidence:\n", "evidence:\nold:\n"), 7, "evidence", "is empty; add entries"),
    (("source: Our own words.", "source: 2024-01-01"), 10, "source", "must be text, not a date"),
    (("source: Our own words.", "source: " + "s" * 601), 10, "source", "at most 600"),
]


def test_the_valid_examples_parse():
    approach, problems = parse_approach(APPROACH, "quick-pairs.yaml")
    assert problems == []
    assert approach == Approach(
        key="quick-pairs",
        title="Quick pairs",
        summary="Two adults split the class for a short practice.",
        fits_when=("a short practice after a whole-class explanation", "the class is large"),
        watch_for=("keep the two groups mixed",),
        roles=Roles(lead="Teaches one half.", partner="Teaches the other half."),
        planning="moderate",
        source="Our own words.",
        file="quick-pairs.yaml",
    )
    template, problems = parse_template("id: hands\n" + TEMPLATE, "x.yaml")
    assert problems == [] and isinstance(template, ObservationTemplate)
    assert template.key == "hands" and len(template.look_for) == 3
    assert template.evidence == ("tallies", "quotes of student talk")


def test_the_shipped_approaches_load_whole_six_of_them_with_sources():
    library = load_approaches()
    assert library.problems == []
    assert set(library.items) == SHIPPED_APPROACHES and len(library.items) == 6
    for approach in library.sorted():
        assert approach.source.startswith("Collaboration Workbook wording.")
        assert "Friend" in approach.source and "Cook" in approach.source
        assert approach.planning in PLANNING and approach.roles.lead and approach.roles.partner
        assert approach.fits_when and approach.watch_for
    assert library.get("team-teaching").planning == "heavy"
    assist = library.get("one-teach-one-assist")
    assert any("sparingly" in text for text in (assist.summary, *assist.watch_for))
    assert [a.title for a in library.sorted()] == sorted(
        (a.title for a in library.items.values()), key=str.casefold
    )


def test_the_shipped_templates_load_whole_with_sources():
    library = load_templates()
    assert library.problems == []
    assert set(library.items) == SHIPPED_TEMPLATES
    for template in library.sorted():
        assert template.source.startswith("Collaboration Workbook wording.")
        assert 2 <= len(template.look_for) <= 8 and template.evidence
    case_students = library.get("lesson-study-case-students")
    assert "never rate the teacher" in case_students.purpose
    assert "Lewis" in case_students.source and "Lesson Study Alliance" in case_students.source


@pytest.mark.parametrize("kind,keys", [("approaches", SHIPPED_APPROACHES), ("observation", None)])
def test_each_shipped_file_is_named_after_its_id(kind, keys):
    folder = resources.files("collab_widgets.classroom").joinpath("library").joinpath(kind)
    parse = parse_approach if kind == "approaches" else parse_template
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))
    assert names and (keys is None or {n.removesuffix(".yaml") for n in names} == keys)
    for name in names:
        item, problems = parse(folder.joinpath(name).read_text(encoding="utf-8"), name)
        assert problems == [] and item.key == name.removesuffix(".yaml")


def _check_rule(parse, text, line, field, words):
    item, problems = parse(text, "ours.yaml")
    assert item is None
    matching = [p for p in problems if p.field == field and words in p.message]
    assert matching, [str(p) for p in problems]
    assert matching[0].line == line and matching[0].file == "ours.yaml"
    shown = str(matching[0])
    assert shown.startswith(f"ours.yaml, line {line}") and words in shown
    if field:
        assert f"field '{field}'" in shown


@pytest.mark.parametrize(
    "change,line,field,words", APPROACH_RULES, ids=[r[2] or r[3] for r in APPROACH_RULES]
)
def test_every_approach_rule_names_the_file_line_and_field(change, line, field, words):
    _check_rule(parse_approach, _changed(APPROACH, *change), line, field, words)


@pytest.mark.parametrize(
    "change,line,field,words", TEMPLATE_RULES, ids=[r[2] or r[3] for r in TEMPLATE_RULES]
)
def test_every_template_rule_names_the_file_line_and_field(change, line, field, words):
    _check_rule(parse_template, _changed(TEMPLATE, *change), line, field, words)


@pytest.mark.parametrize(
    "parse,text,words",
    [
        (parse_approach, "title: [unclosed", "not valid YAML"),
        (parse_approach, "- just\n- a list\n", "a co-teaching approach file holds fields"),
        (parse_template, "just a sentence", "an observation template file holds fields"),
        (parse_template, "", "an observation template file holds fields"),
    ],
)
def test_files_that_are_not_approaches_or_templates_are_explained(parse, text, words):
    item, problems = parse(text, "odd.yaml")
    assert item is None and any(words in str(p) for p in problems)


def test_a_file_name_that_makes_no_id_is_explained():
    _, problems = parse_approach(APPROACH, "Our Pairs.yaml")
    assert [str(p) for p in problems] == [
        "Our Pairs.yaml, line 1: the file name gives the id 'our pairs', which is not valid; "
        "rename the file or add 'id:' with lower-case letters, digits and dashes."
    ]


def test_all_problems_of_a_file_are_listed_at_once():
    text = _changed(APPROACH, "planning: moderate", "planning: lots")
    text = _changed(text, "  partner: Teaches", "  partnr: Teaches")
    _, problems = parse_approach(text, "ours.yaml")
    assert {p.field for p in problems} >= {"planning", "roles.partnr", "roles"}
    assert any("did you mean 'partner'?" in p.message for p in problems)


def test_a_coach_folder_adds_replaces_and_reports_without_losing_the_rest(tmp_path, monkeypatch):
    (tmp_path / "quick-pairs.yaml").write_text(APPROACH)
    (tmp_path / "station.yaml").write_text(
        "id: station-teaching\n" + APPROACH.replace("Quick pairs", "Our stations")
    )
    (tmp_path / "broken.yaml").write_text(_changed(APPROACH, "planning: moderate", "planning: 3"))
    (tmp_path / "latin1.yml").write_bytes("title: caf\xe9".encode("latin-1"))
    (tmp_path / "zz-copy.yaml").write_text("id: quick-pairs\n" + APPROACH)
    (tmp_path / "notes.txt").write_text("ignored: not a data file")
    monkeypatch.setenv(APPROACHES_ENV, str(tmp_path))
    library = load_approaches()
    assert library.get("quick-pairs").title == "Quick pairs"  # a coach's file adds
    assert library.get("station-teaching").title == "Our stations"  # and replaces ours
    assert library.get("team-teaching") is not None  # the rest still loads
    assert len(library.items) == 7
    shown = [str(p) for p in library.problems]
    assert any(s.startswith("broken.yaml, line 11, field 'planning'") for s in shown)
    assert any(s.startswith("latin1.yml") and "cannot be read" in s for s in shown)
    assert any(
        s.startswith("zz-copy.yaml, line 1, field 'id'") and "already used" in s for s in shown
    )
    assert len(shown) == 3


def test_a_coach_folder_of_templates_is_named_by_its_own_variable(tmp_path, monkeypatch):
    (tmp_path / "hands-up.yaml").write_text(TEMPLATE)
    (tmp_path / "discourse.yaml").write_text(
        "id: student-discourse\n" + TEMPLATE.replace("Hands up", "Our talk moves")
    )
    (tmp_path / "bad.yaml").write_text(_changed(TEMPLATE, "  - tallies\n", "  - 12\n"))
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    assert load_approaches().problems == []  # the approaches ignore the templates' folder
    library = load_templates()
    assert library.get("hands-up").title == "Hands up"
    assert library.get("student-discourse").title == "Our talk moves"
    assert library.get("task-engagement") is not None
    assert [(p.file, p.field) for p in library.problems] == [("bad.yaml", "evidence[0]")]
    assert library.problems[0].line == 8 and "must be text" in library.problems[0].message


def test_a_folder_passed_in_wins_over_the_variable(tmp_path, monkeypatch):
    (tmp_path / "quick-pairs.yaml").write_text(APPROACH)
    monkeypatch.setenv(APPROACHES_ENV, str(tmp_path / "elsewhere"))
    library = load_approaches(tmp_path)
    assert library.problems == [] and library.get("quick-pairs") is not None


def test_a_shipped_id_is_not_used_twice_by_the_shipped_files_themselves():
    library = practice_library.Library()
    add = practice_library._add
    text = "id: station-teaching\n" + APPROACH
    assert add(library, parse_approach, "an approach", text, "a.yaml", replaces=False) == (
        "station-teaching"
    )
    assert add(library, parse_approach, "an approach", text, "b.yaml", replaces=False) is None
    assert [str(p) for p in library.problems] == [
        "b.yaml, line 1, field 'id': 'station-teaching' is already used by another file."
    ]


def test_a_file_the_rules_did_not_foresee_costs_only_itself(tmp_path, monkeypatch):
    real_parse = practice_library.parse_template

    def parse_or_fail(text, name):
        if name == "odd.yaml":
            raise TypeError("unhashable type: 'list'")
        return real_parse(text, name)

    (tmp_path / "odd.yaml").write_text(TEMPLATE)
    monkeypatch.setattr(practice_library, "parse_template", parse_or_fail)
    library = load_templates(tmp_path)
    assert [str(p) for p in library.problems] == [
        "odd.yaml, line 1: cannot be read as an observation template (TypeError)."
    ]
    assert library.get("task-engagement") is not None


@pytest.mark.parametrize("load,env", [(load_approaches, "approaches"), (load_templates, "templ")])
def test_a_missing_coach_folder_is_reported(tmp_path, load, env):
    library = load(tmp_path / "nope")
    assert "does not exist" in str(library.problems[0]) and library.items
    assert env in str(library.problems[0])
