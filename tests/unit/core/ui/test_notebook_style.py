"""An app drawn in a notebook in JupyterLab carries the workbook's stylesheet; a Voilà
page, whose template loads it, gets no second copy."""

from __future__ import annotations

from collab_widgets.core.ui.notebook_style import STYLESHEET, stylesheet_if_needed
from collab_widgets.team.app import StartHereApp


def test_in_a_notebook_the_app_carries_the_stylesheet(monkeypatch):
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    (block,) = stylesheet_if_needed()
    assert block.value == f"<style>{STYLESHEET.read_text()}</style>"
    assert "collab-stylesheet" in block._dom_classes


def test_on_a_voila_page_the_template_gives_it(monkeypatch):
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    assert stylesheet_if_needed() == []


def test_the_stylesheet_changes_no_size_outside_the_app():
    """JupyterLab's own widgets keep their sizes: ipywidgets' variables are set on the
    page (Voilà) and the app, not on the whole document."""
    css = STYLESHEET.read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    assert "--jp-" not in root
    assert "body[data-voila], .collab-app {" in css


def test_a_workbook_app_in_a_notebook_starts_with_it(monkeypatch, tmp_path):
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    from collab_widgets.core.db import Store

    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    app = StartHereApp(store, params={})
    assert "collab-stylesheet" in app.widget.children[0]._dom_classes
    app.close()
    store.close()
