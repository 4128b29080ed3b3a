"""Peer tutoring pairs, with no database and no widgets: who tutors whom from a score list,
the sessions' Coach/Reader roles, and which reteach/extend groups each pair's members are in.

**Ranking.** Students are ranked by score, highest first; equal scores by the student id
(as text), so the same scores always give the same pairs.

**The rules** (``RULES``):
- "rank" (the default, PALS): split the ranked list in half and pair the first of the top
  half with the first of the bottom half, the second with the second, and so on. A stronger
  student tutors a weaker one, and every pair has about the same gap.
- "adjacent": pair neighbours in the ranking (1st with 2nd, 3rd with 4th, …) for partners at
  the same level; the higher of the two is called the tutor.

**An odd count** makes one triad. With "rank", the middle student of the ranking is left
out of the halves and joins the first pair (the strongest tutor and the student just below
the middle) as a second tutee, so the triad's two tutees are at about the same level. With
"adjacent", the lowest student joins the last pair.

**Sessions** (``schedule``): in a pair the tutor coaches and the tutee reads; the roles swap
every ``swap_every`` sessions. In the triad the tutor coaches every other turn and the two
tutees take turns at coaching in between (tutor, tutee, tutor, third, …); whoever coaches
works with both others, so the triad gives two (coach, reader) entries per session.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from collab_widgets.core.errors import InvalidInput

RULES = {
    "rank": (
        "Rank by score, split the list in half, and pair the first of the top half with the "
        "first of the bottom half, the second with the second, and so on (PALS): every "
        "tutor is stronger, by about the same gap."
    ),
    "adjacent": (
        "Rank by score and pair neighbours (1st with 2nd, 3rd with 4th, …): partners at the "
        "same level."
    ),
}
DEFAULT_RULE = "rank"


@dataclass(frozen=True)
class Pair:
    """A tutor and a tutee (and, for an odd count, a third student who joins as a second
    tutee). ``secure_gap`` is the rule's aim: the tutor at or above the secure score and
    every tutee below it; pairs without it are for the teacher to look at."""

    tutor: str
    tutee: str
    tutor_score: float
    tutee_score: float
    secure_gap: bool
    third: str | None = None
    third_score: float | None = None

    @property
    def members(self) -> tuple[str, ...]:
        return (self.tutor, self.tutee) + ((self.third,) if self.third is not None else ())


@dataclass(frozen=True)
class PairGroups:
    """Which group (e.g. "reteach", "extend", or None) each member of a pair is in."""

    tutor: str | None
    tutee: str | None
    third: str | None = None
    shared: str | None = None  # the group every member is in, if they are all in one
    note: str = ""  # a plain sentence for the teacher, "" when nothing stands out


def _name(sid: str, names: Mapping[str, str] | None) -> str:
    return str(names.get(sid) or sid) if names else str(sid)


def _ranked(scores: Mapping[str, float], names) -> list[tuple[str, float]]:
    """(id, score), highest score first, equal scores by the id."""
    read = []
    for sid, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
            raise InvalidInput(
                f"{_name(sid, names)} has no score that can be used ({value!r}). Enter a "
                "score or leave them out of the pairs.",
                "scores",
            )
        read.append((str(sid), float(value)))
    return sorted(read, key=lambda item: (-item[1], item[0]))


def make_pairs(
    scores: Mapping[str, float],
    rule: str = DEFAULT_RULE,
    secure: float = 80.0,
    names: Mapping[str, str] | None = None,
) -> list[Pair]:
    """Tutoring pairs by ``rule`` (see ``RULES``), in the order of their tutors' rank.
    ``secure`` is the score from which a student is secure; ``names`` (id -> display name)
    name students in messages."""
    if rule not in RULES:
        raise InvalidInput(
            f"There is no pairing rule called “{rule}”. Choose one of: {', '.join(RULES)}.",
            "rule",
        )
    if len(scores) < 2:
        raise InvalidInput(
            "Pairs need at least 2 students with a score. Add scores for more students.",
            "scores",
        )
    ranked = _ranked(scores, names)
    third = None
    if rule == "rank":
        half = len(ranked) // 2
        if len(ranked) % 2:
            third = ranked[half]
            top, bottom = ranked[:half], ranked[half + 1 :]
        else:
            top, bottom = ranked[:half], ranked[half:]
        couples = list(zip(top, bottom, strict=True))
        joins = 0  # the triad: the first pair
    else:
        if len(ranked) % 2:
            third = ranked[-1]
            ranked = ranked[:-1]
        couples = [(ranked[i], ranked[i + 1]) for i in range(0, len(ranked), 2)]
        joins = len(couples) - 1  # the triad: the last pair
    pairs = []
    for index, ((tutor, tutor_score), (tutee, tutee_score)) in enumerate(couples):
        extra = third if third is not None and index == joins else None
        tutee_scores = [tutee_score] + ([extra[1]] if extra else [])
        pairs.append(
            Pair(
                tutor=tutor,
                tutee=tutee,
                tutor_score=tutor_score,
                tutee_score=tutee_score,
                secure_gap=tutor_score >= secure and all(s < secure for s in tutee_scores),
                third=extra[0] if extra else None,
                third_score=extra[1] if extra else None,
            )
        )
    return pairs


def schedule(
    pairs: Sequence[Pair], sessions: int, swap_every: int = 1
) -> list[list[tuple[str, str]]]:
    """Per session, a (coach, reader) entry per pair (two for the triad, whose coach works
    with both others). Roles swap every ``swap_every`` sessions; in the triad the tutor
    coaches every other turn and the two tutees take turns in between."""
    if isinstance(sessions, bool) or not isinstance(sessions, numbers.Integral) or sessions < 1:
        raise InvalidInput("Choose at least 1 session.", "sessions")
    if (
        isinstance(swap_every, bool)
        or not isinstance(swap_every, numbers.Integral)
        or swap_every < 1
    ):
        raise InvalidInput(
            "Roles swap after at least 1 session. Choose 1 or more sessions between swaps.",
            "swap_every",
        )
    plan = []
    for session in range(sessions):
        turn = session // swap_every
        entries: list[tuple[str, str]] = []
        for pair in pairs:
            if pair.third is None:
                entries.append(
                    (pair.tutor, pair.tutee) if turn % 2 == 0 else (pair.tutee, pair.tutor)
                )
                continue
            coach = (pair.tutor, pair.tutee, pair.tutor, pair.third)[turn % 4]
            entries.extend((coach, reader) for reader in pair.members if reader != coach)
        plan.append(entries)
    return plan


def group_links(
    pairs: Sequence[Pair],
    groups: Mapping[str, str | None],
    names: Mapping[str, str] | None = None,
) -> dict[Pair, PairGroups]:
    """For each pair, the group (e.g. "reteach" or "extend" from the next-steps questions)
    each member is in, and a note when they are all in the same one: a tutor who needs the
    same reteaching as the tutee is worth a second look."""
    links = {}
    for pair in pairs:
        places = [groups.get(sid) or None for sid in pair.members]
        shared = places[0] if places[0] is not None and len(set(places)) == 1 else None
        note = ""
        if shared is not None:
            who = "Both" if len(places) == 2 else "All three"
            people = [_name(s, names) for s in pair.members]
            listed = f"{', '.join(people[:-1])} and {people[-1]}"
            note = f"{who} ({listed}) are in the “{shared}” group."
        links[pair] = PairGroups(
            tutor=places[0],
            tutee=places[1],
            third=places[2] if len(places) == 3 else None,
            shared=shared,
            note=note,
        )
    return links
