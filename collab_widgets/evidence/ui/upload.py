"""Adding an assessment: upload the scores (and an item map), check the column roles, read
the validation report, save. Nothing is stored until the file passes every check."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import PurePath

import ipywidgets as widgets
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_float import ProgressStyle
from ipywidgets.widgets.widget_string import TextStyle

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import ScoreFileError
from collab_widgets.core.model import plural
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import (
    form_button,
    heading,
    note,
    replace_children,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.core.ui.looks import shared_layout, shared_style
from collab_widgets.evidence import mapping as m
from collab_widgets.evidence import saved
from collab_widgets.evidence.reading import MAX_BYTES, MAX_CELLS, RawTable, read_table
from collab_widgets.evidence.scores import Scores, build, read_key

ACCEPTED = ".csv,.tsv,.txt,.xlsx,.xls"
ROLE_LABELS = {
    m.ID: "student id",
    m.NAME: "name",
    m.TEACHER: "teacher",
    m.SECTION: "section / class",
    m.ATTRIBUTE: "attribute (for subgroups)",
    m.ITEM: "item (a question's score)",
    m.TOTAL: "total",
    m.IGNORE: "ignore",
    m.ITEM_LABEL: "item name",
    m.POINTS: "points",
    m.RESPONSE: "answer chosen",
    m.MAX_POINTS: "max points",
    m.STANDARD: "standard",
}
SHAPE_LABELS = {
    m.WIDE: "One row per student",
    m.LONG: "One row per student and item",
    m.FORMS: "Google Forms quiz export",
}


def _uploaded(upload: widgets.FileUpload) -> tuple[str, bytes] | None:
    if not upload.value:
        return None
    file = upload.value[0]
    return file["name"], bytes(file["content"])


class UploadPanel(widgets.VBox):
    """The Add scores tab. ``on_saved(assessment_id)`` runs after a save."""

    def __init__(self, scope: TeamScope, status: StatusLine, on_saved: Callable[[int], None]):
        self.scope = scope
        self.status = status
        self.on_saved = on_saved
        self.raw: RawTable | None = None
        self.key = None
        self.scores: Scores | None = None
        self.mapping: m.Mapping | None = None
        self.guessed_name = ""  # the name last taken from a file (not typed by the person)
        guard = guarded(status)
        # the widgets share their layouts and styles (``looks``): fewer models to send
        described = shared_style(DescriptionStyle)
        hidden = shared_layout(display="none")
        self.scores_file = widgets.FileUpload(
            accept=ACCEPTED,
            multiple=False,
            description="Scores file",
            tooltip="CSV, TSV or XLSX",
            layout=shared_layout(),
            style=shared_style(ButtonStyle),
        )
        self.scores_file.add_class("collab-upload-scores")
        self.key_file = widgets.FileUpload(
            accept=ACCEPTED,
            multiple=False,
            description="Item map (optional)",
            tooltip="Item, standard, max points, correct answer",
            layout=shared_layout(width="auto"),
            style=shared_style(ButtonStyle),
        )
        self.key_file.add_class("collab-upload-key")
        self.sheet = widgets.Dropdown(description="Sheet", layout=hidden, style=described)
        self.progress = widgets.FloatProgress(
            min=0,
            max=1,
            description="Reading",
            layout=hidden,
            style=shared_style(ProgressStyle),
        )
        self.shape = widgets.Dropdown(
            description="The file has",
            options=[(label, shape) for shape, label in SHAPE_LABELS.items()],
            layout=shared_layout(),
            style=shared_style(DescriptionStyle, description_width="initial"),
        )
        self.columns = widgets.GridBox(
            layout=shared_layout(grid_template_columns="repeat(auto-fill, minmax(300px, 1fr))")
        )
        self.mapping_box = stacked([], display="none")
        self.report = text_block()
        self.report.add_class("collab-report")
        self.name = widgets.Text(
            description="Name",
            placeholder="e.g. Unit 3 post-test",
            layout=shared_layout(width="100%"),
            style=shared_style(TextStyle),
            tooltip="How the team will find this assessment",
        )
        self.name.add_class("collab-assessment-name")
        self.given_on = widgets.DatePicker(
            description="Given on", layout=shared_layout(), style=described
        )
        self.save = form_button(
            "Save the assessment", "Store it for the team", [self.name], "success", "save-scores"
        )
        self.save.disabled = True
        self.save.on_click(guard(self._save))
        self.scores_file.observe(guard(self._read_scores), "value")
        self.key_file.observe(guard(self._read_key), "value")
        self.sheet.observe(guard(self._chose_sheet), "value")
        self.shape.observe(guard(self._chose_shape), "value")
        self.mapping_box.children = [
            heading("2. Check what each column holds", 4),
            note(
                "The roles were guessed from the column names and contents; change any that "
                "are wrong. The choice is remembered for files with the same columns."
            ),
            self.shape,
            self.columns,
        ]
        super().__init__(
            [
                heading("1. Upload the scores"),
                note(
                    "A CSV, TSV or Excel file as your assessment platform or spreadsheet "
                    "exports it: one row per student, one row per student and item, or a "
                    f"Google Forms quiz. Up to {MAX_BYTES // 2**20} MB and "
                    f"{MAX_CELLS / 1e6:g} million cells; save a very large Excel file (a "
                    "whole school's) as CSV. An item map "
                    "(item, standard, max points, correct answer) adds standards and scores "
                    "chosen answers."
                ),
                side_by_side([self.scores_file, self.key_file]),
                self.sheet,
                self.progress,
                self.mapping_box,
                self.report,
                self.name,
                self.given_on,
                self.save,
            ],
            layout=shared_layout(),
        )
        self.add_class("collab-upload")

    def refresh(self) -> None:
        """Nothing to reload: what is being added lives on this page until saved."""

    # --- reading ---------------------------------------------------------------------

    def _progress(self, fraction: float, what: str) -> None:
        set_shown(self.progress, True)
        self.progress.value = fraction
        self.progress.description = what[:20]

    def _read_scores(self, _change=None, sheet: str | None = None) -> None:
        upload = _uploaded(self.scores_file)
        if upload is None:
            return
        file_name, data = upload
        self.raw = self.scores = None
        self.save.disabled = True
        try:
            self.raw = read_table(data, name=file_name, sheet=sheet, progress=self._progress)
        except ScoreFileError as exc:
            self._failed(exc)
            return
        finally:
            set_shown(self.progress, False)
        self.sheet.options = self.raw.sheets  # the chosen sheet is the file's: no re-read
        self.sheet.value = self.raw.sheet if self.raw.sheets else None
        set_shown(self.sheet, len(self.raw.sheets) > 1)
        if not self.name.value.strip() or self.name.value == self.guessed_name:
            # a name the person typed is theirs; one guessed from another file is not
            self.guessed_name = PurePath(file_name).stem.replace("_", " ")[:200]
            self.name.value = self.guessed_name
        columns = self.raw.columns
        self.mapping = saved.remembered(self.scope, columns) or m.detect(self.raw)
        self._show_mapping()
        self._check()

    def _chose_sheet(self, change) -> None:
        if self.raw is not None and change["new"] and change["new"] != self.raw.sheet:
            self._read_scores(sheet=change["new"])

    def _read_key(self, _change=None) -> None:
        upload = _uploaded(self.key_file)
        self.key = None
        if upload is not None:
            try:
                self.key = read_key(read_table(upload[1], name=upload[0]))
            except ScoreFileError as exc:
                self._failed(exc, "The item map could not be used")
                return
        if self.raw is not None:
            self._check()

    # --- the mapping -------------------------------------------------------------------

    def _show_mapping(self) -> None:
        self.shape.value = self.mapping.shape
        pickers = []
        for name, role in self.mapping.roles.items():
            picker = widgets.Dropdown(
                description=name[:40],
                options=[(ROLE_LABELS[r], r) for r in m.ROLES[self.mapping.shape]],
                value=role,
                tooltip=name,
                layout=shared_layout(),
                style=shared_style(DescriptionStyle, description_width="140px"),
            )
            picker.observe(guarded(self.status)(self._role_changed(name)), "value")
            pickers.append(picker)
        replace_children(self.columns, pickers)
        set_shown(self.mapping_box, True)

    def _role_changed(self, column: str):
        def changed(change) -> None:
            if self.mapping.roles.get(column) == change["new"]:
                return
            self.mapping = self.mapping.with_role(column, change["new"])
            for picker, role in zip(
                self.columns.children, self.mapping.roles.values(), strict=True
            ):
                if picker.value != role:
                    picker.value = role  # a role held once moved here; show where it left
            self._check()

        return changed

    def _chose_shape(self, change) -> None:
        if self.raw is None or self.mapping is None or change["new"] == self.mapping.shape:
            return
        self.mapping = m.detect(self.raw, change["new"])
        self._show_mapping()
        self._check()

    # --- the check and the save ----------------------------------------------------------

    def _check(self) -> None:
        self.scores = None
        self.save.disabled = True
        try:
            self.scores = build(self.raw, self.mapping, self.key)
        except ScoreFileError as exc:
            self._failed(exc)
            return
        s = self.scores
        what = (
            "totals only (no answer key)"
            if s.totals_only
            else plural(len(s.items), "item")
            + (
                f", {s.items['standard'].astype(bool).sum()} with a standard"
                if len(s.items)
                else ""
            )
        )
        lines = [f"<b>Ready:</b> {plural(len(s.students), 'student')}, {html.escape(what)}."]
        if s.attributes:
            lines.append("Subgroups by: " + html.escape(", ".join(s.attributes)) + ".")
        notes = [*self.raw.notes, *s.warnings]
        if s.left_out:  # the uploader's own file: which rows to look at
            shown = ", ".join(s.left_out[:5]) + ("…" if len(s.left_out) > 5 else "")
            notes.append(f"Left out, with no score in the file: {shown}")
        items = "".join(f"<li>{html.escape(w)}</li>" for w in notes)
        warned = f"<ul class='collab-warnings'>{items}</ul>" if items else ""
        self.report.value = f"<div class='collab-ok'>{' '.join(lines)}</div>{warned}"
        self.save.disabled = False

    def _failed(self, exc: ScoreFileError, lead: str = "The file cannot be saved yet") -> None:
        self.report.value = (
            f"<div class='collab-error-report'><b>{html.escape(lead)}.</b> "
            f"{html.escape(str(exc))}</div>"
        )
        self.status.error(f"{lead}: {exc}")

    def _save(self, _button=None) -> None:
        if self.scores is None:
            self.status.error("Upload a scores file and fix what the report says first.")
            return
        assessment_id = saved.save(
            self.scope,
            self.scores,
            self.name.value,
            given_on=self.given_on.value,
            file_name=self.raw.name,
        )
        saved.remember(self.scope, self.mapping)
        self.status.ok(
            f"“{self.name.value.strip()}” is saved: "
            f"{plural(len(self.scores.students), 'student')}. Its results are under Results."
        )
        self._start_over()
        self.on_saved(assessment_id)

    def _start_over(self) -> None:
        """After a save the form is empty again, as for a first file: the next file's name
        comes from that file, and no date is carried over from the last one. The item map
        stays (shown on its button): a unit's pre- and post-test share one."""
        self.raw = self.scores = self.mapping = None
        self.save.disabled = True
        self.scores_file.value = ()
        set_shown(self.sheet, False)
        set_shown(self.mapping_box, False)
        replace_children(self.columns, [])
        self.report.value = ""
        self.name.value = self.guessed_name = ""
        self.given_on.value = None
