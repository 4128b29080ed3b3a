"""The Plan tab: the school's one-year partnership plan. Its goals (an academic one may be
linked to a PLC goal of one of the school's teams; a climate goal), for each goal its
activities by type of involvement with a date, who is responsible and how many are
expected; the calendar (activities by month); the coverage of the six types, counting what
families, the community, mentoring, service and careers did in the plan's year; the
evaluation at year end (did each happen, how many came, the family feedback survey, the
typed summary); and the plan's report as a page and as Markdown."""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict

import ipywidgets as widgets

from collab_widgets.community import report, rules
from collab_widgets.community.model import GOAL_KINDS, Plan, PlanActivity
from collab_widgets.community.store import plan as plans
from collab_widgets.community.ui import community_tab as tab
from collab_widgets.community.ui.community_tab import CoverageView, Panel, card, row, wide
from collab_widgets.community.ui.state import CommunityState
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.core.ui.layout import (
    button,
    download_link,
    form_button,
    heading,
    html_table,
    note,
    note_html,
    set_shown,
    stacked,
    text_block,
)

OUTCOME_WORDS = {None: "not yet said", True: "happened", False: "did not happen"}
OUTCOME_OPTIONS = [("Not yet said", "unsaid"), ("Happened", "yes"), ("Did not happen", "no")]
OUTCOME_VALUES = {"unsaid": None, "yes": True, "no": False}
NO_TEAM_GOAL = ("— not linked", None)


def activity_rows(found: Plan, names: dict[str, str]) -> list[list[str]]:
    """Every activity under its goal, by type of involvement (in the six types' order)."""
    order = {kind: index for index, kind in enumerate(names)}
    return [
        [
            goal.text,
            names.get(a.involvement, a.involvement),
            a.title,
            tab.day(a.planned_on),
            a.responsible or "—",
            str(a.expected),
            OUTCOME_WORDS[a.happened],
            "—" if a.participants is None else str(a.participants),
        ]
        for goal in found.goals
        for a in sorted(
            goal.activities, key=lambda a: (order.get(a.involvement, len(order)), a.planned_on)
        )
    ]


def calendar_html(activities: list[PlanActivity], names: dict[str, str]) -> str:
    """The plan's activities month by month, in date order."""
    by_month: dict[dt.date, list[PlanActivity]] = defaultdict(list)
    for a in sorted(activities, key=lambda a: (a.planned_on, a.id)):
        by_month[a.planned_on.replace(day=1)].append(a)
    return "".join(
        f"<h5>{month:%B %Y}</h5>"
        + html_table(
            ["Day", "Activity", "Type of involvement", "Responsible"],
            [
                [
                    f"{a.planned_on:%a %d}",
                    a.title,
                    names.get(a.involvement, a.involvement),
                    a.responsible or "—",
                ]
                for a in month_activities
            ],
            "collab-table collab-community-calendar-table",
        )
        for month, month_activities in by_month.items()
    )


