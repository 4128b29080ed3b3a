"""The SMART-goal builder's checks and statement, the progress status rule and the cycle
timeline: pure functions, no store."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from collab_widgets.core.model import ActivityEntry
from collab_widgets.goals import progress, smart, timeline
from collab_widgets.goals.model import (
    AVERAGE_PERCENT,
    COUNT_AT_BAND,
    DEFAULT_TOLERANCE,
    MEASURES,
    PERCENT_PROFICIENT,
    Checkpoint,
    GoalDraft,
)
from tests.unit.goals.goal_drafts import CONTEXT, VALID

COUNT = dataclasses.replace(
    VALID, measure=COUNT_AT_BAND, band="Meeting", baseline="20", target="36"
)


def _found(draft: GoalDraft, context: smart.GoalContext = CONTEXT) -> list[tuple[str, str]]:
    return [(f.field, f.kind) for f in smart.check(draft, context)]


TRIGGERS = [
    # (base, changes, field, kind, phrase in the message)
    (VALID, {"group": ""}, "group", smart.MISSING, "which students"),
    (VALID, {"group": "   "}, "group", smart.MISSING, "which students"),
    (VALID, {"group_size": "12.5"}, "group_size", smart.WRONG, "whole number"),
    (VALID, {"group_size": "0"}, "group_size", smart.WRONG, "whole number"),
    (VALID, {"group_size": "-3"}, "group_size", smart.WRONG, "whole number"),
    (VALID, {"group_size": "many"}, "group_size", smart.WRONG, "whole number"),
    (VALID, {"group_size": "9"}, "group_size", smart.WRONG, "fewer than 10 students"),
    (COUNT, {"group_size": ""}, "group_size", smart.MISSING, "how many students"),
    (VALID, {"learning_target": ""}, "learning_target", smart.MISSING, "what students will learn"),
    (VALID, {"learning_target": "fractions 4.NF.2"}, "learning_target", smart.MISSING, "specific"),
    (VALID, {"measure": ""}, "measure", smart.MISSING, "how progress is measured"),
    (VALID, {"measure": "median"}, "measure", smart.MISSING, "how progress is measured"),
    (COUNT, {"band": ""}, "band", smart.MISSING, "lowest band"),
    (COUNT, {"band": "Excellent"}, "band", smart.MISSING, "lowest band"),
    (VALID, {"baseline": ""}, "baseline", smart.MISSING, "No baseline"),
    (VALID, {"baseline": "abc"}, "baseline", smart.WRONG, "“abc” is not a number"),
    (VALID, {"baseline": "-1"}, "baseline", smart.WRONG, "0 or more"),
    (VALID, {"baseline": "101"}, "baseline", smart.WRONG, "at most 100"),
    (VALID, {"measure": AVERAGE_PERCENT, "baseline": "100.5"}, "baseline", smart.WRONG, "100"),
    (COUNT, {"baseline": "49"}, "baseline", smart.WRONG, "The group has 48 students"),
    (VALID, {"baseline_assessment_id": 99}, "baseline", smart.WRONG, "no longer there"),
    (VALID, {"target": ""}, "target", smart.MISSING, "No target"),
    (VALID, {"target": "lots"}, "target", smart.WRONG, "“lots” is not a number"),
    (VALID, {"target": "-5"}, "target", smart.WRONG, "0 or more"),
    (VALID, {"target": "120"}, "target", smart.WRONG, "at most 100"),
    (COUNT, {"target": "49"}, "target", smart.WRONG, "The group has 48 students"),
    (VALID, {"target": "40"}, "target", smart.WRONG, "above the baseline (40)"),
    (VALID, {"target": "30"}, "target", smart.WRONG, "above the baseline (40)"),
    (VALID, {"by_date": ""}, "by_date", smart.MISSING, "by when"),
    (VALID, {"by_date": "2026-02-30"}, "by_date", smart.WRONG, "not a date"),
    (VALID, {"by_date": "next Friday"}, "by_date", smart.WRONG, "not a date"),
    (VALID, {"by_date": "2026-10-14"}, "by_date", smart.WRONG, "has passed"),
    (VALID, {"by_date": "2026-12-19"}, "by_date", smart.WRONG, "cycle ends on 18 December 2026"),
    (VALID, {"tolerance": "abc"}, "tolerance", smart.WRONG, "from 0 to 50"),
    (VALID, {"tolerance": "50.5"}, "tolerance", smart.WRONG, "from 0 to 50"),
    (VALID, {"tolerance": "-1"}, "tolerance", smart.WRONG, "from 0 to 50"),
]


PASSES = [
    # (base, changes, context): the goal stays free of findings
    (VALID, {}, CONTEXT),
    (COUNT, {}, CONTEXT),
    (VALID, {"measure": AVERAGE_PERCENT}, CONTEXT),
    (VALID, {"group": "ELL students in Lee's class"}, CONTEXT),
    (VALID, {"group_size": ""}, CONTEXT),  # only the count measure needs it
    (VALID, {"group_size": "10"}, CONTEXT),  # exactly the privacy minimum
    (VALID, {"group_size": "12.0"}, CONTEXT),
    (VALID, {"group_size": "9"}, dataclasses.replace(CONTEXT, min_n=5)),
    (VALID, {"learning_target": "compare fractions (4.NF.2)"}, CONTEXT),
    (VALID, {"band": ""}, CONTEXT),  # a band matters for the count measure only
    (COUNT, {"band": "Exceeding"}, CONTEXT),
    (VALID, {"baseline": "0"}, CONTEXT),
    (VALID, {"baseline": "39,5 %"}, CONTEXT),
    (VALID, {"baseline_assessment_id": None}, CONTEXT),
    (VALID, {"target": "100"}, CONTEXT),
    (VALID, {"target": "40.5"}, CONTEXT),
    (COUNT, {"target": "48"}, CONTEXT),  # the whole group
    (COUNT, {"baseline": "0", "target": "1"}, CONTEXT),
    (VALID, {"by_date": "2026-10-15"}, CONTEXT),  # today
    (VALID, {"by_date": "2026-12-18"}, CONTEXT),  # the cycle's last day
    (VALID, {"tolerance": ""}, CONTEXT),
    (VALID, {"tolerance": "0"}, CONTEXT),
    (VALID, {"tolerance": "50"}, CONTEXT),
]


STARTS = dt.date(2026, 9, 1)


ENDS = STARTS + dt.timedelta(days=100)  # 2026-12-10


LINE = progress.Plan(baseline=40.0, target=90.0, starts=STARTS, ends=ENDS, tolerance=5.0)


DAY_50 = STARTS + dt.timedelta(days=50)  # the line is at 65 then; on track from 60


def _cp(taken_on: dt.date, value: float, id: int = 1) -> Checkpoint:
    return Checkpoint(id, taken_on, value, "", None)


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, 0)


def _entry(id: int, at: dt.datetime, kind: str = "goal", link: str | None = None):
    return ActivityEntry(id, at, kind, f"entry {id}", "Ana", link)


@pytest.mark.parametrize(
    "base,changes,field,kind,phrase",
    TRIGGERS,
    ids=[f"{t[2]}-{next(iter(t[1].values()))!r}" for t in TRIGGERS],
)
def test_each_check_triggers_on_its_own_field(base, changes, field, kind, phrase):
    findings = smart.check(dataclasses.replace(base, **changes), CONTEXT)
    # the one finding, on that field: nothing else is reported for the change
    assert [(f.field, f.kind) for f in findings] == [(field, kind)]
    assert phrase in findings[0].message


@pytest.mark.parametrize("base,changes,context", PASSES)
def test_each_check_passes_a_correct_field(base, changes, context):
    assert _found(dataclasses.replace(base, **changes), context) == []


def test_a_complete_goal_has_no_findings_and_saves():
    findings = smart.check(VALID, CONTEXT)
    assert findings == []
    assert smart.can_save(findings)


def test_a_goal_with_only_missing_parts_saves_but_lists_them():
    findings = smart.check(GoalDraft(), CONTEXT)
    assert {f.kind for f in findings} == {smart.MISSING}
    assert [f.field for f in findings] == [
        "group",
        "learning_target",
        "measure",
        "baseline",
        "target",
        "by_date",
    ]
    assert smart.can_save(findings)


def test_anything_wrong_stops_saving():
    findings = smart.check(dataclasses.replace(GoalDraft(), target="abc"), CONTEXT)
    assert smart.WRONG in {f.kind for f in findings}
    assert not smart.can_save(findings)
    assert not smart.can_save([smart.Finding("target", smart.WRONG, "x")])
    assert smart.can_save([smart.Finding("target", smart.MISSING, "x")])
    assert smart.can_save([])


def test_findings_grouped_by_field():
    draft = dataclasses.replace(VALID, baseline="-1", baseline_assessment_id=99, group="")
    grouped = smart.by_field(smart.check(draft, CONTEXT))
    assert sorted(grouped) == ["baseline", "group"]
    assert [f.kind for f in grouped["baseline"]] == [smart.WRONG, smart.WRONG]
    assert len(grouped["group"]) == 1


@pytest.mark.parametrize(
    "typed,value",
    [
        ("42", 42.0),
        ("42.5", 42.5),
        ("42,5", 42.5),
        ("42 %", 42.0),
        (" 7% ", 7.0),
        ("1,000", 1000.0),  # thousands, not a decimal comma
        ("12,345,678", 12345678.0),
        ("1,5", 1.5),
    ],
)
def test_numbers_as_people_type_them(typed, value):
    assert smart.number(typed) == value


@pytest.mark.parametrize("typed", ["nan", "inf", "-inf", "", "  ", "abc", None])
def test_what_is_not_a_number(typed):
    assert smart.number(typed) is None


def test_dates_are_real_iso_dates():
    assert smart.date(" 2026-12-18 ") == dt.date(2026, 12, 18)
    assert smart.date("2026-02-30") is None
    assert smart.date("18/12/2026") is None
    assert smart.date("") is None


def test_statement_for_percent_proficient():
    assert smart.statement(VALID) == (
        "By 11 December 2026, the percent of all our 4th graders proficient in compare "
        "fractions with unlike denominators will rise from 40% to 75%."
    )


def test_statement_for_average_percent_correct_names_the_assessment():
    draft = dataclasses.replace(VALID, measure=AVERAGE_PERCENT, baseline="62,5")
    assert smart.statement(draft, "“Unit 3 pre”") == (
        "By 11 December 2026, the average percent correct of all our 4th graders in compare "
        "fractions with unlike denominators will rise from 62.5% to 75%, as measured by "
        "“Unit 3 pre”."
    )


def test_statement_for_students_at_or_above_a_band():
    assert smart.statement(COUNT) == (
        "By 11 December 2026, the number of all our 4th graders at or above “Meeting” in "
        "compare fractions with unlike denominators will rise from 20 to 36."
    )


def test_statement_shows_what_is_not_written_yet_in_brackets():
    assert smart.statement(GoalDraft()) == (
        "By [date], [how it is measured] of [which students] in [what they will learn] will "
        "rise from [baseline] to [target]."
    )
    partial = GoalDraft(measure=COUNT_AT_BAND, by_date="next Friday", target="lots")
    text = smart.statement(partial)
    assert "“[band]”" in text and text.startswith("By [date],") and "to [target]." in text


def test_statement_keeps_markup_as_typed_text():
    draft = dataclasses.replace(VALID, group="<b>all</b> students", learning_target="a & b <i>")
    text = smart.statement(draft)
    assert "of <b>all</b> students proficient in a & b <i> will" in text
    assert "&lt;" not in text and "&amp;" not in text


def test_differences_list_only_changed_fields_with_labels():
    newer = dataclasses.replace(
        VALID, target="80", by_date="2026-12-18", baseline_assessment_id=None
    )
    assert smart.differences(VALID, newer) == [
        ("Baseline from", "7", "(none)"),
        ("Target", "75", "80"),
        ("By (date)", "2026-12-11", "2026-12-18"),
    ]
    assert smart.differences(VALID, VALID) == []
    assert smart.differences(GoalDraft(), GoalDraft(group="Grade 4")) == [
        ("Student group", "(none)", "Grade 4")
    ]


def test_every_draft_field_has_a_label():
    assert {f.name for f in dataclasses.fields(GoalDraft)} == set(smart.LABELS)
    assert set(MEASURES) == {PERCENT_PROFICIENT, AVERAGE_PERCENT, COUNT_AT_BAND}


def test_the_line_is_straight_and_clamped():
    assert LINE.expected(STARTS) == 40.0
    assert LINE.expected(DAY_50) == 65.0
    assert LINE.expected(STARTS + dt.timedelta(days=20)) == 50.0
    assert LINE.expected(ENDS) == 90.0
    assert LINE.expected(STARTS - dt.timedelta(days=30)) == 40.0
    assert LINE.expected(ENDS + dt.timedelta(days=30)) == 90.0
    same_day = dataclasses.replace(LINE, ends=STARTS)
    assert same_day.expected(STARTS - dt.timedelta(days=1)) == 90.0


def test_status_incomplete_without_a_line():
    assert progress.status(None, [_cp(DAY_50, 95)], DAY_50) == progress.INCOMPLETE


def test_status_not_started_without_checkpoints():
    assert progress.status(LINE, [], DAY_50) == progress.NOT_STARTED
    assert progress.status(LINE, (), ENDS + dt.timedelta(days=5)) == progress.NOT_STARTED


def test_status_met_when_the_latest_reaches_the_target_even_after_the_date():
    assert progress.status(LINE, [_cp(DAY_50, 90)], DAY_50) == progress.MET
    late = ENDS + dt.timedelta(days=20)
    assert progress.status(LINE, [_cp(ENDS + dt.timedelta(days=3), 91)], late) == progress.MET


def test_status_not_met_once_the_date_passed_below_the_target():
    checkpoints = [_cp(ENDS, 89.5)]
    assert progress.status(LINE, checkpoints, ENDS + dt.timedelta(days=1)) == progress.NOT_MET
    # on the target date itself it is still judged against the line
    assert progress.status(LINE, checkpoints, ENDS) == progress.ON_TRACK


def test_status_on_track_down_to_the_line_less_the_tolerance():
    assert progress.status(LINE, [_cp(DAY_50, 70)], DAY_50) == progress.ON_TRACK
    assert progress.status(LINE, [_cp(DAY_50, 65)], DAY_50) == progress.ON_TRACK
    assert progress.status(LINE, [_cp(DAY_50, 60.0)], DAY_50) == progress.ON_TRACK  # boundary


def test_status_at_risk_below_the_line_less_the_tolerance():
    assert progress.status(LINE, [_cp(DAY_50, 59.9)], DAY_50) == progress.AT_RISK
    no_slack = dataclasses.replace(LINE, tolerance=0.0)
    assert progress.status(no_slack, [_cp(DAY_50, 64.9)], DAY_50) == progress.AT_RISK


def test_the_latest_checkpoint_decides_not_the_highest():
    early_high = _cp(STARTS + dt.timedelta(days=10), 95, id=1)
    later_low = _cp(DAY_50, 50, id=2)
    assert progress.status(LINE, [later_low, early_high], DAY_50) == progress.AT_RISK
    assert progress.status(LINE, [early_high, later_low], DAY_50) == progress.AT_RISK
    # the same day: the one recorded last
    same_day = [_cp(DAY_50, 95, id=4), _cp(DAY_50, 50, id=3)]
    assert progress.status(LINE, same_day, DAY_50) == progress.MET


def test_plan_from_a_draft():
    draft = GoalDraft(baseline="40", target="90", by_date="2026-12-10", tolerance="8")
    line = progress.plan(draft, STARTS)
    assert line == progress.Plan(40.0, 90.0, STARTS, ENDS, 8.0)
    # the typed tolerance is the one the rule uses: 65 - 8 = 57 is still on track
    assert progress.status(line, [_cp(DAY_50, 57)], DAY_50) == progress.ON_TRACK
    assert progress.status(LINE, [_cp(DAY_50, 57)], DAY_50) == progress.AT_RISK
    blank = progress.plan(dataclasses.replace(draft, tolerance=""), STARTS)
    assert blank.tolerance == DEFAULT_TOLERANCE
    assert progress.plan(dataclasses.replace(draft, baseline="42,5 %"), STARTS).baseline == 42.5


@pytest.mark.parametrize(
    "changes", [{"baseline": ""}, {"target": "lots"}, {"by_date": "2026-02-30"}]
)
def test_no_plan_until_baseline_target_and_date_are_written(changes):
    draft = GoalDraft(baseline="40", target="90", by_date="2026-12-10")
    assert progress.plan(draft, STARTS) is not None
    assert progress.plan(dataclasses.replace(draft, **changes), STARTS) is None


def test_timeline_is_oldest_first_by_time_then_id():
    newest_first = [
        _entry(5, _at(3)),
        _entry(4, _at(2)),
        _entry(3, _at(2)),
        _entry(2, _at(1), kind="access"),
        _entry(1, _at(1)),
    ]
    shown = timeline.timeline(newest_first)
    assert [e.summary for e in shown] == ["entry 1", "entry 3", "entry 4", "entry 5"]
    assert shown[0].at == _at(1) and shown[0].who == "Ana" and shown[0].kind == "goal"


def test_timeline_leaves_out_code_changes():
    shown = timeline.timeline([_entry(1, _at(1), kind="access"), _entry(2, _at(1), "win")])
    assert [e.kind for e in shown] == ["win"]


def test_timeline_between_two_dates_inclusive():
    entries = [_entry(i, _at(i, hour=23)) for i in range(1, 6)]
    shown = timeline.timeline(entries, starts=dt.date(2026, 10, 2), ends=dt.date(2026, 10, 4))
    assert [e.summary for e in shown] == ["entry 2", "entry 3", "entry 4"]
    assert len(timeline.timeline(entries, starts=dt.date(2026, 10, 5))) == 1
    assert len(timeline.timeline(entries, ends=dt.date(2026, 10, 1))) == 1
    assert timeline.timeline([]) == []


@pytest.mark.parametrize(
    "link,notebook",
    [
        ("goal/3", "03_goal_setting.ipynb"),
        ("cycle/1", "03_goal_setting.ipynb"),
        ("win/9", "03_goal_setting.ipynb"),
        ("assessment/2", "02_evidence_analysis.ipynb"),
        ("run/4", "01_protocols.ipynb"),
        ("meeting/5", "00_start_here.ipynb"),
        ("norms", "00_start_here.ipynb"),
        ("something/1", None),
        ("", None),
        (None, None),
    ],
)
def test_timeline_points_back_to_the_workbook(link, notebook):
    [shown] = timeline.timeline([_entry(1, _at(1), link=link)])
    assert shown.notebook == notebook
