"""Small-group suppression for tables of student counts, with their totals.

A count under ``min_n`` is hidden (primary suppression), and so is a total under it. Then
more cells are hidden (complementary suppression) until no hidden cell can be worked out
from the cells and totals still shown: each hidden cell's value must be left open by the
table's sums (it is not a fixed combination of the shown values), and no set of hidden
cells of a shown total may add up to zero (all of them would then be known to be zero).

A table here is a grid of counts with a total for every row, every column and the whole;
a one-way table is the same with a single column. The check is linear algebra on the
sums, exact for tables of the size a team looks at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DEFAULT_MIN_N = 10


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


def _equations(shape: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """Each sum of the table as the cells in it, the total last: sum(rest) = total. A
    one-way table (a single column, its total row last) has only its column's sum."""
    rows, columns = shape
    equations = []
    if columns > 1:
        equations += [[(r, c) for c in range(columns)] for r in range(rows)]
    if rows > 1:
        equations += [[(r, c) for r in range(rows)] for c in range(columns)]
    return equations


def _matrix(shape, equations, cells) -> np.ndarray:
    index = {cell: i for i, cell in enumerate(cells)}
    matrix = np.zeros((len(equations), len(cells)))
    for e, equation in enumerate(equations):
        *parts, total = equation
        for cell in parts:
            if cell in index:
                matrix[e, index[cell]] += 1
        if total in index:
            matrix[e, index[total]] -= 1
    return matrix


def recoverable(counts: list[list[int]], hidden: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Hidden cells whose value follows from what is shown."""
    shape = (len(counts), len(counts[0]))
    equations = _equations(shape)
    cells = sorted(hidden)
    if not cells:
        return set()
    matrix = _matrix(shape, equations, cells)
    # A hidden cell is fixed by the sums exactly when every solution of the sums with the
    # shown cells taken away leaves it unchanged: its row of the null space is zero.
    _, singular, vt = np.linalg.svd(matrix) if matrix.size else (None, np.array([]), None)
    rank = int((singular > 1e-9).sum())
    null_space = vt[rank:].T if vt is not None else np.eye(len(cells))
    found = {cell for i, cell in enumerate(cells) if np.abs(null_space[i]).max(initial=0) < 1e-9}
    for *parts, total in equations:
        # hidden parts of a shown total that add up to zero are all known to be zero
        inside = [cell for cell in parts if cell in hidden]
        if inside and total not in hidden and sum(counts[r][c] for r, c in inside) == 0:
            found.update(inside)
    return found


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
