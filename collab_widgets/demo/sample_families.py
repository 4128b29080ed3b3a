"""The demo's families, for the class "Room 12 (fractions)" of Grade 4 Math (made by
:mod:`.sample_students`): a family per student, invented parents and carers for ten of
them (three families read their page in Spanish), each with their own link; tonight's
class family meeting on the standard the unit assessed first, graphed from the unit's
common assessment, six families present and two 60-day goals set on the families' own
pages; conference times next week (one chosen by a family) and a family workshop
(one family signed up). Deterministic but for the link codes, which are keys: they are
stored only as fingerprints, so :func:`seed_families` returns them (child's shown name ->
the first person's link code) for whoever needs to open a family page."""

from __future__ import annotations

import datetime as dt

from collab_widgets.core.db import TeamScope
from collab_widgets.evidence import store as evidence
from collab_widgets.families import library
from collab_widgets.families.api import FAMILY_LIMIT
from collab_widgets.families.rules import GoalDraft
from collab_widgets.families.store import class_meetings, conferences, family_workshops, guardians
from collab_widgets.families.store import family as family_page
from collab_widgets.students import evidence_links
from collab_widgets.students.store import classes
from collab_widgets.team.store import teams

# invented people, as the teacher calls them; a family per line, from the class's first
PEOPLE = [
    ["Carmen (mother)", "David (father)"],
    ["Sra. Lucía Gómez"],
    ["Grace (grandmother)"],
    ["Mr. Okafor"],
    ["Fatima (mother)"],
    ["Sr. Andrés Ruiz"],
    ["Hiro (father)"],
    ["Irene (aunt)"],
    ["Jamal (father)"],
    ["Sra. Elena Torres"],
]
SPANISH = (1, 5, 9)  # the families that read their page in Spanish
PRESENT = (0, 1, 2, 4, 5, 8)
# two families present at the meeting, with a result under 90, set a goal on their page
GOALS = (
    ("Play fraction strips together after dinner", 4),
    ("Cook together and measure halves and quarters", 3),
)
ADDRESS = "127.0.0.1"  # the demo signs families in as if from this machine


def seed_families(team: TeamScope, tokens: dict[str, str], class_id: int) -> dict[str, str]:
    """``team``: the coach's scope of the demo team; ``tokens``: its members' links;
    ``class_id``: the class of :func:`~.sample_students.seed_students` (the second
    member's). Returns each family with a link: child's shown name -> its first person's
    link code."""
    names = list(tokens)
    teacher = team.store.open_team(teams.team_code(team), tokens[names[1]])
    store, today = teacher.store, teacher.store.clock.today()
    guardians.open_families(teacher, class_id)
    found = guardians.families(teacher, class_id)
    firsts: dict[int, int] = {}  # family id -> its first person's id
    for index, people in enumerate(PEOPLE[: len(found)]):
        family_id = found[index].id
        for person in people:
            guardian_id = guardians.add_guardian(teacher, family_id, person)
            firsts.setdefault(family_id, guardian_id)
        if index in SPANISH:
            guardians.set_language(teacher, family_id, "es")
    issued = guardians.issue_links(teacher, class_id)
    codes = {found[i].child: issued[firsts[found[i].id]] for i in range(len(firsts))}
    sessions = {
        i: family_page.sign_in(store, issued[firsts[found[i].id]], ADDRESS, FAMILY_LIMIT)
        for i in range(len(firsts))
    }

    meeting_id, results = _meeting(teacher, class_id, today)
    for index in PRESENT:
        class_meetings.set_present(teacher, meeting_id, found[index].id, True)
    setting = [i for i in PRESENT if (results.get(found[i].student_id) or 0) < 90]
    for index, (practice, times) in zip(setting, GOALS, strict=False):
        now = results.get(found[index].student_id) or 0
        target = 80 if now < 70 else 95
        _, problems = family_page.save_goal(
            store, sessions[index], meeting_id, GoalDraft(practice, str(times), str(target)), None
        )
        if problems:
            raise ValueError(f"the demo's goal is refused: {problems}")

    conferences.add_slots(
        teacher, class_id, "individual", today + dt.timedelta(days=7), "15:00", 20, 6
    )
    first_time = conferences.slots(teacher, class_id)[0]
    family_page.choose_slot(store, sessions[2], first_time.id)
    workshop_id = family_workshops.add_workshop(
        teacher,
        class_id,
        {"en": "Fraction games at home", "es": "Juegos de fracciones en casa"},
        today + dt.timedelta(days=14),
        "17:30",
        "School library",
        "learning-at-home",
    )
    family_page.sign_up(store, sessions[1], workshop_id, True)
    return codes


def _meeting(teacher: TeamScope, class_id: int, today: dt.date):
    """Tonight's class family meeting, from the unit's common assessment (the
    newest) on its first standard. Returns its id and the children's results."""
    assessment = evidence.assessments(teacher)[0]
    standards = evidence_links.standards(teacher, assessment.id)
    # the class works on fractions: the first fractions standard (4.NF.1), else the first
    standard = next((s for s in standards if ".NF." in s), standards[0] if standards else None)
    roster = classes.roster(teacher, class_id)
    results = evidence_links.percents(teacher, assessment.id, roster, standard)
    activities = [
        {
            "title": dict(a.title),
            "materials": dict(a.materials),
            "steps": {lang: list(steps) for lang, steps in a.steps.items()},
        }
        for a in library.activities_for("fractions", 4)[:2]
    ]
    meeting_id = class_meetings.prepare_meeting(
        teacher,
        class_id,
        title="Fractions family night",
        held_on=today,  # families write their goals on the meeting's day
        starts_at="18:00",
        skill=standard or "Fractions",
        assessment_id=assessment.id,
        assessment_name=assessment.name,
        results=results,
        agenda=[{"title": dict(i.title), "minutes": i.minutes} for i in library.load_agenda()],
        activities=activities,
    )
    return meeting_id, results
