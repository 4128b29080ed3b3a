"""The one state the students' screens share: which class is open, whether the visitor is
its teacher, whether names show, and the class's change counter (students answering move
it)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

import ipywidgets as widgets
import traitlets

from collab_widgets.core.db import TeamScope
from collab_widgets.students.model import Student
from collab_widgets.students.store import classes

# what a panel says near its tables while students show under pseudonyms
PSEUDONYMS_HINT = "Pseudonyms shown — Show names on the Class tab"
NAMES_NOTE = "Names on every tab; pseudonyms when the screen is shared"
NAMES_TIP = "Show the students' names on every tab (hide them on a projector)"


class ClassState(traitlets.HasTraits):
    """``class_id`` is the open class (None: none yet); ``yours`` whether the scope is its
    teacher (only they change it); ``names`` whether the scope may see names (a team member;
    not a coach or a team-link visitor); ``revision`` moves when the class changes (a
    student answered, groups were saved), and every panel refreshes on it.

    ``show_names``: whether students show by their display names, on every tab, because
    a member chose it (one switch for the page; pseudonyms by default, as on the Evidence
    pages, since a team's screen is often projected). Never for a coach or a team-link
    visitor: ``names`` False forces it False (and the store gives those scopes pseudonyms
    only anyway)."""

    class_id = traitlets.Int(None, allow_none=True)
    yours = traitlets.Bool(False)
    names = traitlets.Bool(False)
    show_names = traitlets.Bool(False)
    revision = traitlets.Int(0)

    def __init__(self, scope: TeamScope):
        super().__init__()
        self.scope = scope
        self.names = classes.sees_names(scope)

    @traitlets.validate("show_names")
    def _only_for_members(self, proposal) -> bool:
        return bool(proposal["value"]) and self.names

    @traitlets.observe("names")
    def _names_taken_away(self, change) -> None:
        if not change["new"]:
            self.show_names = False

    @property
    def names_shown(self) -> bool:
        """Whether students show by name now (a member who chose it)."""
        return self.names and self.show_names

    def shown_name(self, student: Student) -> str:
        """How ``student`` is named on screen now: the display name or the pseudonym."""
        return student.display_name if self.names_shown else student.pseudonym

    def shown_names(self, roster: Iterable[Student]) -> dict[str, str]:
        """Each student's id (as text) -> how they are named on screen now."""
        return {str(s.id): self.shown_name(s) for s in roster}

    def open_class(self, class_id: int | None) -> None:
        """Open ``class_id`` (None: no class); panels observe ``class_id``."""
        if class_id is None:
            self.yours = False
        else:
            info = classes.class_info(self.scope, class_id)
            self.yours = info.yours
        self.class_id = class_id

    def changed(self) -> None:
        """Something of the open class was saved from this page: panels refresh."""
        self.revision += 1


class NamesToggle(widgets.ToggleButton):
    """ "Show names": a switch bound both ways to ``state.show_names`` (a tab may have
    one; they all move together). For a coach or a team-link visitor it springs back
    off, whatever the browser sends."""

    def __init__(self, state: ClassState, tooltip: str = NAMES_TIP):
        super().__init__(
            value=state.names_shown, description="Show names", tooltip=tooltip, icon=""
        )
        self.add_class("collab-show-names")
        self.class_state = state
        self.observe(self._toggled, "value")
        state.observe(self._followed, "show_names")

    def _toggled(self, change) -> None:
        self.class_state.show_names = bool(change["new"])
        if self.value != self.class_state.show_names:  # refused (not a member): back off
            self.value = self.class_state.show_names

    def _followed(self, change) -> None:
        if self.value != change["new"]:
            self.value = change["new"]

    def close(self) -> None:
        with contextlib.suppress(ValueError):  # the page may have let go of it already
            self.class_state.unobserve(self._followed, "show_names")
        super().close()
