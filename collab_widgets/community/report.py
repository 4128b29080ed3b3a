"""The partnership plan's report: one self-contained, printable HTML page and a Markdown file
with the same sections, written from Jinja2 templates with the meeting record's safety
(:mod:`collab_widgets.reports.render`): HTML autoescaped, with inline CSS, the coverage
chart as a ``data:`` URI and a Content-Security-Policy forbidding any request; Markdown with
every value escaped by the same ``finalize``. Counts only: no student is named, and a count
of students under the minimum reads "fewer than 5"."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import jinja2

from collab_widgets.community import library, rules
from collab_widgets.community.model import Coverage, Plan, SchoolView
from collab_widgets.community.store import partners
from collab_widgets.community.store import plan as plans
from collab_widgets.core.db import SchoolScope
from collab_widgets.core.spreadsheet_csv import spreadsheet_csv
from collab_widgets.reports import render

NOTHING = "Nothing recorded."
GOAL_KINDS = {"academic": "Academic", "behaviour": "Behaviour", "climate": "Climate"}
OUTCOMES = {None: "not yet said", True: "happened", False: "did not happen"}


class PlanReport(NamedTuple):
    html: str
    markdown: str
    csv: str  # the plan's activities, one a line, for a spreadsheet


CSV_HEADER = (
    "goal",
    "kind of goal",
    "activity",
    "type of involvement",
    "planned on",
    "responsible",
    "expected",
    "outcome",
    "came",
)


@dataclass(frozen=True)
class TypeLine:
    """The plan's activities of one type of involvement."""

    name: str
    planned: int
    happened: int
    expected: int
    came: int


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    """The meeting record's environment (its escaping, finalize and filters) reading this
    domain's templates."""
    loader = jinja2.PackageLoader("collab_widgets.community", "templates")
    return render._environment(kind).overlay(loader=loader)


def _students(count: int | None) -> str:
    return f"fewer than {rules.MIN_GROUP}" if count is None else str(count)


def _by_type(found: Plan, names: dict[str, str]) -> list[TypeLine]:
    activities = [a for goal in found.goals for a in goal.activities]
    lines = []
    for involvement, name in names.items():
        of_type = [a for a in activities if a.involvement == involvement]
        if of_type:
            lines.append(
                TypeLine(
                    name,
                    len(of_type),
                    sum(1 for a in of_type if a.happened),
                    sum(a.expected for a in of_type),
                    sum(a.participants or 0 for a in of_type if a.happened),
                )
            )
    return lines


def _coverage_lines(cov: tuple[Coverage, ...], names: dict[str, str]):
    return [
        (
            names.get(line.involvement, line.involvement),
            line,
            ", ".join(f"{source} {count}" for source, count in line.sources.items()),
        )
        for line in cov
    ]


def _partner_lines(scope: SchoolScope):
    shipped = library.load_partners()
    kinds = {k.id: k.name for k in shipped.kinds}
    offers = {o.id: o.name for o in shipped.offers}
    return [
        (
            found.name,
            kinds.get(found.kind, found.kind),
            ", ".join(offers.get(o, o) for o in found.offers),
            found.agreements,
        )
        for found in partners.partners(scope)
    ]


def _context(scope: SchoolScope, plan_id: int) -> dict:
    found = plans.plan(scope, plan_id)
    view: SchoolView = plans.school_view(scope, plan_id)
    names = library.involvement_names()
    community_sources = {line.involvement: line.sources for line in view.coverage}.get(
        plans.COMMUNITY, {}
    )
    return {
        "school": scope.school_name(),
        "plan": found,
        "today": scope.store.clock.today(),
        "nothing": NOTHING,
        "minimum": rules.MIN_GROUP,
        "kinds": GOAL_KINDS,
        "names": names,
        "outcomes": OUTCOMES,
        "by_type": _by_type(found, names),
        "coverage": _coverage_lines(view.coverage, names),
        "chart": rules.coverage_chart(view.coverage),
        "partners": _partner_lines(scope),
        "view": view,
        "mentored": _students(view.students_mentored),
        "matches": _students(view.matches_active),
        "in_service": _students(view.students_in_service),
        "placed": _students(view.students_placed),
        "mentor_meetings": community_sources.get(plans.MENTORING, 0),
        "career_events": community_sources.get(plans.CAREERS, 0),
        "evaluation": rules.outcomes(a for goal in found.goals for a in goal.activities),
        "feedback": plans.year_end_feedback(scope, plan_id),
    }


def plan_report(scope: SchoolScope, plan_id: int) -> PlanReport:
    """The plan's report as (HTML page, Markdown)."""
    context = _context(scope, plan_id)
    return PlanReport(
        _environment("html").get_template("plan_report.html.j2").render(context),
        _environment("markdown").get_template("plan_report.md.j2").render(context),
        _activities_csv(context["plan"], context["names"]),
    )


def _activities_csv(found: Plan, names: dict[str, str]) -> str:
    """The plan's activities as a spreadsheet reads them: no typed text runs as a formula."""
    return spreadsheet_csv(
        CSV_HEADER,
        [
            (
                goal.text,
                GOAL_KINDS[goal.kind],
                activity.title,
                names.get(activity.involvement, activity.involvement),
                activity.planned_on.isoformat(),
                activity.responsible,
                activity.expected,
                OUTCOMES[activity.happened],
                activity.participants,
            )
            for goal in found.goals
            for activity in goal.activities
        ],
    )


def file_stem(school: str, plan_title: str) -> str:
    """The report's file name without its suffix: the school and the plan's title."""
    safe = "-".join("".join(ch if ch.isalnum() else " " for ch in f"{school} {plan_title}").split())
    return f"{safe.lower() or 'school'}-partnership-plan"
