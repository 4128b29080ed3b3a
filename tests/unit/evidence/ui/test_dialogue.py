"""The Dialogue tab: which protocol it offers, which assessment a dialogue started from it
is about, the chart held back until the predictions are made, and the earlier dialogues
about the chosen assessment."""

from __future__ import annotations

from pathlib import Path

from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.scores import read_scores
from collab_widgets.evidence.ui.dialogue import DIALOGUE, DialoguePanel, dialogue_library
from collab_widgets.live.ui import BoardView
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.ui.run_setup import RunSetup
from collab_widgets.protocols.ui.run_view import LivePanel
from tests.unit.widget_helpers import BUTTONS, find, opened

SCORES = Path(__file__).resolve().parents[4] / "sample_data" / "scores"


def panel(scope) -> DialoguePanel:
    """The tab as the evidence page builds it, over the real live panel and board."""
    status, indicator = StatusLine(), SavedIndicator()
    return opened(
        lambda: DialoguePanel(
            scope,
            status,
            lambda follow: LivePanel(
                scope, status, indicator, dialogue_library(), BoardView, follow
            ),
        )
    )


def add_assessment(scope, name: str, file: str = "grade4_math_unit3_post.csv") -> int:
    scores = read_scores(SCORES / file, key=SCORES / "grade4_math_item_map.csv")
    return saved.save(scope, scores, name)


def start(made: DialoguePanel) -> int:
    [setup] = find(made.live, RunSetup)
    [go] = find(setup, BUTTONS, lambda b: b.description == "Start the protocol")
    go.click()
    run = runs.live_run(made.scope)
    assert run is not None, made.status.value
    return run.id


def finish(scope, run_id: int) -> None:
    while runs.get_run(scope, run_id).state.live:
        runs.control(scope, run_id, runner.advance)


def test_the_dialogue_offers_the_data_driven_dialogue_alone():
    assert [p.key for p in dialogue_library().sorted()] == [DIALOGUE]


def test_without_an_assessment_the_tab_says_where_to_add_one(ana_facilitates):
    made = panel(ana_facilitates.member(0))
    assert made.assessment.options == ()
    assert "Add an assessment under Add scores first." in made.earlier.value
    assert "The chart shows here while a dialogue about it runs." in made.chart.caption.value


def test_a_dialogue_is_started_about_the_assessment_chosen(ana_facilitates):
    ana = ana_facilitates.member(0)
    first = add_assessment(ana, "Unit 3 pre", "grade4_math_unit3_pre.csv")
    second = add_assessment(ana, "Unit 3 post")
    made = panel(ana)
    made.assessment.value = first
    made.assessment.value = second
    assert made.live.assessment_id == second
    run = runs.get_run(ana, start(made))
    assert run.assessment_id == second and run.current.key == "predict"


def test_the_chart_waits_for_the_predictions_then_shows_that_assessments_items(
    ana_facilitates,
):
    ana = ana_facilitates.member(0)
    add_assessment(ana, "Unit 3 post")
    made = panel(ana)
    run_id = start(made)
    assert "Predictions first" in made.chart.caption.value and made.shown is None
    runs.control(ana, run_id, runner.advance)
    made.live.refresh()  # what the page's poll does when the run moves on
    assert made.shown == runs.get_run(ana, run_id).assessment_id
    assert "percent correct per item" in made.chart.caption.value
    assert made.chart.image.layout.display is None


def test_a_dialogue_about_an_assessment_moved_to_the_trash_says_so_instead_of_a_chart(
    ana_facilitates,
):
    ana = ana_facilitates.member(0)
    assessment = add_assessment(ana, "Unit 3 post")
    made = panel(ana)
    run_id = start(made)
    runs.control(ana, run_id, runner.advance)
    made.live.refresh()
    assert made.shown == assessment
    evidence.delete(ana, assessment)
    made.settings_changed()  # the chart is drawn again: its scores are gone
    assert "no longer there" in made.chart.caption.value
    assert made.chart.image.layout.display == "none"


def test_earlier_lists_only_finished_dialogues_about_the_chosen_assessment(ana_facilitates):
    ana = ana_facilitates.member(0)
    talked_about = add_assessment(ana, "Unit 3 post")
    other = add_assessment(ana, "Unit 3 pre", "grade4_math_unit3_pre.csv")
    made = panel(ana)
    made.assessment.value = talked_about
    run_id = start(made)
    runs.set_step_notes(ana, run_id, 0, "We <b>expect</b> item 4 to be low", "")
    made.refresh()  # the tab opened again while it runs
    assert "None yet." in made.earlier.value  # still running
    finish(ana, run_id)
    made.live.refresh()  # the run ended: listed at once
    assert "We &lt;b&gt;expect&lt;/b&gt; item 4 to be low" in made.earlier.value
    assert "<b>expect" not in made.earlier.value
    made.assessment.value = other
    assert "None yet." in made.earlier.value
