"""What the families' screens say, shared by their tabs: plain functions of the store's
records (no widgets), so that every tab names a person's link, a goal's progress or a
class's numbers the same way."""

from __future__ import annotations

import datetime as dt

from collab_widgets.core.model import plural
from collab_widgets.families import rules
from collab_widgets.families.model import FamilyGoal, Guardian, Participation, Progress

LANGUAGE_CHOICES = [("English", "en"), ("Español", "es")]
LANGUAGE_NAMES = dict((code, name) for name, code in LANGUAGE_CHOICES)
KINDS = {"individual": "Parent–teacher conference", "student-led": "Student-led conference"}
OWNERS = {"teacher": "the teacher", "family": "the family", "student": "the student"}
PROGRESS = {
    "reached": "reached",
    "closer": "closer",
    "not-yet": "not closer yet",
    "waiting": "waiting for the next meeting's results",
}
NO_CLASS = (
    "No class yet. A class is made on the Students together page, from its class list; "
    "each student's family then appears here."
)
NO_CLASS_OUTSIDERS = "The team has no class yet."
COACH = (
    "You opened the team as a coach (or with the team's link): you see the class's "
    "numbers only, never a family, a contact, a result or a note."
)


def not_yours(teacher: str) -> str:
    return (
        f"Only {teacher}, the class's teacher, sees and manages its families (names, "
        "contacts, results, goals and notes). Here are the class's numbers; the team's view "
        "of every class is on the Participation tab."
    )


def outsiders_note(member: bool, teacher: str) -> str:
    """What a visitor who is not the class's teacher is told on each tab."""
    return not_yours(teacher) if member else COACH


def link_state(guardian: Guardian) -> str:
    if guardian.blocked:
        return "blocked: refused everywhere"
    if guardian.has_link and guardian.link_issued_at is not None:
        return f"link given {guardian.link_issued_at.astimezone():%d %b %Y}"
    if guardian.has_link:
        return "link given"
    return "no link yet"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def rate(part: int, whole: int) -> str:
    shown = rules.rate(part, whole)
    return "—" if shown is None else f"{shown:.0f}%"


def progress_words(progress: Progress) -> str:
    words = PROGRESS.get(progress.status, progress.status)
    if progress.start is not None and progress.latest is not None:
        return f"{words} ({percent(progress.start)} → {percent(progress.latest)})"
    if progress.start is not None:
        return f"{words} (from {percent(progress.start)})"
    return words


def goal_words(goal: FamilyGoal) -> str:
    return (
        f"{goal.practice} · {plural(goal.times_per_week, 'time')} a week · to reach "
        f"{goal.target:g}% by {goal.by_date:%d %b %Y}"
    )


def attendance_words(counts: Participation) -> str:
    """Families present at each meeting, oldest first: "3 of 6 (50%) → 4 of 6 (67%)"."""
    if not counts.attended:
        return "no meeting yet"
    return " → ".join(
        f"{n} of {counts.families} ({rate(n, counts.families)})" for n in counts.attended
    )


def class_numbers(counts: Participation) -> list[tuple[str, str]]:
    """A class's families in numbers, as every tab shows them to a visitor who is not its
    teacher: no family named."""
    return [
        ("Families", str(counts.families)),
        (
            "With a link to their page",
            f"{counts.with_link} ({rate(counts.with_link, counts.families)})",
        ),
        ("Class family meetings", str(counts.meetings)),
        ("Present at each meeting", attendance_words(counts)),
        ("Goals set", str(counts.goals)),
        ("Goals reached", str(counts.goals_reached)),
        ("Conferences booked", str(counts.conferences_booked)),
        ("Families at workshops", str(counts.workshop_attendance)),
    ]


def when(day: dt.date, time: str) -> str:
    return f"{day:%a %d %b %Y} at {time}"
