"""A lesson study cycle: the research theme (tied to the goal), study notes, the research
lesson (a plan written together), the case students, teaching and observing, the debrief,
revising and, if the team wants, teaching again, and the report."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.classroom import cycle_links, rules
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.model import LessonStudy
from collab_widgets.classroom.ui.parts import text_box
from collab_widgets.core.db import Permission, TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.ui.autosave import SharedText
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    form_button,
    heading,
    note,
    note_html,
    refill,
    replace_children,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.protocols.library import load_library
from collab_widgets.team.store import members

DEBRIEF = "lesson-study-debrief"
MOVE_LABELS = {
    rules.STUDY: "Go on to study",
    rules.THEME: "Back to the theme",
    rules.PLAN: "Go on to plan the lesson",
    rules.TEACH: "Start the lesson: observers take notes",
    rules.DEBRIEF: "The lesson is over: debrief",
    rules.REVISE: "Go on to revise the lesson",
    rules.TEACH_AGAIN: "Teach the revised lesson again",
    rules.REPORT: "Write the report",
    rules.DONE: "The lesson study is done",
}


def stages_html(stage: str) -> str:
    """The cycle's stages as a row of steps, the current one marked in words too."""
    items = []
    for key in rules.STAGES:
        name = html.escape(rules.STAGE_NAMES[key])
        if key == stage:
            items.append(
                f"<li class='collab-stage-now' aria-current='step'><b>{name}</b> (now)</li>"
            )
        else:
            items.append(f"<li>{name}</li>")
    return f"<ol class='collab-stages'>{''.join(items)}</ol>"


class LessonStudyPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        status: StatusLine,
        indicator: SavedIndicator,
        debrief_started: Callable[[], None] = lambda: None,
    ):
        self.scope, self.status, self.indicator = scope, status, indicator
        self.debrief_started = debrief_started
        self.study: LessonStudy | None = None
        self.filling = False
        guard = guarded(status)
        self.choice = widgets.Dropdown(
            description="Lesson study", options=[], layout={"width": "auto"}
        )
        self.choice.observe(guard(lambda _c: None if self.filling else self.refresh()), "value")
        self.new_title = widgets.Text(
            description="New lesson study", placeholder="e.g. Fractions on a number line"
        )
        create = form_button(
            "Start a lesson study", "Start a new cycle", [self.new_title], name="new-study"
        )
        create.on_click(guard(lambda _b: self._create()))
        self.stages = text_block()
        self.moves = side_by_side()
        self.goal = text_block()
        self.texts = {
            "theme": text_box(
                "Research theme",
                "The long-term quality the team wants in its students, tied to the goal",
                "collab-study-theme",
            ),
            "study_notes": text_box(
                "Study notes",
                "What the curriculum, standards and research say; what students already know",
                "collab-study-notes",
            ),
            "report": text_box(
                "Report",
                "What we tried, what we saw students do, what we learned, what we will share",
                "collab-study-report",
            ),
        }
        self.shared = {
            field: SharedText(
                box,
                lambda typed, base, f=field: classroom.set_study_text(
                    self.scope, self._study_id(), f, typed, base
                ),
                indicator,
                f"study:none:{field}",
            )
            for field, box in self.texts.items()
        }
        self.plan = widgets.Dropdown(description="Research lesson", options=[])
        self.plan.observe(guard(lambda _c: self._plan_chosen()), "value")
        self.teacher = widgets.Dropdown(description="Who teaches it", options=[])
        self.teacher.observe(guard(lambda _c: self._teacher_chosen()), "value")
        self.assessment = widgets.Dropdown(description="Students from", options=[])
        self.assessment.observe(guard(lambda _c: self._assessment_chosen()), "value")
        self.case_students = widgets.SelectMultiple(
            description="Case students", options=[], rows=6, layout={"width": "auto"}
        )
        save_cases = button(
            "Save the case students", "Observers follow these students", name="save-cases"
        )
        save_cases.on_click(guard(lambda _b: self._save_cases()))
        self.cases_now = text_block()
        self.debrief = button(
            "Start the debrief",
            "The debrief protocol, with the observers' notes already on its boards",
            "primary",
            "start-debrief",
        )
        self.debrief.on_click(guard(lambda _b: self._start_debrief()))
        self.debrief_note = text_block()
        self.delete = Confirm(
            "Delete this lesson study",
            "Delete it with every note and photo",
            "Delete this lesson study, with every observation note and photo, for good? A "
            "debrief already held stays among its meeting's protocols.",
            "Yes, delete it",
            lambda: self._delete(),
            status,
            name="delete-study",
        )
        self.body = stacked(
            [
                self.stages,
                self.moves,
                self.goal,
                self.shared["theme"].view,
                self.shared["study_notes"].view,
                heading("The research lesson", 4),
                side_by_side([self.plan, self.teacher]),
                heading("Case students", 4),
                note(
                    "Two or three students the observers follow closely, chosen by the names "
                    "the workbook gives them (never their real names)."
                ),
                self.assessment,
                self.case_students,
                save_cases,
                self.cases_now,
                heading("Debrief", 4),
                self.debrief_note,
                self.debrief,
                self.shared["report"].view,
                self.delete,
            ]
        )
        self.empty = note("No lesson study yet: name one and start it.")
        super().__init__(
            [
                heading("Lesson study"),
                note(
                    "Plan one research lesson together, teach it while the others watch "
                    "students' learning, debrief on what you saw, revise, maybe teach again, "
                    "and share what you learned."
                ),
                self.choice,
                side_by_side([self.new_title, create]),
                self.empty,
                self.body,
            ]
        )
        self.add_class("collab-lesson-study")

    def refresh(self) -> None:
        studies = classroom.studies(self.scope)
        self.filling = True
        try:
            refill(self.choice, [(f"{s.title} ({s.stage_name})", s.id) for s in studies])
        finally:
            self.filling = False
        self.study = next((s for s in studies if s.id == self.choice.value), None)
        set_shown(self.empty, self.study is None)
        set_shown(self.body, self.study is not None)
        if self.study is not None:
            self._draw(self.study)

    def _draw(self, study: LessonStudy) -> None:
        self.stages.value = stages_html(study.stage)
        moves = []
        for to in rules.next_stages(study.stage):
            if to == rules.TEACH_AGAIN and study.teaching > 1:
                continue
            move = button(MOVE_LABELS[to], rules.STAGE_NAMES[to], name=f"stage-{to}")
            move.on_click(guarded(self.status)(lambda _b, t=to: self._move(t)))
            moves.append(move)
        replace_children(self.moves, moves)
        cycle = cycle_links.current_cycle(self.scope)
        goal = cycle_links.goal_statement(self.scope, cycle)
        self.goal.value = note_html(
            f"The team's goal: {goal}" if goal else "The team has no goal saved yet."
        )
        for field, shared in self.shared.items():
            shared.load(getattr(study, field), f"study:{study.id}:{field}")
        roster = members.roster(self.scope)
        self.filling = True
        try:
            refill(
                self.plan,
                [("Not chosen yet", None)] + [(p.title, p.id) for p in classroom.plans(self.scope)],
                keep=study.plan_id,
            )
            refill(
                self.teacher,
                [("Not chosen yet", None)] + [(m.name, m.id) for m in roster],
                keep=study.teacher_id,
            )
            refill(
                self.assessment,
                [("Choose an assessment", None)]
                + cycle_links.linked_assessments(self.scope, cycle),
                keep=study.assessment_id,
            )
            self._fill_students(study)
        finally:
            self.filling = False
        self.plan.disabled = study.stage in rules.TEACHING
        chosen = ", ".join(study.case_students) or "none chosen yet"
        self.cases_now.value = note_html(f"Case students: {chosen}.")
        self.debrief.disabled = study.stage != rules.DEBRIEF or study.debrief_run_id is not None
        self.debrief_note.value = note_html(
            "The debrief has started: it runs on the Debrief tab, with the notes on its boards."
            if study.debrief_run_id and study.stage == rules.DEBRIEF
            else "Once the lesson is over, the debrief puts every observer's notes on the board, "
            "grouped by case student and by part of the lesson."
        )
        set_shown(self.delete, self.scope.allows(Permission.FACILITATE))

    def _study_id(self) -> int:
        if self.study is None:
            raise NotFound(classroom.STUDY_GONE)
        return self.study.id

    def _fill_students(self, study: LessonStudy) -> None:
        names: list[str] = []
        if self.assessment.value is not None:
            names = sorted(cycle_links.assessment_students(self.scope, self.assessment.value))
        self.case_students.options = names
        self.case_students.value = tuple(n for n in study.case_students if n in names)

    # --- actions --------------------------------------------------------------------------

    def _create(self) -> None:
        cycle = cycle_links.current_cycle(self.scope)
        study_id = classroom.create_study(
            self.scope, self.new_title.value, cycle.id if cycle else None
        )
        self.new_title.value = ""
        self.filling = True
        try:
            self.choice.options = [*self.choice.options, ("", study_id)]
            self.choice.value = study_id
        finally:
            self.filling = False
        self.refresh()
        self.status.ok("The lesson study is started. Begin with its research theme.")

    def _move(self, to: str) -> None:
        study = classroom.move(self.scope, self.study.id, to)
        self.refresh()
        self.status.ok(f"The lesson study is at “{study.stage_name}”.")

    def _plan_chosen(self) -> None:
        if not self.filling and self.study is not None:
            classroom.set_research_lesson(self.scope, self.study.id, self.plan.value)
            self.indicator.saved("study-plan")

    def _teacher_chosen(self) -> None:
        if not self.filling and self.study is not None:
            classroom.set_teacher(self.scope, self.study.id, self.teacher.value)
            self.indicator.saved("study-teacher")

    def _assessment_chosen(self) -> None:
        if not self.filling and self.study is not None:
            self.filling = True
            try:
                self._fill_students(self.study)
            finally:
                self.filling = False

    def _save_cases(self) -> None:
        classroom.set_case_students(
            self.scope, self.study.id, self.assessment.value, list(self.case_students.value)
        )
        self.refresh()
        self.status.ok("The case students are saved.")

    def _start_debrief(self) -> None:
        protocol = load_library().get(DEBRIEF)
        if protocol is None:
            self.status.error("The debrief protocol is missing from the protocol library.")
            return
        roles = {r: m.id for r, m in members.current_roles(self.scope).items() if m}
        roles = {r: m for r, m in roles.items() if r in protocol.roles}
        study = self.study
        if study.teacher_id is not None and "presenter" in protocol.roles:
            roles["presenter"] = study.teacher_id
            if roles.get("facilitator") == study.teacher_id:
                roles.pop("facilitator")
        classroom.start_debrief(self.scope, study.id, protocol, roles)
        self.refresh()
        self.status.ok("The debrief has started, with the observers' notes on its boards.")
        self.debrief_started()

    def _delete(self) -> None:
        classroom.delete_study(self.scope, self.study.id)
        self.refresh()
        self.status.ok("The lesson study, its notes and photos are deleted.")
