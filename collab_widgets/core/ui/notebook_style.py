"""The workbook's look where no page template gives it: an app drawn in a notebook in
JupyterLab gets the same stylesheet as the pages ``collab serve`` draws, inside the app."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import ipywidgets as widgets

from collab_widgets.core.ui.layout import text_block

STYLESHEET = (
    Path(__file__).resolve().parents[1]
    / "serving/jupyter_data/voila/templates/collab/static/collab.css"
)


def drawn_by_voila() -> bool:
    """Voilà (``collab serve``, or its preview in JupyterLab) tells every page's kernel its
    address; a notebook's kernel in JupyterLab is told nothing."""
    return "VOILA_BASE_URL" in os.environ


@cache
def _css() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def stylesheet_if_needed() -> list[widgets.Widget]:
    """Nothing on a Voilà page (its template loads the stylesheet); in a notebook, the
    stylesheet in a hidden block of the app."""
    if drawn_by_voila():
        return []
    block = text_block(f"<style>{_css()}</style>")
    block.add_class("collab-stylesheet")
    return [block]
