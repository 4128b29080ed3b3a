"""The one state the community screens share: the school's scope (a coordinator's, who
changes things, or a principal's, who reads them), the mentoring programme, plan and
service project chosen on their tabs, and a revision every panel redraws on."""

from __future__ import annotations

import traitlets

from collab_widgets.core.db import SchoolScope
from collab_widgets.core.errors import InvalidInput

READ_ONLY = (
    "You are reading the school's partnerships with the principal's link: only the "
    "coordinator's link changes them."
)


class CommunityState(traitlets.HasTraits):
    """``programme_id``, ``plan_id`` and ``project_id`` are what the Mentoring, Plan and
    Service tabs show (None: none chosen yet); ``revision`` moves when something was saved
    from this page, and every panel redraws on it."""

    programme_id = traitlets.Int(None, allow_none=True)
    plan_id = traitlets.Int(None, allow_none=True)
    project_id = traitlets.Int(None, allow_none=True)
    revision = traitlets.Int(0)

    def __init__(self, scope: SchoolScope):
        super().__init__()
        self.scope = scope

    @property
    def can_change(self) -> bool:
        """Whether the page shows the coordinator's controls (the store checks again)."""
        return self.scope.can_change

    def chosen(self, name: str, what: str) -> int:
        """The chosen ``name`` id (``programme_id``…), or a plain message naming ``what``
        must be added or chosen first."""
        value = getattr(self, name)
        if value is None:
            raise InvalidInput(f"Add or choose {what} first.")
        return value

    def changed(self) -> None:
        """Something was saved from this page: panels redraw."""
        self.revision += 1
