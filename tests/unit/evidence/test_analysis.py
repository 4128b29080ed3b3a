"""Analyses against hand-computed figures, and small-group suppression in one- and two-way
tables (including that no hidden cell can be worked out)."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collab_widgets.core.errors import InvalidInput
from collab_widgets.evidence.analysis import (
    Bands,
    GroupCuts,
    growth,
    history,
    moved_out_of_intervention,
    summary,
)
from collab_widgets.evidence.scores import read_scores
from collab_widgets.evidence.suppression import one_way, recoverable, suppress, with_totals

KEY = "item,standard,max points\nQ1,A,1\nQ2,A,1\nQ3,B,2\n"


def assessment(rows, name="unit", extra=""):
    """rows: (id, group, q1, q2, q3)."""
    text = "id,group" + extra + ",Q1,Q2,Q3\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)
    return read_scores(text.encode(), key=KEY.encode(), name=name)


FOUR = [("a", "X", 1, 1, 2), ("b", "X", 1, 0, 1), ("c", "Y", 0, 0, 0), ("d", "Y", 1, 1, 1)]


def many(counts_by_group):
    rows = []
    for group, n in counts_by_group.items():
        rows += [(f"{group}{i}", group, 1, i % 2, 2 if i % 3 else 0) for i in range(n)]
    return assessment(rows)


def test_items_standards_and_bands_by_hand():
    results = assessment(FOUR).analysis()
    # a 4/4, b 2/4, c 0/4, d 3/4
    assert results.student_percents().to_dict() == {"a": 100.0, "b": 50.0, "c": 0.0, "d": 75.0}
    items = results.items().set_index("item")["pct_correct"].to_dict()
    assert items == {"Q1": 75.0, "Q2": 50.0, "Q3": 50.0}  # Q3: 4 of 8 points
    standards = results.standards().set_index("standard")
    assert standards.loc["A", "pct_correct"] == pytest.approx(62.5)  # 5 of 8
    assert standards.loc["B", "items"] == 1 and standards.loc["A", "n"] == 4
    bands = results.bands(Bands(("Low", "Mid", "High"), (50, 80))).set_index("band")
    assert bands["n"].to_dict() == {"Low": 1, "Mid": 2, "High": 1}
    assert bands["n"].sum() == 4 and bands["percent"].sum() == pytest.approx(100)


def test_bands_and_cuts_are_checked():
    with pytest.raises(InvalidInput, match="one cut fewer"):
        Bands(("A", "B"), (50, 70))
    with pytest.raises(InvalidInput, match="go up"):
        Bands(("A", "B", "C"), (70, 50))
    with pytest.raises(InvalidInput, match="close < proficient < extension"):
        GroupCuts(80, 70, 90)


def test_groups_for_questions_three_and_four_with_what_each_missed():
    results = assessment(FOUR).analysis()
    groups = results.groups(GroupCuts(40, 70, 90))["group"].to_dict()
    assert groups == {"a": "extension", "b": "close", "c": "intervention", "d": "proficient"}
    needs = results.group_needs(GroupCuts(40, 70, 90))
    assert needs["intervention"] == ["Q1", "Q2", "Q3"]
    assert needs["close"] == ["Q2", "Q3"]  # b: Q2 0%, Q3 50%; Q1 100%
    assert needs["extension"] == []


def test_growth_matches_by_id_and_lists_the_unmatched():
    pre = assessment(FOUR, "pre")
    post = assessment([("a", "X", 1, 1, 2), ("c", "Y", 1, 1, 0), ("e", "Y", 0, 0, 0)], "post")
    found = growth(pre, post)
    assert found.matched.set_index("student")["change"].to_dict() == {"a": 0.0, "c": 50.0}
    assert found.only_pre == ("b", "d") and found.only_post == ("e",)
    assert moved_out_of_intervention(pre, post, GroupCuts(40, 70, 90)) == ["c"]
    table = history([pre, post])
    assert list(table.columns) == ["pre", "post"] and pd.isna(table.loc["e", "pre"])


def test_a_subgroup_under_min_n_is_hidden_and_so_is_its_complement():
    results = many({"X": 12, "Y": 4}).analysis()
    rows = {r["group"]: r for r in results.subgroups("group").rows}
    assert rows["Y"]["suppressed"] and rows["Y"]["n"] is None
    assert rows["Y"]["mean_percent"] is None
    # with Y hidden, X's count is the total minus nothing: it must hide too
    assert rows["X"]["suppressed"] and rows["All students"]["n"] == 16
    three = {
        r["group"]: r for r in many({"X": 12, "Y": 4, "Z": 11}).analysis().subgroups("group").rows
    }
    assert three["Y"]["suppressed"] and sum(r["suppressed"] for r in three.values()) == 2
    assert three["All students"]["n"] == 27


def test_min_n_is_configurable():
    rows = {r["group"]: r for r in many({"X": 12, "Y": 4}).analysis().subgroups("group", 3).rows}
    assert not any(r["suppressed"] for r in rows.values()) and rows["Y"]["n"] == 4


def test_a_two_way_table_hides_small_cells_and_enough_others():
    results = many({"X": 30, "Y": 25}).analysis()
    table = results.crosstab("group", Bands(("Low", "High"), (70,)), min_n=10)
    for row in table.rows:
        for band in ("Low", "High", "Total"):
            assert row[band] is None or row[band] >= 10


def test_breaking_down_by_an_unknown_column_says_which_exist():
    with pytest.raises(InvalidInput, match="Choose one of: group"):
        assessment(FOUR).analysis().subgroups("gender")


def test_the_summary_never_carries_a_suppressed_value():
    report = summary(many({"X": 12, "Y": 4}), by="group")
    hidden = [g for g in report["subgroups"]["groups"] if g["suppressed"]]
    assert hidden and all(g["n"] is None and g["mean_percent"] is None for g in hidden)
    assert report["students"] == 16 and sum(b["n"] for b in report["bands"]) == 16
    assert all(0 <= i["pct_correct"] <= 100 for i in report["items"])


def test_suppression_by_hand():
    # one way: 4 is small; hiding it alone would leave it as 59 - 25 - 30
    result = suppress(one_way([25, 4, 30]))
    assert [h[0] for h in result.hidden] == [True, True, False, False]
    # zeros shown would still say "nobody": they count as small too
    assert suppress(one_way([0, 40, 30])).hidden[0][0]
    # a hidden set whose sum is zero gives every member away: more is hidden
    counts = with_totals([[0, 0, 15], [12, 11, 14]])
    hidden = {
        (r, c)
        for r, row in enumerate(suppress(counts).hidden)
        for c, flag in enumerate(row)
        if flag
    }
    assert not recoverable(counts, hidden)
    assert recoverable(counts, {(0, 0), (0, 1)}) == {(0, 0), (0, 1)}


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=5), min_size=1, max_size=6).filter(
        lambda rows: len({len(r) for r in rows}) == 1
    ),
    st.integers(1, 15),
)
def test_no_shown_cell_is_small_and_no_hidden_cell_can_be_worked_out(body, min_n):
    counts = with_totals(body)
    result = suppress(counts, min_n)
    hidden = set()
    for r, row in enumerate(result.hidden):
        for c, flag in enumerate(row):
            if flag:
                hidden.add((r, c))
            else:
                assert counts[r][c] >= min_n
    assert not recoverable(counts, hidden)


def test_zeros_that_follow_from_several_sums_together_are_recoverable():
    # Found by tests/unit/evidence/test_analysis_properties.py. Shown: C has 12 Low of 12, and 14
    # Low of 14 in all. So A and B have 2 Low of 2 between them: none of them is High,
    # though no one row or column of hidden cells adds up to zero.
    counts = with_totals([[1, 0], [1, 0], [12, 0]])
    hidden = {(r, c) for r in range(4) for c in range(3)} - {(2, 0), (2, 2), (3, 0), (3, 2)}
    assert recoverable(counts, hidden) == {(0, 1), (1, 1), (2, 1), (3, 1)}
    # zeros at two corners of a six-cycle pin each other, and then the rest of it
    counts = with_totals([[0, 12, 20], [20, 20, 0], [20, 12, 20]])
    six = {(0, 0), (0, 1), (1, 1), (1, 2), (2, 2), (2, 0)}
    assert recoverable(counts, six) == six


def test_a_student_without_a_percent_is_in_no_band():
    # Found by tests/unit/evidence/test_analysis_properties.py: NaN used to sort into the top band.
    assert Bands().of(pd.Series([50.0, float("nan"), 95.0])).isna().tolist() == [False, True, False]


def test_subgroup_means_and_counts_by_hand_with_a_blank_group():
    # X: a 100, b 50 -> 75; (blank): c 0, d 75 -> 37.5; all four -> 56.25
    rows = [("a", "X", 1, 1, 2), ("b", "X", 1, 0, 1), ("c", "", 0, 0, 0), ("d", "", 1, 1, 1)]
    table = assessment(rows).analysis().subgroups("group", min_n=1)
    shown = {r["group"]: (r["n"], r["mean_percent"]) for r in table.rows}
    assert shown == {"(blank)": (2, 37.5), "X": (2, 75.0), "All students": (4, 56.25)}
    cross = assessment(rows).analysis().crosstab("group", Bands(("Low", "High"), (60,)), 1)
    counts = {r["group"]: (r["Low"], r["High"], r["Total"]) for r in cross.rows}
    assert counts == {"(blank)": (1, 1, 2), "X": (1, 1, 2), "All students": (2, 2, 4)}


def test_a_percent_on_a_cut_is_not_moved_below_it_by_the_order_of_a_sum():
    # 6 of 10 points, in halves and tenths whose float sum is 5.999999999999999
    cells = ["0", "0.5", "0.7", "0.5", "0.6", "0.9", "0.7", "0.5", "0.6", "1"]
    header = ",".join(f"Q{i}" for i in range(1, 11))
    key = "item,max points\n" + "".join(f"Q{i},1\n" for i in range(1, 11))
    scores = read_scores(f"id,{header}\ns,{','.join(cells)}\n".encode(), key=key.encode())
    results = scores.analysis()
    assert results.student_percents()["s"] == 60.0
    assert results.groups(GroupCuts(close=60, proficient=70, extension=90))["group"]["s"] == "close"


def test_a_group_written_blank_and_one_left_blank_are_one_group():
    rows = [("a", "X", 1, 1, 2), ("b", "(blank)", 1, 0, 1), ("c", "", 0, 0, 0)]
    table = assessment(rows).analysis().subgroups("group", min_n=1)
    shown = {r["group"]: r["n"] for r in table.rows}
    assert shown == {"(blank)": 2, "X": 1, "All students": 3}
