"""A school, its people's links, and its teams."""

from __future__ import annotations

import datetime as dt

import pytest

from collab_widgets.community.store import schools
from collab_widgets.core.errors import AccessDenied, InvalidInput
from tests.unit.community.conftest import BOTH_DATABASES, school_of


@BOTH_DATABASES
def test_a_new_team_belongs_to_its_coachs_school(team, school_place):
    assert school_of(team) == school_place.school_id
    assert schools.teams(school_place.coordinator) == [(team.as_coach.team_id, "Grade 4 Math")]


def test_the_coordinator_changes_and_the_principal_reads(school, principal):
    schools.rename(school, "Lincoln Elementary")
    assert principal.school_name() == "Lincoln Elementary"
    with pytest.raises(AccessDenied, match="only the coordinator"):
        schools.rename(principal, "Mine now")
    assert [entry[1:] for entry in schools.entries(principal)][0] == (
        "school",
        "renamed the school “Lincoln Elementary”",
        "Dana Coordinator",
    )


@BOTH_DATABASES
def test_a_changed_link_ends_the_pages_opened_with_the_old_one(school_place):
    opened = school_place.coordinator
    person = schools.people(school_place.store, school_place.school_id)[0]
    new_code = schools.rotate_person(school_place.store, person.id)
    with pytest.raises(AccessDenied, match="no longer works"):
        opened.school_name()
    with pytest.raises(AccessDenied, match="not known"):
        school_place.store.open_school(school_place.coordinator_code)
    assert school_place.store.open_school(new_code).role == "coordinator"


def test_a_team_code_or_a_made_up_code_opens_no_school(team, school_place):
    for code in (team.code, "", "x" * 40, team.coach_code):
        with pytest.raises(AccessDenied):
            school_place.store.open_school(code)


def test_another_schools_people_do_not_see_this_one(team, school_place):
    other = schools.create_school(team.store, "Other school")
    code = schools.add_person(team.store, other, "coordinator", "Olu")
    scope = team.store.open_school(code)
    assert schools.teams(scope) == []
    assert scope.school_id != school_place.school_id


def test_collab_school_gives_links_that_open_the_school_and_rotates_them(tmp_path, capsys):
    from collab_widgets.cli import main
    from collab_widgets.core.db import Store, url_for

    db = tmp_path / "cli.sqlite"
    assert main(["--db", str(db), "school", "add", "Lincoln Elementary"]) == 0
    assert main(["--db", str(db), "school", "link", "1", "principal", "Pat"]) == 0
    code = capsys.readouterr().out.split("school=")[1].split()[0].split("&")[0]
    store = Store(url_for(db))
    assert store.open_school(code).role == "principal"
    assert main(["--db", str(db), "school", "list"]) == 0
    listed = capsys.readouterr().out
    assert "Lincoln Elementary" in listed and "Pat, principal" in listed and code not in listed
    assert main(["--db", str(db), "school", "rotate", "1"]) == 0
    with pytest.raises(AccessDenied):
        store.open_school(code)
    assert main(["--db", str(db), "school", "link", "7", "principal", "Nobody"]) == 2
    store.close()


def test_a_coach_and_their_teams_move_to_another_school(team, school_place):
    other = schools.create_school(team.store, "Hillside Middle")
    assert schools.move_coach(team.store, other, team.coach_code) == "Coach"
    hillside = team.store.open_school(schools.add_person(team.store, other, "principal", "Lee"))
    assert [name for _, name in schools.teams(hillside)] == ["Grade 4 Math"]
    assert schools.teams(school_place.principal) == []
    assert school_of(team) == other


@BOTH_DATABASES
def test_a_coach_whose_classes_hold_the_schools_mentees_is_not_moved(team, school, classroom):
    from collab_widgets.community.store import mentoring

    programme = mentoring.add_programme(
        school, "Buddies", dt.date(2026, 9, 1), dt.date(2027, 6, 30), 60
    )
    mentoring.add_mentee(school, programme, classroom.roster[0].id, (), ("tue-pm",), ("en",))
    other = schools.create_school(team.store, "Hillside Middle")
    with pytest.raises(InvalidInput, match="Close those there first"):
        schools.move_coach(team.store, other, team.coach_code)
    assert school_of(team) == school.school_id
    assert len(mentoring.mentees(school, programme)) == 1
