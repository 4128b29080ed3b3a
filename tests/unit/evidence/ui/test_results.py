"""The Results tab: the team's assessments on offer, what each view says when it cannot
draw, the real-names box only where names could show, and renaming or trashing an
assessment (the page told, the lists following)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.scores import read_scores
from collab_widgets.evidence.ui.results import ResultsPanel
from tests.unit.widget_helpers import answer_yes


def panel(scope, changes: list | None = None) -> ResultsPanel:
    heard = changes if changes is not None else []
    return ResultsPanel(scope, StatusLine(), SavedIndicator(), lambda: heard.append("changed"))


def totals_only(scope, folder, name: str, given_on: dt.date | None = None) -> int:
    """Twelve students with a total and nothing else: no items, standards or attributes."""
    path = folder / "totals.csv"
    path.write_text("Student ID,Total\n" + "".join(f"S{i},{i * 5}\n" for i in range(1, 13)))
    return saved.save(scope, read_scores(path), name, given_on=given_on)


def test_a_team_without_assessments_is_told_where_to_add_one(sqlite_team, tmp_path):
    made = panel(sqlite_team.member(0))
    assert made.empty.layout.display is None and made.main.layout.display == "none"
    assert "No assessment yet: add one under Add scores." in made.empty.value
    totals_only(sqlite_team.member(1), tmp_path, "Exit ticket")
    made.refresh()
    assert made.empty.layout.display == "none" and made.main.layout.display is None


def test_each_assessment_is_offered_by_name_students_and_date_the_one_chosen_kept(
    sqlite_team, tmp_path
):
    ana = sqlite_team.member(0)
    first = totals_only(ana, tmp_path, "Exit <ticket>", dt.date(2026, 10, 9))
    made = panel(ana)
    second = totals_only(ana, tmp_path, "Quiz")
    made.refresh()
    assert dict(made.assessment.options) == {
        "Exit <ticket> — 12 students, 09 Oct 2026": first,
        "Quiz — 12 students": second,
    }
    assert made.assessment.value == first
    made.refresh(select=second)
    assert made.assessment.value == second


def test_a_totals_only_assessment_says_why_each_view_is_empty(sqlite_team, tmp_path):
    totals_only(sqlite_team.member(0), tmp_path, "Totals <only>")
    made = panel(sqlite_team.member(0))
    assert "<b>12</b> students; average <b>54%</b>" in made.summary.value
    expected = {
        "Items": "This assessment has totals only; add an answer key for items.",
        "Standards": "No item has a standard: upload an item map with standards.",
        "Subgroups": "no attribute column (such as ELL or IEP) to break results down by. "
        "Comparing teachers or sections is off (Settings).",
        "Growth": "Nothing else to compare with yet: “Totals &lt;only&gt;” is the team&#x27;s "
        "only assessment.",
    }
    for section, message in expected.items():
        made.section.value = section
        assert message in made.chart.caption.value, section
        assert made.table.value == "", section


def test_growth_compares_only_with_another_assessment_and_asks_which(sqlite_team, tmp_path):
    ana = sqlite_team.member(0)
    first = totals_only(ana, tmp_path, "Before")
    second = totals_only(ana, tmp_path, "After")
    made = panel(ana)
    made.assessment.value = first
    made.section.value = "Growth"
    assert [value for _, value in made.compare.options] == [None, second]
    assert "Choose the earlier (or later) assessment to compare with." in made.chart.caption.value
    assert made.controls.children == (made.compare,)
    made.compare.value = second
    assert "12 students took both" in made.summary.value


def test_groups_are_cut_where_the_teams_settings_say(sqlite_team, tmp_path):
    ana = sqlite_team.member(0)
    totals_only(ana, tmp_path, "Quiz")
    chosen = dataclasses.replace(evidence.settings(ana), group_cuts=(50.0, 70.0, 85.0))
    evidence.set_settings(ana, chosen)
    made = panel(ana)
    made.section.value = "Groups"
    assert "Below 50%: intervention; below 70%: close; from 85%: extension." in made.summary.value
    # totals 5 to 60, the highest counting as 100%: 8%, 17%, 25% ... 92%, 100%
    assert "<h4>Intervention (question 3): 5 students</h4>" in made.table.value
    assert "<h4>Extension (question 4): 2 students</h4>" in made.table.value
    intervention = made.table.value.split("collab-group-close")[0]
    scores = re.findall(r"<td class='number'>(\d+)%</td>", intervention)
    assert scores == sorted(scores, key=int)  # lowest first: who needs help most
    made.group_order.value = "name"
    names = re.findall(r"<tr><td>([^<]+)</td>", made.table.value.split("collab-group-close")[0])
    assert names == sorted(names, key=str.casefold) and len(names) == 5
    assert "download='groups.csv'" in made.summary.value
    assert "download='groups.html'" in made.summary.value


def test_the_real_names_box_shows_only_where_names_could_and_never_to_a_coach(
    sqlite_team, tmp_path
):
    totals_only(sqlite_team.member(0), tmp_path, "Quiz")
    member = panel(sqlite_team.member(1))
    coach = panel(sqlite_team.coach.open_team(sqlite_team.code))
    for section in ("Overview", "Items", "Standards", "Subgroups", "Growth", "Groups"):
        member.section.value = coach.section.value = section
        shown = section in ("Growth", "Groups")
        assert (member.real_names.layout.display is None) == shown, section
        assert coach.real_names.layout.display == "none", section


def test_a_rename_is_saved_shown_in_the_list_and_the_page_told(sqlite_team, tmp_path):
    ana = sqlite_team.member(0)
    assessment = totals_only(ana, tmp_path, "Quiz")
    changes = []
    made = panel(ana, changes)
    made.name.value = "Quiz <b>3</b>"
    flush_all()
    assert evidence.assessments(ana)[0].name == "Quiz <b>3</b>"
    assert dict(made.assessment.options) == {"Quiz <b>3</b> — 12 students": assessment}
    assert changes == ["changed"]


def test_the_facilitator_trashes_after_a_question_and_the_page_is_told(ana_facilitates, tmp_path):
    ana = ana_facilitates.member(0)
    totals_only(ana, tmp_path, "Quiz")
    changes = []
    made = panel(ana, changes)
    assert made.delete.layout.display is None
    made.delete.button.click()
    assert evidence.assessments(ana) != [] and changes == []  # only asked so far
    answer_yes(made)
    assert evidence.assessments(ana) == [] and changes == ["changed"]
    assert "“Quiz” and its dialogue are in the trash" in made.status.value
    assert made.empty.layout.display is None and made.main.layout.display == "none"


def test_an_assessment_trashed_on_another_page_is_explained_and_the_list_read_again(
    ana_facilitates, tmp_path
):
    ana = ana_facilitates.member(0)
    kept = totals_only(ana, tmp_path, "Kept")
    gone = totals_only(ana, tmp_path, "Gone")
    made = panel(ana_facilitates.member(1))
    made.assessment.value = kept
    evidence.delete(ana, gone)
    made.assessment.value = gone  # still listed on this page
    assert "no longer there" in made.status.value
    assert [value for _, value in made.assessment.options] == [kept]
