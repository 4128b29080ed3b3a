"""The Service & careers tab. Service learning: a class's project with a partner and a
curriculum link, its student teams (the groups a teacher made for the class), the hours
each team served, milestones, the teams' reflections (What? So what? Now what?), outcomes
and a quality self-assessment against the service-learning standards. Careers: speakers,
job shadows, internships and apprenticeships along the awareness → exploration →
preparation continuum, and the students placed at each with their hours.

Students show as their team's pseudonym and class, never by name; teams as "Team 1"."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.community import library, rules
from collab_widgets.community.model import CAREER_STAGES, ServiceProject
from collab_widgets.community.store import partners, projects
from collab_widgets.community.ui import community_tab as tab
from collab_widgets.community.ui.community_tab import Panel, card, row, wide
from collab_widgets.community.ui.state import CommunityState
from collab_widgets.core.errors import CollabError
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    html_table,
    note,
    note_html,
    set_shown,
    stacked,
    text_block,
)

NOT_RATED = ("— not rated", 0)
RATING_WORDS = {1: "1 — not yet", 2: "2 — beginning", 3: "3 — mostly", 4: "4 — fully"}


def _partner_options(scope) -> list[tuple[str, int | None]]:
    return [("— no partner", None), *((name, pid) for pid, name in partners.partner_names(scope))]


def project_rows(found: list[ServiceProject]) -> list[list[str]]:
    return [
        [
            p.title,
            p.class_name,
            p.partner or "—",
            f"{tab.day(p.starts_on)} – {tab.day(p.ends_on)}",
            str(len(p.teams)),
            tab.hours(sum(t.hours for t in p.teams)),
        ]
        for p in found
    ]


class ProjectsPanel(Panel):
    """``refresh()`` reads the school's service projects and career events."""

    def __init__(self, state: CommunityState, status: StatusLine):
        super().__init__(state, status)
        try:
            self.standards = [(s.id, s.name) for s in library.load_quality()]
            self.kind_words = library.career_event_names()
        except CollabError as exc:
            status.error(str(exc))
            self.standards, self.kind_words = [], {}
        self.found: list[ServiceProject] = []
        self.classes: list[tuple[int, str]] = []
        self.project_table = text_block()
        self.project_table.add_class("collab-community-projects")
        self.project = widgets.Dropdown(description="Project", options=[], layout=wide())
        self.on_pick(self.project, self._project_picked)
        self.project_view = text_block()
        self.project_view.add_class("collab-community-project")
        self.event_table = text_block()
        self.event_table.add_class("collab-community-careers")
        self.event = widgets.Dropdown(description="Event", options=[], layout=wide())
        self.on_pick(self.event, lambda _value: self._draw_placements())
        self.placement_table = text_block()
        self.placement_table.add_class("collab-community-placements")
        coordinator = state.can_change
        adding = [self._build_project_form()] if coordinator else []
        for_project = [self._build_project_tools()] if coordinator else []
        adding_event = [self._build_event_form()] if coordinator else []
        placing = [self._build_placement_form()] if coordinator else []
        self.one_project = card(
            [heading("One project", 4), self.project, self.project_view, *for_project],
            "collab-community-project-card",
        )
        self.one_event = card(
            [heading("Students placed", 4), self.event, self.placement_table, *placing],
            "collab-community-placement-card",
        )
        self.lay_out(
            [
                heading("Service learning"),
                note(
                    "A class's service project with a partner: its teams come from the "
                    "groups the class's teacher made. Hours are per student of a team; a "
                    "team's total is those hours times its students."
                ),
                self.project_table,
                *adding,
                self.one_project,
                heading("Career exploration"),
                note(
                    "Speakers build awareness, job shadows exploration, internships "
                    "preparation, apprenticeships training. Students placed show as their "
                    "pseudonym and class."
                ),
                self.event_table,
                *adding_event,
                self.one_event,
            ],
            "collab-community-projects-tab",
        )

    # --- the coordinator's forms ------------------------------------------------------------

    def _build_project_form(self) -> widgets.Widget:
        today = self.scope.store.clock.today()
        self.title = widgets.Text(
            description="Title", placeholder="e.g. River clean-up", layout=wide()
        )
        self.project_class = widgets.Dropdown(description="Class", options=[])
        self.project_partner = widgets.Dropdown(description="Partner", options=[], layout=wide())
        self.project_standards = widgets.Text(
            description="Curriculum",
            placeholder="the standards it links to, e.g. Science 5.2",
            layout=wide(),
        )
        self.project_starts = widgets.DatePicker(description="Starts", value=today)
        self.project_ends = widgets.DatePicker(
            description="Ends", value=today + dt.timedelta(days=60)
        )
        add = form_button(
            "Add the project",
            "A service project of one of the school's classes",
            [self.title, self.project_standards],
            "primary",
            "add-project",
        )
        add.on_click(self.guard(lambda _b: self._add_project()))
        return card(
            [
                heading("Add a service project", 4),
                row([self.title, self.project_class, self.project_partner]),
                self.project_standards,
                row([self.project_starts, self.project_ends]),
                add,
            ],
            "collab-community-project-add",
        )

    def _build_project_tools(self) -> widgets.Widget:
        today = self.scope.store.clock.today()
        self.grouping = widgets.Dropdown(
            description="Groups",
            options=[],
            layout=wide(),
            tooltip="Groups the class's teacher made: each group becomes a project team",
        )
        make_teams = button(
            "Make teams from these groups", "One project team per group", name="make-teams"
        )
        make_teams.on_click(self.guard(lambda _b: self._make_teams()))
        self.team = widgets.Dropdown(description="Team that served", options=[])
        self.served_on = widgets.DatePicker(description="Served on", value=today)
        self.hours = widgets.FloatText(
            description="Hours",
            value=1.0,
            tooltip=f"Hours each student of the team served that day (up to "
            f"{rules.MAX_HOURS_A_DAY})",
        )
        self.served_what = widgets.Text(
            description="What", placeholder="e.g. planted trees", layout=wide()
        )
        log = form_button(
            "Log the hours",
            "Hours each student of the team served",
            [self.served_what],
            name="log-hours",
        )
        log.on_click(self.guard(lambda _b: self._log_hours()))
        self.milestone_title = widgets.Text(
            description="Milestone", placeholder="e.g. plan agreed with the partner"
        )
        self.milestone_due = widgets.DatePicker(
            description="Due", value=today + dt.timedelta(days=14)
        )
        add_milestone = form_button(
            "Add the milestone",
            "A step of the project",
            [self.milestone_title],
            name="add-milestone",
        )
        add_milestone.on_click(self.guard(lambda _b: self._add_milestone()))
        self.milestone = widgets.Dropdown(description="Milestone", options=[], layout=wide())
        mark = button("Mark it done", "Done today", name="milestone-done")
        mark.on_click(self.guard(lambda _b: self._mark_done()))
        self.reflect_team = widgets.Dropdown(description="Team reflecting", options=[])
        self.what = widgets.Textarea(description="What?", placeholder="what we did", layout=wide())
        self.so_what = widgets.Textarea(
            description="So what?", placeholder="what it meant", layout=wide()
        )
        self.now_what = widgets.Textarea(
            description="Now what?", placeholder="what we will do next", layout=wide()
        )
        reflect = form_button(
            "Save the reflection",
            "The team's reflection",
            [self.what, self.so_what, self.now_what],
            name="add-reflection",
        )
        reflect.on_click(self.guard(lambda _b: self._reflect()))
        self.ratings = {
            standard_id: widgets.Dropdown(
                description=name,
                options=[NOT_RATED, *((words, n) for n, words in RATING_WORDS.items())],
                value=0,
                style={"description_width": "initial"},
                layout=wide(),
            )
            for standard_id, name in self.standards
        }
        rate = button("Save the self-assessment", "The project's ratings", name="rate-quality")
        rate.on_click(self.guard(lambda _b: self._rate()))
        self.outcomes = widgets.Textarea(
            description="Outcomes", placeholder="what the project achieved", layout=wide()
        )
        save_outcomes = form_button(
            "Save the outcomes",
            "What the project achieved",
            [self.outcomes],
            name="save-outcomes",
        )
        save_outcomes.on_click(self.guard(lambda _b: self._save_outcomes()))
        return stacked(
            [
                heading("Teams", 5),
                row([self.grouping, make_teams]),
                heading("Hours", 5),
                row([self.team, self.served_on, self.hours]),
                row([self.served_what, log]),
                heading("Milestones", 5),
                row([self.milestone_title, self.milestone_due, add_milestone]),
                row([self.milestone, mark]),
                heading("A team's reflection", 5),
                self.reflect_team,
                self.what,
                self.so_what,
                self.now_what,
                reflect,
                heading("Quality self-assessment", 5),
                note("How fully the project meets each standard, from 1 (not yet) to 4."),
                *self.ratings.values(),
                rate,
                heading("Outcomes", 5),
                self.outcomes,
                save_outcomes,
            ]
        )

    def _build_event_form(self) -> widgets.Widget:
        self.event_kind = widgets.Dropdown(
            description="Kind",
            options=[
                (f"{self.kind_words.get(kind, kind)} ({stage})", kind)
                for kind, stage in CAREER_STAGES.items()
            ],
        )
        self.event_title = widgets.Text(
            description="Event title", placeholder="e.g. A nurse's day", layout=wide()
        )
        self.event_day = widgets.DatePicker(
            description="Held on", value=self.scope.store.clock.today()
        )
        self.event_partner = widgets.Dropdown(
            description="Event's partner", options=[], layout=wide()
        )
        add = form_button(
            "Add the event", "A career event", [self.event_title], "primary", "add-career-event"
        )
        add.on_click(self.guard(lambda _b: self._add_event()))
        return card(
            [
                heading("Add a career event", 4),
                row([self.event_kind, self.event_title]),
                row([self.event_day, self.event_partner]),
                add,
            ],
            "collab-community-event-add",
        )

    def _build_placement_form(self) -> widgets.Widget:
        self.place_class = widgets.Dropdown(description="Student's class", options=[])
        self.on_pick(self.place_class, lambda _value: self._fill_students())
        self.place_student = widgets.Dropdown(
            description="Student", options=[], tooltip="The student's pseudonym"
        )
        self.place_hours = widgets.FloatText(
            description="Placement hours",
            value=0.0,
            tooltip=f"0 to {rules.MAX_PLACEMENT_HOURS}",
        )
        self.place_reflection = widgets.Textarea(
            description="Reflection",
            placeholder="the student's reflection (later is fine)",
            layout=wide(),
        )
        place = form_button(
            "Place the student",
            "A student of the class at this event",
            [self.place_reflection],
            name="place-student",
        )
        place.on_click(self.guard(lambda _b: self._place()))
        return stacked(
            [
                row([self.place_class, self.place_student, self.place_hours]),
                self.place_reflection,
                place,
            ]
        )

    # --- drawing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        self.found = projects.projects(self.scope)
        self.classes = projects.school_classes(self.scope)
        self.project_table.value = (
            html_table(
                ["Project", "Class", "Partner", "Dates", "Teams", "Hours"],
                project_rows(self.found),
                "collab-table collab-community-project-table",
            )
            if self.found
            else note_html("No service project yet.")
        )
        tab.fill(self.project, self, [(p.title, p.id) for p in self.found])
        set_shown(self.one_project, bool(self.found))
        if self.state.can_change:
            class_options = [(name, class_id) for class_id, name in self.classes]
            partner_options = _partner_options(self.scope)
            tab.fill(self.project_class, self, class_options)
            tab.fill(self.project_partner, self, partner_options)
            tab.fill(self.event_partner, self, partner_options)
            tab.fill(self.place_class, self, class_options)
            self._fill_students()
        self._project_picked(self.project.value)
        self._draw_events()

    def _shown_project(self) -> ServiceProject | None:
        return next((p for p in self.found if p.id == self.project.value), None)

    def _project_picked(self, project_id) -> None:
        self.state.project_id = project_id
        project = self._shown_project()
        if project is None:
            self.project_view.value = ""
            return
        self.project_view.value = self._project_html(project)
        if self.state.can_change:
            self._fill_project_tools(project)

    def _project_html(self, p: ServiceProject) -> str:
        teams = (
            html_table(
                ["Team", "Students", "Hours"],
                # a working list, each team as the coordinator made it (its hours would
                # give its size away anyway); the school's totals hide small counts
                [[t.name, str(t.students), tab.hours(t.hours)] for t in p.teams],
                "collab-table collab-community-team-table",
            )
            if p.teams
            else note_html("No team yet: make them from the class's groups.")
        )
        milestones = (
            html_table(
                ["Milestone", "Due", "Done"],
                [[m.title, tab.day(m.due_on), tab.day(m.done_on)] for m in p.milestones],
                "collab-table collab-community-milestone-table",
            )
            if p.milestones
            else note_html("No milestone yet.")
        )
        reflections = (
            html_table(
                ["Team", "What?", "So what?", "Now what?"],
                [[r.team, r.what, r.so_what, r.now_what] for r in p.reflections],
                "collab-table collab-community-reflection-table",
            )
            if p.reflections
            else note_html("No reflection yet.")
        )
        names = dict(self.standards)
        quality = (
            html_table(
                ["Standard", "Rating"],
                [
                    [names.get(standard, standard), RATING_WORDS.get(rating, str(rating))]
                    for standard, rating in p.quality.items()
                ],
                "collab-table collab-community-quality-table",
            )
            if p.quality
            else note_html("Not self-assessed yet.")
        )
        return (
            f"<p><b>{html.escape(p.title)}</b> · {html.escape(p.class_name)} · with "
            f"{html.escape(p.partner or 'no partner')} · {tab.day(p.starts_on)} – "
            f"{tab.day(p.ends_on)}</p>"
            f"<p>Curriculum: {html.escape(p.standards or '—')}</p>"
            f"<p>Outcomes: {html.escape(p.outcomes or '—')}</p>"
            + "<h5>Teams</h5>"
            + teams
            + "<h5>Milestones</h5>"
            + milestones
            + "<h5>Reflections</h5>"
            + reflections
            + "<h5>Quality self-assessment</h5>"
            + quality
        )

    def _fill_project_tools(self, project: ServiceProject) -> None:
        groupings = [
            (f"{name} ({groups} groups)", grouping_id)
            for class_id, class_name in self.classes
            if class_name == project.class_name
            for grouping_id, name, groups in projects.class_groupings(self.scope, class_id)
        ]
        tab.fill(self.grouping, self, groupings)
        teams = [(t.name, t.id) for t in project.teams]
        tab.fill(self.team, self, teams)
        tab.fill(self.reflect_team, self, teams)
        tab.fill(
            self.milestone,
            self,
            [
                (f"{m.title} (due {tab.day(m.due_on)})", m.id)
                for m in project.milestones
                if not m.done_on
            ],
        )
        for standard_id, box in self.ratings.items():
            box.value = project.quality.get(standard_id, 0)
        self.outcomes.value = project.outcomes

    def _fill_students(self) -> None:
        class_id = self.place_class.value
        students = [] if class_id is None else projects.class_students(self.scope, class_id)
        tab.fill(self.place_student, self, [(name, sid) for sid, name in students])

    def _draw_events(self) -> None:
        found = projects.events(self.scope)
        self.event_table.value = (
            html_table(
                ["Stage", "Kind", "Event", "Held on", "Partner", "Students placed", "Hours"],
                [
                    [
                        e.stage,
                        self.kind_words.get(e.kind, e.kind),
                        e.title,
                        tab.day(e.held_on),
                        e.partner or "—",
                        str(e.placements),  # listed one by one below, by pseudonym
                        tab.hours(e.hours),
                    ]
                    for e in sorted(found, key=lambda e: (_stage_order(e.stage), e.held_on))
                ],
                "collab-table collab-community-event-table",
            )
            if found
            else note_html("No career event yet.")
        )
        tab.fill(self.event, self, [(f"{e.title} · {tab.day(e.held_on)}", e.id) for e in found])
        set_shown(self.one_event, bool(found))
        self._draw_placements()

    def _draw_placements(self) -> None:
        event_id = self.event.value
        if event_id is None:
            self.placement_table.value = ""
            return
        found = projects.placements(self.scope, event_id)
        self.placement_table.value = (
            html_table(
                ["Class", "Student", "Hours", "Reflection"],
                [
                    [p.class_name, p.pseudonym, tab.hours(p.hours), p.reflection or "—"]
                    for p in found
                ],
                "collab-table collab-community-placement-table",
            )
            if found
            else note_html("No student placed at this event yet.")
        )

    # --- actions ----------------------------------------------------------------------------

    def _project_id(self) -> int:
        return tab.need(self.project.value, "a project")

    def _add_project(self) -> None:
        project_id = projects.add_project(
            self.scope,
            tab.need(self.project_class.value, "the project's class"),
            self.title.value,
            self.project_partner.value,
            self.project_standards.value,
            tab.need(self.project_starts.value, "the day the project starts"),
            tab.need(self.project_ends.value, "the day the project ends"),
        )
        self.title.value = self.project_standards.value = ""
        self.state.changed()
        self.project.value = project_id
        self.status.ok("The project is added: make its teams from the class's groups.")

    def _make_teams(self) -> None:
        made = projects.add_teams_from_grouping(
            self.scope, self._project_id(), tab.need(self.grouping.value, "the class's groups")
        )
        self.state.changed()
        self.status.ok(f"{len(made)} teams are made, one per group.")

    def _log_hours(self) -> None:
        projects.log_hours(
            self.scope,
            tab.need(self.team.value, "a team"),
            tab.need(self.served_on.value, "the day the team served"),
            self.hours.value,
            self.served_what.value,
        )
        self.served_what.value = ""
        self.state.changed()
        self.status.ok("The hours are logged.")

    def _add_milestone(self) -> None:
        projects.add_milestone(
            self.scope,
            self._project_id(),
            self.milestone_title.value,
            tab.need(self.milestone_due.value, "the day it is due"),
        )
        self.milestone_title.value = ""
        self.state.changed()
        self.status.ok("The milestone is added.")

    def _mark_done(self) -> None:
        projects.mark_milestone(self.scope, tab.need(self.milestone.value, "a milestone"), True)
        self.state.changed()
        self.status.ok("The milestone is done.")

    def _reflect(self) -> None:
        projects.add_reflection(
            self.scope,
            tab.need(self.reflect_team.value, "a team"),
            self.what.value,
            self.so_what.value,
            self.now_what.value,
        )
        self.what.value = self.so_what.value = self.now_what.value = ""
        self.state.changed()
        self.status.ok("The team's reflection is saved.")

    def _rate(self) -> None:
        ratings = {standard: box.value for standard, box in self.ratings.items() if box.value}
        projects.rate_quality(self.scope, self._project_id(), ratings)
        self.state.changed()
        self.status.ok("The self-assessment is saved.")

    def _save_outcomes(self) -> None:
        projects.set_outcomes(self.scope, self._project_id(), self.outcomes.value)
        self.state.changed()
        self.status.ok("The outcomes are saved.")

    def _add_event(self) -> None:
        projects.add_event(
            self.scope,
            tab.need(self.event_kind.value, "the kind of event"),
            self.event_title.value,
            tab.need(self.event_day.value, "the day of the event"),
            self.event_partner.value,
        )
        self.event_title.value = ""
        self.state.changed()
        self.status.ok("The career event is added.")

    def _place(self) -> None:
        projects.place_student(
            self.scope,
            tab.need(self.event.value, "an event"),
            tab.need(self.place_class.value, "the student's class"),
            tab.need(self.place_student.value, "a student"),
            self.place_hours.value,
            self.place_reflection.value,
        )
        self.place_reflection.value = ""
        self.state.changed()
        self.status.ok("The student is placed.")


def _stage_order(stage: str) -> int:
    stages = list(dict.fromkeys(CAREER_STAGES.values()))
    return stages.index(stage) if stage in stages else len(stages)
