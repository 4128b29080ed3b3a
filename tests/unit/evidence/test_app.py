"""The evidence page driven without a browser: upload, mapping, report, save; every view of
the results; pseudonyms and recorded reveals; small groups; the dialogue with its chart
after the predictions; settings; deleting."""

import datetime as dt
from pathlib import Path

from collab_widgets.core.db import activity
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.evidence import mapping, saved
from collab_widgets.evidence import store as store_evidence
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.live import store as live
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.team.store import members
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, texts

SCORES = Path(__file__).resolve().parents[3] / "sample_data" / "scores"


def page(fixture, index):
    return EvidenceApp(fixture.store, {"team": fixture.code, "member": fixture.people[index].token})


def upload(widget, path: Path):
    data = path.read_bytes()
    widget.value = (
        {
            "name": path.name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        },
    )


def button(widget, words):
    found = find(widget, BUTTONS, lambda b: words in b.description)
    assert found, f"no button with {words!r}"
    return found[0]


def add(app, name="grade4_math_unit3_post.csv", key="grade4_math_item_map.csv", title=None):
    panel = app.upload
    upload(panel.key_file, SCORES / key)
    upload(panel.scores_file, SCORES / name)
    if title:
        panel.name.value = title
    assert "Ready:" in panel.report.value, panel.report.value
    button(panel, "Save the assessment").click()
    return store_evidence.assessments(app.scope)[0]


def coach_page(fixture):
    return EvidenceApp(fixture.store, {"coach": fixture.coach_code, "team": fixture.code})


def reveals(scope) -> list[str]:
    """The activity record's notes of real names shown, newest first."""
    return [f"{e.who}: {e.summary}" for e in activity.entries(scope) if e.kind == "names shown"]


def real_names(scope, *assessment_ids) -> list[str]:
    return [name for a in assessment_ids for name in saved.load(scope, a).students["name"] if name]


def test_uploading_mapping_and_saving_a_file(ana_facilitates):
    app = page(ana_facilitates, 1)
    panel = app.upload
    upload(panel.key_file, SCORES / "grade4_math_item_map.csv")
    upload(panel.scores_file, SCORES / "grade4_math_unit3_post.csv")
    assert "Ready:" in panel.report.value and "12 items" in panel.report.value
    roles = {p.description: p.value for p in panel.columns.children}
    assert roles["Student ID"] == mapping.ID and roles["ELL"] == mapping.ATTRIBUTE
    # a person changes a role: the check runs again at once
    [ell] = [p for p in panel.columns.children if p.description == "ELL"]
    ell.value = mapping.IGNORE
    assert "ELL" not in panel.report.value.split("Subgroups by:")[-1]
    panel.name.value = "Unit 3 <post>"
    button(panel, "Save the assessment").click()
    [info] = store_evidence.assessments(app.scope)
    assert info.name == "Unit 3 <post>" and info.items == 12
    assert app.tabs.selected_index == 0 and app.results.assessment.value == info.id
    assert "Unit 3 &lt;post&gt;" in texts(app.results) or "Unit 3 <post>" in str(
        app.results.assessment.options
    )
    # the same columns next time: the changed role is remembered
    again = page(ana_facilitates, 2)
    upload(again.upload.scores_file, SCORES / "grade4_math_unit3_post.csv")
    roles = {p.description: p.value for p in again.upload.columns.children}
    assert roles["ELL"] == mapping.IGNORE


def test_a_broken_file_is_explained_and_nothing_is_stored(ana_facilitates):
    app = page(ana_facilitates, 1)
    add(app, title="Kept")
    upload(app.upload.scores_file, SCORES / "broken_duplicate_student.csv")
    assert "appears twice" in app.upload.report.value and "row" in app.upload.report.value
    assert "appears twice" in app.status.value
    assert app.upload.save.disabled
    assert [a.name for a in store_evidence.assessments(app.scope)] == ["Kept"]


def test_an_excel_file_finds_its_scores_sheet_and_another_can_be_chosen(ana_facilitates):
    app = page(ana_facilitates, 1)
    upload(app.upload.key_file, SCORES / "grade4_math_item_map.csv")
    upload(app.upload.scores_file, SCORES / "wide_two_sheets.xlsx")
    assert "Ready:" in app.upload.report.value  # the first sheet holds instructions
    assert app.upload.sheet.value == "Scores" and app.upload.sheet.layout.display is None
    app.upload.sheet.value = "Instructions"
    assert "one column" in app.upload.report.value and "choose the one" in app.upload.report.value


