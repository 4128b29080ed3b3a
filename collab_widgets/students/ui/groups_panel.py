"""The Groups tab: balanced groups for the open class, from the team's own evidence.

The class's teacher chooses the group size (or the number of groups), what to balance
(a percent or a band on a saved assessment or one standard, a note about students, the
students' own interests and free times: each weighted, each to mix or to match), who is
kept apart or together, and makes the groups (:mod:`collab_widgets.students.grouping`).
The groups explain themselves, move student by student (on the board by dragging or from
the keyboard, or with the plain Move form), are saved and print as cards that carry
names and group numbers only. The team's other members see the saved groups; a coach
sees them under pseudonyms, without what they were balanced on.

On screen, students show under their pseudonyms unless a member chose "Show names" (here
or on the Class tab: one switch, ``ClassState.show_names``); the printed cards carry the
display names, since they are handed to the students."""

from __future__ import annotations

import html
from dataclasses import dataclass

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import AccessDenied, CollabError, InvalidInput
from collab_widgets.core.model import plural
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
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
from collab_widgets.students import cards, evidence_links, grouping
from collab_widgets.students.model import Placement, Student
from collab_widgets.students.store import classes, groupings
from collab_widgets.students.ui.group_board import GroupBoard
from collab_widgets.students.ui.state import PSEUDONYMS_HINT, ClassState, NamesToggle

MAX_SIZE = 10
MAX_GROUPS = 100
DEFAULT_WEIGHT = 3
NO_NOTE = "no note"  # a student the chosen note says nothing about


@dataclass(frozen=True)
class Kind:
    label: str
    value_kind: str  # grouping.Criterion's kind
    aim: str  # the usual aim
    needs: str  # "assessment", "standard", "attribute" or "" (the survey)


KINDS = {
    "percent": Kind("Percent on an assessment", "number", "mix", "assessment"),
    "band": Kind("Band on an assessment", "category", "mix", "assessment"),
    "standard": Kind("Percent on one standard", "number", "mix", "standard"),
    "attribute": Kind("A note about students", "category", "mix", "attribute"),
    "interests": Kind("Interests (students' survey)", "set", "match", ""),
    "schedule": Kind("Free times (students' survey)", "set", "match", ""),
}
AIMS = [("Mix", "mix"), ("Match", "match")]
AIM_TIPS = ["Each group like the class", "Alike within a group"]


def assessment_name(label: str) -> str:
    """ "Unit 3 (24 students)" -> "Unit 3"."""
    name, paren, _ = label.rpartition(" (")
    return name if paren else label


class CriterionRow(widgets.VBox):
    """One thing to balance: its kind, what it is read from, its weight and its aim."""

    def __init__(self, kind: str, on_remove, status: StatusLine, standards_of):
        self.kind = kind
        self.filling = False
        self.standards_of = standards_of  # assessment id -> its standards
        about = KINDS[kind]
        redraw = guarded(status, flush=False)
        self.title = text_block(f"<b>{html.escape(about.label)}</b>")
        self.source = widgets.Dropdown(
            description="Assessment" if about.needs in ("assessment", "standard") else "Note",
            options=[],
            layout=widgets.Layout(width="auto"),
        )
        self.source.observe(
            redraw(lambda _c: None if self.filling else self._fill_standards()), "value"
        )
        self.standard = widgets.Dropdown(
            description="Standard", options=[], layout=widgets.Layout(width="auto")
        )
        self.weight = widgets.IntSlider(
            value=DEFAULT_WEIGHT,
            min=0,
            max=int(grouping.MAX_WEIGHT),
            description="Weight",
            tooltip="0: ignored; 5: matters most",
        )
        self.aim = widgets.ToggleButtons(
            options=AIMS, value=about.aim, description="Aim", tooltips=AIM_TIPS
        )
        remove = button("Remove", f"Stop balancing {about.label.lower()}", name="remove-criterion")
        remove.on_click(guarded(status)(lambda _b: on_remove(self)))
        set_shown(self.source, bool(about.needs))
        set_shown(self.standard, about.needs == "standard")
        super().__init__(
            [
                side_by_side([self.title, remove], flex_flow="row wrap", align_items="center"),
                side_by_side([self.source, self.standard], flex_flow="row wrap"),
                side_by_side([self.weight, self.aim], flex_flow="row wrap"),
            ]
        )
        self.add_class("collab-card")
        self.add_class("collab-criterion")

    def offer(self, assessments: list[tuple[str, int]], attributes: list[str]) -> None:
        """The choices as they are now (a new assessment saved, a note column added)."""
        needs = KINDS[self.kind].needs
        self.filling = True
        try:
            if needs in ("assessment", "standard"):
                refill(self.source, assessments)
            elif needs == "attribute":
                refill(self.source, [(a, a) for a in attributes])
        finally:
            self.filling = False
        if needs == "standard":
            self._fill_standards()

    def _fill_standards(self) -> None:
        if KINDS[self.kind].needs != "standard":
            return
        found = self.standards_of(self.source.value) if self.source.value is not None else []
        refill(self.standard, [(s, s) for s in found])

    def spec(self) -> dict:
        """What the row says, as saved with the groups."""
        needs = KINDS[self.kind].needs
        return {
            "kind": self.kind,
            "assessment": self.source.value if needs in ("assessment", "standard") else None,
            "standard": self.standard.value if needs == "standard" else None,
            "attribute": self.source.value if needs == "attribute" else None,
            "weight": int(self.weight.value),
            "aim": self.aim.value,
        }

    def show(self, spec: dict) -> None:
        """Back as ``spec`` says (groups opened again), where its choices still exist."""
        needs = KINDS[self.kind].needs
        wanted = spec.get("attribute") if needs == "attribute" else spec.get("assessment")
        if needs and wanted in [v for _, v in self.source.options]:
            self.source.value = wanted
            self._fill_standards()
        if needs == "standard" and spec.get("standard") in [v for _, v in self.standard.options]:
            self.standard.value = spec["standard"]
        self.weight.value = max(0, min(int(grouping.MAX_WEIGHT), int(spec.get("weight", 1))))
        if spec.get("aim") in ("mix", "match"):
            self.aim.value = spec["aim"]


