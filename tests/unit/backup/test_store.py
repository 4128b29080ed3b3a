import datetime as dt
import json
import threading

import pytest

from collab_widgets.backup import store as lifecycle
from collab_widgets.core.db import Store, activity
from collab_widgets.core.errors import AccessDenied, InvalidInput
from collab_widgets.live import store as live
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import runner
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.library import load_library
from collab_widgets.team.store import members, norms, teams


def _fill(team):
    scope = team.member(0)
    members.rotate_roles(team.as_coach)
    norm = norms.add(scope, "time", "We start on time 🙂")
    meeting = meetings.create(scope, dt.date(2026, 10, 20))
    meetings.set_attendance(scope, meeting.id, team.people[0].id, True)
    meetings.check_norm(scope, meeting.id, norm.id, "start", 3)
    return meeting


def _export_with(**tables) -> str:
    return json.dumps(
        {
            "format": "collab-workbook-team",
            "schema_version": 2,
            "team": {"name": "T"},
            "tables": tables,
        }
    )


MEMBER = {"id": 1, "name": "Ana", "position": 1, "joined_at": "2026-09-01T08:00:00+00:00"}


MEETING = {"id": 1, "date": "2026-10-01", "title": "M", "created_at": "2026-09-01T08:00:00"}


def test_backup_and_restore_round_trip(team, tmp_path):
    _fill(team)
    path = lifecycle.backup(team.store, tmp_path / "backup.sqlite")
    members.add(team.member(0), "Added after the backup")
    norms.delete(team.as_coach, norms.norms(team.as_coach)[0].id)
    lifecycle.restore(team.store, path, safety_folder=tmp_path)
    scope = team.store.open_team(team.code, team.people[0].token)
    assert [m.name for m in members.roster(scope)] == ["Ana", "Ben", "Chen"]
    assert norms.norms(scope)[0].text == "We start on time 🙂"
    members.add(scope, "New after restore")  # ids keep working (sequences reset)


def test_backup_refuses_to_overwrite(team, tmp_path):
    target = tmp_path / "exists.sqlite"
    target.write_text("keep me")
    with pytest.raises(InvalidInput, match="already exists"):
        lifecycle.backup(team.store, target)
    assert target.read_text() == "keep me"


def test_restore_of_a_missing_file_harms_nothing(team, tmp_path):
    with pytest.raises(InvalidInput, match="no backup file"):
        lifecycle.restore(team.store, tmp_path / "nope.sqlite")
    assert len(members.roster(team.member(0))) == 3


@pytest.mark.parametrize("content", [b"", b"just some text\n", b"SQLite format 3\x00" + b"x" * 200])
def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(team, tmp_path, content):
    folder = tmp_path / "files"
    folder.mkdir()
    source = folder / "typo.bak"
    source.write_bytes(content)
    with pytest.raises(InvalidInput, match="not a backup made by `collab backup`"):
        lifecycle.restore(team.store, source, safety_folder=folder)
    assert len(members.roster(team.member(0))) == 3
    assert source.read_bytes() == content  # the file itself is left as it was
    assert [p.name for p in folder.iterdir()] == ["typo.bak"]


def test_restore_keeps_what_it_replaces_and_never_changes_the_backup(team, tmp_path):
    path = lifecycle.backup(team.store, tmp_path / "backup.sqlite")
    before = path.read_bytes()
    members.add(team.member(0), "Only in the replaced data")
    safety = lifecycle.restore(team.store, path, safety_folder=tmp_path / "safe")
    assert path.read_bytes() == before
    assert safety.parent == tmp_path / "safe" and "before-restore" in safety.name
    kept = Store(f"sqlite:///{safety}")
    assert "Only in the replaced data" in [
        m.name for m in members.roster(kept.open_team(team.code))
    ]
    kept.close()
    again = lifecycle.restore(team.store, path, safety_folder=tmp_path / "safe")
    assert again != safety and again.exists()  # a second restore the same second


def test_restore_of_an_older_backup_upgrades_a_copy_only(sqlite_team, tmp_path):
    from pathlib import Path

    old = tmp_path / "v1.sqlite"
    old.write_bytes((Path(__file__).parents[1] / "data" / "schema_v1.sqlite").read_bytes())
    lifecycle.restore(sqlite_team.store, old, safety_folder=tmp_path)
    assert (
        old.read_bytes() == (Path(__file__).parents[1] / "data" / "schema_v1.sqlite").read_bytes()
    )
    scope = sqlite_team.store.open_team("T333-3333-3333")
    assert [m.name for m in members.roster(scope)] == ["Ana", "Ben"]


