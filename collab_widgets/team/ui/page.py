"""A workbook page: getting in (a link or a code), the coach's way to a team, the title
and the bar of links between workbooks. Each workbook's app subclasses it (through
:class:`collab_widgets.reports.app.WorkbookApp`, which gives the coach page its
dashboard) and builds only what it shows once a team is open
(:meth:`WorkbookPage.team_view`)."""

from __future__ import annotations

import asyncio
import gc
import html
import logging
import os

import ipywidgets as widgets

from collab_widgets.core.db import CoachScope, HubVisitor, Store, TeamScope
from collab_widgets.core.errors import AccessDenied, CollabError
from collab_widgets.core.serving.hub_sign_in import CHECK_SECONDS, CHECK_VARIABLE, SESSION_PARAMETER
from collab_widgets.core.ui.batch import built_in_one_go
from collab_widgets.core.ui.browser_parts import DeviceMemory
from collab_widgets.core.ui.closing import close_tree
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, build_page, guarded
from collab_widgets.core.ui.layout import button, replace_children, stacked, text_block
from collab_widgets.core.ui.looks import close_looks
from collab_widgets.core.ui.notebook_style import stylesheet_if_needed
from collab_widgets.team import links
from collab_widgets.team.access import Gate
from collab_widgets.team.session import request_params
from collab_widgets.team.store import members, teams
from collab_widgets.team.ui.coach import CoachPanel
from collab_widgets.team.ui.join import DeviceCard, JoinScreen, PickNameScreen

log = logging.getLogger("collab_widgets")


