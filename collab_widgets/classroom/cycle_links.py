"""What classroom practice takes from the cycle of inquiry: the current cycle, its
essential standards (its "what must students learn" and the standards of its linked
assessments' items), an assessment's students by pseudonym, its goal, and the question 3
and 4 groups of its latest assessment."""

from __future__ import annotations

from collab_widgets.core.db import TeamScope
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.privacy import display_names
from collab_widgets.goals import store as goals
from collab_widgets.goals import team_goal
from collab_widgets.goals.model import Cycle


def current_cycle(scope: TeamScope) -> Cycle | None:
    """The cycle running today, else the newest."""
    today = scope.store.clock.today()
    cycles = goals.cycles(scope)
    return next((c for c in cycles if c.starts_on <= today <= c.ends_on), None) or (
        cycles[0] if cycles else None
    )


def essential_standards(scope: TeamScope, cycle: Cycle | None) -> list[str]:
    if cycle is None:
        return []
    found = [line.strip(" -•*\t") for line in cycle.must_learn.splitlines()]
    for info in evidence.assessments(scope):
        if info.id in cycle.assessment_ids:
            items = saved.load(scope, info.id).items
            found += [str(s) for s in items["standard"].tolist()]
    return list(dict.fromkeys(s[:200] for s in found if s))


def assessment_students(scope: TeamScope, assessment_id: int) -> set[str]:
    """The assessment's students as the team's pages name them (pseudonyms): those a
    lesson study's case students are chosen from."""
    scores = saved.load(scope, assessment_id)
    salt = evidence.settings(scope).pseudonym_salt
    return set(display_names(scores.students, salt).astype(str))


def goal_statement(scope: TeamScope, cycle: Cycle | None) -> str:
    if cycle is None:
        return ""
    saved_goals = [g for g in goals.goals(scope, cycle.id) if g.versions]
    return saved_goals[0].latest.statement if saved_goals else ""


def groups_lines(scope: TeamScope, cycle: Cycle | None) -> list[str]:
    if cycle is None:
        return ["Plan a cycle of inquiry (Goals page) to see its question 3 and 4 groups here."]
    return team_goal.groups_summary(scope, cycle)


def linked_assessments(scope: TeamScope, cycle: Cycle | None) -> list[tuple[str, int]]:
    """The assessments case students can come from: the cycle's first, then the rest."""
    infos = evidence.assessments(scope)
    linked = set(cycle.assessment_ids) if cycle else set()
    ordered = [a for a in infos if a.id in linked] + [a for a in infos if a.id not in linked]
    return [(a.name, a.id) for a in ordered]
