"""The community rules, plain Python (no SQL, no widgets): partner names compared as a
person reads them, agreements that overlap or run out, hours and participants in range, a
mentor's clearance and a match's warning flags, the coverage of the six types of
involvement, and small counts of students hidden."""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterable

from collab_widgets.community.library import involvement_names
from collab_widgets.community.model import (
    Agreement,
    Clearance,
    Coverage,
    Outcomes,
    PlanActivity,
    Reminder,
)
from collab_widgets.core import charts
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.model import plural
from collab_widgets.families.library import INVOLVEMENT_IDS

MAX_HOURS_A_DAY = 24
MAX_PLACEMENT_HOURS = 2000
MAX_PARTICIPANTS = 100_000
MIN_GROUP = 5  # fewer students than this are shown as "fewer than 5": no one is picked out
QUIET_WEEKS = 3  # a match with no meeting logged for longer than this is flagged


def _day(when: dt.date) -> str:
    return f"{when:%d %B %Y}"


def fold(name: str) -> str:
    """``name`` as compared for duplicates: case folded, runs of spaces made one."""
    return " ".join(name.split()).casefold()


def outcomes(activities: Iterable[PlanActivity]) -> Outcomes:
    """The evaluation's tallies of the plan's activities (the page and the report)."""
    activities = list(activities)
    happened = [a for a in activities if a.happened]
    return Outcomes(
        planned=len(activities),
        happened=len(happened),
        not_happened=sum(1 for a in activities if a.happened is False),
        unsaid=sum(1 for a in activities if a.happened is None),
        expected=sum(a.expected for a in happened),
        came=sum(a.participants or 0 for a in happened),
    )


def line(typed, what: str, most: int, required: bool = True) -> str:
    """A line typed (a name, a title): its runs of spaces made one; refused in words when
    empty (if ``required``) or longer than ``most`` characters."""
    text = " ".join(typed.split()) if isinstance(typed, str) else ""
    return _within(text, what, most, "Type" if required else "")


def passage(typed, what: str, most: int, required: bool = False) -> str:
    """Text typed over lines (notes, reflections): only its ends trimmed; refused in words
    when empty (if ``required``) or longer than ``most`` characters."""
    text = typed.strip() if isinstance(typed, str) else ""
    return _within(text, what, most, "Write" if required else "")


def _within(text: str, what: str, most: int, ask: str) -> str:
    """``ask``: how to ask for a text that is required ("Type", "Write"), or ""."""
    if ask and not text:
        raise InvalidInput(f"{ask} {what}.")
    if len(text) > most:
        raise InvalidInput(
            f"{what[0].upper()}{what[1:]} is too long: keep it under {most} characters."
        )
    return text


def check_date(value, what: str) -> dt.date:
    """A day as the store keeps it (a moment counts as its day); anything else refused in
    words: a page sends a day, but a store call may be handed anything."""
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise InvalidInput(f"Choose {what}: a day from the calendar.")
    return value


def check_agreement(starts_on: dt.date, ends_on: dt.date, others: Iterable[Agreement]) -> None:
    """Refuses an agreement that ends before it starts, or whose dates overlap one of
    ``others`` (the same partner's other agreements), naming that one and its dates."""
    check_date(starts_on, "the day the agreement starts")
    check_date(ends_on, "the day the agreement ends")
    if ends_on < starts_on:
        raise InvalidInput(
            f"The agreement ends ({_day(ends_on)}) before it starts ({_day(starts_on)}); "
            "choose an end date on or after the start date.",
            field="ends_on",
        )
    for other in sorted(others, key=lambda a: (a.starts_on, a.id)):
        if other.starts_on <= ends_on and starts_on <= other.ends_on:
            raise InvalidInput(
                f"These dates overlap the agreement “{other.title}” with {other.partner} "
                f"({_day(other.starts_on)} to {_day(other.ends_on)}); a partner has one "
                "agreement at a time: change the dates, or change that agreement.",
                field="starts_on",
            )


def _followed(agreement: Agreement, agreements: Iterable[Agreement]) -> bool:
    """Whether a later agreement of the same partner starts by the day after this one ends
    (the partnership carries on, so there is nothing to remind)."""
    next_day = agreement.ends_on + dt.timedelta(days=1)
    return any(
        other.id != agreement.id
        and other.partner_id == agreement.partner_id
        and other.ends_on > agreement.ends_on
        and other.starts_on <= next_day
        for other in agreements
    )


def _reminder_text(agreement: Agreement, days_left: int) -> str:
    what = f"The agreement “{agreement.title}” with {agreement.partner}"
    on = _day(agreement.ends_on)
    if days_left > 1:
        when = f"ends in {days_left} days, on {on}"
    elif days_left == 1:
        when = f"ends tomorrow, {on}"
    elif days_left == 0:
        when = f"ends today, {on}"
    else:
        when = f"ended {plural(-days_left, 'day')} ago, on {on}"
    return f"{what} {when}. Renew it with the partner, or plan without it."


def lapse_reminders(
    agreements: list[Agreement], today: dt.date, within_days: int = 30
) -> list[Reminder]:
    """The agreements that end within ``within_days`` of ``today`` or ended in the last
    ``within_days``, unless a later agreement of the same partner starts by the day after
    one ends; the soonest (the longest lapsed) first, each with a message in words."""
    found = []
    for agreement in agreements:
        days_left = (agreement.ends_on - today).days
        if -within_days <= days_left <= within_days and not _followed(agreement, agreements):
            found.append(Reminder(agreement, days_left, _reminder_text(agreement, days_left)))
    return sorted(found, key=lambda r: (r.days_left, fold(r.agreement.partner), r.agreement.id))


