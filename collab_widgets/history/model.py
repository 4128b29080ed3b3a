"""The trash: what was deleted and can be restored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TrashItem:
    kind: str
    id: int
    label: str
    deleted_at: dt.datetime
