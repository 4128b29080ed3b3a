"""The trainer's workshop presenter (workbook 07): opened with a coach link."""

from __future__ import annotations

import html

from collab_widgets.core.db import CoachScope, Store
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.serving.hub_sign_in import SESSION_PARAMETER
from collab_widgets.core.ui.closing import close_tree
from collab_widgets.core.ui.feedback import StatusLine, build_page
from collab_widgets.core.ui.layout import replace_children, stacked, text_block
from collab_widgets.core.ui.looks import close_looks
from collab_widgets.core.ui.notebook_style import stylesheet_if_needed
from collab_widgets.protocols.library import load_library
from collab_widgets.team.access import Gate
from collab_widgets.team.session import request_params
from collab_widgets.team.ui.join import JoinScreen
from collab_widgets.workshops.ui import WorkshopPresenter

NOT_A_COACH = (
    "The workshop presenter opens with a coach code, and that is a team's code. Open the "
    "coach link (`collab coach list` prints it), or ask your coach to run the workshop."
)


class WorkshopPresenterApp:
    """``widget`` is what the notebook shows; ``ready`` once it is built."""

    def __init__(self, store: Store | None = None, params: dict[str, str] | None = None):
        self.ready = False
        self.status = StatusLine()
        self.title = text_block("<h1>Workshop presenter</h1>")
        self.title.add_class("collab-title")
        self.body = stacked()
        self.widget = stacked([*stylesheet_if_needed(), self.title, self.status, self.body])
        self.widget.add_class("collab-app")
        self.presenter: WorkshopPresenter | None = None

        def build() -> None:
            self.store = store or Store()
            self.gate = Gate(self.store)
            query = request_params() if params is None else params
            if not query.get("coach") and not query.get(SESSION_PARAMETER):
                self.show_join()
                return
            try:
                if query.get(SESSION_PARAMETER):  # signed in through the district's hub
                    self.open_scope(self.store.open_hub(query[SESSION_PARAMETER]).open_coach())
                else:
                    self.open_scope(self.gate.open(query["coach"]))
            except AccessDenied as exc:
                self.show_join(str(exc))

        build_page(self.status, "workshop presenter", build)
        self.widget.add_class("collab-ready")
        self.ready = True

    def show_join(self, message: str = "") -> None:
        replace_children(self.body, [JoinScreen(self.gate, self.open_scope, message)])

    def open_scope(self, scope) -> None:
        if not isinstance(scope, CoachScope):
            self.show_join(NOT_A_COACH)
            return
        self.status.clear()
        self.title.value = f"<h2>Workshop presenter — {html.escape(scope.name)}</h2>"
        self.presenter = WorkshopPresenter(scope, self.status, load_library().sorted())
        replace_children(self.body, [self.presenter])

    def close(self) -> None:
        """The page goes away: its polling stops, and every widget it built is closed."""
        if self.presenter is not None:
            self.presenter.close_live()
        close_tree(self.widget, kept_aside=True)
        close_looks()
