"""What the classroom screens share: a text box as tall as its rows."""

from __future__ import annotations

import ipywidgets as widgets


def text_box(description: str, placeholder: str, css: str, rows: int = 3) -> widgets.Textarea:
    """A full-width box of ``rows`` lines. Its height comes from its rows, not a fixed
    height: on a phone the label goes above the box, and a fixed height let the box spill
    over what is below it."""
    box = widgets.Textarea(
        description=description,
        placeholder=placeholder,
        rows=rows,
        layout=widgets.Layout(width="100%"),
    )
    box.add_class(css)
    return box
