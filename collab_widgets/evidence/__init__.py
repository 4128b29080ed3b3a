"""Evidence: read the score files teams have, check them, and analyse them.

    from collab_widgets.evidence import read_scores
    scores = read_scores("unit3_post.csv", key="unit3_items.csv")
    results = scores.analysis()
    results.items()            # percent correct per item
    results.subgroups("ELL")   # with small groups suppressed

Nothing here knows about widgets; the workbook's screens are views over these functions.
"""

from __future__ import annotations

from . import mapping
from .analysis import Analysis, Bands, GroupCuts, growth, history, moved_out_of_intervention
from .reading import MAX_BYTES, RawTable, read_table
from .scores import Scores, build, read_key
from .suppression import DEFAULT_MIN_N

__all__ = [
    "DEFAULT_MIN_N",
    "MAX_BYTES",
    "Analysis",
    "Bands",
    "GroupCuts",
    "RawTable",
    "Scores",
    "build",
    "growth",
    "history",
    "mapping",
    "moved_out_of_intervention",
    "read_key",
    "read_scores",
    "read_table",
    "summary",
]


def read_scores(
    source,
    key=None,
    *,
    sheet: str | None = None,
    name: str | None = None,
    roles: mapping.Mapping | None = None,
    progress=None,
) -> Scores:
    """An assessment from a path, uploaded bytes or a DataFrame (CSV, TSV or XLSX; wide,
    long or a Google Forms quiz export), with an optional item map / answer key (a path,
    bytes or DataFrame). ``roles`` overrides the detected column roles. Raises
    :class:`~collab_widgets.errors.ScoreFileError` naming the row, column and a fix."""
    raw = read_table(source, name=name, sheet=sheet, progress=progress)
    item_key = read_key(read_table(key, name="item map")) if key is not None else None
    chosen = roles or mapping.detect(raw)
    if progress:
        progress(0.7, "Checking the scores")
    scores = build(raw, chosen, item_key)
    if progress:
        progress(1.0, "Done")
    return scores


def summary(scores: Scores, by: str | None = None, min_n: int = DEFAULT_MIN_N) -> dict:
    """The figures ``collab analyze`` prints: students, items, bands, subgroups, warnings."""
    results = scores.analysis()
    items = [
        {
            "item": str(row.item),
            "n": int(row.n),
            "pct_correct": None
            if row.pct_correct != row.pct_correct
            else round(row.pct_correct, 1),
            **({"standard": str(row.standard)} if row.standard else {}),
        }
        for row in results.items().itertuples()
    ]
    report = {
        "assessment": scores.name,
        "students": len(scores.students),
        "items": items,
        "bands": [
            {"band": r.band, "n": int(r.n), "percent": round(float(r.percent), 1)}
            for r in results.bands().itertuples()
        ],
        "warnings": list(scores.warnings),
    }
    if by is not None:
        table = results.subgroups(by, min_n)
        report["subgroups"] = {
            "by": by,
            "min_n": min_n,
            "groups": [
                {
                    "group": str(row[by]),
                    "n": row["n"],
                    "mean_percent": None
                    if row["mean_percent"] is None
                    else round(row["mean_percent"], 1),
                    "suppressed": row["suppressed"],
                }
                for row in table.rows
            ],
        }
    return report