class GroupsPanel(widgets.VBox):
    """The Groups tab. ``refresh()`` redraws from the store; groups made and not saved yet
    stay on the page through a redraw (a teammate's change, a student answering)."""

    def __init__(
        self,
        scope: TeamScope,
        state: ClassState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.class_shown: int | None = None
        self.roster: list[Student] = []
        self.names: dict[str, str] = {}  # id -> how the student is named on screen now
        self.apart: list[frozenset[int]] = []
        self.together: list[frozenset[int]] = []
        self.rows: list[CriterionRow] = []
        self.sets_drawn: tuple | None = None  # what the keep-apart/together lists show
        # the groups on the page: the problem they solve, who is where, and why
        self.problem: grouping.Problem | None = None
        self.assignment: dict[str, int] = {}
        self.explanation: grouping.Explanation | None = None
        self.count = 0  # groups on the board (a group emptied by moves stays)
        self.coverage: list[str] = []
        self.saved_id: int | None = None  # the saved groups the board shows, if any
        self.settings: dict = {}  # what the groups on the page were made with
        self.title = "Groups"
        self.seed = 1
        self.editable = False
        guard = guarded(status)
        redraw = guarded(status, flush=False)

        self.no_class = note("Choose or make a class on the Class tab first.")
        self.whose = note("")
        # the page's one "Show names" switch (the Class tab has it too)
        self.show_names = NamesToggle(state)
        self.pseudonyms_hint = note(PSEUDONYMS_HINT)
        self.pseudonyms_hint.add_class("collab-pseudonyms-hint")
        self.names_row = side_by_side(
            [self.show_names, self.pseudonyms_hint], flex_flow="row wrap", align_items="center"
        )

        # --- 1. sizes ------------------------------------------------------------------
        self.by = widgets.ToggleButtons(
            options=[("Students per group", "size"), ("Number of groups", "groups")],
            value="size",
            description="Make",
            tooltips=["Choose how many students each group has", "Choose how many groups"],
        )
        self.by.observe(redraw(lambda _c: self._show_by()), "value")
        self.size = widgets.BoundedIntText(
            value=4, min=2, max=MAX_SIZE, description="Students per group"
        )
        self.groups_wanted = widgets.BoundedIntText(
            value=6, min=1, max=MAX_GROUPS, description="Number of groups"
        )
        sizes = stacked(
            [
                heading("1. How big", 4),
                self.by,
                side_by_side([self.size, self.groups_wanted], flex_flow="row wrap"),
                note(
                    "Sizes differ by one at most; nobody is left alone (e.g. 30 students in "
                    "groups of 4 make 6 groups of 4 and 2 of 3)."
                ),
            ]
        )
        sizes.add_class("collab-card")

        # --- 2. criteria ---------------------------------------------------------------
        self.new_kind = widgets.Dropdown(
            description="Balance",
            options=[(k.label, key) for key, k in KINDS.items()],
            value="percent",
            layout=widgets.Layout(width="auto"),
        )
        add_criterion = button(
            "Add a criterion", "Balance the groups on this too", name="add-criterion"
        )
        add_criterion.on_click(guard(lambda _b: self._add_row(self.new_kind.value)))
        self.rows_box = stacked()
        self.no_rows = note("Nothing to balance yet: the groups will only be of even size.")
        criteria = stacked(
            [
                heading("2. What to balance", 4),
                note(
                    "Mix: each group is like the class (e.g. a range of scores in every "
                    "group). Match: students alike are together (e.g. the same interests, "
                    "free at the same times). The weight says how much each one counts."
                ),
                self.rows_box,
                self.no_rows,
                side_by_side([self.new_kind, add_criterion], flex_flow="row wrap"),
            ]
        )
        criteria.add_class("collab-card")

        # --- 3. keep apart, keep together ------------------------------------------------
        self.apart_pick = widgets.SelectMultiple(
            description="Keep apart", options=[], rows=5, tooltip="Choose two students or more"
        )
        add_apart = button(
            "Keep these apart", "Never two of these students in one group", name="add-apart"
        )
        add_apart.on_click(guard(lambda _b: self._add_set("apart")))
        self.apart_list = stacked()
        self.together_pick = widgets.SelectMultiple(
            description="Keep together", options=[], rows=5, tooltip="Choose two students or more"
        )
        add_together = button(
            "Keep these together", "These students in one group", name="add-together"
        )
        add_together.on_click(guard(lambda _b: self._add_set("together")))
        self.together_list = stacked()
        lists = stacked(
            [
                heading("3. Keep apart, keep together", 4),
                note(
                    "Seen by your team only: these choices never appear on a group card or a "
                    "student's page. Hold Ctrl (⌘ on a Mac) to choose several students."
                ),
                side_by_side([self.apart_pick, add_apart], flex_flow="row wrap"),
                self.apart_list,
                side_by_side([self.together_pick, add_together], flex_flow="row wrap"),
                self.together_list,
            ]
        )
        lists.add_class("collab-card")

        make = button("Make groups", "The most balanced groups found", "primary", "make-groups")
        make.on_click(guard(lambda _b: self._make(self.seed)))
        again = button(
            "Try another arrangement", "Groups as balanced, made another way", name="again"
        )
        again.on_click(guard(lambda _b: self._make(self.seed + 1)))
        self.seed_line = note("")
        self.maker = stacked(
            [
                sizes,
                criteria,
                lists,
                side_by_side([make, again], flex_flow="row wrap"),
                self.seed_line,
            ]
        )

        # --- the groups --------------------------------------------------------------------
        self.result_title = text_block()
        self.summary = text_block()
        self.summary.add_class("collab-groups-summary")
        self.board = GroupBoard()
        self.board.add_class("collab-group-board")
        self.board.on_moved(guard(self._move))
        self.board.on_refused(self.status.error)
        self.move_student = widgets.Dropdown(
            description="Move", options=[], layout=widgets.Layout(width="auto")
        )
        self.move_group = widgets.Dropdown(
            description="to", options=[], layout=widgets.Layout(width="auto")
        )
        move = button("Move", "Move this student to that group", name="move-student")
        move.on_click(guard(lambda _b: self._move_from_form()))
        self.mover = side_by_side(
            [self.move_student, self.move_group, move], flex_flow="row wrap", align_items="center"
        )
        self.mover.add_class("collab-groups-mover")
        self.name = widgets.Text(
            description="Name", placeholder="e.g. Science project teams", tooltip="For your team"
        )
        self.save_button = form_button(
            "Save these groups", "Keep them for the class", [self.name], "success", "save-groups"
        )
        self.save_button.on_click(guard(lambda _b: self._save()))
        self.saved_line = note("")
        self.saver = stacked(
            [side_by_side([self.name, self.save_button], flex_flow="row wrap"), self.saved_line]
        )
        print_cards = button(
            "Print group cards",
            "A card per group: its number and its students' names only",
            name="print-groups",
        )
        print_cards.on_click(guard(lambda _b: self._print()))
        self.downloads = text_block()
        self.downloads.add_class("collab-exports")
        self.printing = side_by_side([print_cards], flex_flow="row wrap")
        self.keeper = stacked([self.mover, self.saver, self.printing, self.downloads])
        self.keeper.add_class("collab-card")
        self.result = stacked([self.result_title, self.summary, self.board, self.keeper])
        self.result.add_class("collab-groups-result")

        # --- saved groups ------------------------------------------------------------------
        self.saved = widgets.Dropdown(
            description="Groups", options=[], layout=widgets.Layout(width="auto")
        )
        open_saved = button("Open", "Show these groups", name="open-groups")
        open_saved.on_click(guard(lambda _b: self._open_saved()))
        self.delete = Confirm(
            "Delete",
            "Delete these saved groups",
            "Delete these saved groups for good?",
            "Yes, delete them",
            lambda: self._delete_saved(),
            status,
            style="danger",
            name="delete-groups",
        )
        self.saved_row = side_by_side(
            [self.saved, open_saved, self.delete], flex_flow="row wrap", align_items="center"
        )
        self.none_saved = note("No groups saved for this class yet.")
        self.saved_box = stacked([heading("Saved groups", 4), self.saved_row, self.none_saved])
        self.saved_box.add_class("collab-card")

        self.body = stacked([self.whose, self.names_row, self.maker, self.result, self.saved_box])
        super().__init__(
            [
                heading("Balanced groups"),
                note(
                    "Groups made from what your team knows about the class: scores, your "
                    "notes, the students' own interests. They explain how balanced they are "
                    "and can be changed by moving students."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-students-groups")
        self._show_by()
        state.observe(redraw(lambda _c: self.refresh()), "class_id")
        state.observe(redraw(lambda _c: self.refresh()), "revision")
        state.observe(redraw(lambda _c: self._names_changed()), "show_names")

    # --- drawing --------------------------------------------------------------------------

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id != self.class_shown:
            self._start_over()
            self.class_shown = class_id
        if class_id is None:
            return
        info = classes.class_info(self.scope, class_id)
        self.roster = classes.roster(self.scope, class_id)
        self.names = self.state.shown_names(self.roster)
        self.editable = self.state.yours and self.state.names
        self._draw_names_row()
        if self.editable:
            self.whose.value = ""
        elif self.state.names:
            self.whose.value = note_html(
                f"{info.owner_name}'s class: only {info.owner_name} makes its groups. The "
                "groups saved for it are below."
            )
        else:
            self.whose.value = note_html(
                "Students show under pseudonyms; what the groups were balanced on is for the "
                "team's members only."
            )
        set_shown(self.whose, not self.editable)
        set_shown(self.maker, self.editable)
        if self.editable:
            self._offer_choices()
        if self.assignment and not set(self.assignment) <= set(self.names):
            self._clear_result()  # a student left the class: these groups are out of date
            self.status.info("A student left the class: make the groups again.")
        self._draw_saved_list()
        self._draw_result()

    def _draw_names_row(self) -> None:
        set_shown(self.names_row, self.state.names)  # a coach has nothing to switch
        set_shown(self.pseudonyms_hint, self.state.names and not self.state.show_names)

    def _names_changed(self) -> None:
        """Names shown or hidden: every student named on this tab is named again."""
        self._draw_names_row()
        if self.state.class_id is None:
            return
        self.names = self.state.shown_names(self.roster)
        if self.problem is not None and self.explanation is not None and self.assignment:
            self.explanation = grouping.explain(self.problem, self.assignment, self.names)
        if self.editable:
            self._offer_choices()
        self._draw_result()

    def _start_over(self) -> None:
        """Another class: its own lists and groups (the criteria stay: they fit any class)."""
        self.apart, self.together = [], []
        self._clear_result()
        self.seed = 1
        self.name.value = ""

    def _clear_result(self) -> None:
        self.problem, self.assignment, self.explanation = None, {}, None
        self.count, self.coverage, self.saved_id = 0, [], None
        self.downloads.value = ""

    def _offer_choices(self) -> None:
        assessments = evidence_links.assessments(self.scope)
        attributes = sorted({a for s in self.roster for a in s.attributes}, key=str.casefold)
        for row in self.rows:
            row.offer(assessments, attributes)
        students = [(self.state.shown_name(s), s.id) for s in self.roster]
        self.filling = True
        try:
            for picker in (self.apart_pick, self.together_pick):
                if list(picker.options) != students:
                    chosen = picker.value  # names shown or hidden: the choice stays
                    picker.options = students
                    picker.value = tuple(v for v in chosen if v in {i for _, i in students})
        finally:
            self.filling = False
        self._draw_sets()
        self.seed_line.value = note_html(
            f"Arrangement no. {self.seed}: the same choices and number always give the same groups."
        )

    def _show_by(self) -> None:
        set_shown(self.size, self.by.value == "size")
        set_shown(self.groups_wanted, self.by.value == "groups")

    # --- criteria ---------------------------------------------------------------------------

    def _standards(self, assessment_id: int) -> list[str]:
        return evidence_links.standards(self.scope, assessment_id)

    def _add_row(self, kind: str, spec: dict | None = None) -> CriterionRow:
        if kind not in KINDS:
            raise InvalidInput("Choose what to balance from the list.")
        if len(self.rows) >= 8:
            raise InvalidInput("Eight criteria at most: remove one first.")
        row = CriterionRow(kind, self._remove_row, self.status, self._standards)
        attributes = sorted({a for s in self.roster for a in s.attributes}, key=str.casefold)
        assessments = evidence_links.assessments(self.scope)
        row.offer(assessments, attributes)
        needs = KINDS[kind].needs
        if needs in ("assessment", "standard") and not assessments:
            row.close()
            raise InvalidInput("The team has no saved assessment yet: add one in Evidence first.")
        if needs == "attribute" and not attributes:
            row.close()
            raise InvalidInput(
                "This class's students have no notes yet: choose note columns when you add the "
                "class file, or write notes for a student on the Class tab."
            )
        if spec is not None:
            row.show(spec)
        self.rows.append(row)
        self._draw_rows()
        return row

    def _remove_row(self, row: CriterionRow) -> None:
        if row in self.rows:
            self.rows.remove(row)
        self._draw_rows()

    def _draw_rows(self) -> None:
        replace_children(self.rows_box, list(self.rows))
        set_shown(self.no_rows, not self.rows)

    def _criterion(self, spec: dict, answers: dict[int, dict]) -> grouping.Criterion:
        """A criterion of ``spec`` with every student's value (keyed by id as text)."""
        kind = spec["kind"]
        about = KINDS[kind]
        roster = self.roster
        if about.needs in ("assessment", "standard"):
            assessment_id = spec.get("assessment")
            labels = dict((v, k) for k, v in evidence_links.assessments(self.scope))
            if assessment_id not in labels:
                raise InvalidInput(f"{about.label}: choose one of the team's saved assessments.")
            on = assessment_name(labels[assessment_id])
            if kind == "percent":
                found = evidence_links.percents(self.scope, assessment_id, roster)
                name = f"Percent on {on}"
            elif kind == "band":
                found = evidence_links.bands(self.scope, assessment_id, roster)
                name = f"Band on {on}"
            else:
                standard = spec.get("standard")
                if not standard:
                    raise InvalidInput(f"Choose the standard of {on} to balance.")
                found = evidence_links.percents(self.scope, assessment_id, roster, standard)
                name = f"{standard} on {on}"
            values = {str(i): v for i, v in found.items()}
        elif kind == "attribute":
            attribute = spec.get("attribute")
            if not attribute:
                raise InvalidInput("Choose which note about students to balance.")
            name = attribute
            # a blank note is a value too ("no language support"): without it the students
            # with a note would all be alike, and the criterion would balance nothing
            values = {str(s.id): (s.attributes.get(attribute) or NO_NOTE) for s in roster}
        else:
            name = "Interests" if kind == "interests" else "Free times"
            values = {
                str(s.id): (frozenset(answers.get(s.id, {}).get(kind, ())) or None) for s in roster
            }
        aim = spec.get("aim") if spec.get("aim") in ("mix", "match") else about.aim
        return grouping.Criterion(
            name, about.value_kind, values, weight=int(spec.get("weight", 1)), aim=aim
        )

    # --- keep apart, keep together -------------------------------------------------------

    def _add_set(self, which: str) -> None:
        picker = self.apart_pick if which == "apart" else self.together_pick
        chosen = frozenset(v for v in picker.value if v in {s.id for s in self.roster})
        if len(chosen) < 2:
            raise InvalidInput("Choose two students or more (hold Ctrl, or ⌘ on a Mac).")
        lists = self.apart if which == "apart" else self.together
        if chosen in lists:
            raise InvalidInput("That list is already there.")
        lists.append(chosen)
        picker.value = ()
        self._draw_sets()

    def _remove_set(self, which: str, chosen: frozenset[int]) -> None:
        lists = self.apart if which == "apart" else self.together
        if chosen in lists:
            lists.remove(chosen)
        self._draw_sets()

    def _draw_sets(self) -> None:
        by_id = {s.id: self.state.shown_name(s) for s in self.roster}
        drawn = (tuple(self.apart), tuple(self.together), tuple(sorted(by_id.items())))
        if drawn == self.sets_drawn:
            return  # a redraw (a student answering) leaves the lists as they are
        self.sets_drawn = drawn
        for which, lists, box in (
            ("apart", self.apart, self.apart_list),
            ("together", self.together, self.together_list),
        ):
            rows = []
            for chosen in lists:
                names = ", ".join(by_id.get(i, "(no longer in the class)") for i in sorted(chosen))
                label = "Apart" if which == "apart" else "Together"
                remove = button("Remove", f"Stop keeping these {which}", name=f"remove-{which}")
                remove.on_click(
                    guarded(self.status)(lambda _b, w=which, c=chosen: self._remove_set(w, c))
                )
                rows.append(
                    side_by_side(
                        [text_block(f"{label}: {html.escape(names)}"), remove],
                        flex_flow="row wrap",
                        align_items="center",
                    )
                )
            replace_children(box, rows)

    # --- making groups -----------------------------------------------------------------

    def _settings(self, seed: int) -> dict:
        return {
            "by": self.by.value,
            "size": int(self.size.value),
            "groups": int(self.groups_wanted.value),
            "criteria": [row.spec() for row in self.rows],
            "apart": [sorted(s) for s in self.apart],
            "together": [sorted(s) for s in self.together],
            "seed": seed,
        }

    def _problem(self, settings: dict, students: list[str] | None = None) -> grouping.Problem:
        """The problem ``settings`` describe, for the class as it is now (or only
        ``students``, those placed in saved groups)."""
        ids = students if students is not None else [str(s.id) for s in self.roster]
        present = set(ids)
        answers: dict[int, dict] = {}
        specs = [c for c in settings.get("criteria", []) if c.get("kind") in KINDS]
        if any(c["kind"] in ("interests", "schedule") for c in specs):
            answers = classes.survey_answers(self.scope, self.state.class_id)
        criteria = tuple(self._criterion(spec, answers) for spec in specs)
        if students is not None:  # saved groups: only those placed, as many groups as saved
            criteria = tuple(
                grouping.Criterion(
                    c.name,
                    c.kind,
                    {k: v for k, v in c.values.items() if k in present},
                    c.weight,
                    c.aim,
                )
                for c in criteria
            )

        def sets(key: str) -> tuple[frozenset[str], ...]:
            kept = [frozenset(str(i) for i in chosen) & present for chosen in settings.get(key, [])]
            return tuple(s for s in kept if len(s) > 1)

        if settings.get("by") == "groups":
            size = {"groups": int(settings.get("groups", 6))}
        else:
            size = {"group_size": int(settings.get("size", 4))}
        return grouping.Problem(
            tuple(ids), criteria=criteria, apart=sets("apart"), together=sets("together"), **size
        )

    def _coverage(self, problem: grouping.Problem) -> list[str]:
        """A line for each criterion some students have no value for."""
        lines = []
        total = len(problem.students)
        for criterion in problem.criteria:
            unknown = sum(
                1
                for sid in problem.students
                if criterion.values.get(sid) in (None, "", frozenset())
            )
            if unknown == total:
                lines.append(
                    f"{criterion.name}: known for nobody in this class, so it changes nothing "
                    "(are the class's student ids the assessment's?)."
                    if criterion.kind != "set"
                    else f"{criterion.name}: no student has answered the survey yet."
                )
            elif unknown:
                lines.append(
                    f"{criterion.name}: not known for {plural(unknown, 'student')} of {total}; "
                    "they are placed on the other criteria."
                )
        return lines

    def _require_teacher(self) -> None:
        if self.state.class_id is None:
            raise InvalidInput("Choose a class first.")
        info = classes.class_info(self.scope, self.state.class_id)
        if not (info.yours and self.state.names):
            raise AccessDenied(classes.NOT_YOURS)

    def _make(self, seed: int) -> None:
        self._require_teacher()
        self.roster = classes.roster(self.scope, self.state.class_id)
        self.names = self.state.shown_names(self.roster)
        settings = self._settings(seed)
        problem = self._problem(settings)
        grouping.check(problem, self.names)  # a plain message naming students, if refused
        made = grouping.make_groups(problem, seed)
        self.seed = seed
        self.problem = problem
        self.settings = settings
        self.assignment = dict(made.assignment)
        self.count = len(grouping.group_sizes(problem))
        self.explanation = grouping.explain(problem, self.assignment, self.names)
        self.coverage = self._coverage(problem)
        self.saved_id = None
        self.title = self.name.value.strip() or "Groups"
        self.downloads.value = ""
        self._offer_choices()
        self._draw_result()
        self.status.ok(
            f"{plural(self.count, 'group')} made. Move students if you like, then save them."
        )

    # --- the groups on the page ----------------------------------------------------------

    def _draw_result(self) -> None:
        shown = bool(self.assignment)
        set_shown(self.result, shown)
        if not shown:
            self.board.groups = []
            return
        mine = self.editable and self.problem is not None
        set_shown(self.mover, mine)
        set_shown(self.saver, mine)
        set_shown(self.printing, self.state.names)
        set_shown(self.keeper, mine or self.state.names)
        self.result_title.value = f"<h4>{html.escape(self.title)}</h4>"
        self.summary.value = self._summary_html()
        spreads = {}
        if self.explanation is not None:
            spreads = {g.number: list(g.spreads) for g in self.explanation.groups}
        order = {str(s.id): i for i, s in enumerate(self.roster)}
        groups = []
        for number in range(self.count):
            members = sorted(
                (sid for sid, g in self.assignment.items() if g == number),
                key=lambda sid: order.get(sid, len(order)),
            )
            groups.append(
                {
                    "title": f"Group {number + 1}",
                    "students": [{"id": sid, "name": self._name(sid)} for sid in members],
                    "spreads": spreads.get(number, []),
                }
            )
        with self.board.hold_sync():
            self.board.title = self.title
            self.board.can_move = mine
            self.board.groups = groups
        if mine:
            self.filling = True
            try:
                students = sorted(self.assignment, key=lambda sid: order.get(sid, len(order)))
                refill(
                    self.move_student,
                    [
                        (f"{self._name(sid)} (group {self.assignment[sid] + 1})", sid)
                        for sid in students
                    ],
                )
                refill(self.move_group, [(f"Group {n + 1}", n) for n in range(self.count)])
            finally:
                self.filling = False
            if self.saved_id is not None:
                self.saved_line.value = note_html(
                    "Saved: moves are saved as you make them. Save again to keep a copy under "
                    "another name."
                )
                self.save_button.description = "Save as new groups"
            else:
                self.saved_line.value = note_html("Not saved yet.")
                self.save_button.description = "Save these groups"

    def _name(self, sid: str) -> str:
        return self.names.get(sid, "(no longer in the class)")

    def _summary_html(self) -> str:
        explanation = self.explanation
        if explanation is None:
            sizes = sorted({list(self.assignment.values()).count(n) for n in range(self.count)})
            return note_html(
                f"{plural(self.count, 'group')} of {sizes[0]}"
                + (f"–{sizes[-1]}" if len(sizes) > 1 else "")
                + "."
            )
        parts = [
            f"<p class='collab-groups-balance'><b>Balance: {explanation.balance:.0f} %</b> · "
            f"{html.escape(explanation.summary)}</p>",
        ]
        if explanation.unmet:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in explanation.unmet)
            parts.append(
                f"<div class='collab-msg collab-error'><b>Not met:</b><ul>{items}</ul></div>"
            )
        if self.coverage:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.coverage)
            parts.append(f"<ul class='collab-note'>{items}</ul>")
        return "".join(parts)

    def _move_from_form(self) -> None:
        if self.move_student.value is None or self.move_group.value is None:
            raise InvalidInput("Choose a student and the group to move them to.")
        self._move(self.move_student.value, self.move_group.value)

    def _move(self, student: str, group: int) -> None:
        """Move ``student`` (an id as text) to the group at index ``group``, as the board or
        the form asks: checked against the groups this page holds, never the browser's."""
        self._require_teacher()
        if self.problem is None or not self.assignment:
            raise InvalidInput("Make the groups first.")
        if not isinstance(student, str) or student not in self.assignment:
            raise InvalidInput("That student is not in these groups; reload the page.")
        if type(group) is not int or not 0 <= group < self.count:
            raise InvalidInput("There is no such group; choose one of the groups shown.")
        name = self._name(student)
        if self.assignment[student] == group:
            self.board.say(f"{name} stays in group {group + 1}.")
            return
        moved = grouping.move(self.problem, self.assignment, student, group)
        if self.saved_id is not None:  # saved groups follow the move (or nothing changes)
            groupings.update(
                self.scope, self.saved_id, self._placements(moved.assignment), moved.score
            )
        self.assignment = dict(moved.assignment)
        self.explanation = grouping.explain(self.problem, self.assignment, self.names)
        self._draw_result()
        said = f"{name} moved to group {group + 1}."
        self.board.say(said)
        if self.saved_id is not None:
            self.indicator.saved()
            self.status.ok(f"{said} Saved.")
        else:
            self.status.ok(said)

    # --- saving, opening, printing ---------------------------------------------------------

    @staticmethod
    def _placements(assignment: dict[str, int]) -> list[Placement]:
        # saved as the teacher and the cards count them: group 1 is number 1
        return [Placement(int(sid), number + 1) for sid, number in assignment.items()]

    def _save(self) -> None:
        self._require_teacher()
        if self.problem is None or not self.assignment:
            raise InvalidInput("Make the groups first.")
        name = self.name.value.strip() or "Groups"
        score = grouping.score(self.problem, self.assignment)
        self.saved_id = groupings.save(
            self.scope,
            self.state.class_id,
            "groups",
            name,
            self.settings,
            score,
            self._placements(self.assignment),
        )
        self.title = name
        self.indicator.saved()
        self.state.changed()  # the other tabs (teamwork check, growth) see them
        self.status.ok(f"“{name}” is saved. Moves you make now are saved as you make them.")

    def _draw_saved_list(self) -> None:
        found = groupings.groupings(self.scope, self.state.class_id, "groups")
        keep = self.saved_id if self.saved_id is not None else self.saved.value
        self.filling = True
        try:
            refill(
                self.saved,
                [(self._saved_label(g), g.id) for g in found],
                keep=keep,
            )
        finally:
            self.filling = False
        set_shown(self.saved_row, bool(found))
        set_shown(self.none_saved, not found)
        set_shown(self.delete, self.editable)

    @staticmethod
    def _saved_label(info) -> str:
        made = f"{info.made_at.astimezone():%d %b %Y}"
        return f"{info.name} ({plural(info.groups, 'group')}, {made})"

    def _open_saved(self) -> None:
        if self.state.class_id is None or self.saved.value is None:
            raise InvalidInput("Choose saved groups first.")
        saved = groupings.grouping(self.scope, self.saved.value)
        if groupings.class_of(self.scope, saved.info.id) != self.state.class_id:
            raise InvalidInput("Those groups are of another class.")
        self.roster = classes.roster(self.scope, self.state.class_id)
        self.names = self.state.shown_names(self.roster)
        # this page saves group 1 as number 1; groups saved from 0 (as the grouping
        # numbers them) are read as they were meant
        first = min((p.group_number for p in saved.placements), default=1)
        offset = 0 if first <= 0 else 1
        placed = {
            str(p.student_id): p.group_number - offset
            for p in saved.placements
            if str(p.student_id) in self.names and p.group_number - offset >= 0
        }
        if not placed:
            raise InvalidInput("Nobody in these groups is still in the class.")
        self._clear_result()
        self.assignment = placed
        self.count = max(max(placed.values()) + 1, saved.info.groups)
        self.title = saved.info.name
        self.saved_id = saved.info.id
        self.settings = saved.settings
        later = len(self.roster) - len(placed)
        self.coverage = (
            [
                f"{plural(later, 'student')} joined the class after these groups were made: "
                "make the groups again to place them."
            ]
            if later
            else []
        )
        if self.state.names:  # what the groups were balanced on: the team's members only
            self._explain_saved(saved.settings, placed)
        if self.editable:
            self._show_settings(saved.settings)
            self.name.value = saved.info.name
        self._draw_result()
        self.status.clear()

    def _explain_saved(self, settings: dict, placed: dict[str, int]) -> None:
        students = [str(s.id) for s in self.roster if str(s.id) in placed]
        try:
            wanted = dict(settings, by="groups", groups=self.count)
            problem = self._problem(wanted, students)
            grouping.check(problem, self.names)
        except CollabError:
            # an assessment deleted since, a choice no longer possible: sizes only
            problem = grouping.Problem(tuple(students), groups=self.count)
            self.coverage.append(
                "What these groups were balanced on has changed since (an assessment or a "
                "note is gone): only their sizes are shown."
            )
        self.problem = problem
        self.explanation = grouping.explain(problem, placed, self.names)

    def _show_settings(self, settings: dict) -> None:
        """The choices the saved groups were made with, back in the form."""
        if "criteria" in settings:  # groups made elsewhere (the demo) may not say
            for row in self.rows:
                row.close()
            self.rows = []
            for spec in settings["criteria"]:
                if isinstance(spec, dict) and spec.get("kind") in KINDS:
                    try:
                        self._add_row(spec["kind"], spec)
                    except InvalidInput:
                        continue  # its assessment or note is gone
            self._draw_rows()
        if settings.get("by") in ("size", "groups"):
            self.by.value = settings["by"]
        size = settings.get("size", settings.get("group_size", 4))
        self.size.value = max(2, min(MAX_SIZE, int(size)))
        self.groups_wanted.value = max(1, min(MAX_GROUPS, int(settings.get("groups", 6))))
        known = {s.id for s in self.roster}
        self.apart = [frozenset(i for i in s if i in known) for s in settings.get("apart", [])]
        self.together = [
            frozenset(i for i in s if i in known) for s in settings.get("together", [])
        ]
        self.apart = [s for s in self.apart if len(s) > 1]
        self.together = [s for s in self.together if len(s) > 1]
        self.seed = int(settings.get("seed", 1))
        self._offer_choices()

    def _delete_saved(self) -> None:
        self._require_teacher()
        if self.saved.value is None:
            raise InvalidInput("Choose saved groups first.")
        gone = self.saved.value
        groupings.delete(self.scope, gone)
        if self.saved_id == gone:
            self.saved_id = None  # the board keeps them, unsaved
        self.state.changed()
        self.status.ok("The saved groups are deleted.")

    def _print(self) -> None:
        if self.state.class_id is None or not self.assignment:
            raise InvalidInput("Make or open groups first.")
        if not self.state.names:
            raise AccessDenied("Group cards carry students' names: for the team's members only.")
        info = classes.class_info(self.scope, self.state.class_id)
        order = {str(s.id): i for i, s in enumerate(self.roster)}
        # the cards are handed to the students: display names, whatever the screen shows
        printed = {str(s.id): s.display_name for s in self.roster}
        groups = []
        for number in range(self.count):
            members = sorted(
                (sid for sid, g in self.assignment.items() if g == number and sid in printed),
                key=lambda sid: order.get(sid, len(order)),
            )
            if members:
                groups.append((f"Group {number + 1}", [printed[sid] for sid in members]))
        made = cards.group_cards_html(info.name, self.title, groups)
        self.downloads.value = download_link(
            "Download the group cards (a page to print)",
            "group-cards.html",
            "text/html",
            made.encode("utf-8"),
            "collab-download",
        )

    def close_live(self) -> None:
        """Nothing polls here (the Class tab and the teamwork check do)."""
