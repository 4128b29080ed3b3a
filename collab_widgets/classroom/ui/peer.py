"""Peer observation, never an evaluation: a teacher invites a colleague, chooses the focus
and the evidence to collect; the colleague takes low-inference notes, then writes what went
well ("glows"), what could grow ("grows") and what they wonder. The notes belong to the
teacher observed: only the two of them see them, and the teacher decides what, if
anything, the team sees."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.classroom import cycle_links
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.model import PeerObservation
from collab_widgets.classroom.practice_library import load_templates
from collab_widgets.classroom.ui.observe import NoteTaker, note_line
from collab_widgets.classroom.ui.parts import text_box
from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    note,
    note_html,
    refill,
    replace_children,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.live.rules import LiveLoop
from collab_widgets.team.store import members

PARTS = {
    "focus": ("Focus", "What you would like your colleague to look at"),
    "evidence": ("Evidence to collect", "e.g. quotes of student talk, who answered, tallies"),
    "glows": ("Glows", "What went well, with the evidence you saw"),
    "grows": ("Grows", "One or two things that could grow, from what you saw"),
    "wonderings": ("Wonderings", "Questions the lesson raised for you"),
    "takeaway": (
        "For the team",
        "What you choose to tell the team (only this, and notes you share, reach them)",
    ),
}


class PeerPanel(widgets.VBox):
    def __init__(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        self.scope, self.status, self.indicator = scope, status, indicator
        self.peer: PeerObservation | None = None
        self.filling = False
        guard = guarded(status)
        redraw = guarded(status, flush=False)
        self.templates = load_templates()
        # inviting
        self.observer = widgets.Dropdown(description="Colleague", options=[])
        self.template = widgets.Dropdown(
            description="Look for",
            options=[("My own focus", None)] + [(t.title, t.key) for t in self.templates.sorted()],
        )
        self.template.index = 0  # "My own focus" (a None value alone selects nothing)
        self.template.observe(redraw(lambda _c: self._template_chosen()), "value")
        self.focus = text_box("Focus", PARTS["focus"][1], "collab-peer-invite-focus")
        self.evidence = widgets.Text(
            description="Evidence",
            placeholder=PARTS["evidence"][1],
            layout=widgets.Layout(width="100%"),
        )
        self.template_info = text_block()
        invite = form_button(
            "Invite",
            "Invite this colleague to observe you",
            [self.focus, self.evidence],
            "primary",
            "invite-observer",
        )
        invite.on_click(guard(lambda _b: self._invite()))
        self.inviting = stacked(
            [
                heading("Invite a colleague to observe you", 4),
                side_by_side([self.observer, self.template]),
                self.template_info,
                self.focus,
                self.evidence,
                invite,
            ]
        )
        # one observation
        self.choice = widgets.Dropdown(
            description="Observation", options=[], layout=widgets.Layout(width="auto")
        )
        self.choice.observe(guard(lambda _c: None if self.filling else self.refresh()), "value")
        self.about = text_block()
        self.texts = {
            part: SharedText(
                text_box(label, hint, f"collab-peer-{part}"),
                lambda typed, base, p=part: classroom.set_peer_text(
                    self.scope, self._peer_id(), p, typed, base
                ),
                indicator,
                f"peer:none:{part}",
            )
            for part, (label, hint) in PARTS.items()
        }
        self.lesson = side_by_side()
        self.taker = NoteTaker(
            status,
            indicator,
            lambda text: classroom.add_peer_note(self.scope, self._peer_id(), text),
            lambda note_id, text: classroom.edit_peer_note(self.scope, note_id, text),
            None,
            [],
            self._draw_notes,
        )
        self.notes = text_block()
        self.notes.add_class("collab-peer-notes")
        self.sharing = stacked()
        self.delete = Confirm(
            "Delete this observation",
            "Delete it with all its notes",
            "Delete this peer observation and every note of it, for good?",
            "Yes, delete it",
            lambda: self._delete(),
            status,
            name="delete-peer",
        )
        self.observer_notes = stacked([self.taker])
        self.observer_part = stacked(
            [
                heading("After the lesson", 4),
                self.texts["glows"].view,
                self.texts["grows"].view,
                self.texts["wonderings"].view,
            ]
        )
        self.feedback = text_block()  # the observer's glows, grows and wonderings, to read
        self.feedback.add_class("collab-peer-feedback")
        self.observed_part = stacked(
            [
                self.feedback,
                self.texts["focus"].view,
                self.texts["evidence"].view,
                heading("What the team sees", 4),
                note("Nothing, unless you share it: tick the notes to share, or write below."),
                self.sharing,
                self.texts["takeaway"].view,
                self.delete,
            ]
        )
        self.detail = stacked(
            [
                self.about,
                self.lesson,
                self.observer_notes,
                heading("Notes", 4),
                self.notes,
                self.observer_part,
                self.observed_part,
            ]
        )
        self.none = note("No peer observation of yours yet.")
        self.team_learning = text_block()
        self.team_learning.add_class("collab-peer-shared")
        self.members_part = stacked(
            [
                heading("Your observations", 4),
                self.choice,
                self.none,
                self.detail,
                heading("Shared with the team", 4),
                self.team_learning,
            ]
        )
        self.outsiders = note(
            "Peer observations belong to the two teachers of each; what a teacher shares "
            "shows to the team's members. A coach sees how many the team held, on the "
            "dashboard."
        )
        super().__init__(
            [
                heading("Peer observation"),
                note(
                    "Not an evaluation: the teacher observed chooses the focus and owns the "
                    "notes. Only the two of you see them; a coach sees how many the team "
                    "held, never who or what."
                ),
                self.inviting,
                self.members_part,
                self.outsiders,
            ]
        )
        self.add_class("collab-peer")
        self.loop = LiveLoop(
            scope.revision, redraw(lambda: self._draw_notes()), on_error=status.error
        )

    def refresh(self) -> None:
        is_member = self.scope.member_id is not None and not self.scope.actor.is_coach
        for part, shown in ((self.inviting, is_member), (self.members_part, is_member)):
            set_shown(part, shown)
        set_shown(self.outsiders, not is_member)
        if not is_member:  # a coach, or a visitor holding the team link: nothing to read
            return
        others = [m for m in members.roster(self.scope) if m.id != self.scope.member_id]
        mine = classroom.my_peer_observations(self.scope)
        self.filling = True
        try:
            refill(self.observer, [(m.name, m.id) for m in others])
            refill(self.choice, [(self._label(p), p.id) for p in mine])
        finally:
            self.filling = False
        shown = self.peer.id if self.peer is not None else None
        self.peer = next((p for p in mine if p.id == self.choice.value), None)
        if self.peer is None or self.peer.id != shown:
            self.taker.start_over()
        set_shown(self.none, self.peer is None)
        set_shown(self.detail, self.peer is not None)
        self._draw_team_learning()
        if self.peer is not None:
            self._draw(self.peer)
            self.loop.start()

    def _label(self, peer: PeerObservation) -> str:
        when = f"{peer.created_at.astimezone():%d %b}"
        if peer.observed_id == self.scope.member_id:
            return f"{peer.observer} observes you ({when})"
        return f"You observe {peer.observed} ({when})"

    def _draw(self, peer: PeerObservation) -> None:
        observer = peer.observer_id == self.scope.member_id
        template = self.templates.get(peer.template) if peer.template else None
        look_for = (
            "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in template.look_for) + "</ul>"
            if template
            else ""
        )
        self.about.value = (
            f"<p><b>{html.escape(peer.observed)}</b> is observed by "
            f"<b>{html.escape(peer.observer)}</b>.</p>"
            f"<p><b>Focus:</b> {html.escape(peer.focus) or '(not written yet)'}</p>"
            f"<p><b>Evidence to collect:</b> {html.escape(peer.evidence) or '(any)'}</p>" + look_for
        )
        for part, shared in self.texts.items():
            shared.load(getattr(peer, part), f"peer:{peer.id}:{part}")
        start = button("The lesson starts", "Notes are stamped against it", name="peer-start")
        end = button("The lesson is over", "Notes added later are marked so", name="peer-end")
        start.on_click(guarded(self.status)(lambda _b: self._lesson(True)))
        end.on_click(guarded(self.status)(lambda _b: self._lesson(False)))
        start.disabled = peer.lesson_on
        end.disabled = not peer.lesson_on
        replace_children(self.lesson, [start, end])
        set_shown(self.observer_notes, observer)
        set_shown(self.observer_part, observer)
        set_shown(self.observed_part, not observer)
        self.feedback.value = "".join(
            f"<p><b>{PARTS[part][0]}:</b> "
            f"{html.escape(getattr(peer, part)) or '(not written yet)'}</p>"
            for part in ("glows", "grows", "wonderings")
        )
        self._draw_notes()

    def _draw_notes(self) -> None:
        if self.peer is None:
            return
        self.loop.seen = self.scope.revision()
        notes = classroom.peer_notes(self.scope, self.peer.id)
        lines = [note_line(n.at, n.text, (n.segment,), None, n.after_lesson) for n in notes]
        self.notes.value = (
            f"<ul class='collab-observation-notes'>{''.join(lines)}</ul>"
            if notes
            else note_html("No notes yet.")
        )
        if self.peer.observed_id == self.scope.member_id:
            boxes = []
            for n in notes:
                box = widgets.Checkbox(
                    value=n.shared,
                    description=f"Share: {n.text[:60]}",
                    indent=False,
                    layout={"width": "auto"},
                )
                box.observe(
                    guarded(self.status)(
                        lambda c, i=n.id: classroom.share_peer_note(self.scope, i, c["new"])
                    ),
                    "value",
                )
                boxes.append(box)
            replace_children(self.sharing, boxes)

    def _draw_team_learning(self) -> None:
        shared = classroom.shared_peer_learning(self.scope)
        self.team_learning.value = (
            "".join(
                f"<div class='collab-card'><p><b>{html.escape(s.observed)}</b> shares "
                f"({s.on:%d %b %Y}):</p>"
                + (f"<p>{html.escape(s.takeaway)}</p>" if s.takeaway.strip() else "")
                + "".join(f"<blockquote>{html.escape(text)}</blockquote>" for text in s.notes)
                + "</div>"
                for s in shared
            )
            if shared
            else note_html("Nothing shared yet.")
        )

    def _template_chosen(self) -> None:
        template = self.templates.get(self.template.value) if self.template.value else None
        self.template_info.value = note_html(template.purpose) if template else ""
        if template and not self.evidence.value:
            self.evidence.value = "; ".join(template.evidence)[:200]

    def _invite(self) -> None:
        if self.observer.value is None:
            self.status.error("Choose the colleague who will observe you.")
            return
        focus = self.focus.value
        if not focus.strip():
            goal = cycle_links.goal_statement(self.scope, cycle_links.current_cycle(self.scope))
            focus = f"Our goal: {goal}" if goal else ""
        peer_id = classroom.invite(
            self.scope, self.observer.value, focus, self.evidence.value, self.template.value
        )
        self.focus.value = self.evidence.value = ""
        self.filling = True
        try:
            self.choice.options = [*self.choice.options, ("", peer_id)]
            self.choice.value = peer_id
        finally:
            self.filling = False
        self.refresh()
        self.status.ok("Invited. Only the two of you see this observation and its notes.")

    def _lesson(self, start: bool) -> None:
        if start:
            classroom.peer_lesson(self.scope, self._peer_id(), start=True)
            self.taker.retry()  # words typed before the start are stored now
        else:
            self.taker.finish()  # stored before the lesson ends, not "after the lesson"
            classroom.peer_lesson(self.scope, self._peer_id(), start=False)
        self.refresh()

    def _peer_id(self) -> int:
        if self.peer is None:
            raise NotFound("That peer observation is no longer there.")
        return self.peer.id

    def _delete(self) -> None:
        classroom.delete_peer_observation(self.scope, self._peer_id())
        self.refresh()
        self.status.ok("The observation and its notes are deleted.")

    def close_live(self) -> None:
        self.loop.stop()