class WorkbookPage:
    """``widget`` is what the notebook shows; ``ready`` once it is built."""

    NAME = "Workbook"  # the page's name in titles
    NOTEBOOK = ""  # its file under workbooks/, for the links between pages

    def __init__(self, store: Store | None = None, params: dict[str, str] | None = None):
        self.ready = False
        self.status = StatusLine()
        self.indicator = SavedIndicator()
        self.title = text_block(f"<h1>{html.escape(self.NAME)}</h1>")
        self.title.add_class("collab-title")
        self.nav = text_block()
        self.nav.add_class("collab-nav")
        self.body = stacked()
        self.device = DeviceMemory()
        self.device.add_class("collab-device-memory")
        self.device.observe(guarded(self.status)(self._device_remembers), "token")
        # the header: who and where (the title), the save state, the workbooks as tabs
        header = stacked([self.title, self.indicator, self.nav])
        header.add_class("collab-header")
        self.widget = stacked(
            [*stylesheet_if_needed(), self.device, header, self.status, self.body]
        )
        self.widget.add_class("collab-app")
        self.scope: TeamScope | None = None
        self.visitor: TeamScope | None = None  # the team link, before a name is known
        self.coach: CoachScope | None = None
        self.hub: HubVisitor | None = None  # signed in through the district's hub
        self._sign_in_watch: asyncio.Task | None = None
        self.tabs: widgets.Tab | None = None

        def build() -> None:
            self.store = store or Store()
            self.gate = Gate(self.store)
            if params is None:  # a page's kernel, waiting for its visitor (Voilà preheats it)
                self.preheat()
                if os.environ.get("VOILA_PREHEAT") == "True":  # no visitor waits yet
                    # What is loaded by now (libraries, fonts, the page's frame) lives as
                    # long as the kernel: collect once and freeze it, so the collector does
                    # not walk it again while the visitor waits (150 ms of Evidence's view).
                    gc.collect()
                    gc.freeze()
            self._route(request_params() if params is None else params)

        build_page(self.status, self.NAME, build)
        self.widget.add_class("collab-ready")
        self.ready = True

    # --- what a workbook builds -------------------------------------------------------

    def preheat(self) -> None:
        """Load what the first view needs and is slow to load the first time, before the
        visitor's request arrives, so that it is not part of the time they wait."""

    def team_view(self, scope: TeamScope) -> list[widgets.Widget]:
        """The page's content for an open team."""
        raise NotImplementedError

    def coach_dashboard(self, coach: CoachScope) -> widgets.Widget:
        """The coach page's dashboard, a reports screen: given by the apps' base,
        :class:`collab_widgets.reports.app.WorkbookApp`."""
        raise NotImplementedError

    def leave_team(self) -> None:
        """The team's view is going away (back to the coach page, or the page closes)."""

    def close(self) -> None:
        """The page goes away: its team view stops, and every widget it built is closed."""
        self.leave_team()
        if self._sign_in_watch is not None:
            self._sign_in_watch.cancel()
        close_tree(self.widget, kept_aside=True)
        close_looks()

    def tabbed(self, titles: tuple[str, ...], panels: list[widgets.Widget]) -> widgets.Tab:
        """Tabs whose panels refresh when opened, so teammates' changes show there."""
        self.tabs = widgets.Tab(children=panels, titles=titles)
        self.tabs.observe(guarded(self.status)(self._tab_opened), "selected_index")
        return self.tabs

    def _tab_opened(self, change) -> None:
        self.tabs.children[change["new"]].refresh()
        self._show_who()

    def _show_in_body(self, children: list[widgets.Widget]) -> None:
        """The body shows ``children``. The view they replace is closed with what its
        screens kept aside; the page's own widgets, which those screens were given (its
        status line), stay open."""
        replace_children(self.body, children, page=self.widget)

    # --- getting in -------------------------------------------------------------------

    def _route(self, params: dict[str, str]) -> None:
        if params.get(SESSION_PARAMETER):
            self._route_signed_in(params)
            return
        code = params.get("coach") or params.get("team")
        if not code:
            self.show_join()
            return
        try:
            if "coach" in params:
                coach = self.gate.open(params["coach"])
                if isinstance(coach, CoachScope) and params.get("team"):
                    self.coach = coach
                    self.open_team(coach.open_team(params["team"]))
                    return
                scope = coach
            else:
                scope = self.gate.open(code, params.get("member"))
        except CollabError as exc:
            self.show_join(str(exc))
            return
        self.open_scope(scope)

    # --- signed in through the district's hub --------------------------------------------

    def _route_signed_in(self, params: dict[str, str]) -> None:
        """The hub signed the visitor in: open what their hub user is linked to, linking
        a personal or coach link they bring along the first time."""
        try:
            visitor = self.store.open_hub(params[SESSION_PARAMETER])
            note = self._claim_links_brought(visitor, params)
            self.hub = visitor
            wanted = _team_id(params.get("hub_team", ""))
            if visitor.is_coach():
                coach = visitor.open_coach()
                if wanted is None:
                    self.open_scope(coach)
                else:
                    self.coach = coach
                    self.open_team(coach.open_team_by_id(wanted))
            else:
                on = visitor.teams()
                if wanted is None and len(on) == 1:
                    wanted = on[0].team_id
                if wanted is None:
                    self._show_signed_in_teams(visitor.hub_user, on)
                else:
                    self.open_team(visitor.open_member(wanted))
        except CollabError as exc:
            self._show_message(str(exc))
            return
        if note:
            self.status.info(note)
        self._watch_sign_in()

    def _claim_links_brought(self, visitor: HubVisitor, params: dict[str, str]) -> str:
        """A personal or coach link opened while signed in links the account to it. One
        that cannot (an old bookmark after linking) is only mentioned when the account is
        linked already; otherwise its refusal is the page."""
        try:
            if params.get("member"):
                visitor.claim_personal_link(params["member"])
            if params.get("coach"):
                visitor.claim_coach_link(params["coach"])
        except AccessDenied as exc:
            if not (visitor.is_coach() or visitor.teams()):
                raise
            return f"{exc} You are signed in, so your page opened anyway."
        return ""

    def _show_signed_in_teams(self, hub_user: str, on: list) -> None:
        """A teacher on several teams picks one; one on none is told how to get in."""
        self._set_title(self.NAME, f"Signed in as {hub_user}")
        if not on:
            self._show_message(NOT_LINKED_UNDER_THE_HUB if self.store.require_hub else NOT_LINKED)
            return
        items = []
        for team in on:
            href = links.workbook_link(self.NOTEBOOK, hub_team=str(team.team_id))
            items.append(
                f'<li><a href="{html.escape(href, quote=True)}">{html.escape(team.team_name)}'
                f"</a> (as {html.escape(team.member_name)})</li>"
            )
        self._show_in_body(
            [
                text_block(
                    f"<h2>Which team?</h2><p>You are on these teams:</p><ul>{''.join(items)}</ul>"
                )
            ]
        )

    def _show_message(self, message: str) -> None:
        self.leave_team()
        self.scope = None
        self.nav.value = ""
        self._show_in_body([text_block(f"<p class='collab-message'>{html.escape(message)}</p>")])

    def _watch_sign_in(self) -> None:
        """Every so often, whether the hub sign-in still stands: a hub user the district
        removed loses their sessions (the server that signed them in asks the hub), and
        their open page ends here even when nobody presses anything."""
        try:
            events = asyncio.get_running_loop()
        except RuntimeError:  # not in a kernel: nothing to watch with
            return
        seconds = float(os.environ.get(CHECK_VARIABLE) or CHECK_SECONDS)

        async def watch() -> None:
            while True:
                await asyncio.sleep(seconds)
                try:
                    self.hub.teams()  # reads the session: refused once it has ended
                except AccessDenied as exc:
                    self._show_message(str(exc))
                    self.status.error(str(exc))
                    return
                except Exception:  # the database busy or away: asked again next time
                    log.warning("Could not check a page's hub sign-in", exc_info=True)

        self._sign_in_watch = events.create_task(watch())

    def show_join(self, message: str = "") -> None:
        self._set_title(self.NAME)
        self._show_in_body([JoinScreen(self.gate, self.open_scope, message)])

    def open_scope(self, scope: TeamScope | CoachScope) -> None:
        with built_in_one_go(self.body):
            self._open_scope(scope)

    def _open_scope(self, scope: TeamScope | CoachScope) -> None:
        self.status.clear()
        if isinstance(scope, CoachScope):
            self.leave_team()
            self.coach, self.scope = scope, None
            self.nav.value = ""
            self._set_title(self.NAME, f"You are: {scope.name}, coach")
            panel = CoachPanel(scope, self.status, self.open_team, self.coach_dashboard(scope))
            self._show_in_body([panel])
        elif scope.member_id is None and not scope.actor.is_coach:
            self.leave_team()
            self.scope, self.visitor = None, scope
            self.nav.value = ""
            self._set_title(f"{self.NAME} — {scope.team_name}")
            self._show_in_body([PickNameScreen(scope, self._name_taken)])
            self.device.team = teams.team_code(scope)  # the browser answers what it remembers
        else:
            self.open_team(scope)

    # --- the team link, remembered on this device ---------------------------------------

    def _name_taken(self, token: str) -> None:
        self._open_from_team_link(self.store.open_team("", token), just_taken=True)
        self.device.token = token

    def _device_remembers(self, change) -> None:
        """The browser says which personal token it remembers for this team link. Only a
        page still asking for a name acts on it, and opens it as a typed personal link
        would be (the browser can send anything: wrong tokens count at the gate)."""
        token = change["new"]
        if not token or self.scope is not None or self.visitor is None:
            return
        team_id = self.visitor.team_id
        try:
            # a token from the browser: tried as a typed link is (wrong ones counted, and
            # a right one clears none of them), and only within this team
            scope = self.gate.attempt(
                lambda: self.store.open_team("", token, within_team=team_id),
                success_clears=False,
            )
        except AccessDenied:
            self.device.token = ""
            self.status.info(
                "This device remembered you, but that link no longer works: it was renewed, "
                "or the team code was changed. Open your personal "
                "link, or ask your coach for it."
            )
            return
        self._open_from_team_link(scope, just_taken=False)

    def _open_from_team_link(self, scope: TeamScope, just_taken: bool) -> None:
        self.open_team(scope)
        link = links.personal_link(teams.team_code(scope), self._own_token())
        card = DeviceCard(link, just_taken, self.forget_device)
        self._show_in_body([card, *self.body.children])

    def forget_device(self) -> None:
        """Back to the team link as a visitor, this device no longer remembering anyone."""
        code = teams.team_code(self.scope)  # the current one: this page may have changed it
        self.device.token = ""
        self.open_scope(self.store.open_team(code))
        self.status.ok("This device no longer opens the team as you.")

    def own_link_changed(self) -> None:
        """The member's personal token was renewed from this page (their own renewal, or
        a new team code): the links between pages, and this device if it remembers the
        member, follow."""
        if self.device.token:
            self.device.team = teams.team_code(self.scope)
            self.device.token = self._own_token()
        self._show_nav()

    def open_team(self, scope: TeamScope) -> None:
        # the whole view reaches the browser as built (see ``built_in_one_go``)
        with built_in_one_go(self.body):
            self._open_team(scope)

    def _open_team(self, scope: TeamScope) -> None:
        self.scope = scope
        self.status.clear()
        self._show_who()
        self._show_nav()
        children = self.team_view(scope)
        if self.coach is not None:
            teams.note_coach_view(scope, f"the {self.NAME} workbook")
            back = button("← Your teams", "Back to the coach page", name="back")
            back.on_click(guarded(self.status)(lambda _b: self.open_scope(self.coach)))
            children = [back, *children]
        self._show_in_body(children)

    # --- title and links --------------------------------------------------------------

    def _show_who(self) -> None:
        scope = self.scope
        if scope.actor.is_coach:
            who = f"{self.coach.name}, coach" if self.coach is not None else "coach"
        else:
            who = _member_name(scope)
        self._set_title(f"{scope.team_name} — {self.NAME}", f"You are: {who}")

    def link(self, notebook: str) -> str:
        """A workbook's address opening the same team as the same person."""
        scope = self.scope
        if self.hub is not None:  # the hub signs them in again there: no code in the link
            return links.workbook_link(notebook, hub_team=str(scope.team_id))
        if scope.actor.is_coach and self.coach is not None:
            params = {"coach": self.coach.code, "team": teams.team_code(scope)}
        else:
            params = {"team": teams.team_code(scope), "member": self._own_token()}
        return links.workbook_link(notebook, **params)

    def _own_token(self) -> str:
        scope = self.scope
        return next(m.token for m in members.roster(scope) if m.id == scope.member_id)

    def _show_nav(self) -> None:
        """Links to the other workbooks, opening the same team as the same person."""
        items = []
        for notebook, name in links.WORKBOOKS:
            if notebook == self.NOTEBOOK:
                items.append(f'<span aria-current="page">{html.escape(name)}</span>')
            else:
                href = html.escape(self.link(notebook), quote=True)
                items.append(f'<a href="{href}">{html.escape(name)}</a>')
        self.nav.value = f'<nav aria-label="Workbooks">{"".join(items)}</nav>'

    def _set_title(self, title: str, subtitle: str = "") -> None:
        sub = f"<p class='collab-who'>{html.escape(subtitle)}</p>" if subtitle else ""
        self.title.value = f"<h1>{html.escape(title)}</h1>{sub}"


NOT_LINKED = (
    "You are signed in, but this workbook does not know you yet. If your coach gave you "
    "a personal link (or a coach link), open it once now, in this browser: the workbook "
    "will remember you from then on. Otherwise ask your coach to link your account."
)
NOT_LINKED_UNDER_THE_HUB = (
    "You are signed in, but this workbook does not know you yet: ask your coach to link "
    "your district account to your team (links with codes do not do it here)."
)


def _team_id(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def _member_name(scope: TeamScope) -> str:
    names = {m.id: m.name for m in members.roster(scope)}
    return names.get(scope.member_id, "member")
