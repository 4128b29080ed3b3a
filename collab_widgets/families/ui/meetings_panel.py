"""The Meetings tab: the class's teacher prepares a class family meeting (Academic
Parent-Teacher Teams: 75 minutes, three a year) from a saved assessment and one skill,
picks home activities from the library or writes their own, sets the agenda's minutes and
the types of involvement it serves; then, for a meeting, projects the class graph (a bar
per band of results, no child marked), prints a short agenda, marks who came, and sees
each family's 60-day goal arrive as families write it on their own page (the page polls
the class's change counter) and, at the next meeting, its progress.

Only the class's teacher sees any of it but the numbers: children's results and goals
are theirs (the store checks it at every call)."""

from __future__ import annotations

import contextlib
import datetime as dt
import html

import ipywidgets as widgets

from collab_widgets.core import charts
from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import CollabError, InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.core.ui.chart_view import ChartView
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
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
from collab_widgets.evidence import store as evidence
from collab_widgets.families import cards, library, rules
from collab_widgets.families.model import Family, Meeting
from collab_widgets.families.store import class_meetings, guardians
from collab_widgets.families.ui import family_words as words
from collab_widgets.families.ui.state import FamilyState
from collab_widgets.families.ui.ticks import refill_ticks
from collab_widgets.live.rules import LiveLoop
from collab_widgets.students import evidence_links
from collab_widgets.students.store import classes

DOWNLOAD = "collab-download"
DEFAULT_TITLE = "Class family meeting"
DEFAULT_INVOLVEMENT = ("learning-at-home", "communicating")
MOST_ACTIVITIES = 12  # the best matches offered
GRADES = [("Any grade", None), ("Kindergarten", 0)] + [(f"Grade {g}", g) for g in range(1, 9)]
NO_ASSESSMENT = (
    "No saved assessment yet: save the class's results in Evidence first. A meeting "
    "graphs the class's results on one skill."
)


def _card(children: list[widgets.Widget], css: str) -> widgets.VBox:
    box = stacked(children)
    box.add_class("collab-card")
    box.add_class(css)
    return box


def activity_label(activity: library.Activity) -> str:
    """An activity as offered: its English title, minutes and whether it is in Spanish."""
    spanish = "Español ✓" if activity.title.get("es") else "English only"
    return f"{activity.title.get('en', activity.id)} ({activity.minutes} min) · {spanish}"


def own_activity(title: str, steps: str, title_es: str = "", steps_es: str = "") -> dict | None:
    """The teacher's own home activity as a meeting keeps it (None when no title is
    typed): the English title and steps (one a line), and a Spanish version if given."""
    title = " ".join(title.split())
    if not title:
        if steps.strip() or title_es.strip() or steps_es.strip():
            raise InvalidInput("Give your own activity a title (in English), or clear its boxes.")
        return None
    title = rules.check_title(title, "your activity's title")
    lines = [" ".join(line.split()) for line in steps.splitlines() if line.strip()]
    made = {"title": {"en": title}, "materials": {}, "steps": {"en": lines}}
    title_es = " ".join(title_es.split())
    lines_es = [" ".join(line.split()) for line in steps_es.splitlines() if line.strip()]
    if title_es:
        made["title"]["es"] = rules.check_title(title_es, "your activity's Spanish title")
    if lines_es:
        made["steps"]["es"] = lines_es
    if sum(len(line) for line in lines + lines_es) > 2000:
        raise InvalidInput("Keep your activity's steps shorter (at most 2000 characters).")
    return made


def library_activity(activity: library.Activity) -> dict:
    return {
        "title": dict(activity.title),
        "materials": dict(activity.materials),
        "steps": {lang: list(steps) for lang, steps in activity.steps.items()},
    }


def bin_label(low: int, high: int) -> str:
    return f"{low}–{high}%"


def graph(meeting: Meeting) -> charts.Chart | None:
    """The class graph as projected: children per band of results, no child marked."""
    if meeting.bins is None:
        return None
    return charts.band_counts(
        f"The class on {meeting.skill}",
        [bin_label(b.low, b.high) for b in meeting.bins],
        [b.count for b in meeting.bins],
    )