def check_hours(hours: float, most: float) -> float:
    """``hours`` as a number of hours more than 0 and at most ``most``; InvalidInput, saying
    the limit, for anything else."""
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not math.isfinite(hours):
        raise InvalidInput(
            f"Hours must be a number, more than 0 and at most {most:g}.", field="hours"
        )
    if hours <= 0:
        raise InvalidInput(
            f"Hours must be more than 0 (at most {most:g}); {hours:g} cannot be recorded.",
            field="hours",
        )
    if hours > most:
        raise InvalidInput(
            f"{hours:g} hours is more than the most allowed, {most:g}; check the number.",
            field="hours",
        )
    return float(hours)


def check_participants(n: int) -> int:
    """``n`` as a whole number of participants from 0 to :data:`MAX_PARTICIPANTS`."""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInput(
            f"The number of participants must be a whole number from 0 to {MAX_PARTICIPANTS:,}.",
            field="participants",
        )
    if not 0 <= n <= MAX_PARTICIPANTS:
        raise InvalidInput(
            f"{n:,} participants is out of range; give a number from 0 to {MAX_PARTICIPANTS:,}.",
            field="participants",
        )
    return n


def clearance_problem(clearance: Clearance, today: dt.date) -> str | None:
    """None when the mentor's clearance is valid ``today``; otherwise why not, in words:
    none recorded, not valid yet, or lapsed (and when)."""
    if clearance.valid_on(today):
        return None
    if clearance.cleared_on is None or clearance.expires_on is None:
        return (
            "No clearance is recorded for this mentor: record the date of the check, when it "
            "expires and who verified it before the mentor is matched."
        )
    if today < clearance.cleared_on:
        return (
            f"The mentor's clearance is not valid until {_day(clearance.cleared_on)}; the "
            "mentor can be matched from that day."
        )
    return (
        f"The mentor's clearance lapsed on {_day(clearance.expires_on)}: record a renewed "
        "check before the mentor meets a student again."
    )


def match_flags(
    clearance: Clearance,
    last_met: dt.date | None,
    started_on: dt.date,
    today: dt.date,
    minutes_a_week: int,
) -> tuple[str, ...]:
    """What needs the coordinator's attention in an open match: the mentor's clearance not
    valid today, and no meeting logged for more than :data:`QUIET_WEEKS` weeks since the last
    one (or since the start) when the programme expects weekly meetings."""
    flags = []
    if clearance.cleared_on is None or clearance.expires_on is None:
        flags.append("no clearance recorded")
    elif today < clearance.cleared_on:
        flags.append(f"clearance not valid until {_day(clearance.cleared_on)}")
    elif today > clearance.expires_on:
        flags.append(f"clearance lapsed on {_day(clearance.expires_on)}")
    since = max(last_met or started_on, started_on)
    quiet_days = (today - since).days
    if minutes_a_week > 0 and quiet_days > QUIET_WEEKS * 7:
        flags.append(f"no meeting logged for {plural(quiet_days // 7, 'week')}")
    return tuple(flags)


def coverage(planned: list[PlanActivity], done: dict[str, dict[str, int]]) -> tuple[Coverage, ...]:
    """Per type of involvement, all six in order (zeros included): the plan's activities of
    that type, how many of them happened, and what was done from every source (``done``:
    type -> {source: count}; the plan's own activities are one source among them)."""
    found = []
    for involvement in INVOLVEMENT_IDS:
        of_type = [a for a in planned if a.involvement == involvement]
        sources = {name: count for name, count in done.get(involvement, {}).items() if count}
        found.append(
            Coverage(
                involvement=involvement,
                planned=len(of_type),
                happened=sum(1 for a in of_type if a.happened),
                done=sum(sources.values()),
                sources=sources,
            )
        )
    return tuple(found)


def suppressed(count: int, minimum: int = MIN_GROUP) -> int | None:
    """``count`` of students, or None (shown as "fewer than ``minimum``") when under it."""
    return count if count >= minimum else None


def coverage_chart(cov: tuple[Coverage, ...]) -> charts.Chart:
    """Planned and done activities per type of involvement, side by side, with counts."""
    from matplotlib.figure import Figure

    names = involvement_names()
    labels = [names.get(c.involvement, c.involvement) for c in cov]
    figure = Figure(figsize=(7.5, 1.0 + 0.6 * max(1, len(cov))))
    axes = figure.add_subplot()
    positions = range(len(cov))
    bar = 0.38
    for offset, values, name, colour in (
        (-bar / 2, [c.planned for c in cov], "Planned", charts.PALETTE[0]),
        (bar / 2, [c.done for c in cov], "Done (every source)", charts.PALETTE[1]),
    ):
        bars = axes.barh(
            [p + offset for p in positions], values, height=bar, label=name, color=colour
        )
        for rect, value in zip(bars, values, strict=True):
            axes.text(
                rect.get_width() + 0.1,
                rect.get_y() + rect.get_height() / 2,
                str(value),
                va="center",
                fontsize=8,
                parse_math=False,
            )
    axes.set_yticks(list(positions), [charts.plain(label, 30) for label in labels], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, max([1, *(c.planned for c in cov), *(c.done for c in cov)]) * 1.15)
    axes.set_xlabel("Activities", parse_math=False)
    axes.set_title("Coverage of the six types of involvement", loc="left", parse_math=False)
    axes.legend(loc="lower right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    parts = [
        f"{textwrap.shorten(label, 60)}: {c.planned} planned ({c.happened} happened), {c.done} done"
        for label, c in zip(labels, cov, strict=True)
    ]
    alt = "Coverage of the six types of involvement, activities per type. " + "; ".join(parts)
    return charts.Chart(figure, alt)
