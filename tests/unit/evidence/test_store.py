"""Saved assessments: round trip, the activity record, the trash with what was made from an
assessment, remembered mappings, settings, reveals, team export and import."""

import datetime as dt
import json

import pytest

from collab_widgets.backup import store as lifecycle
from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.evidence import mapping, saved
from collab_widgets.evidence import store as store_evidence
from collab_widgets.evidence.analysis import growth
from collab_widgets.evidence.model import EvidenceSettings
from collab_widgets.evidence.reading import read_table
from collab_widgets.evidence.scores import read_scores
from collab_widgets.history import store as trash
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.team.store import members, teams

WIDE = (
    "Student ID,First Name,Last Name,Teacher,ELL,Q1,Q2,Q3\n"
    "101,Ana,Diaz,Lee,Y,B,2,1\n"
    "102,Ben,Okafor,Lee,N,A,1,\n"
    "103,Chen,Li,Ng,N,C,absent,0\n"
)


KEY = "Item,Standard,Max Points,Answer\nQ1,4.NF.1,1,B\nQ2,4.NF.2,2,\nQ3,4.NF.2,1,\n"


FORMS = (
    "Timestamp,Email Address,Score,Which is larger?\n"
    "2026/10/01 9:00:00,ana@school.example,1 / 1,3/4\n"
    "2026/10/01 9:01:00,ben@school.example,0 / 1,2/3\n"
)


def _leader_and_other(team):
    """Scopes of the team's facilitator and of a member who does not facilitate."""
    members.rotate_roles(team.as_coach)
    leader = members.current_roles(team.as_coach)["facilitator"].id
    index = next(i for i, p in enumerate(team.people) if p.id == leader)
    return team.member(index), team.member((index + 1) % 3)


def _scores():
    return read_scores(WIDE.encode(), key=KEY.encode(), name="unit3.csv")


def test_an_assessment_reads_back_as_it_was_saved(team):
    scores = _scores()
    assessment_id = saved.save(
        team.member(0), scores, "Unit 3 post", given_on=dt.date(2026, 10, 1), file_name="u3.csv"
    )
    back = saved.load(team.member(1), assessment_id)
    assert back.name == "Unit 3 post"
    assert back.attributes == ("ELL",) and back.warnings == scores.warnings
    before, after = scores.analysis(), back.analysis()
    assert after.student_percents().to_dict() == before.student_percents().to_dict()
    assert after.items().equals(before.items())
    assert after.distractors().to_dict() == before.distractors().to_dict()
    assert after.subgroups("ELL", min_n=1).rows == before.subgroups("ELL", min_n=1).rows
    assert back.students.loc["101", "name"] == "Ana Diaz"
    [info] = store_evidence.assessments(team.member(2))
    assert (info.students, info.items, info.given_on) == (3, 3, dt.date(2026, 10, 1))
    entry = activity.entries(team.member(0))[0]
    assert entry.kind == "assessment" and entry.link == f"assessment/{assessment_id}"
    assert "“Unit 3 post” added: 3 students, 3 items" in entry.summary and entry.who == "Ana"


def test_a_quiz_export_without_a_key_keeps_its_totals(team):
    scores = read_scores(FORMS.encode())
    assert scores.totals_only
    back = saved.load(team.member(0), saved.save(team.member(0), scores, "Exit ticket"))
    assert back.totals_only
    assert back.analysis().student_percents().to_dict() == {
        "ana@school.example": 100.0,
        "ben@school.example": 0.0,
    }


def test_growth_between_two_saved_assessments(team):
    pre = saved.save(team.member(0), _scores(), "Pre")
    post_text = WIDE.replace("102,Ben", "104,Dee").replace(",A,1,", ",B,2,1")
    post = saved.save(team.member(0), read_scores(post_text.encode(), key=KEY.encode()), "Post")
    change = growth(saved.load(team.member(0), pre), saved.load(team.member(0), post))
    assert list(change.matched["student"]) == ["101", "103"]
    assert change.only_pre == ("102",) and change.only_post == ("104",)


def test_another_team_cannot_open_an_assessment(team):
    assessment_id = saved.save(team.member(0), _scores(), "Unit 3")
    other = teams.create_team(team.coach, "Grade 5 Math")
    with pytest.raises(NotFound):
        saved.load(other, assessment_id)
    assert store_evidence.assessments(other) == []


def test_a_blank_or_overlong_name_is_refused_and_nothing_is_stored(team):
    for name in ("   ", "x" * 201):
        with pytest.raises(InvalidInput):
            saved.save(team.member(0), _scores(), name)
    assert store_evidence.assessments(team.member(0)) == []


def test_deleting_an_assessment_takes_its_dialogue_to_the_trash_and_back(team):
    facilitator = team.as_coach
    assessment_id = saved.save(team.member(0), _scores(), "Unit 3")
    meeting = meetings.create(facilitator, dt.date(2026, 10, 15))
    dialogue = load_library(folder="").get("data-driven-dialogue")
    run_id = runs.start_run(
        facilitator,
        dialogue,
        meeting.id,
        {"facilitator": team.people[0].id},
        assessment_id=assessment_id,
    )
    assert [r.id for r in runs.assessment_runs(facilitator, assessment_id)] == [run_id]
    assert runs.get_run(facilitator, run_id).assessment_id == assessment_id
    with pytest.raises(AccessDenied):
        store_evidence.delete(_leader_and_other(team)[1], assessment_id)
    store_evidence.delete(facilitator, assessment_id)
    assert store_evidence.assessments(facilitator) == []
    with pytest.raises(NotFound):
        saved.load(facilitator, assessment_id)
    assert runs.assessment_runs(facilitator, assessment_id) == []
    [item] = [i for i in trash.items(facilitator) if i.kind == "assessment"]
    assert item.label == "Unit 3"
    trash.restore(facilitator, "assessment", assessment_id)
    assert saved.load(facilitator, assessment_id).students.shape[0] == 3
    assert [r.id for r in runs.assessment_runs(facilitator, assessment_id)] == [run_id]


