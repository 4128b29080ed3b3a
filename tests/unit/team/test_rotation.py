"""Rotation is fair: after k·n rotations everyone held each role k times (±1)."""

from collections import Counter

import pytest

from collab_widgets.core.model import ROLES
from collab_widgets.team.rotation import assignment
from collab_widgets.team.store import members


@pytest.mark.parametrize("n", range(1, 9))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_pure_rotation_is_fair_from_any_start(n, k):
    roster = list(range(100, 100 + n))
    for start in (0, 1, 5):
        held = Counter()
        for rotation in range(start, start + k * n):
            for role, member in assignment(rotation, roster).items():
                held[(member, role)] += 1
        for member in roster:
            for role in ROLES:
                assert abs(held[(member, role)] - k) <= 1


@pytest.mark.parametrize("n", range(3, 9))
def test_each_rotation_gives_roles_to_different_people_when_there_are_enough(n):
    for rotation in range(2 * n):
        chosen = assignment(rotation, list(range(n)))
        assert len(set(chosen.values())) == len(ROLES)


def test_rotation_through_the_store_is_fair(sqlite_team):
    scope = sqlite_team.as_coach
    for name in ("Dee", "Eli"):
        members.add(scope, name)
    n, k = 5, 3
    for _ in range(k * n):
        members.rotate_roles(scope)
    history = members.role_history(scope)
    assert len(history) == n
    for held in history.values():
        for role in ROLES:
            assert abs(held.get(role, 0) - k) <= 1


def test_rotating_changes_the_facilitator_and_records_it(team):
    first = members.rotate_roles(team.as_coach)["facilitator"]
    second = members.rotate_roles(team.as_coach)["facilitator"]
    assert first.id != second.id
    assert members.current_roles(team.member(0))["facilitator"].id == second.id


def test_rotating_an_empty_roster_says_what_to_do(store):
    from collab_widgets.core.errors import InvalidInput
    from collab_widgets.team.store import teams

    coach = store.open_coach(teams.first_coach_code(store)[1])
    empty = teams.create_team(coach, "Empty")
    with pytest.raises(InvalidInput, match="Add people"):
        members.rotate_roles(empty)
