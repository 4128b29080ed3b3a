"""The Class tab: choose one of the team's classes or make one; its teacher fills it from
a class file (or a saved assessment's students), keeps its roster, prints the students'
cards and the class code, opens the students' survey, and decides how long it is kept.

Who sees what (checked again by the store at every action): the team's members see the
roster under pseudonyms, with names and the teacher's notes a click away; only the
class's teacher changes it; a coach, or a visitor holding only the team link, sees
pseudonyms only, no notes and no controls."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput, ScoreFileError
from collab_widgets.core.model import plural
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
    form_button,
    heading,
    html_table,
    note,
    note_html,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.evidence.reading import RawTable, read_table
from collab_widgets.live.rules import LiveLoop
from collab_widgets.students import cards, evidence_links, rules
from collab_widgets.students.model import ClassInfo, Student
from collab_widgets.students.rules import ClassMapping
from collab_widgets.students.store import classes
from collab_widgets.students.ui.state import NAMES_NOTE, ClassState, NamesToggle
from collab_widgets.team import links

ACCEPTED = ".csv,.tsv,.txt,.xlsx,.xls"
NONE = ("—", "")  # a name column the file does not have
OUTSIDERS = (
    "You opened the team as a coach (or with the team's link): students show under "
    "pseudonyms, without names or their teachers' notes, and nothing here can be changed. "
    "Teachers see names on their own personal links."
)
NO_CLASS = (
    "No class yet. Make one below, then add its students from the class list your school's "
    "system exports, or from a saved assessment."
)
NO_CLASS_OUTSIDERS = "The team has no class yet."
DOWNLOAD = "collab-download"


def class_label(info: ClassInfo) -> str:
    """How a class is offered: "Room 12 (Ana)"."""
    return f"{info.name} ({info.owner_name})"


def notes_text(attributes: dict[str, str]) -> str:
    """A student's notes as the teacher edits them: one "name: value" a line."""
    return "\n".join(f"{name}: {value}" for name, value in attributes.items())


def read_notes(typed: str) -> dict[str, str]:
    """The notes typed, one "name: value" a line (blank lines skipped)."""
    notes: dict[str, str] = {}
    for line in typed.splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon:
            raise InvalidInput(
                "Write each note as “name: what it says”, e.g. “Language support: "
                f"Spanish” (“{line.strip()[:40]}” has no colon)."
            )
        notes[name.strip()] = value.strip()
    return rules.check_attributes(notes)


def _uploaded(upload: widgets.FileUpload) -> tuple[str, bytes] | None:
    if not upload.value:
        return None
    file = upload.value[0]
    return file["name"], bytes(file["content"])


def _card(children: list[widgets.Widget], css: str) -> widgets.VBox:
    box = stacked(children)
    box.add_class("collab-card")
    box.add_class(css)
    return box


