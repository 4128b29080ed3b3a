"""The trainer's workshop page: set up prompts, show the join code, run the room.

Two tabs over one chosen workshop. *Prompts*: its title and prompts, each saved as typed;
add a prompt of any kind, a library protocol's steps, or a practice team with synthetic
scores. *Present*: the code and link to join, the current prompt, how many answered, the
live aggregate; back and next, reveal or hide results on participants' pages, end, and
an export of every answer. The page polls the workshop's change counter (as participants'
pages do) only while it is open on the Present tab.

What the page shows is held in one :class:`~collab_widgets.workshops.state.PresenterState`;
the widgets are bound to it, and the trainer's choices reach the page as its changes.
"""

from __future__ import annotations

import html
import operator

import ipywidgets as widgets
import traitlets

from collab_widgets.core.db import CoachScope
from collab_widgets.core.model import plural
from collab_widgets.core.ui.autosave import autosave
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
    form_button,
    heading,
    note,
    note_html,
    refill,
    replace_children,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.live.render import bars_html
from collab_widgets.live.rules import LiveLoop
from collab_widgets.protocols.model import Protocol
from collab_widgets.team import links
from collab_widgets.team.store import teams
from collab_widgets.workshops.rules import (
    KINDS,
    Aggregate,
    Workshop,
    WorkshopPrompt,
    answers_csv,
    parse_options,
)
from collab_widgets.workshops.state import PresenterState
from collab_widgets.workshops.store import trainer as workshops

REVEAL = "Show results to the room"


def aggregate_html(result: Aggregate) -> str:
    """The room's aggregate on the big screen (all text escaped). Participants' pages draw
    the same from :func:`collab_widgets.workshops.api.results_payload`."""
    parts = [f"<p class='collab-ws-sentence'>{html.escape(result.sentence())}</p>"]
    if result.rows:
        rows = [(html.escape(label), count) for label, count in result.rows]
        parts.append(bars_html(rows, result.bar_scale))
    if result.texts:
        cards = "".join(f"<li>{html.escape(text)}</li>" for text in result.texts)
        parts.append(f"<ul class='collab-ws-texts'>{cards}</ul>")
    return "<div class='collab-ws-results'>" + "".join(parts) + "</div>"


def results_html(result: Aggregate | None) -> str:
    if result is None:
        return note_html("Press Next → to show the first prompt.")
    return aggregate_html(result)


def prompt_html(prompt: WorkshopPrompt | None) -> str:
    if prompt is None:
        return ""
    return (
        f"<p class='collab-ws-kind'>{html.escape(prompt.kind_name)}</p>"
        f"<div class='collab-ws-prompt'>{html.escape(prompt.text)}</div>"
    )


def join_html(workshop: Workshop | None) -> str:
    """The join code and link, and how many joined."""
    if workshop is None:
        return ""
    join = html.escape(links.workshop_link(workshop.code), quote=True)
    return (
        f"<h3>{html.escape(workshop.title)}</h3>"
        f"<div class='collab-ws-code'>Join code <b>{html.escape(workshop.code)}</b></div>"
        f"<p>Open <a href='{join}' target='_blank'>{join}</a> and type the code. "
        f"{workshop.joined} joined.</p>"
    )


def standing_html(workshop: Workshop | None) -> str:
    """Where the workshop stands: not started, a prompt of so many, or ended."""
    if workshop is None:
        return ""
    return f"<p class='collab-ws-state'>{html.escape(workshop.state)}</p>"


def answered_html(answered: tuple[int, int]) -> str:
    """How many of those who joined answered the shown prompt (nothing before the first)."""
    if not answered:
        return ""
    count, joined = answered
    return f"<p><b>{count}</b> of {joined} have answered.</p>"


def reveal_label(workshop: Workshop | None) -> str:
    """The reveal button says what is stored, whatever was just clicked."""
    shown = workshop is not None and workshop.results_shown
    return "Results shown to the room" if shown else REVEAL


