"""Start here: join or create a team, roster and roles, links, norms, next meeting."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..access import Gate
from ..errors import CollabError
from ..session import request_params
from ..store import CoachScope, Store, TeamScope
from ..ui.coach import CoachPanel
from ..ui.feedback import UNEXPECTED, SavedIndicator, StatusLine, guarded, log
from ..ui.history import HistoryPanel
from ..ui.join import JoinScreen, PickNameScreen
from ..ui.layout import button, replace_children
from ..ui.meeting import MeetingPanel
from ..ui.norms import NormsPanel
from ..ui.roster import RosterPanel
from ..ui.style import STYLE

TABS = ("Team and roles", "Norms", "Next meeting", "Trash and history")


class StartHereApp:
    """The start page. ``widget`` is what the notebook shows; ``ready`` once it is built."""

    def __init__(self, store: Store | None = None, params: dict[str, str] | None = None):
        self.ready = False
        self.status = StatusLine()
        self.indicator = SavedIndicator()
        self.title = widgets.HTML("<h2>Start here</h2>")
        self.body = widgets.VBox()
        self.widget = widgets.VBox(
            [widgets.HTML(STYLE), self.title, self.indicator, self.status, self.body]
        )
        self.widget.add_class("collab-app")
        self.scope: TeamScope | CoachScope | None = None
        self.coach: CoachScope | None = None
        self.tabs: widgets.Tab | None = None
        try:
            self.store = store or Store()
            self.gate = Gate(self.store)
            self._route(request_params() if params is None else params)
        except CollabError as exc:
            self.status.error(str(exc))
        except Exception:
            log.exception("building the start page failed")
            self.status.error(UNEXPECTED)
        self.widget.add_class("collab-ready")
        self.ready = True

    # --- routing ---

    def _route(self, params: dict[str, str]) -> None:
        code = params.get("coach") or params.get("team")
        if not code:
            self.show_join()
            return
        try:
            scope = self.gate.open(code, params.get("member") if "team" in params else None)
        except CollabError as exc:
            self.show_join(str(exc))
            return
        self.open_scope(scope)

    def show_join(self, message: str = "") -> None:
        self._set_title("Start here")
        replace_children(self.body, [JoinScreen(self.gate, self.open_scope, message)])

    def open_scope(self, scope: TeamScope | CoachScope) -> None:
        self.status.clear()
        if isinstance(scope, CoachScope):
            self.coach = scope
            self._set_title(f"Start here — coach {scope.name}")
            replace_children(self.body, [CoachPanel(scope, self.status, self.open_team)])
        elif scope.member_id is None and not scope.actor.is_coach:
            self._set_title(f"Start here — {scope.team_name}")
            replace_children(self.body, [PickNameScreen(scope, self._picked)])
        else:
            self.open_team(scope)

    def _picked(self, scope: TeamScope) -> None:
        self.open_team(scope)
        self.status.info(
            "Welcome! Bookmark your personal link (under Links) so the workbook knows you "
            "next time, on any device."
        )

    def open_team(self, scope: TeamScope) -> None:
        self.scope = scope
        self.status.clear()
        who = "coach" if scope.actor.is_coach else _member_name(scope)
        self._set_title(f"{scope.team_name}", f"You are: {who}")
        panels = [
            RosterPanel(scope, self.status, self.indicator),
            NormsPanel(scope, self.status, self.indicator),
            MeetingPanel(scope, self.status, self.indicator),
            HistoryPanel(scope, self.status),
        ]
        self.tabs = widgets.Tab(children=panels, titles=TABS)
        self.tabs.observe(guarded(self.status)(self._tab_opened), "selected_index")
        children: list[widgets.Widget] = [self.tabs]
        if self.coach is not None:
            back = button("← Your teams", "Back to the coach page", name="back")
            back.on_click(guarded(self.status)(lambda _b: self.open_scope(self.coach)))
            children.insert(0, back)
        replace_children(self.body, children)

    def _tab_opened(self, change) -> None:
        # Refresh on opening a tab so teammates' changes show without reloading.
        panel = self.tabs.children[change["new"]]
        panel.refresh()

    def _set_title(self, title: str, subtitle: str = "") -> None:
        sub = f"<p class='collab-who'>{html.escape(subtitle)}</p>" if subtitle else ""
        self.title.value = f"<h2>{html.escape(title)}</h2>{sub}"


def _member_name(scope: TeamScope) -> str:
    from ..store import members

    names = {m.id: m.name for m in members.roster(scope)}
    return names.get(scope.member_id, "member")
