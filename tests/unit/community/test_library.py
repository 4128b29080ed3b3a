"""The community's data files: the shipped ones load and say what the screens need; a
mistake in a file is named by its file, line and field."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from collab_widgets.community import library
from collab_widgets.community.model import CAREER_STAGES
from collab_widgets.core.data_files import DataFileError
from collab_widgets.families.library import INVOLVEMENT_IDS

SHIPPED = (
    library.PARTNERS_FILE,
    library.CAREERS_FILE,
    library.QUALITY_FILE,
    library.ELEMENTS_FILE,
    library.OPTIONS_FILE,
)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_file_cites_its_source(name):
    text = resources.files(library.PACKAGE).joinpath(name).read_text(encoding="utf-8")
    source = yaml.safe_load(text)["source"]
    assert source


def test_partner_kinds_and_offers():
    partners = library.load_partners()
    assert {"business", "nonprofit", "higher-education"} <= {k.id for k in partners.kinds}
    offers = [o.id for o in partners.offers]
    assert offers == [
        "mentors",
        "guest-speakers",
        "job-shadows",
        "internships",
        "workshops",
        "stem-projects",
        "service",
        "materials",
        "funding",
    ]
    assert all(o.name and o.description for o in partners.offers)


def test_career_continuum_agrees_with_the_model():
    stages = library.load_careers()
    assert [s.id for s in stages] == ["awareness", "exploration", "preparation", "training"]
    for stage in stages:
        assert all(CAREER_STAGES[event.kind] == stage.id for event in stage.events)
    assert library.career_event_names() == {
        "speaker": "Guest speaker",
        "job_shadow": "Job shadow",
        "internship": "Internship",
        "apprenticeship": "Apprenticeship",
    }


def test_eight_quality_standards_each_rated_one_to_four_in_words():
    standards = library.load_quality()
    assert [s.id for s in standards] == [
        "meaningful-service",
        "link-to-curriculum",
        "reflection",
        "diversity",
        "youth-voice",
        "partnerships",
        "progress-monitoring",
        "duration-intensity",
    ]
    assert all(len(s.ratings) == 4 and s.description for s in standards)


def test_six_mentoring_elements():
    assert [e.id for e in library.load_elements()] == [
        "recruitment",
        "screening",
        "training",
        "matching-initiating",
        "monitoring-support",
        "closure",
    ]


def test_times_and_languages():
    times = library.time_names()
    assert list(times)[:2] == ["mon-am", "mon-pm"] and times["sat"] == "Saturday"
    assert times["tue-pm"] == "Tuesday after school"
    assert len(times) == 11
    assert library.language_names() == {
        "en": "English",
        "es": "Spanish",
        "ar": "Arabic",
        "zh": "Chinese",
        "vi": "Vietnamese",
        "fr": "French",
    }


def test_involvement_names_are_the_families_six_in_order():
    names = library.involvement_names()
    assert list(names) == list(INVOLVEMENT_IDS)
    assert names["collaborating-with-community"] == "Collaborating with the community"


# --- mistakes are named by file, line and field ------------------------------------------


def _problems(tmp_path, name, text, load):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        load(path)
    return refused.value.problems, str(refused.value)


def test_a_typo_in_a_field_is_named_with_a_hint(tmp_path):
    text = "times:\n  - id: mon-am\n    nmae: Monday\nlanguages:\n  - id: en\n    name: English\n"
    text += "source: mine\n"
    problems, message = _problems(tmp_path, "options.yaml", text, library.load_options)
    fields = {(p.file, p.line, p.field) for p in problems}
    assert ("options.yaml", 3, "times[0].nmae") in fields
    assert "did you mean 'name'?" in message
    assert "times[0]" in message  # the missing name is said too


def test_a_file_without_source_is_refused(tmp_path):
    text = "times:\n  - id: mon-am\n    name: Monday\nlanguages:\n  - id: en\n    name: English\n"
    problems, _ = _problems(tmp_path, "options.yaml", text, library.load_options)
    assert any("source" in p.message for p in problems)


def test_a_repeated_id_is_refused(tmp_path):
    text = (
        "kinds:\n  - {id: business, name: B, description: d}\n"
        "  - {id: business, name: C, description: e}\n"
        "offers:\n  - {id: funding, name: F, description: f}\nsource: mine\n"
    )
    problems, _ = _problems(tmp_path, "partners.yaml", text, library.load_partners)
    [problem] = problems
    assert (problem.line, problem.field) == (3, "kinds[1].id")
    assert "used by an earlier" in problem.message


def test_a_career_event_at_the_wrong_stage_is_refused(tmp_path):
    shipped = resources.files(library.PACKAGE).joinpath(library.CAREERS_FILE).read_text()
    text = shipped.replace("kind: job_shadow", "kind: internship", 1)
    problems, _ = _problems(tmp_path, "careers.yaml", text, library.load_careers)
    assert any(
        p.field == "stages[1].events[0].kind" and "does not belong" in p.message for p in problems
    )


def test_a_quality_standard_needs_four_ratings(tmp_path):
    shipped = resources.files(library.PACKAGE).joinpath(library.QUALITY_FILE).read_text()
    text = shipped.replace('      - "A single short event."\n', "", 1)
    problems, _ = _problems(tmp_path, "quality.yaml", text, library.load_quality)
    [problem] = problems
    assert problem.field == "standards[7].ratings"
    assert "give 4 to 4" in problem.message


def test_five_mentoring_elements_are_too_few(tmp_path):
    shipped = resources.files(library.PACKAGE).joinpath(library.ELEMENTS_FILE).read_text()
    data = yaml.safe_load(shipped)
    data["elements"] = data["elements"][:5]
    problems, _ = _problems(tmp_path, "elements.yaml", yaml.safe_dump(data), library.load_elements)
    assert [p.field for p in problems] == ["elements"]
    assert "give exactly 6" in problems[0].message


def test_not_yaml_and_unreadable_files(tmp_path):
    problems, _ = _problems(tmp_path, "bad.yaml", "times: [\n", library.load_options)
    assert problems[0].file == "bad.yaml"
    with pytest.raises(DataFileError, match="cannot be read"):
        library.load_options(tmp_path / "missing.yaml")
