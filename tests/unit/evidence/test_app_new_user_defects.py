"""Issue 20: a new user's walk through the Evidence page, driven without a browser. Each
test shows one thing that person met: a message that contradicted its own list, panels
that changed only after a reload, a form that kept the last file's name and date, blank
drop-downs, comparing an assessment with itself, "1 students", and a French "Nom" column
taken for a subgroup."""

import datetime as dt
from pathlib import Path

from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.evidence import mapping
from collab_widgets.evidence import store as store_evidence
from collab_widgets.protocols import store as runs
from tests.unit.evidence.test_app import button, page
from tests.unit.widget_helpers import answer_yes, texts

SCORES = Path(__file__).resolve().parents[3] / "sample_data" / "scores"


POST, PRE, KEY = (
    "grade4_math_unit3_post.csv",
    "grade4_math_unit3_pre.csv",
    "grade4_math_item_map.csv",
)


def upload_bytes(widget, name: str, data: bytes):
    widget.value = (
        {
            "name": name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        },
    )


def upload(widget, path: Path):
    upload_bytes(widget, path.name, path.read_bytes())


def add(app, name=POST, key=KEY, title=None):
    panel = app.upload
    if key:
        upload(panel.key_file, SCORES / key)
    upload(panel.scores_file, SCORES / name)
    if title:
        panel.name.value = title
    assert "Ready:" in panel.report.value, panel.report.value
    button(panel, "Save the assessment").click()
    return store_evidence.assessments(app.scope)[0]


def ids(dropdown) -> list:
    return [o[1] if isinstance(o, tuple) else o for o in dropdown.options]


def test_subgroups_break_down_by_the_first_attribute_at_once(ana_facilitates):
    app = page(ana_facilitates, 1)
    add(app)
    results = app.results
    results.section.value = "Subgroups"
    assert results.by.options[:1] == ("ELL",) and results.by.value == "ELL"
    assert "no attribute column" not in results.chart.caption.value
    assert results.chart.image.value and "ELL" in results.table.value


def test_subgroups_say_there_is_no_attribute_only_when_there_is_none(ana_facilitates):
    plain = b"Student ID,Name,Q1,Q2\n" + b"".join(
        f"S{n},Kid {n},{n % 2},1\n".encode() for n in range(12)
    )
    app = page(ana_facilitates, 1)
    upload_bytes(app.upload.scores_file, "plain.csv", plain)
    button(app.upload, "Save the assessment").click()
    results = app.results
    results.section.value = "Subgroups"
    assert results.by.options == ()
    assert results.by not in results.controls.children  # no empty list beside the message
    assert "no attribute column" in results.chart.caption.value


def test_ending_a_dialogue_lists_it_under_earlier_dialogues_at_once(ana_facilitates):
    ana = page(ana_facilitates, 0)
    add(ana, title="Unit 3 post")
    dialogue = ana.dialogue
    assert "None yet" in dialogue.earlier.value
    button(dialogue.live, "Start the protocol").click()
    button(dialogue.live, "End the protocol").click()
    answer_yes(dialogue.live)
    assert runs.live_run(ana.scope) is None
    assert "None yet" not in dialogue.earlier.value
    assert "Data-Driven Dialogue" in dialogue.earlier.value


def test_a_dialogue_ended_elsewhere_is_listed_when_the_page_hears_of_it(ana_facilitates):
    ana = page(ana_facilitates, 0)
    add(ana, title="Unit 3 post")
    ben = page(ana_facilitates, 1)
    assert "None yet" in ben.dialogue.earlier.value
    button(ana.dialogue.live, "Start the protocol").click()
    ben.dialogue.live.refresh()  # Ben's page polls: the run shows
    button(ana.dialogue.live, "End the protocol").click()
    answer_yes(ana.dialogue.live)
    ben.dialogue.live.refresh()  # the next poll: the run ended
    assert "Data-Driven Dialogue" in ben.dialogue.earlier.value


def test_an_upload_saved_is_offered_in_the_dialogue_at_once(ana_facilitates):
    app = page(ana_facilitates, 1)
    assert app.dialogue.assessment.options == ()
    info = add(app, title="Unit 3 post")
    assert ids(app.dialogue.assessment) == [info.id]
    assert app.dialogue.assessment.value == info.id
    assert "Add an assessment" not in app.dialogue.earlier.value


def test_a_rename_in_results_shows_in_every_list_of_the_page(ana_facilitates):
    app = page(ana_facilitates, 1)
    pre = add(app, PRE, title="Pre")
    add(app, title="Post")
    app.results.name.value = "Unit 3 post-test"
    flush_all()
    assert "Unit 3 post-test" in dict((v, k) for k, v in app.dialogue.assessment.options).get(
        app.results.assessment.value, ""
    )
    assert app.results.assessment.label.startswith("Unit 3 post-test — ")
    app.results.assessment.value = pre.id
    assert any(label.startswith("Unit 3 post-test") for label, _ in app.results.compare.options)


def test_trashing_in_results_takes_it_out_of_the_dialogue_list(ana_facilitates):
    ana = page(ana_facilitates, 0)
    pre = add(ana, PRE, title="Pre")
    post = add(ana, title="Post")
    ana.dialogue.assessment.value = post.id
    ana.results.assessment.value = post.id
    button(ana.results, "Move to the trash").click()
    answer_yes(ana.results)
    assert ids(ana.dialogue.assessment) == [pre.id]
    assert ana.dialogue.assessment.value == pre.id