class PlanPanel(Panel):
    """``refresh()`` reads the school's plans and draws the chosen one."""

    def __init__(self, state: CommunityState, status: StatusLine):
        super().__init__(state, status)
        self.names = rules.involvement_names()
        self.found: list[Plan] = []
        self.plan = widgets.Dropdown(description="Plan", options=[], layout=wide())
        self.on_pick(self.plan, self._plan_picked)
        self.about = text_block()
        self.goals = text_block()
        self.goals.add_class("collab-community-plan-goals")
        self.calendar = text_block()
        self.calendar.add_class("collab-community-calendar")
        self.coverage = CoverageView("Coverage of the six types of involvement")
        self.evaluation = text_block()
        self.evaluation.add_class("collab-community-evaluation")
        self.feedback = text_block()
        self.feedback.add_class("collab-community-feedback")
        make = button(
            "Make the plan report",
            "A page to print or share, and Markdown",
            "primary",
            name="make-plan-report",
        )
        make.on_click(self.guard(lambda _b: self._make_report()))
        self.report_links = text_block()
        self.report_links.add_class("collab-community-report-links")
        coordinator = state.can_change
        adding = [self._build_plan_form()] if coordinator else []
        writing = self._build_goal_forms() if coordinator else []
        evaluating = [self._build_evaluation_forms()] if coordinator else []
        self.chosen = stacked(
            [
                self.about,
                heading("Goals and activities", 4),
                self.goals,
                *writing,
                heading("Calendar", 4),
                self.calendar,
                heading("Coverage", 4),
                note(
                    "Planned activities per type, and everything done in the plan's dates "
                    "from every source: they count toward the plan by themselves."
                ),
                self.coverage,
                heading("Evaluation", 4),
                self.evaluation,
                self.feedback,
                *evaluating,
                heading("The plan report", 4),
                note(
                    "A page to print or share (the chart inside, no outside request) and "
                    "Markdown: counts only, no student named."
                ),
                make,
                self.report_links,
            ]
        )
        self.lay_out(
            [
                heading("Partnership plan"),
                note(
                    "The school's action team plans the year: goals, and for each the "
                    "activities across the six types of involvement; at year end, what "
                    "happened, who came and what families said."
                ),
                *adding,
                self.plan,
                self.chosen,
            ],
            "collab-community-plan-tab",
        )

    # --- the coordinator's forms ------------------------------------------------------------

    def _build_plan_form(self) -> widgets.Widget:
        today = self.scope.store.clock.today()
        self.plan_title = widgets.Text(description="Title", placeholder="e.g. 2026–27")
        self.plan_starts = widgets.DatePicker(description="Starts", value=today)
        self.plan_ends = widgets.DatePicker(
            description="Ends", value=today + dt.timedelta(days=364)
        )
        add = form_button(
            "Start the plan",
            "A one-year partnership plan",
            [self.plan_title],
            "primary",
            "add-plan",
        )
        add.on_click(self.guard(lambda _b: self._add_plan()))
        return card(
            [
                heading("Start a plan", 4),
                row([self.plan_title, self.plan_starts, self.plan_ends]),
                add,
            ],
            "collab-community-plan-add",
        )

    def _build_goal_forms(self) -> list[widgets.Widget]:
        self.goal_kind = widgets.Dropdown(
            description="Kind", options=[(kind.capitalize(), kind) for kind in GOAL_KINDS]
        )
        self.goal_text = widgets.Textarea(
            description="Goal", placeholder="what the school wants by year end", layout=wide()
        )
        self.team_goal = widgets.Dropdown(
            description="PLC goal",
            options=[NO_TEAM_GOAL],
            layout=wide(),
            tooltip="An academic goal may link to a team's SMART goal",
        )
        add_goal = form_button(
            "Add the goal", "A goal of the plan", [self.goal_text], name="add-plan-goal"
        )
        # only an academic goal links to a team's goal
        self.goal_kind.observe(
            lambda change: set_shown(self.team_goal, change["new"] == "academic"), "value"
        )
        add_goal.on_click(self.guard(lambda _b: self._add_goal()))
        self.activity_goal = widgets.Dropdown(description="For goal", options=[], layout=wide())
        self.activity_title = widgets.Text(
            description="Activity", placeholder="e.g. Family maths night", layout=wide()
        )
        self.activity_kind = widgets.Dropdown(
            description="Involvement", options=tab.involvement_options()
        )
        self.activity_day = widgets.DatePicker(
            description="Planned on", value=self.scope.store.clock.today()
        )
        self.responsible = widgets.Text(description="Responsible", placeholder="who leads it")
        self.expected = widgets.BoundedIntText(
            description="Expected",
            value=20,
            min=0,
            max=rules.MAX_PARTICIPANTS,
            tooltip="Participants expected",
        )
        add_activity = form_button(
            "Add the activity",
            "An activity of the goal",
            [self.activity_title, self.responsible],
            name="add-plan-activity",
        )
        add_activity.on_click(self.guard(lambda _b: self._add_activity()))
        return [
            card(
                [
                    heading("Add a goal", 4),
                    row([self.goal_kind, self.team_goal]),
                    self.goal_text,
                    add_goal,
                    heading("Add an activity", 4),
                    row([self.activity_goal, self.activity_title]),
                    row([self.activity_kind, self.activity_day]),
                    row([self.responsible, self.expected]),
                    add_activity,
                ],
                "collab-community-plan-write",
            )
        ]

    def _build_evaluation_forms(self) -> widgets.Widget:
        self.outcome_activity = widgets.Dropdown(
            description="Which activity", options=[], layout=wide()
        )
        self.on_pick(self.outcome_activity, lambda _value: self._show_outcome())
        self.happened = widgets.Dropdown(description="It", options=OUTCOME_OPTIONS)
        self.came = widgets.BoundedIntText(
            description="Came",
            value=0,
            min=0,
            max=rules.MAX_PARTICIPANTS,
            tooltip="How many took part",
        )
        save_outcome = button("Save", "Whether it happened, and how many came", name="set-outcome")
        save_outcome.on_click(self.guard(lambda _b: self._set_outcome()))
        self.evaluation_text = widgets.Textarea(
            description="Summary",
            placeholder="the year-end evaluation, in the team's words",
            layout=widgets.Layout(width="100%", height="120px"),
        )
        save_evaluation = form_button(
            "Save the evaluation",
            "The year-end summary",
            [self.evaluation_text],
            name="save-evaluation",
        )
        save_evaluation.on_click(self.guard(lambda _b: self._save_evaluation()))
        return card(
            [
                heading("Did it happen?", 5),
                row([self.outcome_activity, self.happened, self.came, save_outcome]),
                heading("The year-end evaluation", 5),
                self.evaluation_text,
                save_evaluation,
            ],
            "collab-community-evaluation-write",
        )

    # --- drawing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.found = plans.plans(self.scope)
        tab.fill(self.plan, self, [(p.title, p.id) for p in self.found])
        set_shown(self.plan, bool(self.found))
        if self.state.can_change:
            tab.fill(
                self.team_goal,
                self,
                [NO_TEAM_GOAL, *((name, gid) for gid, name in plans.team_goals(self.scope))],
            )
        self._plan_picked(self.plan.value)

    def _shown(self) -> Plan | None:
        return next((p for p in self.found if p.id == self.plan.value), None)

    def _plan_picked(self, plan_id) -> None:
        self.state.plan_id = plan_id
        self.report_links.value = ""
        found = self._shown()
        set_shown(self.chosen, found is not None)
        if found is None:
            return
        activities = [a for goal in found.goals for a in goal.activities]
        self.about.value = (
            f"<p><b>{html.escape(found.title)}</b>: {tab.day(found.starts_on)} – "
            f"{tab.day(found.ends_on)} · {len(found.goals)} goals, "
            f"{len(activities)} activities</p>"
        )
        self.goals.value = self._goals_html(found)
        self.calendar.value = (
            calendar_html(activities, self.names)
            if activities
            else note_html("The calendar fills as activities are planned.")
        )
        self.coverage.show(plans.coverage(self.scope, found.id))
        self._draw_evaluation(found, activities)
        if self.state.can_change:
            tab.fill(
                self.activity_goal,
                self,
                [(f"{g.kind.capitalize()}: {g.text[:60]}", g.id) for g in found.goals],
            )
            tab.fill(
                self.outcome_activity,
                self,
                [(f"{a.title} · {tab.day(a.planned_on)}", a.id) for a in activities],
            )
            self._show_outcome()
            self.evaluation_text.value = found.evaluation

    def _goals_html(self, found: Plan) -> str:
        if not found.goals:
            return note_html("No goal yet.")
        listed = "".join(
            f"<li><b>{html.escape(g.kind.capitalize())}</b>: {html.escape(g.text)}"
            + (f" <i>(PLC goal: {html.escape(g.team_goal)})</i>" if g.team_goal else "")
            + "</li>"
            for g in found.goals
        )
        rows = activity_rows(found, self.names)
        table = (
            html_table(
                [
                    "Goal",
                    "Type of involvement",
                    "Activity",
                    "Planned on",
                    "Responsible",
                    "Expected",
                    "Outcome",
                    "Came",
                ],
                rows,
                "collab-table collab-community-plan-table",
            )
            if rows
            else note_html("No activity planned yet.")
        )
        return f"<ul>{listed}</ul>{table}"

    def _draw_evaluation(self, found: Plan, activities: list[PlanActivity]) -> None:
        tally = rules.outcomes(activities)
        self.evaluation.value = (
            f"<p>{tally.happened} of {tally.planned} planned activities happened "
            f"({tally.unsaid} not yet said); {tally.came} took part where "
            f"{tally.expected} were expected.</p>"
            + (f"<p>{html.escape(found.evaluation)}</p>" if found.evaluation else "")
        )
        feedback = plans.year_end_feedback(self.scope, found.id)
        if feedback.means:
            self.feedback.value = f"<h5>Family feedback ({feedback.answered} answers)</h5>" + (
                html_table(
                    ["Statement", "Mean (1 to 4)"],
                    [[question, f"{mean:.1f}"] for question, mean in feedback.means],
                    "collab-table collab-community-feedback-table",
                )
            )
        elif feedback.rounds:
            self.feedback.value = note_html(
                f"Family feedback: fewer than {feedback.minimum} families answered in the "
                "plan's dates, so no figure is shown."
            )
        else:
            self.feedback.value = note_html(
                "Family feedback: no survey round was opened in the school's classes in the "
                "plan's dates."
            )

    def _show_outcome(self) -> None:
        found = self._shown()
        activity = next(
            (
                a
                for goal in (found.goals if found else ())
                for a in goal.activities
                if a.id == self.outcome_activity.value
            ),
            None,
        )
        if activity is None:
            return
        self.happened.value = {None: "unsaid", True: "yes", False: "no"}[activity.happened]
        self.came.value = activity.participants or 0

    # --- actions ----------------------------------------------------------------------------

    def _plan_id(self) -> int:
        return self.state.chosen("plan_id", "a plan")

    def _add_plan(self) -> None:
        plan_id = plans.create_plan(
            self.scope,
            self.plan_title.value,
            tab.need(self.plan_starts.value, "the day the plan starts"),
            tab.need(self.plan_ends.value, "the day the plan ends"),
        )
        self.plan_title.value = ""
        self.state.changed()
        self.plan.value = plan_id
        self.status.ok("The plan is started: add its goals.")

    def _add_goal(self) -> None:
        plans.add_goal(
            self.scope,
            self._plan_id(),
            self.goal_kind.value,
            self.goal_text.value,
            self.team_goal.value if self.goal_kind.value == "academic" else None,
        )
        self.goal_text.value = ""
        self.state.changed()
        self.status.ok("The goal is added: plan its activities.")

    def _add_activity(self) -> None:
        plans.add_activity(
            self.scope,
            tab.need(self.activity_goal.value, "a goal"),
            self.activity_title.value,
            tab.need(self.activity_kind.value, "the type of involvement"),
            tab.need(self.activity_day.value, "the day it is planned"),
            self.responsible.value,
            self.expected.value,
        )
        self.activity_title.value = ""
        self.state.changed()
        self.status.ok("The activity is planned.")

    def _set_outcome(self) -> None:
        happened = OUTCOME_VALUES[self.happened.value]
        plans.set_outcome(
            self.scope,
            tab.need(self.outcome_activity.value, "an activity"),
            happened,
            self.came.value if happened else None,
        )
        self.state.changed()
        self.status.ok("Saved.")

    def _save_evaluation(self) -> None:
        plans.set_evaluation(self.scope, self._plan_id(), self.evaluation_text.value)
        self.state.changed()
        self.status.ok("The evaluation is saved.")

    def _make_report(self) -> None:
        found = self._shown()
        if found is None:
            tab.need(None, "a plan")
        made = report.plan_report(self.scope, found.id)
        name = report.file_stem(self.scope.school_name(), found.title)
        page = made.html.encode("utf-8")
        self.report_links.value = (
            download_link(
                "Open or save the plan report (HTML)",
                f"{name}.html",
                "text/html",
                page,
                "collab-plan-report-html",
            )
            + " · "
            + download_link(
                "Markdown",
                f"{name}.md",
                "text/markdown",
                made.markdown.encode("utf-8"),
                "collab-plan-report-md",
            )
            + " · "
            + download_link(
                "The activities for a spreadsheet (CSV)",
                f"{name}.csv",
                "text/csv",
                made.csv.encode("utf-8-sig"),  # the mark tells Excel it is UTF-8
                "collab-plan-report-csv",
            )
            + note_html(f"{found.title}: {len(page) // 1024} KB.")
        )
        self.status.ok("The plan report is ready: open it, print it or save it.")
