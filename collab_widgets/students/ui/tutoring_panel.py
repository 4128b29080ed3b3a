"""Peer tutoring pairs from a saved assessment: the whole of it, one standard or chosen
items; a rule (the rank-order rule by default); a tutor secure where the tutee is not;
the question 3/4 group of each student beside their pair; roles that swap on a schedule;
saved, reopened and printed as pair cards (names and the schedule, never a score).

Only the class's teacher makes, saves, prints or deletes pairs; the team's other members
read the saved pairs with the percents; a coach or a visitor holding the team link reads
them by pseudonym, without percents.

On screen, students show under their pseudonyms unless a member chose "Show names" (on
the Class tab: ``ClassState.show_names``); the printed pair cards carry the display
names, since they are handed to the students."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import dataclass

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import AccessDenied, CollabError, InvalidInput, NotFound
from collab_widgets.core.model import plural
from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine, guarded
from collab_widgets.core.ui.layout import (
    button,
    download_link,
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
from collab_widgets.students import cards, evidence_links, tutoring
from collab_widgets.students.model import Placement, SavedGrouping, Student
from collab_widgets.students.store import classes, groupings
from collab_widgets.students.tutoring import Pair
from collab_widgets.students.ui.state import PSEUDONYMS_HINT, ClassState

RULE_LABELS = {"rank": "Top half with bottom half", "adjacent": "Neighbours in the ranking"}
SOURCES = (
    ("The whole assessment", "all"),
    ("One standard", "standard"),
    ("Chosen items", "items"),
)
NOT_SECURE = "⚠ look again"
SECURE_NOTE = (
    "⚠ look again: the tutor is below the secure percent, or a tutee is at or above it. "
    "Such a pair can still work (e.g. partners reading together); it is for you to decide."
)
# what a pair whose members share a question 3/4 group might do instead
SHARED_HINTS = {
    "intervention": "Pair them with a teacher-led group instead?",
    "close": "A short reteach with you first, then tutoring?",
    "extension": "An extension task together instead of tutoring?",
}
DOWNLOAD = "collab-download"
NO_SCORE = "—"


def rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule.replace("_", " ").capitalize())


def percent(value: float | None) -> str:
    return NO_SCORE if value is None else f"{value:.0f}%"


def _sessions(numbers: list[int]) -> str:
    """[1, 2, 5, 6] as "sessions 1–2 and 5–6"; [3] as "session 3"."""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    spans = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    listed = spans[0] if len(spans) == 1 else f"{', '.join(spans[:-1])} and {spans[-1]}"
    return ("session " if len(numbers) == 1 else "sessions ") + listed


def schedule_line(pair: Pair, names: dict[str, str], sessions: int, swap_every: int) -> str:
    """Who coaches in which sessions, e.g. "Maya coaches in sessions 1–2 and 5–6; Leo in
    sessions 3–4." (read from :func:`tutoring.schedule`, so it says what it does)."""
    plan = tutoring.schedule([pair], sessions, swap_every)
    coaching: dict[str, list[int]] = {}
    for number, entries in enumerate(plan, 1):
        coaching.setdefault(entries[0][0], []).append(number)
    parts = [
        f"{names.get(coach, coach)} {'coaches in ' if index == 0 else 'in '}{_sessions(numbers)}"
        for index, (coach, numbers) in enumerate(coaching.items())
    ]
    return "; ".join(parts) + "."


@dataclass
class PairsShown:
    """Pairs as a table draws them: the pairs, students' names (id -> the name a table
    shows: the pseudonym unless names are shown; the display name on printed cards), their
    percents (empty when the reader may not see them), their question 3/4 groups, the
    sessions."""

    pairs: list[Pair]
    names: dict[str, str]
    percents: dict[str, float | None]
    groups: dict[str, str | None]
    sessions: int
    swap_every: int
    unpaired: list[str]  # ids of students left out (no score), named by ``names``