class ClassPanel(widgets.VBox):
    """The Class tab. ``refresh()`` reads the team's classes and draws the open one."""

    def __init__(
        self,
        scope: TeamScope,
        state: ClassState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.info: ClassInfo | None = None
        self.roster: list[Student] = []
        self.raw: RawTable | None = None
        self.file_students: list[rules.StudentRow] | None = None
        self.remembered = False  # the file's columns were set as last time
        guard = guarded(status)
        redraw = guarded(status, flush=False)

        # --- choosing and making a class ------------------------------------------------
        self.choice = widgets.Dropdown(
            description="Class", options=[], layout=widgets.Layout(width="auto")
        )
        self.choice.observe(redraw(self._chosen), "value")
        self.new_name = widgets.Text(
            description="New class",
            placeholder="e.g. Grade 4 – Room 12",
            tooltip="The class's name as your team will see it",
        )
        make = form_button(
            "Make the class", "A new class of yours", [self.new_name], "primary", "make-class"
        )
        make.on_click(guard(lambda _b: self._make()))
        self.maker = side_by_side([self.new_name, make], flex_flow="row wrap")
        self.no_class = note(NO_CLASS)
        self.outsiders = note(OUTSIDERS)
        self.outsiders.add_class("collab-students-outsiders")

        # --- the roster ------------------------------------------------------------------
        self.about = text_block()
        self.owner_line = note("")
        # one switch for the whole page: every tab names students as it says
        self.show_names = NamesToggle(
            state,
            "Show the students' names (and your team's notes here) on every tab; hide them "
            "on a projector",
        )
        self.names_row = side_by_side(
            [self.show_names, note(NAMES_NOTE)], flex_flow="row wrap", align_items="center"
        )
        state.observe(redraw(lambda _c: self._draw_roster()), "show_names")
        self.roster_table = text_block()
        self.roster_table.add_class("collab-roster")

        # --- adding students: a class file -------------------------------------------
        self.upload = widgets.FileUpload(
            accept=ACCEPTED,
            multiple=False,
            description="Class file",
            tooltip="The class list as your school's system exports it (CSV or Excel)",
        )
        self.upload.add_class("collab-upload-class")
        self.upload.observe(guard(lambda _c: self._read_file()), "value")
        self.id_column = widgets.Dropdown(description="Student id", options=[])
        self.first_column = widgets.Dropdown(description="First name", options=[NONE])
        self.last_column = widgets.Dropdown(description="Last name", options=[NONE])
        self.full_column = widgets.Dropdown(description="Full name", options=[NONE])
        self.note_columns = widgets.SelectMultiple(
            description="Notes", options=[], rows=4, tooltip="Columns kept as your notes"
        )
        for picker in (
            self.id_column,
            self.first_column,
            self.last_column,
            self.full_column,
            self.note_columns,
        ):
            picker.observe(redraw(lambda _c: None if self.filling else self._check_file()), "value")
        self.file_report = text_block()
        self.add_file = button("Add the students", "Add them to this class", "primary", "add-file")
        self.add_file.disabled = True
        self.add_file.on_click(guard(lambda _b: self._add_from_file()))
        self.mapping_box = stacked(
            [
                note(
                    "Which column holds what (guessed from the headers, or as you set it "
                    "last time for a file with these columns). Notes are kept as your notes "
                    "on each student (e.g. language support): visible to your team only, "
                    "never to students or a coach."
                ),
                widgets.GridBox(
                    [self.id_column, self.first_column, self.last_column, self.full_column],
                    layout=widgets.Layout(
                        grid_template_columns="repeat(auto-fill, minmax(260px, 1fr))"
                    ),
                ),
                self.note_columns,
                self.file_report,
                self.add_file,
            ]
        )
        set_shown(self.mapping_box, False)
        # --- adding students: a saved assessment -------------------------------------
        self.assessment = widgets.Dropdown(
            description="Assessment", options=[], layout=widgets.Layout(width="auto")
        )
        add_assessment = button(
            "Add its students", "The assessment's students join this class", name="add-assessment"
        )
        add_assessment.on_click(guard(lambda _b: self._add_from_assessment()))
        self.from_assessment = side_by_side([self.assessment, add_assessment], flex_flow="row wrap")
        self.no_assessment = note("No saved assessment yet (add one in Evidence).")
        self.adding = _card(
            [
                heading("Add students", 4),
                note(
                    "From the class list your school's system exports (CSV or Excel, one row "
                    "per student). Students already in the class are matched by their id and "
                    "updated."
                ),
                self.upload,
                self.mapping_box,
                note("Or take the students of an assessment the team saved:"),
                self.from_assessment,
                self.no_assessment,
            ],
            "collab-students-add",
        )

        # --- editing one student -----------------------------------------------------
        self.student = widgets.Dropdown(
            description="Student", options=[], layout=widgets.Layout(width="auto")
        )
        self.student.observe(
            redraw(lambda _c: None if self.filling else self._fill_student()), "value"
        )
        self.display_name = widgets.Text(
            description="Shown as",
            tooltip="The name teammates read on their pages and on group cards",
            layout=widgets.Layout(width="auto"),
        )
        self.notes = widgets.Textarea(
            description="Notes",
            placeholder="One a line, e.g. Language support: Spanish",
            rows=3,
            layout=widgets.Layout(width="100%"),
        )
        save_student = form_button(
            "Save",
            "Save this student's name and notes",
            [self.display_name, self.notes],
            name="save-student",
        )
        save_student.on_click(guard(lambda _b: self._save_student()))
        self.editing = _card(
            [
                heading("One student", 4),
                note(
                    "The name teammates and group cards show, and your notes (your team sees "
                    "them; students and a coach never do)."
                ),
                self.student,
                self.display_name,
                self.notes,
                save_student,
            ],
            "collab-students-edit",
        )
        self.edit_hint = note("Show names to change a student's name or notes.")

        # --- students on their own devices -------------------------------------------
        self.code_shown = text_block()
        self.code_shown.add_class("collab-class-code")
        print_cards = button(
            "Print student cards",
            "A card per student with their own code (earlier cards stop working)",
            name="print-cards",
        )
        print_cards.on_click(guard(lambda _b: self._print_cards()))
        poster = button(
            "Class code for the board", "A page with the class code and its address", name="poster"
        )
        poster.on_click(guard(lambda _b: self._poster()))
        self.rotate = Confirm(
            "Change class code",
            "A new class code; the old one stops working",
            "Change the class code? The old code, and every student page opened with it, "
            "stops working; students then need the new code (their cards stay valid).",
            "Yes, change it",
            lambda: self._rotate(),
            status,
            style="warning",
            name="rotate-class-code",
        )
        self.downloads = text_block()
        self.downloads.add_class("collab-exports")
        self.survey_state = text_block()
        self.survey_button = button("Open the survey", "", name="survey")
        self.survey_button.on_click(guard(lambda _b: self._toggle_survey()))
        self.devices = _card(
            [
                heading("Students on their own devices", 4),
                note(
                    "Students open the students' page with the class code (on the board) and "
                    "the code on their own card: no e-mail, no account. Printing cards makes "
                    "new codes: every card printed earlier stops working."
                ),
                self.code_shown,
                side_by_side([print_cards, poster], flex_flow="row wrap"),
                self.downloads,
                self.rotate,
                heading("Before making teams: the students' survey", 4),
                note(
                    "Students choose their interests and the times they could meet; the "
                    "Groups tab can use their answers. Other students never see them."
                ),
                self.survey_state,
                self.survey_button,
            ],
            "collab-students-devices",
        )

        # --- keeping and deleting ----------------------------------------------------
        self.keep_until = widgets.DatePicker(description="Keep until")
        save_date = button("Save the date", "Keep the class until this date", name="keep-until")
        save_date.on_click(guard(lambda _b: self._save_retention()))
        self.delete = Confirm(
            "Delete this class and everything about its students",
            "The class, its students, groups, answers and ratings, for good",
            "Delete this class?",
            "Yes, delete it all",
            lambda: self._delete(),
            status,
            style="danger",
            name="delete-class",
        )
        self.keeping = _card(
            [
                heading("How long the class is kept", 4),
                note(
                    "From the day after this date, students' codes no longer open the class; "
                    f"{rules.DELETE_AFTER.days} days later everything about its students is "
                    "deleted."
                ),
                side_by_side([self.keep_until, save_date], flex_flow="row wrap"),
                self.delete,
            ],
            "collab-students-keep",
        )

        self.teacher = stacked(
            [self.adding, self.edit_hint, self.editing, self.devices, self.keeping]
        )
        self.body = stacked(
            [
                self.about,
                self.owner_line,
                self.names_row,
                self.roster_table,
                self.teacher,
            ]
        )
        super().__init__(
            [
                heading("Classes"),
                note(
                    "A class belongs to its teacher: only they change it. Students appear "
                    "under pseudonyms until you choose to show names."
                ),
                self.outsiders,
                self.choice,
                self.maker,
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-students-class")
        self.loop = LiveLoop(
            self._revision, redraw(lambda: self.state.changed()), on_error=status.error
        )
        state.observe(redraw(lambda _c: self._draw()), "revision")

    # --- drawing --------------------------------------------------------------------------

    def refresh(self) -> None:
        found = classes.classes(self.scope)
        wanted = self.state.class_id
        self.filling = True
        try:
            refill(self.choice, [(class_label(c), c.id) for c in found], keep=wanted)
        finally:
            self.filling = False
        self._open(self.choice.value)

    def _chosen(self, _change) -> None:
        if self.filling:
            return
        self._open(self.choice.value)

    def _open(self, class_id: int | None) -> None:
        if class_id != self.state.class_id:
            self.state.show_names = False  # a new class opens under pseudonyms
            self.downloads.value = ""
            self._forget_file()
        self.state.open_class(class_id)  # the other tabs follow (they observe it)
        self._draw()

    def _revision(self) -> int:
        if self.state.class_id is None:
            return 0
        return classes.revision(self.scope, self.state.class_id)

    def _draw(self) -> None:
        class_id = self.state.class_id
        members = self.state.names
        set_shown(self.maker, members)
        set_shown(self.outsiders, not members)
        self.info = None
        if class_id is not None:
            self.info = next((c for c in classes.classes(self.scope) if c.id == class_id), None)
        info = self.info
        set_shown(self.choice, bool(self.choice.options))
        set_shown(self.no_class, info is None)
        self.no_class.value = note_html(NO_CLASS if members else NO_CLASS_OUTSIDERS)
        set_shown(self.body, info is not None)
        if info is None:
            self.loop.stop()
            return
        self.loop.seen = self._revision()  # before reading: a change meanwhile is noticed
        self.roster = classes.roster(self.scope, info.id)
        yours = self.state.yours and members
        count = plural(len(self.roster), "student")
        whose = "Your class" if yours else f"{info.owner_name}'s class"
        self.about.value = (
            f"<h3>{html.escape(info.name)}</h3>"
            f"<p>{html.escape(whose)} · {count} · kept until "
            f"{info.retain_until:%d %B %Y}</p>"
        )
        self.owner_line.value = (
            note_html(f"{info.owner_name}'s class: only {info.owner_name} changes it.")
            if members and not yours
            else ""
        )
        set_shown(self.owner_line, members and not yours)
        set_shown(self.names_row, members and bool(self.roster))
        set_shown(self.show_names, members and bool(self.roster))
        self._draw_roster()
        set_shown(self.teacher, yours)
        if yours:
            self._draw_teacher(info)
        else:
            self.loop.stop()

    def _names_shown(self) -> bool:
        return self.state.names_shown

    def _draw_roster(self) -> None:
        if self.info is None:
            return
        if not self.roster:
            self.roster_table.value = note_html(
                "No students yet." + (" Add them below." if self.state.yours else "")
            )
            self._draw_editing()
            return
        if self._names_shown():
            columns = ["", "Pseudonym", "Shown to teammates as", "Name in the class file", "Notes"]
            rows = [
                [
                    str(i),
                    s.pseudonym,
                    s.display_name,
                    s.name or "—",
                    "; ".join(f"{k}: {v}" for k, v in s.attributes.items()) or "—",
                ]
                for i, s in enumerate(self.roster, 1)
            ]
            self.roster_table.value = html_table(columns, rows, "collab-table collab-roster-table")
        else:  # pseudonyms only: a list in columns, short on any screen
            items = "".join(
                f"<li style='margin: 2px 0;'>{html.escape(s.pseudonym)}</li>" for s in self.roster
            )
            self.roster_table.value = (
                "<ol class='collab-roster-list' aria-label='Students (pseudonyms)' "
                "style='columns: 13em; column-gap: 2em; margin: 6px 0; padding-left: 2.2em;'>"
                f"{items}</ol>"
            )
        self._draw_editing()

    def _draw_editing(self) -> None:
        can_edit = self.state.yours and self._names_shown() and bool(self.roster)
        set_shown(self.editing, can_edit)
        set_shown(self.edit_hint, self.state.yours and bool(self.roster) and not can_edit)
        if not can_edit:
            return
        self.filling = True
        try:
            refill(self.student, [(s.display_name, s.id) for s in self.roster])
        finally:
            self.filling = False
        self._fill_student()

    def _fill_student(self) -> None:
        shown = next((s for s in self.roster if s.id == self.student.value), None)
        if shown is None:
            return
        self.display_name.value = shown.display_name
        self.notes.value = notes_text(shown.attributes)

    def _draw_teacher(self, info: ClassInfo) -> None:
        found = evidence_links.assessments(self.scope)
        self.filling = True
        try:
            refill(self.assessment, found)
        finally:
            self.filling = False
        set_shown(self.from_assessment, bool(found))
        set_shown(self.no_assessment, not found)
        self.code_shown.value = (
            "<p>Class code</p><p><strong style='font-size: 44px; letter-spacing: 0.15em; "
            "font-family: monospace;' aria-label='Class code "
            f"{html.escape(' '.join(info.code or ''), quote=True)}'>"
            f"{html.escape(info.code or '')}</strong></p>"
            + note_html(
                f"Cards printed for {sum(s.has_card for s in self.roster)} of "
                f"{plural(len(self.roster), 'student')}."
            )
        )
        answered = len(classes.survey_answers(self.scope, info.id))
        counted = f"{answered} of {plural(len(self.roster), 'student')} answered."
        if info.survey_open:
            self.survey_state.value = (
                f"<p><b>Open</b> on the students' page. {html.escape(counted)}</p>"
            )
            self.survey_button.description = "Close the survey"
            self.survey_button.tooltip = "Students can no longer change their answers"
            self.loop.start()  # the count grows as students answer
        else:
            self.survey_state.value = f"<p><b>Closed.</b> {html.escape(counted)}</p>"
            self.survey_button.description = "Open the survey"
            self.survey_button.tooltip = "Students can answer on their own page"
            self.loop.stop()
        self.keep_until.value = info.retain_until
        self.delete.question.value = (
            "<span class='collab-confirm-question' role='alert'>"
            + html.escape(
                f"Delete “{info.name}” and everything about its "
                f"{plural(len(self.roster), 'student')} (groups, survey answers, ratings), "
                "for good?"
            )
            + "</span>"
        )

    # --- making a class -------------------------------------------------------------------

    def _make(self) -> None:
        class_id = classes.create_class(self.scope, self.new_name.value)
        self.new_name.value = ""
        self.state.open_class(class_id)
        self.refresh()
        self.status.ok(
            "The class is made. Add its students from a class file or a saved assessment."
        )

    # --- the class file ------------------------------------------------------------------

    def _forget_file(self) -> None:
        self.raw = self.file_students = None
        self.add_file.disabled = True
        self.file_report.value = ""
        set_shown(self.mapping_box, False)

    def _read_file(self) -> None:
        upload = _uploaded(self.upload)
        if upload is None:
            return
        self._forget_file()
        name, data = upload
        try:
            self.raw = read_table(data, name=name)
        except ScoreFileError as exc:
            self._file_failed(str(exc))
            return
        columns = self.raw.columns
        remembered = classes.remembered_mapping(self.scope, columns)
        mapping = remembered or rules.guess_mapping(columns)
        named = [(c, c) for c in columns]
        self.filling = True
        try:
            refill(self.id_column, named, keep=mapping.id)
            for picker, chosen in (
                (self.first_column, mapping.first),
                (self.last_column, mapping.last),
                (self.full_column, mapping.full),
            ):
                refill(picker, [NONE, *named], keep=chosen)
            self.note_columns.options = named
            self.note_columns.value = tuple(a for a in mapping.attributes if a in columns)
        finally:
            self.filling = False
        self.remembered = remembered is not None
        set_shown(self.mapping_box, True)
        self._check_file()

    def _mapping(self) -> ClassMapping:
        return ClassMapping(
            id=self.id_column.value or "",
            first=self.first_column.value or "",
            last=self.last_column.value or "",
            full=self.full_column.value or "",
            attributes=tuple(self.note_columns.value),
        )

    def _file_rows(self) -> tuple[list[dict[str, str]], list[int]]:
        frame = self.raw.frame
        rows = [{c: str(v) for c, v in row.items()} for row in frame.to_dict("records")]
        return rows, [int(i) for i in self.raw.index]

    def _check_file(self) -> None:
        self.file_students = None
        self.add_file.disabled = True
        if self.raw is None:
            return
        rows, numbers = self._file_rows()
        try:
            found = rules.students_from_rows(rows, self._mapping(), numbers)
        except InvalidInput as exc:
            self._file_failed(str(exc))
            return
        self.file_students = found
        how = (
            "The columns are set as last time for a file with these columns."
            if self.remembered
            else "Check the columns below."
        )
        example = next((s.display_name for s in found if s.display_name), "")
        shown = f" Teammates will read names such as “{example}”." if example else ""
        self.file_report.value = (
            f"<div class='collab-msg collab-ok'><b>Ready:</b> "
            f"{html.escape(plural(len(found), 'student'))}.{html.escape(shown)} "
            f"{html.escape(how)}</div>"
        )
        self.add_file.description = f"Add {plural(len(found), 'student')}"
        self.add_file.disabled = False
        self.status.clear()

    def _file_failed(self, message: str) -> None:
        self.file_report.value = (
            f"<div class='collab-msg collab-error'><b>Nothing was added.</b> "
            f"{html.escape(message)}</div>"
        )
        self.status.error(message)

    def _add_from_file(self) -> None:
        class_id = self._class_id()
        if self.raw is None:
            raise InvalidInput("Choose the class file first.")
        rows, numbers = self._file_rows()
        mapping = self._mapping()
        students = rules.students_from_rows(rows, mapping, numbers)  # checked again, now
        done = classes.add_students(self.scope, class_id, students)
        classes.remember_mapping(self.scope, self.raw.columns, mapping)
        self.upload.value = ()
        self._forget_file()
        self._added(done)

    def _add_from_assessment(self) -> None:
        class_id = self._class_id()
        if self.assessment.value is None:
            raise InvalidInput("Choose a saved assessment first.")
        students = evidence_links.students_of(self.scope, self.assessment.value)
        self._added(classes.add_students(self.scope, class_id, students))

    def _added(self, done) -> None:
        self.state.changed()  # every tab redraws (this one too)
        said = f"{plural(done.added, 'student')} added"
        if done.updated:
            said += f", {done.updated} already in the class updated"
        self.status.ok(f"{said}. They show under pseudonyms until you choose Show names.")

    # --- one student ----------------------------------------------------------------------

    def _save_student(self) -> None:
        class_id = self._class_id()
        student_id = self.student.value
        if student_id is None:
            raise InvalidInput("Choose a student first.")
        notes = read_notes(self.notes.value)  # checked before anything is written
        shown = next((s for s in self.roster if s.id == student_id), None)
        if shown is None or shown.display_name != " ".join(self.display_name.value.split()):
            classes.set_display_name(self.scope, class_id, student_id, self.display_name.value)
        classes.set_attributes(self.scope, class_id, student_id, notes)
        self.indicator.saved()
        self.state.changed()
        self.status.ok("Saved.")

    # --- cards, the class code, the survey -------------------------------------------

    def _print_cards(self) -> None:
        class_id = self._class_id()
        info = classes.class_info(self.scope, class_id)
        issued = classes.issue_student_codes(self.scope, class_id)
        roster = classes.roster(self.scope, class_id)
        # each card is handed to its student: their display name, whatever the screen shows
        made = cards.cards_html(
            info.name, [(s.display_name, issued[s.id]) for s in roster if s.id in issued]
        )
        self.downloads.value = download_link(
            "Download the student cards (a page to print)",
            "student-cards.html",
            "text/html",
            made.encode("utf-8"),
            DOWNLOAD,
        )
        self.state.changed()
        self.status.ok(
            f"New cards for {plural(len(issued), 'student')}: print them now. Every card "
            "printed earlier no longer works."
        )

    def _poster(self) -> None:
        info = classes.class_info(self.scope, self._class_id())
        if not info.yours:
            raise InvalidInput(classes.NOT_YOURS)
        made = cards.class_poster_html(
            info.name, info.code, links.student_link(class_code=info.code)
        )
        self.downloads.value = download_link(
            "Download the class code page (for the board)",
            "class-code.html",
            "text/html",
            made.encode("utf-8"),
            DOWNLOAD,
        )

    def _rotate(self) -> None:
        classes.rotate_class_code(self.scope, self._class_id())
        self.downloads.value = ""  # pages made with the old code
        self.state.changed()
        self.status.ok("The class code is changed: give students the new one.")

    def _toggle_survey(self) -> None:
        info = classes.class_info(self.scope, self._class_id())
        classes.set_survey_open(self.scope, info.id, not info.survey_open)
        self.state.changed()
        self.status.ok(
            "The survey is closed." if info.survey_open else "The survey is open to students."
        )

    # --- keeping and deleting --------------------------------------------------------

    def _save_retention(self) -> None:
        if self.keep_until.value is None:
            raise InvalidInput("Choose the date the class ends.")
        classes.set_retention(self.scope, self._class_id(), self.keep_until.value)
        self.indicator.saved()
        self.state.changed()
        self.status.ok(f"The class is kept until {self.keep_until.value:%d %B %Y}.")

    def _delete(self) -> None:
        class_id = self._class_id()
        info = classes.class_info(self.scope, class_id)
        count = len(classes.roster(self.scope, class_id))
        classes.delete_class(self.scope, class_id)
        self.state.open_class(None)
        self.refresh()
        self.status.ok(
            f"“{info.name}” and everything about its {plural(count, 'student')} are deleted."
        )

    def _class_id(self) -> int:
        if self.state.class_id is None:
            raise InvalidInput("Choose a class first.")
        return self.state.class_id

    def close_live(self) -> None:
        self.loop.stop()

    def close(self) -> None:
        self.loop.stop()
        super().close()
