"""The families' rules, plain Python for the teacher's pages and the family page alike:
the class graph (counts per bin, never who), a family's 60-day goal and its checks in a
family's words, a goal's progress at the next meeting, conference slots' times, and the
participation rates the team and the coach see.

Family-facing messages are English texts marked ``N_`` with ``{placeholders}``; the family
page translates them with :data:`collab_widgets.families.texts.CATALOGUE`."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.core.i18n import N_
from collab_widgets.families.model import Bin, Progress
from collab_widgets.goals.smart import number

BIN_WIDTH = 20  # five bars: fewer, wider bars say less about any one child
GOAL_DAYS = 60  # a family goal runs to the next class meeting, about 60 days on
LONGEST_GOAL = dt.timedelta(days=120)
MAX_PRACTICE = 500
MIN_PRACTICE_WORDS = 3
MOST_TIMES = 14  # twice a day
TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
MAX_CONTACT = 1000


def bins_of(percents: Iterable[float | None], min_n: int) -> tuple[Bin, ...] | None:
    """The class graph: how many children have a result in each band of
    :data:`BIN_WIDTH` points (:func:`bin_index`). None when fewer than ``min_n``
    children have a result: a graph of a handful would point at each of them."""
    found = [p for p in percents if p is not None]
    if len(found) < max(min_n, 1):
        return None
    counts = [0] * (100 // BIN_WIDTH)
    for percent in found:
        counts[bin_index(percent)] += 1
    return tuple(Bin(i * BIN_WIDTH, (i + 1) * BIN_WIDTH, count) for i, count in enumerate(counts))


def bin_index(percent: float) -> int:
    """The bar of a result, by the whole percent a family reads (19.6 shows as 20: in the
    20–39 bar); 100 is in the top bar."""
    shown = math.floor(percent + 0.5)
    return min(max(shown // BIN_WIDTH, 0), 100 // BIN_WIDTH - 1)


def bar_range(bar: Bin) -> tuple[int, int]:
    """The whole percents a bar holds, without overlap: (0, 19), …, (80, 100)."""
    return bar.low, 100 if bar.high >= 100 else bar.high - 1


@dataclass(frozen=True)
class GoalDraft:
    """A family's goal as typed on its page: every field text, as written."""

    practice: str = ""
    times_per_week: str = ""
    target: str = ""
    by_date: str = ""


@dataclass(frozen=True)
class GoalProblem:
    """What one field of a family goal lacks or gets wrong: ``message`` is an English text
    with ``{placeholders}`` filled from ``values`` once translated."""

    field: str
    message: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedGoal:
    practice: str
    times_per_week: int
    target: float
    by_date: dt.date


def default_goal_date(meeting_day: dt.date) -> dt.date:
    return meeting_day + dt.timedelta(days=GOAL_DAYS)


def check_goal(
    draft: GoalDraft, now: float | None, meeting_day: dt.date, today: dt.date
) -> tuple[CheckedGoal | None, list[GoalProblem]]:
    """A family goal checked like a SMART goal, in a family's words: specific (what you
    will do), measurable (a number to reach on the skill), reachable (above the child's
    result now, at most 100), timed (a date before the next meeting, not past), and how
    often (times a week). The goal, or None and every problem by field."""
    problems: list[GoalProblem] = []
    practice = " ".join(draft.practice.split())
    if not practice:
        problems.append(
            GoalProblem(
                "practice",
                N_("Write what you will do at home, for example: read together for 15 minutes."),
            )
        )
    elif len(practice.split()) < MIN_PRACTICE_WORDS:
        problems.append(
            GoalProblem("practice", N_("Say a little more about what you will do at home."))
        )
    elif len(practice) > MAX_PRACTICE:
        problems.append(
            GoalProblem(
                "practice",
                N_("Keep it shorter: at most {count} characters."),
                {"count": MAX_PRACTICE},
            )
        )
    times = number(draft.times_per_week)
    if times is None or times != int(times):
        problems.append(
            GoalProblem(
                "times_per_week",
                N_("Write how many times a week as a whole number, for example 4."),
            )
        )
    elif not 1 <= times <= MOST_TIMES:
        problems.append(
            GoalProblem(
                "times_per_week",
                N_("Choose from 1 to {most} times a week."),
                {"most": MOST_TIMES},
            )
        )
    target = number(draft.target)
    if target is None or not 0 < target <= 100:
        problems.append(
            GoalProblem("target", N_("Write the goal as a number from 1 to 100, for example 80."))
        )
    elif now is not None and target <= now and not target == now == 100:  # the top: keep it
        problems.append(
            GoalProblem(
                "target",
                N_("Choose a goal above your child's result now ({now})."),
                {"now": round(now)},
            )
        )
    by_date = _date(draft.by_date) if draft.by_date.strip() else default_goal_date(meeting_day)
    if by_date is None:
        problems.append(
            GoalProblem(
                "by_date",
                N_("Choose a date, for example {example}."),
                {"example": default_goal_date(meeting_day)},
            )
        )
    elif by_date <= today:
        problems.append(GoalProblem("by_date", N_("Choose a date that has not passed yet.")))
    elif by_date > meeting_day + LONGEST_GOAL:
        problems.append(
            GoalProblem(
                "by_date",
                N_(
                    "Choose a date within about two months: we look at the goal together at "
                    "the next meeting."
                ),
            )
        )
    if problems:
        return None, problems
    return CheckedGoal(practice, int(times), float(target), by_date), []


def _date(typed: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(typed.strip())
    except ValueError:
        return None


def progress(target: float, start: float | None, later: list[float | None]) -> Progress:
    """A goal against the child's results at the meetings after it was set (oldest first):
    reached, closer than at the start, not yet closer, or waiting for a result."""
    found = [p for p in later if p is not None]
    if not found:
        return Progress("waiting", start, None)
    latest = found[-1]
    if latest >= target:
        return Progress("reached", start, latest)
    if start is not None and latest > start:
        return Progress("closer", start, latest)
    return Progress("not-yet", start, latest)


def check_time(typed: str) -> str:
    """A time of day as "HH:MM" (24-hour); InvalidInput otherwise (teacher-facing)."""
    match = TIME.fullmatch((typed or "").strip())
    if match is None:
        raise InvalidInput("Write the time as hours and minutes, for example 17:30.")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def check_title(typed: str, what: str = "a title") -> str:
    title = " ".join((typed or "").split())
    if not title:
        raise InvalidInput(f"Write {what}.")
    if len(title) > 120:
        raise InvalidInput(f"Keep {what} under 120 characters.")
    return title


def rate(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, or None of nothing."""
    return None if whole == 0 else 100 * part / whole


class FamilyError(InvalidInput):
    """A refusal a family reads: ``message`` is an English text marked ``N_`` and
    ``values`` fill its placeholders once translated into the family's language."""

    def __init__(self, message: str, **values):
        super().__init__(message.format(**values))
        self.message = message
        self.values = values


class FamilyRefused(AccessDenied):
    """A family link that opens nothing (wrong, rotated, revoked, blocked, or its class's
    year over), in words a family reads."""

    def __init__(self, message: str, **values):
        super().__init__(message.format(**values))
        self.message = message
        self.values = values
