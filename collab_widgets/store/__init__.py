"""The database: the only package that speaks SQL. Import aggregates from here."""

from . import (
    activity,
    evidence,
    goals,
    lifecycle,
    live,
    meetings,
    members,
    norms,
    runs,
    teams,
    trash,
)
from .database import (
    Actor,
    CoachScope,
    Permission,
    Store,
    TeamScope,
    default_url,
    describe,
    url_for,
)

__all__ = [
    "Actor",
    "CoachScope",
    "Permission",
    "Store",
    "TeamScope",
    "activity",
    "default_url",
    "describe",
    "evidence",
    "goals",
    "lifecycle",
    "live",
    "meetings",
    "members",
    "norms",
    "runs",
    "teams",
    "trash",
    "url_for",
]
