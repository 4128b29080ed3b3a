"""A workshop participant's page (workbook 06): join with the code, answer the prompt
shown. Light on purpose: no pandas, no matplotlib in this kernel."""

from __future__ import annotations

import ipywidgets as widgets

from ..errors import CollabError
from ..session import request_params
from ..store import Store
from ..ui.feedback import UNEXPECTED, StatusLine, log
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
        try:
            self.store = store or Store()
            params = request_params() if params is None else params
            self.room = WorkshopRoom(self.store, self.status, params.get("workshop", ""))
            replace_children(self.body, [self.room])
        except CollabError as exc:
            self.status.error(str(exc))
        except Exception:
            log.exception("building the workshop page failed")
            self.status.error(UNEXPECTED)
        self.widget.add_class("collab-ready")
        self.ready = True

    def close(self) -> None:
        if self.room is not None:
            self.room.stop()
