"""Protocols as the team runs them: steps, runs and where a run stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from collab_widgets.core.errors import InvalidInput


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
