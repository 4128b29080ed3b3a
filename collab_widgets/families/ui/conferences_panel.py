"""The Conferences tab: the class's teacher offers conference times (individual or
student-led), sees which family has each time (families choose on their own page; the
teacher books one reached by phone, or frees a time), keeps notes of each conference and
its agreements, each kept by the teacher, the family or the student, and sees the
agreements of the same family's earlier conference to follow up.

Notes and agreements are the teacher's: a teammate, a coach or a visitor holding the team
link reads how many conferences are booked."""

from __future__ import annotations

import contextlib
import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    html_table,
    note,
    note_html,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.families.model import Agreement, Family, Slot
from collab_widgets.families.store import class_meetings, conferences, guardians
from collab_widgets.families.ui import family_words as words
from collab_widgets.families.ui.state import FamilyState

FREE = ("— free —", None)


def _card(children: list[widgets.Widget], css: str) -> widgets.VBox:
    box = stacked(children)
    box.add_class("collab-card")
    box.add_class(css)
    return box


def choose(dropdown: widgets.Dropdown, value: object) -> None:
    """Show the option of ``value`` (else the first). By index, through none: ipywidgets
    turns an index whose value is None, set from another value, back into no selection
    (a blank box)."""
    values = [v for _, v in dropdown.options]
    index = values.index(value) if value in values else 0
    if dropdown.index != index:
        if values[index] is None:
            dropdown.index = None
        dropdown.index = index


def earlier_slots(slots: list[Slot], slot: Slot) -> list[Slot]:
    """The same family's conferences before ``slot``, latest first."""
    if slot.family_id is None:
        return []
    return sorted(
        (
            s
            for s in slots
            if s.family_id == slot.family_id
            and s.id != slot.id
            and (s.day, s.starts_at) < (slot.day, slot.starts_at)
        ),
        key=lambda s: (s.day, s.starts_at),
        reverse=True,
    )


