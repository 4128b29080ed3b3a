"""Backups of the whole database and the export/import of one team as a JSON file."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from platformdirs import user_data_dir

from collab_widgets.backup import tables as t
from collab_widgets.classroom.rules import MAX_CASE_STUDENTS, STAGES, PlanContent
from collab_widgets.core.db import activity
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import CoachScope, Permission, Store, TeamScope, url_for
from collab_widgets.core.db.migrations import current_version
from collab_widgets.core.errors import InvalidInput, StoreUnavailable
from collab_widgets.core.model import MAX_MINUTES, MAX_TEXT, ROLES, clean_name, encodable
from collab_widgets.live.model import ENTRY_KINDS, PROMPT_KINDS, PROMPT_STATUSES, mark_range
from collab_widgets.live.rules import MAX_DOTS
from collab_widgets.protocols.model import RUN_STATUSES
from collab_widgets.protocols.runner import RUN_ROLES
from collab_widgets.protocols.schema import SCALES
from collab_widgets.team.model import CHECK_PHASES, NORM_CATEGORIES, NORM_RATINGS

TEAM_EXPORT_FORMAT = "collab-workbook-team"


def _snapshot(conn: sa.Connection) -> dict[str, list[dict]]:
    return {
        table.name: [
            dict(row._mapping)
            for row in conn.execute(
                sa.select(table).order_by(*table.primary_key.columns or table.c)
            )
        ]
        for table in core_tables.metadata.sorted_tables
        if table not in core_tables.NOT_BACKED_UP
    }


def backup(store: Store, destination: str | Path) -> Path:
    """A consistent copy of everything into a new SQLite file, safe while serving.

    All tables are read in one transaction (a snapshot on SQLite's WAL and on PostgreSQL's
    repeatable read), so the copy never mixes before and after of a concurrent change. The
    copy is written beside the destination and renamed when complete, so a failed backup
    never leaves a file that looks like one.
    """
    destination = Path(destination).expanduser().resolve()
    if destination.exists():
        raise InvalidInput(f"{destination} already exists; choose a new file name for the backup.")
    options = {} if store.is_sqlite else {"isolation_level": "REPEATABLE READ"}
    with store.engine.connect().execution_options(**options) as conn, conn.begin():
        rows = _snapshot(conn)
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    copy = Store(url_for(partial), clock=store.clock)
    try:
        with copy.writing() as conn:
            _insert_all(conn, rows)
        copy.close()
        partial.rename(destination)
    finally:
        copy.close()
        partial.unlink(missing_ok=True)
    return destination


def restore(store: Store, source: str | Path, safety_folder: Path | None = None) -> Path | None:
    """Replace everything in ``store`` with the backup file ``source``, in one transaction.

    The backup file itself is never changed (an older one is upgraded in a temporary
    copy), a file that is not a workbook backup is refused, and what is replaced is first
    saved to a safety copy (in ``safety_folder``, by default beside the SQLite file or in
    the user's data folder), whose path is returned (None when there was nothing to keep).
    """
    source = Path(source).expanduser().resolve()
    if not source.is_file():
        raise InvalidInput(f"There is no backup file at {source}.")
    with tempfile.TemporaryDirectory(prefix="collab-restore-") as folder:
        copy = Path(folder) / "backup.sqlite"
        shutil.copyfile(source, copy)
        # A database left by a server that stopped abruptly keeps its last commits in the
        # write-ahead log beside it; SQLite reads it from beside the copy too.
        wal = source.with_name(source.name + "-wal")
        if wal.is_file():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        _require_workbook_file(copy, source)
        try:
            backup_store = Store(url_for(copy), clock=store.clock)  # upgrades an older one
            try:
                with backup_store.reading() as conn:
                    rows = _snapshot(conn)
            finally:
                backup_store.close()
        except (sa.exc.DatabaseError, StoreUnavailable) as exc:
            raise InvalidInput(
                f"{source} is a damaged workbook backup and cannot be read. Nothing was "
                "changed; choose an older backup."
            ) from exc
    safety = backup(store, _safety_copy_path(store, safety_folder)) if _holds_data(store) else None
    with store.writing() as conn:
        for table in reversed(core_tables.metadata.sorted_tables):
            if table not in core_tables.NOT_BACKED_UP:
                conn.execute(table.delete())
        _insert_all(conn, rows)
        if not store.is_sqlite:
            _reset_sequences(conn)
    return safety


def _require_workbook_file(path: Path, named: Path) -> None:
    """Refuse an empty file, or a database without the workbook's schema, as a backup."""
    engine = sa.create_engine(url_for(path))
    try:
        with engine.connect() as conn:
            version = current_version(conn)
    except (sa.exc.DatabaseError, ValueError) as exc:
        raise InvalidInput(
            f"{named} is not a backup made by `collab backup` (it is not a workbook "
            "database). Nothing was changed."
        ) from exc
    finally:
        engine.dispose()
    if version == 0:
        raise InvalidInput(
            f"{named} is empty, not a backup made by `collab backup`. Nothing was changed."
        )
    if version > core_tables.SCHEMA_VERSION:
        raise InvalidInput(
            f"{named} was made by a newer version of the workbook (schema {version}; this "
            f"one has {core_tables.SCHEMA_VERSION}). Update the workbook, then restore. "
            "Nothing was changed."
        )


def _holds_data(store: Store) -> bool:
    """Whether a restore would replace anything (a coach code handed out counts)."""
    with store.reading() as conn:
        return any(
            conn.execute(sa.select(table.c.id).limit(1)).first()
            for table in (core_tables.coaches, core_tables.teams)
        )


def _safety_copy_path(store: Store, folder: Path | None) -> Path:
    stamp = store.now().strftime("%Y%m%d-%H%M%S")
    stem = "workbook"
    if store.is_sqlite:
        current = Path(sa.make_url(store.url).database)
        folder, stem = folder or current.parent, current.stem
    folder = folder or Path(user_data_dir("collab-workbook", appauthor=False))
    candidate = folder / f"{stem}.before-restore-{stamp}.sqlite"
    number = 1
    while candidate.exists():
        number += 1
        candidate = folder / f"{stem}.before-restore-{stamp}-{number}.sqlite"
    return candidate


def _insert_all(conn: sa.Connection, rows: dict[str, list[dict]]) -> None:
    for table in core_tables.metadata.sorted_tables:
        if rows.get(table.name):
            conn.execute(table.insert(), rows[table.name])


def _reset_sequences(conn: sa.Connection) -> None:
    for table in core_tables.metadata.sorted_tables:
        if "id" in table.c:
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


# --- one team as JSON -----------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def export_team(scope: TeamScope) -> str:
    """The whole team as JSON: roster, roles, norms, meetings, activity. No access codes."""
    scope.require(Permission.FACILITATE)
    with scope.reading() as conn:
        team = conn.execute(
            sa.select(core_tables.teams).where(core_tables.teams.c.id == scope.team_id)
        ).one()
        tables = {}
        for table in t.TEAM_TABLES:
            rows = conn.execute(
                sa.select(table).where(table.c.team_id == scope.team_id).order_by(table.c.id)
            )
            tables[table.name] = [
                {k: _jsonable(v) for k, v in row._mapping.items() if k not in ("team_id", "token")}
                for row in rows
            ]
    document = {
        "format": TEAM_EXPORT_FORMAT,
        "schema_version": core_tables.SCHEMA_VERSION,
        "exported_at": scope.store.now().isoformat(),
        "team": {
            "name": team.name,
            "role_rotation": team.role_rotation,
            "anonymous_board": team.anonymous_board,
        },
        "tables": tables,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


# Text columns holding JSON, with the kind of value each holds; checked on import so that a
# saved assessment always reads back. Their length is bounded by the file, not MAX_TEXT.
_JSON_COLUMNS: dict[tuple[str, str], type] = {
    ("assessments", "attributes"): list,
    ("co_plan_versions", "content"): dict,
    ("lesson_studies", "case_students"): list,
    ("assessments", "warnings"): list,
    ("assessment_students", "attributes"): dict,
    ("assessment_students", "points"): list,
    ("assessment_students", "responses"): list,
    ("column_mappings", "mapping"): dict,
    ("evidence_settings", "band_names"): list,
    ("evidence_settings", "band_cuts"): list,
    ("evidence_settings", "group_cuts"): list,
    ("goals", "draft"): dict,
    ("goal_versions", "fields"): dict,
    ("survey_rounds", "answers"): list,
    ("decisions", "present"): list,
}


def _parse_json(text: Any, kind: type) -> str:
    if not isinstance(text, str):
        raise ValueError("expected text")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError("expected JSON written by the workbook") from exc
    if not isinstance(value, kind):
        raise ValueError(f"expected a JSON {'list' if kind is list else 'object'}")
    return text


def _parse(column: sa.Column, value: Any) -> Any:
    """A JSON value as the column stores it; ValueError says what kind was expected."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, core_tables.UTCDateTime):
        if not isinstance(value, str):
            raise ValueError("expected a date and time such as 2026-10-15T15:00:00+00:00")
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    if isinstance(kind, sa.Date):
        if not isinstance(value, str):
            raise ValueError("expected a date such as 2026-10-15")
        return dt.date.fromisoformat(value)
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if isinstance(kind, sa.Float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ValueError("expected a number of seconds")
        return float(value)
    if isinstance(kind, sa.Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("expected a whole number")
        if not -(2**31) <= value < 2**31:  # PostgreSQL's INTEGER
            raise ValueError("the number is far too large")
        return value
    if not isinstance(value, str):
        raise ValueError("expected text")
    _encodable(value)
    longest = kind.length if isinstance(kind, sa.String) and kind.length else MAX_TEXT
    if len(value) > longest:
        raise ValueError(f"longer than {longest:,} characters")
    return value


# Values the workbook itself only ever writes from these lists; a file must keep to them.
_ALLOWED: dict[tuple[str, str], Collection] = {
    ("norms", "category"): NORM_CATEGORIES,
    ("role_assignments", "role"): ROLES,
    ("norm_checks", "phase"): CHECK_PHASES,
    ("norm_checks", "rating"): tuple(NORM_RATINGS),
    ("agenda_items", "minutes"): range(MAX_MINUTES + 1),
    ("live_sessions", "kind"): ("protocol",),
    ("live_prompts", "kind"): PROMPT_KINDS,
    ("live_prompts", "status"): PROMPT_STATUSES,
    ("live_entries", "kind"): ENTRY_KINDS,
    ("protocol_runs", "status"): RUN_STATUSES,
    ("run_roles", "role"): RUN_ROLES,
    ("live_prompts", "budget"): range(1, MAX_DOTS + 1),
    ("live_prompts", "scale"): SCALES,
    ("live_votes", "dots"): range(MAX_DOTS + 1),
    ("live_entries", "value"): range(max(SCALES) + 1),
    ("protocol_runs", "turn"): range(10_000),
}


def _allowed(table: sa.Table, values: dict, where: str) -> None:
    for (table_name, column), allowed in _ALLOWED.items():
        value = values.get(column)
        if table.name == table_name and value is not None and value not in allowed:
            listed = (
                f"from {allowed.start} to {allowed.stop - 1}"
                if isinstance(allowed, range)
                else "one of " + ", ".join(map(str, allowed))
            )
            raise InvalidInput(f"{where}: field {column!r} is {value!r}; it must be {listed}.")


def _encodable(text: str) -> None:
    if not encodable(text):
        raise ValueError("it holds a broken character (not valid Unicode text)")


def _references(table: sa.Table) -> list[tuple[str, str]]:
    """(column, table it points to) for the table's links to rows of the same team, in
    column order so that a file with several broken links always names the same one."""
    return [
        (column.name, fk.column.table.name)
        for column in table.c
        for fk in column.foreign_keys
        if fk.column.table.name != "teams"
    ]


# Filled in on import rather than read from the file.
_SET_ON_IMPORT = {"id", "team_id", "token", "name_key"}


def _checked_row(table: sa.Table, row: Any, where: str) -> dict:
    if (
        not isinstance(row, dict)
        or isinstance(row.get("id"), bool)
        or not isinstance(row.get("id"), int)
    ):
        raise InvalidInput(f"{where}: each row needs a whole-number 'id'.")
    unknown = set(row) - set(table.c.keys())
    if unknown:
        raise InvalidInput(f"{where}: unknown field {sorted(unknown)[0]!r}.")
    values = {}
    for key, value in row.items():
        if key in _SET_ON_IMPORT:
            continue
        try:
            json_kind = _JSON_COLUMNS.get((table.name, key))
            values[key] = (
                _parse_json(value, json_kind) if json_kind else _parse(table.c[key], value)
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInput(f"{where}: field {key!r} is not readable ({exc}).") from exc
    for column in table.c:
        required = not column.nullable and column.server_default is None
        if required and column.name not in _SET_ON_IMPORT and values.get(column.name) is None:
            raise InvalidInput(f"{where}: field {column.name!r} is missing.")
    _allowed(table, values, where)
    if table is core_tables.members:
        values["name"] = clean_name(values["name"], f"name in {where.lower()}")
        values["name_key"] = values["name"].casefold()
    return values


def _checked_rows(tables: Any) -> dict[str, list[tuple[int, dict]]]:
    """Rows per table, parsed; raises InvalidInput naming the table, row and field."""
    if not isinstance(tables, dict):
        raise InvalidInput("The file has no 'tables' section; it is not a team export.")
    checked: dict[str, list[tuple[int, dict]]] = {}
    for table in t.TEAM_TABLES:
        checked[table.name] = []
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            raise InvalidInput(f"Table {table.name}: expected a list of rows.")
        for line, row in enumerate(rows, start=1):
            where = f"Table {table.name}, row {line}"
            values = _checked_row(table, row, where)
            if any(old == row["id"] for old, _ in checked[table.name]):
                raise InvalidInput(f"{where}: the id {row['id']} is used by an earlier row.")
            for column, target in _references(table):
                known = {old for old, _ in checked.get(target, [])}
                if values.get(column) is not None and values[column] not in known:
                    raise InvalidInput(
                        f"{where}: field {column!r} points to a {target} row that is not in "
                        "the file."
                    )
            checked[table.name].append((row["id"], values))
    _consistent_runs(checked)
    _consistent_assessments(checked)
    _consistent_classroom(checked)
    active = [v["name_key"] for _, v in checked["members"] if v.get("deleted_at") is None]
    twice = {key for key in active if active.count(key) > 1}
    if twice:
        raise InvalidInput(
            f"Table members: the name {sorted(twice)[0]!r} is on the roster twice; rename one."
        )
    return checked


def _consistent_runs(checked: dict[str, list[tuple[int, dict]]]) -> None:
    """What the pages rely on across rows: a run is at one of its steps, and a mark is
    on its prompt's scale (0-5 for a fist to five, 1 to the scale for a rating)."""
    steps: dict[int, int] = {}
    for _, values in checked["run_steps"]:
        steps[values["run_id"]] = steps.get(values["run_id"], 0) + 1
    for line, (old, values) in enumerate(checked["protocol_runs"], start=1):
        if not 0 <= values["position"] < steps.get(old, 0):
            raise InvalidInput(
                f"Table protocol_runs, row {line}: field 'position' is not one of the run's steps."
            )
    prompts = {old: values for old, values in checked["live_prompts"]}
    for line, (_, values) in enumerate(checked["live_entries"], start=1):
        prompt = prompts.get(values["prompt_id"], {})
        if values["kind"] != "check" or values.get("value") is None:
            continue
        low, high = mark_range(prompt.get("kind"), prompt.get("scale"))
        if not low <= values["value"] <= high:
            raise InvalidInput(
                f"Table live_entries, row {line}: field 'value' is {values['value']}; it must "
                f"be from {low} to {high}."
            )


def _consistent_assessments(checked: dict[str, list[tuple[int, dict]]]) -> None:
    """Each student has one score (and one answer) per item of their assessment."""
    items: dict[int, int] = {}
    for _, values in checked["assessment_items"]:
        items[values["assessment_id"]] = items.get(values["assessment_id"], 0) + 1
    for line, (_, values) in enumerate(checked["assessment_students"], start=1):
        expected = items.get(values["assessment_id"], 0)
        for column in ("points", "responses"):
            given = json.loads(values[column])
            if len(given) != expected:
                raise InvalidInput(
                    f"Table assessment_students, row {line}: field {column!r} has "
                    f"{len(given)} values for {expected} items."
                )


def _consistent_classroom(checked: dict[str, list[tuple[int, dict]]]) -> None:
    """A plan's versions read back as plans, a lesson study is at a stage the cycle has,
    taught once or twice, with case students named by text."""
    for line, (_, values) in enumerate(checked["co_plan_versions"], start=1):
        try:
            PlanContent.from_json(values["content"])
        except (TypeError, ValueError, AttributeError) as exc:
            raise InvalidInput(
                f"Table co_plan_versions, row {line}: field 'content' is not a plan."
            ) from exc
    for line, (_, values) in enumerate(checked["lesson_studies"], start=1):
        where = f"Table lesson_studies, row {line}"
        if values["stage"] not in STAGES:
            raise InvalidInput(f"{where}: field 'stage' is not a stage of a lesson study.")
        if values["teaching"] not in (1, 2):
            raise InvalidInput(f"{where}: field 'teaching' is 1 or 2.")
        names = json.loads(values["case_students"])
        if not all(isinstance(n, str) for n in names) or len(names) > MAX_CASE_STUDENTS:
            raise InvalidInput(
                f"{where}: field 'case_students' is a list of up to {MAX_CASE_STUDENTS} names."
            )


def import_team(coach: CoachScope, text: str, name: str | None = None) -> TeamScope:
    """A new team (new codes and links) for ``coach`` from an exported JSON file."""
    from collab_widgets.team.store.teams import create_team  # a team is created the one usual way

    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}). Choose the "
            "file the workbook exported for a team."
        ) from exc
    if not isinstance(document, dict) or document.get("format") != TEAM_EXPORT_FORMAT:
        raise InvalidInput("The file is not a team exported by the Collaboration Workbook.")
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise InvalidInput("The file has no readable 'schema_version'; export the team again.")
    if version > core_tables.SCHEMA_VERSION:
        raise InvalidInput("The file comes from a newer version of the workbook; update first.")
    team = document.get("team", {})
    if not isinstance(team, dict):
        raise InvalidInput("The file's 'team' section is damaged; export the team again.")
    rotation, team_name = team.get("role_rotation", 0), team.get("name", "Imported team")
    if isinstance(rotation, bool) or not isinstance(rotation, int) or not 0 <= rotation < 2**31:
        raise InvalidInput("The file's 'team' section is damaged (no readable role rotation).")
    try:
        _encodable(team_name)
    except (AttributeError, ValueError) as exc:
        raise InvalidInput("The file's team name is not text; export the team again.") from exc
    anonymous = team.get("anonymous_board", False)
    if not isinstance(anonymous, bool):
        raise InvalidInput("The file's 'anonymous_board' is not true or false.")
    rows = _checked_rows(document.get("tables", {}))  # all is checked before anything is stored
    scope = create_team(coach, name or team_name)
    try:
        _insert_team_rows(scope, rows, role_rotation=rotation, anonymous_board=anonymous)
    except sa.exc.DBAPIError as exc:
        _discard_new_team(scope)
        raise InvalidInput(
            "The file could not be imported: the database refused one of its rows "
            f"({type(exc.orig).__name__}). Nothing was added. Export the team again."
        ) from exc
    except BaseException:
        _discard_new_team(scope)
        raise
    return scope


