"""The page's stylesheet: one style element, with every class the screens use defined."""

from __future__ import annotations

import re

from collab_widgets.core.ui.style import STYLE


def test_the_stylesheet_is_one_style_element_loading_nothing():
    assert STYLE.startswith("<style>") and STYLE.rstrip().endswith("</style>")
    assert STYLE.count("<style>") == 1
    assert "url(" not in STYLE and "@import" not in STYLE


def test_the_message_classes_the_status_line_uses_are_defined():
    for css in ("collab-error", "collab-ok", "collab-info", "collab-note", "collab-offline"):
        assert re.search(rf"\.{css}\b", STYLE), css
