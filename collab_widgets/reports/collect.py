"""Gathering a meeting's record from the store, with every privacy rule applied on the way
in: the team's reflection synthesis only (never a member's own), survey results only from
the minimum number of answers up (and never one answer), evidence charts of the whole
group with small groups suppressed as in every view, anonymous board notes without names,
and no student names (charts and figures only)."""

from __future__ import annotations

import datetime as dt

from collab_widgets.actions import store as actions
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.practice_library import load_approaches
from collab_widgets.classroom.rules import SECTIONS
from collab_widgets.core import charts
from collab_widgets.core.db import TeamScope
from collab_widgets.evidence import saved, views
from collab_widgets.evidence import store as evidence_store
from collab_widgets.goals import progress, smart, team_goal
from collab_widgets.goals import store as goal_store
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.scoring import agreement, summarise
from collab_widgets.live import store as live
from collab_widgets.live.rules import (
    consensus_sentence,
    dots_line,
    expected_hands,
    spread,
    vote_results,
)
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.model import Meeting
from collab_widgets.protocols import store as runs
from collab_widgets.reflection import store as reflections
from collab_widgets.reports.record import (
    EvidenceSection,
    GoalLine,
    MeetingRecord,
    NormsLine,
    PlanLine,
    ProtocolNotes,
    ProtocolStep,
    RecordChart,
    SurveyLine,
)
from collab_widgets.team.norms_check import meeting_chart
from collab_widgets.team.store import members, norms

WINS_WITHOUT_EARLIER_MEETING = dt.timedelta(days=30)


def _chart(chart) -> RecordChart | None:
    return None if chart is None else RecordChart(chart.alt.split(".")[0], chart.png, chart.alt)


def collect(scope: TeamScope, meeting_id: int) -> MeetingRecord:
    meeting = meetings.get(scope, meeting_id)
    roster = members.roster(scope)
    return MeetingRecord(
        team=scope.team_name,
        title=meeting.title,
        date=meeting.date,
        present=tuple(m.name for m in roster if m.id in meeting.present),
        absent=tuple(m.name for m in roster if m.id not in meeting.present),
        roles=tuple((role, m.name) for role, m in members.current_roles(scope).items() if m),
        agenda=tuple((item.title, item.minutes) for item in meeting.agenda),
        norms=_norms(scope, meeting_id),
        norms_chart=_chart(meeting_chart(scope, meeting_id)),
        wins=_wins(scope, meeting),
        goals=_goals(scope, meeting.date),
        evidence=_evidence(scope, meeting_id),
        protocols=_protocols(scope, meeting_id),
        plans=_plans(scope, meeting.date),
        lesson_studies=tuple((s.title, s.stage_name) for s in classroom.studies(scope)),
        reflection=reflections.synthesis(scope, meeting_id),
        surveys=_surveys(scope, meeting_id),
        decisions=tuple(actions.decisions(scope, meeting_id)),
        actions=_actions(scope, meeting_id),
        generated_at=scope.store.now(),
    )


def _norms(scope: TeamScope, meeting_id: int) -> tuple[NormsLine, ...]:
    summary = meetings.check_summary(scope, meeting_id)
    lines = []
    for norm in norms.norms(scope):
        marks = {s.phase: s for s in summary if s.norm_id == norm.id}
        if not marks:
            continue
        start, end = marks.get("start"), marks.get("end")
        lines.append(
            NormsLine(
                norm.text,
                start.mean if start else None,
                end.mean if end else None,
                sum(s.count for s in marks.values()),
            )
        )
    return tuple(lines)


def _wins(scope: TeamScope, meeting: Meeting) -> tuple[str, ...]:
    """Wins posted since the meeting before this one, up to this one's day."""
    earlier = [m.date for m in meetings.all_meetings(scope) if m.date < meeting.date]
    since = max(earlier) if earlier else meeting.date - WINS_WITHOUT_EARLIER_MEETING
    return tuple(
        w.text
        for w in reversed(goal_store.wins(scope, limit=200))
        if since < w.posted_at.date() <= meeting.date
    )


def _goals(scope: TeamScope, on: dt.date) -> tuple[GoalLine, ...]:
    cycles = goal_store.cycles(scope)
    current = [c for c in cycles if c.starts_on <= on <= c.ends_on] or cycles[:1]
    lines = []
    for cycle in current:
        for goal in goal_store.goals(scope, cycle.id):
            if not goal.versions:
                continue
            state = team_goal.state(scope, goal)
            unit = "%" if smart.is_percent(goal.latest.draft.measure) else ""
            line = state.line
            chart = None
            if line is not None:
                chart = charts.goal_progress(
                    goal.latest.statement,
                    line.starts,
                    line.baseline,
                    line.ends,
                    line.target,
                    [(c.taken_on, c.value) for c in goal.checkpoints],
                    unit,
                    line.tolerance,
                )
            lines.append(
                GoalLine(
                    goal.latest.statement,
                    state.status,
                    progress.explain(line, goal.checkpoints, team_goal.today(scope), unit),
                    _chart(chart),
                )
            )
    return tuple(lines)


