"""Upgrades from every older schema; the migrated schema must equal schema.py.

When the schema changes: add a migration, keep the old data files here, add the new
version's file made by its own script, and extend these tests.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from collab_widgets.errors import StoreUnavailable
from collab_widgets.store import Store, meetings, members, norms, schema, teams
from collab_widgets.store.migrations import current_version

DATA = Path(__file__).parent / "data"


@pytest.fixture
def v1_file(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(DATA / "schema_v1.sqlite", path)
    return path


def test_v1_file_really_is_version_1(v1_file):
    engine = sa.create_engine(f"sqlite:///{v1_file}")
    with engine.connect() as conn:
        assert current_version(conn) == 1
        assert "meetings" not in sa.inspect(conn).get_table_names()
    engine.dispose()


def test_upgrade_from_v1_keeps_every_row_and_adds_meetings(v1_file, fixed_clock):
    store = Store(f"sqlite:///{v1_file}")
    assert store.previous_version == 1
    with store.reading() as conn:
        assert current_version(conn) == schema.SCHEMA_VERSION
    scope = store.open_team("T333-3333-3333", "M44444444444")
    assert [m.name for m in members.roster(scope)] == ["Ana", "Ben"]
    assert [n.text for n in norms.norms(scope)] == ["We start on time."]
    assert members.current_roles(scope)["facilitator"].name == "Ben"
    meeting = meetings.create(scope, dt.date(2026, 10, 20))
    meetings.check_norm(scope, meeting.id, 1, "start", 4)
    assert meetings.check_summary(scope, meeting.id)[0].mean == 4.0
    assert store.open_coach("C22222222222").name == "Old Coach"
    assert [t.name for t in teams.coach_teams(store.open_coach("C22222222222"))] == ["Legacy Team"]
    store.close()


def test_migrated_schema_matches_schema_py(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []


def test_upgraded_v1_schema_matches_schema_py(v1_file, fixed_clock):
    store = Store(f"sqlite:///{v1_file}")
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    assert diff == []
    store.close()


def test_opening_twice_does_not_migrate_again(sqlite_store):
    again = Store(sqlite_store.url)
    assert again.previous_version == schema.SCHEMA_VERSION
    again.close()


def test_a_database_from_a_newer_program_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    Store(f"sqlite:///{path}").close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE schema_version SET version = 99")
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="newer"):
        Store(f"sqlite:///{path}")