class ConferencesPanel(widgets.VBox):
    """``refresh()`` draws the open class's conference times."""

    def __init__(
        self,
        scope: TeamScope,
        state: FamilyState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.slots: list[Slot] = []
        self.found: list[Family] = []
        self.agreements: list[Agreement] = []
        self.done_boxes: dict[int, widgets.Checkbox] = {}
        guard = guarded(status)
        redraw = guarded(status, flush=False)

        # --- offering times -------------------------------------------------------------
        today = scope.store.clock.today()
        self.kind = widgets.Dropdown(
            description="Kind", options=[(name, kind) for kind, name in words.KINDS.items()]
        )
        self.day = widgets.DatePicker(description="Day", value=today + dt.timedelta(days=7))
        self.starts_at = widgets.Text(description="From", value="15:00", placeholder="e.g. 15:00")
        self.minutes = widgets.BoundedIntText(
            description="Minutes each", value=20, min=5, max=conferences.LONGEST
        )
        self.count = widgets.BoundedIntText(
            description="How many", value=6, min=1, max=conferences.MOST_SLOTS
        )
        offer = form_button(
            "Offer these times",
            "Families then choose one on their own page",
            [self.starts_at],
            "primary",
            "offer-conference-times",
        )
        offer.on_click(guard(lambda _b: self._offer()))
        self.offering = _card(
            [
                heading("Offer conference times", 4),
                note(
                    "Back-to-back times on one day. Each family chooses one on its own page "
                    "(never two families one time); you can also book a family you reached "
                    "by phone."
                ),
                side_by_side([self.kind, self.day, self.starts_at], flex_flow="row wrap"),
                side_by_side([self.minutes, self.count], flex_flow="row wrap"),
                offer,
            ],
            "collab-conference-offer",
        )
        self.table = text_block()
        self.table.add_class("collab-conference-times")

        # --- one conference ---------------------------------------------------------------
        self.slot = widgets.Dropdown(
            description="Time", options=[], layout=widgets.Layout(width="auto")
        )
        self.slot.observe(redraw(lambda _c: None if self.filling else self._draw_slot()), "value")
        self.family = widgets.Dropdown(
            description="Family of", options=[FREE], layout=widgets.Layout(width="auto")
        )
        book = button("Book this family", "Give this time to the family chosen", name="book-slot")
        book.on_click(guard(lambda _b: self._book()))
        self.free = button(
            "Free this time", "The time is offered to families again", name="free-slot"
        )
        self.free.on_click(guard(lambda _b: self._free()))
        self.remove = Confirm(
            "Remove this time",
            "No longer offer this time",
            "Remove this time? It is no longer offered; a family who had it is not told: "
            "tell them yourself.",
            "Yes, remove it",
            lambda: self._remove(),
            status,
            name="remove-slot",
        )
        self.notes_box = widgets.Textarea(
            description="Notes",
            placeholder="What you talked about (for you; never on the family's page)",
            rows=3,
            layout=widgets.Layout(width="100%"),
        )
        self.notes = SharedText(
            self.notes_box, self._save_notes, indicator, "conference-notes:none"
        )
        self.done_list = widgets.VBox([])
        self.done_list.add_class("collab-conference-agreements")
        self.no_agreements = note("No agreement yet.")
        self.agreement = widgets.Text(
            description="Agreement",
            placeholder="e.g. Read together 15 minutes, 4 nights a week",
            layout=widgets.Layout(width="auto"),
        )
        self.owner = widgets.Dropdown(
            description="Kept by",
            options=[(name.capitalize(), owner) for owner, name in words.OWNERS.items()],
        )
        add = form_button(
            "Add the agreement",
            "The family sees it on its page, and it comes back at the next conference",
            [self.agreement],
            name="add-agreement",
        )
        add.on_click(guard(lambda _b: self._add_agreement()))
        self.follow_up = text_block()
        self.follow_up.add_class("collab-conference-follow-up")
        self.booked = stacked(
            [
                self.follow_up,
                self.notes.view,
                heading("Agreements", 5),
                note("Tick one when it is done. The family sees its agreements on its page."),
                self.no_agreements,
                self.done_list,
                side_by_side([self.agreement, self.owner, add], flex_flow="row wrap"),
            ]
        )
        self.one = _card(
            [
                heading("One conference", 4),
                self.slot,
                side_by_side([self.family, book, self.free], flex_flow="row wrap"),
                self.booked,
                self.remove,
            ],
            "collab-conference-one",
        )
        self.none = note("No conference time yet: offer some above.")
        self.outsiders = note("")
        self.numbers = text_block()
        self.no_class = note("Choose a class on the Families tab first.")
        self.teacher = stacked([self.offering, self.table, self.none, self.one])
        self.body = stacked([self.outsiders, self.numbers, self.teacher])
        super().__init__(
            [
                heading("Conferences"),
                note(
                    "Parent–teacher or student-led conferences: times families choose on "
                    "their own page, your notes, and agreements you follow up next time."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-conferences")
        self.watching = [
            (redraw(lambda _c: self.refresh()), "class_id"),
            (redraw(lambda _c: self.refresh()), "revision"),
        ]
        for handler, name in self.watching:
            state.observe(handler, name)

    # --- drawing --------------------------------------------------------------------------

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            return
        yours = self.state.yours
        set_shown(self.outsiders, not yours)
        set_shown(self.numbers, not yours)
        set_shown(self.teacher, yours)
        if not yours:
            self.outsiders.value = note_html(
                words.outsiders_note(self.state.member, self.state.teacher_name)
            )
            counts = class_meetings.participation(self.scope, class_id)
            self.numbers.value = html_table(
                ["", "Number"],
                [
                    ["Families", str(counts.families)],
                    ["Conferences booked", str(counts.conferences_booked)],
                ],
            )
            return
        self.found = guardians.families(self.scope, class_id)
        self.slots = conferences.slots(self.scope, class_id)
        self.agreements = conferences.agreements(self.scope, class_id)
        children = self._children()
        set_shown(self.none, not self.slots)
        set_shown(self.one, bool(self.slots))
        set_shown(self.table, bool(self.slots))
        booked = sum(s.family_id is not None for s in self.slots)
        self.table.value = html_table(
            ["Time", "Kind", "Minutes", "Family of"],
            [
                [
                    words.when(s.day, s.starts_at),
                    words.KINDS.get(s.kind, s.kind),
                    str(s.minutes),
                    children.get(s.family_id, "(no longer in the class)")
                    if s.family_id is not None
                    else "free",
                ]
                for s in self.slots
            ],
            "collab-table collab-conference-table",
        ) + note_html(f"{booked} of {plural(len(self.slots), 'time')} booked.")
        self.filling = True
        try:
            refill(self.slot, [(self._slot_label(s, children), s.id) for s in self.slots])
            refill(self.family, [FREE] + [(self.state.child_of(f), f.id) for f in self.found])
        finally:
            self.filling = False
        self._draw_slot()

    def _children(self) -> dict[int, str]:
        return {f.id: self.state.child_of(f) for f in self.found}

    @staticmethod
    def _slot_label(slot: Slot, children: dict[int, str]) -> str:
        who = "free" if slot.family_id is None else children.get(slot.family_id, "booked")
        return f"{slot.day:%a %d %b} {slot.starts_at} · {who}"

    def _shown_slot(self) -> Slot | None:
        return next((s for s in self.slots if s.id == self.slot.value), None)

    def _draw_slot(self) -> None:
        slot = self._shown_slot()
        if slot is None:
            return
        self.filling = True
        try:
            choose(self.family, slot.family_id)
        finally:
            self.filling = False
        set_shown(self.free, slot.family_id is not None)
        set_shown(self.booked, slot.family_id is not None)
        self.notes.load(slot.notes, f"conference-notes:{slot.id}")
        mine = [a for a in self.agreements if a.slot_id == slot.id]
        self._draw_agreements(mine)
        self._draw_follow_up(slot)

    def _draw_agreements(self, mine: list[Agreement]) -> None:
        wanted = [(a.id, self._agreement_words(a)) for a in mine]
        shown = [(i, box.description) for i, box in self.done_boxes.items()]
        if wanted != shown:
            for box in self.done_boxes.values():
                box.close()
            self.done_boxes = {}
            for agreement_id, said in wanted:
                box = widgets.Checkbox(
                    description=said, value=False, indent=False, layout=widgets.Layout(width="auto")
                )
                box.observe(self._ticker(agreement_id), "value")
                self.done_boxes[agreement_id] = box
            self.done_list.children = tuple(self.done_boxes.values())
        self.filling = True
        try:
            for agreement in mine:
                self.done_boxes[agreement.id].value = agreement.done
        finally:
            self.filling = False
        set_shown(self.no_agreements, not mine)

    @staticmethod
    def _agreement_words(agreement: Agreement) -> str:
        return f"{agreement.text} (kept by {words.OWNERS.get(agreement.owner, agreement.owner)})"

    def _draw_follow_up(self, slot: Slot) -> None:
        before = earlier_slots(self.slots, slot)
        parts = []
        for earlier in before:
            made = [a for a in self.agreements if a.slot_id == earlier.id]
            if not made:
                continue
            items = "".join(
                f"<li>{html.escape(self._agreement_words(a))}: "
                f"<b>{'done' if a.done else 'to do'}</b></li>"
                for a in made
            )
            held = words.when(earlier.day, earlier.starts_at)
            parts.append(f"<p>From the conference of {html.escape(held)}:</p><ul>{items}</ul>")
        self.follow_up.value = (
            "<div class='collab-card collab-follow-up'><h5>To follow up</h5>"
            + "".join(parts)
            + "</div>"
            if parts
            else ""
        )

    def _ticker(self, agreement_id: int):
        @guarded(self.status)
        def ticked(change) -> None:
            if self.filling:
                return
            conferences.set_done(self.scope, agreement_id, bool(change["new"]))
            self.indicator.saved()
            self.state.changed()

        return ticked

    # --- actions --------------------------------------------------------------------------

    def _slot_id(self) -> int:
        slot = self._shown_slot()
        if slot is None:
            raise NotFound("Choose a conference time first.")
        return slot.id

    def _offer(self) -> None:
        if self.day.value is None:
            raise InvalidInput("Choose the day of the conferences.")
        added = conferences.add_slots(
            self.scope,
            self.state.open_class_id(),
            self.kind.value,
            self.day.value,
            self.starts_at.value,
            self.minutes.value,
            self.count.value,
        )
        self.state.changed()
        if added:
            self.status.ok(f"{plural(added, 'time')} offered: families see them on their page.")
        else:
            self.status.info("Those times were already offered that day: nothing added.")

    def _book(self) -> None:
        if self.family.value is None:
            raise InvalidInput("Choose the family to book.")
        conferences.assign(self.scope, self._slot_id(), self.family.value)
        self.state.changed()
        self.status.ok("Booked: the family sees the time on its page.")

    def _free(self) -> None:
        conferences.assign(self.scope, self._slot_id(), None)
        self.state.changed()
        self.status.ok("The time is free again.")

    def _remove(self) -> None:
        conferences.remove_slot(self.scope, self._slot_id())
        self.state.changed()
        self.status.ok("The time is no longer offered.")

    def _save_notes(self, typed: str, base: str) -> None:
        # the time the box was typed for (its key), not the one chosen since
        key = self.notes.key
        if not key.split(":")[-1].isdigit():
            raise InvalidInput("Choose a conference time first.")
        conferences.set_notes(self.scope, int(key.split(":")[-1]), typed, base)

    def _add_agreement(self) -> None:
        conferences.add_agreement(
            self.scope, self._slot_id(), self.agreement.value, self.owner.value
        )
        self.agreement.value = ""
        self.state.changed()
        self.status.ok("Agreement added: the family sees it on its page.")

    def close(self) -> None:
        for handler, name in getattr(self, "watching", []):
            with contextlib.suppress(ValueError):
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
