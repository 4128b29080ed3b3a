"""Charts as PNG bytes with alt text: one colour-blind-safe palette, labelled axes, counts.

Only :class:`matplotlib.figure.Figure` is used (never pyplot), so charts are safe in a
server where many kernels draw at once.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


@dataclass(frozen=True)
class Chart:
    png: bytes
    alt: str


def plain(text: str, width: int = 38) -> str:
    """User text made safe for a matplotlib label: no math parsing, wrapped, shortened."""
    shortened = textwrap.shorten(text or "(blank)", width=width * 2, placeholder="…")
    return "\n".join(textwrap.wrap(shortened, width)).replace("$", r"\$")


def to_png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def norms_check_chart(
    labels: list[str], start: list[float | None], end: list[float | None], counts: list[str]
) -> Chart:
    """Horizontal bars: how well each norm was kept, at the start and end of a meeting."""
    from matplotlib.figure import Figure

    height = 1.0 + 0.55 * max(1, len(labels))
    figure = Figure(figsize=(7.5, height))
    axes = figure.add_subplot()
    positions = range(len(labels))
    bar = 0.38
    for offset, values, name, colour in (
        (-bar / 2, start, "Start of meeting", PALETTE[0]),
        (bar / 2, end, "End of meeting", PALETTE[1]),
    ):
        shown = [v or 0 for v in values]
        bars = axes.barh(
            [p + offset for p in positions], shown, height=bar, label=name, color=colour
        )
        for rect, value in zip(bars, values, strict=True):
            if value is not None:
                axes.text(
                    rect.get_width() + 0.05,
                    rect.get_y() + rect.get_height() / 2,
                    f"{value:.1f}",
                    va="center",
                    fontsize=8,
                )
    axes.set_yticks(
        list(positions),
        [f"{plain(label)}\n({n})" for label, n in zip(labels, counts, strict=True)],
        fontsize=8,
    )
    axes.invert_yaxis()
    axes.set_xlim(0, 4.5)
    axes.set_xticks([1, 2, 3, 4], ["1 not kept", "2 partly", "3 mostly", "4 fully kept"])
    axes.set_xlabel("Average mark (number of marks in brackets)")
    axes.set_title("Norms check", loc="left")
    axes.legend(loc="lower right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    parts = []
    for label, s, e in zip(labels, start, end, strict=True):
        s_text = "no marks" if s is None else f"{s:.1f}"
        e_text = "no marks" if e is None else f"{e:.1f}"
        parts.append(f"{textwrap.shorten(label, 60)}: start {s_text}, end {e_text}")
    alt = "Norms check, average mark from 1 (not kept) to 4 (fully kept). " + "; ".join(parts)
    return Chart(to_png(figure), alt)
