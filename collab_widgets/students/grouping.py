"""Balanced student groups, with no database and no widgets: a class, a group size, what
to balance (criteria) and who must be kept apart or together; the groups, how balanced
they are, and why.

**Group sizes.** Sizes differ by at most one, larger groups first. Given a number of
groups, that many. Given a group size *s* for *n* students, the number of groups is the one
whose even sizes stay closest to *s* (never leaving a student alone); on a tie, the one
with fewer groups off size *s*, then the one with smaller groups. So 30 students in groups
of 4 make 8 groups (6 of 4 and 2 of 3), 29 make 7 (1 of 5 and 6 of 4), 7 in groups of 3
make 2 (4 and 3), 10 make 3 (4, 3, 3). Sizes stay within *s* − 1 … *s* + 1 whenever any
number of groups allows it.

**The score** (lower is better, 0 = perfectly balanced). Every criterion measures how the
class's variation on it divides between the groups and within them, the way an analysis
of variance does: each student is a point (a number as itself; a category as one of a set
of corners, one per value; a set of interests or free times as a point whose
closeness to another student's reflects how many items they share, i.e. the shared items ÷
√(size × size of the two sets)), and the class's spread of those points around their
middle splits exactly into the part *between* groups (group middles apart from the class's
middle) and the part *within* groups (students apart from their own group's middle).
- "mix" (each group like the class): badness = the share *between* groups. 0 when every
  group's mean score is the class mean, every group has the class's shares of each band,
  every group holds as varied interests as the class.
- "match" (alike within a group): badness = the share *within* groups. 0 when every group
  has one score, one band, one set of interests.
For a category this share is the chance that two students drawn from one group differ
(Gini impurity), compared with the same chance in the whole class; for a number, the
variance of the group means (mix) or within the groups (match) over the class's variance.
Each badness is between 0 and 1; a random grouping scores about (groups − 1) ÷ (students −
1) on a "mix" criterion (0.25 for 600 students in groups of 4) and the rest of 1 on a
"match" one. The score is the weighted mean of the criteria's badness (weights 0 to 5, 0 =
ignored), so it is between 0 and 1 for any weights; "balance" is 100 × (1 − that), in %.
Unknown values (None, missing, an empty set or text) leave that student out of that
criterion only. Each pair of students that a keep-apart list puts in one group, or a
keep-together list in different groups, adds 10: any grouping that keeps every list beats
every one that does not.

**The search.** Together lists are placed as blocks, then students with keep-apart
partners, then everyone else, each into the group with room and the fewest conflicts. Then
local search: the best swap of two students (or of a block with students of the same
number), or move of one student where the sizes allow (a group one larger giving a student
to one a student smaller), computed from per-group running sums, until none helps; then
small random kicks, each followed by local search, kept when no worse (iterated local
search), from a few fresh starts. A swap that breaks a list that holds costs 10 and never
helps. Everything comes from ``random.Random(seed)`` and plain arithmetic: the same seed
gives the same groups in any process.
"""

from __future__ import annotations

import itertools
import math
import numbers
import random
import re
import weakref
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from collab_widgets.core.errors import InvalidInput

KINDS = ("number", "category", "set")
AIMS = ("mix", "match")
MAX_WEIGHT = 5.0
PENALTY = 10.0  # per pair of students a keep-apart or keep-together list is broken for
_EPS = 1e-12


@dataclass(frozen=True)
class Criterion:
    """Something to balance: a score, a band, an attribute, a set of interests or times."""

    name: str  # shown to the teacher, e.g. "Band on Unit 3 quiz", "Language support"
    kind: str  # "number", "category" or "set" (a frozenset[str] per student)
    values: Mapping[str, float | str | frozenset[str] | None]  # by student id; None = unknown
    weight: float = 1.0  # 0..5; 0 = ignored
    aim: str = "mix"  # "mix": each group like the class; "match": alike within a group


@dataclass(frozen=True)
class Problem:
    """A class to group. Read once per object (``score`` keeps what it read for the next
    call): make a new Problem when the class or its values change."""

    students: tuple[str, ...]  # student ids, in class order
    group_size: int | None = None  # exactly one of group_size / groups
    groups: int | None = None
    criteria: tuple[Criterion, ...] = ()
    apart: tuple[frozenset[str], ...] = ()  # each set: no two of them in one group
    together: tuple[frozenset[str], ...] = ()  # each set: all in one group


@dataclass(frozen=True)
class GroupExplanation:
    number: int
    size: int
    spreads: tuple[str, ...]  # one plain sentence per criterion that counts


@dataclass(frozen=True)
class Explanation:
    groups: tuple[GroupExplanation, ...]
    balance: float  # 0..100, 100 = perfectly balanced (the score without list breaks)
    summary: str
    unmet: tuple[str, ...]  # one sentence per keep-apart/keep-together list not met


@dataclass(frozen=True)
class Grouping:
    assignment: dict[str, int]
    score: float
    explanation: Explanation


# --- words --------------------------------------------------------------------------------


def _name(sid: str, names: Mapping[str, str] | None) -> str:
    if names:
        shown = names.get(sid)
        if shown:
            return str(shown)
    return str(sid)


