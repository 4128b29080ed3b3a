"""Mentor–mentee suggestions: hard constraints never broken, one mentee per mentor, reasons
in words, everyone left out with a reason, the same answer for the same people."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from collab_widgets.community.matching import DEFAULT_WEIGHTS, LANGUAGE_REQUIRED, suggest
from collab_widgets.community.model import Clearance, Mentee, Mentor

TODAY = dt.date(2026, 3, 2)
CLEARED = Clearance(dt.date(2025, 9, 1), dt.date(2027, 8, 31), "Ms Park, HR")
LAPSED = Clearance(dt.date(2023, 9, 1), dt.date(2026, 3, 1), "Ms Park, HR")
REQUIRED = {"interests": 1.0, "language": LANGUAGE_REQUIRED, "times": 0.5}
PREFERRED = {"interests": 1.0, "language": 0.5, "times": 0.5}


def mentor(id_, interests=(), times=("tue-pm",), languages=("en",), clearance=CLEARED):
    return Mentor(id_, f"Mentor {id_}", tuple(interests), tuple(times), tuple(languages),
                  clearance)  # fmt: skip


def mentee(id_, interests=(), times=("tue-pm",), languages=("en",)):
    return Mentee(id_, f"Team {id_}", "5A", tuple(interests), tuple(times), tuple(languages))


def test_lapsed_clearance_leaves_the_mentor_out_with_the_reason():
    suggestions, left_out = suggest(
        [mentor(1, clearance=LAPSED)], [mentee(10)], DEFAULT_WEIGHTS, TODAY
    )
    assert suggestions == []
    assert left_out[0].kind == "mentor" and left_out[0].id == 1
    assert "clearance lapsed on 01 March 2026" in left_out[0].reason
    assert left_out[1].kind == "mentee"
    assert "No free mentor has a clearance valid today" in left_out[1].reason


def test_clearance_valid_on_its_last_day_still_matches():
    suggestions, _ = suggest(
        [mentor(1, clearance=LAPSED)], [mentee(10)], DEFAULT_WEIGHTS, dt.date(2026, 3, 1)
    )
    assert [(s.mentor_id, s.mentee_id) for s in suggestions] == [(1, 10)]


def test_missing_clearance_is_a_reason_too():
    none = Clearance(None, None, "")
    _, left_out = suggest([mentor(1, clearance=none)], [], DEFAULT_WEIGHTS, TODAY)
    assert "No clearance is recorded" in left_out[0].reason


def test_no_shared_time_means_no_pair():
    suggestions, left_out = suggest(
        [mentor(1, times=("mon-pm",))], [mentee(10, times=("tue-pm",))], DEFAULT_WEIGHTS, TODAY
    )
    assert suggestions == []
    reasons = {(u.kind, u.id): u.reason for u in left_out}
    assert "shares a time" in reasons[("mentee", 10)]
    assert "shares a time" in reasons[("mentor", 1)]


def test_language_is_required_from_weight_one():
    people = [mentor(1, languages=("en",))], [mentee(10, languages=("es",))]
    suggestions, left_out = suggest(*people, REQUIRED, TODAY)
    assert suggestions == []
    assert "also speaks Spanish" in left_out[-1].reason
    assert "lower it below 1" in left_out[-1].reason
    suggestions, _ = suggest(*people, PREFERRED, TODAY)
    assert [(s.mentor_id, s.mentee_id) for s in suggestions] == [(1, 10)]


def test_reasons_are_in_words():
    [suggestion], left_out = suggest(
        [mentor(1, ("Robotics", "chess"), ("tue-pm", "thu-pm"), ("en", "es"))],
        [mentee(10, ("robotics", "football"), ("thu-pm", "tue-pm", "sat"), ("es",))],
        REQUIRED,
        TODAY,
    )
    assert left_out == []
    assert suggestion.reasons == (
        "both like Robotics",
        "both speak Spanish",
        "both free Tuesday after school and Thursday after school",
    )


def test_no_shared_interest_is_said():
    [suggestion], _ = suggest([mentor(1, ("art",))], [mentee(10, ("chess",))], REQUIRED, TODAY)
    assert "no interest in common was recorded" in suggestion.reasons
    assert "both free Tuesday after school" in suggestion.reasons


def test_score_by_hand():
    # interests: {robotics} of {robotics, chess, art} = 1/3; language {en} of {en, es} = 1/2;
    # times {tue-pm} of {tue-pm, thu-pm} = 1/2 -> 1.0/3 + 1.0/2 + 0.5/2 = 1.083
    [suggestion], _ = suggest(
        [mentor(1, ("robotics", "chess"), ("tue-pm", "thu-pm"), ("en", "es"))],
        [mentee(10, ("robotics", "art"), ("tue-pm",), ("en",))],
        REQUIRED,
        TODAY,
    )
    assert suggestion.score == 1.083


def test_best_pairs_by_interest():
    mentors = [mentor(1, ("art",)), mentor(2, ("robotics",))]
    mentees = [mentee(10, ("robotics",)), mentee(11, ("art",))]
    suggestions, left_out = suggest(mentors, mentees, REQUIRED, TODAY)
    assert {(s.mentor_id, s.mentee_id) for s in suggestions} == {(1, 11), (2, 10)}
    assert left_out == []


def test_as_many_pairs_as_possible_before_the_best_score():
    # greedy would give mentor 1 to mentee 10 (the best score) and leave mentee 11 out
    mentors = [mentor(1, ("robotics",), ("tue-pm", "wed-pm")), mentor(2, (), ("tue-pm",))]
    mentees = [mentee(10, ("robotics",), ("tue-pm",)), mentee(11, (), ("wed-pm",))]
    suggestions, left_out = suggest(mentors, mentees, REQUIRED, TODAY)
    assert {(s.mentor_id, s.mentee_id) for s in suggestions} == {(1, 11), (2, 10)}
    assert left_out == []


def test_someone_taken_by_another_pair_is_told_so():
    suggestions, left_out = suggest(
        [mentor(1, ("chess",))], [mentee(10, ("chess",)), mentee(11)], REQUIRED, TODAY
    )
    assert [(s.mentor_id, s.mentee_id) for s in suggestions] == [(1, 10)]
    assert left_out[0].id == 11
    assert "suggested for another mentee" in left_out[0].reason


def test_taken_people_are_not_considered_nor_listed():
    suggestions, left_out = suggest(
        [mentor(1), mentor(2)],
        [mentee(10), mentee(11)],
        REQUIRED,
        TODAY,
        taken_mentors={1},
        taken_mentees={10},
    )
    assert [(s.mentor_id, s.mentee_id) for s in suggestions] == [(2, 11)]
    assert left_out == []


def test_nobody_gives_nothing():
    assert suggest([], [], DEFAULT_WEIGHTS, TODAY) == ([], [])


def test_missing_times_are_said():
    _, left_out = suggest([mentor(1, times=())], [mentee(10, times=())], REQUIRED, TODAY)
    assert all("No times are recorded" in u.reason for u in left_out)


# --- over random people ------------------------------------------------------------------

TIMES = ("mon-pm", "tue-pm", "wed-pm", "sat")
LANGUAGES = ("en", "es", "vi")
INTERESTS = ("art", "robotics", "chess", "football")
clearances = st.sampled_from([CLEARED, LAPSED, Clearance(None, None, "")])


mentors_st = st.lists(
    st.builds(
        mentor,
        st.integers(1, 40),
        st.lists(st.sampled_from(INTERESTS), max_size=3),
        st.lists(st.sampled_from(TIMES), max_size=3),
        st.lists(st.sampled_from(LANGUAGES), max_size=2),
        clearances,
    ),
    max_size=8,
    unique_by=lambda m: m.id,
)
mentees_st = st.lists(
    st.builds(
        mentee,
        st.integers(100, 140),
        st.lists(st.sampled_from(INTERESTS), max_size=3),
        st.lists(st.sampled_from(TIMES), max_size=3),
        st.lists(st.sampled_from(LANGUAGES), max_size=2),
    ),
    max_size=8,
    unique_by=lambda m: m.id,
)
weights_st = st.fixed_dictionaries(
    {
        "interests": st.sampled_from([0.0, 0.5, 1.0, 2.0]),
        "language": st.sampled_from([0.0, 0.5, 1.0, 1.5]),
        "times": st.sampled_from([0.0, 0.5, 1.0]),
    }
)


@settings(max_examples=150, deadline=None)
@given(mentors_st, mentees_st, weights_st, st.randoms(use_true_random=False))
def test_suggestions_keep_every_rule(mentors, mentees, weights, shuffle):
    suggestions, left_out = suggest(mentors, mentees, weights, TODAY)
    by_mentor = {m.id: m for m in mentors}
    by_mentee = {m.id: m for m in mentees}
    pairs = [(s.mentor_id, s.mentee_id) for s in suggestions]
    # one mentee per mentor, one mentor per mentee
    assert len({m for m, _ in pairs}) == len(pairs) == len({e for _, e in pairs})
    for suggestion in suggestions:
        a, b = by_mentor[suggestion.mentor_id], by_mentee[suggestion.mentee_id]
        assert a.clearance.valid_on(TODAY)
        assert set(a.times) & set(b.times)
        if weights["language"] >= 1.0:
            assert set(a.languages) & set(b.languages)
        assert suggestion.reasons and all(suggestion.reasons)
    # everyone is either in a pair or left out with a reason, never both
    paired = {("mentor", m) for m, _ in pairs} | {("mentee", e) for _, e in pairs}
    unpaired = {(u.kind, u.id) for u in left_out}
    assert not paired & unpaired
    everyone = {("mentor", m.id) for m in mentors} | {("mentee", m.id) for m in mentees}
    assert paired | unpaired == everyone
    assert all(u.reason for u in left_out)
    # the same people in another order give the same suggestion
    mentors_again, mentees_again = list(mentors), list(mentees)
    shuffle.shuffle(mentors_again)
    shuffle.shuffle(mentees_again)
    assert suggest(mentors_again, mentees_again, weights, TODAY) == (suggestions, left_out)


@settings(max_examples=100, deadline=None)
@given(mentors_st, mentees_st)
def test_no_pair_could_be_added(mentors, mentees):
    """The suggestion is as large as it can be: no unpaired mentor and mentee who fit."""
    suggestions, left_out = suggest(mentors, mentees, REQUIRED, TODAY)
    left_mentors = [m for m in mentors if ("mentor", m.id) in {(u.kind, u.id) for u in left_out}]
    left_mentees = [m for m in mentees if ("mentee", m.id) in {(u.kind, u.id) for u in left_out}]
    for a in left_mentors:
        for b in left_mentees:
            fits = (
                a.clearance.valid_on(TODAY)
                and set(a.times) & set(b.times)
                and set(a.languages) & set(b.languages)
            )
            assert not fits


def test_larger_programme_is_quick_and_complete():
    chooser = random.Random(7)
    mentors = [
        mentor(i, chooser.sample(INTERESTS, 2), chooser.sample(TIMES, 2), ("en",))
        for i in range(60)
    ]
    mentees = [
        mentee(100 + i, chooser.sample(INTERESTS, 2), chooser.sample(TIMES, 2), ("en",))
        for i in range(60)
    ]
    suggestions, left_out = suggest(mentors, mentees, REQUIRED, TODAY)
    assert len(suggestions) == 60 and left_out == []


def _best_by_trying_all(mentors, mentees, weights):
    """The most pairs, then the greatest total score, by trying every way to pair them."""
    single = {}
    for a in mentors:
        for b in mentees:
            found, _ = suggest([a], [b], weights, TODAY)
            if found:
                single[a.id, b.id] = round(found[0].score * 1000)

    def best(rest_mentors, rest_mentees):
        if not rest_mentors:
            return (0, 0)
        first, others = rest_mentors[0], rest_mentors[1:]
        options = [best(others, rest_mentees)]
        for b in rest_mentees:
            if (first.id, b.id) in single:
                count, total = best(others, [m for m in rest_mentees if m.id != b.id])
                options.append((count + 1, total + single[first.id, b.id]))
        return max(options)

    return best(list(mentors), list(mentees))


@settings(max_examples=80, deadline=None)
@given(mentors_st.map(lambda m: m[:4]), mentees_st.map(lambda m: m[:4]), weights_st)
def test_the_most_pairs_then_the_best_total(mentors, mentees, weights):
    suggestions, _ = suggest(mentors, mentees, weights, TODAY)
    got = (len(suggestions), sum(round(s.score * 1000) for s in suggestions))
    assert got == _best_by_trying_all(mentors, mentees, weights)