def test_a_failed_backup_leaves_no_file_that_looks_like_one(team, tmp_path, monkeypatch):
    def broken(conn, rows):
        raise OSError("disk full")

    monkeypatch.setattr(lifecycle, "_insert_all", broken)
    folder = tmp_path / "backups"
    with pytest.raises(OSError):
        lifecycle.backup(team.store, folder / "b.sqlite")
    assert list(folder.iterdir()) == []


def test_backup_while_writing_is_consistent(sqlite_team, tmp_path):
    """A backup taken while members are being added holds a whole number of changes."""
    store = sqlite_team.store
    writer_store = Store(store.url)
    writer_scope = writer_store.open_team(sqlite_team.code, sqlite_team.people[0].token)
    stop = threading.Event()

    def write():
        i = 0
        while not stop.is_set():
            members.add(writer_scope, f"Writer {i}")
            i += 1

    thread = threading.Thread(target=write)
    thread.start()
    try:
        paths = [lifecycle.backup(store, tmp_path / f"b{i}.sqlite") for i in range(3)]
    finally:
        stop.set()
        thread.join()
    writer_store.close()
    for path in paths:
        copy = Store(f"sqlite:///{path}")
        scope = copy.open_team(sqlite_team.code)
        joined = [e for e in activity.entries(scope, 10_000) if e.kind == "roster"]
        assert len(joined) == len(members.roster(scope))  # every member has its record
        copy.close()


def test_team_export_import_round_trip(team):
    meeting = _fill(team)
    text = lifecycle.export_team(team.as_coach)
    document = json.loads(text)
    assert document["format"] == "collab-workbook-team"
    assert team.people[0].token not in text and team.code not in text  # no keys inside
    copy = lifecycle.import_team(team.coach, text, name="Grade 4 Math (copy)")
    assert teams.team_code(copy) != team.code
    assert [m.name for m in members.roster(copy)] == ["Ana", "Ben", "Chen"]
    assert {m.token for m in members.roster(copy)}.isdisjoint(m.token for m in team.people)
    assert [n.text for n in norms.norms(copy)] == ["We start on time 🙂"]
    new_meeting = meetings.all_meetings(copy)[0]
    assert new_meeting.id != meeting.id and new_meeting.total_minutes == 60
    assert len(new_meeting.present) == 1
    assert meetings.check_summary(copy, new_meeting.id)[0].mean == 3.0
    assert members.current_roles(copy)["facilitator"].name == (
        members.current_roles(team.as_coach)["facilitator"].name
    )


def test_an_imported_teams_names_are_all_taken_even_from_a_file_without_them(team):
    """Files exported before names were taken hold no claimed_at: the imported members'
    names must not be claimable on the new team link, with their private entries."""
    document = json.loads(lifecycle.export_team(team.as_coach))
    for row in document["tables"]["members"]:
        row.pop("claimed_at", None)
    copy = lifecycle.import_team(team.coach, json.dumps(document), name="Imported")
    visitor = team.store.open_team(teams.team_code(copy))
    assert all(m.claimed for m in members.roster(visitor))
    with pytest.raises(AccessDenied, match="already taken"):
        members.claim(visitor, members.roster(copy)[0].id)


def test_only_a_facilitator_or_coach_exports(team):
    from collab_widgets.core.errors import AccessDenied

    members.assign_role(team.as_coach, "facilitator", team.people[0].id)
    with pytest.raises(AccessDenied):
        lifecycle.export_team(team.member(1))


