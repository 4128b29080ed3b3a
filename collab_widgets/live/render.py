"""A live prompt's notes and outcome as HTML, for the board, for earlier runs and for
other live results (a run's voices, a workshop's answers). Everything people typed is
escaped."""

from __future__ import annotations

import html

from collab_widgets.core.charts import PALETTE
from collab_widgets.live.model import Board, LiveNote
from collab_widgets.live.rules import grouped, spread, vote_results

FIST_WORDS = {
    0: "block",
    1: "serious doubts",
    2: "doubts",
    3: "can live with it",
    4: "support",
    5: "champion",
}


def note_text(note: LiveNote) -> str:
    return html.escape(note.text).replace("\n", "<br>")


def byline(note: LiveNote) -> str:
    return html.escape(note.author) if note.author else "anonymous"


def bars_html(rows: list[tuple[str, int]], total: int, colour: str = PALETTE[0]) -> str:
    """Horizontal bars with their counts written out (labels must be escaped already)."""
    lines = []
    for label, count in rows:
        width = 0 if not total else round(100 * count / total)
        lines.append(
            f"<div class='collab-bar-row'><span class='collab-bar-label'>{label}</span>"
            f"<span class='collab-bar'><span style='width:{width}%;background:{colour}'>"
            f"</span></span><span class='collab-bar-count'>{count}</span></div>"
        )
    return "".join(lines)


def results_html(board: Board) -> str:
    """What a closed prompt came to, for the page and for earlier runs."""
    prompt = board.prompt
    if prompt.kind == "board":
        written = [n for n in board.notes if n.text.strip()]
        if not written:
            return "<p class='collab-note'>No notes were added.</p>"
        parts = []
        for group, notes in grouped(written):
            items = "".join(f"<li>{note_text(n)} <small>— {byline(n)}</small></li>" for n in notes)
            parts.append(f"<p><b>{html.escape(group)}</b></p><ul>{items}</ul>")
        return "".join(parts)
    if prompt.kind == "dot-vote":
        if board.totals is None:
            return f"<p class='collab-note'>{board.answered} voted so far.</p>"
        rows = [(note_text(n), dots) for n, dots in vote_results(board.notes, board.totals)]
        return bars_html(rows, max([d for _, d in rows] or [0]), PALETTE[2])
    if prompt.kind in ("fist-to-five", "rating") and board.marks is not None:
        fist = prompt.kind == "fist-to-five"
        low, high = prompt.mark_range
        result = spread(board.marks, low, high, fist=fist)
        labels = [
            (f"{v} {FIST_WORDS[v]}" if fist else str(v), result.counts[v])
            for v in range(low, high + 1)
        ]
        text = bars_html(labels, result.total, PALETTE[1])
        if result.average is not None:
            text += f"<p>{result.total} answered; average {result.average:.1f}.</p>"
        if result.to_hear:
            names = ", ".join(html.escape(name) for name in result.to_hear)
            text += (
                "<p class='collab-msg collab-info'>Hear from those at 0, 1 or 2 before "
                f"deciding: {names}.</p>"
            )
        return text
    return ""
