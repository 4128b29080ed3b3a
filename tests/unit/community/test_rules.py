"""The community rules: partner names, agreements and their reminders, hours and
participants, a mentor's clearance and a match's flags, coverage and small counts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collab_widgets.community import rules
from collab_widgets.community.model import Agreement, Clearance, Coverage, PlanActivity
from collab_widgets.core.errors import InvalidInput
from collab_widgets.families.library import INVOLVEMENT_IDS

D = dt.date


def agreement(id_, starts, ends, partner_id=1, partner="City Library", title=None):
    return Agreement(id_, partner_id, partner, title or f"Agreement {id_}", starts, ends)


def planned(id_, involvement, happened=None):
    return PlanActivity(id_, 1, f"Activity {id_}", involvement, D(2026, 3, 1), "Ms Lee", 20,
                        happened, None)  # fmt: skip


# --- names and agreements ----------------------------------------------------------------


def test_fold_ignores_case_and_runs_of_spaces():
    assert rules.fold("  City   LIBRARY ") == rules.fold("city library") == "city library"


def test_agreement_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidInput, match="before it starts"):
        rules.check_agreement(D(2026, 6, 1), D(2026, 5, 31), [])


def test_overlapping_agreement_is_refused_naming_the_other():
    other = agreement(7, D(2025, 9, 1), D(2026, 6, 30), title="Reading buddies")
    with pytest.raises(InvalidInput) as refused:
        rules.check_agreement(D(2026, 6, 30), D(2027, 6, 30), [other])
    message = str(refused.value)
    assert "Reading buddies" in message
    assert "01 September 2025" in message and "30 June 2026" in message


def test_agreement_starting_the_day_after_another_ends_is_accepted():
    other = agreement(7, D(2025, 9, 1), D(2026, 6, 30))
    rules.check_agreement(D(2026, 7, 1), D(2027, 6, 30), [other])
    rules.check_agreement(D(2026, 7, 1), D(2026, 7, 1), [])  # one day is an agreement too


# --- reminders ---------------------------------------------------------------------------

TODAY = D(2026, 6, 10)


def test_reminds_of_an_agreement_ending_within_30_days():
    ends_soon = agreement(1, D(2025, 7, 1), D(2026, 6, 30), title="STEM fair")
    [reminder] = rules.lapse_reminders([ends_soon], TODAY)
    assert reminder.days_left == 20
    assert reminder.message == (
        "The agreement “STEM fair” with City Library ends in 20 days, on 30 June 2026. "
        "Renew it with the partner, or plan without it."
    )


def test_reminds_of_an_agreement_that_lapsed_in_the_last_30_days():
    lapsed = agreement(1, D(2025, 6, 1), D(2026, 5, 31))
    [reminder] = rules.lapse_reminders([lapsed], TODAY)
    assert reminder.days_left == -10
    assert "ended 10 days ago, on 31 May 2026" in reminder.message


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        (D(2026, 7, 10), 30),  # the last day counted
        (D(2026, 7, 11), None),  # too far off
        (D(2026, 5, 11), -30),
        (D(2026, 5, 10), None),  # lapsed too long ago: old news
        (D(2026, 6, 10), 0),
    ],
)
def test_reminder_window_edges(ends, expected):
    found = rules.lapse_reminders([agreement(1, D(2025, 1, 1), ends)], TODAY)
    assert [r.days_left for r in found] == ([] if expected is None else [expected])


def test_today_and_tomorrow_are_said_in_words():
    today = rules.lapse_reminders([agreement(1, D(2026, 1, 1), TODAY)], TODAY)
    tomorrow = rules.lapse_reminders([agreement(1, D(2026, 1, 1), D(2026, 6, 11))], TODAY)
    assert "ends today, 10 June 2026" in today[0].message
    assert "ends tomorrow, 11 June 2026" in tomorrow[0].message


def test_no_reminder_when_the_next_agreement_starts_by_the_day_after():
    ending = agreement(1, D(2025, 7, 1), D(2026, 6, 30))
    renewed = agreement(2, D(2026, 7, 1), D(2027, 6, 30))
    assert rules.lapse_reminders([ending, renewed], TODAY) == []


def test_reminder_when_the_next_agreement_leaves_a_gap_or_is_another_partner():
    ending = agreement(1, D(2025, 7, 1), D(2026, 6, 30))
    after_gap = agreement(2, D(2026, 7, 2), D(2027, 6, 30))
    other_partner = agreement(3, D(2026, 7, 1), D(2027, 6, 30), partner_id=2, partner="Zoo")
    found = rules.lapse_reminders([ending, after_gap, other_partner], TODAY)
    assert [r.agreement.id for r in found] == [1]


def test_reminders_soonest_first():
    later = agreement(1, D(2025, 7, 1), D(2026, 7, 1), partner_id=1)
    lapsed = agreement(2, D(2025, 7, 1), D(2026, 6, 1), partner_id=2, partner="Zoo")
    sooner = agreement(3, D(2025, 7, 1), D(2026, 6, 15), partner_id=3, partner="Bank")
    found = rules.lapse_reminders([later, lapsed, sooner], TODAY, within_days=30)
    assert [r.days_left for r in found] == [-9, 5, 21]


# --- hours and participants --------------------------------------------------------------


@pytest.mark.parametrize("hours", [0.5, 1, 24])
def test_hours_in_range_are_kept(hours):
    assert rules.check_hours(hours, rules.MAX_HOURS_A_DAY) == float(hours)


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0, "more than 0"),
        (-2, "more than 0"),
        (24.5, "most allowed, 24"),
        (float("nan"), "must be a number"),
        (float("inf"), "must be a number"),
        ("3", "must be a number"),
        (True, "must be a number"),
    ],
)
def test_hours_out_of_range_are_refused_saying_the_limit(hours, words):
    with pytest.raises(InvalidInput, match=words) as refused:
        rules.check_hours(hours, rules.MAX_HOURS_A_DAY)
    assert "24" in str(refused.value)


def test_placement_hours_limit():
    assert rules.check_hours(2000, rules.MAX_PLACEMENT_HOURS) == 2000.0
    with pytest.raises(InvalidInput, match="2000"):
        rules.check_hours(2000.5, rules.MAX_PLACEMENT_HOURS)


@pytest.mark.parametrize("n", [0, 1, 100_000, 12.0])
def test_participants_in_range(n):
    assert rules.check_participants(n) == int(n)


@pytest.mark.parametrize("n", [-1, 100_001, 2.5, "12", None, True])
def test_participants_out_of_range_are_refused(n):
    with pytest.raises(InvalidInput, match="100,000"):
        rules.check_participants(n)


# --- clearance and flags -----------------------------------------------------------------

CLEARED = Clearance(D(2025, 9, 1), D(2026, 8, 31), "Ms Park, HR")


@pytest.mark.parametrize("day", [D(2025, 9, 1), D(2026, 3, 1), D(2026, 8, 31)])
def test_clearance_valid_from_the_check_to_its_expiry(day):
    assert rules.clearance_problem(CLEARED, day) is None


def test_clearance_expired_is_a_problem_saying_when():
    problem = rules.clearance_problem(CLEARED, D(2026, 9, 1))
    assert "lapsed on 31 August 2026" in problem


def test_clearance_not_yet_valid_or_missing():
    assert "not valid until 01 September 2025" in rules.clearance_problem(CLEARED, D(2025, 8, 1))
    none = Clearance(None, None, "")
    assert "No clearance is recorded" in rules.clearance_problem(none, D(2026, 1, 1))
    half = Clearance(D(2025, 9, 1), None, "Ms Park")
    assert "No clearance is recorded" in rules.clearance_problem(half, D(2026, 1, 1))


def test_lapsed_clearance_flags_the_match():
    flags = rules.match_flags(CLEARED, D(2026, 9, 1), D(2026, 1, 5), D(2026, 9, 2), 60)
    assert flags == ("clearance lapsed on 31 August 2026",)


def test_quiet_match_is_flagged_after_three_weeks():
    started = D(2026, 1, 5)
    assert rules.match_flags(CLEARED, D(2026, 3, 1), started, D(2026, 3, 22), 60) == ()
    flags = rules.match_flags(CLEARED, D(2026, 3, 1), started, D(2026, 3, 23), 60)
    assert flags == ("no meeting logged for 3 weeks",)
    flags = rules.match_flags(CLEARED, D(2026, 3, 1), started, D(2026, 4, 5), 60)
    assert flags == ("no meeting logged for 5 weeks",)


def test_never_met_counts_from_the_start():
    flags = rules.match_flags(CLEARED, None, D(2026, 1, 5), D(2026, 2, 2), 60)
    assert flags == ("no meeting logged for 4 weeks",)
    assert rules.match_flags(CLEARED, None, D(2026, 1, 5), D(2026, 1, 26), 60) == ()


def test_both_flags_and_no_weekly_expectation():
    none = Clearance(None, None, "")
    flags = rules.match_flags(none, None, D(2026, 1, 5), D(2026, 6, 1), 60)
    assert flags == ("no clearance recorded", "no meeting logged for 21 weeks")  # 147 days
    assert rules.match_flags(CLEARED, None, D(2026, 1, 5), D(2026, 6, 1), 0) == ()


# --- coverage and small counts -----------------------------------------------------------


def test_coverage_counts_by_hand():
    plan = [
        planned(1, "parenting", happened=True),
        planned(2, "parenting", happened=False),
        planned(3, "parenting"),
        planned(4, "volunteering", happened=True),
    ]
    done = {
        "parenting": {"plan": 1, "family meetings": 3},
        "collaborating-with-community": {"mentoring": 12, "service": 4, "careers": 0},
    }
    found = rules.coverage(plan, done)
    assert [c.involvement for c in found] == list(INVOLVEMENT_IDS)
    by_type = {c.involvement: c for c in found}
    assert by_type["parenting"] == Coverage("parenting", 3, 1, 4, {"plan": 1, "family meetings": 3})
    assert by_type["volunteering"] == Coverage("volunteering", 1, 1, 0, {})
    assert by_type["communicating"] == Coverage("communicating", 0, 0, 0, {})
    community = by_type["collaborating-with-community"]
    assert (community.planned, community.happened, community.done) == (0, 0, 16)
    assert community.sources == {"mentoring": 12, "service": 4}


def test_coverage_of_nothing_is_six_zeros():
    found = rules.coverage([], {})
    assert len(found) == 6
    assert all(c.planned == c.happened == c.done == 0 for c in found)


@given(st.lists(st.tuples(st.sampled_from(INVOLVEMENT_IDS), st.sampled_from([None, True, False]))))
def test_coverage_totals_add_up(items):
    plan = [planned(i, kind, happened) for i, (kind, happened) in enumerate(items)]
    found = rules.coverage(plan, {})
    assert sum(c.planned for c in found) == len(items)
    assert sum(c.happened for c in found) == sum(1 for _, h in items if h)


@pytest.mark.parametrize(("count", "shown"), [(0, None), (4, None), (5, 5), (120, 120)])
def test_small_counts_are_hidden(count, shown):
    assert rules.suppressed(count) == shown


def test_minimum_can_be_given():
    assert rules.suppressed(9, minimum=10) is None
    assert rules.suppressed(10, minimum=10) == 10


def test_coverage_chart_is_a_png_with_alt_text_naming_each_type():
    plan = [planned(1, "parenting", happened=True), planned(2, "communicating")]
    chart = rules.coverage_chart(rules.coverage(plan, {"parenting": {"plan": 1, "x": 2}}))
    assert chart.png.startswith(b"\x89PNG")
    assert "Parenting: 1 planned (1 happened), 3 done" in chart.alt
    assert "Communicating: 1 planned (0 happened), 0 done" in chart.alt
    assert "Collaborating with the community: 0 planned" in chart.alt


def test_the_evaluations_tallies_by_hand():
    from collab_widgets.community.model import PlanActivity

    def activity(happened, expected, came):
        return PlanActivity(
            0, 0, "A", "volunteering", dt.date(2026, 10, 1), "", expected, happened, came
        )

    tally = rules.outcomes(
        [
            activity(True, 40, 35),
            activity(True, 10, None),
            activity(False, 20, None),
            activity(None, 5, None),
        ]
    )
    assert (tally.planned, tally.happened, tally.not_happened, tally.unsaid) == (4, 2, 1, 1)
    assert (tally.expected, tally.came) == (50, 35)  # only those that happened


def test_a_line_and_a_passage_are_checked_alike():
    assert rules.line("  Riverside   Food  Bank ", "the name", 40) == "Riverside Food Bank"
    assert rules.passage("  first line\n  second \n", "the note", 40) == "first line\n  second"
    for typed in (None, 5, "   "):  # from code as from the page: refused in words
        with pytest.raises(InvalidInput, match="Type the name"):
            rules.line(typed, "the name", 40)
        with pytest.raises(InvalidInput, match="Write the note"):
            rules.passage(typed, "the note", 40, required=True)
    assert rules.passage(None, "the note", 40) == ""
    with pytest.raises(InvalidInput, match="The name is too long: keep it under 4 characters"):
        rules.line("Riverside", "the name", 4)
