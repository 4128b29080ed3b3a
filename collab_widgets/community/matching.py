"""Mentor–mentee suggestions, plain Python (no SQL, no widgets): who could meet whom, the
best pairing of them, and why, in words. The coordinator confirms each pair; nothing here
matches anyone by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence, Set

from collab_widgets.community import library
from collab_widgets.community.model import Mentee, Mentor, Suggestion, Unmatched
from collab_widgets.community.rules import clearance_problem, fold

CRITERIA = ("interests", "language", "times")
# always required: a mentor cleared today, and a time both are free
HARD = frozenset({"times", "clearance"})
LANGUAGE_REQUIRED = 1.0  # a language weight at least this makes a shared language required
DEFAULT_WEIGHTS = {"interests": 1.0, "language": LANGUAGE_REQUIRED, "times": 0.5}
_PRECISION = 1000  # scores compared in thousandths: sums of whole numbers are exact


def _words(values: Iterable[str]) -> dict[str, str]:
    """Folded word -> the word as first written, blanks left out."""
    found: dict[str, str] = {}
    for value in values:
        key = fold(value)
        if key:
            found.setdefault(key, " ".join(value.split()))
    return found


def _overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """How much two lists share: the shared part of everything either has (0 to 1)."""
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def _listed(items: Sequence[str], joined: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {joined} {items[-1]}"


def language_required(weights: dict[str, float]) -> bool:
    return weights.get("language", 0.0) >= LANGUAGE_REQUIRED


def _shared_times(mentor: Mentor, mentee: Mentee) -> list[str]:
    return sorted(set(mentor.times) & set(mentee.times), key=_time_order)


def _time_order(time_id: str) -> tuple[int, str]:
    order = list(library.time_names())
    return (order.index(time_id) if time_id in order else len(order), time_id)


def _shared_languages(mentor: Mentor, mentee: Mentee) -> list[str]:
    return sorted(set(mentor.languages) & set(mentee.languages))


def _fits(mentor: Mentor, mentee: Mentee, weights: dict[str, float]) -> bool:
    """Whether the hard constraints hold for this pair (the mentor's clearance is checked
    before: only cleared mentors get here)."""
    if not _shared_times(mentor, mentee):
        return False
    return not language_required(weights) or bool(_shared_languages(mentor, mentee))


def _score(mentor: Mentor, mentee: Mentee, weights: dict[str, float]) -> float:
    parts = {
        "interests": _overlap(_words(mentor.interests), _words(mentee.interests)),
        "language": _overlap(mentor.languages, mentee.languages),
        "times": _overlap(mentor.times, mentee.times),
    }
    return sum(max(weights.get(name, 0.0), 0.0) * part for name, part in parts.items())


def _reasons(mentor: Mentor, mentee: Mentee) -> tuple[str, ...]:
    reasons = []
    theirs = _words(mentee.interests)
    liked = [word for key, word in _words(mentor.interests).items() if key in theirs]
    if liked:
        reasons.append(f"both like {_listed(liked)}")
    names = library.language_names()
    spoken = [names.get(code, code) for code in _shared_languages(mentor, mentee)]
    if spoken:
        reasons.append(f"both speak {_listed(spoken)}")
    times = library.time_names()
    free = [times.get(time, time) for time in _shared_times(mentor, mentee)]
    if free:
        reasons.append(f"both free {_listed(free)}")
    if not liked:
        reasons.append("no interest in common was recorded")
    return tuple(reasons)


def _best_pairs(weights_of: list[list[int | None]]) -> list[tuple[int, int]]:
    """The pairs (row, column) of the most pairs possible, and among those the greatest
    total weight (``None``: the pair may not be made), by the Hungarian method."""
    rows = len(weights_of)
    columns = len(weights_of[0]) if rows else 0
    size = max(rows, columns)
    if not size:
        return []
    biggest = max((w for row in weights_of for w in row if w is not None), default=0)
    # one more pair always beats any gain in score
    bonus = biggest * size + 1
    cost = [[0] * size for _ in range(size)]
    for r in range(rows):
        for c in range(columns):
            weight = weights_of[r][c]
            if weight is not None:
                cost[r][c] = -(bonus + weight)
    # the classic potentials form (1-based, column 0 is the free start)
    infinity = float("inf")
    u = [0] * (size + 1)
    v = [0] * (size + 1)
    owner = [0] * (size + 1)
    way = [0] * (size + 1)
    for row in range(1, size + 1):
        owner[0] = row
        column = 0
        least = [infinity] * (size + 1)
        used = [False] * (size + 1)
        while True:
            used[column] = True
            current, delta, nearest = owner[column], infinity, 0
            for c in range(1, size + 1):
                if not used[c]:
                    reduced = cost[current - 1][c - 1] - u[current] - v[c]
                    if reduced < least[c]:
                        least[c], way[c] = reduced, column
                    if least[c] < delta:
                        delta, nearest = least[c], c
            for c in range(size + 1):
                if used[c]:
                    u[owner[c]] += delta
                    v[c] -= delta
                else:
                    least[c] -= delta
            column = nearest
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    pairs = []
    for c in range(1, size + 1):
        r = owner[c] - 1
        if r < rows and c - 1 < columns and weights_of[r][c - 1] is not None:
            pairs.append((r, c - 1))
    return pairs


def suggest(
    mentors: list[Mentor],
    mentees: list[Mentee],
    weights: dict[str, float],
    today: dt.date,
    taken_mentors: Set[int] = frozenset(),
    taken_mentees: Set[int] = frozenset(),
) -> tuple[list[Suggestion], list[Unmatched]]:
    """Suggested pairs of a mentor and a mentee, and everyone left out with the reason.

    Hard constraints, never broken: the mentor's clearance is valid ``today``; the two share
    at least one time; and, when ``weights["language"]`` is at least
    :data:`LANGUAGE_REQUIRED` (1.0), at least one language (a smaller language weight only
    adds to the score). Each mentor gets one mentee at most and each mentee one mentor.

    The score of a pair is the weighted overlap of their interests, languages and times
    (each overlap from 0 to 1: what both have, of what either has; ``weights`` keys
    :data:`CRITERIA`, a missing one counting 0). The suggestion makes as many pairs as the
    constraints allow and, among those, the greatest total score; everyone is taken in id
    order, so the same people always give the same suggestion. Mentors and mentees in
    ``taken_mentors`` / ``taken_mentees`` (already in an open match) are not considered and
    not listed as left out.
    """
    free_mentors = sorted((m for m in mentors if m.id not in taken_mentors), key=lambda m: m.id)
    free_mentees = sorted((m for m in mentees if m.id not in taken_mentees), key=lambda m: m.id)
    left_out: list[Unmatched] = []
    cleared = []
    for mentor in free_mentors:
        problem = clearance_problem(mentor.clearance, today)
        if problem:
            left_out.append(Unmatched("mentor", mentor.id, problem))
        else:
            cleared.append(mentor)
    table = [
        [
            round(_score(mentor, mentee, weights) * _PRECISION)
            if _fits(mentor, mentee, weights)
            else None
            for mentor in cleared
        ]
        for mentee in free_mentees
    ]
    pairs = _best_pairs(table)
    suggestions = [
        Suggestion(
            mentor_id=cleared[c].id,
            mentee_id=free_mentees[r].id,
            score=round(table[r][c] / _PRECISION, 3),
            reasons=_reasons(cleared[c], free_mentees[r]),
        )
        for r, c in pairs
    ]
    paired_mentors = {s.mentor_id for s in suggestions}
    paired_mentees = {s.mentee_id for s in suggestions}
    for c, mentor in enumerate(cleared):
        if mentor.id not in paired_mentors:
            fitting = [r for r in range(len(free_mentees)) if table[r][c] is not None]
            left_out.append(Unmatched("mentor", mentor.id, _why_mentor(mentor, bool(fitting))))
    for r, mentee in enumerate(free_mentees):
        if mentee.id not in paired_mentees:
            reason = _why_mentee(mentee, cleared, table[r], weights)
            left_out.append(Unmatched("mentee", mentee.id, reason))
    suggestions.sort(key=lambda s: (-s.score, s.mentee_id, s.mentor_id))
    left_out.sort(key=lambda u: (u.kind != "mentor", u.id))
    return suggestions, left_out


def _why_mentor(mentor: Mentor, had_fitting: bool) -> str:
    if not mentor.times:
        return "No times are recorded for this mentor: add when they are free."
    if had_fitting:
        return (
            "Every mentee this mentor could meet was suggested with another mentor; add "
            "mentees or keep this mentor for the next round."
        )
    return (
        "No mentee shares a time (and, where required, a language) with this mentor; "
        "check the times and languages recorded."
    )


def _why_mentee(
    mentee: Mentee, cleared: list[Mentor], row: list[int | None], weights: dict[str, float]
) -> str:
    if not mentee.times:
        return "No times are recorded for this mentee: add when they are free."
    if not cleared:
        return "No free mentor has a clearance valid today."
    if any(weight is not None for weight in row):
        return (
            "Every mentor who could meet this mentee was suggested for another mentee; add a "
            "mentor or wait for one to be free."
        )
    sharing_time = [m for m in cleared if _shared_times(m, mentee)]
    if not sharing_time:
        return "No free, cleared mentor shares a time with this mentee."
    names = library.language_names()
    spoken = _listed([names.get(code, code) for code in mentee.languages] or ["no language"], "or")
    return (
        f"No free, cleared mentor who shares a time also speaks {spoken}; a shared language "
        f"is required while the language weight is {weights.get('language', 0.0):g} "
        f"(lower it below {LANGUAGE_REQUIRED:g} to make it a preference)."
    )
