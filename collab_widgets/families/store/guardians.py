"""A class's families: one per student, made when the teacher opens Families, each with its
guardians, a link per guardian (shown once, on the card; rotated or revoked on its own),
the family's language and how the teacher reaches them.

Only the class's teacher changes any of it and reads the contacts; the team reads the
families (children under the names the reader may see); a coach reads counts only
(:func:`summary`)."""

from __future__ import annotations

import sqlalchemy as sa

from collab_widgets.core.db import Store, TeamScope, activity, wrong_codes
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from collab_widgets.core.i18n import LANGUAGES
from collab_widgets.core.light.tokens import digest
from collab_widgets.core.model import check_unchanged
from collab_widgets.families import rules
from collab_widgets.families import tables as f
from collab_widgets.families.model import Family, Guardian
from collab_widgets.students import tables as s
from collab_widgets.students.store import classes

LINK_CODE_LENGTH = 12  # about 59 bits: a link is one code, with no class code beside it
LIGHT_PAGE = "families"  # the family page: its wrong codes are counted under this
NO_FAMILY = "That family is no longer in this class."
NO_GUARDIAN = "That person is no longer on this family's list."


def _require_teacher(conn: sa.Connection, scope: TeamScope, class_id: int):
    return classes.require_own_class(conn, scope, class_id)


def _family_row(conn: sa.Connection, scope: TeamScope, family_id: int):
    row = conn.execute(
        sa.select(f.families).where(
            f.families.c.id == family_id, f.families.c.team_id == scope.team_id
        )
    ).first()
    if row is None:
        raise NotFound(NO_FAMILY)
    return row


def require_own_family(conn: sa.Connection, scope: TeamScope, family_id: int):
    """The family's row, if the scope is its class's teacher."""
    row = _family_row(conn, scope, family_id)
    _require_teacher(conn, scope, row.class_id)
    return row


def _guardian_row(conn: sa.Connection, scope: TeamScope, guardian_id: int):
    row = conn.execute(
        sa.select(f.family_guardians).where(
            f.family_guardians.c.id == guardian_id,
            f.family_guardians.c.team_id == scope.team_id,
        )
    ).first()
    if row is None:
        raise NotFound(NO_GUARDIAN)
    require_own_family(conn, scope, row.family_id)
    return row


def open_families(scope: TeamScope, class_id: int) -> int:
    """A family for every student of the class who has none yet (the teacher's first visit,
    and after students join); returns how many were made."""
    with scope.writing() as conn:
        row = _require_teacher(conn, scope, class_id)
        have = set(
            conn.execute(
                sa.select(f.families.c.student_id).where(f.families.c.class_id == class_id)
            ).scalars()
        )
        students = conn.execute(
            sa.select(s.class_students.c.id).where(s.class_students.c.class_id == class_id)
        ).scalars()
        new = [i for i in students if i not in have]
        now = scope.store.now()
        for student_id in new:
            conn.execute(
                f.families.insert().values(
                    team_id=scope.team_id,
                    class_id=class_id,
                    student_id=student_id,
                    language="en",
                    contact="",
                    created_at=now,
                )
            )
        if new:
            activity.record(
                conn, scope, "families", f"listed the families of “{row.name}” ({len(new)} new)"
            )
    return len(new)


def families(scope: TeamScope, class_id: int) -> list[Family]:
    """The class's families in the class's order; contacts for its teacher only."""
    roster = {student.id: student for student in classes.roster(scope, class_id)}
    with scope.reading() as conn:
        owner = classes.require_class(conn, scope, class_id).owner_id
        rows = conn.execute(
            sa.select(f.families)
            .where(f.families.c.class_id == class_id)
            .order_by(f.families.c.student_id)
        ).all()
        guardians = conn.execute(
            sa.select(f.family_guardians)
            .join(f.families, f.families.c.id == f.family_guardians.c.family_id)
            .where(f.families.c.class_id == class_id)
            .order_by(f.family_guardians.c.id)
        ).all()
    teacher = not scope.actor.is_coach and scope.member_id == owner
    by_family: dict[int, list[Guardian]] = {}
    for g in guardians:
        by_family.setdefault(g.family_id, []).append(
            Guardian(g.id, g.name, g.code_hash is not None, g.blocked, g.code_issued_at)
        )
    return [
        Family(
            id=row.id,
            student_id=row.student_id,
            child=roster[row.student_id].display_name if row.student_id in roster else "",
            pseudonym=roster[row.student_id].pseudonym if row.student_id in roster else "",
            language=row.language,
            contact=row.contact if teacher else "",
            guardians=tuple(by_family.get(row.id, ())),
        )
        for row in rows
    ]


