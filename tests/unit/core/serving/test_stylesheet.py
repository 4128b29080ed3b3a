"""The workbook's one stylesheet, served with the page template: it loads nothing from
outside, and defines the classes the screens' messages and status words use."""

from __future__ import annotations

import re
from pathlib import Path

import collab_widgets

TEMPLATE = Path(collab_widgets.__file__).parent / "core/serving/jupyter_data/voila/templates/collab"
STYLESHEET = (TEMPLATE / "static" / "collab.css").read_text(encoding="utf-8")


def test_the_stylesheet_loads_nothing():
    assert "url(" not in STYLESHEET and "@import" not in STYLESHEET


def test_the_page_template_links_the_stylesheet_after_the_theme():
    template = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    css_block = template[template.index("block notebook_css") :]
    assert css_block.index("super()") < css_block.index('include_css("static/collab.css")')


def test_the_message_and_status_classes_are_defined():
    for css in (
        "collab-error",
        "collab-ok",
        "collab-info",
        "collab-note",
        "collab-offline",
        "collab-status-on-track",
        "collab-status-at-risk",
        "collab-status-met",
        "collab-status-not-met",
        "collab-overdue",
    ):
        assert re.search(rf"\.{css}\b", STYLESHEET), css