def _insert_team_rows(scope: TeamScope, rows: dict, **settings) -> None:
    id_maps: dict[str, dict[int, int]] = {}
    with scope.writing(Permission.COACH) as conn:
        for table in t.TEAM_TABLES:
            id_maps[table.name] = {}
            for old_id, values in rows[table.name]:
                for column, target in _references(table):
                    if values.get(column) is not None:
                        values[column] = id_maps[target][values[column]]
                values["team_id"] = scope.team_id
                if table is core_tables.members:
                    # new links, and every name taken: the team link must not hand an
                    # imported member's name, and their private entries, to a newcomer
                    # (files from before names were taken have no claimed_at at all)
                    values["token"] = scope.store.fresh_code(conn)
                    values["claimed_at"] = values.get("claimed_at") or values["joined_at"]
                new_id = conn.execute(table.insert().values(**values)).inserted_primary_key[0]
                id_maps[table.name][old_id] = new_id
        conn.execute(
            core_tables.teams.update()
            .where(core_tables.teams.c.id == scope.team_id)
            .values(**settings)
        )
        activity.record(conn, scope, "team", "Team imported from an exported file")


def _discard_new_team(scope: TeamScope) -> None:
    """Remove a team created moments ago for an import that then failed (nothing else)."""
    with scope.store.writing() as conn:
        conn.execute(
            core_tables.activity.delete().where(core_tables.activity.c.team_id == scope.team_id)
        )
        conn.execute(core_tables.teams.delete().where(core_tables.teams.c.id == scope.team_id))
