"""Synthetic demo data: coaches, teams, members, norms, roles, meetings, protocol runs,
assessments, cycles with goals, checkpoints and wins.

Deterministic for a given "today" (the injectable clock): the same names, norms, marks and
dates every time. Codes are random (they are keys). No real people or students.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from collab_widgets.community.store import schools
from collab_widgets.core import clock
from collab_widgets.core.db import CoachScope, Store, TeamScope
from collab_widgets.demo.sample_classroom import TEAM as CLASSROOM_TEAM
from collab_widgets.demo.sample_classroom import seed_classroom
from collab_widgets.demo.sample_community import seed_community
from collab_widgets.demo.sample_families import seed_families
from collab_widgets.demo.sample_students import seed_students
from collab_widgets.goals.model import AVERAGE_PERCENT, COUNT_AT_BAND, PERCENT_PROFICIENT, GoalDraft
from collab_widgets.live import store as live
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.team.model import CHECK_PHASES
from collab_widgets.team.norm_library import load_suggestions
from collab_widgets.team.store import members, norms, teams

SEED = 2026

DEMO_TEAMS = {
    "Grade 4 Math": ["Avery M.", "Jordan K.", "Priya S.", "Mateo R.", "Lin W."],
    "Grade 7 Science": ["Sam O.", "Noor A.", "Diego F.", "Hana T."],
    "English 9": ["Chris B.", "Amara N.", "Tomás L.", "Yuki I.", "Rosa G.", "Ben D."],
}


@dataclass
class DemoData:
    coach_code: str
    team_codes: dict[str, str] = field(default_factory=dict)
    member_tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    # each demo family with a link: child's shown name -> its first person's link code
    # (stored only as fingerprints, so kept here for whoever opens a family page)
    family_codes: dict[str, str] = field(default_factory=dict)
    # the school's coordinator's and principal's link codes, and each mentor's page code
    # (kept as fingerprints only, like the families')
    school_codes: dict[str, str] = field(default_factory=dict)
    mentor_codes: dict[str, str] = field(default_factory=dict)


def seed_demo(store: Store) -> DemoData:
    """Add the demo teams to ``store`` under the first coach (created if needed)."""
    rng = random.Random(SEED)
    _, coach_code, _ = teams.first_coach_code(store)
    coach = store.open_coach(coach_code)
    demo = DemoData(coach_code)
    suggestions = load_suggestions()
    today = store.clock.today()
    for team_name, names in DEMO_TEAMS.items():
        scope = teams.create_team(coach, team_name)
        roster = [members.add(scope, name) for name in names]
        demo.team_codes[team_name] = teams.team_code(scope)
        demo.member_tokens[team_name] = {m.name: m.token for m in roster}
        for _ in range(rng.randint(2, 5)):
            members.rotate_roles(scope)
        chosen = []
        for category in ("time", "listening", "confidentiality", "decision-making"):
            chosen.append(norms.add(scope, category, rng.choice(suggestions[category])))
        past = meetings.create(scope, today - dt.timedelta(days=14), "Unit 3 common assessment")
        meetings.create(scope, today + dt.timedelta(days=rng.randint(1, 6)), "Team meeting")
        for member in roster:
            present = rng.random() > 0.15
            meetings.set_attendance(scope, past.id, member.id, present)
            if not present:
                continue
            as_member = scope.as_member(member.id)
            for norm in chosen:
                for phase in CHECK_PHASES:
                    rating = min(4, max(1, round(rng.gauss(3.0 if phase == "start" else 3.3, 0.7))))
                    meetings.check_norm(as_member, past.id, norm.id, phase, rating)
        post = _assessments(scope.as_member(roster[0].id), team_name, past.date)
        about = post if DEMO_RUNS[team_name]["protocol"] == "looking-at-data" else None
        _protocol_run(scope, past, DEMO_RUNS[team_name], rng, about)
        _cycle_and_goals(scope, roster, team_name, today)
        _pulse_surveys(scope, roster, today, rng)
        _follow_up(scope, roster, past, team_name, rng)
        if team_name == CLASSROOM_TEAM:
            seed_classroom(scope, demo.member_tokens[team_name])
            class_id = seed_students(scope, demo.member_tokens[team_name])
            demo.family_codes = seed_families(scope, demo.member_tokens[team_name], class_id)
            community = seed_community(store, schools.school_of_coach(coach), class_id)
            demo.school_codes = {
                "coordinator": community.coordinator,
                "principal": community.principal,
            }
            demo.mentor_codes = community.mentors
    return demo


def _assessments(scope, team_name: str, post_date: dt.date) -> int:
    """The team's pre and post common assessment (synthetic students, see sample_scores);
    returns the post assessment's id."""
    from collab_widgets.demo.sample_scores import assessment, item_map
    from collab_widgets.evidence import saved
    from collab_widgets.evidence.scores import read_scores

    key = item_map(team_name)
    for which, name, given_on in (
        ("pre", "Unit 3 pre-assessment", post_date - dt.timedelta(days=35)),
        ("post", "Unit 3 common assessment", post_date - dt.timedelta(days=2)),
    ):
        scores = read_scores(assessment(team_name, which), key=key)
        saved_id = saved.save(
            scope, scores, name, given_on=given_on, file_name=f"unit3_{which}.csv"
        )
    return saved_id


