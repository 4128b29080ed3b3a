"""Workshop mode, as plain Python: the kinds of prompt, checking answers, the live
aggregate the room sees, and the answers export. No widgets, no pandas: a participant's
kernel imports this and must stay light.

A trainer (a coach code) runs a workshop: a join code and a sequence of prompts. Each
participant answers the prompt shown; the presenter page shows how many answered and the
aggregate — counts and bars, a scale's spread, the most frequent words — never who
answered what. Names appear only in the trainer's export.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean

from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.model import clean_name
from collab_widgets.core.spreadsheet_csv import spreadsheet_csv
from collab_widgets.live.model import FIST_LOW
from collab_widgets.protocols.model import Protocol

KINDS = {
    "text": "Open text",
    "rating": "Rating scale (1 to 5)",
    "choice": "Multiple choice",
    "fist": "Fist to five",
    "word": "A word or phrase",
}
SCALES = {"rating": range(1, 6), "fist": range(0, 6)}
FIST_LABELS = {0: "0 (fist)", 1: "1", 2: "2", 3: "3", 4: "4", 5: "5 (all in)"}
MAX_OPTIONS = 8
MAX_TEXT = 2000  # an open answer
MAX_WORD = 40  # a word or phrase
MOST_FREQUENT = 10
TITLE_LIMIT = 120
WORKSHOP_CODE_LENGTH = 6  # short, read aloud to a room; tries are limited like other codes


@dataclass(frozen=True)
class WorkshopPrompt:
    id: int
    position: int
    kind: str
    text: str
    options: tuple[str, ...] = ()

    @property
    def kind_name(self) -> str:
        return KINDS[self.kind]

    def choices(self) -> list[tuple[str, str]]:
        """(label, stored value) of what a participant picks from; empty for typed kinds."""
        if self.kind == "choice":
            return [(option, option) for option in self.options]
        if self.kind == "fist":
            return [(FIST_LABELS[v], str(v)) for v in SCALES["fist"]]
        if self.kind == "rating":
            return [(str(v), str(v)) for v in SCALES["rating"]]
        return []


@dataclass(frozen=True)
class Workshop:
    id: int
    title: str
    code: str
    position: int  # -1: not started yet
    results_shown: bool
    ended: bool
    prompts: tuple[WorkshopPrompt, ...]
    team_name: str | None = None  # the team it concerns, if any
    joined: int = 0

    @property
    def current(self) -> WorkshopPrompt | None:
        if self.ended or not 0 <= self.position < len(self.prompts):
            return None
        return self.prompts[self.position]

    @property
    def state(self) -> str:
        if self.ended:
            return "The workshop has ended."
        if self.current is None:
            return "Waiting for the trainer to show the first prompt."
        return f"Prompt {self.position + 1} of {len(self.prompts)}"


@dataclass(frozen=True)
class Aggregate:
    """What the room sees of one prompt's answers: never who gave which."""

    kind: str
    answered: int
    rows: tuple[tuple[str, int], ...] = ()  # (label, count), in the scale's or options' order
    average: float | None = None
    low: int = 0  # fist to five: how many at 0-2, to be heard
    texts: tuple[str, ...] = ()  # open text, newest first, without names

    @property
    def bar_scale(self) -> int:
        """What a full bar stands for: every answer, or for words the most frequent one."""
        if self.kind == "word":
            return max((count for _label, count in self.rows), default=1)
        return max(self.answered, 1)

    def sentence(self) -> str:
        answered = f"{self.answered} answer{'s' if self.answered != 1 else ''}"
        if self.average is not None:
            answered += f", average {self.average:.1f}"
        if self.kind == "fist" and self.answered:
            answered += f"; {self.low} at {FIST_LOW} or below, to be heard first"
        return answered + "."


def check_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidInput("Give the workshop a title (for example: Looking at student work).")
    if len(title) > TITLE_LIMIT:
        raise InvalidInput(f"A workshop title is at most {TITLE_LIMIT} characters.")
    return title


def parse_options(typed: str) -> tuple[str, ...]:
    """Multiple-choice options typed one per line; blank lines and repeats dropped."""
    seen: dict[str, None] = {}
    for line in typed.splitlines():
        option = " ".join(line.split())
        if option:
            seen.setdefault(option[: MAX_WORD * 2], None)
    return tuple(seen)