@pytest.mark.parametrize(
    "text,message",
    [
        ("not json", "not valid JSON"),
        ('{"format": "something else"}', "not a team exported"),
        ('{"format": "collab-workbook-team", "schema_version": 999}', "newer version"),
        (_export_with(members=[{"id": 1, "shoe_size": 9}]), "row 1: unknown field 'shoe_size'"),
        (
            _export_with(attendance=[{"id": 1, "meeting_id": 7, "member_id": 1, "present": True}]),
            "points to a meetings row",
        ),
        (_export_with(members=[{**MEMBER, "name": None}]), "row 1: field 'name' is missing"),
        (
            _export_with(members=[{k: v for k, v in MEMBER.items() if k != "position"}]),
            "field 'position' is missing",
        ),
        (_export_with(members=[{**MEMBER, "position": "first"}]), "'position' .*whole number"),
        (_export_with(members=[{**MEMBER, "joined_at": 5}]), "'joined_at' .*date and time"),
        (_export_with(members=[{**MEMBER, "name": "x" * 500}]), "characters"),
        (_export_with(members=[MEMBER, {**MEMBER, "id": 2, "name": "ANA"}]), "'ana' .*twice"),
        (_export_with(members="everyone"), "Table members: expected a list"),
        (
            json.dumps(
                {
                    "format": "collab-workbook-team",
                    "schema_version": 2,
                    "team": {"role_rotation": "x"},
                }
            ),
            "'team' section is damaged",
        ),
        (
            json.dumps({"format": "collab-workbook-team", "schema_version": "2"}),
            "no readable 'schema_version'",
        ),
        (
            json.dumps(
                {"format": "collab-workbook-team", "schema_version": 2, "team": {"name": 5}}
            ),
            "team name is not text",
        ),
        (_export_with(members=[{**MEMBER, "position": 10**30}]), "'position' .*far too large"),
        (
            _export_with(members=[MEMBER, {**MEMBER, "name": "Ben"}]),
            "row 2: the id 1 is used by an earlier row",
        ),
        (_export_with(members=[{**MEMBER, "name": "Ana \ud800"}]), "broken character"),
        (
            json.dumps(
                {"format": "collab-workbook-team", "schema_version": 2, "team": {"name": "\ud800"}}
            ),
            "team name is not text",
        ),
        (
            json.dumps(
                {
                    "format": "collab-workbook-team",
                    "schema_version": 2,
                    "team": {"role_rotation": 2**70},
                }
            ),
            "no readable role rotation",
        ),
        (
            _export_with(
                norms=[
                    {
                        "id": 1,
                        "category": "bogus",
                        "text": "x",
                        "position": 1,
                        "created_at": "2026-09-01T08:00:00",
                        "updated_at": "2026-09-01T08:00:00",
                    }
                ]
            ),
            "'category' is 'bogus'; it must be one of time, listening",
        ),
        (
            _export_with(
                meetings=[MEETING],
                agenda_items=[
                    {"id": 1, "meeting_id": 1, "title": "x", "minutes": 999, "position": 1}
                ],
            ),
            "'minutes' is 999; it must be from 0 to 240",
        ),
        # Passes every check, but the database refuses it (one attendance per meeting and
        # member): the team made for the import is taken away again.
        (
            _export_with(
                members=[MEMBER],
                meetings=[MEETING],
                attendance=[
                    {"id": i, "meeting_id": 1, "member_id": 1, "present": True} for i in (1, 2)
                ],
            ),
            "database refused one of its rows",
        ),
    ],
)
def test_import_explains_bad_files_and_adds_nothing(team, text, message):
    before = len(teams.coach_teams(team.coach))
    with pytest.raises(InvalidInput, match=message):
        lifecycle.import_team(team.coach, text)
    assert len(teams.coach_teams(team.coach)) == before