# What each demo team did in its past meeting: a protocol, and what members contributed
# per step (board notes, a recorder's note, dots or marks). Invented; no real students.
DEMO_RUNS = {
    "Grade 4 Math": {
        "protocol": "looking-at-data",
        "notes": {
            "describe": [
                "62% answered item 4 (comparing fractions) correctly.",
                "Most wrong answers on item 4 chose B: the fraction with the larger denominator.",
                "Items 1-3 are above 85% in every class.",
                "Nine students left item 7 (the word problem) blank.",
            ],
            "interpret": [
                "Some students may think a bigger denominator means a bigger fraction.",
                "The reading load of item 7 may hide what students know.",
            ],
            "implications": [
                "Start from fraction strips and number lines before symbols.",
                "Read word problems aloud together for a week.",
            ],
            "next-steps": [
                "Small-group reteach on comparing fractions, twice this week.",
                "Number-line warm-ups for two weeks.",
                "Exit ticket with item-4-style questions next Friday.",
            ],
        },
        "recorder": {
            "describe": "Item 4 is the outlier; the distractor pattern is the same in all classes.",
            "next-steps": "We try the small-group reteach and the exit ticket first.",
        },
    },
    "Grade 7 Science": {
        "protocol": "fist-to-five",
        "recorder": {
            "proposal": "Proposal: all four classes use the same lab-report rubric from unit 4.",
            "record": "Agreed (everyone at 3 or above on the second check). Start in unit 4.",
        },
        # one mark per member in roster order: Diego has doubts, then is won over
        "marks": {"first-check": (4, 5, 2, 3), "second-check": (4, 5, 3, 4)},
    },
    "English 9": {
        "protocol": "chalk-talk",
        "anonymous": True,
        "notes": {
            "silent-writing": [
                "Feedback helps when it points to one thing to fix next.",
                "Students read comments only when a grade is not attached.",
                "A short conference does more than a page of comments.",
                "Could students give each other feedback with our rubric?",
            ],
        },
        "recorder": {"share": "Themes: one focus per comment; separate grades and comments."},
    },
}