def pairs_table(shown: PairsShown, with_percents: bool) -> str:
    """The pairs (every cell escaped): tutor, tutee, a third, percents for the team's
    members, the mark of a pair that is not secure, and the question 3/4 groups."""
    links = tutoring.group_links(shown.pairs, shown.groups, shown.names) if shown.groups else {}
    triads = any(pair.third is not None for pair in shown.pairs)
    columns = ["Pair", "Tutor", "Tutee"] + (["Third"] if triads else [])
    if with_percents:
        columns += ["Tutor %", "Tutee %"] + (["Third %"] if triads else []) + ["Secure?"]
    if shown.groups:
        columns += ["Question 3/4 groups"]
    rows = []
    for number, pair in enumerate(shown.pairs, 1):
        name = shown.names.get
        row = [str(number), name(pair.tutor, pair.tutor), name(pair.tutee, pair.tutee)]
        if triads:
            row.append(name(pair.third, pair.third) if pair.third else "")
        if with_percents:
            row += [
                percent(shown.percents.get(pair.tutor)),
                percent(shown.percents.get(pair.tutee)),
            ]
            if triads:
                row.append(percent(shown.percents.get(pair.third)) if pair.third else "")
            row.append("yes" if pair.secure_gap else NOT_SECURE)
        link = links.get(pair)
        if link is not None:
            places = [link.tutor, link.tutee] + ([link.third] if pair.third else [])
            said = " / ".join(p or "—" for p in places)
            if link.note:
                said += f". {link.note} {SHARED_HINTS.get(link.shared or '', '')}".rstrip()
            row.append(said)
        rows.append(row)
    return html_table(columns, rows, "collab-table collab-tutoring-pairs")


def schedule_table(shown: PairsShown) -> str:
    """Who coaches in each session, pair by pair."""
    rows = [
        [
            str(number),
            " & ".join(shown.names.get(m, m) for m in pair.members),
            schedule_line(pair, shown.names, shown.sessions, shown.swap_every),
        ]
        for number, pair in enumerate(shown.pairs, 1)
    ]
    return html_table(["Pair", "Students", "Who coaches"], rows, "collab-table")


