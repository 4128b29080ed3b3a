"""Community partnerships (workbook 10): the school's page, opened with a coordinator's or a
principal's school link (``?school=CODE``). The coordinator runs partners, mentoring,
service learning and careers, and the year's partnership plan; the principal reads the
same tabs, with no control that changes anything (and the store refuses them anyway).
Every tab shares one :class:`~collab_widgets.community.ui.state.CommunityState`."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.community.ui.mentoring_panel import MentoringPanel
from collab_widgets.community.ui.partners_panel import PartnersPanel
from collab_widgets.community.ui.plan_panel import PlanPanel
from collab_widgets.community.ui.projects_panel import ProjectsPanel
from collab_widgets.community.ui.school_join import SchoolJoinScreen
from collab_widgets.community.ui.school_panel import SchoolPanel
from collab_widgets.community.ui.state import CommunityState
from collab_widgets.core.db import SchoolScope, Store
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.ui.closing import close_tree
from collab_widgets.core.ui.feedback import StatusLine, build_page, guarded
from collab_widgets.core.ui.layout import LazyPanel, lazy_tab, replace_children, stacked, text_block
from collab_widgets.core.ui.looks import close_looks
from collab_widgets.core.ui.notebook_style import stylesheet_if_needed
from collab_widgets.team.access import Gate
from collab_widgets.team.session import request_params

NAME = "Community partnerships"
TABS = ("School", "Partners", "Mentoring", "Service & careers", "Plan")
ROLE_WORDS = {"coordinator": "partnership coordinator", "principal": "principal"}


class CommunityApp:
    """``widget`` is what the notebook shows; ``ready`` once it is built."""

    NOTEBOOK = "10_community.ipynb"

    def __init__(self, store: Store | None = None, params: dict[str, str] | None = None):
        self.ready = False
        self.status = StatusLine()
        self.title = text_block(f"<h1>{NAME}</h1>")
        self.title.add_class("collab-title")
        self.who = text_block()
        self.who.add_class("collab-who")
        header = stacked([self.title, self.who])
        header.add_class("collab-header")
        self.body = stacked()
        self.widget = stacked([*stylesheet_if_needed(), header, self.status, self.body])
        self.widget.add_class("collab-app")
        self.scope: SchoolScope | None = None
        self.state: CommunityState | None = None
        self.tabs: widgets.Tab | None = None
        self.lazy: dict[str, LazyPanel] = {}

        def build() -> None:
            self.store = store or Store()
            self.gate = Gate(self.store)
            query = request_params() if params is None else params
            code = query.get("school")
            if not code:
                self.show_join()
                return
            try:
                scope = self.open_code(code)
            except AccessDenied as exc:
                self.show_join(str(exc))
                return
            self.open_scope(scope)

        build_page(self.status, "community partnerships", build)
        self.widget.add_class("collab-ready")
        self.ready = True

    # --- getting in ---------------------------------------------------------------------

    def open_code(self, code: str) -> SchoolScope:
        """The school of a link's code; wrong codes count at the gate (no guessing)."""
        return self.gate.attempt(lambda: self.store.open_school(code))

    def show_join(self, message: str = "") -> None:
        self.leave_school()
        self.title.value = f"<h1>{NAME}</h1>"
        self.who.value = ""
        replace_children(
            self.body, [SchoolJoinScreen(self.open_code, self.open_scope, message)], self.widget
        )

    def open_scope(self, scope: SchoolScope) -> None:
        self.leave_school()
        self.status.clear()
        self.scope = scope
        self.title.value = f"<h1>{NAME} — {html.escape(scope.school_name())}</h1>"
        self.who.value = (
            f"<p>You are: {html.escape(scope.person_name)}, "
            f"{html.escape(ROLE_WORDS.get(scope.role, scope.role))}</p>"
        )
        self.state = state = CommunityState(scope)
        status = self.status
        self.school = SchoolPanel(state, status)
        # the other tabs are built when first opened
        self.lazy = {
            "partners": LazyPanel(lambda: PartnersPanel(state, status)),
            "mentoring": LazyPanel(lambda: MentoringPanel(state, status)),
            "projects": LazyPanel(lambda: ProjectsPanel(state, status)),
            "plan": LazyPanel(lambda: PlanPanel(state, status)),
        }
        self.tabs = widgets.Tab(children=[self.school, *self.lazy.values()], titles=TABS)
        self.tabs.observe(guarded(status, flush=False)(self._tab_opened), "selected_index")
        self.school.refresh()
        replace_children(self.body, [self.tabs], self.widget)

    partners = lazy_tab("partners")
    mentoring = lazy_tab("mentoring")
    projects = lazy_tab("projects")
    plan = lazy_tab("plan")

    def _tab_opened(self, change) -> None:
        """A tab redraws when opened: what the other person changed shows there."""
        if change["new"] is not None:
            self.tabs.children[change["new"]].refresh()

    # --- going away ---------------------------------------------------------------------

    def leave_school(self) -> None:
        if self.state is not None:
            self.state.unobserve_all()  # a late change reaches no panel of the view gone
        self.state = None
        self.lazy = {}

    def close(self) -> None:
        """The page goes away: every widget it built is closed."""
        self.leave_school()
        close_tree(self.widget, kept_aside=True)
        close_looks()
