"""A finished protocol run as HTML: roles, then each step with its notes and what its
board, vote or check came to. Everything people typed is escaped."""

from __future__ import annotations

import html

from collab_widgets.core.db import TeamScope
from collab_widgets.live import store as live
from collab_widgets.live.render import results_html
from collab_widgets.protocols.model import Run


def run_html(scope: TeamScope, run: Run) -> str:
    """The record of one run: roles, then each step with its notes and results."""
    roles = ", ".join(f"{role}: {html.escape(name)}" for role, name in run.role_names.items())
    parts = [f"<p><b>{html.escape(run.title)}</b> · {roles}</p>"]
    for step in run.steps:
        notes = html.escape(step.notes) if step.notes.strip() else ""
        parts.append(
            f"<h4>{step.position + 1}. {html.escape(step.title)} <small>({step.minutes} min)"
            "</small></h4>"
        )
        if notes:
            parts.append(f"<div class='collab-step-notes-shown'>{notes}</div>")
        if step.kind in ("board", "dot-vote", "fist-to-five", "rating"):
            parts.append(results_html(live.board(scope, step.prompt_id)))
    parts.append(f"<p><small>Source: {html.escape(run.source)}</small></p>")
    return "".join(parts)
