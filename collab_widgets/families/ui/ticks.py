"""A tick box per family (who came to a meeting, to a workshop), kept while the families
and their labels stay the same so that only the ticks change on a redraw."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets


def refill_ticks(
    boxes: dict[int, widgets.Checkbox],
    holder: widgets.Box,
    wanted: list[tuple[int, str]],
    marker: Callable[[int], Callable],
) -> dict[int, widgets.Checkbox]:
    """The boxes of ``wanted`` (family id, label) shown in ``holder``: ``boxes`` as they are
    when nothing but ticks changed, else new ones (the old closed), each observed by
    ``marker(family id)``."""
    if [(family_id, box.description) for family_id, box in boxes.items()] == wanted:
        return boxes
    for box in boxes.values():
        box.close()
    made = {}
    for family_id, label in wanted:
        box = widgets.Checkbox(description=label, value=False, indent=False)
        box.observe(marker(family_id), "value")
        made[family_id] = box
    holder.children = tuple(made.values())
    return made
