"""The one way a notebook under ``lab/`` reads a team's data: :func:`team_data`, for the
team open in the app above it (its code typed in the app, never into a cell).

What it hands out is the data behind the pages' figures, before the pages' functions turn
it into them: assessments with every student named by the team's pseudonym (the ids and
names in the file are not in them; each student's group columns, such as ELL, are, for the
subgroup figures, which those functions hide below the team's minimum), the team's
evidence settings (not the key behind the pseudonyms), goals with their lines and
statuses, survey answers only for rounds with enough answers, norms checks as averages
(never one member's mark), and finished protocol runs with what their boards, votes and
checks came to (a member named only where the page names them). JupyterLab is not a
permission boundary (docs/access-and-privacy.md): this keeps an honest notebook to the
pages' privacy, not a determined reader out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import CollabError, NotFound
from collab_widgets.core.ui.notebook_style import drawn_by_voila
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence.model import AssessmentInfo, EvidenceSettings
from collab_widgets.evidence.privacy import ALREADY_PSEUDONYMS, pseudonym
from collab_widgets.evidence.scores import Scores
from collab_widgets.goals import store as goals_store
from collab_widgets.goals import team_goal
from collab_widgets.goals.model import Cycle
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.model import SurveyRound
from collab_widgets.instruments.schema import Instrument
from collab_widgets.instruments.scoring import summarise
from collab_widgets.live import store as live
from collab_widgets.live.model import FIST_LOW, Board
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.model import Meeting
from collab_widgets.meetings.store import NormCheckSummary
from collab_widgets.protocols import store as protocol_runs
from collab_widgets.protocols.model import Run, RunStep
from collab_widgets.team.model import Norm
from collab_widgets.team.store import norms


class NotebookMessage(CollabError):
    """What a notebook cell says instead of running on: the message is the whole story."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback
        return [str(self)]


class OpenTheTeamFirst(NotebookMessage):
    """The cell ran before a team was open in the app above it."""


class NothingSavedYet(NotebookMessage):
    """The team has nothing of what the cell looks at."""


T = TypeVar("T")


def first(found: Sequence[T], missing: str) -> T:
    """The first of ``found`` (the newest, as the pages list them), or ``missing`` said
    plainly when there is none."""
    if not found:
        raise NothingSavedYet(missing)
    return found[0]


def team_data(app) -> TeamData:
    """The saved data of the team open in ``app`` (a workbook's app, as the first cell of
    each notebook under ``lab/`` makes it), or of a :class:`TeamScope`.

    Raises :class:`OpenTheTeamFirst` until the app has a team open as a member or a coach:
    type the team code in the app (and take your name if it asks), then run the cell
    again."""
    if drawn_by_voila():
        raise NotebookMessage(
            "This notebook is for JupyterLab: open it there and run it. (As a page, the "
            "workbook itself shows these figures.)"
        )
    scope = app if isinstance(app, TeamScope) else getattr(app, "scope", None)
    # the team code alone opens only the page asking for a name
    if scope is None or (scope.member_id is None and not scope.actor.is_coach):
        raise OpenTheTeamFirst(
            "No team is open yet. Type your team code in the app above (and take your name "
            "if it asks for it), then run this cell again."
        )
    return TeamData(
        team=scope.team_name,
        today=team_goal.today(scope),
        evidence_settings=dataclasses.replace(
            evidence_store.settings(scope), pseudonym_salt=ALREADY_PSEUDONYMS
        ),
        _scope=scope,
    )