def _hands(scope: TeamScope, meeting_id: int) -> tuple[int, str]:
    """Whom the meeting's fist-to-five checks expect a hand from (see consensus_sentence)."""
    present = len(meetings.get(scope, meeting_id).present)
    return expected_hands(present, len(members.roster(scope)))


def _board_texts(scope: TeamScope, prompt_id: int, hands: tuple[int, str]) -> tuple[str, ...]:
    """A step's board notes (never their authors), a closed dot vote's choices with their
    dots (most first, as the board shows them), or what its closed check came to."""
    board = live.board(scope, prompt_id)
    if board.prompt.kind == "dot-vote" and board.totals is not None:
        ranked = vote_results(board.notes, board.totals)
        return tuple(dots_line(n.text, dots) for n, dots in ranked if n.text.strip())
    texts = tuple(n.text for n in board.notes if n.text.strip())
    if board.prompt.kind == "dot-vote" and texts:
        texts += ("The vote was not closed, so its dots were not counted.",)
    if board.prompt.kind == "fist-to-five" and board.marks:
        low, high = board.prompt.mark_range
        texts += (consensus_sentence(spread(board.marks, low, high, fist=True), *hands),)
    return texts


def _evidence(scope: TeamScope, meeting_id: int) -> tuple[EvidenceSection, ...]:
    settings = evidence_store.settings(scope)
    known = {a.id for a in evidence_store.assessments(scope)}
    sections = []
    hands = _hands(scope, meeting_id)
    for run in runs.past_runs(scope, meeting_id=meeting_id):
        if run.assessment_id is None or run.assessment_id not in known:
            continue
        scores = saved.load(scope, run.assessment_id)
        _, chart = views.items_view(scores, settings)
        observations = []
        for step in run.steps:
            observations += [
                f"{step.title}: {text}" for text in _board_texts(scope, step.prompt_id, hands)
            ]
            if step.notes.strip():
                observations.append(f"{step.title} (recorder): {step.notes}")
        sections.append(EvidenceSection(scores.name, (_chart(chart),), tuple(observations)))
    return tuple(sections)


def _protocols(scope: TeamScope, meeting_id: int) -> tuple[ProtocolNotes, ...]:
    hands = _hands(scope, meeting_id)
    return tuple(
        ProtocolNotes(
            run.title,
            tuple(
                ProtocolStep(step.title, step.notes, _board_texts(scope, step.prompt_id, hands))
                for step in run.steps
            ),
        )
        for run in reversed(runs.past_runs(scope, meeting_id=meeting_id))
    )


def _plans(scope: TeamScope, day: dt.date) -> tuple[PlanLine, ...]:
    """The plans the team kept a version of on the meeting's day, as kept then. (A lesson
    study's debrief is a protocol run of the meeting: it is among the protocol notes.)"""
    names = {a.key: a.title for a in load_approaches().sorted()}
    return tuple(
        PlanLine(
            title,
            version.label,
            version.content.standard,
            tuple((name, version.content.sections.get(key, "")) for key, name in SECTIONS.items()),
            tuple(
                (task, minutes, names.get(approach, approach) if approach else "one teacher")
                for task, minutes, approach in version.content.segments
            ),
        )
        for title, version in classroom.versions_saved_on(scope, day)
    )


def _surveys(scope: TeamScope, meeting_id: int) -> tuple[SurveyLine, ...]:
    library = load_instruments()
    lines = []
    for survey in surveys.rounds(scope):
        if survey.meeting_id != meeting_id or survey.instrument not in library:
            continue
        instrument = library[survey.instrument]
        answers = surveys.results(scope, survey.id)
        if answers is None:
            lines.append(
                SurveyLine(
                    survey.title,
                    survey.answered,
                    False,
                    note=f"Results show once {survey.min_respondents} members have answered.",
                )
            )
            continue
        summary = summarise(instrument, answers, survey.min_respondents)
        lines.append(
            SurveyLine(
                survey.title,
                summary.respondents,
                summary.shown,
                tuple(
                    (s.title, s.mean, agreement(s.sd, instrument.scale.min, instrument.scale.max))
                    for s in summary.subscales
                    if s.mean is not None
                ),
            )
        )
    return tuple(lines)


def _actions(scope: TeamScope, meeting_id: int) -> tuple:
    carried = actions.carried_into(scope, meeting_id)
    made_here = [a for a in actions.actions(scope) if a.meeting_id == meeting_id]
    seen = {a.id for a in carried}
    return tuple(carried + [a for a in made_here if a.id not in seen])
