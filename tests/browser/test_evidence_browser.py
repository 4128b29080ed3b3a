"""The evidence workbook in a real Voilà page: upload a sample file with its item map,
change a column's role, save, see the item chart; start a Data-Driven Dialogue and type a
prediction; reload: both are there. Then a broken file: its message shows and what was
saved is untouched. A name with markup shows as text, and nothing leaves the server."""

from __future__ import annotations

import time
from pathlib import Path

from playwright.sync_api import expect

from collab_widgets.core.db import Store
from collab_widgets.team.store import members

SCORES = Path(__file__).resolve().parents[2] / "sample_data" / "scores"
TEAM = "Grade 4 Math"
EVIL_NAME = "Unit 4 <img src=x onerror=alert(3)> & quiz"
PREDICTION = "<script>alert(4)</script> Item 4 will be lowest: fractions"
SLOW_MS = 30_000  # reading, checking and drawing on a busy two-core machine


def open_tab(page, name):
    page.get_by_role("tab", name=name).click()


def choose_file(page, upload_class, path: Path):
    """What a person does: press the upload button, pick the file in the dialog."""
    with page.expect_file_chooser() as chooser:
        page.locator(f".{upload_class}").click()
    chooser.value.set_files(str(path))


def test_upload_map_chart_predict_reload_and_a_broken_file(open_page, demo_server):
    server, demo = demo_server
    store = Store(server.db_url)
    scope = store.open_team(demo.team_codes[TEAM])
    leader = members.current_roles(scope)["facilitator"].name
    store.close()
    link = server.url(
        "02_evidence_analysis.ipynb",
        team=demo.team_codes[TEAM],
        member=demo.member_tokens[TEAM][leader],
    )
    page = open_page(link)
    # the demo's own assessments are there before anything is uploaded
    expect(page.locator(".collab-assessment-choice select")).to_contain_text("Unit 3")

    open_tab(page, "Add scores")
    choose_file(page, "collab-upload-key", SCORES / "grade4_math_item_map.csv")
    choose_file(page, "collab-upload-scores", SCORES / "grade4_math_unit3_post.csv")
    report = page.locator(".collab-report")
    expect(report).to_contain_text("Ready:", timeout=SLOW_MS)
    expect(report).to_contain_text("12 items")
    # map: IEP is not to be used for subgroups here
    page.locator(".collab-upload").get_by_label("IEP", exact=True).select_option("ignore")
    expect(report).not_to_contain_text("IEP", timeout=SLOW_MS)
    name = page.locator(".collab-assessment-name input")
    name.fill(EVIL_NAME)
    page.get_by_role("button", name="Save the assessment").click()

    # the results open on the new assessment; its item chart
    choice = page.locator(".collab-assessment-choice select")
    expect(choice).to_contain_text(EVIL_NAME, timeout=SLOW_MS)
    page.locator(".collab-results-section").get_by_role("button", name="Items").click()
    chart = page.locator(".collab-results img.collab-chart")
    expect(chart).to_be_visible(timeout=SLOW_MS)
    expect(page.locator(".collab-results .collab-alt")).to_contain_text("percent correct per item")
    expect(page.locator(".collab-results-table")).to_contain_text("Q4")
    assert page.locator("img[src='x']").count() == 0

    # a Data-Driven Dialogue about it: the prediction comes before the chart
    open_tab(page, "Dialogue")
    page.locator(".collab-dialogue-assessment select").select_option(label=EVIL_NAME)
    page.get_by_role("button", name="Start the protocol").click()
    expect(page.locator(".collab-dialogue")).to_contain_text("Predictions first", timeout=SLOW_MS)
    page.get_by_role("button", name="New note").click()
    box = page.locator(".collab-board-own textarea").last
    box.press_sequentially(PREDICTION, delay=5)
    # saved as typed: as in the protocols test, the reload comes a second after the last
    # key (an earlier "saved" could be from before the last keys reached the kernel)
    time.sleep(1)
    expect(page.locator(".collab-saved")).to_contain_text("changes saved", timeout=SLOW_MS)

    # reload: the assessment and the prediction are there
    page.reload()
    page.wait_for_selector(".collab-ready")
    expect(page.locator(".collab-assessment-choice select")).to_contain_text(EVIL_NAME)
    open_tab(page, "Dialogue")
    # predictions are anonymous: after a reload it is on the board, no longer this page's
    expect(page.locator(".collab-dialogue .collab-board")).to_contain_text(
        PREDICTION, timeout=SLOW_MS
    )
    assert page.locator(".collab-dialogue script").count() == 0

    # a broken file: a plain message, and the saved assessment is untouched
    open_tab(page, "Add scores")
    choose_file(page, "collab-upload-scores", SCORES / "broken_duplicate_student.csv")
    expect(report).to_contain_text("appears twice", timeout=SLOW_MS)
    expect(report).to_contain_text("row")
    expect(page.get_by_role("button", name="Save the assessment")).to_be_disabled()
    open_tab(page, "Results")
    options = page.locator(".collab-assessment-choice option")
    expect(options.filter(has_text=EVIL_NAME)).to_have_count(1)
    expect(page.locator(".jp-OutputArea-output pre", has_text="Traceback")).to_have_count(0)
