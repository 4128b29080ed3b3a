"""Scoring a pulse survey: one respondent's answer, a round's summary, and a trend.

An *answer* is one respondent's ``{item key: point}``; it never carries who gave it.

The rules, so every figure can be checked by hand:

- **Reverse items.** A reverse item's answer ``v`` is scored ``min + max - v`` (on a
  1-6 scale an answer of 2 scores 5), so that for every item a higher score is the more
  favourable one. Counts per point (:class:`ItemSummary`) are the answers as given.
- **A respondent's subscale score** is the mean of the (scored) items of that subscale
  the respondent answered. Skipped items are left out, not counted as zero; a respondent
  who skipped every item of a subscale has no score for it and does not count in that
  subscale's ``n``.
- **A round's subscale figures** are over the respondents' subscale scores: ``n``,
  ``mean``, ``sd``, ``min`` and ``max``. ``sd`` is the *population* standard deviation
  (divide by ``n``, :func:`statistics.pstdev`): the figures describe the people who
  answered, not a sample standing for a larger group; one respondent's sd is 0.
- **The minimum.** While fewer respondents than the minimum answered the round is not
  ``shown``: it carries the number of respondents and nothing else - no mean, spread or
  count. The same rule holds inside a shown round for a subscale (or an item) answered by
  fewer than the minimum, since its figures would show those few people's answers.
  Numbers are never rounded here; the screen rounds them.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from collab_widgets.core.errors import InvalidInput
from collab_widgets.instruments.schema import LOWEST_MIN_RESPONDENTS, Instrument


@dataclass(frozen=True)
class SubscaleSummary:
    """A subscale's figures in a round; all None when not ``shown``."""

    key: str
    title: str
    shown: bool
    n: int | None = None  # respondents with at least one answered item of the subscale
    mean: float | None = None
    sd: float | None = None  # population standard deviation
    min: float | None = None  # the lowest respondent score
    max: float | None = None  # the highest respondent score


@dataclass(frozen=True)
class ItemSummary:
    """How often each point of the scale was chosen for an item; empty when not ``shown``."""

    key: str
    text: str
    subscale: str
    reverse: bool
    shown: bool
    n: int | None = None  # respondents who answered the item
    counts: dict[int, int] = field(default_factory=dict)  # every point -> answers as given


@dataclass(frozen=True)
class RoundSummary:
    """A survey round: how many answered, and figures only when enough did."""

    instrument: str  # the instrument's key
    respondents: int
    min_respondents: int  # the minimum that was applied
    shown: bool  # False: fewer than min_respondents answered, and no figure below is given
    subscales: tuple[SubscaleSummary, ...]
    items: tuple[ItemSummary, ...]

    def subscale(self, key: str) -> SubscaleSummary:
        """The summary of the subscale ``key`` (KeyError if the instrument has none)."""
        for summary in self.subscales:
            if summary.key == key:
                return summary
        raise KeyError(key)

    def item(self, key: str) -> ItemSummary:
        """The summary of the item ``key`` (KeyError if the instrument has none)."""
        for summary in self.items:
            if summary.key == key:
                return summary
        raise KeyError(key)

    @property
    def note(self) -> str:
        """Why no figures are shown, in words for the page ("" when they are)."""
        if self.shown:
            return ""
        return (
            f"{self.respondents} answered so far. Results appear once at least "
            f"{self.min_respondents} people have answered, so no one's answer is shown on its own."
        )


@dataclass(frozen=True)
class TrendPoint:
    """One subscale in one round of a trend; the figures are None when not ``shown``."""

    label: str  # the round's label, e.g. "October"
    subscale: str
    title: str
    shown: bool
    respondents: int  # everyone who answered the round (shown even when figures are not)
    n: int | None = None
    mean: float | None = None
    sd: float | None = None
    min: float | None = None
    max: float | None = None


# --- one respondent ------------------------------------------------------------------


