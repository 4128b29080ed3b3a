"""Saved assessments, remembered column mappings and the team's evidence settings.

Plain values in and out (see :mod:`collab_widgets.model`); the tidy table and every
analysis live in :mod:`collab_widgets.evidence`, which calls this module.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import secrets

import sqlalchemy as sa

from collab_widgets.core.db import activity, shared_text
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.db.database import Permission, SchoolScope, TeamScope
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.model import check_text, plural
from collab_widgets.evidence import tables as t
from collab_widgets.evidence.model import (
    AssessmentInfo,
    AssessmentItem,
    EvidenceSettings,
    SavedAssessment,
    StudentResult,
)

MAX_ASSESSMENT_NAME = 200
MIN_MIN_N = 5  # a team may lower the smallest group shown from 10, but not below this
_CHUNK = 5_000  # students per INSERT, so a large file never builds one huge statement


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _number(value: float | None) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def check_assessment_name(typed: str) -> str:
    name = check_text(typed, "assessment name").strip()
    if not name:
        raise InvalidInput("Give the assessment a name, such as “Unit 3 post-test”.", "name")
    if len(name) > MAX_ASSESSMENT_NAME:
        raise InvalidInput(
            f"Keep the assessment name to {MAX_ASSESSMENT_NAME} characters or fewer.", "name"
        )
    return name


def save(
    scope: TeamScope,
    name: str,
    items: list[AssessmentItem],
    students: list[StudentResult],
    *,
    file_name: str = "",
    given_on: dt.date | None = None,
    totals_only: bool = False,
    attributes: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
) -> int:
    """Store one assessment in one transaction (all of it or, on any failure, nothing)."""
    name = check_assessment_name(name)
    with scope.writing() as conn:
        assessment_id = conn.execute(
            t.assessments.insert().values(
                team_id=scope.team_id,
                name=name,
                given_on=given_on,
                file_name=(file_name or "")[:200],
                totals_only=totals_only,
                attributes=_json(list(attributes)),
                warnings=_json(list(warnings)),
                created_by=scope.member_id,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        if items:
            conn.execute(
                t.assessment_items.insert(),
                [
                    dict(
                        team_id=scope.team_id,
                        assessment_id=assessment_id,
                        position=position,
                        item=item.item[:200],
                        standard=item.standard[:200],
                        max_points=float(item.max_points),
                        answer=item.answer[:200],
                        options=item.options,
                    )
                    for position, item in enumerate(items)
                ],
            )
        for start in range(0, len(students), _CHUNK):
            conn.execute(
                t.assessment_students.insert(),
                [
                    dict(
                        team_id=scope.team_id,
                        assessment_id=assessment_id,
                        student_key=s.key[:200],
                        name=s.name[:200],
                        teacher=s.teacher[:200],
                        section=s.section[:200],
                        attributes=_json(s.attributes),
                        points=_json([_number(p) for p in s.points]),
                        responses=_json(list(s.responses)),
                        reported_total=_number(s.reported_total),
                        reported_max=_number(s.reported_max),
                    )
                    for s in students[start : start + _CHUNK]
                ],
            )
        activity.record(
            conn,
            scope,
            "assessment",
            f"Assessment “{name}” added: {plural(len(students), 'student')}, "
            f"{plural(len(items), 'item')}",
            f"assessment/{assessment_id}",
        )
    return assessment_id


def _info(row, students: int, items: int) -> AssessmentInfo:
    return AssessmentInfo(
        id=row.id,
        name=row.name,
        given_on=row.given_on,
        file_name=row.file_name,
        students=students,
        items=items,
        created_at=row.created_at,
        totals_only=row.totals_only,
        attributes=tuple(json.loads(row.attributes)),
        warnings=tuple(json.loads(row.warnings)),
    )


def _counts(table: sa.Table):
    return (
        sa.select(table.c.assessment_id, sa.func.count().label("n"))
        .group_by(table.c.assessment_id)
        .subquery()
    )


def assessments(scope: TeamScope) -> list[AssessmentInfo]:
    """The team's assessments (not those in the trash), most recent first."""
    students, items = _counts(t.assessment_students), _counts(t.assessment_items)
    query = (
        sa.select(
            t.assessments,
            sa.func.coalesce(students.c.n, 0).label("students"),
            sa.func.coalesce(items.c.n, 0).label("items"),
        )
        .outerjoin(students, students.c.assessment_id == t.assessments.c.id)
        .outerjoin(items, items.c.assessment_id == t.assessments.c.id)
        .where(t.assessments.c.team_id == scope.team_id, t.assessments.c.deleted_at.is_(None))
        .order_by(t.assessments.c.created_at.desc(), t.assessments.c.id.desc())
    )
    with scope.reading() as conn:
        rows = conn.execute(query).all()
    return [_info(row, row.students, row.items) for row in rows]


