"""Peer tutoring pairs: the PALS rank rule, neighbours in rank, the triad of an odd count,
ties, the secure-gap flag, the sessions' roles and the reteach/extend group warnings."""

from __future__ import annotations

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.students.tutoring import (
    RULES,
    Pair,
    PairGroups,
    group_links,
    make_pairs,
    schedule,
)

EIGHT = {"ana": 95, "ben": 90, "cy": 85, "dee": 80, "eve": 70, "fay": 60, "gus": 50, "hal": 40}


def couples(pairs: list[Pair]) -> list[tuple]:
    return [(p.tutor, p.tutee) + ((p.third,) if p.third else ()) for p in pairs]


def test_the_rank_rule_pairs_the_top_half_with_the_bottom_half_in_order():
    shuffled = dict(reversed(list(EIGHT.items())))  # the order given does not matter
    pairs = make_pairs(shuffled)
    assert couples(pairs) == [("ana", "eve"), ("ben", "fay"), ("cy", "gus"), ("dee", "hal")]
    assert [(p.tutor_score, p.tutee_score) for p in pairs] == [
        (95, 70),
        (90, 60),
        (85, 50),
        (80, 40),
    ]
    assert all(p.third is None and p.third_score is None for p in pairs)


def test_the_secure_gap_flags_pairs_whose_tutor_is_secure_and_tutee_is_not():
    pairs = make_pairs(EIGHT, secure=88)
    assert [p.secure_gap for p in pairs] == [True, True, False, False]
    assert all(p.secure_gap for p in make_pairs(EIGHT))  # 80 counts as secure
    assert not any(p.secure_gap for p in make_pairs(EIGHT, secure=30))  # every tutee secure too


def test_an_odd_count_makes_one_triad_with_the_middle_student_in_the_first_pair():
    scores = {**EIGHT, "ivy": 65}
    pairs = make_pairs(scores)
    # ranked: ana ben cy dee | eve (the middle) | ivy fay gus hal
    assert couples(pairs) == [
        ("ana", "ivy", "eve"),
        ("ben", "fay"),
        ("cy", "gus"),
        ("dee", "hal"),
    ]
    assert pairs[0].third_score == 70
    assert pairs[0].members == ("ana", "ivy", "eve")
    assert sum(len(p.members) for p in pairs) == 9
    assert not make_pairs(scores, secure=68)[0].secure_gap  # eve, the third, is at 70


def test_ties_are_broken_by_the_id_whatever_the_order_given():
    scores = {"d": 70, "b": 70, "a": 90, "c": 70, "e": 50, "f": 70}
    first = make_pairs(scores)
    again = make_pairs(dict(sorted(scores.items(), reverse=True)))
    assert first == again
    # ranked: a, b, c, d, f (70s by id), e
    assert couples(first) == [("a", "d"), ("b", "f"), ("c", "e")]


def test_the_adjacent_rule_pairs_neighbours_in_rank():
    assert couples(make_pairs(EIGHT, rule="adjacent")) == [
        ("ana", "ben"),
        ("cy", "dee"),
        ("eve", "fay"),
        ("gus", "hal"),
    ]
    odd = make_pairs({**EIGHT, "ivy": 10}, rule="adjacent")
    assert couples(odd)[-1] == ("gus", "hal", "ivy")  # the lowest joins the last pair


def test_rules_are_described_and_unknown_ones_refused():
    assert set(RULES) == {"rank", "adjacent"}
    assert all(isinstance(text, str) and len(text) > 20 for text in RULES.values())
    with pytest.raises(InvalidInput, match="no pairing rule called “best”"):
        make_pairs(EIGHT, rule="best")


def test_too_few_students_or_a_missing_score_is_refused_by_name():
    with pytest.raises(InvalidInput, match="at least 2 students"):
        make_pairs({"ana": 90})
    with pytest.raises(InvalidInput, match="Ben Ortiz has no score"):
        make_pairs({"ana": 90, "ben": None}, names={"ben": "Ben Ortiz"})


def test_the_schedule_swaps_roles_every_few_sessions():
    pairs = make_pairs({"ana": 90, "ben": 60, "cy": 80, "dee": 50})  # (ana, ben), (cy, dee)
    assert couples(pairs) == [("ana", "ben"), ("cy", "dee")]
    assert schedule(pairs, 3) == [
        [("ana", "ben"), ("cy", "dee")],
        [("ben", "ana"), ("dee", "cy")],
        [("ana", "ben"), ("cy", "dee")],
    ]
    every_two = schedule(pairs, 5, swap_every=2)
    assert [session[0] for session in every_two] == [
        ("ana", "ben"),
        ("ana", "ben"),
        ("ben", "ana"),
        ("ben", "ana"),
        ("ana", "ben"),
    ]
    with pytest.raises(InvalidInput):
        schedule(pairs, 0)
    with pytest.raises(InvalidInput):
        schedule(pairs, 3, swap_every=0)


def test_the_triads_third_rotates_in_as_coach():
    (triad,) = make_pairs({"ana": 90, "ben": 60, "cy": 70})  # ana tutors ben, cy joins
    assert couples([triad]) == [("ana", "ben", "cy")]
    plan = schedule([triad], 4)
    assert plan == [
        [("ana", "ben"), ("ana", "cy")],
        [("ben", "ana"), ("ben", "cy")],
        [("ana", "ben"), ("ana", "cy")],
        [("cy", "ana"), ("cy", "ben")],
    ]
    for session in plan:  # everyone takes part in every session
        assert {name for entry in session for name in entry} == {"ana", "ben", "cy"}


def test_group_links_warn_when_a_pair_is_all_in_one_group():
    pairs = make_pairs(EIGHT)  # (ana, eve), (ben, fay), (cy, gus), (dee, hal)
    groups = {"ana": "extend", "eve": "reteach", "ben": "reteach", "fay": "reteach", "cy": None}
    links = group_links(pairs, groups, names={"ben": "Ben", "fay": "Fay"})
    assert set(links) == set(pairs)
    assert links[pairs[0]] == PairGroups("extend", "reteach", None, None, "")
    assert links[pairs[1]].shared == "reteach"
    assert links[pairs[1]].note == "Both (Ben and Fay) are in the “reteach” group."
    assert links[pairs[2]] == PairGroups(None, None)
    triad = make_pairs({"a": 90, "b": 60, "c": 70})[0]
    note = group_links([triad], dict.fromkeys("abc", "reteach"))[triad].note
    assert note == "All three (a, b and c) are in the “reteach” group."
