"""The demo's students working together, for Grade 4 Math: one teacher's class of 24 from
the unit's common assessment (synthetic students), balanced groups of four made from their
results, tutoring pairs on the standard the class missed most, and a teamwork check that
four groups have answered (one of them with ratings that raise flags). Deterministic: the
same groups and ratings every time (the student cards' codes are new each time)."""

from __future__ import annotations

import random

from collab_widgets.core.db import TeamScope
from collab_widgets.evidence import store as evidence
from collab_widgets.students import evidence_links, grouping, tutoring
from collab_widgets.students.evaluation import load_dimensions
from collab_widgets.students.model import Placement
from collab_widgets.students.store import classes, evaluations, groupings, student
from collab_widgets.team.store import teams

CLASS_NAME = "Room 12 (fractions)"
CLASS_SIZE = 24
GROUP_SIZE = 4
ANSWERED_GROUPS = 4
SEED = 7


def seed_students(team: TeamScope, tokens: dict[str, str]) -> int:
    """``team``: the coach's scope of the demo team; ``tokens``: its members' links. The
    class is the second member's (who already uses their personal link). Returns the
    class's id."""
    names = list(tokens)
    teacher = team.store.open_team(teams.team_code(team), tokens[names[1]])
    assessment_id = evidence.assessments(teacher)[0].id
    class_id = classes.create_class(teacher, CLASS_NAME)
    rows = evidence_links.students_of(teacher, assessment_id)[:CLASS_SIZE]
    classes.add_students(teacher, class_id, rows)
    roster = classes.roster(teacher, class_id)
    percents = evidence_links.percents(teacher, assessment_id, roster)
    ids = tuple(str(s.id) for s in roster)
    names_by_id = {str(s.id): s.display_name for s in roster}
    problem = grouping.Problem(
        students=ids,
        group_size=GROUP_SIZE,
        criteria=(
            grouping.Criterion(
                "Percent on the unit assessment",
                "number",
                {str(k): v for k, v in percents.items()},
                weight=3,
            ),
        ),
        apart=(frozenset(ids[:2]),),
    )
    made = grouping.make_groups(problem, seed=SEED)
    settings = {  # as the Groups tab saves them, so that it shows what they were made from
        "by": "size",
        "size": GROUP_SIZE,
        "groups": CLASS_SIZE // GROUP_SIZE,
        "criteria": [
            {
                "kind": "percent",
                "assessment": assessment_id,
                "standard": None,
                "attribute": None,
                "weight": 3,
                "aim": "mix",
            }
        ],
        "apart": [sorted(ids[:2])],
        "together": [],
        "seed": SEED,
    }
    grouping_id = groupings.save(
        teacher,
        class_id,
        "groups",
        "Project teams",
        settings,
        made.score,
        [Placement(int(i), g + 1) for i, g in made.assignment.items()],
    )
    _tutoring_pairs(teacher, class_id, assessment_id, roster, names_by_id)
    _teamwork_check(teacher, class_id, grouping_id, made.assignment)
    return class_id


def _tutoring_pairs(teacher, class_id, assessment_id, roster, names_by_id) -> None:
    standards = evidence_links.standards(teacher, assessment_id)
    standard = standards[0] if standards else None
    scores = evidence_links.percents(teacher, assessment_id, roster, standard)
    known = {str(k): v for k, v in scores.items() if v is not None}
    pairs = tutoring.make_pairs(known, secure=80.0, names=names_by_id)
    placements = []
    for number, pair in enumerate(pairs):
        placements.append(Placement(int(pair.tutor), number + 1, "tutor"))
        placements.append(Placement(int(pair.tutee), number + 1, "tutee"))
        if pair.third:
            placements.append(Placement(int(pair.third), number + 1, "third"))
    settings = {  # as the Peer tutoring tab saves them
        "assessment": assessment_id,
        "standard": standard,
        "items": [],
        "rule": "rank",
        "secure": 80.0,
        "sessions": 8,
        "swap_every": 1,
    }
    groupings.save(
        teacher,
        class_id,
        "tutoring",
        f"Pairs on {standard or 'the unit'}",
        settings,
        None,
        placements,
    )


def _teamwork_check(teacher, class_id, grouping_id, assignment: dict[str, int]) -> None:
    """Four groups answer: most rate fairly; in one, a student rates themself far above
    what their teammates say, and another gives everyone the same level."""
    evaluation_id = evaluations.open_evaluation(teacher, class_id, grouping_id, "Week 1 check")
    code = classes.class_info(teacher, class_id).code
    by_group: dict[int, list[int]] = {}
    for sid, group in sorted(assignment.items(), key=lambda item: int(item[0])):
        by_group.setdefault(group, []).append(int(sid))
    answering = [by_group[g] for g in sorted(by_group)[:ANSWERED_GROUPS]]
    cards = classes.issue_student_codes(teacher, class_id, [i for g in answering for i in g])
    dimensions = load_dimensions()
    rng = random.Random(SEED)
    for number, members in enumerate(answering):
        for rater in members:
            session = student.signed_in(teacher.store, code, cards[rater])
            ratings = {}
            for ratee in members:
                for dimension in dimensions:
                    level = min(5, max(1, round(rng.gauss(3.8, 0.6))))
                    if number == 0 and rater == members[0]:
                        level = 5 if ratee == rater else 3  # far above the others' view
                    elif number == 0 and rater == members[1]:
                        level = 4  # the same level for everyone
                    elif number == 0 and ratee == members[0]:
                        level = 2
                    ratings[(ratee, dimension.id)] = level
            student.save_evaluation(teacher.store, session, evaluation_id, ratings, {}, dimensions)
