"""Plain records shared by every layer, and the validation of what people type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .errors import EditConflict, InvalidInput

ROLES = ("facilitator", "timekeeper", "recorder")
NORM_CATEGORIES = (
    "time",
    "listening",
    "confidentiality",
    "decision-making",
    "participation",
    "expectations",
)
NORM_RATINGS = {1: "not kept", 2: "partly kept", 3: "mostly kept", 4: "fully kept"}
CHECK_PHASES = ("start", "end")

# The live engine: what a prompt collects, and where it stands.
PROMPT_KINDS = ("notes", "board", "round", "dot-vote", "fist-to-five", "rating")
WAITING, OPEN, CLOSED = "waiting", "open", "closed"
PROMPT_STATUSES = (WAITING, OPEN, CLOSED)
ENTRY_KINDS = ("note", "option", "check")
FIST_LOW = 2  # a fist-to-five mark at or below this is heard before deciding

MAX_NAME = 80
MAX_TEXT = 2000
MAX_MINUTES = 240


def plural(n: float, word: str, many: str | None = None) -> str:
    """A count and its noun, singular for one: ``plural(1, "student")`` is "1 student",
    ``plural(3, "student")`` "3 students"; ``many`` for an irregular plural ("people")."""
    count = f"{n:g}" if isinstance(n, float) else str(n)
    return f"{count} {word if n == 1 else many or word + 's'}"


def clean_name(typed: str, what: str = "name") -> str:
    """A person's or team's name as it will be stored: surrounding spaces removed."""
    name = (typed or "").strip()
    if not name:
        raise InvalidInput(f"The {what} is empty. Type at least one letter.", what)
    if len(name) > MAX_NAME:
        raise InvalidInput(
            f"The {what} is {len(name):,} characters long; keep it to {MAX_NAME} or fewer.", what
        )
    if any(ord(ch) < 32 for ch in name):
        raise InvalidInput(f"The {what} contains a line break or tab; use one line.", what)
    return name


def check_text(typed: str, what: str = "text") -> str:
    """Free text saved exactly as typed, within a length a page can show."""
    if typed is None:
        return ""
    if len(typed) > MAX_TEXT:
        raise InvalidInput(
            f"The {what} is {len(typed):,} characters long; keep it to {MAX_TEXT:,} or fewer. "
            "What you typed before that is still saved.",
            what,
        )
    return typed


def check_unchanged(stored: str | None, base: str | None, typed: str) -> None:
    """Refuse to save ``typed`` over a shared text someone else changed since the page
    read it as ``base``. ``base`` None: a save that is not made from a page (a script).
    The same words typed on both pages are no conflict."""
    if base is not None and (stored or "") not in (base, typed):
        raise EditConflict(stored or "")


def encodable(text: str) -> bool:
    """Whether the text can be written down at all: JSON and Python allow a lone half of
    a surrogate pair, which no encoding (and so no database or file) can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_minutes(minutes: int) -> int:
    if not isinstance(minutes, int) or minutes < 0 or minutes > MAX_MINUTES:
        raise InvalidInput(
            f"A time box is a whole number of minutes from 0 to {MAX_MINUTES}.", "minutes"
        )
    return minutes


@dataclass(frozen=True)
class Member:
    id: int
    name: str
    token: str  # their personal token: "" unless the reader is this member or a coach
    joined: dt.datetime
    position: int
    claimed: bool = False  # taken by its owner: the team link no longer hands it out


@dataclass(frozen=True)
class Norm:
    id: int
    category: str
    text: str
    position: int
    retired: bool


@dataclass(frozen=True)
class AgendaItem:
    id: int
    title: str
    minutes: int
    position: int


@dataclass(frozen=True)
class Meeting:
    id: int
    date: dt.date
    title: str
    agenda: tuple[AgendaItem, ...] = ()
    present: frozenset[int] = field(default_factory=frozenset)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.agenda)


@dataclass(frozen=True)
class ActivityEntry:
    id: int
    at: dt.datetime
    kind: str
    summary: str
    who: str | None
    link: str | None