def test_each_view_of_the_results(ana_facilitates):
    app = page(ana_facilitates, 1)
    add(app, title="Unit 3 post")
    results = app.results
    assert "students; average" in results.summary.value
    assert results.chart.image.value and "students per band" in results.chart.caption.value
    results.section.value = "Items"
    assert "Q4" in results.table.value and "Most chosen wrong answer" in results.table.value
    assert "B (" in results.table.value  # item 4's popular distractor
    results.section.value = "Standards"
    assert "4.NF" in results.table.value
    results.section.value = "Subgroups"
    assert "teacher" not in results.by.options  # comparison is off by default
    results.by.value = "Gender"
    assert "–" in results.table.value  # the small group is suppressed
    results.section.value = "Groups"
    assert "Intervention (question 3)" in results.table.value
    assert "Student " in results.table.value  # pseudonyms by default


def test_a_filter_shows_only_groups_large_enough(ana_facilitates):
    app = page(ana_facilitates, 1)
    add(app)
    results = app.results
    results.section.value = "Items"
    labels = [label for label, _ in results.students.options]
    assert "ELL: Y" in labels and not any(label.startswith("Gender: X") for label in labels)
    before = results.chart.image.value
    results.students.value = dict(results.students.options)["ELL: Y"]
    assert results.chart.image.value != before and "ELL: Y" in results.chart.caption.value


def test_growth_lists_matched_and_unmatched_students_by_pseudonym(ana_facilitates):
    app = page(ana_facilitates, 1)
    pre = add(app, "grade4_math_unit3_pre.csv", title="Pre")
    add(app, title="Post")
    results = app.results
    results.section.value = "Growth"
    results.compare.value = pre.id
    assert "students took both" in results.summary.value
    assert "Moved out of intervention: Student " in results.summary.value
    assert results.chart.image.value
    salt = store_evidence.settings(app.scope).pseudonym_salt
    post = saved.load(app.scope, results.assessment.value)
    first = post.students.index[0]
    assert pseudonym(salt, first) in results.table.value
    assert post.students.at[first, "name"] not in results.table.value


def test_showing_real_names_is_recorded_and_only_on_that_screen(ana_facilitates):
    ben, chen = page(ana_facilitates, 1), page(ana_facilitates, 2)
    add(ben)
    for app in (ben, chen):
        app.results.refresh()
        app.results.section.value = "Groups"
    scores = saved.load(ben.scope, ben.results.assessment.value)
    name = scores.students["name"].iloc[0]
    ben.results.real_names.value = True
    assert name in ben.results.table.value
    chen.results.redraw()
    assert name not in chen.results.table.value
    entry = activity.entries(ben.scope)[0]
    assert entry.kind == "names shown" and entry.who == "Ben"


def test_a_coach_who_sets_the_real_names_value_still_sees_only_pseudonyms(ana_facilitates):
    ben = page(ana_facilitates, 1)
    pre = add(ben, "grade4_math_unit3_pre.csv", title="Pre")
    post = add(ben, title="Post")
    coach = coach_page(ana_facilitates)
    results = coach.results
    results.refresh(select=post.id)
    hidden = real_names(coach.scope, pre.id, post.id)
    # the box is hidden from a coach; a crafted widget message sets its value anyway
    results.real_names.value = True
    assert results.real_names.value is False
    assert "a coach sees pseudonyms" in coach.status.value
    for section in ("Groups", "Growth"):
        results.section.value = section
        results.compare.value = pre.id
        results.real_names.value = True
        assert results.real_names.value is False
        shown = results.summary.value + results.table.value
        assert "Student " in shown and not [n for n in hidden if n in shown], section
    assert reveals(coach.scope) == []


