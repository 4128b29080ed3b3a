"""Observing a lesson on a phone or a laptop: short, time-stamped notes of what students say
and do, each tagged to a case student, a success criterion or a part of the plan, saved as
they are typed; every observer's notes appear on the others' pages as they are written."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence

import ipywidgets as widgets

from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.model import LessonStudy, ObservationNote
from collab_widgets.classroom.photos import thumbnail
from collab_widgets.classroom.ui.parts import text_box
from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import NotFound
from collab_widgets.core.ui.autosave import autosave
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    form_button,
    heading,
    note,
    note_html,
    refill,
    set_shown,
    side_by_side,
    stacked,
    text_block,
)
from collab_widgets.live.rules import LiveLoop

NONE = ("—", "")
AFTER = "added after the lesson"
MEMBERS_ONLY = (
    "Observation notes are for the team's members, on their own links: they are about "
    "students. The lesson study's stage shows on its tab and on the coach's dashboard."
)
NOTE_KEY = "observation-note"  # the note being written, on the page's save state
NOT_SAVED = (
    "Your note is still in the box, not saved (the reason is beside “Not saved” at the "
    "top). Change it, or copy it, before you start another."
)


def note_line(
    at, text: str, tags: Sequence[str], who: str | None, after: bool, extra: str = ""
) -> str:
    """One note as the page lists it; every typed text escaped."""
    shown = [f"<span class='collab-tag'>{html.escape(tag)}</span>" for tag in tags if tag]
    if after:
        shown.append(f"<span class='collab-tag collab-after'>{AFTER}</span>")
    by = f" · {html.escape(who)}" if who else ""
    return (
        f"<li class='collab-observation-note'><small>{at.astimezone():%H:%M}{by}</small> "
        f"{' '.join(shown)}<br><span class='collab-note-text'>{html.escape(text)}</span>"
        f"{extra}</li>"
    )


class NoteTaker(widgets.VBox):
    """The note being written: created by its first save, changed by the next ones;
    "Next note" starts another in a new, empty box. Tags chosen in ``tags`` go with the
    note being written (``retag``) as they change.

    "Next note" carries the box's text as the browser has it (a form button): a browser
    holds a box's newest text back while its previous change is on its way, so the last
    words typed could otherwise reach the kernel after the click. The finished note's box
    is then closed and a new one shown: a late change to the old box finds it closed,
    instead of filling the next note (or a second copy of this one)."""

    def __init__(
        self,
        status: StatusLine,
        indicator: SavedIndicator,
        add: Callable[[str], int],
        edit: Callable[[int, str], None],
        retag: Callable[[int], None] | None,
        tags: Sequence[widgets.Dropdown],
        after_change: Callable[[], None],
    ):
        self.add, self.edit, self.retag = add, edit, retag
        self.after_change = after_change
        self.indicator = indicator
        self.note_id: int | None = None
        self.holder = widgets.VBox()
        self.next_note = form_button(
            "Next note", "Finish this note and start another", [], "primary", "next-note"
        )
        self._new_box()
        for tag in tags:
            tag.observe(guarded(status)(lambda _c: self._retag()), "value")
        self.next_note.on_click(
            guarded(status)(lambda _b: self.finish() or status.error(NOT_SAVED))
        )
        super().__init__([side_by_side(list(tags)), self.holder, self.next_note])

    def _new_box(self) -> None:
        self.box = text_box(
            "Your note",
            "What a student said or did, as you saw it (no judgement)",
            "collab-observation-text",
        )
        self.saver = autosave(self.box, self._save, self.indicator, NOTE_KEY)
        self.holder.children = [self.box]
        self.next_note.reads = [self.box]

    def _save(self, text: str) -> None:
        if self.note_id is None:
            if not text.strip():
                return
            self.note_id = self.add(text)
        else:
            self.edit(self.note_id, text)
        self.after_change()

    def _retag(self) -> None:
        if self.note_id is not None and self.retag is not None:
            self.retag(self.note_id)
            self.after_change()

    def finish(self) -> bool:
        """Close the note being written and show an empty box, once its text is stored.
        Text the store refused (too long, the lesson not started, the lesson study
        deleted) stays in the box, "Not saved": nothing typed is thrown away."""
        self.saver.flush()
        if self.indicator.holds_unsaved(NOTE_KEY):
            return False
        self.note_id = None
        if self.box.value:
            finished = self.box
            self._new_box()
            finished.close()
        return True

    def start_over(self) -> None:
        """Another lesson is shown: the next words go into a note of its own (the note
        being written is finished where it was started; refused text stays in the box)."""
        self.finish()
        self.note_id = None

    def retry(self) -> None:
        """Save the box's refused text again, now that the reason may be gone."""
        if self.box.value.strip() and self.indicator.holds_unsaved(NOTE_KEY):
            self.saver.trigger()
            self.saver.flush()


