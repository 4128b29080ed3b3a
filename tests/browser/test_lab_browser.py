"""JupyterLab, started as the README says (``python3 run.py lab``): a workbook run in a
notebook asks for a code in the app and then is the app; the Evidence notebook under
``lab/`` stops with a plain message until the team is open, then reproduces the figures
the app shows; Voilà's preview draws a workbook page; nothing is fetched from outside."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from collab_widgets.core.serving.process import free_port
from tests.browser.conftest import TIMEOUT_MS, make_demo_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "lab-test-token"
TEAM = "Grade 4 Math"


@contextlib.contextmanager
def lab_server(folder: Path, db_url: str):
    """``python3 run.py lab`` on its own port, with JupyterLab's settings kept in
    ``folder``; stopped with everything it started."""
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_TOKEN": TOKEN,
        "JUPYTERLAB_SETTINGS_DIR": str(folder / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces"),
    }
    log = open(folder / "lab.log", "ab")  # noqa: SIM115 - closed below
    command = [sys.executable, "run.py", "lab", "--db", db_url, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--no-browser"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # run.py may first bring the environment up to date
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start; see {folder / 'lab.log'}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its kernels too
        log.close()


def open_notebook(open_page, base: str, path: str):
    """The notebook alone in a workspace of its own (JupyterLab would otherwise bring back
    the tabs of the last page, and the Run menu act on one of them)."""
    workspace = Path(path).stem
    url = f"{base}/lab/workspaces/{workspace}/tree/{path}?token={TOKEN}"
    page = open_page(url, wait_ready=False)
    page.wait_for_selector(
        f".lm-TabBar-tab.lm-mod-current:has-text('{Path(path).name[:20]}')", timeout=TIMEOUT_MS
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=TIMEOUT_MS)
    # the kernel connected and idle, as a person waits for "Idle" before running cells
    page.get_by_text(re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for()
    # the notebook is JupyterLab's current widget once a cell of it is clicked: the Run
    # menu acts on the current one
    page.locator(".jp-Notebook .jp-Cell .jp-InputArea-prompt").first.click()
    return page


def run_from_menu(page, item: str) -> None:
    page.get_by_role("menuitem", name="Run", exact=True).click()
    entry = page.get_by_role("menuitem", name=item, exact=True)
    # JupyterLab enables its Run commands once the notebook's kernel session is ready
    page.wait_for_function(
        "e => !e.classList.contains('lm-mod-disabled')", arg=entry.element_handle()
    )
    entry.click()


def open_team(page, code: str) -> None:
    """Type the team code in the notebook's app, and take a name if it asks."""
    page.locator(".collab-app .collab-code input").fill(code)
    page.locator(".collab-app button", has_text="Open").click()
    page.wait_for_selector(".collab-app .collab-pick, .collab-app .collab-table")
    if page.locator(".collab-app .collab-pick").count():
        page.locator(".collab-app button", has_text="That's me").click()
    page.wait_for_selector(".collab-app .collab-table")


def app_overview(page) -> list[list[str]]:
    rows = page.locator(".collab-app .collab-table").first.locator("tbody tr")
    return [row.locator("td").all_inner_texts() for row in rows.all()]


def output_table(page, heading: str) -> list[list[str]]:
    """The rows of the first table the notebook's cells printed with this first heading,
    waiting for it as a person waits for a cell's output (cells after it may still run)."""
    # textContent, not innerText: JupyterLab skips drawing cells out of view
    found = page.wait_for_function(
        """heading => {
            for (const table of document.querySelectorAll('.jp-OutputArea-output table')) {
                const first = table.querySelector('thead th');
                if (first && first.textContent.trim() === heading) {
                    const text = cell => cell.textContent.trim();
                    return [...table.querySelectorAll('tbody tr')].map(
                        row => [...row.querySelectorAll('td')].map(text));
                }
            }
            return null;
        }""",
        arg=heading,
    )
    return found.json_value()


def test_jupyterlab_runs_a_workbook_and_reproduces_its_figures(tmp_path, open_page):
    db_url, demo = make_demo_db(tmp_path)
    code = demo.team_codes[TEAM]
    with lab_server(tmp_path, db_url) as base:
        # a workbook: run it, type the team code in the app, and it is the app
        page = open_notebook(open_page, base, "workbooks/02_evidence_analysis.ipynb")
        run_from_menu(page, "Run All Cells")
        page.wait_for_selector(".collab-app .collab-code input")
        open_team(page, code)
        assert page.locator(".collab-app h1").first.inner_text() == f"{TEAM} — Evidence"
        shown = app_overview(page)
        assert [row[0] for row in shown] == ["Beginning", "Approaching", "Meeting", "Exceeding"]
        # the app has the workbook's look (its stylesheet), and JupyterLab keeps its own
        assert page.locator(".collab-app .collab-stylesheet").count() == 1
        assert (
            page.eval_on_selector(
                ".collab-app .collab-title h1", "h => getComputedStyle(h).fontSize"
            )
            == "28px"
        )
        sizes = page.evaluate(
            """() => [document.documentElement, document.querySelector('.collab-app')].map(
                element => getComputedStyle(element).getPropertyValue('--jp-widgets-font-size'))"""
        )
        assert [size.strip() for size in sizes] == ["13px", "16px"]

        # the code behind the numbers: stops, plainly, until the team is open
        page = open_notebook(open_page, base, "lab/02_how_the_evidence_numbers_are_made.ipynb")
        run_from_menu(page, "Run All Cells")
        stderr = "application/vnd.jupyter.stderr"
        error = page.locator(f".jp-OutputArea-output[data-mime-type='{stderr}']").first
        error.wait_for(state="attached")
        said = error.text_content()  # not inner_text: JupyterLab skips drawing cells out of view
        assert "No team is open yet. Type your team code in the app above" in said
        assert "Traceback" not in said
        open_team(page, code)
        assert app_overview(page) == shown
        page.locator(".jp-Notebook .jp-CodeCell").nth(1).locator(".jp-InputArea-prompt").click()
        run_from_menu(page, "Run Selected Cell and All Below")
        # every cell has run once the last one shows its output
        page.locator(".jp-Notebook .jp-CodeCell").last.locator(".jp-OutputArea-output").wait_for(
            state="attached"
        )
        assert page.locator(".jp-RenderedImage img").count() == 5  # the charts, drawn
        reproduced = output_table(page, "band")
        assert [[band, n, f"{percent}%"] for band, n, percent in reproduced] == shown
        text = page.locator(".jp-Notebook").text_content()
        assert not re.search(r"\bNaN\b", text)  # a hidden figure is “–”, as on the page

        # Voilà's preview serves no file of the folder by itself, with or without the token
        for token in ("", f"?token={TOKEN}"):
            status = page.request.get(f"{base}/voila/files/docs/screenshots/coach-page.png{token}")
            assert status.status in (403, 404), token

        # Voilà's preview in JupyterLab draws a workbook page as `collab serve` does
        page = open_page(f"{base}/voila/render/workbooks/00_start_here.ipynb?token={TOKEN}")
        assert page.get_by_text("Join your team").is_visible()