def test_a_run_cannot_be_about_an_assessment_in_the_trash(team):
    assessment_id = saved.save(team.member(0), _scores(), "Unit 3")
    store_evidence.delete(team.as_coach, assessment_id)
    dialogue = load_library(folder="").get("data-driven-dialogue")
    with pytest.raises(NotFound):
        runs.start_run(
            team.as_coach,
            dialogue,
            None,
            {"facilitator": team.people[0].id},
            assessment_id=assessment_id,
        )
    assert meetings.all_meetings(team.as_coach) == []  # no empty meeting was left either


def test_a_mapping_is_remembered_for_files_with_the_same_columns(team):
    raw = read_table(WIDE.encode())
    changed = mapping.detect(raw.frame).with_role("ELL", mapping.IGNORE)
    assert saved.remembered(team.member(0), list(raw.frame.columns)) is None
    saved.remember(team.member(0), changed)
    again = saved.remembered(team.member(1), list(raw.frame.columns))
    assert again == changed
    assert saved.remembered(team.member(1), [*raw.frame.columns, "Extra"]) is None
    saved.remember(team.member(1), changed.with_role("ELL", mapping.ATTRIBUTE))
    assert saved.remembered(team.member(0), list(raw.frame.columns)).roles["ELL"] == (
        mapping.ATTRIBUTE
    )


def test_settings_start_at_the_defaults_and_only_a_facilitator_changes_them(team):
    first = store_evidence.settings(team.member(1))
    assert (first.min_n, first.compare_teachers, first.band_cuts) == (10, False, (60, 80, 90))
    assert len(first.pseudonym_salt) == 32
    assert store_evidence.settings(team.member(2)).pseudonym_salt == first.pseudonym_salt
    wanted = EvidenceSettings(
        ("Low", "Mid", "High"), (50.0, 75.0), (50.0, 70.0, 95.0), 12, True, "ignored"
    )
    leader, other = _leader_and_other(team)
    with pytest.raises(AccessDenied):
        store_evidence.set_settings(other, wanted)
    store_evidence.set_settings(leader, wanted)
    now = store_evidence.settings(team.member(2))
    assert now.band_names == ("Low", "Mid", "High") and now.min_n == 12 and now.compare_teachers
    assert now.pseudonym_salt == first.pseudonym_salt  # pseudonyms never change
    assert saved.bands(now).of(__import__("pandas").Series([49.0, 80.0])).tolist() == [
        "Low",
        "High",
    ]
    with pytest.raises(InvalidInput, match="from 5 to 100"):
        store_evidence.set_settings(leader, EvidenceSettings(min_n=3))


def test_a_reveal_of_real_names_is_recorded_and_a_coach_cannot_reveal(team):
    assessment_id = saved.save(team.member(0), _scores(), "Unit 3")
    store_evidence.record_reveal(team.member(1), assessment_id)
    entry = activity.entries(team.member(0))[0]
    assert entry.kind == "names shown" and entry.who == "Ben"
    with pytest.raises(AccessDenied, match="coach sees pseudonyms"):
        store_evidence.record_reveal(team.as_coach, assessment_id)


def test_a_coach_acting_as_a_member_cannot_reveal_real_names(team):
    assessment_id = saved.save(team.member(0), _scores(), "Unit 3")
    coach_as_ben = team.as_coach.as_member(team.people[1].id)
    for refused in (
        lambda: store_evidence.record_reveal(coach_as_ben, assessment_id),
        lambda: store_evidence.check_real_names(coach_as_ben),
    ):
        with pytest.raises(AccessDenied, match="coach sees pseudonyms"):
            refused()
    assert [e for e in activity.entries(team.member(0)) if e.kind == "names shown"] == []


def test_export_and_import_keep_assessments_mappings_and_settings(team):
    scores = _scores()
    assessment_id = saved.save(team.member(0), scores, "Unit 3")
    saved.remember(team.member(0), mapping.detect(read_table(WIDE.encode()).frame))
    salt = store_evidence.settings(team.member(0)).pseudonym_salt
    text = lifecycle.export_team(team.as_coach)
    copy = lifecycle.import_team(team.coach, text, name="Copy")
    [info] = store_evidence.assessments(copy)
    back = saved.load(copy, info.id)
    assert info.id != assessment_id or teams.team_code(copy) != team.code
    assert back.analysis().items().equals(scores.analysis().items())
    assert store_evidence.settings(copy).pseudonym_salt == salt
    columns = list(read_table(WIDE.encode()).frame.columns)
    assert saved.remembered(copy, columns) is not None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("points", "[1, 2", "'points' is not readable"),
        ("points", "[1]", "'points' has 1 values for 3 items"),
        ("attributes", "[]", "expected a JSON object"),
    ],
)
def test_import_refuses_damaged_scores(team, field, value, message):
    saved.save(team.member(0), _scores(), "Unit 3")
    document = json.loads(lifecycle.export_team(team.as_coach))
    document["tables"]["assessment_students"][0][field] = value
    before = len(teams.coach_teams(team.coach))
    with pytest.raises(InvalidInput, match=message):
        lifecycle.import_team(team.coach, json.dumps(document))
    assert len(teams.coach_teams(team.coach)) == before