def test_an_unexpected_failure_during_import_leaves_no_half_made_team(team, monkeypatch):
    text = lifecycle.export_team(team.as_coach)
    before = [t.name for t in teams.coach_teams(team.coach)]

    def broken(*_args, **_kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(lifecycle, "_insert_team_rows", broken)
    with pytest.raises(RuntimeError):
        lifecycle.import_team(team.coach, text)
    assert [t.name for t in teams.coach_teams(team.coach)] == before


def test_restore_keeps_the_last_commits_of_a_database_whose_server_was_killed(
    sqlite_store, tmp_path
):
    import subprocess
    import sys

    crashed = tmp_path / "crashed" / "workbook.sqlite"
    crashed.parent.mkdir()
    script = (
        "import os; from collab_widgets.core.db import Store; "
        "from collab_widgets.team.store import teams; "
        f"store = Store('sqlite:///{crashed}'); teams.add_coach(store, 'First'); "
        "teams.add_coach(store, 'Second, committed just before the crash'); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    wal = crashed.with_name(crashed.name + "-wal")
    assert wal.is_file() and wal.stat().st_size > 0  # the last commits are only there
    before = {p.name: p.read_bytes() for p in crashed.parent.iterdir()}
    lifecycle.restore(sqlite_store, crashed, safety_folder=tmp_path)
    names = [name for name, _ in teams.coach_codes(sqlite_store)]
    assert names == ["First", "Second, committed just before the crash"]
    assert {p.name: p.read_bytes() for p in crashed.parent.iterdir()} == before


def test_restore_refuses_a_damaged_or_newer_backup_and_changes_nothing(team, tmp_path):
    import sqlalchemy as sa

    cases = {"damaged.sqlite": (2, "damaged workbook backup"), "newer.sqlite": (99, "newer")}
    for name, (version, message) in cases.items():
        engine = sa.create_engine(f"sqlite:///{tmp_path / name}")
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
            conn.exec_driver_sql(f"INSERT INTO schema_version VALUES ({version})")
        engine.dispose()
        with pytest.raises(InvalidInput, match=message):
            lifecycle.restore(team.store, tmp_path / name, safety_folder=tmp_path / "safe")
        assert len(members.roster(team.member(0))) == 3
        assert not (tmp_path / "safe").exists()


def test_restore_keeps_a_safety_copy_of_coaches_even_without_teams(sqlite_store, tmp_path):
    empty_backup = lifecycle.backup(sqlite_store, tmp_path / "empty.sqlite")
    teams.add_coach(sqlite_store, "Coach whose link was handed out")
    safety = lifecycle.restore(sqlite_store, empty_backup, safety_folder=tmp_path / "safe")
    kept = Store(f"sqlite:///{safety}")
    assert [name for name, _ in teams.coach_codes(kept)] == ["Coach whose link was handed out"]
    kept.close()


@pytest.mark.parametrize(
    "table,field,value,message",
    [
        ("protocol_runs", "position", 99, "'position' is not one of the run's steps"),
        ("live_entries", "value", 9, "'value' is 9; it must be from 0 to 5"),
        ("live_prompts", "budget", 0, "'budget' is 0; it must be from 1 to 10"),
    ],
)
def test_import_refuses_a_run_off_its_steps_or_a_mark_off_its_scale(
    team, table, field, value, message
):
    scope = team.member(0)
    meeting = meetings.create(scope, dt.date(2026, 10, 1))
    protocol = load_library(folder="").get("fist-to-five")
    run_id = runs.start_run(scope, protocol, meeting.id, {"facilitator": team.people[0].id})
    while runs.get_run(scope, run_id).current.kind != "fist-to-five":
        runs.control(scope, run_id, runner.advance)
    live.mark(scope, runs.get_run(scope, run_id).current_prompt_id, 3)
    document = json.loads(lifecycle.export_team(scope))
    rows = document["tables"][table]
    target = next(r for r in rows if r.get(field) is not None) if field != "budget" else rows[0]
    target[field] = value
    before = len(teams.coach_teams(team.coach))
    with pytest.raises(InvalidInput, match=message):
        lifecycle.import_team(team.coach, json.dumps(document))
    assert len(teams.coach_teams(team.coach)) == before


def test_every_table_of_a_team_is_exported_or_left_out_on_purpose():
    from collab_widgets.backup.tables import NOT_EXPORTED, TEAM_TABLES
    from collab_widgets.core.db.tables import metadata

    carrying_a_team = {t.name for t in metadata.tables.values() if "team_id" in t.c}
    # a coach's, naming a team: the coaches a team was given to, a trainer's workshop
    coachs_own = {"coach_teams", "workshops"}
    decided = {t.name for t in (*TEAM_TABLES, *NOT_EXPORTED)} | coachs_own
    assert carrying_a_team - decided == set(), "decide: exported, or left out for its owner"
    assert not {t.name for t in TEAM_TABLES} & {t.name for t in NOT_EXPORTED}


def test_a_members_own_reflection_is_never_in_the_teams_export(team, meeting):
    from collab_widgets.reflection import store as reflections
    from tests.unit.store_helpers import PRIVATE

    reflections.save_own(team.member(1), meeting, "so_what", PRIVATE)
    reflections.save_synthesis(team.member(0), meeting, "so_what", "We saw item 4 again")
    for exporter in (team.as_coach, team.member(0)):
        members.assign_role(team.as_coach, "facilitator", team.people[0].id)
        exported = lifecycle.export_team(exporter)
        assert PRIVATE not in exported and "We saw item 4 again" in exported
        assert "reflections" not in json.loads(exported)["tables"]


def test_collab_backup_in_a_fresh_process_copies_every_table(tmp_path):
    """`collab backup` imports nothing but what it needs: every domain's tables (the
    school's partnerships too) must still be in the copy, row for row."""
    import sqlite3
    import subprocess
    import sys

    source, copy = tmp_path / "demo.sqlite", tmp_path / "copy.sqlite"
    for command in (["seed", "--demo"], ["backup", str(copy)]):
        subprocess.run(
            [sys.executable, "-m", "collab_widgets.cli", "--db", str(source), *command],
            check=True,
            capture_output=True,
        )
    left_out = {"schema_version", "wrong_codes"}  # what describes the server, not the work
    with sqlite3.connect(source) as original, sqlite3.connect(copy) as copied:
        names = [
            name
            for (name,) in original.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if name not in left_out
        ]
        counts = {
            name: [
                db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
                for db in (original, copied)
            ]
            for name in names
        }
    assert counts["partners"][0] > 0 and counts["mentor_logs"][0] > 0
    assert {name: pair for name, pair in counts.items() if pair[0] != pair[1]} == {}