def _protocol_run(
    scope, meeting, plan: dict, rng: random.Random, assessment_id: int | None = None
) -> None:
    """Run ``plan``'s protocol through the store as the meeting did, step by step, with
    the clock at the meeting's time (then back to what it was)."""
    protocol = load_library(folder="").get(plan["protocol"])
    people = members.roster(scope)
    held = members.current_roles(scope)
    roles = {
        r: held[r].id
        for r in ("facilitator", "recorder", "timekeeper")
        if r in protocol.roles and r in held
    }
    if "presenter" in protocol.roles:
        roles["presenter"] = next(m.id for m in people if m.id not in roles.values())
    leader = scope.as_member(roles["facilitator"])
    start = dt.datetime.combine(meeting.date, dt.time(15, 30), tzinfo=dt.UTC)
    previous = clock.use_clock(clock.FixedClock(start))
    try:
        run_id = runs.start_run(
            leader, protocol, meeting.id, roles, plan.get("anonymous"), assessment_id
        )
        recorder = scope.as_member(roles.get("recorder", roles["facilitator"]))
        for position, step in enumerate(protocol.steps):
            prompt = runs.get_run(leader, run_id).current_prompt_id
            for text in plan.get("notes", {}).get(step.key, []):
                live.add_note(scope.as_member(rng.choice(people).id), prompt, text)
            if step.key in plan.get("recorder", {}):
                runs.set_step_notes(recorder, run_id, position, plan["recorder"][step.key])
            if step.input == "dot-vote":
                choices = [n.id for n in live.board(leader, prompt).notes]
                for member in people:
                    for _ in range(step.dots):
                        live.vote(scope.as_member(member.id), prompt, rng.choice(choices), 1)
                live.close_prompt(leader, prompt)
            if step.key in plan.get("marks", {}):
                for member, value in zip(people, plan["marks"][step.key], strict=True):
                    live.mark(scope.as_member(member.id), prompt, value)
                live.close_prompt(leader, prompt)
            clock.get_clock().advance(minutes=step.minutes + rng.choice((-1, 0, 1)))
            runs.control(leader, run_id, runner.advance)
    finally:
        clock.use_clock(previous)


# Each team's goal this cycle and where its latest checkpoint leaves it (invented):
# "above_line" is how far today's exit ticket sits from the goal line, so that the demo
# shows each status: on track (above the line), at risk (well under it), met.
DEMO_GOALS = {
    "Grade 4 Math": {
        "cycle": "Unit 3: fractions",
        "learning_target": "comparing fractions with unlike denominators (4.NF.2)",
        "measure": PERCENT_PROFICIENT,
        "above_line": 3.0,
        "wins": [
            "Three students who never volunteered explained their fraction strips to the class.",
            "The number-line warm-up cut wrong answers on item 4 in half.",
        ],
    },
    "Grade 7 Science": {
        "cycle": "Unit 3: lab reports",
        "learning_target": "writing a claim supported by evidence and reasoning",
        "measure": AVERAGE_PERCENT,
        "above_line": -12.0,
        "wins": ["Every class used the shared lab-report rubric this week."],
    },
    "English 9": {
        "cycle": "Unit 3: feedback that moves writing",
        "learning_target": "revising an argument paragraph from one focused piece of feedback",
        "measure": AVERAGE_PERCENT,
        "met": True,
        "wins": ["Students asked for conferences instead of written comments."],
    },
}


def _cycle_and_goals(scope, roster, team_name: str, today: dt.date) -> None:
    """A cycle of inquiry mid-way: its four questions and common assessments; its goal in
    two versions (the second raising the target once the common assessment was in), the
    baseline from the pre-assessment, checkpoints from the common assessment and an exit
    ticket; a second goal with no checkpoint yet (not started); wins. English 9 also has
    an earlier, closed cycle whose goal was not met."""
    from collab_widgets.evidence import store as evidence_store
    from collab_widgets.goals import (
        smart,
        team_goal,  # pandas only where demo data is made
    )
    from collab_widgets.goals import store as goal_store

    plan = DEMO_GOALS[team_name]
    member, other = scope.as_member(roster[0].id), scope.as_member(roster[1].id)
    by = today + dt.timedelta(days=28)
    cycle_id = goal_store.create_cycle(member, plan["cycle"], today - dt.timedelta(days=56), by)
    pre, post = sorted(evidence_store.assessments(member), key=lambda a: a.given_on)
    for assessment in (pre, post):
        goal_store.link_assessment(member, cycle_id, assessment.id, True)
    answers = {
        "must_learn": plan["learning_target"].capitalize() + ".",
        "how_know": f"{pre.name}, then {post.name}; exit tickets in between.",
        "respond": "Small-group reteach twice a week for the intervention group, with a short "
        "check after each.",
        "extend": "Open problems for the extension group, and explaining strategies to peers.",
    }
    for question, text in answers.items():
        goal_store.set_answer(member, cycle_id, question, text)
    cycle = goal_store.get_cycle(member, cycle_id)
    goal_store.update_cycle(member, cycle_id, cycle.title, cycle.starts_on, by, "responding")
    draft = GoalDraft(
        group="all our students",
        learning_target=plan["learning_target"],
        measure=plan["measure"],
        by_date=by.isoformat(),
    )
    draft = team_goal.baseline_from(member, draft, pre.id)
    baseline = float(draft.baseline)
    reached = float(team_goal.baseline_from(member, draft, post.id).baseline)
    goal_id = goal_store.new_goal(member, cycle_id, draft)
    first = replace(draft, target=f"{min(95, baseline + 10):.0f}")
    team_goal.save_version(member, cycle, goal_id, first)
    # the common assessment's figure, then the target the team sets from it
    if plan.get("met"):
        target = max(baseline + 1, reached - 1)
    else:
        target = min(95, max(reached, baseline) + 15)
    second = replace(first, target=f"{target:.0f}")
    team_goal.save_version(other, cycle, goal_id, second)
    state = team_goal.checkpoint_from(member, goal_store.get_goal(member, goal_id), post.id)
    if not plan.get("met"):
        ticket = state.line.expected(today) + plan["above_line"]
        team_goal.add_checkpoint(other, goal_id, today.isoformat(), f"{ticket:.0f}", "Exit ticket")
    # a second goal, measured in students, with no checkpoint yet
    count = replace(
        draft,
        group="all our students",
        measure=COUNT_AT_BAND,
        band=evidence_store.settings(member).band_names[2],
        target="",
    )
    count = team_goal.baseline_from(member, count, pre.id)
    count = replace(count, target=f"{float(count.baseline) + 10:.0f}")
    team_goal.save_version(member, cycle, goal_store.new_goal(member, cycle_id, count), count)
    for author, text in zip(roster[2:], plan["wins"], strict=False):
        goal_store.post_win(scope.as_member(author.id), text)
    if team_name == "English 9":
        _closed_cycle(member, today, smart)