class ObservationPanel(widgets.VBox):
    """The lesson study being taught: its observers' notes, live, and one's own."""

    def __init__(self, scope: TeamScope, status: StatusLine, indicator: SavedIndicator):
        self.scope, self.status, self.indicator = scope, status, indicator
        self.study: LessonStudy | None = None
        self.filling = False
        self.thumbnails: dict[int, str] = {}
        guard = guarded(status)
        redraw = guarded(status, flush=False)
        self.choice = widgets.Dropdown(description="Lesson", options=[], layout={"width": "auto"})
        self.choice.observe(guard(lambda _c: None if self.filling else self.refresh()), "value")
        self.state = text_block()
        self.case_student = widgets.Dropdown(description="Case student", options=[NONE])
        self.criterion = widgets.Dropdown(description="Criterion", options=[NONE])
        self.segment = widgets.Dropdown(description="Lesson part", options=[NONE])
        self.taker = NoteTaker(
            status,
            indicator,
            self._add,
            lambda note_id, text: classroom.edit_note(self.scope, note_id, text),
            self._retag,
            [self.case_student, self.criterion, self.segment],
            self._draw_notes,
        )
        self.photo = widgets.FileUpload(
            accept="image/jpeg,image/png,image/webp",
            multiple=False,
            description="Attach a photo of student work",
            tooltip="To the note you are writing (or wrote last)",
            layout={"width": "auto"},
        )
        self.photo.add_class("collab-observation-photo")
        self.photo.observe(guard(lambda _c: self._attach()), "value")
        self.photo_note = note(
            "Photos show students' work, never faces. Only the team's members see them; they "
            "are never in an export, and they are deleted with the lesson study."
        )
        self.feed = text_block()
        self.feed.add_class("collab-observation-feed")
        self.last_own_note: int | None = None
        self.writing = stacked([self.taker, self.photo, self.photo_note])
        self.empty = note(
            "No lesson is being observed. When the team moves its lesson study to "
            "“Teach and observe”, it opens here."
        )
        super().__init__(
            [
                heading("Observe the lesson"),
                note(
                    "Write what students say and do, briefly and as you see it: the lesson is "
                    "the team's, and the notes are about students' learning, never a rating "
                    "of the teacher."
                ),
                self.choice,
                self.empty,
                self.state,
                self.writing,
                heading("Everyone's notes", 4),
                self.feed,
            ]
        )
        self.add_class("collab-observe")
        self.loop = LiveLoop(
            scope.revision, redraw(lambda: self._draw_notes()), on_error=status.error
        )

    def refresh(self) -> None:
        if not self._may_write():  # a coach, or a visitor holding the team link
            for part in (self.choice, self.writing, self.state, self.feed):
                set_shown(part, False)
            self.empty.value = note_html(MEMBERS_ONLY)
            return
        studies = [s for s in classroom.studies(self.scope) if s.lesson_started_at is not None]
        self.filling = True
        try:
            refill(self.choice, [(f"{s.title} ({s.stage_name})", s.id) for s in studies])
        finally:
            self.filling = False
        shown = self.study.id if self.study is not None else None
        self.study = next((s for s in studies if s.id == self.choice.value), None)
        if self.study is None or self.study.id != shown:
            self.taker.start_over()
        set_shown(self.empty, self.study is None)
        set_shown(self.writing, self.study is not None and self._may_write())
        if self.study is None:
            self.state.value = ""
            self.feed.value = ""
            return
        self._draw_tags(self.study)
        self._draw_notes()
        self.loop.start()

    def _may_write(self) -> bool:
        return self.scope.member_id is not None and not self.scope.actor.is_coach

    def _draw_tags(self, study: LessonStudy) -> None:
        criteria, segments = [], []
        if study.plan_id is not None:
            plan = classroom.get_plan(self.scope, study.plan_id)
            criteria = [line.strip() for line in plan.sections["criteria"].splitlines()]
            segments = [
                f"{n}. {s.task.splitlines()[0][:80]}" if s.task.strip() else f"{n}. (task {n})"
                for n, s in enumerate(plan.segments, start=1)
            ]
        self.filling = True
        try:
            refill(self.case_student, [NONE, *((n, n) for n in study.case_students)])
            refill(self.criterion, [NONE, *((c[:80], c[:200]) for c in criteria if c)])
            refill(self.segment, [NONE, *((s, s) for s in segments)])
        finally:
            self.filling = False

    def _draw_notes(self) -> None:
        if self.study is None:
            return
        self.loop.seen = self.scope.revision()
        study = self.study = classroom.get_study(self.scope, self.study.id)
        if study.lesson_on:
            state = f"The lesson is on (started {study.lesson_started_at.astimezone():%H:%M})."
        else:
            ended = study.lesson_ended_at
            state = (
                "The lesson has ended"
                + (f" ({ended.astimezone():%H:%M})" if ended else "")
                + f": notes added now are marked “{AFTER}”."
            )
        self.state.value = note_html(state)
        notes = classroom.notes(self.scope, study.id, study.teaching)
        mine = [n.id for n in notes if n.member_id == self.scope.member_id]
        self.last_own_note = mine[-1] if mine else None
        lines = [
            note_line(
                n.at,
                n.text,
                (n.case_student, n.segment, n.criterion),
                n.observer,
                n.after_lesson,
                self._photos(n),
            )
            for n in reversed(notes)
        ]
        self.feed.value = (
            f"<p>{len(notes)} {'note' if len(notes) == 1 else 'notes'}, newest first.</p>"
            f"<ul class='collab-observation-notes'>{''.join(lines)}</ul>"
            if notes
            else note_html("No notes yet.")
        )

    def _photos(self, observed: ObservationNote) -> str:
        if not observed.photo_ids:
            return ""
        shown = []
        for photo_id in observed.photo_ids:
            if photo_id not in self.thumbnails:
                kept = classroom.photo(self.scope, photo_id)
                self.thumbnails[photo_id] = base64.b64encode(thumbnail(kept.data)).decode()
            shown.append(
                f"<img class='collab-observation-photo-small' alt='Photo of student work' "
                f"src='data:image/jpeg;base64,{self.thumbnails[photo_id]}'>"
            )
        return "<div>" + "".join(shown) + "</div>"

    def _tags(self) -> dict[str, str | None]:
        return {
            "case_student": self.case_student.value or None,
            "criterion": self.criterion.value or None,
            "segment": self.segment.value or None,
        }

    def _add(self, text: str) -> int:
        if self.study is None:
            raise NotFound(classroom.STUDY_GONE)
        return classroom.add_note(self.scope, self.study.id, text, **self._tags())

    def _retag(self, note_id: int) -> None:
        if not self.filling:
            classroom.set_note_tags(self.scope, note_id, **self._tags())

    def _attach(self) -> None:
        if not self.photo.value:
            return
        file = self.photo.value[0]
        self.photo.value = ()
        note_id = self.taker.note_id or self.last_own_note
        if note_id is None:
            self.status.error("Write your note first, then attach the photo to it.")
            return
        classroom.add_photo(self.scope, note_id, bytes(file["content"]), file["name"])
        self._draw_notes()
        self.status.ok("The photo is attached: only the picture was kept.")

    def close_live(self) -> None:
        self.loop.stop()