_NO_ASSESSMENT = "That assessment is no longer there (it may be in the trash)."


def in_the_trash() -> sa.Select:
    """The ids of assessments in the trash, for another store's query: what is about one of
    them (a cycle's link, a checkpoint, a protocol run) goes to the trash with it."""
    return sa.select(t.assessments.c.id).where(t.assessments.c.deleted_at.is_not(None))


def require_assessment(conn: sa.Connection, scope: TeamScope, assessment_id: int):
    row = conn.execute(
        sa.select(t.assessments).where(
            t.assessments.c.id == assessment_id,
            t.assessments.c.team_id == scope.team_id,
            t.assessments.c.deleted_at.is_(None),
        )
    ).first()
    if row is None:
        raise NotFound(_NO_ASSESSMENT)
    return row


def load(scope: TeamScope, assessment_id: int) -> SavedAssessment:
    with scope.reading() as conn:
        row = require_assessment(conn, scope, assessment_id)
        items = tuple(
            AssessmentItem(r.item, r.standard, r.max_points, r.answer, r.options)
            for r in conn.execute(
                sa.select(t.assessment_items)
                .where(t.assessment_items.c.assessment_id == assessment_id)
                .order_by(t.assessment_items.c.position)
            )
        )
        students = tuple(
            StudentResult(
                key=r.student_key,
                name=r.name,
                teacher=r.teacher,
                section=r.section,
                attributes=json.loads(r.attributes),
                points=tuple(json.loads(r.points)),
                responses=tuple(json.loads(r.responses)),
                reported_total=r.reported_total,
                reported_max=r.reported_max,
            )
            for r in conn.execute(
                sa.select(t.assessment_students)
                .where(t.assessment_students.c.assessment_id == assessment_id)
                .order_by(t.assessment_students.c.id)
            )
        )
    return SavedAssessment(_info(row, len(students), len(items)), items, students)


def rename(scope: TeamScope, assessment_id: int, name: str, base: str | None = None) -> None:
    """A new name, typed over ``base`` (see ``check_unchanged``; names are kept trimmed)."""
    name = check_assessment_name(name)
    with scope.writing() as conn:
        shared_text.write(
            conn,
            scope,
            t.assessments,
            assessment_id,
            "name",
            name,
            None if base is None else base.strip(),
            _NO_ASSESSMENT,
        )


def delete(scope: TeamScope, assessment_id: int) -> None:
    """To the trash, with everything made from it: its scores, and the dialogue about it
    (both hidden with it, and back with it when restored)."""
    with scope.writing(Permission.FACILITATE) as conn:
        row = require_assessment(conn, scope, assessment_id)
        conn.execute(
            t.assessments.update()
            .where(t.assessments.c.id == assessment_id)
            .values(deleted_at=scope.store.now())
        )
        activity.record(conn, scope, "trash", f"Assessment “{row.name}” moved to the trash")


REAL_NAMES_REFUSED = (
    "Only a team member can show students' real names, on their own screen; a coach sees "
    "pseudonyms."
)


def may_show_real_names(scope: TeamScope) -> bool:
    """The rule for real student names: a team member may show them on their own screen; a
    coach never, not even acting as a member."""
    return scope.member_id is not None and not scope.actor.is_coach


def check_real_names(scope: TeamScope) -> None:
    """Refuse (AccessDenied) unless real names may show on this visitor's screen now. Asked
    at every draw of names: the database is read, so a page whose link was changed or whose
    member was taken off the roster is refused too."""
    with scope.reading():
        if not may_show_real_names(scope):
            raise AccessDenied(REAL_NAMES_REFUSED)


def record_reveal(scope: TeamScope, assessment_id: int) -> None:
    """Note that the visitor showed students' real names on their own screen; refused
    (AccessDenied) as :func:`check_real_names` refuses."""
    with scope.writing() as conn:
        if not may_show_real_names(scope):
            raise AccessDenied(REAL_NAMES_REFUSED)
        row = require_assessment(conn, scope, assessment_id)
        activity.record(
            conn,
            scope,
            "names shown",
            f"Real student names shown on one screen for “{row.name}”",
            f"assessment/{assessment_id}",
        )


# --- column mappings remembered by the columns a file has --------------------------------


def remembered_mapping(scope: TeamScope, signature: str) -> str | None:
    with scope.reading() as conn:
        return conn.execute(
            sa.select(t.column_mappings.c.mapping).where(
                t.column_mappings.c.team_id == scope.team_id,
                t.column_mappings.c.signature == signature,
            )
        ).scalar()