def _closed_cycle(member, today: dt.date, smart) -> None:
    """Last unit's cycle, closed: its goal's date passed under the target (not met).
    Written as the store keeps it (the builder would now refuse a date in the past)."""
    from collab_widgets.goals import store as goal_store

    ends = today - dt.timedelta(days=63)
    cycle_id = goal_store.create_cycle(
        member, "Unit 2: evidence in essays", ends - dt.timedelta(days=42), ends
    )
    cycle = goal_store.get_cycle(member, cycle_id)
    goal_store.update_cycle(member, cycle_id, cycle.title, cycle.starts_on, ends, "closed")
    draft = GoalDraft(
        group="all our students",
        group_size="96",
        learning_target="citing two pieces of evidence for each claim",
        measure=AVERAGE_PERCENT,
        baseline="48",
        target="65",
        by_date=ends.isoformat(),
    )
    goal_id = goal_store.new_goal(member, cycle_id, draft)
    goal_store.save_version(member, goal_id, draft, smart.statement(draft))
    goal_store.add_checkpoint(
        member, goal_id, ends - dt.timedelta(days=10), 57, "Essay rubric, second draft"
    )


# The collective-efficacy pulse through the year: each round's average rises, the spread
# narrows (invented, on the instrument's 1-6 scale).
PULSE_ROUNDS = ((330, 3.3, 1.1), (240, 3.7, 1.0), (150, 4.1, 0.8), (60, 4.5, 0.7))
DEMO_FOLLOW_UP = {
    "reflection": {
        "what": "We looked at the common assessment together and saw the same mistake in every "
        "class.",
        "so_what": "The mistake comes from how we all introduced the idea: too fast, too abstract.",
        "now_what": "Concrete examples first, in small groups; an exit ticket in two weeks "
        "tells us if it worked.",
    },
    "private": "I realise I rushed the introduction this year.",
    "decisions": [
        ("Reteach the unit's hardest idea in small groups twice a week.", "consensus", ""),
        ("Give the same exit ticket in every class in two weeks.", "vote", "5 for, 0 against"),
    ],
    # (text, status, days from the meeting to the due date)
    "actions": [
        ("Plan the small-group reteach lessons", "done", 3),
        ("Write the two-week exit ticket", "in progress", 10),
        ("Share the warm-up routines with the team", "open", 5),  # overdue by today
        ("Ask the coach for a co-teaching visit", "open", 21),
        ("Order new classroom materials", "dropped", 7),
    ],
}


