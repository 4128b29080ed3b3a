"""Two people changing one team at the same moment lose nothing."""

import threading

import pytest

from collab_widgets.core.db import Store
from collab_widgets.core.errors import EditConflict, InvalidInput
from collab_widgets.team.store import members, norms


def _at_once(*actions):
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        barrier.wait()
        try:
            action()
        except Exception as exc:  # collected and checked by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def two_kernels(team):
    """Two separate stores (as two visitors' kernels have) on the same database."""
    stores = [Store(team.store.url) for _ in range(2)]
    scopes = [s.open_team(team.code, team.people[i].token) for i, s in enumerate(stores)]
    yield scopes
    for made in stores:
        made.close()


def test_two_members_added_at_the_same_moment_both_stay(two_kernels, team):
    for round_ in range(10):
        errors = _at_once(
            lambda r=round_: members.add(two_kernels[0], f"First {r}"),
            lambda r=round_: members.add(two_kernels[1], f"Second {r}"),
        )
        assert errors == []
    names = [m.name for m in members.roster(team.member(0))]
    assert all(f"First {r}" in names and f"Second {r}" in names for r in range(10))


def test_the_same_name_added_twice_at_once_is_one_member_and_one_message(two_kernels, team):
    errors = _at_once(
        lambda: members.add(two_kernels[0], "Dee"), lambda: members.add(two_kernels[1], "Dee")
    )
    assert [m.name for m in members.roster(team.member(0))].count("Dee") == 1
    assert len(errors) == 1 and isinstance(errors[0], InvalidInput)


def test_editing_different_norms_at_once_keeps_both(two_kernels, team):
    a = norms.add(two_kernels[0], "time", "")
    b = norms.add(two_kernels[1], "listening", "")
    for i in range(20):
        assert not _at_once(
            lambda i=i: norms.set_text(two_kernels[0], a.id, f"A{i}"),
            lambda i=i: norms.set_text(two_kernels[1], b.id, f"B{i}"),
        )
    texts = {n.id: n.text for n in norms.norms(team.member(0))}
    assert texts == {a.id: "A19", b.id: "B19"}


def test_one_norm_saved_over_the_same_version_at_once_keeps_one_and_refuses_the_other(
    two_kernels, team
):
    """Two kernels, one norm, both typed over the text their pages read: whichever commits
    first is kept, and the other is refused with the text it would have overwritten."""
    for round_ in range(10):
        norm = norms.add(two_kernels[0], "time", f"Round {round_}")
        errors = _at_once(
            lambda n=norm: norms.set_text(two_kernels[0], n.id, "Ana's words", n.text),
            lambda n=norm: norms.set_text(two_kernels[1], n.id, "Ben's words", n.text),
        )
        stored = next(n.text for n in norms.norms(team.member(0)) if n.id == norm.id)
        assert stored in ("Ana's words", "Ben's words")
        assert len(errors) == 1 and isinstance(errors[0], EditConflict), errors
        assert errors[0].theirs == stored
