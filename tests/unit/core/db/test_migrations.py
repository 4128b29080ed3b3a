"""Upgrades from every older schema; the migrated schema must equal the tables modules.

When the schema changes: add a migration, keep the old data files here, add the new
version's file made by its own script, and extend these tests.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from collab_widgets.actions import store as actions
from collab_widgets.backup.tables import TEAM_TABLES  # noqa: F401  (every domain's tables on the one metadata)
from collab_widgets.classroom import store as classroom
from collab_widgets.community import tables as community_tables  # noqa: F401  (on the metadata too)
from collab_widgets.community.store import schools
from collab_widgets.core.db import Store, activity, hub
from collab_widgets.core.db import tables as schema
from collab_widgets.core.db.migrations import current_version
from collab_widgets.core.errors import AccessDenied, StoreUnavailable
from collab_widgets.core.light.limits import WrongCodeLimit
from collab_widgets.evidence import saved
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.scores import read_scores
from collab_widgets.families.api import FAMILY_LIMIT
from collab_widgets.families.rules import GoalDraft as FamilyGoalDraft
from collab_widgets.families.store import class_meetings as family_meetings
from collab_widgets.families.store import family as family_page
from collab_widgets.families.store import guardians
from collab_widgets.goals import store as goals
from collab_widgets.goals.model import GoalDraft
from collab_widgets.instruments import store as surveys
from collab_widgets.live import store as live
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.reflection import store as reflections
from collab_widgets.students.model import Placement
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes, evaluations, groupings, student
from collab_widgets.team.store import members, norms, teams
from collab_widgets.workshops.store import participant as participants
from collab_widgets.workshops.store import trainer as workshops

DATA = Path(__file__).parents[2] / "data"


OLD_VERSIONS = range(1, schema.SCHEMA_VERSION)


# A table (or table.column) each version added, absent from the file of the version before.
ADDED_BY = {
    2: "meetings",
    3: "protocol_runs",
    4: "assessments",
    5: "cycles",
    6: "reflections",
    7: "coach_teams",
    8: "workshops",
    9: "workshop_participants.token_hash",
    10: "members.claimed_at",
    11: "wrong_codes",
    12: None,  # no table: the saved warnings lose the students' ids
    13: "co_plans",
    14: "classes",
    15: "families",
    16: "schools",
    17: "hub_links",
}


def _old_file(tmp_path, version):
    path = tmp_path / f"old_v{version}.sqlite"
    shutil.copy(DATA / f"schema_v{version}.sqlite", path)
    return path


@pytest.fixture(params=OLD_VERSIONS, ids=lambda v: f"from_v{v}")
def old_file(request, tmp_path):
    return request.param, _old_file(tmp_path, request.param)


def test_there_is_a_file_for_every_older_version():
    assert sorted(int(p.stem.split("_v")[1]) for p in DATA.glob("schema_v*.sqlite")) == list(
        OLD_VERSIONS
    )


def test_each_old_file_really_is_its_version(old_file):
    version, path = old_file
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert current_version(conn) == version
        added = ADDED_BY[version + 1]
        if added is None:  # a step that changes rows only: the old rows are as they were
            warnings = conn.execute(sa.text("SELECT warnings FROM assessments WHERE id = 2"))
            assert "left out: S901, S902" in warnings.scalar()
            engine.dispose()
            return
        table, _, column = added.partition(".")
        inspector = sa.inspect(conn)
        if column:
            assert column not in [c["name"] for c in inspector.get_columns(table)]
        else:
            assert table not in inspector.get_table_names()
    engine.dispose()


def test_upgrading_keeps_every_row_and_the_new_features_work(old_file, fixed_clock):
    version, path = old_file
    store = Store(f"sqlite:///{path}")
    assert store.previous_version == version
    with store.reading() as conn:
        assert current_version(conn) == schema.SCHEMA_VERSION
    scope = store.open_team("T333-3333-3333", "M44444444444")
    assert [m.name for m in members.roster(scope)] == ["Ana", "Ben"]
    assert [n.text for n in norms.norms(scope)] == ["We start on time."]
    assert members.current_roles(scope)["facilitator"].name == "Ben"
    assert store.open_coach("C22222222222").name == "Old Coach"
    assert [t.name for t in teams.coach_teams(store.open_coach("C22222222222"))] == ["Legacy Team"]
    if version >= 2:  # the September meeting, its agenda, attendance and norms check
        old = meetings.get(scope, 1)
        assert old.title == "September meeting" and old.total_minutes == 33
        assert old.present == {1, 2}
        assert meetings.check_summary(scope, 1)[0].mean == 3.0
    meeting = meetings.create(scope, dt.date(2026, 10, 20))
    meetings.check_norm(scope, meeting.id, 1, "start", 4)
    assert meetings.check_summary(scope, meeting.id)[0].mean == 4.0
    # version 3: a protocol runs on the upgraded database, with an anonymous board
    assert teams.anonymous_board(scope) is False
    ben = store.open_team("T333-3333-3333", "M55555555555")  # the facilitator
    protocol = load_library().get("chalk-talk")
    run_id = runs.start_run(ben, protocol, meeting.id, {"facilitator": 2, "timekeeper": 1})
    runs.control(ben, run_id, runner.advance)
    note = live.add_note(scope, runs.get_run(scope, run_id).current_prompt_id, "Upgraded!")
    assert live.board(scope, runs.get_run(scope, run_id).current_prompt_id).notes[0].id == note
    if version >= 3:  # September's finished chalk talk, its recorder's note and board
        [old_run] = runs.past_runs(scope, meeting_id=1)
        assert old_run.steps[0].notes == "Pictures before symbols."
        assert old_run.assessment_id is None
        assert live.board(scope, old_run.steps[0].prompt_id).notes[0].text.startswith("Fractions")
    # version 4: an assessment is saved on the upgraded database and read back
    assessment_id = saved.save(ben, read_scores(b"id,Q1\n1,1\n2,0\n"), "Upgraded quiz")
    assert saved.load(scope, assessment_id).analysis().items()["pct_correct"].tolist() == [50.0]
    if version >= 4:  # September's quiz reads back from the old rows
        [old_quiz] = [a for a in evidence.assessments(scope) if a.name == "September quiz"]
        assert saved.load(scope, old_quiz.id).analysis().items()["pct_correct"].tolist() == [
            50.0,
            75.0,
        ]
    if version >= 11:  # version 12: a saved warning names no student any more
        [october] = [a for a in evidence.assessments(scope) if a.name == "October quiz"]
        assert october.warnings == ("2 students have no scores at all and are left out.",)
    # version 5: a cycle, a goal in two versions with a checkpoint, and a win
    cycle_id = goals.create_cycle(ben, "Upgraded cycle", dt.date(2026, 10, 1), dt.date(2026, 12, 1))
    goals.link_assessment(ben, cycle_id, assessment_id, True)
    goal_id = goals.new_goal(ben, cycle_id)
    for target in ("60", "70"):
        goals.save_version(ben, goal_id, GoalDraft(baseline="40", target=target), "A goal.")
    goals.add_checkpoint(ben, goal_id, dt.date(2026, 10, 14), 55.0)  # not after today
    goals.post_win(scope, "Upgraded without losing anything.")
    goal = goals.get_goal(scope, goal_id)
    assert [v.draft.target for v in goal.versions] == ["60", "70"]
    assert goal.checkpoints[0].value == 55.0
    assert goals.get_cycle(scope, cycle_id).assessment_ids == (assessment_id,)
    assert goals.wins(scope)[0].by == "Ana"
    if version >= 5:  # last year's cycle, its goal and checkpoint, and Ana's win
        [old_cycle] = [c for c in goals.cycles(scope) if c.title == "Unit 1: place value"]
        [old_goal] = goals.goals(scope, old_cycle.id)
        assert old_goal.latest.statement == "By 10 October, 60%."
        assert old_goal.checkpoints[0].value == 52.0
        assert "Sam explained regrouping." in [w.text for w in goals.wins(scope)]
    # version 6: a reflection, a survey answered, a decision and an action carried forward
    reflections.save_own(scope, meeting.id, "what", "We looked at item 4.")
    assert reflections.own(scope, meeting.id).what == "We looked at item 4."
    round_id = surveys.open_round(ben, "fist-to-five", "Fist to five", 2, meeting.id)
    surveys.answer(scope, round_id, {"support": 4})
    surveys.answer(ben, round_id, {"support": 5})
    assert sorted(a["support"] for a in surveys.results(scope, round_id)) == [4, 5]
    decision_id = actions.decide(ben, "Reteach item 4.", "consensus", "all agreed", meeting.id)
    actions.add_action(ben, "Reteach item 4", 1, dt.date(2026, 11, 1), meeting.id, "", decision_id)
    later = meetings.create(scope, dt.date(2026, 11, 3))
    assert "Reteach item 4" in [a.text for a in actions.carried_into(scope, later.id)]
    if version >= 6:  # September's synthesis, decision, action and survey read back
        assert reflections.synthesis(scope, 1).now_what == "Number lines."
        assert actions.decisions(scope, 1)[0].present == ("Ana", "Ben")
        assert actions.history(scope, 1)[0].change == "created"
        assert [a.text for a in actions.carried_into(scope, later.id)][0] == "Plan the reteach"
        assert sorted(a["support"] for a in surveys.results(scope, 1)) == [4, 5]
    # version 7: a second coach is given the team and opens it
    other_code = teams.add_coach(store, "Second Coach")
    teams.give_team(store, "T333-3333-3333", other_code)
    second = store.open_coach(other_code)
    assert [t.name for t in teams.coach_teams(second)] == ["Legacy Team"]
    assert second.open_team("T333-3333-3333").team_name == "Legacy Team"
    if version >= 7:  # the coach the team was given to before the upgrade
        given = store.open_coach("C66666666666")
        assert [t.name for t in teams.coach_teams(given)] == ["Legacy Team"]
    # version 8: a workshop about the team, joined and answered, noted in its record
    coach = store.open_coach("C22222222222")
    workshop_id = workshops.create(coach, "Upgraded workshop", "T333-3333-3333")
    prompt_id = workshops.add_prompt(coach, workshop_id, "fist", "Ready?")
    workshops.show(coach, workshop_id, 0)
    who = participants.join(store, workshops.get(coach, workshop_id).code, "Ana")
    participants.answer(who, prompt_id, "4")
    assert workshops.results(coach, workshop_id)[1].average == 4.0
    workshops.end(coach, workshop_id)
    assert any("Upgraded workshop" in e.summary for e in activity.entries(scope))
    # version 9: a participant's page finds its place again by its token alone
    workshop_id = workshops.create(coach, "Token workshop")
    workshops.add_prompt(coach, workshop_id, "word", "One word")
    workshops.show(coach, workshop_id, 0)
    who = participants.join(store, workshops.get(coach, workshop_id).code)
    again = participants.participant(store, who.token)
    participants.answer(again, participants.room(again).prompt.id, "ready")
    assert workshops.results(coach, workshop_id)[1].rows == (("ready", 1),)
    if version >= 8:  # the autumn workshop, its answer and its participant (no token)
        autumn, rows = workshops.answers(coach, 1)
        assert autumn.title == "Autumn workshop" and autumn.joined == 1 + (version >= 9)
        assert [(r.participant, r.value) for r in rows] == [("Ana", "Tuning")]
        with pytest.raises(AccessDenied):
            participants.participant(store, "")
    if version >= 9:  # Ben's place in the autumn workshop, found by his token
        assert participants.participant(store, "P77777777777").name == "Ben"
    # version 10: names on the roster before the upgrade stay taken; a new one is taken once
    visitor = store.open_team("T333-3333-3333")
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(visitor, 1)
    dee = members.add(scope, "Dee")
    members.claim(visitor, dee.id)
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(visitor, dee.id)
    # version 11: wrong codes on a light page are counted in the database
    one_try = WrongCodeLimit("upgrade", 1, 1, dt.timedelta(minutes=10), hint="the right code")
    for refusal in ("No workshop has that code", "Too many wrong codes from this network"):
        with participants.joining(store, one_try) as join_one, pytest.raises(AccessDenied) as no:
            join_one("WRONG1", "Guess", "10.0.0.7")
        assert refusal in str(no.value)
    # version 13: the team plans a lesson together, runs a lesson study and observes it;
    # a peer observation stays the two teachers'
    ben = store.open_team("T333-3333-3333", "M55555555555")
    plan_id = classroom.create_plan(scope, "Fractions, lesson 1")
    classroom.set_plan_text(ben, plan_id, "target", "I can compare fractions.", "")
    classroom.add_segment(scope, plan_id, "Launch", 10, "station-teaching")
    assert classroom.save_version(ben, plan_id, "First draft") == 1
    study_id = classroom.create_study(scope, "Fractions as numbers")
    classroom.set_research_lesson(scope, study_id, plan_id)
    for stage in ("study", "plan", "teach"):
        classroom.move(scope, study_id, stage)
    classroom.add_note(ben, study_id, "Counted tick marks, not spaces.")
    assert [n.text for n in classroom.notes(scope, study_id)] == ["Counted tick marks, not spaces."]
    peer_id = classroom.invite(scope, 2, "Wait time")
    assert [p.id for p in classroom.my_peer_observations(ben)] == [peer_id]
    if version >= 13:  # the plan made at version 13 is still there
        assert "Fractions lesson" in [p.title for p in classroom.plans(scope)]
    # version 14: a teacher's class, its students on their own page, groups, a teamwork check
    class_id = classes.create_class(scope, "Room 12")
    classes.add_students(scope, class_id, [StudentRow("S1", "Maya Rivera"), StudentRow("S2")])
    cards = classes.issue_student_codes(scope, class_id)
    roster = classes.roster(scope, class_id)
    placed = [Placement(student.id, 0) for student in roster]
    grouping_id = groupings.save(scope, class_id, "groups", "Pairs", {}, 0.0, placed)
    evaluations.open_evaluation(scope, class_id, grouping_id, "Week 1")
    code = classes.class_info(scope, class_id).code
    maya = student.signed_in(store, code, cards[roster[0].id])
    assert maya.display_name == "Maya R."
    kept = ["Room 9", "Room 12"] if version >= 14 else ["Room 12"]  # made at version 14
    assert [c.name for c in classes.classes(ben)] == kept
    # version 15: a class's families, a guardian's link, a class meeting and a family's goal
    guardians.open_families(scope, class_id)
    room_families = guardians.families(scope, class_id)
    guardian = guardians.add_guardian(scope, room_families[0].id, "Ms. Rivera")
    link = guardians.issue_link(scope, guardian)
    meeting_id = family_meetings.prepare_meeting(
        scope,
        class_id,
        title="Fractions night",
        held_on=dt.date(2026, 10, 20),
        starts_at="18:00",
        skill="Fractions",
        assessment_id=None,
        assessment_name="",
        results={roster[0].id: 40.0, roster[1].id: 70.0},
        agenda=[],
        activities=[],
    )
    rivera = family_page.sign_in(store, link, "10.0.0.1", FAMILY_LIMIT)
    goal = FamilyGoalDraft("Read together every night", "5", "60")
    assert family_page.save_goal(store, rivera, meeting_id, goal, None)[1] == []
    if version >= 15:  # the family made at version 15 is still the class's
        room9 = next(c.id for c in classes.classes(ben) if c.name == "Room 9")
        assert [g.name for g in guardians.families(ben, room9)[0].guardians] == ["Ana Ortiz"]
    if version >= 14:  # the families of the class made at version 14 go with it
        room9 = next(c.id for c in classes.classes(ben) if c.name == "Room 9")
        guardians.open_families(ben, room9)
        classes.delete_class(ben, room9)
    # version 16: the teams and coaches already here are one school's, whose coordinator
    # reaches the school's teams and records its partners
    [(school_id, school_name)] = schools.schools(store)
    assert school_name == "Our school"
    coordinator = store.open_school(schools.add_person(store, school_id, "coordinator", "Dana"))
    assert [name for _, name in schools.teams(coordinator)] == ["Legacy Team"]
    new_team = teams.create_team(store.open_coach("C22222222222"), "Grade 5")
    assert [name for _, name in schools.teams(coordinator)] == ["Grade 5", "Legacy Team"]
    assert new_team.team_name == "Grade 5"
    # version 17: an old member and the old coach sign in through the district's hub
    hub.link_member(store, "ana", "T333-3333-3333", "Ana")
    hub.link_coach(store, "old.coach", "C22222222222")
    ana = store.open_hub(hub.start_session(store, "ana", "collab-a"))
    assert ana.open_member(scope.team_id).member_id == scope.member_id
    coach = store.open_hub(hub.start_session(store, "old.coach", "collab-b")).open_coach()
    assert coach.open_team_by_id(scope.team_id).team_name == "Legacy Team"
    with pytest.raises(AccessDenied):
        store.open_team("T333-3333-3333", "M44444444444")
    store.close()


def test_migrated_schema_matches_the_tables(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []


def test_an_upgraded_schema_matches_the_tables(old_file, fixed_clock):
    store = Store(f"sqlite:///{old_file[1]}")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []
    store.close()


def test_opening_twice_does_not_migrate_again(sqlite_store):
    again = Store(sqlite_store.url)
    assert again.previous_version == schema.SCHEMA_VERSION
    again.close()


def test_a_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    Store(f"sqlite:///{path}").close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE schema_version SET version = 99")
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="newer"):
        Store(f"sqlite:///{path}")
