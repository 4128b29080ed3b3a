"""A running protocol as every member sees it, and the tab that keeps it live.

:class:`RunView` shows the current step: its prompt, the countdown (a warning in the
last minute, overtime rather than a stop), who speaks and who stays silent, the step's
input (a board, a vote, a check or a round), the recorder's notes and the "voices".
The facilitator's buttons appear on the facilitator's page only, and the store refuses
them from anyone else in any case.

:class:`LivePanel` is the Protocol tab. While no protocol runs it checks every few
seconds whether one has started; while one runs it ticks and polls once a second; when
the run it followed ends it stops polling.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    heading,
    note,
    replace_children,
    stacked,
    text_block,
)
from collab_widgets.live import store as live
from collab_widgets.live.render import bars_html
from collab_widgets.live.rules import POLL_SECONDS, WAITING_POLL_SECONDS, LiveLoop, Voices
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import Library
from collab_widgets.protocols.model import LAST_MINUTE, OVERTIME, PAUSED, Run, RunStep
from collab_widgets.protocols.schema import INPUT_NAMES
from collab_widgets.protocols.ui.run_setup import RunSetup
from collab_widgets.team.store import members

PHASE_CLASS = {LAST_MINUTE: "collab-last-minute", OVERTIME: "collab-overtime"}

# Makes a step's live board: live's BoardView, given by the page's app (a domain's
# screens never import another domain's). Called as BoardView is: (scope, status,
# prompt_id, *, moderates, mine, indicator, on_change); the board has ``refresh()``.
MakeBoard = Callable[..., widgets.Widget]


def _extend(minutes: int) -> runs.Transition:
    return lambda state, now: runner.extend(state, minutes, now)


class RunView(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        run: Run,
        mine: set[int],
        on_ended: Callable[[], None],
        make_board: MakeBoard,
    ):
        self.scope = scope
        self.status = status
        self.indicator = indicator
        self.mine = mine
        self.make_board = make_board
        self.on_ended = on_ended
        self.position: int | None = None  # the step whose input is drawn
        self.round_moderated = False  # whether the round's input has "Next speaker"
        self.header = text_block()
        self.clock = text_block()
        self.clock.add_class("collab-countdown")
        self.who = text_block()
        self.prompt = text_block()
        self.controls = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        self.controls.add_class("collab-run-controls")
        self.control_buttons: dict[str, widgets.Button] = {}
        self.input = stacked()
        self.input.add_class("collab-step-input")
        self.notes = stacked()
        self.notes_box: widgets.Textarea | None = None
        self.notes_text: SharedText | None = None
        self.steps = text_block()
        self.voices = text_block()
        self.voices.add_class("collab-voices")
        super().__init__(
            [
                self.header,
                self.clock,
                self.who,
                self.prompt,
                self.controls,
                self.input,
                heading("Notes of this step", 4),
                self.notes,
                heading("Voices", 4),
                self.voices,
                heading("Steps", 4),
                self.steps,
            ]
        )
        self.add_class("collab-run")
        self.show(run)

    # --- drawing ----------------------------------------------------------------------

    def reload(self) -> None:
        """Redraw from the store at once (after this page's own action)."""
        run = runs.get_run(self.scope, self.run.id)
        if run.state.live:
            self.show(run)
        else:
            self.on_ended()

    def show(self, run: Run) -> None:
        self.run = run
        step = run.current
        self.moderates = runs.may_moderate(self.scope, run)
        if self.position != step.position:
            self.position = step.position
            self._build_input(step)
            self._build_notes(step)
        else:
            if self.board is not None:
                self.board.moderates = self.moderates  # a facilitator named meanwhile
                self.board.refresh()
            elif step.kind == "round" and self.round_moderated != self.moderates:
                self._build_input(step)  # a member took over moderating: "Next speaker"
            elif step.kind == "round":
                self._draw_round(step)
            self._refresh_notes(step)
        number = f"Step {step.position + 1} of {len(run.steps)}"
        self.header.value = (
            f"<h3>{html.escape(run.title)}</h3><p class='collab-step-title'>{number}: "
            f"<b>{html.escape(step.title)}</b> · {step.minutes} min · "
            f"{html.escape(INPUT_NAMES[step.kind])}</p>"
        )
        self.prompt.value = f"<div class='collab-prompt'>{html.escape(step.text)}</div>"
        self._show_who(step)
        self._show_controls()
        self._show_steps()
        self._show_voices()
        self.tick()

    def tick(self) -> None:
        """The countdown, redrawn every second from the run's state and the clock."""
        state = self.run.state
        now = self.scope.store.now()
        phase, left = state.phase(now), state.remaining(now)
        shown = runner.clock_text(left)
        if phase == OVERTIME:
            text = f"{shown} over time"
        elif phase == LAST_MINUTE:
            text = f"{shown} left — last minute"
        else:
            text = f"{shown} left"
        if state.status == PAUSED:
            text = f"Paused · {text}"
        css = PHASE_CLASS.get(phase, "collab-on-time")
        value = f"<div class='{css}' role='timer'>{text}</div>"
        if self.clock.value != value:
            self.clock.value = value

    def _show_who(self, step: RunStep) -> None:
        speaking, silent = runner.voices(step.speakers, step.silent, self.run.role_names)
        lines = []
        if speaking:
            lines.append(f"<b>Speaks:</b> {html.escape(speaking)}")
        if silent:
            lines.append(f"<b>Silent:</b> {html.escape(silent)}")
        banner = ""
        if "everyone" in step.silent:
            banner = "Everyone works in silence during this step."
        elif "presenter" in step.silent and "presenter" in self.run.role_names:
            name = self.run.role_names["presenter"]
            banner = f"{name} (presenter) listens in silence during this step."
        quiet = f"<div class='collab-silent' role='note'>🤫 {html.escape(banner)}</div>"
        self.who.value = " · ".join(lines) + (quiet if banner else "")

    def _show_controls(self) -> None:
        """The facilitator's buttons, made once and then only relabelled, so a quick
        second click never lands on a button a redraw has just replaced."""
        if not self.moderates:
            leader = self.run.role_names.get("facilitator", "The facilitator")
            if not self.controls.children:
                replace_children(
                    self.controls, [note(f"{leader} leads the steps; this page follows.")]
                )
            return
        if not self.control_buttons:
            moves = {
                "pause": ("Pause", "Stop or restart the clock", self._pause_or_resume),
                "extend": ("+1 min", "Give this step one more minute", _extend(1)),
                "extend5": ("+5 min", "Give this step five more minutes", _extend(5)),
                "back": ("◀ Back", "Go back to the previous step", runner.back),
                "next": ("Next step ▶", "Move on (or skip this step)", runner.advance),
            }
            for name, (label, tip, move) in moves.items():
                made = button(label, tip, "primary" if name == "next" else "", f"run-{name}")
                made.on_click(guarded(self.status)(lambda _b, m=move: self._control(m)))
                self.control_buttons[name] = made
            finish = Confirm(
                "End the protocol",
                "Finish now, skipping the remaining steps",
                "End the protocol for everyone now? The steps not reached yet are skipped.",
                "Yes, end it",
                lambda: self._control(runner.finish),
                self.status,
                name="run-finish",
            )
            replace_children(self.controls, [*self.control_buttons.values(), finish])
        state = self.run.state
        self.control_buttons["pause"].description = "Resume" if state.status == PAUSED else "Pause"
        self.control_buttons["next"].description = "Finish ✓" if state.is_last else "Next step ▶"
        self.control_buttons["back"].disabled = state.position == 0

    def _pause_or_resume(self, state, now):
        move = runner.resume if state.status == PAUSED else runner.pause
        return move(state, now)

    def _control(self, move: runs.Transition) -> None:
        run = runs.control(self.scope, self.run.id, move)
        if run.state.live:
            self.show(run)
        else:
            self.status.ok(f"“{run.title}” has finished. Its notes are under Earlier runs.")
            self.on_ended()

    def _show_steps(self) -> None:
        items = []
        for step in self.run.steps:
            mark = "▶ " if step.position == self.run.state.position else ""
            css = " class='collab-step-done'" if step.position < self.run.state.position else ""
            items.append(f"<li{css}>{mark}{html.escape(step.title)} — {step.minutes} min</li>")
        self.steps.value = f"<ol class='collab-steps-list'>{''.join(items)}</ol>"

    def _show_voices(self) -> None:
        counts, anonymous = live.contributions(self.scope, self.run.session_id)
        voices = Voices(tuple(counts), anonymous)
        rows = [(html.escape(c.member), c.count) for c in counts]
        most = max([c.count for c in counts] or [0])
        self.voices.value = f"<p>{html.escape(voices.sentence())}</p>" + bars_html(rows, most)

    # --- the step's input -------------------------------------------------------------

    def _build_input(self, step: RunStep) -> None:
        self.board = None
        if step.kind in ("board", "dot-vote", "fist-to-five", "rating"):
            self.board = self.make_board(
                self.scope,
                self.status,
                step.prompt_id,
                moderates=self.moderates,
                mine=self.mine,
                indicator=self.indicator,
                on_change=self.reload,
            )
            replace_children(self.input, [self.board])
        elif step.kind == "round":
            self.round = text_block()
            self.round.add_class("collab-round")
            children: list[widgets.Widget] = [self.round]
            self.round_moderated = self.moderates
            if self.moderates:
                turn = button("Next speaker", "The next member's turn", "info", "next-speaker")
                turn.on_click(guarded(self.status)(self._next_speaker))
                children.append(turn)
            replace_children(self.input, children)
            self._draw_round(step)
        else:
            replace_children(self.input, [])

    def _speakers(self, step: RunStep) -> list[tuple[int, str]]:
        roster = [(m.id, m.name) for m in members.roster(self.scope)]
        return runner.round_order(step.silent, roster, self.run.roles)

    def _draw_round(self, step: RunStep) -> None:
        order = self._speakers(step)
        turn = self.run.state.turn
        items = []
        for i, (_, name) in enumerate(order):
            css = "collab-turn-now" if i == turn else ("collab-turn-done" if i < turn else "")
            now = " ← speaking now" if i == turn else ""
            items.append(f"<li class='{css}'>{html.escape(name)}{now}</li>")
        done = "<p>Everyone has spoken.</p>" if order and turn >= len(order) else ""
        self.round.value = f"<p><b>In turn:</b></p><ol>{''.join(items)}</ol>{done}"

    def _next_speaker(self, _button=None) -> None:
        count = len(self._speakers(self.run.current))
        self._control(lambda state, _now: runner.next_turn(state, count))

    # --- the recorder's notes ---------------------------------------------------------

    def _build_notes(self, step: RunStep) -> None:
        self.notes_box = self.notes_text = None
        if runs.may_take_notes(self.scope, self.run):
            self.notes_box = widgets.Textarea(
                value=step.notes,
                description="Notes",
                placeholder="What the team said and decided in this step",
                rows=4,
                layout=widgets.Layout(width="90%"),
                tooltip="Saved as you type",
            )
            self.notes_box.add_class("collab-step-notes")
            position, run_id = step.position, self.run.id
            self.notes_text = SharedText(
                self.notes_box,
                lambda typed, base: runs.set_step_notes(self.scope, run_id, position, typed, base),
                self.indicator,
                f"step-notes:{run_id}:{position}",
            )
            replace_children(self.notes, [self.notes_text.view])
        else:
            self.notes_html = text_block()
            replace_children(self.notes, [self.notes_html])
            self._refresh_notes(step)

    def _refresh_notes(self, step: RunStep) -> None:
        if self.notes_box is not None:
            # Someone else (the facilitator) wrote too: take theirs unless typing here.
            self.notes_text.load(step.notes)
            return
        recorder = self.run.role_names.get("recorder", "the facilitator")
        text = html.escape(step.notes) or "<i>Nothing yet.</i>"
        self.notes_html.value = (
            f"<div class='collab-step-notes-shown'>{text}</div>"
            f"<small>Taken by {html.escape(recorder.rstrip('.'))}.</small>"  # "Lin W." ends one
        )


class LivePanel(widgets.VBox):
    """The Protocol tab."""

    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        library: Library,
        make_board: MakeBoard,
        on_refresh: Callable[[Run | None], None] | None = None,
    ):
        """``on_refresh(run)`` hears of each refresh, with the live run or None; a run a
        facilitator starts here is about ``assessment_id`` when that is set."""
        self.scope = scope
        self.make_board = make_board
        self.on_refresh = on_refresh
        self.assessment_id: int | None = None
        self.status = status
        self.indicator = indicator
        self.library = library
        self.mine: set[int] = set()  # this page's anonymous notes
        self.view: RunView | None = None
        self.mode = ""  # "live", "waiting" or "ended"
        self.followed: int | None = None  # the run this page showed
        self.loop = LiveLoop(
            scope.revision,
            guarded(status)(self.refresh),
            on_tick=self._tick,
            on_error=self._stop_with,
            interval=WAITING_POLL_SECONDS,
        )
        super().__init__()
        self.add_class("collab-live")
        self.refresh()

    def refresh(self) -> None:
        seen = self.scope.revision()  # before reading: a change made meanwhile is noticed
        self.loop.seen = seen
        run = runs.live_run(self.scope)
        if run is not None:
            self.followed = run.id
            if self.view is not None and self.view.run.id == run.id:
                self.view.show(run)
            else:
                self.view = RunView(
                    self.scope,
                    self.status,
                    self.indicator,
                    run,
                    self.mine,
                    self._ended_here,
                    self.make_board,
                )
                replace_children(self, [self.view])
            self._poll(POLL_SECONDS)
            self.mode = "live"
        elif self.followed is not None:
            self._ended()
        elif self.mode != "waiting":
            self._show_waiting()
        if self.on_refresh is not None:
            self.on_refresh(run)

    def _show_waiting(self) -> None:
        self.view = None
        self.mode = "waiting"
        replace_children(self, self._start_or_wait())
        self._poll(WAITING_POLL_SECONDS)

    def _start_or_wait(self) -> list[widgets.Widget]:
        if self.scope.allows(Permission.FACILITATE):
            return [self._setup()]
        return [
            heading("No protocol is running"),
            note(
                "When your facilitator starts one, it appears here by itself within a few "
                "seconds: the current step, the countdown and the board."
            ),
        ]

    def about(self, assessment_id: int | None) -> None:
        """A run started from here is about this assessment (a Data-Driven Dialogue)."""
        self.assessment_id = assessment_id
        for child in self.children:
            if isinstance(child, RunSetup):
                child.assessment_id = assessment_id

    def _setup(self) -> RunSetup:
        return RunSetup(self.scope, self.status, self.library, self._started, self.assessment_id)

    def _started(self, _run_id: int) -> None:
        self.refresh()

    def _ended_here(self) -> None:
        """This page's own action ended the run: as a poll would, tell ``on_refresh``."""
        self._ended()
        if self.on_refresh is not None:
            self.on_refresh(None)

    def _ended(self) -> None:
        """The run this page followed has finished: stop polling; offer what is next."""
        self.loop.stop()
        self.view = None
        self.mode = "ended"
        title = runs.get_run(self.scope, self.followed).title if self.followed else "It"
        again = button(
            "Look for a new protocol",
            "Show a protocol as soon as one starts",
            "info",
            "look-again",
        )
        again.on_click(guarded(self.status)(self._look_again))
        children = [
            heading(f"“{title}” has finished"),
            note("Its notes, board and results are under Earlier runs."),
        ]
        if self.scope.allows(Permission.FACILITATE):
            children.append(self._setup())
        else:
            children.append(again)
        replace_children(self, children)

    def _look_again(self, _button=None) -> None:
        self.followed = None
        self.mode = ""
        self.refresh()

    def _poll(self, seconds: float) -> None:
        self.loop.interval = seconds
        self.loop.start()

    def _tick(self) -> None:
        if self.view is not None:
            self.view.tick()

    def _stop_with(self, message: str) -> None:
        self.loop.stop()
        self.status.error(message)

    def close_live(self) -> None:
        self.loop.stop()
