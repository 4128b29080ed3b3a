"""Norms: the team's agreements, their categories and how well they were kept."""

from __future__ import annotations

from dataclasses import dataclass

NORM_CATEGORIES = (
    "time",
    "listening",
    "confidentiality",
    "decision-making",
    "participation",
    "expectations",
)


NORM_RATINGS = {1: "not kept", 2: "partly kept", 3: "mostly kept", 4: "fully kept"}


CHECK_PHASES = ("start", "end")


@dataclass(frozen=True)
class Norm:
    id: int
    category: str
    text: str
    position: int
    retired: bool