@dataclass(frozen=True)
class TeamData:
    """One team's saved data, read when asked for (a cell run again reads it again)."""

    team: str
    today: dt.date
    # the team's settings; in place of the key behind the pseudonyms, a mark that the
    # students are pseudonyms already (the page's functions then name them as they are)
    evidence_settings: EvidenceSettings
    _scope: TeamScope = dataclasses.field(repr=False)

    # --- evidence -------------------------------------------------------------------------

    def assessments(self) -> list[AssessmentInfo]:
        """The saved assessments, newest first, as the Evidence page lists them."""
        return evidence_store.assessments(self._scope)

    def scores(self, name: str) -> Scores:
        """An assessment by its name, every student named by pseudonym (also as the row
        index, so that two assessments still match the same student)."""
        found = [a for a in self.assessments() if a.name == name]
        if not found:
            names = ", ".join(f"“{a.name}”" for a in self.assessments()) or "none yet"
            raise NotFound(f"No assessment is called “{name}”. The team's: {names}.")
        return self._pseudonymised(saved.load(self._scope, found[0].id))

    def _pseudonymised(self, scores: Scores) -> Scores:
        settings = evidence_store.settings(self._scope)  # the key read, never kept
        names = pd.Index(
            [pseudonym(settings.pseudonym_salt, student) for student in scores.students.index],
            name="student",
            dtype=object,
        )
        students = scores.students.set_axis(names).assign(name=list(names))
        if not settings.compare_teachers:
            # the pages neither compare nor filter by teacher or section until the team
            # turns comparing on: nor do the notebooks
            students = students.assign(teacher="", section="")
        return dataclasses.replace(
            scores,
            points=scores.points.set_axis(names),
            choices=scores.choices.set_axis(names),
            students=students,
        )

    # --- goals ------------------------------------------------------------------------------

    def cycles(self) -> list[Cycle]:
        """The team's cycles of inquiry, as the Goals page lists them."""
        return goals_store.cycles(self._scope)

    def goals(self, cycle: Cycle) -> list[team_goal.GoalState]:
        """The cycle's saved goals, each with its line (None while incomplete) and status."""
        return [
            team_goal.state(self._scope, goal)
            for goal in goals_store.goals(self._scope, cycle.id)
            if goal.versions
        ]

    def line_starts(self, state: team_goal.GoalState) -> dt.date:
        """Where the goal's line starts: the day its baseline assessment was given."""
        return team_goal.starts(self._scope, state.goal)

    # --- pulse surveys ----------------------------------------------------------------------

    def instruments(self) -> dict[str, Instrument]:
        return load_instruments()

    def survey_rounds(self, instrument: str | None = None) -> list[SurveyRound]:
        """The survey rounds, oldest first (of one instrument, given its key)."""
        return surveys.rounds(self._scope, instrument)

    def survey_answers(self, survey: SurveyRound) -> list[dict[str, int]] | None:
        """A round's anonymous answers, or None while fewer than its minimum answered; a
        part of the survey fewer than the minimum answered is left out of every answer, as
        the page shows no figure for it."""
        answers = surveys.results(self._scope, survey.id)
        instrument = self.instruments().get(survey.instrument)
        if answers is None or instrument is None:
            return answers
        summary = summarise(instrument, answers, survey.min_respondents)
        hidden = {s.key for s in summary.subscales if not s.shown}
        left_out = {item.key for item in instrument.items if item.subscale in hidden}
        return [{k: v for k, v in answer.items() if k not in left_out} for answer in answers]

    # --- meetings and protocols ----------------------------------------------------------

    def meetings(self) -> list[Meeting]:
        """Every meeting, the most recent date first."""
        return meetings.all_meetings(self._scope)

    def norms(self) -> list[Norm]:
        """The team's norms in use (not retired)."""
        return norms.norms(self._scope, include_retired=False)

    def norms_check(self, meeting: Meeting) -> list[NormCheckSummary]:
        """A meeting's norms check: the average mark and number of marks per norm and
        phase (start, end); no one's own mark."""
        return meetings.check_summary(self._scope, meeting.id)

    def protocol_runs(self) -> list[Run]:
        """Finished protocol runs, newest first, as Earlier runs lists them."""
        return protocol_runs.past_runs(self._scope)

    def board(self, step: RunStep) -> Board:
        """What a run's step came to: its notes, the dots once the vote closed, the marks
        once the check closed. A mark names its member only where the page does: in a fist
        to five, a 0, 1 or 2, to be heard before the team decides."""
        board = live.board(self._scope, step.prompt_id)
        if board.marks is None:
            return board
        fist = board.prompt.kind == "fist-to-five"
        marks = tuple(
            mark
            if fist and mark.value <= FIST_LOW
            else dataclasses.replace(mark, member_id=0, member="")
            # by mark, not in the roster's order, which would tell whose each one is
            for mark in sorted(board.marks, key=lambda m: m.value)
        )
        return dataclasses.replace(board, marks=marks, my_mark=None)