AGREEMENT = (  # the spread as a share of the most a spread can be, and what it says
    (0.25, "We mostly agree"),
    (0.5, "Views differ somewhat"),
    (1.0, "Views differ widely"),
)


def agreement(sd: float | None, low: int, high: int) -> str:
    """How much the answers agree, in words, for a team that does not read "sd": the
    spread against the largest it can be on this scale (half its width, reached when
    half answer the lowest point and half the highest)."""
    if sd is None:
        return ""
    widest = (high - low) / 2
    share = sd / widest if widest else 0.0
    return next((words for limit, words in AGREEMENT if share <= limit), AGREEMENT[-1][1])


def check_answer(instrument: Instrument, answer: Mapping[str, object]) -> dict[str, int]:
    """One respondent's answer, checked, as ``{item key: point}`` in the file's item order.

    Every key must be an item of ``instrument`` and every value a whole number (an
    ``int``, not ``True``/``False``, not ``3.0``) on its scale. Items may be left out -
    or given as ``None`` - for a partial answer, but at least one must be answered.
    Raises ``InvalidInput`` naming each wrong item and the allowed range.
    """
    scale = instrument.scale
    allowed = f"a whole number from {scale.min} to {scale.max}"
    if not isinstance(answer, Mapping):
        raise InvalidInput(f"An answer to {instrument.title} maps item keys to {allowed}.")
    problems: list[tuple[str, str]] = []
    given: dict[str, int] = {}
    for key, value in answer.items():
        if instrument.item(key) is None:
            known = ", ".join(item.key for item in instrument.items)
            problems.append(
                (key, f"'{key}' is not an item of {instrument.title}; the items are: {known}.")
            )
        elif value is None:
            continue  # skipped
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append((key, f"Item '{key}': the answer must be {allowed} (got {value!r})."))
        elif not scale.min <= value <= scale.max:
            problems.append((key, f"Item '{key}': the answer must be {allowed} (got {value})."))
        else:
            given[key] = value
    if problems:
        raise InvalidInput(" ".join(text for _, text in problems), field=problems[0][0])
    if not given:
        raise InvalidInput(f"Answer at least one item of {instrument.title}.")
    return {item.key: given[item.key] for item in instrument.items if item.key in given}


def respondent_scores(instrument: Instrument, answer: Mapping[str, object]) -> dict[str, float]:
    """One respondent's score per subscale: the mean of the subscale's answered items,
    a reverse item's answer ``v`` scored ``min + max - v``.

    Subscales the respondent skipped entirely are absent from the result. The answer is
    checked first (:func:`check_answer`).
    """
    return _scores(instrument, check_answer(instrument, answer))