@dataclass(frozen=True)
class TrashItem:
    kind: str
    id: int
    label: str
    deleted_at: dt.datetime


@dataclass(frozen=True)
class TeamSummary:
    id: int
    name: str
    code: str
    member_count: int
    created: dt.datetime


# --- protocols (read and checked by collab_widgets.protocols.schema) ------------------


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    minutes: int
    prompt: str
    input: str
    speakers: tuple[str, ...] = ()
    silent: tuple[str, ...] = ()
    anonymous: bool = False
    dots: int | None = None
    vote_on: str | None = None
    options: tuple[str, ...] = ()
    scale: int | None = None


@dataclass(frozen=True)
class Protocol:
    key: str
    title: str
    purpose: str
    when: str
    roles: tuple[str, ...]
    steps: tuple[Step, ...]
    source: str
    links: tuple[str, ...] = ()
    anonymous: bool = False
    file: str = ""

    @property
    def minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


# --- protocol runs -------------------------------------------------------------------

RUNNING, PAUSED, FINISHED = "running", "paused", "finished"
RUN_STATUSES = (RUNNING, PAUSED, FINISHED)
WARNING_SECONDS = 60

ON_TIME, LAST_MINUTE, OVERTIME, DONE = "on time", "last minute", "over time", "finished"


@dataclass(frozen=True)
class RunState:
    """Where a protocol run is. Times are aware datetimes; seconds are plain floats.

    The transitions live in :mod:`collab_widgets.protocols.runner`; the store keeps
    this state in a row and applies a transition inside its write transaction.
    """

    step_minutes: tuple[int, ...]
    position: int
    status: str
    step_started_at: dt.datetime
    started_at: dt.datetime
    paused_at: dt.datetime | None = None
    paused_seconds: float = 0.0  # pauses within the current step, already ended
    extra_seconds: int = 0  # the facilitator's extensions of the current step
    turn: int = 0  # whose turn it is in a round
    ended_at: dt.datetime | None = None

    @classmethod
    def begin(cls, step_minutes: tuple[int, ...], now: dt.datetime) -> RunState:
        """A run at its first step, its clock running from ``now``."""
        if not step_minutes:
            raise InvalidInput("This protocol has no steps to run.")
        return cls(tuple(step_minutes), 0, RUNNING, now, now)

    @property
    def step_count(self) -> int:
        return len(self.step_minutes)

    @property
    def is_last(self) -> bool:
        return self.position == self.step_count - 1

    @property
    def live(self) -> bool:
        return self.status != FINISHED

    def budget(self) -> int:
        """Seconds this step was given, with extensions."""
        return self.step_minutes[self.position] * 60 + self.extra_seconds

    def elapsed(self, now: dt.datetime) -> float:
        """Seconds spent in this step, pauses left out."""
        until = self.paused_at or self.ended_at or now
        return max(0.0, (until - self.step_started_at).total_seconds() - self.paused_seconds)

    def remaining(self, now: dt.datetime) -> float:
        """Seconds left in this step; negative once it runs over time."""
        return self.budget() - self.elapsed(now)

    def phase(self, now: dt.datetime) -> str:
        if self.status == FINISHED:
            return DONE
        left = self.remaining(now)
        if left < 0:
            return OVERTIME
        return LAST_MINUTE if left <= WARNING_SECONDS else ON_TIME


# --- the live engine -----------------------------------------------------------------


@dataclass(frozen=True)
class LivePrompt:
    id: int
    session_id: int
    position: int
    kind: str
    title: str
    text: str
    anonymous: bool
    status: str
    budget: int | None = None  # dots per member in a dot vote
    scale: int | None = None  # highest mark of a rating
    source_prompt_id: int | None = None  # the board a dot vote is about

    @property
    def mark_range(self) -> tuple[int, int]:
        return mark_range(self.kind, self.scale)


def mark_range(kind: str | None, scale: int | None) -> tuple[int, int]:
    """Lowest and highest mark: 0-5 for a fist to five, 1 to the scale for a rating."""
    return (0, 5) if kind == "fist-to-five" else (1, scale or 5)


