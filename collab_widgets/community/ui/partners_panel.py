"""The Partners tab: agreements that end soon (or have ended) at the top, the directory of
partner organisations (kind, what each offers, contacts, agreements), one partner's
contacts and agreements, and the activities done with the community.

How to reach a contact is the coordinator's only: the store gives the principal none."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.community import library, rules
from collab_widgets.community.model import Partner
from collab_widgets.community.store import partners as store
from collab_widgets.community.ui import community_tab as tab
from collab_widgets.community.ui.community_tab import Panel, card, row, wide
from collab_widgets.community.ui.state import CommunityState
from collab_widgets.core.errors import CollabError, InvalidInput
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.core.ui.layout import (
    form_button,
    heading,
    html_table,
    note,
    note_html,
    set_shown,
    stacked,
    text_block,
)

NO_PARTNER_CHOSEN = ("— no partner", None)


class PartnersPanel(Panel):
    """``refresh()`` reads the school's partners, reminders and activities."""

    def __init__(self, state: CommunityState, status: StatusLine):
        super().__init__(state, status)
        try:
            shipped = library.load_partners()
            self.kinds = {kind.id: kind.name for kind in shipped.kinds}
            self.offers = {offer.id: offer.name for offer in shipped.offers}
        except CollabError as exc:
            status.error(str(exc))
            self.kinds, self.offers = {}, {}
        self.found: list[Partner] = []
        self.reminders = text_block()
        self.reminders.add_class("collab-community-reminders")
        self.directory = text_block()
        self.directory.add_class("collab-community-partners")
        self.partner = widgets.Dropdown(description="Partner", options=[], layout=wide())
        self.on_pick(self.partner, lambda _value: self._draw_partner())
        self.details = text_block()
        self.details.add_class("collab-community-partner")
        self.activities = text_block()
        self.activities.add_class("collab-community-activities")
        editing = self._build_editing() if state.can_change else []
        self.one = card(
            [heading("One partner", 4), self.partner, self.details, *editing[1:2]],
            "collab-community-partner-card",
        )
        self.lay_out(
            [
                heading("Partners"),
                note(
                    "Organisations the school works with, what they offer, who to call, and "
                    "the agreements in force. An agreement ending within 30 days, or ended "
                    "in the last 30, with no next one, is listed first."
                ),
                self.reminders,
                self.directory,
                *editing[:1],
                self.one,
                heading("Activities with the community", 4),
                self.activities,
                *editing[2:],
            ],
            "collab-community-partners-tab",
        )

    def _build_editing(self) -> list[widgets.Widget]:
        """The coordinator's three forms: a new partner; a contact or agreement for the
        partner shown; a community activity."""
        today = self.scope.store.clock.today()
        self.name = widgets.Text(
            description="Name", placeholder="e.g. Riverside Library", layout=wide()
        )
        self.kind = widgets.Dropdown(
            description="Kind",
            options=[(name, kind) for kind, name in self.kinds.items()],
            tooltip="What sort of organisation it is",
        )
        self.offer_boxes = {
            offer: widgets.Checkbox(description=name, value=False, indent=False)
            for offer, name in self.offers.items()
        }
        offer_grid = widgets.GridBox(
            list(self.offer_boxes.values()),
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(200px, 1fr))"),
        )
        offer_grid.add_class("collab-community-offers")
        self.notes = widgets.Textarea(
            description="Notes", placeholder="anything worth knowing (optional)", layout=wide()
        )
        add = form_button(
            "Add the partner",
            "Add this organisation to the school's directory",
            [self.name, self.notes],
            "primary",
            "add-partner",
        )
        add.on_click(self.guard(lambda _b: self._add_partner()))
        adding = card(
            [
                heading("Add a partner", 4),
                row([self.name, self.kind]),
                text_block("<p><b>What they offer</b></p>"),
                offer_grid,
                self.notes,
                add,
            ],
            "collab-community-partner-add",
        )

        self.contact_name = widgets.Text(description="Contact", placeholder="name")
        self.contact_role = widgets.Text(description="Role", placeholder="e.g. volunteer lead")
        self.contact_reach = widgets.Text(
            description="Reach",
            placeholder="email or phone",
            tooltip="How to reach them: shown on the coordinator's page only",
        )
        add_contact = form_button(
            "Add the contact",
            "Someone at this partner to call or write to",
            [self.contact_name, self.contact_role, self.contact_reach],
            name="add-contact",
        )
        add_contact.on_click(self.guard(lambda _b: self._add_contact()))
        self.agreement_title = widgets.Text(
            description="Agreement", placeholder="e.g. Reading buddies 2026–27", layout=wide()
        )
        self.agreement_starts = widgets.DatePicker(description="Starts", value=today)
        self.agreement_ends = widgets.DatePicker(
            description="Ends", value=today + dt.timedelta(days=365)
        )
        add_agreement = form_button(
            "Add the agreement",
            "An agreement with this partner, with its dates (one at a time)",
            [self.agreement_title],
            name="add-agreement",
        )
        add_agreement.on_click(self.guard(lambda _b: self._add_agreement()))
        for_partner = stacked(
            [
                row([self.contact_name, self.contact_role, self.contact_reach, add_contact]),
                row([self.agreement_title, self.agreement_starts, self.agreement_ends]),
                add_agreement,
            ]
        )

        self.activity_title = widgets.Text(
            description="Activity", placeholder="e.g. Science fair judges", layout=wide()
        )
        self.activity_day = widgets.DatePicker(description="Held on", value=today)
        self.activity_kind = widgets.Dropdown(
            description="Involvement",
            options=tab.involvement_options(),
            tooltip="The type of involvement it served",
        )
        self.activity_people = widgets.BoundedIntText(
            description="Took part",
            value=0,
            min=0,
            max=rules.MAX_PARTICIPANTS,
            tooltip="How many people took part",
        )
        self.activity_partner = widgets.Dropdown(
            description="With", options=[NO_PARTNER_CHOSEN], layout=wide()
        )
        add_activity = form_button(
            "Record the activity",
            "It counts toward the plan's coverage of its type",
            [self.activity_title],
            name="add-community-activity",
        )
        add_activity.on_click(self.guard(lambda _b: self._add_activity()))
        recording = card(
            [
                heading("Record an activity", 4),
                row([self.activity_title, self.activity_day]),
                row([self.activity_kind, self.activity_people, self.activity_partner]),
                add_activity,
            ],
            "collab-community-activity-add",
        )
        return [adding, for_partner, recording]

    # --- drawing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.found = store.partners(self.scope)
        due = store.reminders(self.scope)
        self.reminders.value = "".join(
            f"<p class='collab-overdue' role='status'>{html.escape(r.message)}</p>" for r in due
        )
        if self.found:
            self.directory.value = html_table(
                ["Partner", "Kind", "Offers", "Contacts", "Agreement"],
                [
                    [
                        p.name,
                        self.kinds.get(p.kind, p.kind),
                        tab.words(p.offers, self.offers),
                        str(len(p.contacts)),
                        self._agreement_words(p),
                    ]
                    for p in self.found
                ],
                "collab-table collab-community-partner-table",
            )
        else:
            self.directory.value = note_html("No partner yet.")
        options = [(p.name, p.id) for p in self.found]
        tab.fill(self.partner, self, options)
        set_shown(self.one, bool(self.found))
        if self.state.can_change:
            tab.fill(self.activity_partner, self, [NO_PARTNER_CHOSEN, *options])
        self._draw_partner()
        self._draw_activities()

    def _agreement_words(self, partner: Partner) -> str:
        today = self.scope.store.clock.today()
        current = [a for a in partner.agreements if a.starts_on <= today <= a.ends_on]
        if current:
            return f"{current[0].title}, until {tab.day(current[0].ends_on)}"
        coming = [a for a in partner.agreements if a.starts_on > today]
        if coming:
            return f"{coming[0].title}, from {tab.day(coming[0].starts_on)}"
        return "none in force"

    def _shown(self) -> Partner | None:
        return next((p for p in self.found if p.id == self.partner.value), None)

    def _draw_partner(self) -> None:
        partner = self._shown()
        if partner is None:
            self.details.value = ""
            return
        coordinator = self.state.can_change
        contacts = (
            html_table(
                ["Contact", "Role", *(["Reach"] if coordinator else [])],
                [
                    [c.name, c.role or "—", *([c.reach or "—"] if coordinator else [])]
                    for c in partner.contacts
                ],
                "collab-table collab-community-contact-table",
            )
            if partner.contacts
            else note_html("No contact yet.")
        )
        agreements = (
            html_table(
                ["Agreement", "Starts", "Ends"],
                [[a.title, tab.day(a.starts_on), tab.day(a.ends_on)] for a in partner.agreements],
                "collab-table collab-community-agreement-table",
            )
            if partner.agreements
            else note_html("No agreement yet.")
        )
        notes = f"<p>{html.escape(partner.notes)}</p>" if partner.notes else ""
        self.details.value = (
            f"<p><b>{html.escape(partner.name)}</b> · "
            f"{html.escape(self.kinds.get(partner.kind, partner.kind))} · offers "
            f"{html.escape(tab.words(partner.offers, self.offers))}</p>"
            + notes
            + "<h5>Contacts</h5>"
            + contacts
            + "<h5>Agreements</h5>"
            + agreements
        )

    def _draw_activities(self) -> None:
        found = store.activities(self.scope)
        names = rules.involvement_names()
        self.activities.value = (
            html_table(
                ["Held on", "Activity", "Type of involvement", "Took part", "With"],
                [
                    [
                        tab.day(a.held_on),
                        a.title,
                        names.get(a.involvement, a.involvement),
                        str(a.participants),
                        a.partner or "—",
                    ]
                    for a in found
                ],
                "collab-table collab-community-activity-table",
            )
            if found
            else note_html("No activity with the community recorded yet.")
        )

    # --- actions ----------------------------------------------------------------------------

    def _add_partner(self) -> None:
        if self.kind.value is None:
            raise InvalidInput("Choose the kind of partner.")
        offers = [offer for offer, box in self.offer_boxes.items() if box.value]
        partner_id = store.add_partner(
            self.scope, self.name.value, self.kind.value, offers, self.notes.value
        )
        name = " ".join(self.name.value.split())
        self.name.value = self.notes.value = ""
        for box in self.offer_boxes.values():
            box.value = False
        self.state.changed()  # the directory redraws with it: then it is the one shown
        self.partner.value = partner_id
        self.status.ok(f"{name} is in the directory.")

    def _partner_id(self) -> int:
        return tab.need(self.partner.value, "a partner")

    def _add_contact(self) -> None:
        store.add_contact(
            self.scope,
            self._partner_id(),
            self.contact_name.value,
            self.contact_role.value,
            self.contact_reach.value,
        )
        self.contact_name.value = self.contact_role.value = self.contact_reach.value = ""
        self.state.changed()
        self.status.ok("The contact is added.")

    def _add_agreement(self) -> None:
        starts = tab.need(self.agreement_starts.value, "the day the agreement starts")
        ends = tab.need(self.agreement_ends.value, "the day the agreement ends")
        store.add_agreement(
            self.scope, self._partner_id(), self.agreement_title.value, starts, ends
        )
        self.agreement_title.value = ""
        self.state.changed()
        self.status.ok("The agreement is added: you are reminded before it ends.")

    def _add_activity(self) -> None:
        held = tab.need(self.activity_day.value, "the day of the activity")
        kind = tab.need(self.activity_kind.value, "the type of involvement")
        store.add_activity(
            self.scope,
            self.activity_title.value,
            held,
            kind,
            self.activity_people.value,
            self.activity_partner.value,
        )
        self.activity_title.value = ""
        self.activity_people.value = 0
        self.state.changed()
        self.status.ok("The activity is recorded.")