def _scores(instrument: Instrument, answer: dict[str, int]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for sub in instrument.subscales:
        values = [
            instrument.scale.reversed(answer[item.key]) if item.reverse else answer[item.key]
            for item in instrument.items_of(sub.key)
            if item.key in answer
        ]
        if values:
            scores[sub.key] = statistics.fmean(values)
    return scores


# --- a round -------------------------------------------------------------------------


def summarise(
    instrument: Instrument,
    answers: Sequence[Mapping[str, object]],
    min_respondents: int | None = None,
) -> RoundSummary:
    """A round's summary of ``answers`` (one per respondent).

    ``min_respondents`` (default: the instrument's own) is the fewest respondents for any
    figure to be shown; it must be at least 2. Below it the summary has ``shown=False``
    and carries only the number of respondents. See the module's notes for the rules.
    Raises ``InvalidInput`` if an answer is wrong (naming which one, by position).
    """
    minimum = _minimum(instrument, min_respondents)
    checked = []
    for number, answer in enumerate(answers, start=1):
        try:
            checked.append(check_answer(instrument, answer))
        except InvalidInput as exc:
            raise InvalidInput(
                f"Answer {number} of {len(answers)}: {exc}", field=exc.field
            ) from None
    respondents = len(checked)
    shown = respondents >= minimum
    if not shown:
        return RoundSummary(
            instrument=instrument.key,
            respondents=respondents,
            min_respondents=minimum,
            shown=False,
            subscales=tuple(SubscaleSummary(s.key, s.title, False) for s in instrument.subscales),
            items=tuple(
                ItemSummary(i.key, i.text, i.subscale, i.reverse, False) for i in instrument.items
            ),
        )
    scores = [_scores(instrument, answer) for answer in checked]
    subscales = []
    for sub in instrument.subscales:
        values = [score[sub.key] for score in scores if sub.key in score]
        if len(values) < minimum:
            subscales.append(SubscaleSummary(sub.key, sub.title, False))
            continue
        subscales.append(
            SubscaleSummary(
                sub.key,
                sub.title,
                True,
                n=len(values),
                mean=statistics.fmean(values),
                sd=statistics.pstdev(values),
                min=min(values),
                max=max(values),
            )
        )
    items = []
    for item in instrument.items:
        given = [answer[item.key] for answer in checked if item.key in answer]
        if len(given) < minimum:
            items.append(ItemSummary(item.key, item.text, item.subscale, item.reverse, False))
            continue
        counts = {point: given.count(point) for point in instrument.scale.points}
        items.append(
            ItemSummary(
                item.key, item.text, item.subscale, item.reverse, True, n=len(given), counts=counts
            )
        )
    return RoundSummary(
        instrument=instrument.key,
        respondents=respondents,
        min_respondents=minimum,
        shown=True,
        subscales=tuple(subscales),
        items=tuple(items),
    )


def _minimum(instrument: Instrument, min_respondents: int | None) -> int:
    if min_respondents is None:
        return instrument.min_respondents
    if (
        isinstance(min_respondents, bool)
        or not isinstance(min_respondents, int)
        or min_respondents < LOWEST_MIN_RESPONDENTS
    ):
        raise InvalidInput(
            f"The fewest answers to show results must be a whole number of at least "
            f"{LOWEST_MIN_RESPONDENTS}, so one person's answer is never shown alone.",
            field="min_respondents",
        )
    return min_respondents


def trend(
    instrument: Instrument,
    rounds: Sequence[tuple[str, Sequence[Mapping[str, object]]]],
    min_respondents: int | None = None,
) -> list[TrendPoint]:
    """Each subscale's mean and spread (sd, min, max) round by round.

    ``rounds`` is ``[(label, answers), ...]`` in the order to show. The result has one
    :class:`TrendPoint` per round and subscale, rounds in the given order and subscales
    in the file's order. A round (or a subscale in it) below the minimum is kept, with
    ``shown=False`` and no figures, so a chart can leave a gap rather than join its
    neighbours as if nothing were missing.
    """
    points = []
    for label, answers in rounds:
        summary = summarise(instrument, answers, min_respondents)
        for sub in summary.subscales:
            points.append(
                TrendPoint(
                    label=label,
                    subscale=sub.key,
                    title=sub.title,
                    shown=sub.shown,
                    respondents=summary.respondents,
                    n=sub.n,
                    mean=sub.mean,
                    sd=sub.sd,
                    min=sub.min,
                    max=sub.max,
                )
            )
    return points


def trend_series(
    instrument: Instrument,
    rounds: Sequence[tuple[str, Sequence[Mapping[str, object]], int]],
) -> dict[str, list[tuple[float, float, float, float] | None]] | None:
    """What the trend chart draws: per subscale title, each round's (mean, sd, min, max),
    or None for a round hidden below its own minimum. ``rounds`` is ``[(label, answers,
    min_respondents), ...]`` oldest first. None when there is no trend to draw: before a
    second round, or while every round is hidden."""
    series: dict[str, list] = {}
    for label, answers, min_respondents in rounds:
        for point in trend(instrument, [(label, answers)], min_respondents):
            value = (point.mean, point.sd, point.min, point.max) if point.shown else None
            series.setdefault(point.title, []).append(value)
    if len(rounds) < 2 or not any(v for values in series.values() for v in values):
        return None
    return series