def _and(words: Sequence[str]) -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _people(ids: Iterable[str], order: Mapping[str, int], names) -> str:
    """The students' names in class order, joined with commas and "and"."""
    ids = sorted(set(ids), key=lambda s: (order.get(s, len(order)), s))
    return _and([_name(s, names) for s in ids])


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _natural_key(text: str):
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part.lower())
        for part in re.split(r"(\d+)", text)
        if part
    ]


def _number_text(value: float) -> str:
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    if abs(value) >= 10:
        return f"{value:.0f}"
    return f"{value:.1f}"


# --- reading the problem --------------------------------------------------------------------


def _read_value(kind: str, value):
    """One student's value in its plain form, or None when unknown; ValueError when it
    cannot be read as the criterion's kind."""
    if value is None:
        return None
    if kind == "number":
        if isinstance(value, str):
            text = value.strip().rstrip("%").strip()
            if not text:
                return None
            value = float(text)  # ValueError when it is not a number
        elif isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(value)
        value = float(value)
        if math.isinf(value):
            raise ValueError(value)
        return None if math.isnan(value) else value
    if kind == "category":
        if isinstance(value, float) and math.isnan(value):
            return None
        return str(value).strip() or None
    if isinstance(value, str):  # a set: one choice written alone counts as a set of one
        value = {value}
    elif not isinstance(value, Iterable):
        raise ValueError(value)
    items = frozenset(str(item).strip() for item in value if item is not None) - {""}
    return items or None


def _read_values(criterion: Criterion, students: Sequence[str], names) -> list:
    """Every student's value of ``criterion``, in class order (None = unknown)."""
    values = []
    for sid in students:
        raw = criterion.values.get(sid)
        try:
            values.append(_read_value(criterion.kind, raw))
        except ValueError:
            what = "a number" if criterion.kind == "number" else "a list of choices"
            raise InvalidInput(
                f"“{criterion.name}” has “{raw}” for {_name(sid, names)}, which is not {what}. "
                "Correct it or leave it empty.",
                "criteria",
            ) from None
    return values


def _check_criterion(criterion: Criterion) -> None:
    name = criterion.name or "A criterion"
    if criterion.kind not in KINDS:
        raise InvalidInput(
            f"“{name}” is of an unknown kind (“{criterion.kind}”). Choose a number, a "
            "category or a set of choices.",
            "criteria",
        )
    if criterion.aim not in AIMS:
        raise InvalidInput(
            f"“{name}” should either mix students (each group like the class) or match them "
            f"(alike within a group), not “{criterion.aim}”. Choose one of the two.",
            "criteria",
        )
    weight = criterion.weight
    if (
        isinstance(weight, bool)
        or not isinstance(weight, numbers.Real)
        or math.isnan(weight)
        or not 0 <= weight <= MAX_WEIGHT
    ):
        raise InvalidInput(
            f"The weight of “{name}” is {weight}. Choose a weight from 0 (ignored) to "
            f"{MAX_WEIGHT:g} (matters most).",
            "criteria",
        )