def remember_mapping(scope: TeamScope, signature: str, mapping: str) -> None:
    with scope.writing() as conn:
        updated = conn.execute(
            t.column_mappings.update()
            .where(
                t.column_mappings.c.team_id == scope.team_id,
                t.column_mappings.c.signature == signature,
            )
            .values(mapping=mapping, updated_at=scope.store.now())
        ).rowcount
        if not updated:
            conn.execute(
                t.column_mappings.insert().values(
                    team_id=scope.team_id,
                    signature=signature,
                    mapping=mapping,
                    updated_at=scope.store.now(),
                )
            )


# --- settings ---------------------------------------------------------------------------


def settings(scope: TeamScope) -> EvidenceSettings:
    """The team's settings; the defaults (with a new pseudonym salt) the first time."""
    with scope.reading() as conn:
        row = conn.execute(
            sa.select(t.evidence_settings).where(t.evidence_settings.c.team_id == scope.team_id)
        ).first()
    if row is None:
        return _create_settings(scope)
    return EvidenceSettings(
        band_names=tuple(json.loads(row.band_names)),
        band_cuts=tuple(json.loads(row.band_cuts)),
        group_cuts=tuple(json.loads(row.group_cuts)),
        min_n=row.min_n,
        compare_teachers=row.compare_teachers,
        pseudonym_salt=row.pseudonym_salt,
    )


def school_salts(scope: SchoolScope, team_ids: set[int]) -> dict[int, str]:
    """The pseudonym salt of each of these teams of the scope's school (made the first
    time, as :func:`settings` does), so that a student has the same pseudonym on the
    school's pages as on their team's own. Teams of another school are left out."""
    settings_c, teams_c = t.evidence_settings.c, core_tables.teams.c

    def read(conn: sa.Connection) -> dict[int, str]:
        return dict(
            conn.execute(
                sa.select(settings_c.team_id, settings_c.pseudonym_salt)
                .join(core_tables.teams, teams_c.id == settings_c.team_id)
                .where(settings_c.team_id.in_(team_ids), teams_c.school_id == scope.school_id)
            ).all()
        )

    with scope.reading() as conn:
        found = read(conn)
        missing = (
            conn.execute(
                sa.select(teams_c.id).where(
                    teams_c.id.in_(set(team_ids) - set(found)), teams_c.school_id == scope.school_id
                )
            )
            .scalars()
            .all()
        )
    if not missing:
        return found
    for team_id in missing:
        chosen = EvidenceSettings(pseudonym_salt=secrets.token_hex(16))
        # another page may have made them a moment ago: then theirs stand
        with contextlib.suppress(sa.exc.IntegrityError), scope.store.writing() as conn:
            conn.execute(
                t.evidence_settings.insert().values(
                    team_id=team_id,
                    pseudonym_salt=chosen.pseudonym_salt,
                    updated_at=scope.store.now(),
                    **_settings_values(chosen),
                )
            )
    with scope.reading() as conn:
        return read(conn)


def _settings_values(chosen: EvidenceSettings) -> dict:
    return dict(
        band_names=_json(list(chosen.band_names)),
        band_cuts=_json(list(chosen.band_cuts)),
        group_cuts=_json(list(chosen.group_cuts)),
        min_n=chosen.min_n,
        compare_teachers=chosen.compare_teachers,
    )


def _create_settings(scope: TeamScope) -> EvidenceSettings:
    chosen = EvidenceSettings(pseudonym_salt=secrets.token_hex(16))
    try:
        with scope.store.writing() as conn:
            conn.execute(
                t.evidence_settings.insert().values(
                    team_id=scope.team_id,
                    pseudonym_salt=chosen.pseudonym_salt,
                    updated_at=scope.store.now(),
                    **_settings_values(chosen),
                )
            )
    except sa.exc.IntegrityError:  # another page created them a moment ago
        return settings(scope)
    return chosen


def set_settings(scope: TeamScope, chosen: EvidenceSettings) -> None:
    """Change bands, cut points, the smallest group shown or teacher comparison (the
    facilitator or the coach decides; the pseudonym salt never changes)."""
    if not MIN_MIN_N <= chosen.min_n <= 100:
        raise InvalidInput(
            f"The smallest group shown is a whole number from {MIN_MIN_N} to 100; below "
            f"{MIN_MIN_N}, students in a small group could be recognised.",
            "min_n",
        )
    settings(scope)  # exists from here on
    with scope.writing(Permission.FACILITATE) as conn:
        conn.execute(
            t.evidence_settings.update()
            .where(t.evidence_settings.c.team_id == scope.team_id)
            .values(updated_at=scope.store.now(), **_settings_values(chosen))
        )
        activity.record(conn, scope, "evidence settings", "Evidence settings changed")
