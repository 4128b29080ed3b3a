"""Two people changing one team at the same moment lose nothing."""

import os
import sqlite3
import threading

import pytest
import sqlalchemy as sa

from collab_widgets.backup.tables import TEAM_TABLES
from collab_widgets.core.db import Actor, Permission, Store, TeamScope
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Credential
from collab_widgets.core.errors import AccessDenied, EditConflict, InvalidInput, StoreUnavailable
from collab_widgets.team.store import members, norms, teams


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


def test_sqlite_uses_wal_and_a_busy_timeout(sqlite_store):
    with sqlite_store.reading() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_team_scope_cannot_be_made_from_a_bare_id(sqlite_store):
    with pytest.raises(TypeError, match="comes from Store.open_team"):
        TeamScope(sqlite_store, 1, "x", Actor(), Credential("team", "X"), object())


def test_team_opens_only_with_its_code(team):
    scope = team.store.open_team(team.code)
    assert scope.team_name == "Grade 4 Math" and scope.member_id is None
    with pytest.raises(AccessDenied, match="not known"):
        team.store.open_team("ABCD-EFGH-JKMN")
    with pytest.raises(AccessDenied):
        team.store.open_team("")


def test_personal_link_names_the_member(team):
    scope = team.store.open_team(team.code.lower(), team.people[1].token)
    assert scope.member_id == team.people[1].id
    with pytest.raises(AccessDenied, match="personal link"):
        team.store.open_team(team.code, "WRONGTOKEN22")


def test_rotated_team_code_stops_old_links(team):
    new = teams.rotate_team_code(team.as_coach)
    with pytest.raises(AccessDenied):
        team.store.open_team(team.code)
    assert team.store.open_team(new).team_name == "Grade 4 Math"


def test_a_team_code_change_ends_personal_links_too(team):
    teams.rotate_team_code(team.as_coach)
    with pytest.raises(AccessDenied, match="not valid any more"):
        team.store.open_team(team.code, team.people[1].token)
    new = members.roster(team.as_coach)[1].token  # the coach sends Ben his new link
    assert team.store.open_team(team.code, new).member_id == team.people[1].id


def test_open_pages_end_when_the_team_code_changes(team):
    intruder = team.store.open_team(team.code)
    collector = team.store.open_team(team.code, members.join(intruder, "Mal").token)
    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    facilitator = team.member(0)
    teams.rotate_team_code(facilitator)
    for page in (intruder, collector, team.member(1)):
        with pytest.raises(AccessDenied, match="no longer opens the team"):
            teams.team_code(page)  # the new code is not shown to an old page either
    with pytest.raises(AccessDenied, match="no longer opens the team"):
        norms.add(collector, "time", "still here?")
    norms.add(facilitator, "time", "the page that changed the code keeps working")
    assert len(norms.norms(team.as_coach)) == 1


def test_a_removed_members_open_page_ends(team):
    chen = team.member(2)
    dee = members.add(team.as_coach, "Dee")
    dee_by_name = team.store.open_team(
        team.code, members.claim(team.store.open_team(team.code), dee.id)
    )
    members.remove(team.as_coach, team.people[2].id)
    members.remove(team.as_coach, dee.id)
    for page in (chen, dee_by_name):
        with pytest.raises(AccessDenied, match="taken off"):
            members.roster(page)
        with pytest.raises(AccessDenied, match="taken off"):
            page.allows(Permission.FACILITATE)  # not even whether they facilitate


def test_a_renewed_personal_link_ends_other_pages_opened_with_the_old_one(team):
    phone = team.store.open_team(team.code, team.people[1].token)
    laptop = team.member(1)
    teams.rotate_member_token(laptop, team.people[1].id)
    members.roster(laptop)  # the page that renewed it keeps working
    with pytest.raises(AccessDenied):
        members.roster(phone)


def test_a_changed_coach_code_ends_other_coach_pages(team):
    elsewhere = team.store.open_coach(team.coach_code)
    team_page = elsewhere.open_team(team.code)
    teams.rotate_coach_code(team.coach)
    assert teams.coach_teams(team.coach)  # this page keeps working, and its team pages
    members.roster(team.as_coach)
    with pytest.raises(AccessDenied, match="coach code was changed"):
        teams.coach_teams(elsewhere)
    with pytest.raises(AccessDenied):
        members.roster(team_page)


def test_rotated_personal_token_stops_old_link(team):
    ana = team.member(0)
    new = teams.rotate_member_token(ana, team.people[0].id)
    with pytest.raises(AccessDenied):
        team.store.open_team(team.code, team.people[0].token)
    assert team.store.open_team(team.code, new).member_id == team.people[0].id


def test_rotated_coach_code_stops_the_old_coach_link_and_keeps_the_teams(team):
    new = teams.rotate_coach_code(team.coach)
    with pytest.raises(AccessDenied):
        team.store.open_coach(team.coach_code)
    assert teams.coach_code(team.coach) == new
    assert [t.name for t in teams.coach_teams(team.store.open_coach(new))] == ["Grade 4 Math"]


def test_a_coach_opens_only_its_own_teams(team):
    other = team.store.open_coach(teams.add_coach(team.store, "Other coach"))
    with pytest.raises(AccessDenied, match="another coach"):
        other.open_team(team.code)
    assert [t.name for t in teams.coach_teams(other)] == []
    assert [t.name for t in teams.coach_teams(team.coach)] == ["Grade 4 Math"]


def test_a_team_scope_never_reads_another_team(team):
    second = teams.create_team(team.coach, "Grade 5 Science")
    members.add(second, "Zoe")
    assert [m.name for m in members.roster(team.member(0))] == ["Ana", "Ben", "Chen"]
    with pytest.raises(AccessDenied):  # a member id of another team is refused
        team.member(0).as_member(members.roster(second)[0].id)


def test_every_write_raises_the_change_counter(team):
    before = team.member(0).revision()
    members.add(team.member(0), "Dee")
    assert team.member(0).revision() == before + 1


def test_not_a_database_gives_a_plain_message(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreUnavailable, match="not a database file"):
        Store(f"sqlite:///{path}")
    assert path.read_text().startswith("these are my notes")


def test_someone_elses_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StoreUnavailable, match="not a Collaboration Workbook database"):
        Store(f"sqlite:///{path}")


def test_read_only_check_is_plain_for_root_too(tmp_path, monkeypatch):
    # Tests may run as root, who ignores file modes: make os.access report the file as
    # read-only, as it is for a teacher's account.
    path = tmp_path / "ro.sqlite"
    Store(f"sqlite:///{path}").close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if str(p) == str(path) else real_access(p, mode)
    )
    with pytest.raises(StoreUnavailable, match="read-only"):
        Store(f"sqlite:///{path}")


def test_a_folder_given_as_database_is_refused(tmp_path):
    with pytest.raises(StoreUnavailable, match="folder"):
        Store(f"sqlite:///{tmp_path}")


def test_bad_database_url_is_explained():
    with pytest.raises(StoreUnavailable):
        Store("nonsense://")


def test_is_empty(store):
    assert store.is_empty()
    teams.create_team(store.open_coach(teams.first_coach_code(store)[1]), "T")
    assert not store.is_empty()


def test_tables_all_carry_their_team():
    pass

    for table in TEAM_TABLES:
        assert "team_id" in table.c
    assert isinstance(core_tables.members.c.name.type, sa.String)
