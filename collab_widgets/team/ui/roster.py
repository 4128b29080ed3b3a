"""The roster, the rotating roles and the links to share."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.codes import display
from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.model import ROLES
from collab_widgets.core.ui.autosave import autosave
from collab_widgets.core.ui.browser_parts import CopyLink
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    note,
    refill,
    replace_children,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.team import links
from collab_widgets.team.store import members, teams


class RosterPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        on_own_link_changed: Callable[[], None] = lambda: None,
    ):
        self.scope = scope
        self.status = status
        self.indicator = indicator
        self.on_own_link_changed = on_own_link_changed
        self.rows = stacked()
        self.rows.add_class("collab-roster")
        self.roles = stacked()
        self.links = stacked()
        self.new_member = widgets.Text(
            description="Name",
            placeholder="New member's name",
            tooltip="First name and initial is enough",
        )
        self.new_member.add_class("collab-new-member")
        self.add_button = form_button(
            "Add to roster",
            "Add this person to the team",
            [self.new_member],
            "primary",
            "add-member",
        )
        self.add_button.on_click(guarded(status)(self._add))
        super().__init__(
            [
                heading("Who is on the team"),
                self.rows,
                side_by_side([self.new_member, self.add_button]),
                heading("Roles this meeting"),
                note("Roles rotate so that everyone facilitates, keeps time and records in turn."),
                self.roles,
                heading("Links"),
                self.links,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        people = members.roster(self.scope)
        roles = members.current_roles(self.scope)
        manages = self.scope.allows(Permission.MANAGE)  # who is on it, its roles, its code
        held = {}
        for role, member in roles.items():
            held.setdefault(member.id, []).append(role)
        history = members.role_history(self.scope)
        rows = []
        for member in people:
            badge = ", ".join(held.get(member.id, []))
            so_far = ", ".join(
                f"{role} {history[member.id][role]}×"
                for role in ROLES
                if history.get(member.id, {}).get(role)
            )
            about = (
                f' <span class="collab-badge">{html.escape(badge)}</span>' if badge else ""
            ) + (f' <small class="collab-held">held so far: {so_far}</small>' if so_far else "")
            if member.id == self.scope.member_id:
                row = [self._own_name(member), text_block(f"(you){about}")]
            else:
                name = f'<span class="collab-member">{html.escape(member.name)}</span>'
                row = [text_block(name + about)]
            if manages:
                row.append(
                    Confirm(
                        "Remove",
                        f"Move {member.name} to the trash (can be restored)",
                        f"Take {member.name} off the team? Their links stop working; they "
                        "can be restored from the trash.",
                        "Yes, remove",
                        lambda m=member.id: self._remove(m),
                        self.status,
                        name="remove-member",
                    )
                )
            rows.append(side_by_side(row))
        if not rows:
            rows = [note("Nobody yet: add the first names below.")]
        replace_children(self.rows, rows)
        # before any role was ever given, any member may start the first fair rotation
        self._show_roles(people, roles, manages, may_rotate=manages or not history)
        self._show_links(people, manages)

    def _own_name(self, member) -> widgets.Text:
        """Your own name, renamed as you type (the own-entry rule: only yours)."""
        name = widgets.Text(
            value=member.name,
            description="Your name",
            continuous_update=True,
            tooltip="Change how your name is shown; saved as you type",
        )
        name.add_class("collab-own-name")
        autosave(name, lambda v: members.rename(self.scope, member.id, v), self.indicator)
        return name

    def _show_roles(self, people, roles, manages: bool, may_rotate: bool) -> None:
        summary = "; ".join(f"{role}: {roles[role].name}" for role in ROLES if role in roles)
        children: list[widgets.Widget] = [
            text_block(f"<p>{html.escape(summary or 'No roles given yet.')}</p>")
        ]
        if may_rotate and people:
            rotate = button(
                "Rotate roles", "Give each role to the next person in turn", "info", "rotate"
            )
            rotate.on_click(guarded(self.status)(self._rotate))
            children.append(rotate)
        if manages and people:
            pickers = []
            for role in ROLES:
                picker = widgets.Dropdown(description=role.capitalize())
                # "—" (no one) when nobody holds the role: refill selects it
                refill(
                    picker,
                    [("—", None)] + [(m.name, m.id) for m in people],
                    keep=roles[role].id if role in roles else None,
                )
                picker.observe(
                    guarded(self.status)(lambda change, r=role: self._assign(r, change["new"])),
                    "value",
                )
                pickers.append(picker)
            children.append(side_by_side(pickers))
        replace_children(self.roles, children)

    def _show_links(self, people, manages: bool) -> None:
        """The team link for all; personal links only as the store hands them to this
        page: the reader's own, or every one for a coach."""
        code = teams.team_code(self.scope)
        children: list[widgets.Widget] = [
            text_block(
                f"<p><b>Team code</b> <code class='collab-team-code'>{display(code)}</code> — "
                "the team link, on which each member takes their name once:</p>"
            ),
            CopyLink(value=links.team_link(code), description="Copy the team link"),
        ]
        if self.scope.actor.is_coach:
            children.append(
                note(
                    "Personal links: each opens the workbook as that person on any device. "
                    "Send each only to its owner. For someone who has lost their link, make "
                    "a new one: the old link stops working, and their name stays theirs."
                )
            )
            children += [self._coach_link_row(code, m) for m in people]
        own = [m for m in people if m.id == self.scope.member_id and m.token]
        if own:
            children += [
                note("Your personal link opens the workbook as you on any device; keep it."),
                CopyLink(
                    value=links.personal_link(code, own[0].token),
                    description="Copy your personal link",
                ),
            ]
            children.append(
                Confirm(
                    "Renew my personal link",
                    "Make a new personal link for you; the old one stops working",
                    "Make a new personal link? The old one stops working on every device "
                    "that has it.",
                    "Yes, renew it",
                    self._renew_link,
                    self.status,
                    name="renew-link",
                )
            )
        if manages:
            children.append(
                Confirm(
                    "Change the team code",
                    "After a leak: a new team code and new personal links for everyone; the "
                    "old team link and every old personal link stop working",
                    "Change the team code? The team link and everyone's personal links stop "
                    "working at once; you then share the new ones.",
                    "Yes, change it",
                    self._rotate_code,
                    self.status,
                    style="warning",
                    name="rotate-code",
                )
            )
        replace_children(self.links, children)

    def _coach_link_row(self, code: str, member) -> widgets.HBox:
        state = "has taken their name" if member.claimed else "has not taken their name yet"
        row: list[widgets.Widget] = [
            text_block(f"<b>{html.escape(member.name)}</b> <small>{state}</small>"),
            CopyLink(
                value=links.personal_link(code, member.token),
                description=f"Copy {member.name}'s personal link",
            ),
        ]
        row.append(
            Confirm(
                "New link",
                f"Make a new personal link for {member.name}; the old one stops working",
                f"Make a new personal link for {member.name}? Their old one stops working.",
                "Yes, new link",
                lambda m=member: self._renew_for(m),
                self.status,
                name="renew-member-link",
            )
        )
        return side_by_side(row)

    def _add(self, _button=None) -> None:
        member = members.add(self.scope, self.new_member.value)
        self.new_member.value = ""
        self.status.ok(f"{member.name} is on the roster.")
        self.refresh()

    def _remove(self, member_id: int) -> None:
        members.remove(self.scope, member_id)
        self.status.ok("Moved to the trash. You can restore them from the Trash tab.")
        self.refresh()

    def _rotate(self, _button=None) -> None:
        chosen = members.rotate_roles(self.scope)
        self.status.ok("New roles: " + "; ".join(f"{r}: {m.name}" for r, m in chosen.items()))
        self.refresh()

    def _assign(self, role: str, member_id: int | None) -> None:
        current = members.current_roles(self.scope).get(role)
        if member_id is None or (current and current.id == member_id):
            return
        members.assign_role(self.scope, role, member_id)
        self.status.ok(f"Roles updated: {role} changed.")
        self.refresh()

    def _renew_link(self, _button=None) -> None:
        teams.rotate_member_token(self.scope, self.scope.member_id)
        self.status.ok(
            "Your new personal link is below; bookmark it. The old one stops "
            "working now (this page keeps working)."
        )
        self.refresh()
        self.on_own_link_changed()

    def _rotate_code(self, _button=None) -> None:
        code = teams.rotate_team_code(self.scope)
        self.status.ok(
            f"New team code {display(code)}. The old team link and every personal link stop "
            "working, with the pages opened with them (this page keeps working). Share the "
            "new team link; your coach sends each member their new personal link."
        )
        self.refresh()
        self.on_own_link_changed()

    def _renew_for(self, member) -> None:
        teams.rotate_member_token(self.scope, member.id)
        self.status.ok(
            f"{member.name} has a new personal link, below; send it to them. Their old link "
            "has stopped working."
        )
        self.refresh()
