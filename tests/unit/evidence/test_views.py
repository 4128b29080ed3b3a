"""What the evidence page shows, checked without widgets: filters and breakdowns keep to the
team's privacy settings, pseudonyms are stable per team, groups name a teacher's own."""

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.demo import sample_scores
from collab_widgets.evidence import views
from collab_widgets.evidence.model import EvidenceSettings
from collab_widgets.evidence.privacy import display_names, pseudonym
from collab_widgets.evidence.scores import read_scores

TEAM = "Grade 4 Math"


@pytest.fixture(scope="module")
def scores():
    key = sample_scores.item_map(TEAM)
    return read_scores(sample_scores.assessment(TEAM, "post"), key=key)


def test_filters_offer_only_groups_of_at_least_the_minimum(scores):
    settings = EvidenceSettings(min_n=10)
    offered = views.filters(scores, settings)
    assert offered[0].label == "All students"
    for chosen in offered[1:]:
        column = scores.students[chosen.column].replace("", "(blank)")
        assert (column == chosen.value).sum() >= 10
    assert all(f.column not in ("teacher", "section") for f in offered)
    small = views.StudentFilter("Gender", "X")
    with pytest.raises(InvalidInput, match="fewer than 10 students"):
        views.only(scores, small, 10)


def test_teachers_and_sections_appear_only_when_the_team_allows(scores):
    off, on = EvidenceSettings(), EvidenceSettings(compare_teachers=True)
    assert "teacher" not in views.breakdowns(scores, off)
    assert {"teacher", "section"} <= set(views.breakdowns(scores, on))
    with pytest.raises(InvalidInput, match="comparing teachers or sections is off"):
        views.subgroups_view(scores, off, "teacher")
    means, crosstab, chart = views.subgroups_view(scores, on, "teacher")
    assert chart.png and means.rows[-1]["teacher"] == "All students"


def test_pseudonyms_are_stable_per_team_and_differ_between_teams(scores):
    first = pseudonym("salt-a", "S40001")
    assert first == pseudonym("salt-a", "s40001 ") and first.startswith("Student ")
    assert first != pseudonym("salt-b", "S40001")
    shown = display_names(scores.students, "salt-a")
    assert shown.is_unique and not shown.isin(scores.students["name"]).any()
    real = display_names(scores.students, "salt-a", real=True)
    assert (real == scores.students["name"]).all()


def test_groups_list_one_teachers_students_and_what_each_group_missed(scores):
    settings = EvidenceSettings(pseudonym_salt="s")
    teacher = views.teachers(scores)[0]
    mine = views.groups_view(scores, settings, teacher)
    everyone = views.groups_view(scores, settings, None)
    counted = sum(len(g["students"]) for g in mine.values())
    assert counted == (scores.students["teacher"] == teacher).sum()
    assert sum(len(g["students"]) for g in everyone.values()) == len(scores.students)
    assert "Q4" in everyone["intervention"]["missed"]
    percents = [p for g in everyone.values() for _, p in g["students"]]
    assert all(0 <= p <= 100 for p in percents)


def test_the_item_view_names_item_4s_distractor_and_draws_with_alt_text(scores):
    table, chart = views.items_view(scores, EvidenceSettings())
    q4 = table.set_index("item").loc["Q4"]
    assert q4["top_distractor"] == "B" and 55 < q4["pct_correct"] < 70
    assert "Q4" in chart.alt and "percent correct per item" in chart.alt
    assert chart.png.startswith(b"\x89PNG")
