"""Reflections: What? So what? Now what?"""

from __future__ import annotations

from dataclasses import dataclass

REFLECTION_PARTS = ("what", "so_what", "now_what")  # What? So what? Now what?


@dataclass(frozen=True)
class Reflection:
    """What? So what? Now what? — a member's own (private) or the team's synthesis."""

    meeting_id: int
    what: str = ""
    so_what: str = ""
    now_what: str = ""
