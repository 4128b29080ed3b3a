"""Helpers for the store tests: a facilitator, a second team, activity of one kind, every
row in the database, and typed texts that must stay text."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db import activity
from collab_widgets.team.store import members, teams

EVIL = "<script>alert(1)</script> <img src=x onerror=alert(2)> & {{ 7*7 }}"
FIST = "fist-to-five"
PRIVATE = "PRIVATE-REFLECTION-MARKER-5e1f"


def facilitated_by_ana(team):
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)


def other_team(team):
    """A second team of the same coach, and a scope of its one member."""
    other = teams.create_team(team.coach, "Grade 5 Science")
    dee = members.add(other, "Dee")
    return team.store.open_team(teams.team_code(other), dee.token)


def activity_of_kind(scope, kind):
    return [e for e in activity.entries(scope) if e.kind == kind]


def all_rows(store) -> dict[str, list[tuple]]:
    """Every row of every table in the database, read with raw SQL."""
    inspector = sa.inspect(store.engine)
    found = {}
    with store.engine.connect() as conn:
        for name in inspector.get_table_names():
            columns = [c["name"] for c in inspector.get_columns(name)]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = conn.execute(sa.text(f'SELECT {quoted} FROM "{name}"')).all()
            found[name] = sorted(tuple(zip(columns, map(str, r), strict=True)) for r in rows)
    return found