def _answers(instrument, mean: float, spread: float, rng: random.Random) -> dict[str, int]:
    """One member's answer around ``mean`` (reverse items answered the other way)."""
    low, high = instrument.scale.min, instrument.scale.max
    answer = {}
    for item in instrument.items:
        value = min(high, max(low, round(rng.gauss(mean, spread))))
        answer[item.key] = low + high - value if item.reverse else value
    return answer


def _pulse_surveys(scope, roster, today: dt.date, rng: random.Random) -> None:
    """Four rounds of the collective-efficacy pulse over the year, everyone answering."""
    from collab_widgets.instruments import store as surveys
    from collab_widgets.instruments.library import load_instruments

    instrument = load_instruments()["collective-efficacy"]
    leader = scope.as_member(members.current_roles(scope)["facilitator"].id)
    for days, mean, spread in PULSE_ROUNDS:
        when = dt.datetime.combine(today - dt.timedelta(days=days), dt.time(16), tzinfo=dt.UTC)
        previous = clock.use_clock(clock.FixedClock(when))
        try:
            round_id = surveys.open_round(leader, instrument.key, instrument.title, 3)
            for member in roster:
                surveys.answer(
                    scope.as_member(member.id), round_id, _answers(instrument, mean, spread, rng)
                )
            surveys.close_round(leader, round_id)
        finally:
            clock.use_clock(previous)


def _follow_up(scope, roster, meeting, team_name: str, rng: random.Random) -> None:
    """After the past meeting: reflections (one private), the team-health check, the
    decisions, actions in every status (one overdue by today), a win from before it."""
    from collab_widgets.actions import store as actions
    from collab_widgets.goals import store as goal_store
    from collab_widgets.instruments import store as surveys
    from collab_widgets.instruments.library import load_instruments
    from collab_widgets.reflection import store as reflections

    plan = DEMO_FOLLOW_UP
    after = dt.datetime.combine(meeting.date, dt.time(16, 45), tzinfo=dt.UTC)
    previous = clock.use_clock(clock.FixedClock(after - dt.timedelta(days=3)))
    try:
        goal_store.post_win(
            scope.as_member(roster[-1].id),
            "Our first common assessment is in, on time, from every class.",
        )
        clock.get_clock().advance(days=3)
        leader = scope.as_member(members.current_roles(scope)["facilitator"].id)
        present = [m for m in roster if m.id in meetings.get(scope, meeting.id).present]
        for part, text in plan["reflection"].items():
            reflections.save_synthesis(leader, meeting.id, part, text)
        reflections.save_own(scope.as_member(present[0].id), meeting.id, "so_what", plan["private"])
        health = load_instruments()["team-health"]
        round_id = surveys.open_round(leader, health.key, health.title, 3, meeting.id)
        for member in present:
            surveys.answer(scope.as_member(member.id), round_id, _answers(health, 4.0, 0.7, rng))
        surveys.close_round(leader, round_id)
        decided = [
            actions.decide(leader, text, method, result, meeting.id)
            for text, method, result in plan["decisions"]
        ]
        for number, (text, status, due_in) in enumerate(plan["actions"]):
            owner = present[number % len(present)]
            action_id = actions.add_action(
                leader,
                text,
                owner.id,
                meeting.date + dt.timedelta(days=due_in),
                meeting.id,
                f"Decision: {plan['decisions'][0][0]}" if number < 2 else "",
                decided[0] if number < 2 else None,
            )
            if status != "open":
                clock.get_clock().advance(days=2)
                actions.update_action(scope.as_member(owner.id), action_id, status=status)
    finally:
        clock.use_clock(previous)


PRACTICE_SUBJECT = "Grade 4 Math"  # whose synthetic assessments a practice team gets


def practice_team(coach: CoachScope, workshop_title: str) -> TeamScope:
    """A team for a workshop room to practise an evidence protocol on: the coach's, with
    a small invented roster and a synthetic pre and post assessment (no real students)."""
    scope = teams.create_team(coach, f"Practice: {workshop_title}"[:80])
    roster = [members.add(scope, name) for name in DEMO_TEAMS[PRACTICE_SUBJECT]]
    _assessments(scope.as_member(roster[0].id), PRACTICE_SUBJECT, scope.store.clock.today())
    return scope