def test_a_members_reveal_is_recorded_once_for_each_assessment_whose_names_show(
    ana_facilitates,
):
    ben = page(ana_facilitates, 1)
    pre = add(ben, "grade4_math_unit3_pre.csv", title="Pre")
    post = add(ben, title="Post")
    results = ben.results
    results.refresh(select=post.id)
    results.section.value = "Groups"
    results.real_names.value = True
    for _ in range(2):  # drawn again and again: one reveal
        results.section.value = "Overview"
        results.section.value = "Groups"
    assert real_names(ben.scope, post.id)[0] in results.table.value
    assert reveals(ben.scope) == ["Ben: Real student names shown on one screen for “Post”"]
    # another assessment, the box still ticked: its names show, and that is recorded
    results.assessment.value = pre.id
    assert real_names(ben.scope, pre.id)[0] in results.table.value
    assert reveals(ben.scope)[0] == "Ben: Real student names shown on one screen for “Pre”"
    assert len(reveals(ben.scope)) == 2
    # unticked, then ticked on Growth: both assessments' names show, both recorded again
    results.real_names.value = False
    results.section.value = "Growth"
    results.compare.value = post.id
    results.real_names.value = True
    assert real_names(ben.scope, pre.id)[0] in results.table.value
    assert sorted(reveals(ben.scope)[:2]) == [
        "Ben: Real student names shown on one screen for “Post”",
        "Ben: Real student names shown on one screen for “Pre”",
    ]
    assert len(reveals(ben.scope)) == 4


def test_a_view_drawn_after_the_member_was_removed_shows_pseudonyms(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    post = add(ben)
    results = ben.results
    results.section.value = "Groups"
    results.real_names.value = True
    hidden = real_names(ana.scope, post.id)
    assert hidden[0] in results.table.value
    members.remove(ana.scope, ana_facilitates.people[1].id)
    results.teacher.value = results.teacher.options[1][1]  # the page draws the list again
    assert results.real_names.value is False and "Student " in results.table.value
    assert not [n for n in hidden if n in results.table.value]
    assert "taken off the roster" in ben.status.value


def test_the_name_saves_as_typed_and_the_facilitator_deletes(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    add(ben, title="Unit 3")
    ben.results.name.value = "Unit 3 — common <b>post</b>"
    flush_all()
    assert store_evidence.assessments(ben.scope)[0].name == "Unit 3 — common <b>post</b>"
    assert ben.results.delete.layout.display == "none"  # Ben does not facilitate
    ana.results.refresh()
    button(ana.results, "Move to the trash").click()
    answer_yes(ana.results)
    assert store_evidence.assessments(ana.scope) == []
    assert "in the trash" in ana.status.value


def test_settings_are_the_facilitators_and_change_the_results(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    add(ana)
    settings = ana.settings
    settings.compare.value = True
    settings.cuts.value = "50, 70, 95"
    flush_all()
    chosen = store_evidence.settings(ana.scope)
    assert chosen.compare_teachers and chosen.band_cuts == (50.0, 70.0, 95.0)
    assert "teacher" in ana.results.by.options
    settings.cuts.value = "90, 70, 95"  # not increasing: refused, the saved settings stay
    flush_all()
    assert "go up" in ana.indicator.value
    assert store_evidence.settings(ana.scope).band_cuts == (50.0, 70.0, 95.0)
    assert ben.settings.cuts.disabled


def test_a_dialogue_shows_the_chart_only_after_the_predictions(ana_facilitates):
    ana, ben = page(ana_facilitates, 0), page(ana_facilitates, 1)
    info = add(ana, title="Unit 3 post")
    dialogue = ana.dialogue
    dialogue.refresh()
    assert dialogue.assessment.value == info.id
    button(dialogue.live, "Start the protocol").click()
    run = runs.live_run(ana.scope)
    assert run.assessment_id == info.id and run.current.key == "predict"
    ben.dialogue.refresh()
    assert "Predictions first" in ben.dialogue.chart.caption.value
    assert ben.dialogue.chart.image.layout.display == "none"
    live.add_note(ben.scope, run.current_prompt_id, "Item 4 will be the lowest")
    runs.control(ana.scope, run.id, runner.advance)
    ben.dialogue.live.refresh()
    assert ben.dialogue.chart.image.layout.display is None
    assert "percent correct per item" in ben.dialogue.chart.caption.value
    while runs.get_run(ana.scope, run.id).state.status != "finished":
        runs.control(ana.scope, run.id, runner.advance)
    ben.dialogue.refresh()
    assert "Item 4 will be the lowest" in ben.dialogue.earlier.value
