"""The one state the students' screens share: which class is open, whether the visitor is
its teacher, and the class's change counter (students answering move it)."""

from __future__ import annotations

import traitlets

from collab_widgets.core.db import TeamScope
from collab_widgets.students.store import classes


class ClassState(traitlets.HasTraits):
    """``class_id`` is the open class (None: none yet); ``yours`` whether the scope is its
    teacher (only they change it); ``names`` whether the scope may see names (a team member;
    not a coach or a team-link visitor); ``revision`` moves when the class changes (a
    student answered, groups were saved), and every panel refreshes on it."""

    class_id = traitlets.Int(None, allow_none=True)
    yours = traitlets.Bool(False)
    names = traitlets.Bool(False)
    revision = traitlets.Int(0)

    def __init__(self, scope: TeamScope):
        super().__init__()
        self.scope = scope
        self.names = classes.sees_names(scope)

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
