"""A school, its people's links, and its teams."""

from __future__ import annotations

import pytest

from collab_widgets.community.store import schools
from collab_widgets.core.errors import AccessDenied
from tests.unit.community.conftest import school_of


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