@dataclass(frozen=True)
class LiveNote:
    """A sticky note, or an option of a vote. ``author_id`` is None when anonymous."""

    id: int
    text: str
    group: str | None
    author_id: int | None
    author: str | None


@dataclass(frozen=True)
class LiveMark:
    """One member's fist-to-five or rating mark."""

    member_id: int
    member: str
    value: int


@dataclass(frozen=True)
class Board:
    """What one prompt shows to one member. Totals and marks only once it is closed."""

    prompt: LivePrompt
    notes: tuple[LiveNote, ...] = ()  # on a board, or the choices of a vote
    my_dots: dict[int, int] = field(default_factory=dict)  # note id -> my dots
    totals: dict[int, int] | None = None  # note id -> dots, once voting closed
    marks: tuple[LiveMark, ...] | None = None  # once the check closed
    my_mark: int | None = None
    answered: int = 0  # how many members have marked or voted so far

    @property
    def dots_left(self) -> int:
        return (self.prompt.budget or 0) - sum(self.my_dots.values())


@dataclass(frozen=True)
class Contribution:
    member_id: int
    member: str
    count: int


@dataclass(frozen=True)
class RunStep:
    position: int
    key: str
    title: str
    minutes: int
    prompt_id: int
    kind: str
    text: str
    speakers: tuple[str, ...]
    silent: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Run:
    id: int
    title: str
    protocol_key: str
    source: str
    meeting_id: int
    session_id: int
    state: RunState
    steps: tuple[RunStep, ...]
    roles: dict[str, int]  # role -> member id
    role_names: dict[str, str]  # role -> member name
    assessment_id: int | None = None  # the assessment a Data-Driven Dialogue looks at

    @property
    def current(self) -> RunStep:
        return self.steps[self.state.position]

    @property
    def current_prompt_id(self) -> int:
        return self.current.prompt_id


# --- evidence (a saved assessment, as plain values; collab_widgets.evidence makes the
# tidy table from it) ----------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentItem:
    item: str
    standard: str
    max_points: float
    answer: str
    options: bool  # answered by choosing an option, scored against ``answer``


@dataclass(frozen=True)
class StudentResult:
    key: str  # the id in the file
    name: str
    teacher: str
    section: str
    attributes: dict[str, str]
    points: tuple[float | None, ...]  # per item, None where not answered
    responses: tuple[str, ...]  # per item, the option chosen ("" for points)
    reported_total: float | None = None
    reported_max: float | None = None


@dataclass(frozen=True)
class AssessmentInfo:
    id: int
    name: str
    given_on: dt.date | None
    file_name: str
    students: int
    items: int
    created_at: dt.datetime
    totals_only: bool
    attributes: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class SavedAssessment:
    info: AssessmentInfo
    items: tuple[AssessmentItem, ...]
    students: tuple[StudentResult, ...]


DEFAULT_BAND_NAMES = ("Beginning", "Approaching", "Meeting", "Exceeding")
DEFAULT_BAND_CUTS = (60.0, 80.0, 90.0)
DEFAULT_GROUP_CUTS = (60.0, 80.0, 90.0)  # close, proficient, extension
DEFAULT_MIN_N = 10


@dataclass(frozen=True)
class EvidenceSettings:
    """A team's choices for its evidence: bands, question 3/4 cut points, the smallest
    group shown, and whether teachers' or sections' results may be compared."""

    band_names: tuple[str, ...] = DEFAULT_BAND_NAMES
    band_cuts: tuple[float, ...] = DEFAULT_BAND_CUTS
    group_cuts: tuple[float, ...] = DEFAULT_GROUP_CUTS
    min_n: int = DEFAULT_MIN_N
    compare_teachers: bool = False
    pseudonym_salt: str = ""


# --- goals and the cycle of inquiry -------------------------------------------------

# Where a cycle stands: plan what students must learn, teach, give the common assessment,
# respond (intervene and extend), then close it.
CYCLE_STAGES = ("planning", "teaching", "assessing", "responding", "closed")