def _group_count(n: int, group_size: int | None, groups: int | None) -> int:
    if groups is not None:
        return groups
    s = group_size
    candidates = [g for g in (n // s, n // s + 1) if 1 <= g <= n]

    def cost(g: int):
        base, extra = divmod(n, g)
        sizes = [base + 1] * extra + [base] * (g - extra)
        alone = n >= 2 and min(sizes) < 2
        return (alone, max(abs(x - s) for x in sizes), sum(x != s for x in sizes), -g)

    return min(candidates, key=cost)


def _check_sizes(problem: Problem) -> None:
    n = len(problem.students)
    if n == 0:
        raise InvalidInput(
            "There are no students in this class yet. Add the class list before making groups.",
            "students",
        )
    size, count = problem.group_size, problem.groups
    if size is None and count is None:
        raise InvalidInput(
            "Choose how many students each group has, or how many groups to make.",
            "group_size",
        )
    if size is not None and count is not None:
        raise InvalidInput(
            "Choose either how many students each group has or how many groups to make, not both.",
            "group_size",
        )
    if size is not None:
        if isinstance(size, bool) or not isinstance(size, numbers.Integral):
            raise InvalidInput("The group size must be a whole number.", "group_size")
        if size < 2:
            raise InvalidInput(
                f"Groups of {size} are too small to work together. Choose a group size of 2 "
                "or more.",
                "group_size",
            )
        if size > n:
            raise InvalidInput(
                f"Groups of {size} need more students than the class has ({n}). Choose a "
                "smaller group size.",
                "group_size",
            )
    else:
        if isinstance(count, bool) or not isinstance(count, numbers.Integral):
            raise InvalidInput("The number of groups must be a whole number.", "groups")
        if count < 1:
            raise InvalidInput("Choose at least 1 group.", "groups")
        if count > n:
            raise InvalidInput(
                f"{count} groups need at least {count} students, and the class has {n}. "
                "Choose fewer groups.",
                "groups",
            )


def group_sizes(problem: Problem) -> list[int]:
    """The size of each group, largest first; sizes differ by at most one (the rule is in
    the module's description)."""
    _check_sizes(problem)
    n = len(problem.students)
    g = _group_count(n, problem.group_size, problem.groups)
    base, extra = divmod(n, g)
    return [base + 1] * extra + [base] * (g - extra)


def _blocks(together: Sequence[frozenset[str]], order: Mapping[str, int]) -> list[list[str]]:
    """The together lists joined where they share a student, each in class order."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for group in together:
        members = sorted(group, key=order.__getitem__)
        for other in members[1:]:
            a, b = root(members[0]), root(other)
            if a != b:
                parent[max(a, b, key=order.__getitem__)] = min(a, b, key=order.__getitem__)
        if members:
            root(members[0])
    blocks: dict[str, list[str]] = {}
    for sid in sorted(parent, key=order.__getitem__):
        blocks.setdefault(root(sid), []).append(sid)
    return [b for b in blocks.values() if len(b) > 1]


def check(problem: Problem, names: Mapping[str, str] | None = None) -> None:
    """Refuse a problem that cannot be grouped, saying why and what to change. Students are
    named by ``names`` (id -> display name) where given."""
    _check_sizes(problem)
    students = problem.students
    order: dict[str, int] = {}
    for i, sid in enumerate(students):
        if sid in order:
            raise InvalidInput(
                f"The class list has {_name(sid, names)} twice. Remove the repeated line.",
                "students",
            )
        order[sid] = i
    for criterion in problem.criteria:
        _check_criterion(criterion)
        _read_values(criterion, students, names)
    sizes = group_sizes(problem)
    largest, count = max(sizes), len(sizes)
    for label, lists in (("Keep apart", problem.apart), ("Keep together", problem.together)):
        for group in lists:
            strangers = [s for s in group if s not in order]
            if strangers:
                who = _and(sorted(_name(s, names) for s in strangers))
                raise InvalidInput(
                    f"{label} names {who}, who {'is' if len(strangers) == 1 else 'are'} not "
                    "in this class. Take them out of the list.",
                    "apart" if label == "Keep apart" else "together",
                )
    for group in problem.together:
        if len(group) > largest:
            raise InvalidInput(
                f"Keep together: {len(group)} students ({_people(group, order, names)}) do "
                f"not fit in one group of at most {largest}. Choose larger groups or keep "
                "fewer students together.",
                "together",
            )
    for block in _blocks(problem.together, order):
        if len(block) > largest:
            shared = [s for s in block if sum(s in group for group in problem.together) > 1]
            raise InvalidInput(
                f"Keep together: {_people(shared, order, names)} "
                f"{'is' if len(shared) == 1 else 'are'} in more than one list, which puts "
                f"{len(block)} students in one group ({_people(block, order, names)}), more "
                f"than the largest group ({largest}). Take them out of one list, or choose "
                "larger groups.",
                "together",
            )
    for group in problem.apart:
        if len(group) > count:
            raise InvalidInput(
                f"Keep apart: {len(group)} students cannot be in {count} different groups "
                f"({_people(group, order, names)}). Make more groups, or keep fewer of these "
                "students apart.",
                "apart",
            )
    block_of = {sid: i for i, block in enumerate(_blocks(problem.together, order)) for sid in block}
    for group in problem.apart:
        members = sorted(group, key=order.__getitem__)
        for a, b in itertools.combinations(members, 2):
            if a in block_of and block_of.get(a) == block_of.get(b):
                raise InvalidInput(
                    f"{_people((a, b), order, names)} are to be kept together and kept apart. "
                    "Take them out of one of the two lists.",
                    "apart",
                )


# --- the model: each criterion as points, the score from per-group sums --------------------


class _Model:
    """What the search and the score read from a problem: each counting criterion as
    centred points scaled so that a group's share of the score is a sum of squares."""

    def __init__(self, problem: Problem):
        check(problem)
        self.problem = problem
        self.ids = tuple(problem.students)
        self.n = n = len(self.ids)
        self.order = {sid: i for i, sid in enumerate(self.ids)}
        self.sizes = group_sizes(problem)
        self.g = len(self.sizes)
        self.values = [_read_values(c, self.ids, None) for c in problem.criteria]
        self.total_weight = sum(float(c.weight) for c in problem.criteria)
        columns, known, signs, self.const = [], [], [], 0.0
        for criterion, values in zip(problem.criteria, self.values, strict=True):
            if criterion.weight <= 0:
                continue
            points, mask = _points(criterion.kind, values)
            spread = float((points**2).sum())
            if spread <= _EPS * max(1, n):
                continue  # everyone alike (or one known): every grouping is perfect on it
            share = float(criterion.weight) / self.total_weight
            if criterion.aim == "match":
                self.const += share
            columns.append(points * math.sqrt(share / spread))
            known.append(mask)
            signs.append(1.0 if criterion.aim == "mix" else -1.0)
        self.C = len(columns)
        self.X = np.hstack(columns) if columns else np.zeros((n, 0))
        self.M = np.stack(known, axis=1).astype(float) if known else np.zeros((n, 0))
        self.E = np.zeros((self.X.shape[1], self.C))
        start = 0
        for c, block in enumerate(columns):
            self.E[start : start + block.shape[1], c] = signs[c]
            start += block.shape[1]
        self.segments = np.abs(self.E)  # column d belongs to criterion c
        self.signs = np.array(signs, dtype=float)
        self.norms = (self.X * self.X) @ self.segments  # each student's |x|² per criterion
        # keep-apart and keep-together pairs (each once), as index pairs and neighbour lists
        self.apart_pairs = _pairs(problem.apart, self.order)
        self.together_pairs = _pairs(problem.together, self.order)
        self.apart_adj = _neighbours(self.apart_pairs, n)
        self.together_adj = _neighbours(self.together_pairs, n)
        self.bound = np.array(  # the students with a keep-apart or keep-together partner
            [i for i in range(n) if self.apart_adj[i] or self.together_adj[i]], dtype=np.int64
        )
        self.blocks = [
            np.array([self.order[s] for s in block])
            for block in _blocks(problem.together, self.order)
        ]

    # -- scoring ------------------------------------------------------------------------

    def group_terms(self, S: np.ndarray, K: np.ndarray) -> np.ndarray:
        """Each group's share of the score (apart from the constant), from its sums."""
        if not self.C:
            return np.zeros(S.shape[:-1])
        return (((S * S) @ self.E) / np.maximum(K, 1.0)).sum(axis=-1)

    def sums(self, lab: np.ndarray, g: int):
        """Each group's sums of points and of known students, and its size."""
        S, K = np.zeros((g, self.X.shape[1])), np.zeros((g, self.C))
        np.add.at(S, lab, self.X)
        np.add.at(K, lab, self.M)
        return S, K, np.bincount(lab, minlength=g).astype(float)

    def balance(self, lab: np.ndarray, g: int) -> float:
        S, K, _ = self.sums(lab, g)
        return min(1.0, max(0.0, self.const + float(self.group_terms(S, K).sum())))

    def broken(self, lab: np.ndarray) -> int:
        count = 0
        if len(self.apart_pairs):
            count += int((lab[self.apart_pairs[:, 0]] == lab[self.apart_pairs[:, 1]]).sum())
        if len(self.together_pairs):
            pairs = self.together_pairs
            count += int((lab[pairs[:, 0]] != lab[pairs[:, 1]]).sum())
        return count

    def labels(self, assignment: Mapping[str, int], names=None) -> tuple[np.ndarray, list[int]]:
        """The assignment as group indices 0..k-1 per student, and the group numbers."""
        missing = [s for s in self.ids if s not in assignment]
        if missing:
            raise InvalidInput(
                f"{_people(missing, self.order, names)} "
                f"{'is' if len(missing) == 1 else 'are'} in no group. Put every student in a "
                "group.",
                "assignment",
            )
        strangers = [s for s in assignment if s not in self.order]
        if strangers:
            raise InvalidInput(
                f"The groups hold {_and(sorted(_name(s, names) for s in strangers))}, who "
                f"{'is' if len(strangers) == 1 else 'are'} not in this class. Make the "
                "groups again.",
                "assignment",
            )
        raw = []
        for sid in self.ids:
            number = assignment[sid]
            if isinstance(number, bool) or not isinstance(number, numbers.Integral):
                raise InvalidInput(
                    f"{_name(sid, names)}'s group is “{number}”, not a group number.",
                    "assignment",
                )
            raw.append(int(number))
        numbers_, lab = np.unique(np.array(raw, dtype=np.int64), return_inverse=True)
        return lab.astype(np.int64), [int(x) for x in numbers_]


def _points(kind: str, values: list) -> tuple[np.ndarray, np.ndarray]:
    """Each student as a centred point (zeros where unknown), and who is known."""
    n = len(values)
    known = np.array([v is not None for v in values], dtype=bool)
    if kind == "number":
        X = np.zeros((n, 1))
        X[known, 0] = [v for v in values if v is not None]
    elif kind == "category":
        levels = {v: i for i, v in enumerate(sorted({v for v in values if v is not None}))}
        X = np.zeros((n, len(levels)))
        for i, v in enumerate(values):
            if v is not None:
                X[i, levels[v]] = 1.0
    else:
        items = {x: i for i, x in enumerate(sorted({x for v in values if v for x in v}))}
        X = np.zeros((n, len(items)))
        for i, v in enumerate(values):
            if v:
                X[i, [items[x] for x in v]] = 1.0 / math.sqrt(len(v))
    if known.any():
        X[known] -= X[known].mean(axis=0)
    return X, known


def _pairs(lists: Sequence[frozenset[str]], order: Mapping[str, int]) -> np.ndarray:
    found = set()
    for group in lists:
        members = sorted(order[s] for s in group)
        found.update(itertools.combinations(members, 2))
    return np.array(sorted(found), dtype=np.int64).reshape(-1, 2)


def _neighbours(pairs: np.ndarray, n: int) -> list[list[int]]:
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs.tolist():
        adj[a].append(b)
        adj[b].append(a)
    return adj


_MODELS: dict[int, tuple[weakref.ref, _Model]] = {}


def _model_for(problem: Problem) -> _Model:
    hit = _MODELS.get(id(problem))
    if hit is not None and hit[0]() is problem:
        return hit[1]
    model = _Model(problem)
    if len(_MODELS) >= 8:
        _MODELS.pop(next(iter(_MODELS)))
    _MODELS[id(problem)] = (weakref.ref(problem), model)
    return model


def score(problem: Problem, assignment: Mapping[str, int]) -> float:
    """Lower is better: 0 is perfectly balanced, at most 1 while every keep-apart and
    keep-together list holds, plus 10 for each pair of students a list is broken for."""
    model = _model_for(problem)
    lab, numbers_ = model.labels(assignment)
    return model.balance(lab, len(numbers_)) + PENALTY * model.broken(lab)


def random_assignment(problem: Problem, rng: random.Random) -> dict[str, int]:
    """A uniformly random assignment with the right group sizes (lists ignored)."""
    labels = [j for j, size in enumerate(group_sizes(problem)) for _ in range(size)]
    rng.shuffle(labels)
    return dict(zip(problem.students, labels, strict=True))


# --- the search ---------------------------------------------------------------------------


class _Search:
    """One grouping being improved: labels and every group's running sums."""

    def __init__(self, model: _Model, rng: random.Random):
        self.m = model
        self.rng = rng
        n = model.n
        self.unit = np.full(n, -1, dtype=np.int64)  # block index, or -1 for a single student
        self.constrained = bool(len(model.apart_pairs) or len(model.together_pairs))

    # -- state ----------------------------------------------------------------------------

    def load(self, lab: np.ndarray) -> None:
        m = self.m
        self.log: list[tuple[int, int]] = []  # (student, group before) of every move since
        self.lab = lab.copy()
        self.S, self.K, self.size = m.sums(self.lab, m.g)
        self.f = m.group_terms(self.S, self.K)
        self.members = [list(np.flatnonzero(self.lab == j)) for j in range(m.g)]
        # per group |S|² per criterion, and per student <S of its own group, x> per criterion
        self.SS = (self.S * self.S) @ m.segments
        self.R = (m.X * self.S[self.lab]) @ m.segments
        self.single = self.unit < 0
        if self.constrained:
            self.AC = self._counts(m.apart_pairs)
            self.TC = self._counts(m.together_pairs)
        self.broken = m.broken(self.lab)

    def _counts(self, pairs: np.ndarray) -> np.ndarray:
        counts = np.zeros((self.m.n, self.m.g), dtype=np.int64)
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            np.add.at(counts, (a, self.lab[b]), 1)
            np.add.at(counts, (b, self.lab[a]), 1)
        return counts

    def total(self) -> float:
        return self.m.const + float(self.f.sum()) + PENALTY * self.broken

    # -- a start ----------------------------------------------------------------------------

    def start(self) -> np.ndarray:
        """Blocks first, then students with keep-apart partners, then the rest, each into a
        group with room and the fewest conflicts (random among equals)."""
        m, rng = self.m, self.rng
        room = list(m.sizes)
        rng.shuffle(room)
        lab = np.full(m.n, -1, dtype=np.int64)
        self.unit[:] = -1
        blocks = list(range(len(m.blocks)))
        rng.shuffle(blocks)
        blocks.sort(key=lambda b: -len(m.blocks[b]))
        for b in blocks:
            members = m.blocks[b]
            fits = [j for j in range(m.g) if room[j] >= len(members)]
            if not fits:
                continue  # left as single students: the search tries to bring them together
            j = self._least_conflict(fits, members, lab)
            lab[members] = j
            room[j] -= len(members)
            self.unit[members] = b
        singles = [i for i in range(m.n) if lab[i] < 0]
        rng.shuffle(singles)
        singles.sort(key=lambda i: -len(m.apart_adj[i]))
        for i in singles:
            fits = [j for j in range(m.g) if room[j] > 0]
            j = self._least_conflict(fits, [i], lab)
            lab[i] = j
            room[j] -= 1
        return lab

    def _least_conflict(self, fits: list[int], members, lab: np.ndarray) -> int:
        if not self.constrained:
            return self.rng.choice(fits)
        bad = {j: 0 for j in fits}
        for i in members:
            for other in self.m.apart_adj[i]:
                if lab[other] in bad:
                    bad[lab[other]] += 1
            for other in self.m.together_adj[i]:
                if lab[other] in bad:
                    bad[lab[other]] -= 1
        least = min(bad.values())
        return self.rng.choice([j for j in fits if bad[j] == least])

    # -- moves ------------------------------------------------------------------------------

    def best_for(self, a: int):
        """The best swap of single student ``a`` with a single student of another group,
        or move of ``a`` to a group one smaller: (delta, partner or -1, group)."""
        m = self.m
        p = self.lab[a]
        xa, ka = m.X[a], m.M[a]
        Sp, Kp = self.S[p] - xa, self.K[p] - ka
        best = (0.0, -1, -1)
        if len(self.singles) > 1:
            # |S_p - x_a + x_b|² and |S_q - x_b + x_a|² per criterion for every b (q = b's
            # group), expanded into inner products so that no n-by-D array is made
            lab, C = self.lab, m.C
            W = np.hstack((Sp[:, None] * m.segments, xa[:, None] * m.segments))
            XW = m.X @ W  # <S_p - x_a, x_b>, <x_a, x_b>
            Sa = (self.S @ W[:, C:])[lab]  # <S_q, x_a>
            into_p = ((Sp * Sp) @ m.segments + 2 * XW[:, :C] + m.norms) / np.maximum(Kp + m.M, 1.0)
            into_q = (
                self.SS[lab] + m.norms + m.norms[a] - 2 * self.R + 2 * Sa - 2 * XW[:, C:]
            ) / np.maximum(self.K[lab] - m.M + ka, 1.0)
            delta = (into_p + into_q) @ m.signs - self.f[p] - self.f[lab]
            if self.constrained:
                delta += PENALTY * self._swap_breaks(a, p)
            delta[~self.single | (lab == p)] = np.inf
            k = int(np.argmin(delta))
            if delta[k] < best[0]:
                best = (float(delta[k]), k, int(lab[k]))
        smaller = np.flatnonzero(self.size == self.size[p] - 1)
        if len(smaller):
            delta = (
                m.group_terms(Sp, Kp)
                + m.group_terms(self.S[smaller] + xa, self.K[smaller] + ka)
                - self.f[p]
                - self.f[smaller]
            )
            if self.constrained:
                delta += PENALTY * (
                    self.AC[a, smaller] - self.AC[a, p] + self.TC[a, p] - self.TC[a, smaller]
                )
            k = int(np.argmin(delta))
            if delta[k] < best[0]:
                best = (float(delta[k]), -1, int(smaller[k]))
        return best

    def _swap_breaks(self, a: int, p: int) -> np.ndarray:
        """The change in broken pairs if ``a`` (in ``p``) swapped with each student. Only
        students with list partners (``bound``) add anything of their own."""
        m = self.m
        AC, TC, lab = self.AC, self.TC, self.lab
        change = np.zeros(m.n, dtype=np.int64)
        z = m.bound
        if len(z):
            own = lab[z]
            change[z] = AC[z, p] - AC[z, own] + TC[z, own] - TC[z, p]
        if m.apart_adj[a] or m.together_adj[a]:
            change += AC[a, lab] - AC[a, p] + TC[a, p] - TC[a, lab]
            change[m.apart_adj[a]] -= 2
            change[m.together_adj[a]] += 2
        return change

    def breaks_of(self, moves: list[tuple[int, int]]) -> int:
        """The change in broken pairs if each (student, group) move happened at once."""
        m = self.m
        where = dict(moves)
        pairs = set()
        for i, _ in moves:
            pairs.update((min(i, o), max(i, o), 0) for o in m.apart_adj[i])
            pairs.update((min(i, o), max(i, o), 1) for o in m.together_adj[i])
        change = 0
        for a, b, together in pairs:
            before = self.lab[a] == self.lab[b]
            after = where.get(a, self.lab[a]) == where.get(b, self.lab[b])
            if after != before:
                change += 1 if after != together else -1
        return change

    def apply(self, moves: list[tuple[int, int]]) -> None:
        m = self.m
        touched = set()
        for i, to in moves:
            frm = int(self.lab[i])
            if frm == to:
                continue
            touched.update((frm, to))
            self.S[frm] -= m.X[i]
            self.K[frm] -= m.M[i]
            self.S[to] += m.X[i]
            self.K[to] += m.M[i]
            self.size[frm] -= 1
            self.size[to] += 1
            self.members[frm].remove(i)
            self.members[to].append(i)
            if self.constrained:
                for o in m.apart_adj[i]:
                    self.AC[o, frm] -= 1
                    self.AC[o, to] += 1
                for o in m.together_adj[i]:
                    self.TC[o, frm] -= 1
                    self.TC[o, to] += 1
            self.lab[i] = to
            self.log.append((i, frm))
        if touched:
            groups = sorted(touched)
            self.f[groups] = m.group_terms(self.S[groups], self.K[groups])
            self.SS[groups] = (self.S[groups] ** 2) @ m.segments
            inside = [i for j in groups for i in self.members[j]]
            self.R[inside] = (m.X[inside] * self.S[self.lab[inside]]) @ m.segments
            if self.constrained:
                self.broken = m.broken(self.lab)
        return touched

    def best_block_move(self, b: int):
        """The best swap of block ``b`` with whole units of another group (as many students,
        or one fewer/more where the sizes allow): (delta, moves or None)."""
        m = self.m
        block = m.blocks[b]
        p = int(self.lab[block[0]])
        size = len(block)
        targets, taken = [], []
        for q in range(m.g):
            if q == p:
                continue
            counts = {size}
            gap = int(self.size[p] - self.size[q])
            if abs(gap) == 1:
                counts.add(size - gap)
            members = self.members[q]
            if self.single[members].all():  # the usual case: any students of q will do
                for count in counts:
                    for combo in itertools.combinations(members, count):
                        targets.append(q)
                        taken.append(combo)
                continue
            units: list[list[int]] = []
            seen = set()
            for i in members:
                u = int(self.unit[i])
                if u < 0:
                    units.append([i])
                elif u not in seen:
                    seen.add(u)
                    units.append(list(m.blocks[u]))
            for combo in self._combos(units, counts):
                targets.append(q)
                taken.append(tuple(i for unit in combo for i in unit))
        if not targets:
            return 0.0, None
        q = np.array(targets)
        XV, KV = np.zeros((len(q), m.X.shape[1])), np.zeros((len(q), m.C))
        by_count: dict[int, list[int]] = {}
        for row, members in enumerate(taken):
            by_count.setdefault(len(members), []).append(row)
        for rows in by_count.values():
            index = np.array([taken[row] for row in rows], dtype=np.int64)
            XV[rows], KV[rows] = m.X[index].sum(axis=1), m.M[index].sum(axis=1)
        XB, KB = m.X[block].sum(axis=0), m.M[block].sum(axis=0)
        delta = (
            m.group_terms(self.S[p] - XB + XV, self.K[p] - KB + KV)
            + m.group_terms(self.S[q] + XB - XV, self.K[q] + KB - KV)
            - self.f[p]
            - self.f[q]
        )

        def moves_of(k: int) -> list[tuple[int, int]]:
            return [(int(i), int(q[k])) for i in block] + [(i, p) for i in taken[k]]

        if not self.constrained:
            k = int(np.argmin(delta))
            return float(delta[k]), moves_of(k)
        if self.broken:  # every candidate's breaks, since one may mend a list
            delta = delta + PENALTY * np.array([self.breaks_of(moves_of(k)) for k in range(len(q))])
            k = int(np.argmin(delta))
            return float(delta[k]), moves_of(k)
        # nothing broken: no move mends a list, so take the best that breaks none
        for k in np.argsort(delta, kind="stable"):
            if delta[k] >= -_EPS:
                break
            if self.breaks_of(moves_of(int(k))) == 0:
                return float(delta[k]), moves_of(int(k))
        return 0.0, None

    def _combos(self, units: list[list[int]], counts: set[int], limit: int = 60):
        found = []
        for r in range(min(len(units), max(counts)) + 1):
            if math.comb(len(units), r) > 4 * limit:
                picks = [tuple(self.rng.sample(range(len(units)), r)) for _ in range(limit)]
            else:
                picks = itertools.combinations(range(len(units)), r)
            for pick in picks:
                if sum(len(units[k]) for k in pick) in counts:
                    found.append([units[k] for k in pick])
        return found

    # -- local search ------------------------------------------------------------------------

    def descend(self, active: Iterable[int]) -> None:
        """Take the best improving move of each active student until none improves."""
        queue = deque(sorted(set(active)))
        waiting = np.zeros(self.m.n, dtype=bool)
        waiting[list(queue)] = True
        while queue:
            a = queue.popleft()
            waiting[a] = False
            b = int(self.unit[a])
            if b >= 0:
                if a != self.m.blocks[b][0]:
                    continue
                delta, moves = self.best_block_move(b)
                if moves is None or delta >= -_EPS:
                    continue
            else:
                delta, partner, group = self.best_for(a)
                if delta >= -_EPS:
                    continue
                moves = [(a, group)] + ([(partner, int(self.lab[a]))] if partner >= 0 else [])
            for j in self.apply(moves):
                for i in self.members[j]:
                    if not waiting[i]:
                        waiting[i] = True
                        queue.append(i)

    def kick(self, swaps: int) -> set[int]:
        """A few random swaps of single students that break no list; the groups touched."""
        touched: set[int] = set()
        singles = self.singles
        if len(singles) < 2:
            return touched
        for _ in range(swaps):
            for _attempt in range(10):
                a, b = (int(singles[self.rng.randrange(len(singles))]) for _ in range(2))
                p, q = int(self.lab[a]), int(self.lab[b])
                if p == q:
                    continue
                moves = [(a, q), (b, p)]
                if self.constrained:
                    before = self.broken
                    self.apply(moves)
                    if self.broken > before:
                        self.apply([(a, p), (b, q)])
                        continue
                else:
                    self.apply(moves)
                touched.update((p, q))
                break
        return touched

    def run(self, restarts: int, kicks: int) -> tuple[float, np.ndarray]:
        best_total, best_lab = math.inf, None
        for _ in range(restarts):
            lab = self.start()
            self.singles = np.flatnonzero(self.unit < 0)
            self.load(lab)
            self.descend(range(self.m.n))
            here = self.total()
            for _ in range(kicks):
                self.log.clear()
                touched = self.kick(1 + self.rng.randrange(3))
                if not touched:
                    continue
                self.descend(i for j in touched for i in self.members[j])
                total = self.total()
                if total <= here + _EPS:
                    here = total
                else:  # undo the kick and what followed it
                    undo = self.log[::-1]
                    for i, frm in undo:
                        self.apply([(i, frm)])
            here = self.total()
            if here < best_total - _EPS:
                best_total, best_lab = here, self.lab.copy()
        return best_total, best_lab


def _effort(n: int) -> tuple[int, int]:
    """Fresh starts, and kicks after each: a class gets several starts (each finds the best
    groups of a 12-student class on its own nearly always); a whole grade one start and many
    kicks, which help it more (about 2.5 s of CPU for 600 students). Counted, not timed,
    so that a seed always gives the same groups."""
    if n <= 40:
        return 4, 40
    if n <= 200:
        return 3, 100
    return 1, max(60, round(300 * min(1.0, 600 / n)))


def make_groups(
    problem: Problem, seed: int = 0, *, names: Mapping[str, str] | None = None
) -> Grouping:
    """The most balanced groups found, keeping every keep-apart and keep-together list
    whenever possible; the same seed gives the same groups. Groups are numbered 0..g-1 in
    the order of their first student in the class list; the explanation names students by
    ``names`` where given."""
    model = _model_for(problem)
    rng = random.Random(seed)
    search = _Search(model, rng)
    if model.C == 0 and not search.constrained:
        lab = search.start()
    else:
        _total, lab = search.run(*_effort(model.n))
    first = {}
    for i in range(model.n):
        first.setdefault(int(lab[i]), len(first))
    assignment = {sid: first[int(lab[i])] for i, sid in enumerate(model.ids)}
    return Grouping(assignment, score(problem, assignment), explain(problem, assignment, names))


def move(
    problem: Problem,
    assignment: Mapping[str, int],
    student: str,
    group: int,
    *,
    names: Mapping[str, str] | None = None,
) -> Grouping:
    """The teacher moves one student to another group (which may grow by one): the new
    groups, scored and explained; a list it breaks is reported in the explanation's
    ``unmet``, not refused."""
    model = _model_for(problem)
    if student not in model.order:
        raise InvalidInput(f"{_name(student, names)} is not in this class.", "student")
    model.labels(assignment, names)
    existing = max(model.g, max(int(v) for v in assignment.values()) + 1)
    if (
        isinstance(group, bool)
        or not isinstance(group, numbers.Integral)
        or not (0 <= group < existing)
    ):
        raise InvalidInput(f"There is no group {group}. Choose one of the groups shown.", "group")
    moved = dict(assignment)
    moved[student] = int(group)
    return Grouping(moved, score(problem, moved), explain(problem, moved, names))


# --- explaining ------------------------------------------------------------------------------


def _spread(criterion: Criterion, values: list) -> str:
    known = [v for v in values if v is not None]
    unknown = len(values) - len(known)
    tail = f", not known for {unknown}" if unknown and known else ""
    name = criterion.name
    if not known:
        return f"{name}: not known for anyone in this group"
    if criterion.kind == "number":
        low, high = min(known), max(known)
        if len(known) == 1 or low == high:
            return (
                f"{name}: {_number_text(low)}"
                + (f" (all {len(known)})" if len(known) > 1 else "")
                + tail
            )
        mean = sum(known) / len(known)
        return (
            f"{name}: {_number_text(low)}–{_number_text(high)} (mean {_number_text(mean)})" + tail
        )
    if criterion.kind == "category":
        counts: dict[str, int] = {}
        for v in known:
            counts[v] = counts.get(v, 0) + 1
        parts = [f"{counts[v]} {v}" for v in sorted(counts, key=_natural_key)]
        return f"{name}: {', '.join(parts)}" + (f", {unknown} not known" if unknown else "")
    counts = {}
    for v in known:
        for item in v:
            counts[item] = counts.get(item, 0) + 1
    items = sorted(counts, key=_natural_key)

    def listed(chosen: list[str]) -> str:
        shown = chosen[:6]
        more = f" and {len(chosen) - 6} more" if len(chosen) > 6 else ""
        return ", ".join(shown) + more

    if len(known) == 1:
        return f"{name}: {listed(items)}" + tail
    if criterion.aim == "match":
        everyone = [x for x in items if counts[x] == len(known)]
        if everyone:
            return f"{name} shared by all: {listed(everyone)}" + tail
        some = [x for x in items if counts[x] > 1]
        if some:
            return f"{name} shared by some: {listed(some)}" + tail
        return f"{name} shared: none" + tail
    return f"{name}: {_plural(len(items), 'different one')} ({listed(items)})" + tail


def _unmet(model: _Model, lab: np.ndarray, names) -> list[str]:
    problem, order = model.problem, model.order
    unmet = []
    for group in problem.apart:
        by_group: dict[int, list[str]] = {}
        for sid in sorted(group, key=order.__getitem__):
            by_group.setdefault(int(lab[order[sid]]), []).append(sid)
        for members in by_group.values():
            if len(members) > 1:
                both = "both" if len(members) == 2 else "all"
                unmet.append(
                    f"{_people(members, order, names)} are {both} in one group, but they are "
                    "to be kept apart."
                )
    for group in problem.together:
        places = {int(lab[order[s]]) for s in group}
        if len(places) > 1:
            unmet.append(
                f"{_people(group, order, names)} are to be kept together, but they are in "
                f"{len(places)} groups."
            )
    return unmet


def explain(
    problem: Problem, assignment: Mapping[str, int], names: Mapping[str, str] | None = None
) -> Explanation:
    """Per group one sentence per criterion that counts, how balanced the groups are, and
    the keep-apart/keep-together lists they do not meet (students by ``names``)."""
    model = _model_for(problem)
    lab, numbers_ = model.labels(assignment, names)
    counted = [
        (c, values)
        for c, values in zip(problem.criteria, model.values, strict=True)
        if c.weight > 0
    ]
    groups = []
    for index, number in enumerate(numbers_):
        members = np.flatnonzero(lab == index)
        spreads = tuple(_spread(c, [values[i] for i in members]) for c, values in counted)
        groups.append(GroupExplanation(number, len(members), spreads))
    balance = 100.0 * (1.0 - model.balance(lab, len(numbers_)))
    sizes = sorted({g.size for g in groups})
    size_text = str(sizes[0]) if len(sizes) == 1 else f"{sizes[0]}–{sizes[-1]}"
    summary = f"{_plural(len(groups), 'group')} of {size_text}."
    if counted:
        summary += f" {balance:.0f} % of the way to perfectly balanced."
    else:
        summary += " Nothing was chosen to balance."
    unmet = _unmet(model, lab, names)
    if unmet:
        summary += (
            f" {_plural(len(unmet), 'keep-apart or keep-together list')} "
            f"{'is' if len(unmet) == 1 else 'are'} not met."
        )
    return Explanation(tuple(groups), balance, summary, tuple(unmet))
