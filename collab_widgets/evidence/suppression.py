"""Small-group suppression for tables of student counts, with their totals.

A count under ``min_n`` is hidden (primary suppression), and so is a total under it. Then
more cells are hidden (complementary suppression) until no hidden cell can be worked out
from the cells and totals still shown: each hidden cell's value must be left open by the
table's sums together with counts never being below zero (so no set of hidden cells may
be known to add up to zero, whether from one total or from several).

A table here is a grid of counts with a total for every row, every column and the whole;
a one-way table is the same with a single column. The check treats the table as a flow
network (see :func:`recoverable`) and is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from collab_widgets.evidence.model import DEFAULT_MIN_N  # the team's default smallest group shown


@dataclass(frozen=True)
class Suppressed:
    """Counts with totals; ``hidden[r][c]`` marks a suppressed cell. The last row and the
    last column are the totals."""

    counts: tuple[tuple[int, ...], ...]
    hidden: tuple[tuple[bool, ...], ...]

    def shown(self, row: int, column: int) -> int | None:
        return None if self.hidden[row][column] else self.counts[row][column]


def with_totals(body: list[list[int]]) -> list[list[int]]:
    """A two-way grid with a total column and a total row added."""
    rows = [list(row) + [sum(row)] for row in body]
    rows.append([sum(row[c] for row in rows) for c in range(len(rows[0]))])
    return rows


def one_way(counts: list[int]) -> list[list[int]]:
    """Counts of groups as a one-column table with the total last."""
    return [[n] for n in counts] + [[sum(counts)]]


def _arc(shape: tuple[int, int], cell: tuple[int, int]) -> tuple:
    """The cell as an arc of the table's circulation (see :func:`recoverable`)."""
    rows, columns = shape
    r, c = cell
    if columns == 1:  # one-way: each group into "sum", the total back out of it
        return ("total", "sum") if r == rows - 1 else ("sum", "total")
    if r == rows - 1:
        return ("sink", "source") if c == columns - 1 else (("column", c), "sink")
    return ("source", ("row", r)) if c == columns - 1 else (("row", r), ("column", c))


def recoverable(counts: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from what is shown.

    A table with its totals is a circulation: a node per row and per column, a source and
    a sink; a body cell is an arc from its row to its column, a row total from the source
    to its row, a column total from its column to the sink and the grand total from the
    sink to the source, so each sum of the table says a node's flow in equals its flow out.
    Any other table with the same shown cells differs from this one by a circulation on
    the hidden arcs, made of cycles that run forwards along a hidden arc or, where its
    count is above zero, backwards. A hidden cell can be worked out exactly when no such
    cycle passes through it: sums alone, and counts being zero or more, then pin it."""
    shape = (len(counts), len(counts[0]))
    found = set()
    for cell in hidden:
        steps: dict = {}
        for other in hidden - {cell}:
            tail, head = _arc(shape, other)
            steps.setdefault(tail, set()).add(head)
            if counts[other[0]][other[1]] > 0:
                steps.setdefault(head, set()).add(tail)
        tail, head = _arc(shape, cell)
        can_grow = tail in _reachable(steps, head)
        can_shrink = counts[cell[0]][cell[1]] > 0 and head in _reachable(steps, tail)
        if not (can_grow or can_shrink):
            found.add(cell)
    return found


def _reachable(steps: dict, start) -> set:
    seen, todo = {start}, [start]
    while todo:
        for node in steps.get(todo.pop(), ()):
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return seen


def suppress(counts: list[list[int]], min_n: int = DEFAULT_MIN_N) -> Suppressed:
    """Hide counts under ``min_n`` and as few more as it takes so none can be worked out.
    ``counts`` includes the totals (see :func:`with_totals`)."""
    if min_n < 1:
        raise ValueError("min_n must be at least 1")
    rows, columns = len(counts), len(counts[0])
    everything = {(r, c) for r in range(rows) for c in range(columns)}
    hidden = {cell for cell in everything if counts[cell[0]][cell[1]] < min_n}
    exposed = recoverable(counts, hidden)
    while exposed and hidden != everything:
        hidden.add(_cheapest_partner(counts, hidden, exposed, everything))
        exposed = recoverable(counts, hidden)
    return Suppressed(
        tuple(tuple(row) for row in counts),
        tuple(tuple((r, c) in hidden for c in range(columns)) for r in range(rows)),
    )


def _cheapest_partner(counts, hidden, exposed, everything) -> tuple[int, int]:
    """The shown cell to hide next: of those sharing a row or column with an exposed cell,
    the one that leaves the fewest cells exposed; then a body cell before a total, then
    the smallest count, so that the fewest students' figures are lost."""
    rows, columns = len(counts), len(counts[0])
    near = [
        cell
        for cell in everything - hidden
        if any(cell[0] == r or cell[1] == c for r, c in exposed)
    ] or sorted(everything - hidden)
    return min(
        near,
        key=lambda cell: (
            len(recoverable(counts, hidden | {cell})),
            cell[0] == rows - 1 or cell[1] == columns - 1,
            counts[cell[0]][cell[1]],
            cell,
        ),
    )
