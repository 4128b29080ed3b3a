"""The rules of classroom practice, with no database and no widgets: a lesson study's stages
and the moves between them, what a plan's version holds and how two versions differ, and
what an observation note may carry."""

from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass

from collab_widgets.core.errors import InvalidInput

# --- lesson study ----------------------------------------------------------------------

THEME, STUDY, PLAN, TEACH, DEBRIEF, REVISE, TEACH_AGAIN, REPORT, DONE = (
    "theme",
    "study",
    "plan",
    "teach",
    "debrief",
    "revise",
    "teach-again",
    "report",
    "done",
)
STAGES = (THEME, STUDY, PLAN, TEACH, DEBRIEF, REVISE, TEACH_AGAIN, REPORT, DONE)
STAGE_NAMES = {
    THEME: "Research theme",
    STUDY: "Study",
    PLAN: "Plan the research lesson",
    TEACH: "Teach and observe",
    DEBRIEF: "Debrief",
    REVISE: "Revise",
    TEACH_AGAIN: "Teach again and observe",
    REPORT: "Report",
    DONE: "Done",
}
# Where a cycle may go from each stage. Forward one step, or back while nothing was taught
# yet; a lesson once taught stays taught (its notes are what the debrief works on).
MOVES: dict[str, tuple[str, ...]] = {
    THEME: (STUDY,),
    STUDY: (PLAN, THEME),
    PLAN: (TEACH, STUDY),
    TEACH: (DEBRIEF,),
    DEBRIEF: (REVISE,),
    REVISE: (TEACH_AGAIN, REPORT, DEBRIEF),
    TEACH_AGAIN: (DEBRIEF,),
    REPORT: (DONE, REVISE),
    DONE: (),
}
TEACHING = (TEACH, TEACH_AGAIN)  # the stages during which a lesson is taught


def check_move(stage: str, to: str, *, has_plan: bool, taught_again: bool) -> None:
    """Refuse a move the cycle does not allow, saying what the team can do instead."""
    if to not in STAGE_NAMES:
        raise InvalidInput(f"There is no stage called “{to}”.", "stage")
    if to == stage:
        return
    allowed = MOVES.get(stage, ())
    if to not in allowed:
        names = " or ".join(f"“{STAGE_NAMES[s]}”" for s in allowed)
        raise InvalidInput(
            f"A lesson study at “{STAGE_NAMES.get(stage, stage)}” cannot go to "
            f"“{STAGE_NAMES[to]}”" + (f"; it can go to {names}." if names else ": it is done."),
            "stage",
        )
    if to == TEACH and not has_plan:
        raise InvalidInput(
            "Choose the research lesson's plan before the lesson is taught: the observers "
            "note what happens in each of its parts.",
            "stage",
        )
    if to == TEACH_AGAIN and taught_again:
        raise InvalidInput(
            "The lesson was already taught a second time. Go on to the report.", "stage"
        )


def next_stages(stage: str) -> tuple[str, ...]:
    return MOVES.get(stage, ())


# --- observation notes -----------------------------------------------------------------

MAX_NOTE = 1000  # characters: a low-inference note is a sentence or two
MAX_CASE_STUDENTS = 6


def check_note(text: str) -> str:
    if len(text) > MAX_NOTE:
        raise InvalidInput(
            f"A note is {len(text):,} characters long; keep it to {MAX_NOTE:,} (what you saw "
            "and heard, briefly). Start another note for the rest.",
            "note",
        )
    return text


def check_case_student(name: str | None, chosen: tuple[str, ...], current: set[str]) -> None:
    """A note's case student must be one the team chose, and still among the assessment's
    students (a new upload of its scores may have taken them out)."""
    if not name:
        return
    if name not in chosen:
        raise InvalidInput(
            f"“{name}” is not one of this lesson study's case students. Pick one from the list.",
            "case_student",
        )
    if name not in current:
        raise InvalidInput(
            f"“{name}” is no longer among the students of the assessment the case students "
            "come from (its scores were uploaded again). Your note is not saved; choose "
            "another case student, or none, and add it again.",
            "case_student",
        )