class TutoringPanel(widgets.VBox):
    def __init__(
        self,
        scope: TeamScope,
        state: ClassState,
        status: StatusLine,
        indicator: SavedIndicator,
    ):
        self.scope, self.state, self.status, self.indicator = scope, state, status, indicator
        self.filling = False
        self.made: tuple[PairsShown, dict] | None = None  # pairs made, not saved yet
        self.opened: SavedGrouping | None = None
        self.keep: int | None = None  # saved pairs to show after the next refresh
        self.secure_set = False
        self.parts_of: int | None = None  # the assessment whose standards and items are listed
        guard = guarded(status)
        redraw = guarded(status, flush=False)
        # making pairs (the class's teacher)
        self.assessment = widgets.Dropdown(
            description="Assessment",
            options=[],
            tooltip="The saved assessment the pairs come from",
            layout=widgets.Layout(width="auto"),
        )
        self.assessment.observe(
            redraw(lambda _c: None if self.filling else self._load_parts()), "value"
        )
        self.source = widgets.ToggleButtons(
            description="Scores from",
            options=SOURCES,
            value="all",
            tooltips=[
                "Each student's percent on the whole assessment",
                "Each student's percent on one standard",
                "Each student's percent on the items you choose",
            ],
        )
        self.source.observe(redraw(lambda _c: self._show_source()), "value")
        self.standard = widgets.Dropdown(
            description="Standard", options=[], layout=widgets.Layout(width="auto")
        )
        self.items = widgets.SelectMultiple(
            description="Items",
            options=[],
            rows=6,
            tooltip="Hold Ctrl (or ⌘) to choose several",
            layout=widgets.Layout(width="auto"),
        )
        self.rule = widgets.ToggleButtons(
            description="Rule",
            options=[(rule_label(r), r) for r in tutoring.RULES],
            value=tutoring.DEFAULT_RULE,
            tooltips=list(tutoring.RULES.values()),
        )
        self.rule_note = text_block(note_html(tutoring.RULES[tutoring.DEFAULT_RULE]))
        self.rule.observe(
            lambda c: setattr(self.rule_note, "value", note_html(tutoring.RULES[c["new"]])),
            "value",
        )
        self.secure = widgets.BoundedFloatText(
            description="Secure from (%)",
            value=80.0,
            min=0.0,
            max=100.0,
            step=5.0,
            tooltip="A tutor scores at least this; a tutee below it (the team's proficient cut)",
            style={"description_width": "initial"},
        )
        self.sessions = widgets.BoundedIntText(
            description="Sessions",
            value=6,
            min=1,
            max=40,
            tooltip="How many tutoring sessions the schedule covers",
        )
        self.swap_every = widgets.BoundedIntText(
            description="Swap every",
            value=1,
            min=1,
            max=20,
            tooltip="Roles swap after this many sessions",
        )
        self.name = widgets.Text(
            description="Name",
            placeholder="e.g. Fractions pairs, November",
            layout=widgets.Layout(width="auto"),
        )
        make = button(
            "Make pairs", "Pair the students from their percents", "primary", "make-pairs"
        )
        make.on_click(guard(lambda _b: self._make()))
        self.no_assessment = note(
            "Save an assessment of these students in Evidence first: the pairs come from "
            "their percents on it."
        )
        self.preview = text_block()
        self.preview.add_class("collab-tutoring-preview")
        save = button("Save pairs", "Keep these pairs for the class", "success", "save-pairs")
        save.on_click(guard(lambda _b: self._save()))
        self.saving = stacked([side_by_side([self.name, save], flex_flow="row wrap")])
        self.maker = stacked(
            [
                heading("Make tutoring pairs", 4),
                self.no_assessment,
                self.assessment,
                self.source,
                self.standard,
                self.items,
                self.rule,
                self.rule_note,
                side_by_side([self.secure, self.sessions, self.swap_every], flex_flow="row wrap"),
                make,
                self.preview,
                self.saving,
            ]
        )
        # saved pairs
        self.choice = widgets.Dropdown(
            description="Saved pairs", options=[], layout=widgets.Layout(width="auto")
        )
        self.choice.observe(redraw(lambda _c: None if self.filling else self._open()), "value")
        self.none = note("No tutoring pairs saved for this class yet.")
        self.view = text_block()
        self.view.add_class("collab-tutoring-saved")
        printing = button(
            "Print pair cards",
            "A page to print: each pair's names and when roles swap, never a score",
            name="print-pair-cards",
        )
        printing.on_click(guard(lambda _b: self._print()))
        self.downloads = text_block()
        self.delete = Confirm(
            "Delete these pairs",
            "Delete the saved pairs",
            "Delete these tutoring pairs for good? Printed cards stay as they are.",
            "Yes, delete them",
            lambda: self._delete(),
            status,
            name="delete-pairs",
        )
        self.owner_tools = side_by_side([printing, self.delete], flex_flow="row wrap")
        self.saved = stacked(
            [
                heading("Saved pairs", 4),
                self.choice,
                self.none,
                self.view,
                self.owner_tools,
                self.downloads,
            ]
        )
        self.no_class = note("Choose a class first.")
        self.read_only = note(
            "Only the class's teacher makes and changes its tutoring pairs; here you read "
            "the pairs saved."
        )
        self.pseudonyms_hint = note(PSEUDONYMS_HINT)
        self.pseudonyms_hint.add_class("collab-pseudonyms-hint")
        self.body = stacked([self.read_only, self.pseudonyms_hint, self.maker, self.saved])
        super().__init__(
            [
                heading("Peer tutoring pairs"),
                note(
                    "Pairs from a saved assessment: a tutor secure where the tutee is not, "
                    "and roles that swap on a schedule, so each student also coaches."
                ),
                self.no_class,
                self.body,
            ]
        )
        self.add_class("collab-tutoring")
        self.watching = [
            (redraw(lambda _c: self._class_changed()), "class_id"),
            (redraw(lambda _c: self.refresh()), "revision"),
            (redraw(lambda _c: self._names_changed()), "show_names"),
        ]
        for handler, name in self.watching:
            state.observe(handler, name)

    # --- drawing --------------------------------------------------------------------------

    def _names_changed(self) -> None:
        """Names shown or hidden: the pairs on the page are named again."""
        if self.state.class_id is None:
            return
        self._draw_hint()
        if self.made is not None:
            shown, settings = self.made
            shown = dataclasses.replace(shown, names=self.state.shown_names(self._roster()))
            self.made = (shown, settings)
            self.preview.value = self._draw(shown, True)
        self._open()

    def _draw_hint(self) -> None:
        set_shown(self.pseudonyms_hint, self.state.names and not self.state.show_names)

    def _class_changed(self) -> None:
        self.made = None
        self.opened = None
        self.preview.value = self.downloads.value = ""
        self.name.value = ""
        self.refresh()

    def refresh(self) -> None:
        class_id = self.state.class_id
        set_shown(self.no_class, class_id is None)
        set_shown(self.body, class_id is not None)
        if class_id is None:
            return
        yours = self.state.yours
        self._draw_hint()
        set_shown(self.maker, yours)
        set_shown(self.read_only, not yours)
        set_shown(self.owner_tools, yours)
        if yours:
            self._refresh_maker()
        saved = groupings.groupings(self.scope, class_id, "tutoring")
        self.filling = True
        try:
            keep = self.keep if self.keep is not None else self.choice.value
            refill(self.choice, [(self._label(g), g.id) for g in saved], keep=keep)
        finally:
            self.filling = False
        self.keep = None
        set_shown(self.none, not saved)
        self._open()

    def _refresh_maker(self) -> None:
        if not self.secure_set:
            self.secure.value = float(evidence.settings(self.scope).group_cuts[1])
            self.secure_set = True
        found = evidence_links.assessments(self.scope)
        before = self.assessment.value
        self.filling = True
        try:
            refill(self.assessment, found)
        finally:
            self.filling = False
        set_shown(self.no_assessment, not found)
        if self.assessment.value != before or self.parts_of != self.assessment.value:
            self._load_parts()
        self._show_source()
        set_shown(self.saving, self.made is not None)

    @staticmethod
    def _label(info) -> str:
        made = f"{info.made_at.astimezone():%d %b %Y}"
        return f"{info.name} ({plural(info.groups, 'pair')}, {made})"

    def _load_parts(self) -> None:
        """The chosen assessment's standards and items."""
        assessment_id = self.parts_of = self.assessment.value
        standards = items = []
        if assessment_id is not None:
            standards = evidence_links.standards(self.scope, assessment_id)
            items = evidence_links.items(self.scope, assessment_id)
        self.filling = True
        try:
            refill(self.standard, [(s, s) for s in standards])
            self.items.options = items
            self.items.value = ()
        finally:
            self.filling = False

    def _show_source(self) -> None:
        set_shown(self.standard, self.source.value == "standard")
        set_shown(self.items, self.source.value == "items")

    def _roster(self) -> list[Student]:
        return classes.roster(self.scope, self.state.class_id)

    # --- making and saving ----------------------------------------------------------------

    def _choice(self) -> tuple[str | None, list[str] | None]:
        """The standard or the items the percents come from (neither: the whole)."""
        if self.source.value == "standard":
            if not self.standard.value:
                raise InvalidInput("Choose the standard the pairs are about.")
            return self.standard.value, None
        if self.source.value == "items":
            if not self.items.value:
                raise InvalidInput("Choose the items the pairs are about.")
            return None, list(self.items.value)
        return None, None

    def _make(self) -> None:
        self._own()
        if self.assessment.value is None:
            raise InvalidInput("Choose the saved assessment the pairs come from.")
        standard, chosen = self._choice()
        roster = self._roster()
        names = self.state.shown_names(roster)  # in messages and tables, as on screen
        found = evidence_links.percents(self.scope, self.assessment.value, roster, standard, chosen)
        scores = {str(i): p for i, p in found.items() if p is not None}
        secure = float(self.secure.value)
        pairs = tutoring.make_pairs(scores, self.rule.value, secure, names)
        groups = evidence_links.question_groups(self.scope, self.assessment.value, roster)
        shown = PairsShown(
            pairs=pairs,
            names=names,
            percents={str(i): p for i, p in found.items()},
            groups={str(i): g for i, g in groups.items()},
            sessions=int(self.sessions.value),
            swap_every=int(self.swap_every.value),
            unpaired=[str(i) for i, p in found.items() if p is None],
        )
        settings = {
            "assessment": self.assessment.value,
            "standard": standard,
            "items": chosen,
            "rule": self.rule.value,
            "secure": secure,
            "sessions": shown.sessions,
            "swap_every": shown.swap_every,
        }
        self.made = (shown, settings)
        if not self.name.value.strip():
            label = self.assessment.label.rsplit(" (", 1)[0]
            self.name.value = f"Pairs on {standard}" if standard else f"Pairs: {label}"
        self.preview.value = self._draw(shown, True)
        set_shown(self.saving, True)
        self.status.info("These pairs are not saved yet: look them over, then save them.")

    def _draw(self, shown: PairsShown, with_percents: bool) -> str:
        parts = [pairs_table(shown, with_percents)]
        if with_percents and not all(p.secure_gap for p in shown.pairs):
            parts.append(note_html(SECURE_NOTE))
        if shown.unpaired:
            parts.append(
                note_html(
                    "Not paired (no score on this assessment): "
                    + ", ".join(shown.names.get(sid, sid) for sid in shown.unpaired)
                    + "."
                )
            )
        every = (
            "every session"
            if shown.swap_every == 1
            else f"every {plural(shown.swap_every, 'session')}"
        )
        parts.append(
            "<h5>Sessions</h5>"
            + note_html(f"{plural(shown.sessions, 'session')}; roles swap {every}.")
            + schedule_table(shown)
        )
        return "".join(parts)

    def _save(self) -> None:
        self._own()
        if self.made is None:
            raise InvalidInput("Make the pairs first.")
        shown, settings = self.made
        placements = []
        for number, pair in enumerate(shown.pairs, 1):
            placements += [
                Placement(int(pair.tutor), number, "tutor"),
                Placement(int(pair.tutee), number, "tutee"),
            ]
            if pair.third is not None:
                placements.append(Placement(int(pair.third), number, "third"))
        name = self.name.value.strip() or "Tutoring pairs"
        saved_id = groupings.save(
            self.scope, self.state.class_id, "tutoring", name, settings, None, placements
        )
        self.made = None
        self.preview.value = ""
        self.name.value = ""
        self.keep = saved_id
        self.state.changed()
        self.status.ok(
            f"Saved {plural(len(shown.pairs), 'tutoring pair')}. Print the pair cards below."
        )

    def _own(self) -> None:
        if not self.state.yours or self.state.class_id is None:
            raise AccessDenied(classes.NOT_YOURS)

    # --- saved pairs ----------------------------------------------------------------------

    def _open(self) -> None:
        grouping_id = self.choice.value
        if self.opened is None or self.opened.info.id != grouping_id:
            self.downloads.value = ""  # printed cards belong to the pairs they were made of
        if grouping_id is None:
            self.opened = None
            self.view.value = ""
            set_shown(self.owner_tools, False)
            return
        self.opened = groupings.grouping(self.scope, grouping_id)
        set_shown(self.owner_tools, self.state.yours)
        shown = self._saved_pairs(self.opened)
        settings = self.opened.settings
        about = [f"Rule: {rule_label(str(settings.get('rule', '')))}"]
        if settings.get("standard"):
            about.append(f"standard {settings['standard']}")
        elif settings.get("items"):
            about.append("items " + ", ".join(str(i) for i in settings["items"]))
        if self.state.names and settings.get("secure") is not None:
            about.append(f"secure from {float(settings['secure']):g}%")
        self.view.value = note_html("; ".join(about) + ".") + self._draw(shown, self.state.names)

    def _saved_pairs(self, grouping: SavedGrouping) -> PairsShown:
        roster = self._roster()
        names = self.state.shown_names(roster)
        settings = grouping.settings
        found: dict[int, float | None] = {}
        groups: dict[int, str | None] = {}
        assessment_id = settings.get("assessment")
        if self.state.names and assessment_id is not None:
            try:
                found = evidence_links.percents(
                    self.scope,
                    assessment_id,
                    roster,
                    settings.get("standard"),
                    settings.get("items"),
                )
                groups = evidence_links.question_groups(self.scope, assessment_id, roster)
            except CollabError:  # the assessment was deleted: the pairs stand without it
                found, groups = {}, {}
        percents = {str(i): p for i, p in found.items()}
        secure = float(settings.get("secure", 80.0))
        by_number: dict[int, dict[str, str]] = {}
        for placed in grouping.placements:
            by_number.setdefault(placed.group_number, {})[placed.role or "tutee"] = str(
                placed.student_id
            )
        pairs = []
        for number in sorted(by_number):
            roles = by_number[number]
            tutor, tutee = roles.get("tutor"), roles.get("tutee")
            if tutor is None or tutee is None:
                continue  # a student taken off the class left their pair
            third = roles.get("third")
            tutor_score, tutee_score = percents.get(tutor), percents.get(tutee)
            third_score = percents.get(third) if third else None
            tutees = [tutee_score] + ([third_score] if third else [])
            known = tutor_score is not None and all(s is not None for s in tutees)
            pairs.append(
                Pair(
                    tutor=tutor,
                    tutee=tutee,
                    tutor_score=tutor_score if tutor_score is not None else float("nan"),
                    tutee_score=tutee_score if tutee_score is not None else float("nan"),
                    secure_gap=not known
                    or (tutor_score >= secure and all(s < secure for s in tutees)),
                    third=third,
                    third_score=third_score,
                )
            )
        return PairsShown(
            pairs=pairs,
            names=names,
            percents=percents,
            groups={str(i): g for i, g in groups.items()},
            sessions=int(settings.get("sessions", 6)),
            swap_every=int(settings.get("swap_every", 1)),
            unpaired=[],
        )

    def _print(self) -> None:
        self._own()
        if self.opened is None:
            raise NotFound("Choose the saved pairs to print.")
        shown = self._saved_pairs(self.opened)
        # the cards are handed to the students: display names, whatever the screen shows
        printed = {str(s.id): s.display_name for s in self._roster()}
        shown = dataclasses.replace(shown, names=printed)
        info = classes.class_info(self.scope, self.state.class_id)
        name = shown.names.get
        made = cards.pair_cards_html(
            info.name,
            self.opened.info.name,
            [
                (
                    name(p.tutor, ""),
                    name(p.tutee, ""),
                    name(p.third, "") if p.third else None,
                    schedule_line(p, shown.names, shown.sessions, shown.swap_every),
                )
                for p in shown.pairs
            ],
        )
        file = "".join(c if c.isalnum() else "-" for c in self.opened.info.name).strip("-")
        self.downloads.value = download_link(
            "Download the pair cards (a page to print)",
            f"{file or 'pair-cards'}.html",
            "text/html",
            made.encode("utf-8"),
            DOWNLOAD,
        )
        self.status.ok("The pair cards are ready: names and the schedule only, no scores.")

    def _delete(self) -> None:
        self._own()
        if self.opened is None:
            raise NotFound("Choose the saved pairs to delete.")
        groupings.delete(self.scope, self.opened.info.id)
        self.opened = None
        self.state.changed()
        self.status.ok("The tutoring pairs are deleted.")

    def close(self) -> None:
        for handler, name in getattr(self, "watching", []):
            with contextlib.suppress(ValueError):  # the page let go of every observer
                self.state.unobserve(handler, name)
        self.watching = []
        super().close()
