"""The one way a notebook under ``lab/`` reads a team's data: :func:`team_data`, for the
team open in the app above it (its code typed in the app, never into a cell).

What it hands out is what the pages show, before their formatting: assessments with every
student named by the team's pseudonym (the id and name in the file are not in it), the
team's evidence settings (bands, cut points, smallest group, but not the key behind the
pseudonyms), goals with their lines and statuses, and survey answers only for rounds with
enough answers; meetings' norms checks as averages (never one member's mark), and finished
protocol runs with what their boards, votes and checks came to. JupyterLab is not a
permission boundary (docs/access-and-privacy.md): this keeps a teacher's notebook to what
their pages show, not a determined reader out."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import CollabError, NotFound
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence_store
from collab_widgets.evidence.model import AssessmentInfo, EvidenceSettings
from collab_widgets.evidence.privacy import pseudonym
from collab_widgets.evidence.scores import Scores
from collab_widgets.goals import store as goals_store
from collab_widgets.goals import team_goal
from collab_widgets.goals.model import Cycle
from collab_widgets.instruments import store as surveys
from collab_widgets.instruments.library import load_instruments
from collab_widgets.instruments.model import SurveyRound
from collab_widgets.instruments.schema import Instrument
from collab_widgets.live import store as live
from collab_widgets.live.model import Board
from collab_widgets.meetings import store as meetings
from collab_widgets.meetings.model import Meeting
from collab_widgets.meetings.store import NormCheckSummary
from collab_widgets.protocols import store as protocol_runs
from collab_widgets.protocols.model import Run, RunStep
from collab_widgets.team.model import Norm
from collab_widgets.team.store import norms


class OpenTheTeamFirst(CollabError):
    """The cell ran before a team was open in the app above it."""

    def _render_traceback_(self) -> list[str]:
        # IPython shows this instead of a traceback: the message is the whole story
        return [str(self)]


def team_data(app) -> TeamData:
    """The saved data of the team open in ``app`` (a workbook's app, as the first cell of
    each notebook under ``lab/`` makes it), or of a :class:`TeamScope`.

    Raises :class:`OpenTheTeamFirst` until the app has a team open: type the team code in
    the app (and take your name if it asks), then run the cell again."""
    scope = app if isinstance(app, TeamScope) else getattr(app, "scope", None)
    if scope is None:
        raise OpenTheTeamFirst(
            "No team is open yet. Type your team code in the app above (and take your name "
            "if it asks for it), then run this cell again."
        )
    settings = evidence_store.settings(scope)
    return TeamData(
        team=scope.team_name,
        today=team_goal.today(scope),
        evidence_settings=dataclasses.replace(settings, pseudonym_salt=""),
        _scope=scope,
    )


@dataclass(frozen=True)
class TeamData:
    """One team's saved data, read when asked for (a cell run again reads it again)."""

    team: str
    today: dt.date
    evidence_settings: EvidenceSettings  # without the key behind the pseudonyms
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
        salt = evidence_store.settings(self._scope).pseudonym_salt  # read, never kept
        names = pd.Index(
            [pseudonym(salt, student) for student in scores.students.index],
            name="student",
            dtype=object,
        )
        students = scores.students.set_axis(names).assign(name=list(names))
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
        """A round's anonymous answers, or None while fewer than its minimum answered."""
        return surveys.results(self._scope, survey.id)

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
        once the check closed."""
        return live.board(self._scope, step.prompt_id)
