"""The files that hold teams' data (the SQLite database and its journal, backups, safety
copies, exported teams and meeting records) are readable by their owner only, whatever the
umask, and a database readable by others is tightened when it is opened."""

import os
import sqlite3
import stat

import pytest

from collab_widgets.backup import store as lifecycle
from collab_widgets.cli import main
from collab_widgets.core.db import Store, url_for
from collab_widgets.meetings import store as meetings
from collab_widgets.team.store import teams


@pytest.fixture
def default_umask():
    """The umask most systems give a login, under which new files are readable by all."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> str:
    return oct(stat.S_IMODE(os.stat(path).st_mode))


def journal(db) -> list:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def test_a_new_database_its_journal_and_its_new_folder_are_for_their_owner_only(
    default_umask, tmp_path, fixed_clock
):
    db = tmp_path / "data" / "workbook.sqlite"
    store = Store(url_for(db))
    try:
        teams.first_coach_code(store)  # a write: the -wal and -shm files stay while it is open
        assert [mode(path) for path in journal(db)] == ["0o600", "0o600", "0o600"]
        assert mode(db.parent) == "0o700"
    finally:
        store.close()


def test_an_existing_database_readable_by_others_is_tightened_when_opened(
    default_umask, tmp_path, fixed_clock
):
    db = tmp_path / "workbook.sqlite"
    Store(url_for(db)).close()
    db.chmod(0o644)
    reader = sqlite3.connect(db)  # another process's reader keeps -wal and -shm in place
    try:
        reader.execute("SELECT count(*) FROM teams").fetchone()
        for path in journal(db):
            path.chmod(0o644)
        Store(url_for(db)).close()
        assert [mode(path) for path in journal(db)] == ["0o600", "0o600", "0o600"]
    finally:
        reader.close()


def test_backups_safety_copies_and_exports_are_for_their_owner_only(
    default_umask, tmp_path, fixed_clock, capsys
):
    db = tmp_path / "workbook.sqlite"
    assert main(["--db", str(db), "seed", "--demo"]) == 0
    store = Store(url_for(db))
    coach = store.open_coach(teams.first_coach_code(store)[1])
    code = teams.coach_teams(coach)[0].code
    meeting = meetings.all_meetings(coach.open_team(code))[0].id
    backup = lifecycle.backup(store, tmp_path / "backups" / "monday.sqlite")
    safety = lifecycle.restore(store, backup)
    store.close()
    exported = tmp_path / "team.json"
    assert main(["--db", str(db), "team", "export", code, str(exported)]) == 0
    record = ["export", "--team", code, "--meeting", str(meeting), "--out", str(tmp_path)]
    assert main(["--db", str(db), *record]) == 0
    written = [backup, safety, exported, *tmp_path.glob("*meeting*")]
    assert len(written) == 5
    assert {path.name: mode(path) for path in written} == {path.name: "0o600" for path in written}
    assert mode(backup.parent) == "0o700"