# What a SMART goal counts, each from a saved assessment or typed.
PERCENT_PROFICIENT = "percent proficient"
AVERAGE_PERCENT = "average percent correct"
COUNT_AT_BAND = "students at or above a band"
MEASURES = (PERCENT_PROFICIENT, AVERAGE_PERCENT, COUNT_AT_BAND)
DEFAULT_TOLERANCE = 5.0  # points under the line from baseline to target still "on track"


@dataclass(frozen=True)
class Cycle:
    """One cycle of inquiry and the team's answers to the four critical questions."""

    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    stage: str
    must_learn: str  # what students must learn (essential standards, learning targets)
    how_know: str  # how we will know (the common assessments, also linked by id)
    respond: str  # how we respond when they do not learn (intervention plan)
    extend: str  # how we extend learning when they already have
    assessment_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class GoalDraft:
    """A SMART goal as typed: every field is text exactly as written (the checks say what
    is missing or wrong), except the assessment the baseline came from and the group
    taken from it (an attribute column and value; none for all students)."""

    group: str = ""
    group_size: str = ""
    learning_target: str = ""
    measure: str = ""
    band: str = ""  # for COUNT_AT_BAND: the lowest band that counts
    baseline: str = ""
    baseline_assessment_id: int | None = None
    group_column: str | None = None
    group_value: str | None = None
    target: str = ""
    by_date: str = ""  # YYYY-MM-DD
    tolerance: str = f"{DEFAULT_TOLERANCE:g}"


@dataclass(frozen=True)
class GoalVersion:
    version: int
    draft: GoalDraft
    statement: str
    saved_at: dt.datetime
    saved_by: str | None


@dataclass(frozen=True)
class Checkpoint:
    id: int
    taken_on: dt.date
    value: float
    note: str
    assessment_id: int | None


@dataclass(frozen=True)
class Goal:
    id: int
    cycle_id: int
    versions: tuple[GoalVersion, ...]  # oldest first
    checkpoints: tuple[Checkpoint, ...]  # by date
    created_at: dt.datetime
    met_posted: bool = False

    @property
    def latest(self) -> GoalVersion:
        return self.versions[-1]


@dataclass(frozen=True)
class Win:
    id: int
    text: str
    posted_at: dt.datetime
    by: str | None  # the member's name; None when a met goal posted it
    goal_id: int | None = None
    member_id: int | None = None


# --- reflection, decisions, actions ---------------------------------------------------

REFLECTION_PARTS = ("what", "so_what", "now_what")  # What? So what? Now what?
DECISION_METHODS = ("consensus", "fist to five", "vote", "facilitator decided")
OPEN, IN_PROGRESS, DONE, DROPPED = "open", "in progress", "done", "dropped"
ACTION_STATUSES = (OPEN, IN_PROGRESS, DONE, DROPPED)
OPEN_ACTION_STATUSES = (OPEN, IN_PROGRESS)


@dataclass(frozen=True)
class Reflection:
    """What? So what? Now what? — a member's own (private) or the team's synthesis."""

    meeting_id: int
    what: str = ""
    so_what: str = ""
    now_what: str = ""


@dataclass(frozen=True)
class Decision:
    id: int
    meeting_id: int | None
    text: str
    method: str
    result: str  # e.g. "fist to five: all at 3 or above (4 of 4)"
    present: tuple[str, ...]  # who was there when it was decided
    decided_at: dt.datetime


@dataclass(frozen=True)
class Action:
    id: int
    meeting_id: int | None
    text: str
    owner_id: int | None
    owner: str  # "" when nobody owns it yet
    due_on: dt.date | None
    status: str
    prompted_by: str  # what it came from: a decision, a protocol step, an inference ("" if none)
    created_at: dt.datetime

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


@dataclass(frozen=True)
class ActionChange:
    at: dt.datetime
    who: str | None
    change: str


@dataclass(frozen=True)
class SurveyRound:
    """A pulse survey's round: who answered is kept apart from the answers."""

    id: int
    instrument: str  # the instrument's key
    title: str
    meeting_id: int | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    min_respondents: int
    answered: int  # how many members answered (never which answer is whose)
