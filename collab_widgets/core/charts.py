"""Charts as PNG bytes with alt text: one colour-blind-safe palette, labelled axes, counts.

Only :class:`matplotlib.figure.Figure` is used (never pyplot), so charts are safe in a
server where many kernels draw at once.
"""

from __future__ import annotations

import functools
import io
import textwrap

from collab_widgets.core.model import plural

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


class Chart:
    """A chart's alt text, and its PNG drawn the first time it is asked for (drawing is
    most of a chart's cost: a page can send its text first)."""

    def __init__(self, figure, alt: str):
        self._figure = figure
        self.alt = alt

    @functools.cached_property
    def png(self) -> bytes:
        png, self._figure = to_png(self._figure), None
        return png


def plain(text: str, width: int = 38) -> str:
    """User text made safe for a matplotlib label: no math parsing, wrapped, shortened."""
    shortened = textwrap.shorten(text or "(blank)", width=width * 2, placeholder="…")
    return "\n".join(textwrap.wrap(shortened, width)).replace("$", r"\$")


def to_png(figure) -> bytes:
    buffer = io.BytesIO()
    # no "Software: … https://matplotlib.org" in the file: a record holds no address at all
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def warm_up() -> None:
    """Draw one small chart and throw it away: the first chart in a process also imports
    matplotlib and loads its fonts (most of a second), which a page whose first view has a
    chart should pay for while its kernel is preheated."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    axes = figure.add_subplot()
    axes.barh([0, 1], [1, 2], color=PALETTE[:2], label="warm")
    axes.set_xlabel("x")
    axes.legend()
    to_png(figure)


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
    return Chart(figure, alt)


def _finish(axes) -> None:
    axes.spines[["top", "right"]].set_visible(False)


def percent_bars(
    title: str,
    labels: list[str],
    percents: list[float | None],
    counts: list[int | None],
    what: str,
    line: float | None = None,
) -> Chart:
    """Horizontal bars of percents (0-100) with each bar's n; None is a suppressed or
    empty bar, drawn as such. ``line`` marks a cut (e.g. the proficient cut)."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 1.0 + 0.32 * max(1, len(labels))))
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    shown = [p if p is not None else 0.0 for p in percents]
    colours = [
        PALETTE[5] if line is not None and p is not None and p < line else PALETTE[0]
        for p in percents
    ]
    axes.barh(positions, shown, color=colours, height=0.7)
    for position, percent, n in zip(positions, percents, counts, strict=True):
        text = "not shown (small group)" if percent is None else f"{percent:.0f}%"
        if percent is not None and n is not None:
            text += f"  n={n}"
        axes.text((percent or 0) + 1, position, text, va="center", fontsize=8)
    axes.set_yticks(positions, [plain(label, 30) for label in labels], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 115)
    axes.set_xticks([0, 20, 40, 60, 80, 100])
    axes.set_xlabel(what)
    if line is not None:
        axes.axvline(line, color="#444444", linestyle="--", linewidth=1)
    axes.set_title(plain(title, 70), loc="left")
    _finish(axes)
    parts = [
        f"{textwrap.shorten(label, 40)}: "
        + ("not shown" if p is None else f"{p:.0f}%" + (f" of {n}" if n is not None else ""))
        for label, p, n in zip(labels, percents, counts, strict=True)
    ]
    return Chart(figure, f"{title}. {what}, bar by bar: " + "; ".join(parts))


def band_counts(title: str, bands: list[str], counts: list[int]) -> Chart:
    """Students per proficiency band, lowest band first, with n on each bar."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.2))
    axes = figure.add_subplot()
    positions = list(range(len(bands)))
    colours = [PALETTE[i % len(PALETTE)] for i in (5, 1, 4, 0, 2, 3)][: len(bands)]
    bars = axes.bar(positions, counts, color=colours)
    for rect, n in zip(bars, counts, strict=True):
        axes.text(rect.get_x() + rect.get_width() / 2, n, f"n={n}", ha="center", va="bottom")
    axes.set_xticks(positions, [plain(band, 16) for band in bands])
    axes.set_ylabel("Students")
    axes.set_ylim(0, max([*counts, 1]) * 1.2)
    total = sum(counts)
    axes.set_title(plain(f"{title} (n={total})", 70), loc="left")
    _finish(axes)
    parts = [f"{band}: {n}" for band, n in zip(bands, counts, strict=True)]
    return Chart(figure, f"{title}: students per band, {total} in all. " + "; ".join(parts))


def growth_scatter(title: str, pre: list[float], post: list[float]) -> Chart:
    """Each matched student's percent before (x) and after (y); above the line is growth."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5.5, 5.0))
    axes = figure.add_subplot()
    axes.plot([0, 100], [0, 100], color="#888888", linestyle="--", linewidth=1)
    axes.scatter(pre, post, s=18, color=PALETTE[0], alpha=0.7)
    axes.set_xlim(-2, 102)
    axes.set_ylim(-2, 102)
    axes.set_xlabel("Percent before")
    axes.set_ylabel("Percent after")
    grew = sum(1 for a, b in zip(pre, post, strict=True) if b > a)
    axes.set_title(plain(f"{title} (n={len(pre)})", 60), loc="left")
    _finish(axes)
    mean_change = (sum(post) - sum(pre)) / len(pre) if pre else 0.0
    alt = (
        f"{title}: {plural(len(pre), 'student')} in both assessments; {grew} scored higher after. "
        f"Average change {mean_change:+.1f} points."
    )
    return Chart(figure, alt)


