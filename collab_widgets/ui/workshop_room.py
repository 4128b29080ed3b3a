"""A workshop participant's page: join with the code and a name (or none), then only the
current prompt and a way to answer; the results when the trainer reveals them.

Kept light on purpose: this module and what it imports load neither pandas nor
matplotlib, so each participant's kernel is small and quick to start (a test checks it).
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from ..access import Gate
from ..errors import CollabError
from ..live import LiveLoop
from ..store import Store, workshops
from ..store.workshops import Participant, RoomView
from ..workshop import MAX_WORD, Aggregate, WorkshopPrompt
from .autosave import autosave
from .board import bars_html
from .debounce import Debouncer
from .feedback import SavedIndicator, StatusLine, guarded
from .layout import button, heading, note, replace_children


def aggregate_html(result: Aggregate) -> str:
    """The room's aggregate as the presenter and participants see it (all text escaped)."""
    parts = [f"<p class='collab-ws-sentence'>{html.escape(result.sentence())}</p>"]
    if result.rows:
        rows = [(html.escape(label), count) for label, count in result.rows]
        total = max(result.answered, 1) if result.kind != "word" else max(c for _l, c in rows)
        parts.append(bars_html(rows, total))
    if result.texts:
        cards = "".join(f"<li>{html.escape(text)}</li>" for text in result.texts)
        parts.append(f"<ul class='collab-ws-texts'>{cards}</ul>")
    return "<div class='collab-ws-results'>" + "".join(parts) + "</div>"


class AnswerBox(widgets.VBox):
    """The way to answer one prompt: typed text saved as typed, or one pick."""

    def __init__(
        self,
        prompt: WorkshopPrompt,
        own: str,
        save: Callable[[str], None],
        indicator: SavedIndicator,
    ):
        self.prompt = prompt
        self.saver: Debouncer | None = None
        if prompt.kind in ("text", "word"):
            kind = widgets.Textarea if prompt.kind == "text" else widgets.Text
            self.input = kind(
                value=own,
                placeholder="Your answer (saved as you type)",
                continuous_update=True,
                layout=widgets.Layout(width="100%"),
            )
            if prompt.kind == "word":
                self.input.placeholder = f"A word or short phrase (up to {MAX_WORD} characters)"
            self.saver = autosave(self.input, save, indicator)
        else:
            offered = [stored for _label, stored in prompt.choices()]
            self.input = widgets.ToggleButtons(
                options=prompt.choices(),
                value=own if own in offered else None,
                style={"button_width": "auto"},
            )

            def picked(change) -> None:
                if change["new"] is None:
                    return
                indicator.saving()
                try:
                    save(change["new"])
                except CollabError as exc:
                    indicator.failed(str(exc))
                else:
                    indicator.saved()

            self.input.observe(picked, "value")
        self.input.add_class("collab-ws-answer")
        super().__init__([self.input])

    def flush(self) -> None:
        if self.saver is not None:
            self.saver.flush()