class MeetingsPanel(widgets.VBox):
    """``refresh()`` draws the open class's meetings; ``close_live()`` stops the polling."""

    def __init__(
        self,
        scope: TeamScope,
        state: FamilyState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.keep: int | None = None  # the meeting to show after the next redraw
        self.shown: Meeting | None = None
        self.found: list[Family] = []
        self.attendance: dict[int, widgets.Checkbox] = {}
        self.library_activities: dict[str, library.Activity] = {}
        self.standards_of: int | None = None  # the assessment the skill's options are of
        guard = guarded(status)
        redraw = guarded(status, flush=False)
        try:
            self.agenda_items = library.load_agenda()
            self.types = library.load_involvement()
        except CollabError as exc:  # a mistake in a coach's file: said, and nothing offered
            status.error(str(exc))
            self.agenda_items, self.types = (), ()

        # --- preparing a meeting ---------------------------------------------------------
        today = scope.store.clock.today()
        self.title = widgets.Text(
            description="Title", value=DEFAULT_TITLE, layout=widgets.Layout(width="auto")
        )
        self.held_on = widgets.DatePicker(description="Date", value=today + dt.timedelta(days=14))
        self.starts_at = widgets.Text(
            description="Starts at", value="18:00", placeholder="e.g. 17:30"
        )
        self.assessment = widgets.Dropdown(
            description="Assessment",
            options=[],
            tooltip="The saved assessment whose results the class graph shows",
            layout=widgets.Layout(width="auto"),
        )
        self.assessment.observe(
            redraw(lambda _c: None if self.filling else self._assessment_chosen()), "value"
        )
        self.no_assessment = note(NO_ASSESSMENT)
        self.skill = widgets.Combobox(
            description="Skill",
            options=[],
            ensure_option=False,
            placeholder="one of the assessment's standards, or the skill in words",
            tooltip="The one skill the meeting is about: a standard of the assessment "
            "graphs the results on that standard; other words, the whole assessment",
            layout=widgets.Layout(width="auto"),
        )
        self.skill.observe(redraw(lambda _c: self._skill_typed()), "value")
        self.skill_said = text_block()
        self.search = widgets.Text(
            description="Look for",
            placeholder="e.g. fractions, sight words (else the skill)",
            tooltip="Words of the skill in plain English: the library's activities that fit",
        )
        self.search.observe(redraw(lambda _c: self._offer_activities()), "value")
        self.grade = widgets.Dropdown(description="Grade", options=GRADES, index=0)
        self.grade.observe(redraw(lambda _c: self._offer_activities()), "value")
        self.activities = widgets.SelectMultiple(
            description="Home activities",
            options=[],
            rows=6,
            tooltip="Hold Ctrl (or ⌘) to choose several",
            layout=widgets.Layout(width="100%"),
        )
        self.own_title = widgets.Text(description="Your own", placeholder="title (English)")
        self.own_steps = widgets.Textarea(
            description="Steps", placeholder="one step a line", rows=3
        )
        self.own_title_es = widgets.Text(description="En español", placeholder="título (optional)")
        self.own_steps_es = widgets.Textarea(
            description="Pasos", placeholder="un paso por línea (optional)", rows=3
        )
        self.minutes = [
            widgets.BoundedIntText(
                description=item.title.get("en", item.id),
                value=item.minutes,
                min=0,
                max=120,
                tooltip=item.purpose.get("en", ""),
                style={"description_width": "initial"},
            )
            for item in self.agenda_items
        ]
        self.total = text_block()
        for box in self.minutes:
            box.observe(lambda _c: self._draw_total(), "value")
        self.involvement = [
            widgets.Checkbox(
                description=kind.name,
                value=kind.id in DEFAULT_INVOLVEMENT,
                tooltip=kind.description,
                indent=False,
            )
            for kind in self.types
        ]
        prepare = form_button(
            "Prepare the meeting",
            "Families then see it on their own page, with their own child's result",
            [
                self.title,
                self.starts_at,
                self.own_title,
                self.own_steps,
                self.own_title_es,
                self.own_steps_es,
            ],
            "primary",
            "prepare-family-meeting",
        )
        prepare.on_click(guard(lambda _b: self._prepare()))
        self.preparing = _card(
            [
                heading("Prepare a class family meeting", 4),
                note(
                    "One skill, the class's results on it, and activities families can do "
                    "at home. Each family sees the class graph with only its own child's "
                    "place marked, on its own page; the graph you project marks no child."
                ),
                side_by_side([self.title, self.held_on, self.starts_at], flex_flow="row wrap"),
                self.no_assessment,
                self.assessment,
                self.skill,
                self.skill_said,
                heading("Home activities", 5),
                side_by_side([self.search, self.grade], flex_flow="row wrap"),
                self.activities,
                note("Or write your own (a Spanish version is optional):"),
                side_by_side([self.own_title, self.own_title_es], flex_flow="row wrap"),
                side_by_side([self.own_steps, self.own_steps_es], flex_flow="row wrap"),
                heading("Agenda (minutes; 0 leaves an item out)", 5),
                widgets.GridBox(
                    self.minutes,
                    layout=widgets.Layout(
                        grid_template_columns="repeat(auto-fill, minmax(300px, 1fr))"
                    ),
                ),
                self.total,
                heading("Types of involvement it serves", 5),
                widgets.GridBox(
                    self.involvement,
                    layout=widgets.Layout(
                        grid_template_columns="repeat(auto-fill, minmax(240px, 1fr))"
                    ),
                ),
                prepare,
            ],
            "collab-family-meeting-prepare",
        )

        # --- one meeting -----------------------------------------------------------------
        self.choice = widgets.Dropdown(
            description="Meeting", options=[], layout=widgets.Layout(width="auto")
        )
        self.choice.observe(redraw(lambda _c: None if self.filling else self._show()), "value")
        self.none = note("No class family meeting yet: prepare one above.")
        self.summary = text_block()
        self.summary.add_class("collab-family-meeting-summary")
        self.chart = ChartView("The class graph, as projected (no child marked)")
        self.agenda = text_block()
        self.agenda.add_class("collab-family-meeting-agenda")
        self.present_count = text_block()
        self.present_boxes = widgets.GridBox(
            [],
            layout=widgets.Layout(grid_template_columns="repeat(auto-fill, minmax(200px, 1fr))"),
        )
        self.present_boxes.add_class("collab-family-attendance")
        self.goals = text_block()
        self.goals.add_class("collab-family-goals")
        self.delete = Confirm(
            "Delete this meeting",
            "The meeting, its results, attendance and the goals set at it",
            "Delete this meeting? Its copied results, attendance and the families' goals "
            "set at it go too, for good, and families no longer see it.",
            "Yes, delete it",
            lambda: self._delete(),
            status,
            style="danger",
            name="delete-family-meeting",
        )
        self.detail = stacked(
            [
                self.summary,
                self.chart,
                self.agenda,
                heading("Who came", 5),
                self.present_count,
                self.present_boxes,
                heading("Families' 60-day goals", 5),
                note(
                    "Each family writes its goal on its own page; it shows here as it is "
                    "saved. At the next meeting, each goal's progress is read from the "
                    "child's new result."
                ),
                self.goals,
                self.delete,
            ]
        )
        self.meetings_box = stacked(
            [heading("The class's meetings", 4), self.choice, self.none, self.detail]
        )
        self.outsiders = note("")
        self.numbers = text_block()
        self.no_class = note("Choose a class on the Families tab first.")
        self.teacher = stacked([self.preparing, self.meetings_box])
        self.body = stacked([self.outsiders, self.numbers, self.teacher])
        super().__init__(
            [
                heading("Class family meetings"),
                note(
                    "Three meetings a year of about 75 minutes with all the class's "
                    "families: the class's results on one skill, the teacher shows an "
                    "activity, families practise it and each sets a 60-day goal; the next "
                    "meeting graphs the skill again and looks back at the goals."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-family-meetings")
        self.loop = LiveLoop(self._revision, redraw(lambda: self._live()), on_error=status.error)
        self.watching = [
            (redraw(lambda _c: self._class_changed()), "class_id"),
            (redraw(lambda _c: self.refresh()), "revision"),
        ]
        for handler, name in self.watching:
            state.observe(handler, name)
        self._draw_total()

    # --- drawing --------------------------------------------------------------------------

    def _revision(self) -> int:
        if self.state.class_id is None:
            return 0
        return classes.revision(self.scope, self.state.class_id)

    def _class_changed(self) -> None:
        self.keep = None
        self.refresh()

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            self.shown = None
            self.loop.stop()
            return
        yours = self.state.yours
        set_shown(self.outsiders, not yours)
        set_shown(self.numbers, not yours)
        set_shown(self.teacher, yours)
        if not yours:
            self.loop.stop()
            self.shown = None
            self.outsiders.value = note_html(
                words.outsiders_note(self.state.member, self.state.teacher_name)
            )
            counts = class_meetings.participation(self.scope, class_id)
            self.numbers.value = html_table(
                ["", "Number"],
                [
                    ["Class family meetings", str(counts.meetings)],
                    ["Present at each meeting", words.attendance_words(counts)],
                    ["Goals set", str(counts.goals)],
                    ["Goals reached", str(counts.goals_reached)],
                ],
            )
            return
        self.loop.seen = self._revision()  # before reading: a change meanwhile is noticed
        self._draw_preparing()
        self.found = guardians.families(self.scope, class_id)
        found = class_meetings.meetings(self.scope, class_id)
        self.filling = True
        try:
            keep = self.keep if self.keep is not None else self.choice.value
            if keep is None and found:  # first: the next meeting, else the latest
                today = self.scope.store.clock.today()
                keep = next((m.id for m in found if m.held_on >= today), found[-1].id)
            refill(self.choice, [(self._label(m), m.id) for m in found], keep=keep)
        finally:
            self.filling = False
        self.keep = None
        self._show(found)

    @staticmethod
    def _label(meeting: Meeting) -> str:
        return f"{meeting.title} · {meeting.held_on:%d %b %Y}"

    def _draw_preparing(self) -> None:
        found = evidence.assessments(self.scope)
        self.filling = True
        try:
            refill(self.assessment, [(f"{a.name} ({a.students} students)", a.id) for a in found])
        finally:
            self.filling = False
        set_shown(self.assessment, bool(found))
        set_shown(self.no_assessment, not found)
        self._assessment_chosen()
        if not self.activities.options:
            self._offer_activities()

    def _standards(self) -> list[str]:
        if self.assessment.value is None:
            return []
        return evidence_links.standards(self.scope, self.assessment.value)

    def _assessment_chosen(self) -> None:
        if self.assessment.value == self.standards_of:
            return  # the same assessment, redrawn: the skill stays as chosen or typed
        self.standards_of = self.assessment.value
        standards = self._standards()
        before = self.skill.options
        self.skill.options = tuple(standards)
        if not self.skill.value or self.skill.value in before:  # not typed: the first one
            self.skill.value = standards[0] if standards else ""
        self._skill_typed()

    def _skill_typed(self) -> None:
        skill = " ".join(self.skill.value.split())
        if self.assessment.value is None:
            self.skill_said.value = ""
        elif skill and skill in self.skill.options:
            self.skill_said.value = note_html(
                f"The graph shows each child's percent on the standard {skill}."
            )
        elif skill:
            self.skill_said.value = note_html(
                "Not one of the assessment's standards: the graph shows each child's "
                "percent on the whole assessment."
            )
        else:
            self.skill_said.value = note_html("Write the skill the meeting is about.")
        self._offer_activities()

    def _offer_activities(self) -> None:
        try:
            words_asked = self.search.value.strip() or self.skill.value
            found = library.activities_for(words_asked, self.grade.value)
        except CollabError as exc:
            self.status.error(str(exc))
            found = []
        chosen = set(self.activities.value)
        offered = found[:MOST_ACTIVITIES]
        # the chosen ones stay offered (and chosen) as the skill is typed
        kept = [a for a in found if a.id in chosen and a not in offered]
        self.library_activities = {a.id: a for a in offered + kept}
        self.activities.options = [(activity_label(a), a.id) for a in offered + kept]
        self.activities.value = tuple(a.id for a in offered + kept if a.id in chosen)

    def _draw_total(self) -> None:
        total = sum(box.value or 0 for box in self.minutes)
        self.total.value = note_html(f"{total} minutes in all.")

    def _show(self, found: list[Meeting] | None = None) -> None:
        class_id = self.state.class_id
        if class_id is None or not self.state.yours:
            return
        if found is None:
            found = class_meetings.meetings(self.scope, class_id)
        self.shown = meeting = next((m for m in found if m.id == self.choice.value), None)
        set_shown(self.none, meeting is None)
        set_shown(self.detail, meeting is not None)
        if meeting is None:
            self.loop.stop()
            return
        results = class_meetings.results(self.scope, meeting.id)
        with_result = sum(p is not None for p in results.values())
        self.summary.value = (
            f"<h4>{html.escape(meeting.title)}</h4>"
            f"<p>{html.escape(words.when(meeting.held_on, meeting.starts_at))} · skill: "
            f"<b>{html.escape(meeting.skill)}</b> · from “{html.escape(meeting.assessment_name)}”"
            f" · {with_result} of {plural(len(results), 'child', 'children')} with a result</p>"
        )
        self.chart.show(
            graph(meeting),
            "Too few children have a result to show a class graph without pointing at "
            "some of them (your team shows groups of at least "
            f"{evidence.settings(self.scope).min_n}). Each family still sees its own "
            "child's result.",
        )
        self._draw_agenda(meeting)
        self._draw_attendance(meeting)
        self._draw_goals(meeting)
        if meeting.held_on + dt.timedelta(days=rules.GOAL_DAYS) >= self.scope.store.clock.today():
            self.loop.start()  # goals may still arrive from the families' pages
        else:
            self.loop.stop()

    def _draw_agenda(self, meeting: Meeting) -> None:
        rows = [
            [item.get("title", {}).get("en", ""), f"{item.get('minutes', 0)} min"]
            for item in meeting.agenda
        ]
        activities = "".join(
            f"<li>{html.escape(a.get('title', {}).get('en', ''))}"
            + (" · Español ✓" if a.get("title", {}).get("es") else " · English only")
            + "</li>"
            for a in meeting.activities
        )
        class_name = self.state.info.name if self.state.info else ""
        downloads = " ".join(
            download_link(
                f"Print the agenda ({name})",
                f"family-meeting-agenda-{lang}.html",
                "text/html",
                cards.agenda_html(class_name, meeting, lang).encode("utf-8"),
                DOWNLOAD,
            )
            for name, lang in words.LANGUAGE_CHOICES
        )
        self.agenda.value = (
            "<h5>Agenda</h5>"
            + html_table(["Item", "Minutes"], rows, "collab-table")
            + (f"<h5>Home activities</h5><ul>{activities}</ul>" if activities else "")
            + f"<p>{downloads}</p>"
        )

    def _draw_attendance(self, meeting: Meeting) -> None:
        present = class_meetings.present(self.scope, meeting.id)
        wanted = [(f.id, self.state.child_of(f)) for f in self.found]
        self.attendance = refill_ticks(self.attendance, self.present_boxes, wanted, self._marker)
        self.filling = True
        try:
            for family_id, box in self.attendance.items():
                box.value = family_id in present
        finally:
            self.filling = False
        self.present_count.value = note_html(
            f"Present: {len(present)} of {plural(len(self.found), 'family', 'families')} "
            f"({words.rate(len(present), len(self.found))})."
        )

    def _marker(self, family_id: int):
        @guarded(self.status)
        def marked(change) -> None:
            if self.filling or self.shown is None:
                return
            class_meetings.set_present(self.scope, self.shown.id, family_id, bool(change["new"]))
            self.indicator.saved()
            self.state.changed()

        return marked

    def _draw_goals(self, meeting: Meeting) -> None:
        children = {f.id: self.state.child_of(f) for f in self.found}
        found = class_meetings.goals(self.scope, self.state.class_id)
        all_meetings = {m.id: m for m in class_meetings.meetings(self.scope, self.state.class_id)}
        here = [(g, p) for g, p in found if g.meeting_id == meeting.id]
        earlier = [
            (g, p)
            for g, p in found
            if g.meeting_id != meeting.id
            and g.meeting_id in all_meetings
            and all_meetings[g.meeting_id].held_on <= meeting.held_on
        ]
        parts = [
            note_html(
                f"Goals set at this meeting: {len(here)} of "
                f"{plural(len(self.found), 'family', 'families')}."
            )
        ]
        if here:
            parts.append(
                html_table(
                    ["Family of", "Goal", "Progress"],
                    [
                        [
                            children.get(g.family_id, "(no longer in the class)"),
                            words.goal_words(g),
                            words.progress_words(p),
                        ]
                        for g, p in here
                    ],
                    "collab-table collab-family-goals-here",
                )
            )
        if earlier:
            parts.append("<h5>Goals set at earlier meetings</h5>")
            parts.append(
                html_table(
                    ["Family of", "Set at", "Goal", "Progress"],
                    [
                        [
                            children.get(g.family_id, "(no longer in the class)"),
                            self._label(all_meetings[g.meeting_id]),
                            words.goal_words(g),
                            words.progress_words(p),
                        ]
                        for g, p in earlier
                    ],
                    "collab-table collab-family-goals-earlier",
                )
            )
        self.goals.value = "".join(parts)

    def _live(self) -> None:
        """The class's counter moved (a family wrote a goal): the meeting again."""
        self.loop.seen = self._revision()
        self.found = guardians.families(self.scope, self.state.class_id)
        self._show()

    # --- actions --------------------------------------------------------------------------

    def _prepare(self) -> None:
        class_id = self.state.open_class_id()
        if self.assessment.value is None:
            raise InvalidInput(NO_ASSESSMENT)
        if self.held_on.value is None:
            raise InvalidInput("Choose the meeting's date.")
        skill = " ".join(self.skill.value.split())
        if not skill:
            raise InvalidInput("Write the skill the meeting is about.")
        assessment_id = self.assessment.value
        info = next((a for a in evidence.assessments(self.scope) if a.id == assessment_id), None)
        if info is None:
            raise NotFound("That assessment is no longer there (it may be in the trash).")
        standard = skill if skill in self._standards() else None
        roster = classes.roster(self.scope, class_id)
        results = evidence_links.percents(self.scope, assessment_id, roster, standard=standard)
        agenda = [
            {"title": dict(item.title), "minutes": box.value}
            for item, box in zip(self.agenda_items, self.minutes, strict=True)
            if box.value
        ]
        if not agenda:
            raise InvalidInput("Give at least one agenda item some minutes.")
        chosen = [
            library_activity(self.library_activities[i])
            for i in self.activities.value
            if i in self.library_activities
        ]
        own = own_activity(
            self.own_title.value,
            self.own_steps.value,
            self.own_title_es.value,
            self.own_steps_es.value,
        )
        involvement = tuple(
            kind.id for kind, box in zip(self.types, self.involvement, strict=True) if box.value
        )
        meeting_id = class_meetings.prepare_meeting(
            self.scope,
            class_id,
            title=self.title.value,
            held_on=self.held_on.value,
            starts_at=self.starts_at.value,
            skill=skill,
            assessment_id=assessment_id,
            assessment_name=info.name,
            results=results,
            agenda=agenda,
            activities=chosen + ([own] if own else []),
            involvement=involvement,
        )
        for box in (self.own_title, self.own_steps, self.own_title_es, self.own_steps_es):
            box.value = ""
        self.keep = meeting_id
        self.state.changed()
        with_result = sum(p is not None for p in results.values())
        on = f"the standard {standard}" if standard else "the whole assessment"
        self.status.ok(
            f"The meeting is prepared: families see it on their own page. {with_result} of "
            f"{plural(len(results), 'child', 'children')} have a result on {on}."
        )

    def _delete(self) -> None:
        if self.shown is None:
            raise NotFound("Choose a meeting first.")
        class_meetings.delete_meeting(self.scope, self.shown.id)
        self.state.changed()
        self.status.ok("The meeting is deleted.")

    # --- going away -----------------------------------------------------------------------

    def close_live(self) -> None:
        self.loop.stop()

    def close(self) -> None:
        self.loop.stop()
        for handler, name in getattr(self, "watching", []):
            with contextlib.suppress(ValueError):
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
