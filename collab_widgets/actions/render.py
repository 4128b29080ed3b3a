"""An action as HTML, for the action plan and for the actions a meeting carries over.
Everything people typed is escaped."""

from __future__ import annotations

import datetime as dt
import html

from collab_widgets.actions.model import Action


def action_html(action: Action, today: dt.date) -> str:
    """An action as a list item: its text, owner and due date, marked when overdue."""
    return f"<li>{html.escape(action.text)} {action_details(action, today)}</li>"


def action_details(action: Action, today: dt.date) -> str:
    """Its owner and due date, marked when overdue."""
    due = f", due {action.due_on:%d %b}" if action.due_on else ""
    late = " <b class='collab-overdue'>overdue</b>" if action.overdue(today) else ""
    owner = html.escape(action.owner or "nobody yet")
    return f"<small>({owner}{due})</small>{late}"