def goal_progress(
    title: str,
    starts,
    baseline: float,
    ends,
    target: float,
    checkpoints: list[tuple[object, float]],
    unit: str,
    tolerance: float,
) -> Chart:
    """A goal's line from baseline to target, the band still on track under it, and each
    checkpoint; dates on the x axis."""
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.6))
    axes = figure.add_subplot()
    axes.plot([starts, ends], [baseline, target], color=PALETTE[0], label="Goal line")
    axes.fill_between(
        [starts, ends],
        [baseline - tolerance, target - tolerance],
        [baseline, target],
        color=PALETTE[4],
        alpha=0.25,
        label=f"On track (within {tolerance:g} points)",
    )
    axes.axhline(target, color=PALETTE[2], linestyle="--", linewidth=1, label="Target")
    axes.plot([starts], [baseline], "s", color=PALETTE[0])
    axes.annotate(
        f"baseline {baseline:g}{unit}",
        (starts, baseline),
        fontsize=8,
        xytext=(4, -12),
        textcoords="offset points",
    )
    if checkpoints:
        dates = [d for d, _ in checkpoints]
        values = [v for _, v in checkpoints]
        axes.plot(dates, values, "o-", color=PALETTE[5], label="Checkpoints")
        for when, value in checkpoints:
            axes.annotate(
                f"{value:g}{unit}",
                (when, value),
                fontsize=8,
                xytext=(4, 4),
                textcoords="offset points",
            )
    axes.set_title(plain(title, 70), loc="left", fontsize=10)
    axes.set_ylabel(plain("Percent" if unit == "%" else "Students", 20))
    axes.xaxis.set_major_formatter(DateFormatter("%d %b"))
    axes.legend(loc="best", fontsize=8)
    _finish(axes)
    figure.autofmt_xdate()
    points = "; ".join(f"{d:%d %b %Y}: {v:g}{unit}" for d, v in checkpoints) or "none yet"
    alt = (
        f"Goal progress. Baseline {baseline:g}{unit} on {starts:%d %b %Y}, target {target:g}"
        f"{unit} by {ends:%d %b %Y}. Checkpoints: {points}."
    )
    return Chart(figure, alt)


def survey_trend(
    title: str,
    rounds: list[str],
    subscales: dict[str, list[tuple[float, float, float, float] | None]],
    scale: tuple[int, int],
) -> Chart:
    """Each subscale's mean across rounds with its spread: a bar of one standard deviation
    either side and a faint band from the lowest to the highest respondent's score. A round
    whose results are hidden (too few answers) leaves a gap. ``subscales`` maps a name to
    one (mean, sd, low, high) or None per round."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.6))
    axes = figure.add_subplot()
    positions = list(range(len(rounds)))
    parts = []
    for number, (name, points) in enumerate(subscales.items()):
        colour = PALETTE[number % len(PALETTE)]
        shift = (number - (len(subscales) - 1) / 2) * 0.08
        xs = [p + shift for p, v in zip(positions, points, strict=True) if v is not None]
        shown = [v for v in points if v is not None]
        if not shown:
            continue
        means = [v[0] for v in shown]
        axes.errorbar(
            xs,
            means,
            yerr=[v[1] for v in shown],
            fmt="o-",
            color=colour,
            capsize=3,
            label=plain(name, 30),
        )
        axes.fill_between(
            xs, [v[2] for v in shown], [v[3] for v in shown], color=colour, alpha=0.12
        )
        parts.append(
            f"{name}: "
            + ", ".join(
                f"{label} {v[0]:.1f} (sd {v[1]:.1f})" if v else f"{label} hidden"
                for label, v in zip(rounds, points, strict=True)
            )
        )
    axes.set_xticks(positions, [plain(r, 14) for r in rounds], fontsize=8)
    axes.set_ylim(scale[0] - 0.2, scale[1] + 0.2)
    axes.set_ylabel(f"Score ({scale[0]}–{scale[1]})")
    axes.set_title(plain(title, 70), loc="left", fontsize=10)
    if parts:
        axes.legend(loc="lower right", fontsize=8)
    _finish(axes)
    alt = f"{title}: mean per round with its spread. " + "; ".join(parts or ["no results yet"])
    return Chart(figure, alt)