def check_case_students(names: list[str], available: set[str]) -> tuple[str, ...]:
    if len(names) > MAX_CASE_STUDENTS:
        raise InvalidInput(
            f"Choose at most {MAX_CASE_STUDENTS} case students: observers follow each one "
            "closely through the lesson.",
            "case_students",
        )
    gone = [n for n in names if n not in available]
    if gone:
        raise InvalidInput(
            f"{', '.join(gone)} {'is' if len(gone) == 1 else 'are'} not among the "
            "assessment's students. Choose from the list.",
            "case_students",
        )
    return tuple(dict.fromkeys(names))


# --- co-plans --------------------------------------------------------------------------

SECTIONS = {
    "target": "Learning target",
    "criteria": "Success criteria",
    "groups": "Questions 3 and 4: the groups",
    "materials": "Materials",
}
MAX_SEGMENTS = 20
MAX_MINUTES = 240


@dataclass(frozen=True)
class Segment:
    id: int
    position: int
    task: str
    minutes: int
    approach: str | None


@dataclass(frozen=True)
class PlanContent:
    """What a version of a plan keeps: its standard, sections and segments as they were."""

    title: str
    standard: str
    sections: dict[str, str]
    segments: tuple[tuple[str, int, str | None], ...]  # (task, minutes, approach)

    def to_json(self) -> str:
        return json.dumps(
            {
                "title": self.title,
                "standard": self.standard,
                "sections": self.sections,
                "segments": [list(s) for s in self.segments],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> PlanContent:
        data = json.loads(text)
        return cls(
            data.get("title", ""),
            data.get("standard", ""),
            {k: str(v) for k, v in data.get("sections", {}).items()},
            tuple((str(t), int(m), a) for t, m, a in data.get("segments", [])),
        )

    @property
    def minutes(self) -> int:
        return sum(m for _t, m, _a in self.segments)

    def lines(self, approach_names: dict[str, str]) -> dict[str, list[str]]:
        """Each part of the plan as lines of text, for comparing two versions."""
        parts = {"Essential standard": [self.standard]}
        for key, name in SECTIONS.items():
            parts[name] = self.sections.get(key, "").splitlines()
        parts["Tasks"] = [
            f"{task} ({minutes} min"
            + (f", {approach_names.get(approach, approach)})" if approach else ")")
            for task, minutes, approach in self.segments
        ]
        return parts


def check_minutes(minutes: int) -> int:
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(
            f"A task's time is between 1 and {MAX_MINUTES} minutes; it was {minutes}.",
            "minutes",
        )
    return minutes


@dataclass(frozen=True)
class Change:
    part: str
    removed: tuple[str, ...]
    added: tuple[str, ...]


def compare(older: PlanContent, newer: PlanContent, approach_names: dict[str, str]) -> list[Change]:
    """What changed from ``older`` to ``newer``, part by part: lines taken out and put in."""
    before, after = older.lines(approach_names), newer.lines(approach_names)
    changes = []
    for part in after:
        old, new = before.get(part, []), after[part]
        if old == new:
            continue
        removed, added = [], []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                removed.extend(old[i1:i2])
            if tag in ("replace", "insert"):
                added.extend(new[j1:j2])
        changes.append(Change(part, tuple(removed), tuple(added)))
    return changes


def changes_html(changes: list[Change]) -> str:
    """The changes as the page shows them: words, not diff marks; every text escaped."""
    if not changes:
        return "<p>The two versions are the same.</p>"
    out = []
    for change in changes:
        items = [
            f"<li class='collab-removed'><span class='collab-tag'>Taken out</span> "
            f"<del>{html.escape(line)}</del></li>"
            for line in change.removed
            if line.strip()
        ] + [
            f"<li class='collab-added'><span class='collab-tag'>Put in</span> "
            f"<ins>{html.escape(line)}</ins></li>"
            for line in change.added
            if line.strip()
        ]
        out.append(f"<h4>{html.escape(change.part)}</h4><ul>{''.join(items)}</ul>")
    return "".join(out)
