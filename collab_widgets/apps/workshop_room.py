"""A workshop participant's page (workbook 06): join with the code, answer the prompt
shown. Light on purpose: no pandas, no matplotlib in this kernel."""

from __future__ import annotations

import ipywidgets as widgets

from ..session import request_params
from ..store import Store
from ..ui.feedback import StatusLine, build_page
from ..ui.layout import replace_children
from ..ui.style import STYLE
from ..ui.workshop_room import WorkshopRoom


class WorkshopRoomApp:
    """``widget`` is what the notebook shows; ``ready`` once it is built."""

    def __init__(self, store: Store | None = None, params: dict[str, str] | None = None):
        self.ready = False
        self.status = StatusLine()
        self.body = widgets.VBox()
        self.widget = widgets.VBox([widgets.HTML(STYLE), self.status, self.body])
        self.widget.add_class("collab-app")
        self.room: WorkshopRoom | None = None

        def build() -> None:
            self.store = store or Store()
            query = request_params() if params is None else params
            self.room = WorkshopRoom(self.store, self.status, query.get("workshop", ""))
            replace_children(self.body, [self.room])

        build_page(self.status, "workshop", build)
        self.widget.add_class("collab-ready")
        self.ready = True

    def close(self) -> None:
        if self.room is not None:
            self.room.stop()