class PromptRow(widgets.VBox):
    """One prompt in the editor: its text (and options) saved as typed; remove."""

    def __init__(self, page: WorkshopPresenter, prompt: WorkshopPrompt):
        coach = page.coach
        label = text_block(f"<b>{prompt.position + 1}. {html.escape(prompt.kind_name)}</b>")
        text = widgets.Textarea(
            value=prompt.text,
            placeholder="The question the room answers",
            continuous_update=True,
            layout=widgets.Layout(width="100%"),
        )
        text.add_class("collab-ws-prompt-text")
        self.savers = [
            autosave(
                text, lambda v: workshops.edit_prompt(coach, prompt.id, text=v), page.indicator
            )
        ]
        rows: list[widgets.Widget] = [label, text]
        if prompt.kind == "choice":
            options = widgets.Textarea(
                value="\n".join(prompt.options),
                placeholder="One option per line (2 to 8)",
                continuous_update=True,
            )
            options.add_class("collab-ws-options")
            self.savers.append(
                autosave(
                    options,
                    lambda v: workshops.edit_prompt(coach, prompt.id, options=parse_options(v)),
                    page.indicator,
                )
            )
            rows.append(options)
        remove = Confirm(
            "Remove",
            "Take this prompt out of the workshop",
            "Take this prompt out of the workshop, with any answers to it?",
            "Yes, remove it",
            lambda: page.remove_prompt(prompt.id),
            page.status,
            name="remove-prompt",
        )
        rows.append(remove)
        super().__init__(rows)
        self.add_class("collab-ws-prompt-row")


