"""Fair rotation of meeting roles.

Rotation ``k`` gives role ``j`` to member ``(k + j) mod n`` of the roster in joining order.
Over any ``k·n`` consecutive rotations of an unchanged roster, every member holds every role
exactly ``k`` times; with fewer members than roles, people double up the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from collab_widgets.core.model import ROLES


def assignment(
    rotation: int, roster: Sequence[int], roles: Sequence[str] = ROLES
) -> dict[str, int]:
    """Which member id holds each role in the given rotation number."""
    if not roster:
        return {}
    n = len(roster)
    return {role: roster[(rotation + j) % n] for j, role in enumerate(roles)}