def set_language(scope: TeamScope, family_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise InvalidInput(
            f"Choose one of the languages the family page has: {', '.join(LANGUAGES.values())}."
        )
    with scope.writing() as conn:
        require_own_family(conn, scope, family_id)
        conn.execute(
            f.families.update().where(f.families.c.id == family_id).values(language=language)
        )


def set_contact(scope: TeamScope, family_id: int, typed: str, base: str | None = None) -> None:
    """Saves how to reach the family as typed, unless it changed since the page read
    ``base`` (:class:`~collab_widgets.core.errors.EditConflict`: nothing overwritten)."""
    if len(typed) > rules.MAX_CONTACT:
        raise InvalidInput(f"Keep the contact under {rules.MAX_CONTACT} characters.")
    with scope.writing() as conn:
        row = require_own_family(conn, scope, family_id)
        check_unchanged(row.contact, base, typed)
        conn.execute(f.families.update().where(f.families.c.id == family_id).values(contact=typed))


def add_guardian(scope: TeamScope, family_id: int, name: str) -> int:
    name = rules.check_title(name, "the person's name (as you call them)")
    with scope.writing() as conn:
        require_own_family(conn, scope, family_id)
        return conn.execute(
            f.family_guardians.insert().values(
                team_id=scope.team_id,
                family_id=family_id,
                name=name,
                code_hash=None,
                code_issued_at=None,
                blocked=False,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]


def _fresh_code(conn: sa.Connection) -> tuple[str, str]:
    while True:
        code = classes.new_code(LINK_CODE_LENGTH)
        hashed = digest(code)
        taken = conn.execute(
            sa.select(f.family_guardians.c.id).where(f.family_guardians.c.code_hash == hashed)
        ).first()
        if taken is None:
            return code, hashed


def issue_link(scope: TeamScope, guardian_id: int) -> str:
    """A new link code for the guardian (shown once: on the card or in the message); the
    old one stops opening at once."""
    with scope.writing() as conn:
        row = _guardian_row(conn, scope, guardian_id)
        if row.blocked:
            raise AccessDenied(
                "This person is blocked from the family page: lift the block first if that "
                "is right."
            )
        code, hashed = _fresh_code(conn)
        _forget_wrong_codes(conn, [row.code_hash])
        conn.execute(
            f.family_guardians.update()
            .where(f.family_guardians.c.id == guardian_id)
            .values(code_hash=hashed, code_issued_at=scope.store.now())
        )
        activity.record(conn, scope, "families", "made a new family link")
    return code


def issue_links(scope: TeamScope, class_id: int) -> dict[int, str]:
    """A link for every guardian of the class without one (and not blocked): guardian id ->
    code, to print on the cards."""
    with scope.reading() as conn:
        _require_teacher(conn, scope, class_id)
        ids = conn.execute(
            sa.select(f.family_guardians.c.id)
            .join(f.families, f.families.c.id == f.family_guardians.c.family_id)
            .where(
                f.families.c.class_id == class_id,
                f.family_guardians.c.code_hash.is_(None),
                f.family_guardians.c.blocked.is_(False),
            )
        ).scalars()
    return {guardian_id: issue_link(scope, guardian_id) for guardian_id in ids}


def revoke_link(scope: TeamScope, guardian_id: int) -> None:
    """The guardian's link stops opening; a new one can be made later."""
    with scope.writing() as conn:
        row = _guardian_row(conn, scope, guardian_id)
        _forget_wrong_codes(conn, [row.code_hash])
        conn.execute(
            f.family_guardians.update()
            .where(f.family_guardians.c.id == guardian_id)
            .values(code_hash=None, code_issued_at=None)
        )
        activity.record(conn, scope, "families", "revoked a family link")


def set_blocked(scope: TeamScope, guardian_id: int, blocked: bool) -> None:
    """A blocked guardian (a court order, say) is refused everywhere: their link ends now,
    no card or link is made for them, and they are left out of every list a family sees."""
    with scope.writing() as conn:
        row = _guardian_row(conn, scope, guardian_id)
        values = {"blocked": blocked}
        if blocked:
            _forget_wrong_codes(conn, [row.code_hash])
            values |= {"code_hash": None, "code_issued_at": None}
        conn.execute(
            f.family_guardians.update()
            .where(f.family_guardians.c.id == guardian_id)
            .values(**values)
        )
        activity.record(
            conn,
            scope,
            "families",
            "blocked a person from a family page" if blocked else "lifted a block on a person",
        )


def remove_guardian(scope: TeamScope, guardian_id: int) -> None:
    """Takes a person off the family's list (added by mistake, or no longer of it): their
    link ends. A blocked person stays listed, so the block is kept: lift it first."""
    with scope.writing() as conn:
        row = _guardian_row(conn, scope, guardian_id)
        if row.blocked:
            raise InvalidInput(
                "This person is blocked; the block is kept while they are on the list. "
                "Lift the block first if they should come off it."
            )
        _forget_wrong_codes(conn, [row.code_hash])
        conn.execute(f.family_guardians.delete().where(f.family_guardians.c.id == guardian_id))
        activity.record(conn, scope, "families", "took a person off a family's list")


def _forget_wrong_codes(conn: sa.Connection, hashes: list[str | None]) -> None:
    """The wrong tries counted against a code that no longer opens anything."""
    known = [h for h in hashes if h]
    if known:
        conn.execute(
            t.wrong_codes.delete().where(
                t.wrong_codes.c.page == LIGHT_PAGE, t.wrong_codes.c.code_hash.in_(known)
            )
        )


def forget_stale_wrong_codes(store: Store) -> None:
    """The family page's wrong codes past the time they are counted (network addresses)."""
    wrong_codes.forget_older(store, LIGHT_PAGE, classes.WRONG_CODES_KEPT)