class WorkshopPresenter(widgets.VBox):
    """The trainer's page, a view of one :class:`PresenterState` (:attr:`state`): the
    stored workshop is loaded into the state and the widgets follow it; the trainer's
    choices arrive as changes of the state and act."""

    def __init__(self, coach: CoachScope, status: StatusLine, protocols: list[Protocol]):
        self.coach = coach
        self.status = status
        self.indicator = SavedIndicator()
        self.protocols = {p.key: p for p in protocols}
        self.state = PresenterState()
        self.rows: list[PromptRow] = []
        guard = guarded(status)
        self.choice = widgets.Dropdown(description="Workshop", options=[])
        self.choice.add_class("collab-ws-choice")
        creator = self._creator(guard)
        self.editor = self._editor(guard)
        self.stage = self._stage(guard)
        self.tabs = widgets.Tab(children=[self.editor, self.stage], titles=("Prompts", "Present"))
        self.workspace = stacked()
        self.loop = LiveLoop(
            lambda: workshops.revision(coach.store, self.workshop.id),
            guard(self.refresh_stage),
            on_error=status.error,
        )
        self._bind(guard)
        super().__init__(
            [
                heading("Workshops"),
                note(
                    "Participants open the workshop page, type the join code and answer "
                    "each prompt you show. The big screen shows counts, spreads and words, "
                    "never who answered what; names are only in your export."
                ),
                creator,
                self.choice,
                self.indicator,
                self.workspace,
            ]
        )
        self.add_class("collab-ws-presenter")
        self.refresh()

    @property
    def workshop(self) -> Workshop | None:
        """The chosen workshop, as last read."""
        return self.state.workshop

    # --- building the page ------------------------------------------------------------

    def _creator(self, guard) -> widgets.HBox:
        """A new workshop's title, the team it is about, and the button that sets it up."""
        self.new_title = widgets.Text(description="Title", placeholder="e.g. PLC kickoff")
        self.new_title.add_class("collab-ws-new-title")
        self.new_team = widgets.Dropdown(description="About team", options=[])
        create = form_button(
            "New workshop", "Set up a workshop with its join code", [self.new_title], "primary"
        )
        create.add_class("collab-ws-create")
        create.on_click(guard(self._create))
        return side_by_side([self.new_title, self.new_team, create])

    def _editor(self, guard) -> widgets.VBox:
        """The Prompts tab: the title and prompts, and what adds prompts or a practice team."""
        self.title = widgets.Text(description="Title", continuous_update=True)
        self.title.add_class("collab-ws-title")
        self.title_saver = autosave(
            self.title, lambda v: workshops.rename(self.coach, self.workshop.id, v), self.indicator
        )
        self.prompt_list = stacked()
        self.kind = widgets.Dropdown(
            description="Kind", options=[(name, key) for key, name in KINDS.items()]
        )
        add = button("Add prompt", "Add a prompt of this kind at the end", name="add-prompt")
        add.on_click(guard(self._add_prompt))
        self.protocol = widgets.Dropdown(description="Protocol")
        # none chosen until the coach picks one, and the list says so (not a blank box)
        refill(
            self.protocol,
            [("(choose)", None), *((p.title, p.key) for p in self.protocols.values())],
        )
        add_protocol = button(
            "Add its steps", "Run this protocol with the whole room, a prompt per step"
        )
        add_protocol.on_click(guard(self._add_protocol))
        practice = button(
            "Practice team with sample scores",
            "A team with synthetic assessment data the room can practise an evidence protocol on",
            name="practice-team",
        )
        practice.on_click(guard(self._practice_team))
        self.practice_link = text_block()
        return stacked(
            [
                self.title,
                self.prompt_list,
                side_by_side([self.kind, add]),
                side_by_side([self.protocol, add_protocol]),
                note(
                    "To practise looking at student work, make a practice team: invented "
                    "students' scores the room opens in the Evidence workbook."
                ),
                practice,
                self.practice_link,
            ]
        )

    def _stage(self, guard) -> widgets.VBox:
        """The Present tab: what the room is shown, and the buttons that run it."""
        self.join_info = text_block()
        self.join_info.add_class("collab-ws-join")
        self.standing = text_block()
        self.current = text_block()
        self.answered = text_block()
        self.answered.add_class("collab-ws-answered")
        self.results = text_block()
        self.results.add_class("collab-ws-live")
        self.back = button("← Previous", "Show the prompt before", name="ws-back")
        self.back.on_click(guard(lambda _b: self._move(-1)))
        self.next = button("Next →", "Show the next prompt", "primary", name="ws-next")
        self.next.on_click(guard(lambda _b: self._move(1)))
        self.reveal = widgets.ToggleButton(description=REVEAL, tooltip="On participants' pages too")
        self.reveal.add_class("collab-ws-reveal")
        self.end_button = Confirm(
            "End workshop",
            "Close answers for everyone",
            "End the workshop? Answers close for everyone in the room, for good.",
            "Yes, end it",
            self._end,
            self.status,
            style="danger",
            name="ws-end",
        )
        self.end_button.add_class("collab-ws-end")
        export = button("Export answers", "Every answer, as a spreadsheet-safe CSV", name="export")
        export.on_click(guard(self._export))
        self.export_link = text_block()
        return stacked(
            [
                self.join_info,
                self.standing,
                self.current,
                self.answered,
                self.results,
                side_by_side([self.back, self.next, self.reveal]),
                side_by_side([export, self.end_button]),
                self.export_link,
            ]
        )

    def _bind(self, guard) -> None:
        """The widgets follow :attr:`state`; the trainer's choices change it and act."""
        state = self.state
        # refilled, not linked: a dropdown that had no options would show a blank choice
        state.observe(lambda change: refill(self.choice, change.new, keep=state.chosen), "choices")
        state.bind(self.choice, "chosen")
        state.bind(self.reveal, "results_shown")
        traitlets.link((self.tabs, "selected_index"), (state, "tab"))
        for allowed, control in (
            ("can_go_back", self.back),
            ("can_go_next", self.next),
            ("can_reveal", self.reveal),
            ("can_end", self.end_button.button),
        ):
            traitlets.dlink((state, allowed), (control, "disabled"), operator.not_)
        for name, shown, draw in (
            ("workshop", self.join_info, join_html),
            ("workshop", self.standing, standing_html),
            ("prompt", self.current, prompt_html),
            ("answered", self.answered, answered_html),
            ("result", self.results, results_html),
        ):
            traitlets.dlink((state, name), (shown, "value"), draw)
        traitlets.dlink((state, "workshop"), (self.reveal, "description"), reveal_label)
        state.on_edit(guard(lambda _c: self.show_chosen()), "chosen")
        state.on_edit(guard(self._reveal), "results_shown")
        state.observe(guard(lambda _c: self._follow()), "tab")

    # --- choosing and creating --------------------------------------------------------

    def refresh(self, keep: int | None = None) -> None:
        refill(
            self.new_team,
            [("No team", "")] + [(t.name, t.code) for t in teams.coach_teams(self.coach)],
            keep="",
        )
        choices = [
            (f"{w.title} — {'ended' if w.ended else 'code ' + w.code} ({w.joined} joined)", w.id)
            for w in workshops.workshops(self.coach)
        ]
        self.state.offer(choices, keep=self.state.chosen if keep is None else keep)
        self.show_chosen()

    def _create(self, _button=None) -> None:
        workshop_id = workshops.create(
            self.coach, self.new_title.value, self.new_team.value or None
        )
        self.new_title.value = ""
        self.status.ok("Workshop set up. Add its prompts, then present it.")
        self.refresh(keep=workshop_id)

    def show_chosen(self) -> None:
        self.loop.stop()
        if self.state.chosen is None:
            self.state.show(None)
            replace_children(self.workspace, [note("No workshop yet: give one a title above.")])
            return
        self._read(self.state.chosen)
        replace_children(self.workspace, [self.tabs])
        self.draw_editor()
        self._follow()

    # --- the prompts ------------------------------------------------------------------

    def draw_editor(self) -> None:
        self.title_saver.flush()
        with self.title.hold_trait_notifications():
            self.title.unobserve_all("value")
            self.title.value = self.workshop.title
        self.title_saver = autosave(
            self.title,
            lambda v, w=self.workshop.id: workshops.rename(self.coach, w, v),
            self.indicator,
        )
        for row in self.rows:
            for saver in row.savers:
                saver.flush()
        self.rows = [PromptRow(self, prompt) for prompt in self.workshop.prompts]
        replace_children(self.prompt_list, self.rows or [note("No prompts yet: add one.")])

    def _reload(self) -> None:
        self.refresh_stage()
        self.draw_editor()

    def _add_prompt(self, _button=None) -> None:
        workshops.add_prompt(self.coach, self.workshop.id, self.kind.value)
        self._reload()

    def remove_prompt(self, prompt_id: int) -> None:
        workshops.remove_prompt(self.coach, prompt_id)
        self._reload()

    def _add_protocol(self, _button=None) -> None:
        protocol = self.protocols.get(self.protocol.value)
        if protocol is None:
            self.status.error("Choose a protocol from the list first.")
            return
        added = workshops.add_protocol(self.coach, self.workshop.id, protocol)
        self.status.ok(f"Added {added} prompts: the steps of {protocol.title}.")
        self._reload()

    def _practice_team(self, _button=None) -> None:
        from collab_widgets.demo.sample import (
            practice_team,
        )  # pandas, only when a practice team is made

        scope = practice_team(self.coach, self.workshop.title)
        code = teams.team_code(scope)
        workshops.attach_team(self.coach, self.workshop.id, code)
        link = html.escape(links.team_link(code, "02_evidence_analysis.ipynb"), quote=True)
        self.practice_link.value = (
            f"<p>Practice team “{html.escape(scope.team_name)}” made. Share this link for "
            f"the room's evidence protocol: <a href='{link}' target='_blank'>{link}</a></p>"
        )
        self.refresh(keep=self.workshop.id)

    # --- presenting -------------------------------------------------------------------

    def _follow(self) -> None:
        """Poll while the Present tab is open and the workshop runs."""
        if self.state.polling:
            self.loop.start()
        else:
            self.loop.stop()

    def _read(self, workshop_id: int) -> None:
        """The workshop and its shown prompt's answers, into the state. The counter is read
        first, so a change made while the page reads is still noticed."""
        self.loop.seen = workshops.revision(self.coach.store, workshop_id)
        self.state.show(*workshops.results(self.coach, workshop_id))

    def refresh_stage(self) -> None:
        self._read(self.workshop.id)

    def _move(self, by: int) -> None:
        position = max(0, self.workshop.position + by)
        workshops.show(self.coach, self.workshop.id, position)
        self.refresh_stage()

    def _reveal(self, change) -> None:
        workshops.show_results(self.coach, self.workshop.id, bool(change["new"]))
        self.refresh_stage()

    def _end(self, _button=None) -> None:
        workshops.end(self.coach, self.workshop.id)
        self.loop.stop()
        self.status.ok("The workshop has ended; participants' pages say so.")
        self.refresh(keep=self.workshop.id)

    def _export(self, _button=None) -> None:
        workshop, rows = workshops.answers(self.coach, self.workshop.id)
        data = answers_csv(workshop, rows).encode("utf-8-sig")
        self.export_link.value = download_link(
            f"Download {plural(len(rows), 'answer')} (CSV)",
            f"workshop-{workshop.code}-answers.csv",
            "text/csv",
            data,
            "collab-ws-download",
        )

    def close_live(self) -> None:
        self.loop.stop()
