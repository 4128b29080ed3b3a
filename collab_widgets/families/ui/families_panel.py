"""The Families tab: choose one of the team's classes; its teacher sees a family per
student (made when the class is first opened here), each family's language and the people
the teacher gives a link to, gives or stops those links (a new link is shown once, to
copy or print), blocks a person who must not reach the child's page, keeps how to reach
the family, and prints a card per person with their own link as a QR code.

Who sees what (the store checks it again at every action): only the class's teacher sees
its families and contacts and changes anything; a teammate, a coach or a visitor holding
the team link reads the class's numbers."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.model import plural
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.browser_parts import CopyLink
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
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
from collab_widgets.families import cards
from collab_widgets.families.model import Family, Guardian
from collab_widgets.families.store import class_meetings, guardians
from collab_widgets.families.ui import family_words as words
from collab_widgets.families.ui.state import FamilyState
from collab_widgets.students.model import ClassInfo
from collab_widgets.students.store import classes
from collab_widgets.students.ui.state import NamesToggle
from collab_widgets.team import links

DOWNLOAD = "collab-download"
BLOCK_QUESTION = (
    "Block {name}? A block refuses this person everywhere: their link stops opening the "
    "family page at once, no new link or card is made for them, and they are left out of "
    "every list a family sees. Use it when someone must not reach the child's page (a "
    "court order, say). You can lift the block later."
)
REMOVE_QUESTION = (
    "Take {name} off this family's list? Their link stops opening the family page at once. "
    "(To refuse someone everywhere, block them instead: a block is kept.)"
)
REVOKE_QUESTION = (
    "Stop {name}'s link? It stops opening the family page at once (a page open with it "
    "closes at its next step). You can give them a new link later."
)
SHOWN_ONCE = (
    "Shown this once: copy the link into your message now, or print the card. The link is "
    "kept only as a fingerprint, so it cannot be shown again (make a new one if it is lost)."
)


def class_label(info: ClassInfo) -> str:
    return f"{info.name} ({info.owner_name})"


def _card(children: list[widgets.Widget], css: str) -> widgets.VBox:
    box = stacked(children)
    box.add_class("collab-card")
    box.add_class(css)
    return box


class FamiliesPanel(widgets.VBox):
    """The Families tab. ``refresh()`` reads the team's classes and draws the open one."""

    def __init__(
        self,
        scope: TeamScope,
        state: FamilyState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.found: list[Family] = []
        self.keep_guardian: int | None = None  # the person to show after the next redraw
        guard = guarded(status)
        redraw = guarded(status, flush=False)

        # --- the class ---------------------------------------------------------------
        self.choice = widgets.Dropdown(
            description="Class", options=[], layout=widgets.Layout(width="auto")
        )
        self.choice.observe(redraw(self._chosen), "value")
        self.no_class = note(words.NO_CLASS)
        self.about = text_block()
        self.outsiders = note("")
        self.outsiders.add_class("collab-families-outsiders")
        self.numbers = text_block()
        self.numbers.add_class("collab-families-numbers")

        # --- the teacher's view: the families ---------------------------------------
        self.table = text_block()
        self.table.add_class("collab-families-table")
        print_cards = button(
            "Print family cards",
            "A card for each person without a link yet: their own new link and its QR code",
            "primary",
            "print-family-cards",
        )
        print_cards.on_click(guard(lambda _b: self._print_cards()))
        self.downloads = text_block()
        self.downloads.add_class("collab-exports")
        self.cards_box = _card(
            [
                heading("Family cards", 4),
                note(
                    "A card for each person on the list who has no link yet (and is not "
                    "blocked): their child's first name, the class, and their own link as a "
                    "QR code and written out, in the family's language. People who already "
                    "have a link keep it; for a lost card, make that person a new link below."
                ),
                print_cards,
                self.downloads,
            ],
            "collab-families-cards",
        )

        # --- one family ------------------------------------------------------------------
        self.family = widgets.Dropdown(
            description="Family of", options=[], layout=widgets.Layout(width="auto")
        )
        self.family.observe(
            redraw(lambda _c: None if self.filling else self._family_chosen()), "value"
        )
        self.language = widgets.Dropdown(
            description="Language",
            options=words.LANGUAGE_CHOICES,
            tooltip="The language of the family's page and cards",
        )
        self.language.observe(
            guard(lambda _c: None if self.filling else self._set_language()), "value"
        )
        self.contact_box = widgets.Textarea(
            description="Contact",
            placeholder="How to reach the family: phone, e-mail, best time, interpreter…",
            rows=2,
            layout=widgets.Layout(width="100%"),
        )
        self.contact = SharedText(
            self.contact_box, self._save_contact, indicator, "family-contact:none"
        )
        self.people = text_block()
        self.people.add_class("collab-family-people")
        self.guardian = widgets.Dropdown(
            description="Person", options=[], layout=widgets.Layout(width="auto")
        )
        self.guardian.observe(
            redraw(lambda _c: None if self.filling else self._draw_guardian()), "value"
        )
        self.new_link = button(
            "New link",
            "A new link for this person (their earlier one stops opening the page)",
            "primary",
            "new-family-link",
        )
        self.new_link.on_click(guard(lambda _b: self._new_link()))
        self.revoke = Confirm(
            "Stop the link",
            "Their link stops opening the family page",
            REVOKE_QUESTION.format(name="this person"),
            "Yes, stop it",
            lambda: self._revoke(),
            status,
            style="warning",
            name="revoke-family-link",
        )
        self.block = Confirm(
            "Block",
            "Refuse this person everywhere (a court order, say)",
            BLOCK_QUESTION.format(name="this person"),
            "Yes, block",
            lambda: self._set_blocked(True),
            status,
            style="danger",
            name="block-guardian",
        )
        self.remove = Confirm(
            "Take off the list",
            "Someone added by mistake, or no longer of this family",
            REMOVE_QUESTION.format(name="this person"),
            "Yes, take them off",
            lambda: self._remove(),
            status,
            style="warning",
            name="remove-guardian",
        )
        self.unblock = button("Lift the block", "They may be given a link again", name="unblock")
        self.unblock.on_click(guard(lambda _b: self._set_blocked(False)))
        self.person_actions = side_by_side(
            [self.new_link, self.revoke, self.block, self.unblock, self.remove],
            flex_flow="row wrap",
        )
        self.link_copy = CopyLink(description="Copy the link")
        self.link_said = text_block()
        self.link_card = text_block()
        self.link_box = stacked([self.link_said, self.link_copy, self.link_card])
        self.link_box.add_class("collab-family-new-link")
        set_shown(self.link_box, False)
        self.guardian_name = widgets.Text(
            description="New person",
            placeholder="e.g. Ms. Rivera, grandmother",
            tooltip="The person's name as you call them (printed on their card)",
        )
        add = form_button(
            "Add the person",
            "Add someone of this family who gets a link to its page",
            [self.guardian_name],
            name="add-guardian",
        )
        add.on_click(guard(lambda _b: self._add_guardian()))
        self.no_people = note("No one on this family's list yet: add a parent or carer below.")
        self.one = _card(
            [
                heading("One family", 4),
                note(
                    "The family's language is the language of its page and cards. How to "
                    "reach the family is for you only: never on a card, a family page or an "
                    "export."
                ),
                self.family,
                self.language,
                self.contact.view,
                heading("People with a link to the family page", 5),
                self.people,
                self.no_people,
                self.guardian,
                self.person_actions,
                self.link_box,
                side_by_side([self.guardian_name, add], flex_flow="row wrap"),
            ],
            "collab-family-one",
        )
        self.no_students = note(
            "No students in this class yet: add them on the Students together page; each "
            "student's family then appears here."
        )
        self.teacher = stacked([self.table, self.no_students, self.cards_box, self.one])
        self.body = stacked([self.about, self.outsiders, self.numbers, self.teacher])
        super().__init__(
            [
                heading("Families"),
                note(
                    "A family for each student of the class. Each person you give a link "
                    "opens the family's own page: their child's result beside the class "
                    "graph, the home activities, their 60-day goal, conference times and "
                    "workshops, in the family's language."
                ),
                side_by_side([self.choice, NamesToggle(state)], flex_flow="row wrap"),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-families")
        state.observe(redraw(lambda _c: self._draw()), "revision")

    # --- drawing --------------------------------------------------------------------------

    def refresh(self) -> None:
        found = classes.classes(self.scope)
        self.filling = True
        try:
            refill(self.choice, [(class_label(c), c.id) for c in found], keep=self.state.class_id)
        finally:
            self.filling = False
        self._open(self.choice.value, opened=True)

    def _chosen(self, _change) -> None:
        if self.filling:
            return
        self._open(self.choice.value, opened=True)

    def _open(self, class_id: int | None, opened: bool = False) -> None:
        if class_id != self.state.class_id:
            self.downloads.value = ""
            self._forget_link()
        self.state.open_class(class_id)  # the other tabs follow (they observe it)
        if opened and self.state.yours:
            made = guardians.open_families(self.scope, class_id)
            if made:
                self.status.ok(f"{plural(made, 'family', 'families')} added: one per new student.")
        self._draw()

    def _draw(self) -> None:
        class_id = self.state.class_id
        members = self.state.member
        set_shown(self.choice, bool(self.choice.options))
        set_shown(self.no_class, class_id is None)
        self.no_class.value = note_html(words.NO_CLASS if members else words.NO_CLASS_OUTSIDERS)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            return
        info = self.state.info
        yours = self.state.yours
        whose = "Your class" if yours else f"{info.owner_name}'s class"
        self.about.value = (
            f"<h3>{html.escape(info.name)}</h3>"
            f"<p>{html.escape(whose)} · {plural(info.students, 'student')}</p>"
        )
        set_shown(self.outsiders, not yours)
        set_shown(self.numbers, not yours)
        set_shown(self.teacher, yours)
        if not yours:
            self.outsiders.value = note_html(words.outsiders_note(members, info.owner_name))
            counts = class_meetings.participation(self.scope, class_id)
            self.numbers.value = html_table(
                ["", "Number"], [list(row) for row in words.class_numbers(counts)]
            )
            self.found = []
            return
        self.found = guardians.families(self.scope, class_id)
        set_shown(self.no_students, not self.found)
        set_shown(self.cards_box, bool(self.found))
        set_shown(self.one, bool(self.found))
        self._draw_table()
        self.filling = True
        try:
            refill(self.family, [(self.state.child_of(f), f.id) for f in self.found])
        finally:
            self.filling = False
        self._draw_family()

    def _draw_table(self) -> None:
        if not self.found:
            self.table.value = ""
            return
        rows = [
            [
                str(i),
                self.state.child_of(f),
                words.LANGUAGE_NAMES.get(f.language, f.language),
                "; ".join(f"{g.name}: {words.link_state(g)}" for g in f.guardians) or "no one yet",
            ]
            for i, f in enumerate(self.found, 1)
        ]
        with_link = sum(any(g.has_link for g in f.guardians) for f in self.found)
        self.table.value = html_table(
            ["", "Family of", "Language", "People and their links"],
            rows,
            "collab-table collab-families-list",
        ) + note_html(
            f"{with_link} of {plural(len(self.found), 'family', 'families')} have a link to "
            "their page."
        )

    def _shown_family(self) -> Family | None:
        return next((f for f in self.found if f.id == self.family.value), None)

    def _shown_guardian(self) -> Guardian | None:
        family = self._shown_family()
        if family is None:
            return None
        return next((g for g in family.guardians if g.id == self.guardian.value), None)

    def _family_chosen(self) -> None:
        self._forget_link()
        # a contact still waiting to be saved goes to its own family first; then the
        # families as they are now (that contact included)
        self.contact.debouncer.flush()
        self.found = guardians.families(self.scope, self.state.open_class_id())
        self._draw_table()
        self._draw_family()

    def _draw_family(self) -> None:
        family = self._shown_family()
        if family is None:
            return
        self.filling = True
        try:
            self.language.value = (
                family.language if family.language in words.LANGUAGE_NAMES else "en"
            )
            refill(
                self.guardian,
                [(f"{g.name} — {words.link_state(g)}", g.id) for g in family.guardians],
                keep=self.keep_guardian,
            )
        finally:
            self.filling = False
            self.keep_guardian = None
        self.contact.load(family.contact, f"family-contact:{family.id}")
        people = "".join(
            f"<li><b>{html.escape(g.name)}</b>: {html.escape(words.link_state(g))}</li>"
            for g in family.guardians
        )
        self.people.value = f"<ul>{people}</ul>" if people else ""
        set_shown(self.no_people, not family.guardians)
        set_shown(self.guardian, bool(family.guardians))
        self._draw_guardian()

    def _draw_guardian(self) -> None:
        guardian = self._shown_guardian()
        set_shown(self.person_actions, guardian is not None)
        if guardian is None:
            return
        name = html.escape(guardian.name)
        set_shown(self.new_link, not guardian.blocked)
        set_shown(self.revoke, guardian.has_link)
        set_shown(self.block, not guardian.blocked)
        set_shown(self.unblock, guardian.blocked)
        self.new_link.description = "New link" if guardian.has_link else "Give a link"
        self.revoke.question.value = (
            "<span class='collab-confirm-question' role='alert'>"
            f"{REVOKE_QUESTION.format(name=name)}</span>"
        )
        self.block.question.value = (
            "<span class='collab-confirm-question' role='alert'>"
            f"{BLOCK_QUESTION.format(name=name)}</span>"
        )
        set_shown(self.remove, not guardian.blocked)  # a block is kept: lift it first
        self.remove.question.value = (
            "<span class='collab-confirm-question' role='alert'>"
            f"{REMOVE_QUESTION.format(name=name)}</span>"
        )

    def _forget_link(self) -> None:
        self.link_copy.value = ""
        self.link_said.value = ""
        self.link_card.value = ""
        set_shown(self.link_box, False)

    # --- actions --------------------------------------------------------------------------

    def _family_id(self) -> int:
        family = self._shown_family()
        if family is None:
            raise InvalidInput("Choose a family first.")
        return family.id

    def _guardian_id(self) -> int:
        guardian = self._shown_guardian()
        if guardian is None:
            raise InvalidInput("Choose a person of this family first.")
        return guardian.id

    def _save_contact(self, typed: str, base: str) -> None:
        # the family the box was typed for (its key), not the one chosen since: a save
        # still waiting when another family is chosen is written to its own family
        key = self.contact.key
        if not key.startswith("family-contact:") or not key.split(":")[1].isdigit():
            raise InvalidInput("Choose a family first.")
        guardians.set_contact(self.scope, int(key.split(":")[1]), typed, base)

    def _set_language(self) -> None:
        guardians.set_language(self.scope, self._family_id(), self.language.value)
        self.indicator.saved()
        self.state.changed()
        name = words.LANGUAGE_NAMES[self.language.value]
        self.status.ok(f"The family's page and cards are now in {name}.")

    def _add_guardian(self) -> None:
        guardian_id = guardians.add_guardian(
            self.scope, self._family_id(), self.guardian_name.value
        )
        self.guardian_name.value = ""
        self._forget_link()
        self.keep_guardian = guardian_id  # the redraw shows the person just added
        self.state.changed()
        self.status.ok("Added. Give them a link: New link here, or Print family cards.")

    def _new_link(self) -> None:
        guardian_id = self._guardian_id()
        family = self._shown_family()
        guardian = self._shown_guardian()
        code = guardians.issue_link(self.scope, guardian_id)
        link = links.family_link(code)
        info = self.state.info
        made = cards.family_cards_html(
            info.name,
            cards.cards_for([family], {guardian_id: code}),
            self.scope.store.clock.today(),
            self._next_meeting(),
        )
        self.state.changed()
        self.link_copy.value = link
        self.link_said.value = (
            f"<p><b>{html.escape(guardian.name)}'s new link</b> (family of "
            f"{html.escape(self.state.child_of(family))})</p>" + note_html(SHOWN_ONCE)
        )
        self.link_card.value = download_link(
            f"Download {guardian.name}'s card (a page to print)",
            "family-card.html",
            "text/html",
            made.encode("utf-8"),
            DOWNLOAD,
        )
        set_shown(self.link_box, True)
        self.status.ok(
            f"A new link for {guardian.name}: copy it or print the card now. "
            + ("Their earlier link no longer opens the page." if guardian.has_link else "")
        )

    def _revoke(self) -> None:
        guardian = self._shown_guardian()
        guardians.revoke_link(self.scope, self._guardian_id())
        self._forget_link()
        self.state.changed()
        self.status.ok(f"{guardian.name}'s link no longer opens the family page.")

    def _remove(self) -> None:
        guardian = self._shown_guardian()
        guardians.remove_guardian(self.scope, self._guardian_id())
        self._forget_link()
        self.state.changed()
        self.status.ok(f"{guardian.name} is off the family's list; their link opens nothing.")

    def _set_blocked(self, blocked: bool) -> None:
        guardian = self._shown_guardian()
        guardians.set_blocked(self.scope, self._guardian_id(), blocked)
        self._forget_link()
        self.state.changed()
        if blocked:
            self.status.ok(
                f"{guardian.name} is blocked: their link no longer opens anything, and no "
                "link or card is made for them."
            )
        else:
            self.status.ok(f"The block on {guardian.name} is lifted: you may give them a link.")

    def _next_meeting(self) -> tuple | None:
        today = self.scope.store.clock.today()
        planned = [
            m
            for m in class_meetings.meetings(self.scope, self.state.open_class_id())
            if m.held_on >= today
        ]
        return (planned[0].held_on, planned[0].starts_at) if planned else None

    def _print_cards(self) -> None:
        class_id = self.state.open_class_id()
        issued = guardians.issue_links(self.scope, class_id)
        if not issued:
            self.downloads.value = ""
            self.status.info(
                "Everyone on the families' lists already has a link (or is blocked): no "
                "card to print. Add people to a family, or make someone a new link."
            )
            return
        found = guardians.families(self.scope, class_id)
        made = cards.family_cards_html(
            self.state.info.name,
            cards.cards_for(found, issued),
            self.scope.store.clock.today(),
            self._next_meeting(),
        )
        self.downloads.value = download_link(
            "Download the family cards (a page to print)",
            "family-cards.html",
            "text/html",
            made.encode("utf-8"),
            DOWNLOAD,
        )
        self.state.changed()
        self.status.ok(
            f"Cards for {plural(len(issued), 'person', 'people')}: print them now (each "
            "link is shown only on its card)."
        )