def test_new_settings_redraw_the_results_and_the_dialogue_chart(ana_facilitates):
    ana = page(ana_facilitates, 0)
    info = add(ana, title="Unit 3 post")
    button(ana.dialogue.live, "Start the protocol").click()
    run = runs.live_run(ana.scope)
    button(ana.dialogue.live, "Next step").click()  # past Predict: the chart shows ...
    ana.dialogue.live.refresh()  # ... when the page's poll hears of it
    assert runs.get_run(ana.scope, run.id).current.key != "predict"
    assert ana.dialogue.shown == info.id
    before_chart = ana.dialogue.chart.image.value
    before_bands = ana.results.table.value
    settings = ana.settings
    settings.groups.value = "30, 50, 90"  # the chart's line is the second cut point
    settings.cuts.value = "40, 60, 80"
    flush_all()
    assert ana.results.table.value != before_bands
    assert ana.dialogue.chart.image.value != before_chart


def test_the_next_file_gets_its_own_name_and_no_old_date(ana_facilitates):
    app = page(ana_facilitates, 1)
    panel = app.upload
    upload(panel.key_file, SCORES / KEY)
    upload(panel.scores_file, SCORES / PRE)
    assert panel.name.value == "grade4 math unit3 pre"
    assert panel.given_on.value is None  # a first file: no date
    panel.name.value = "Unit 3 pre-test"
    panel.given_on.value = dt.date(2026, 9, 1)
    button(panel, "Save the assessment").click()
    upload(panel.scores_file, SCORES / POST)
    assert panel.name.value == "grade4 math unit3 post"
    assert panel.given_on.value is None
    assert "Ready:" in panel.report.value


def test_a_name_guessed_from_one_file_gives_way_to_the_next_files(ana_facilitates):
    panel = page(ana_facilitates, 1).upload
    upload(panel.scores_file, SCORES / PRE)
    upload(panel.scores_file, SCORES / POST)  # the first was the wrong file
    assert panel.name.value == "grade4 math unit3 post"
    panel.name.value = "Typed by me"
    upload(panel.scores_file, SCORES / PRE)  # a typed name is the person's: kept
    assert panel.name.value == "Typed by me"


def test_every_results_dropdown_shows_one_of_its_options(ana_facilitates):
    one_teacher = b"Student ID,Name,Teacher,ELL,Q1,Q2\n" + b"".join(
        f"S{n},Kid {n},Avery M.,{'YN'[n % 2]},{n % 2},1\n".encode() for n in range(12)
    )
    app = page(ana_facilitates, 1)
    upload_bytes(app.upload.scores_file, "one_teacher.csv", one_teacher)
    button(app.upload, "Save the assessment").click()
    results = app.results
    for dropdown in (results.students, results.teacher, results.by):
        assert dropdown.options, dropdown.description
        assert dropdown.value in ids(dropdown), dropdown.description
        assert dropdown.label, dropdown.description
    assert results.students.label == "All students"
    assert results.teacher.label == "All teachers"
    assert results.by.label == "ELL"
    add(app, title="Post")  # something to compare with: the list shows its first choice
    assert results.compare.value in ids(results.compare) and results.compare.label


def test_growth_offers_only_the_other_assessments(ana_facilitates):
    app = page(ana_facilitates, 1)
    first = add(app, PRE, title="Pre")
    results = app.results
    results.section.value = "Growth"
    assert first.id not in ids(results.compare)
    assert "nothing else to compare" in results.chart.caption.value.lower()
    second = add(app, title="Post")
    results.section.value = "Growth"
    assert results.assessment.value == second.id
    assert second.id not in ids(results.compare) and first.id in ids(results.compare)
    results.assessment.value = first.id
    assert first.id not in ids(results.compare) and second.id in ids(results.compare)


def test_one_student_is_one_student_everywhere_on_the_page(ana_facilitates):
    app = page(ana_facilitates, 1)
    upload_bytes(app.upload.scores_file, "solo.csv", b"Student ID,Name,Q1,Q2\nS1,Kid,1,0\n")
    assert "1 student," in app.upload.report.value
    button(app.upload, "Save the assessment").click()
    assert "1 student." in app.status.value and "1 students" not in app.status.value
    shown = texts(app) + str(app.results.assessment.options)
    assert "1 students" not in shown
    assert "— 1 student" in app.results.assessment.label
    app.results.section.value = "Groups"
    assert "1 students" not in app.results.table.value


def test_a_french_export_shows_names_not_a_nom_subgroup(ana_facilitates):
    rows = "".join(f"E{n},Nom{n},Prénom{n},{'FG'[n % 2]},{n % 2},1\n" for n in range(12))
    data = ("Identifiant,Nom,Prénom,Sexe,Q1,Q2\n" + rows).encode()
    app = page(ana_facilitates, 1)
    upload_bytes(app.upload.scores_file, "export_fr.csv", data)
    roles = {p.description: p.value for p in app.upload.columns.children}
    assert roles["Nom"] == mapping.NAME and roles["Prénom"] == mapping.NAME
    assert roles["Identifiant"] == mapping.ID
    assert "Nom" not in app.upload.report.value.split("Subgroups by:")[-1]
    button(app.upload, "Save the assessment").click()
    assert "Nom" not in app.results.by.options
