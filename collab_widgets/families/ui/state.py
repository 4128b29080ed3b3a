"""The one state the families' screens share: which class is open, whether the visitor is
its teacher (the only one who manages its families), and the class's change counter
(families writing goals, choosing times or signing up move it)."""

from __future__ import annotations

import traitlets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.families.model import Family
from collab_widgets.students.model import ClassInfo
from collab_widgets.students.store import classes


class FamilyState(traitlets.HasTraits):
    """``class_id`` is the open class (None: none yet); ``yours`` whether the scope is its
    teacher, a member on their own link (never a coach, even acting for a member): only
    they see and change its families, contacts, meetings' results, goals, conference
    notes and attendance; everyone else reads the class's numbers. ``revision`` moves
    when something of the class was saved from this page; every panel redraws on it."""

    class_id = traitlets.Int(None, allow_none=True)
    yours = traitlets.Bool(False)
    revision = traitlets.Int(0)
    # children show under the team's pseudonyms until a member chooses names (a team's
    # screen is often projected), as on Students together; never for anyone else
    show_names = traitlets.Bool(False)

    def __init__(self, scope: TeamScope):
        super().__init__()
        self.scope = scope
        self.member = classes.sees_names(scope)  # a member of the team, on their own link
        self.names = self.member  # what the "Show names" switch asks of a state
        self.info: ClassInfo | None = None

    @traitlets.validate("show_names")
    def _only_for_members(self, proposal) -> bool:
        return bool(proposal["value"]) and self.member

    @traitlets.observe("show_names")
    def _names_switched(self, _change) -> None:
        self.revision += 1  # every panel redraws with the names, or the pseudonyms

    @property
    def names_shown(self) -> bool:
        return self.member and self.show_names

    def child_of(self, family: Family) -> str:
        """How a family's child is named on screen now."""
        return (family.child if self.names_shown else family.pseudonym) or "(no name)"

    def open_class(self, class_id: int | None) -> None:
        """Open ``class_id`` (None: no class); panels observe ``class_id``."""
        self.info = None if class_id is None else classes.class_info(self.scope, class_id)
        self.yours = self.member and self.info is not None and self.info.yours
        self.class_id = class_id

    def open_class_id(self) -> int:
        """The open class's id, or a plain message that one must be chosen first."""
        if self.class_id is None:
            raise InvalidInput("Choose a class on the Families tab first.")
        return self.class_id

    @property
    def teacher_name(self) -> str:
        return self.info.owner_name if self.info is not None else ""

    def changed(self) -> None:
        """Something of the open class was saved from this page: panels redraw."""
        self.revision += 1
