"""The database every domain shares: the engine, the scopes a visitor acts in, migrations,
the activity record and the one rule for saving a shared text. Each domain's own SQL is in
that domain's ``store``; its tables in its ``tables``."""

from sqlalchemy import Connection  # a transaction, as code outside the stores names it

from collab_widgets.core.db.database import (
    Actor,
    CoachScope,
    HubVisitor,
    Permission,
    SchoolScope,
    Store,
    TeamScope,
    default_url,
    describe,
    url_for,
)

__all__ = [
    "Actor",
    "Connection",
    "CoachScope",
    "HubVisitor",
    "Permission",
    "SchoolScope",
    "Store",
    "TeamScope",
    "default_url",
    "describe",
    "url_for",
]
