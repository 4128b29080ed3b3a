"""Decisions and the action plan. A decision records what was decided, how (a consensus
check's result, a vote) and who was there; an action has an owner, a due date, a status and
what prompted it, and keeps every change in its history. Open actions carry into the next
meeting's agenda (:func:`carried_into`)."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from collab_widgets.actions import tables as t
from collab_widgets.actions.model import (
    ACTION_STATUSES,
    DECISION_METHODS,
    OPEN,
    OPEN_ACTION_STATUSES,
    Action,
    ActionChange,
    Decision,
)
from collab_widgets.core.db import activity, shared_text
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, TeamScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.core.model import check_text
from collab_widgets.meetings import store as meetings

MAX_ACTION = 500  # an action is one line people can act on
MAX_PROMPTED = 500  # what prompted an action: a decision's text, a protocol step
ELLIPSIS = "…"
UNCHANGED = object()  # update_action: leave this field as it is


def shortened(text: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters; else cut at the last word
    boundary before the limit, with "…" (so the result still fits). Only a first word
    longer than the limit (a pasted link) is cut inside itself."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    if not text[len(head)].isspace():  # the cut falls inside a word: drop that word
        words = head.rsplit(maxsplit=1)
        if len(words) == 2:
            head = words[0]
    return head.rstrip() + ELLIPSIS


# --- decisions ------------------------------------------------------------------------


def decide(
    scope: TeamScope,
    text: str,
    method: str,
    result: str = "",
    meeting_id: int | None = None,
    run_id: int | None = None,
) -> int:
    """Record a decision; who was present is taken from the meeting's attendance."""
    text = check_text(text, "decision").strip()
    if not text:
        raise InvalidInput("Write what was decided.", "decision")
    if method not in DECISION_METHODS:
        raise InvalidInput(f"Say how it was decided: {', '.join(DECISION_METHODS)}.", "method")
    result = check_text(result, "result")
    with scope.writing() as conn:
        if meeting_id is not None:
            meetings.require_meeting(conn, scope, meeting_id)
        decision_id = conn.execute(
            t.decisions.insert().values(
                team_id=scope.team_id,
                meeting_id=meeting_id,
                text=text,
                method=method,
                result=result,
                present=json.dumps(meetings.present(conn, meeting_id), ensure_ascii=False),
                run_id=run_id,
                decided_by=scope.member_id,
                decided_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        activity.record(
            conn, scope, "decision", f"Decided ({method}): {text[:160]}", f"decision/{decision_id}"
        )
    return decision_id


def decisions(scope: TeamScope, meeting_id: int | None = None) -> list[Decision]:
    """The team's decisions (or one meeting's), the latest first."""
    query = sa.select(t.decisions).where(
        t.decisions.c.team_id == scope.team_id, t.decisions.c.deleted_at.is_(None)
    )
    if meeting_id is not None:
        query = query.where(t.decisions.c.meeting_id == meeting_id)
    with scope.reading() as conn:
        rows = conn.execute(
            query.order_by(t.decisions.c.decided_at.desc(), t.decisions.c.id.desc())
        ).all()
    return [
        Decision(
            r.id,
            r.meeting_id,
            r.text,
            r.method,
            r.result,
            tuple(json.loads(r.present)),
            r.decided_at,
        )
        for r in rows
    ]


def reword_decision(
    scope: TeamScope, decision_id: int, typed: str, base: str | None = None
) -> None:
    """A recorded decision's wording, saved as typed over ``base`` (see
    ``check_unchanged``): how and by whom it was decided stay as recorded."""
    text = check_text(typed, "decision")
    if not text.strip():
        raise InvalidInput(
            "A decision cannot be blank: its last wording is kept until you type one.",
            "decision",
        )
    with scope.writing() as conn:
        shared_text.write(
            conn,
            scope,
            t.decisions,
            decision_id,
            "text",
            text,
            base,
            "That decision is no longer there (it may be in the trash).",
        )


def delete_decision(scope: TeamScope, decision_id: int) -> None:
    with scope.writing(Permission.FACILITATE) as conn:
        found = conn.execute(
            t.decisions.update()
            .where(
                t.decisions.c.id == decision_id,
                t.decisions.c.team_id == scope.team_id,
                t.decisions.c.deleted_at.is_(None),
            )
            .values(deleted_at=scope.store.now())
        ).rowcount
        if not found:
            raise NotFound("That decision is no longer there.")
        activity.record(conn, scope, "trash", "A decision was moved to the trash")


# --- actions --------------------------------------------------------------------------


def _check_action(text: str) -> str:
    text = check_text(text, "action").strip()
    if not text:
        raise InvalidInput("Write the action: who does what, e.g. “Reteach item 4 in groups”.")
    if len(text) > MAX_ACTION:
        raise InvalidInput(f"Keep an action to {MAX_ACTION} characters; add detail elsewhere.")
    return text


def _check_owner(conn: sa.Connection, scope: TeamScope, owner_id: int | None) -> None:
    if owner_id is None:
        return
    found = conn.execute(
        sa.select(core_tables.members.c.id).where(
            core_tables.members.c.id == owner_id,
            core_tables.members.c.team_id == scope.team_id,
            core_tables.members.c.deleted_at.is_(None),
        )
    ).first()
    if found is None:
        raise InvalidInput("That owner is not on the team's roster any more; choose another.")


def _note(conn: sa.Connection, scope: TeamScope, action_id: int, change: str) -> None:
    conn.execute(
        t.action_history.insert().values(
            team_id=scope.team_id,
            action_id=action_id,
            member_id=scope.member_id,
            at=scope.store.now(),
            change=change,
        )
    )


def add_action(
    scope: TeamScope,
    text: str,
    owner_id: int | None = None,
    due_on: dt.date | None = None,
    meeting_id: int | None = None,
    prompted_by: str = "",
    decision_id: int | None = None,
) -> int:
    text = _check_action(text)
    # a decision's whole text (up to MAX_TEXT) may be chosen: shorten it at a word, never
    # refuse it, and never cut a word in two
    prompted_by = check_text(shortened(prompted_by or "", MAX_PROMPTED), "what prompted it")
    with scope.writing() as conn:
        _check_owner(conn, scope, owner_id)
        if meeting_id is not None:
            meetings.require_meeting(conn, scope, meeting_id)
        action_id = conn.execute(
            t.actions.insert().values(
                team_id=scope.team_id,
                meeting_id=meeting_id,
                text=text,
                owner_id=owner_id,
                due_on=due_on,
                status=OPEN,
                prompted_by=prompted_by,
                decision_id=decision_id,
                created_by=scope.member_id,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        _note(conn, scope, action_id, "created")
        activity.record(conn, scope, "action", f"Action added: {text[:160]}", f"action/{action_id}")
    return action_id


def _query():
    return sa.select(t.actions, core_tables.members.c.name.label("owner_name")).outerjoin(
        core_tables.members, core_tables.members.c.id == t.actions.c.owner_id
    )


def _action(r) -> Action:
    return Action(
        id=r.id,
        meeting_id=r.meeting_id,
        text=r.text,
        owner_id=r.owner_id,
        owner=r.owner_name or "",
        due_on=r.due_on,
        status=r.status,
        prompted_by=r.prompted_by,
        created_at=r.created_at,
    )


def actions(scope: TeamScope, open_only: bool = False) -> list[Action]:
    """The team's actions: open ones first, by due date (undated last), then the rest."""
    query = _query().where(t.actions.c.team_id == scope.team_id, t.actions.c.deleted_at.is_(None))
    if open_only:
        query = query.where(t.actions.c.status.in_(OPEN_ACTION_STATUSES))
    with scope.reading() as conn:
        found = [_action(r) for r in conn.execute(query)]
    return sorted(
        found, key=lambda a: (not a.is_open, a.due_on is None, a.due_on or dt.date.max, a.id)
    )


def carried_into(scope: TeamScope, meeting_id: int) -> list[Action]:
    """Open actions from before this meeting: what its agenda follows up."""
    with scope.reading() as conn:
        meetings.require_meeting(conn, scope, meeting_id)
        date = meetings.meeting_date(conn, meeting_id)
        earlier = meetings.earlier_than(scope, date)
        rows = conn.execute(
            _query().where(
                t.actions.c.team_id == scope.team_id,
                t.actions.c.deleted_at.is_(None),
                t.actions.c.status.in_(OPEN_ACTION_STATUSES),
                sa.or_(
                    t.actions.c.meeting_id.in_(earlier),
                    # an action added between meetings (up to the meeting's own day) is
                    # followed up at the next one
                    sa.and_(
                        t.actions.c.meeting_id.is_(None),
                        t.actions.c.created_at
                        < dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), dt.UTC),
                    ),
                ),
            )
        ).all()
    return sorted(
        (_action(r) for r in rows), key=lambda a: (a.due_on is None, a.due_on or dt.date.max, a.id)
    )


_NO_ACTION = "That action is no longer there (it may be in the trash)."


def _require_action(conn: sa.Connection, scope: TeamScope, action_id: int):
    row = conn.execute(
        _query().where(
            t.actions.c.id == action_id,
            t.actions.c.team_id == scope.team_id,
            t.actions.c.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound(_NO_ACTION)
    return row


def update_action(
    scope: TeamScope,
    action_id: int,
    *,
    status: str | None = None,
    owner_id: int | None | object = UNCHANGED,
    due_on: dt.date | None | object = UNCHANGED,
) -> None:
    """Change an action's status, owner or due date; each change goes into its history."""
    if status is not None and status not in ACTION_STATUSES:
        raise InvalidInput(f"Choose the status from: {', '.join(ACTION_STATUSES)}.")
    with scope.writing() as conn:
        row = _require_action(conn, scope, action_id)
        values, changes = {}, []
        if status is not None and status != row.status:
            values["status"] = status
            changes.append(f"status: {row.status} → {status}")
        if owner_id is not UNCHANGED and owner_id != row.owner_id:
            _check_owner(conn, scope, owner_id)
            values["owner_id"] = owner_id
            changes.append("owner changed")
        if due_on is not UNCHANGED and due_on != row.due_on:
            values["due_on"] = due_on
            changes.append(f"due: {due_on:%d %b %Y}" if due_on else "due date removed")
        if not values:
            return
        conn.execute(t.actions.update().where(t.actions.c.id == action_id).values(**values))
        for change in changes:
            _note(conn, scope, action_id, change)
        activity.record(
            conn,
            scope,
            "action",
            f"Action “{row.text[:80]}”: {'; '.join(changes)}",
            f"action/{action_id}",
        )


def set_text(scope: TeamScope, action_id: int, typed: str, base: str | None = None) -> None:
    """The action's wording, saved as typed over ``base`` (see ``check_unchanged``); its
    history notes status, owner and date."""
    _check_action(typed)  # not blank, not too long
    text = check_text(typed, "action")  # as typed: a space between two words stays
    with scope.writing() as conn:
        shared_text.write(conn, scope, t.actions, action_id, "text", text, base, _NO_ACTION)


def history(scope: TeamScope, action_id: int) -> list[ActionChange]:
    with scope.reading() as conn:
        _require_action(conn, scope, action_id)
        rows = conn.execute(
            sa.select(t.action_history, core_tables.members.c.name.label("who"))
            .outerjoin(
                core_tables.members, core_tables.members.c.id == t.action_history.c.member_id
            )
            .where(t.action_history.c.action_id == action_id)
            .order_by(t.action_history.c.at, t.action_history.c.id)
        ).all()
    return [ActionChange(r.at, r.who, r.change) for r in rows]


def delete_action(scope: TeamScope, action_id: int) -> None:
    with scope.writing(Permission.FACILITATE) as conn:
        row = _require_action(conn, scope, action_id)
        conn.execute(
            t.actions.update()
            .where(t.actions.c.id == action_id)
            .values(deleted_at=scope.store.now())
        )
        activity.record(conn, scope, "trash", f"Action “{row.text[:80]}” moved to the trash")
