"""The wall of wins: posting, what each win shows, and who may take one off the wall."""

from __future__ import annotations

from collab_widgets.core.ui.confirm import Confirm
from collab_widgets.core.ui.feedback import StatusLine
from collab_widgets.goals import store
from collab_widgets.goals.ui.wins import WinsPanel
from collab_widgets.team.store import members
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, texts


def wall(scope) -> WinsPanel:
    panel = WinsPanel(scope, StatusLine())
    panel.refresh()
    return panel


def post(panel: WinsPanel, text: str) -> None:
    panel.text.value = text
    [button] = find(panel, BUTTONS, lambda b: b.description == "Post the win")
    button.click()


def test_an_empty_wall_invites_the_first_win(sqlite_team):
    assert "No wins yet: post the first one!" in texts(wall(sqlite_team.member(0)).wall)


def test_a_posted_win_shows_as_text_with_its_author_and_the_box_empties(sqlite_team):
    panel = wall(sqlite_team.member(1))
    post(panel, "Maya <b>explained</b> fractions")
    shown = texts(panel.wall)
    assert "Maya &lt;b&gt;explained&lt;/b&gt; fractions" in shown and "<b>" not in shown
    assert "<small>Ben, 15 Oct 2026</small>" in shown
    assert panel.text.value == ""
    assert "Posted on the wall of wins." in panel.status.value
    assert "No wins yet" not in shown


def test_a_member_removes_only_their_own_wins_and_the_facilitator_any(sqlite_team):
    # (before any roles are given every member facilitates: Chen is given the role)
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[2].id)
    store.post_win(sqlite_team.member(0), "Ana's first win")
    store.post_win(sqlite_team.member(1), "Ben's first win")
    bens_wall = wall(sqlite_team.member(1))
    [removable] = [row for row in bens_wall.wall.children if find(row, Confirm)]
    assert "Ben&#x27;s first win" in texts(removable)
    assert "Ana&#x27;s first win" not in texts(removable)
    assert len(find(wall(sqlite_team.member(2)).wall, Confirm)) == 2


def test_removing_a_win_asks_first_then_moves_it_to_the_trash(sqlite_team):
    store.post_win(sqlite_team.member(0), "Short-lived win")
    panel = wall(sqlite_team.member(0))
    [remove] = find(panel.wall, Confirm)
    remove.button.click()
    assert "Short-lived win" in texts(panel.wall)  # only asked so far
    answer_yes(panel.wall)
    assert "Short-lived win" not in texts(panel.wall)
    assert store.wins(sqlite_team.member(0)) == []
    assert "The win is in the trash" in panel.status.value
