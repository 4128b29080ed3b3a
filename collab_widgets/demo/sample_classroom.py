"""The demo's classroom practice, for Grade 4 Math: a plan written together with two kept
versions, a lesson study at its debrief with two observers' notes on the research lesson,
and one peer observation. Synthetic, deterministic; case students are pseudonyms."""

from __future__ import annotations

from collab_widgets.classroom import cycle_links, rules
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.cycle_links import current_cycle
from collab_widgets.core.db import TeamScope
from collab_widgets.evidence import store as evidence
from collab_widgets.team.store import members, teams

TEAM = "Grade 4 Math"
PLAN = "Fractions on a number line (lesson 3)"
SECTIONS = {
    "target": "I can place a fraction on a number line and explain where it goes.",
    "criteria": "I split the whole into equal parts.\nI count the parts from zero.\n"
    "I can say why 3/4 is closer to 1 than 1/2 is.",
    "groups": "Question 3 group: pre-teach equal parts with fraction strips at the small "
    "table during the warm-up.\nQuestion 4 group: place fractions greater than 1 and "
    "explain to a partner.",
    "materials": "Fraction strips, number line mats, exit ticket.",
}
TASKS = (
    ("Warm-up: which is bigger, 1/2 or 2/3? Turn and talk.", 8, None),
    (
        "Launch: where does 3/4 go on the line? Students place it on their mats.",
        12,
        "station-teaching",
    ),
    (
        "Partner work: place five fractions; the second adult pulls the question 3 group.",
        20,
        "alternative-teaching",
    ),
    ("Share and exit ticket.", 10, None),
)
ZERO = "I count the parts from zero."
WHY = "I can say why 3/4 is closer to 1 than 1/2 is."
EQUAL = "I split the whole into equal parts."
# (case student, what the observer saw, the task it happened in, the criterion)
NOTES = (
    (0, "Counted the tick marks, not the spaces, and put 3/4 at the third mark.", 2, ZERO),
    (1, "Folded a strip into fourths before placing 3/4; said “one piece short of 1”.", 2, WHY),
    (0, "Asked a partner whether the line must start at 0.", 3, EQUAL),
    (1, "Used the strip to check; wrote 2/4 = 1/2 beside the line.", 3, None),
    (2, "Explained to the table why 5/4 goes past 1.", 4, None),
)
PEER_NOTES = (
    "Six students answered the opening question; four of them from the front table.",
    "After the wait time, two more hands went up; one student changed her answer.",
    "Students at the back asked each other before asking the teacher.",
)


def seed_classroom(team: TeamScope, tokens: dict[str, str]) -> None:
    """``team``: the coach's scope of the demo team; ``tokens``: its members' links.

    The first member leads (written as the coach acting for them). The next three already
    use their personal links (a note and a peer observation are a member's own), which
    takes their names; the first and the last stay free for the team link to hand out."""
    names = list(tokens)
    roster = {m.name: m.id for m in members.roster(team)}
    code = teams.team_code(team)
    lead = team.as_member(roster[names[0]])
    second, third, fourth = (team.store.open_team(code, tokens[n]) for n in names[1:4])
    cycle_id = _cycle_id(lead)
    plan_id = classroom.create_plan(lead, PLAN, cycle_id)
    classroom.set_standard(lead, plan_id, "4.NF.2")
    for key, text in SECTIONS.items():
        first_draft = text.splitlines()[0] if key == "criteria" else text
        classroom.set_plan_text(lead, plan_id, key, first_draft, None)
    for task, minutes, approach in TASKS[:3]:
        classroom.add_segment(second, plan_id, task, minutes, approach)
    classroom.save_version(lead, plan_id, "First draft")
    classroom.set_plan_text(second, plan_id, "criteria", SECTIONS["criteria"], None)
    classroom.add_segment(third, plan_id, *TASKS[3])
    classroom.save_version(second, plan_id, "Ready to teach")

    study_id = classroom.create_study(lead, "Making sense of fractions as numbers", cycle_id)
    classroom.set_study_text(
        lead,
        study_id,
        "theme",
        "Students who explain their thinking about fractions with pictures and words, "
        "towards our goal for the fractions unit.",
        None,
    )
    classroom.set_study_text(
        second,
        study_id,
        "study_notes",
        "The number line is where many students first see a fraction as a number. The unit "
        "test showed most misses on placing fractions between 0 and 1.",
        None,
    )
    classroom.set_research_lesson(lead, study_id, plan_id)
    classroom.set_teacher(lead, study_id, lead.member_id)
    assessment_id = _latest_assessment(lead)
    if assessment_id is not None:
        available = sorted(cycle_links.assessment_students(lead, assessment_id))
        classroom.set_case_students(lead, study_id, assessment_id, available[:3])
    for stage in (rules.STUDY, rules.PLAN, rules.TEACH):
        classroom.move(lead, study_id, stage)
    study = classroom.get_study(lead, study_id)
    plan = classroom.get_plan(lead, plan_id)
    for observer_index, (case, text, task, criterion) in enumerate(NOTES):
        observer = (second, third)[observer_index % 2]
        segment = plan.segments[task - 1]
        classroom.add_note(
            observer,
            study_id,
            text,
            case_student=study.case_students[case] if case < len(study.case_students) else None,
            criterion=criterion,
            segment=f"{task}. {segment.task.splitlines()[0][:80]}",
        )
    classroom.move(lead, study_id, rules.DEBRIEF)

    peer_id = classroom.invite(
        fourth,
        second.member_id,
        "Who answers my questions, and how long I wait.",
        "Who answered; wait time",
        "student-discourse",
    )
    classroom.peer_lesson(second, peer_id, start=True)
    for text in PEER_NOTES:
        classroom.add_peer_note(second, peer_id, text)
    classroom.peer_lesson(second, peer_id, start=False)
    classroom.set_peer_text(
        second, peer_id, "glows", "Wait time brought two more students in.", None
    )


def _cycle_id(scope: TeamScope) -> int | None:
    cycle = current_cycle(scope)
    return cycle.id if cycle else None


def _latest_assessment(scope: TeamScope) -> int | None:
    found = evidence.assessments(scope)
    return found[0].id if found else None