def check_prompt(kind: str, text: str, options: Sequence[str]) -> None:
    """Whether a prompt can be shown to the room; raises InvalidInput saying what to fix."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind of prompt {kind!r}; choose one of the list.")
    if not text.strip():
        raise InvalidInput("Write the prompt's question before showing it to the room.")
    if kind == "choice" and not 2 <= len(options) <= MAX_OPTIONS:
        raise InvalidInput(
            f"A multiple-choice prompt needs 2 to {MAX_OPTIONS} options, one per line."
        )


def check_answer(prompt: WorkshopPrompt, value: str) -> str:
    """The answer as stored; raises InvalidInput naming what is wrong."""
    if prompt.kind in ("text", "word"):
        limit = MAX_TEXT if prompt.kind == "text" else MAX_WORD
        if len(value) > limit:
            raise InvalidInput(f"Keep the answer under {limit} characters; it was not sent.")
        return value  # saved as typed
    if value not in {stored for _label, stored in prompt.choices()}:
        raise InvalidInput("Pick one of the answers shown; that one is not on the list.")
    return value


def normalise_word(value: str) -> str:
    """A word or phrase as it is counted: case, spacing and end punctuation ignored."""
    return re.sub(r"\s+", " ", value).strip().strip(".,;:!?\"'").lower()


def aggregate(prompt: WorkshopPrompt, values: Sequence[str]) -> Aggregate:
    """The room's answers to ``prompt`` (oldest first), blank ones not counted."""
    given = [v for v in values if v.strip()]
    if prompt.kind in ("rating", "fist", "choice"):
        counts = Counter(given)
        rows = tuple((label, counts.get(stored, 0)) for label, stored in prompt.choices())
        numbers = [int(v) for v in given] if prompt.kind != "choice" else []
        return Aggregate(
            prompt.kind,
            len(given),
            rows,
            average=mean(numbers) if numbers else None,
            low=sum(1 for n in numbers if n <= FIST_LOW) if prompt.kind == "fist" else 0,
        )
    if prompt.kind == "word":
        counts = Counter(w for w in map(normalise_word, given) if w)
        return Aggregate("word", len(given), tuple(counts.most_common(MOST_FREQUENT)))
    return Aggregate("text", len(given), texts=tuple(reversed(given)))


@dataclass(frozen=True)
class AnswerRow:
    position: int | None  # None: the prompt was removed from the workshop later
    prompt: str
    kind: str
    participant: str | None  # None: joined anonymously
    value: str
    answered_at: object


def answers_csv(workshop: Workshop, rows: Sequence[AnswerRow]) -> str:
    """Every answer, one row each, safe to open in a spreadsheet (no formulas run)."""
    header = ["workshop", "prompt number", "prompt", "kind", "participant", "answer", "at"]
    return spreadsheet_csv(
        header,
        [
            (
                workshop.title,
                "removed" if row.position is None else row.position + 1,
                row.prompt,
                KINDS[row.kind],
                row.participant or "anonymous",
                row.value,
                row.answered_at.isoformat(timespec="seconds"),
            )
            for row in rows
        ],
    )


def protocol_prompts(protocol: Protocol) -> list[tuple[str, str, tuple[str, ...]]]:
    """A library protocol as a whole-room activity: one prompt per step, (kind, text,
    options). A fist-to-five step stays one; a rating, a 1-5 rating; a dot vote with
    options, a multiple choice; every other step asks for open text."""
    prompts = []
    for step in protocol.steps:
        text = f"{protocol.title}, step {len(prompts) + 1}: {step.title}. {step.prompt}".strip()
        if step.input == "fist-to-five":
            prompts.append(("fist", text, ()))
        elif step.input == "rating":
            prompts.append(("rating", text, ()))
        elif step.input == "dot-vote" and 2 <= len(step.options) <= MAX_OPTIONS:
            prompts.append(("choice", text, step.options))
        else:
            prompts.append(("text", text, ()))
    return prompts


def display_name(typed: str) -> str | None:
    """A participant's display name, or None to join anonymously."""
    return clean_name(typed) if typed.strip() else None