class WorkshopRoom(widgets.VBox):
    """Join, then follow the trainer's prompts; polls only the workshop's change counter."""

    def __init__(self, store: Store, status: StatusLine, code: str = ""):
        self.store = store
        self.status = status
        self.gate = Gate(store)
        self.indicator = SavedIndicator()
        self.participant: Participant | None = None
        self.loop: LiveLoop | None = None
        self.answer_box: AnswerBox | None = None
        self.code = widgets.Text(value=code, description="Code", placeholder="e.g. ABC234")
        self.code.add_class("collab-code")
        self.name = widgets.Text(
            description="Your name", placeholder="Leave empty to take part anonymously"
        )
        self.name.add_class("collab-ws-name")
        self.join_button = button("Join", "Join the workshop", "primary", "join")
        self.join_button.on_click(guarded(status)(self._join))
        self.state = widgets.HTML()
        self.prompt_text = widgets.HTML()
        self.answer_area = widgets.VBox()
        self.results = widgets.HTML()
        self.leave_button = button("Leave", "Leave the workshop on this device", name="leave")
        self.leave_button.on_click(guarded(status)(self._leave))
        super().__init__(
            [
                heading("Join the workshop"),
                note(
                    "Type the code on the trainer's screen. Your name is shown to the trainer "
                    "only, never next to your answers on the big screen; leave it empty to "
                    "answer anonymously."
                ),
                self.code,
                self.name,
                self.join_button,
            ]
        )
        self.add_class("collab-ws-room")

    # --- joining and leaving ----------------------------------------------------------

    def _join(self, _button=None) -> None:
        if self.participant is not None:
            return  # a second click while the first joined
        self.participant = self.gate.attempt(
            lambda: workshops.join(self.store, self.code.value, self.name.value)
        )
        self.status.clear()
        who = self.participant.name or "anonymous"
        self.title = widgets.HTML()
        replace_children(
            self,
            [
                self.title,
                widgets.HTML(f"<p class='collab-who'>You are: {html.escape(who)}</p>"),
                self.state,
                self.prompt_text,
                self.answer_area,
                self.indicator,
                self.results,
                self.leave_button,
            ],
        )
        self.loop = LiveLoop(
            lambda: workshops.revision(self.store, self.participant.workshop_id),
            guarded(self.status)(self.redraw),
            on_error=self._stopped,
        )
        self.redraw()
        self.loop.start()

    def _leave(self, _button=None) -> None:
        self.stop()
        if self.participant is not None:
            workshops.leave(self.participant)
        replace_children(
            self, [note("You have left the workshop. Thank you! Close this page when you like.")]
        )

    def stop(self) -> None:
        """Stop polling: the participant left, the workshop ended, or the page closed."""
        if self.answer_box is not None:
            self.answer_box.flush()
        if self.loop is not None:
            self.loop.stop()

    def _stopped(self, message: str) -> None:
        self.status.error(message)

    # --- following the trainer --------------------------------------------------------

    def redraw(self) -> None:
        if self.answer_box is not None:
            self.answer_box.flush()  # what was typed goes to the prompt it was typed for
        if self.loop is not None:
            self.loop.seen = workshops.revision(self.store, self.participant.workshop_id)
        view = workshops.room(self.participant)
        self.title.value = f"<h2>{html.escape(view.title)}</h2>"
        self.state.value = f"<p class='collab-ws-state'>{html.escape(view.state)}</p>"
        self._show_prompt(view)
        self.results.value = (
            "<h4>The room's answers</h4>" + aggregate_html(view.results) if view.results else ""
        )
        if view.ended:
            self.stop()
            self.leave_button.layout.display = "none"

    def _show_prompt(self, view: RoomView) -> None:
        prompt = view.prompt
        shown = self.answer_box.prompt if self.answer_box is not None else None
        if prompt is not None and shown is not None and _same_answers(prompt, shown):
            # the same prompt (its wording may have been edited): keep what is being typed
            self.prompt_text.value = prompt_html(prompt)
            self.answer_box.prompt = prompt
            return
        if prompt is None:
            self.prompt_text.value = ""
            self.answer_box = None
            replace_children(self.answer_area, [])
            return
        self.prompt_text.value = prompt_html(prompt)
        self.indicator.value = ""
        self.answer_box = AnswerBox(prompt, view.own_answer, self._saver(prompt), self.indicator)
        replace_children(self.answer_area, [self.answer_box])

    def _saver(self, prompt: WorkshopPrompt) -> Callable[[str], None]:
        def save(value: str) -> None:
            workshops.answer(self.participant, prompt.id, value)

        return save


def _same_answers(prompt: WorkshopPrompt, other: WorkshopPrompt) -> bool:
    return (prompt.id, prompt.kind, prompt.options) == (other.id, other.kind, other.options)


def prompt_html(prompt: WorkshopPrompt) -> str:
    return (
        f"<p class='collab-ws-kind'>{html.escape(prompt.kind_name)}</p>"
        f"<div class='collab-ws-prompt'>{html.escape(prompt.text)}</div>"
    )
