"""Pulse-survey instruments: the shipped files, every rule of the file format with its
message (file, line, field), and scoring against figures worked out by hand."""

from __future__ import annotations

from importlib import resources

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.instruments.library import load_instruments, load_library
from collab_widgets.instruments.schema import parse
from collab_widgets.instruments.scoring import respondent_scores, summarise
from tests.unit.instruments.conftest import VALID
from tests.unit.instruments.test_schema import changed

SHIPPED = {"collective-efficacy", "team-health", "fist-to-five"}


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
