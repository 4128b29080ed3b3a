import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.history import store as trash
from collab_widgets.team.store import members


@pytest.mark.parametrize(
    "name", ["José Núñez", "王小明", "Zoë 🙂", "<img src=x onerror=alert(1)>", "O'Brien"]
)
def test_any_human_name_is_kept(team, name):
    added = members.add(team.member(0), name)
    assert added.name == name
    assert name in [m.name for m in members.roster(team.member(1))]


@pytest.mark.parametrize(
    "name,message",
    [("", "empty"), ("   ", "empty"), ("x" * 10_000, "10,000 characters"), ("a\nb", "one line")],
)
def test_unusable_names_are_explained(team, name, message):
    with pytest.raises(InvalidInput, match=message):
        members.add(team.member(0), name)
    assert len(members.roster(team.member(0))) == 3


def test_duplicate_names_are_refused_whatever_the_case(team):
    with pytest.raises(InvalidInput, match="already on the roster"):
        members.add(team.member(0), " ana ")
    with pytest.raises(InvalidInput, match="already on the roster"):
        members.rename(team.member(1), team.people[1].id, "ANA")


def test_removed_members_can_be_restored_unless_the_name_is_taken(team):
    members.remove(team.as_coach, team.people[0].id)
    assert [m.name for m in members.roster(team.as_coach)] == ["Ben", "Chen"]
    members.add(team.as_coach, "Ana")
    with pytest.raises(InvalidInput, match="cannot come back"):
        trash.restore(team.as_coach, "member", team.people[0].id)
    members.rename(team.as_coach, members.roster(team.as_coach)[-1].id, "Ana B.")
    trash.restore(team.as_coach, "member", team.people[0].id)
    assert "Ana" in [m.name for m in members.roster(team.as_coach)]
