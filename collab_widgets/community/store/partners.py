"""A school's partners: organisations with their contacts (how to reach them: the
coordinator's only), what they offer and their agreements (one at a time per partner, with
reminders before one runs out), and the activities done with the community.

Every change is the coordinator's (``scope.writing()`` refuses the principal) and is noted
in the school's activity record in the same transaction."""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa

from collab_widgets.community import library, rules
from collab_widgets.community import tables as c
from collab_widgets.community.model import Agreement, CommunityActivity, Contact, Partner, Reminder
from collab_widgets.community.store import schools
from collab_widgets.core.db import Connection, SchoolScope
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.families.library import INVOLVEMENT_IDS

NO_PARTNER = "That partner is no longer here."
MAX_NAME = 120
MAX_TITLE = 200
MAX_REACH = 200
MAX_NOTES = 4000


def _kind_and_offers(kind: str, offers) -> tuple[str, list[str]]:
    """The kind of partner and its offers, each one of the library's."""
    shipped = library.load_partners()
    if kind not in {k.id for k in shipped.kinds}:
        names = ", ".join(k.name for k in shipped.kinds)
        raise InvalidInput(f"Choose the kind of partner ({names}).")
    offers = list(dict.fromkeys(offers or ()))
    names = {offer.id: offer.name for offer in shipped.offers}
    unknown = [offer for offer in offers if offer not in names]
    if unknown:
        raise InvalidInput(
            f"Unknown offers: {', '.join(map(str, unknown))}; choose from "
            f"{', '.join(names.values())}."
        )
    return kind, offers


def _require_partner(conn: Connection, scope: SchoolScope, partner_id: int):
    row = conn.execute(
        sa.select(c.partners).where(
            c.partners.c.id == partner_id, c.partners.c.school_id == scope.school_id
        )
    ).first()
    if row is None:
        raise NotFound(NO_PARTNER)
    return row


def require_partner(conn: Connection, scope: SchoolScope, partner_id: int | None) -> str:
    """The school's partner's name ("" for None); NotFound for another school's."""
    return "" if partner_id is None else _require_partner(conn, scope, partner_id).name


def _refuse_duplicate(
    conn: Connection, scope: SchoolScope, name: str, partner_id: int | None = None
) -> None:
    found = conn.execute(
        sa.select(c.partners.c.name).where(
            c.partners.c.school_id == scope.school_id,
            c.partners.c.name_key == rules.fold(name),
            c.partners.c.id != (partner_id or 0),
        )
    ).first()
    if found is not None:
        raise InvalidInput(
            f"There is already a partner called “{found.name}”: open it to add to it, or "
            "give this one a different name."
        )


# --- partners ------------------------------------------------------------------------------


def add_partner(scope: SchoolScope, name: str, kind: str, offers=(), notes: str = "") -> int:
    name = rules.line(name, "the partner's name", MAX_NAME)
    kind, offers = _kind_and_offers(kind, offers)
    notes = rules.passage(notes, "the notes", MAX_NOTES)
    with scope.writing() as conn:
        _refuse_duplicate(conn, scope, name)
        partner_id = conn.execute(
            c.partners.insert().values(
                school_id=scope.school_id,
                name=name,
                name_key=rules.fold(name),
                kind=kind,
                offers=json.dumps(offers),
                notes=notes,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, "partners", f"added the partner “{name}”")
    return partner_id


def update_partner(
    scope: SchoolScope, partner_id: int, name: str, kind: str, offers=(), notes: str = ""
) -> None:
    name = rules.line(name, "the partner's name", MAX_NAME)
    kind, offers = _kind_and_offers(kind, offers)
    notes = rules.passage(notes, "the notes", MAX_NOTES)
    with scope.writing() as conn:
        _require_partner(conn, scope, partner_id)
        _refuse_duplicate(conn, scope, name, partner_id)
        conn.execute(
            c.partners.update()
            .where(c.partners.c.id == partner_id)
            .values(
                name=name,
                name_key=rules.fold(name),
                kind=kind,
                offers=json.dumps(offers),
                notes=notes,
            )
        )
        schools.record(conn, scope, "partners", f"changed the partner “{name}”")


def delete_partner(scope: SchoolScope, partner_id: int) -> None:
    """The partner with its contacts and agreements; what was done with it stays, without
    a partner."""
    with scope.writing() as conn:
        row = _require_partner(conn, scope, partner_id)
        conn.execute(c.partners.delete().where(c.partners.c.id == partner_id))
        schools.record(conn, scope, "partners", f"removed the partner “{row.name}”")


def _agreements(conn: Connection, scope: SchoolScope, partner_id: int | None = None):
    query = (
        sa.select(c.partner_agreements, c.partners.c.name.label("partner"))
        .join(c.partners, c.partners.c.id == c.partner_agreements.c.partner_id)
        .where(c.partner_agreements.c.school_id == scope.school_id)
        .order_by(c.partner_agreements.c.starts_on, c.partner_agreements.c.id)
    )
    if partner_id is not None:
        query = query.where(c.partner_agreements.c.partner_id == partner_id)
    return [
        Agreement(row.id, row.partner_id, row.partner, row.title, row.starts_on, row.ends_on)
        for row in conn.execute(query)
    ]


def _partners(conn: Connection, scope: SchoolScope, partner_id: int | None = None):
    query = (
        sa.select(c.partners)
        .where(c.partners.c.school_id == scope.school_id)
        .order_by(c.partners.c.name_key, c.partners.c.id)
    )
    contacts_query = (
        sa.select(c.partner_contacts)
        .where(c.partner_contacts.c.school_id == scope.school_id)
        .order_by(c.partner_contacts.c.id)
    )
    if partner_id is not None:
        query = query.where(c.partners.c.id == partner_id)
        contacts_query = contacts_query.where(c.partner_contacts.c.partner_id == partner_id)
    rows = conn.execute(query).all()
    contacts: dict[int, list[Contact]] = {}
    for row in conn.execute(contacts_query):
        # how to reach someone is the coordinator's to see and use
        reach = row.reach if scope.can_change else ""
        contacts.setdefault(row.partner_id, []).append(Contact(row.id, row.name, row.role, reach))
    agreements: dict[int, list[Agreement]] = {}
    for agreement in _agreements(conn, scope, partner_id):
        agreements.setdefault(agreement.partner_id, []).append(agreement)
    return [
        Partner(
            row.id,
            row.name,
            row.kind,
            tuple(json.loads(row.offers)),
            row.notes,
            tuple(contacts.get(row.id, ())),
            tuple(agreements.get(row.id, ())),
        )
        for row in rows
    ]


def partners(scope: SchoolScope) -> list[Partner]:
    """The school's partners by name, each with its contacts and agreements."""
    with scope.reading() as conn:
        return _partners(conn, scope)


def partner(scope: SchoolScope, partner_id: int) -> Partner:
    with scope.reading() as conn:
        found = _partners(conn, scope, partner_id)
    if not found:
        raise NotFound(NO_PARTNER)
    return found[0]


def partner_names(scope: SchoolScope) -> list[tuple[int, str]]:
    """(id, name) of every partner, by name: for choosing one."""
    with scope.reading() as conn:
        return [
            (row.id, row.name)
            for row in conn.execute(
                sa.select(c.partners.c.id, c.partners.c.name)
                .where(c.partners.c.school_id == scope.school_id)
                .order_by(c.partners.c.name_key, c.partners.c.id)
            )
        ]


# --- contacts ------------------------------------------------------------------------------


def add_contact(scope: SchoolScope, partner_id: int, name: str, role: str, reach: str) -> int:
    """Someone at the partner, their role there, and how to reach them (email or phone)."""
    name = rules.line(name, "the contact's name", MAX_NAME)
    role = rules.line(role, "the contact's role", MAX_NAME, required=False)
    reach = rules.line(reach, "how to reach the contact", MAX_REACH, required=False)
    with scope.writing() as conn:
        partner_row = _require_partner(conn, scope, partner_id)
        contact_id = conn.execute(
            c.partner_contacts.insert().values(
                school_id=scope.school_id,
                partner_id=partner_id,
                name=name,
                role=role,
                reach=reach,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(conn, scope, "partners", f"added a contact at “{partner_row.name}”")
    return contact_id


def remove_contact(scope: SchoolScope, contact_id: int) -> None:
    with scope.writing() as conn:
        row = conn.execute(
            sa.select(c.partner_contacts.c.id, c.partners.c.name)
            .join(c.partners, c.partners.c.id == c.partner_contacts.c.partner_id)
            .where(
                c.partner_contacts.c.id == contact_id,
                c.partner_contacts.c.school_id == scope.school_id,
            )
        ).first()
        if row is None:
            raise NotFound("That contact is no longer here.")
        conn.execute(c.partner_contacts.delete().where(c.partner_contacts.c.id == contact_id))
        schools.record(conn, scope, "partners", f"removed a contact at “{row.name}”")


# --- agreements ----------------------------------------------------------------------------


def add_agreement(
    scope: SchoolScope, partner_id: int, title: str, starts_on: dt.date, ends_on: dt.date
) -> int:
    """An agreement with the partner; refused when it ends before it starts or overlaps
    another of the same partner."""
    title = rules.line(title, "the agreement's title", MAX_TITLE)
    with scope.writing() as conn:
        partner_row = _require_partner(conn, scope, partner_id)
        rules.check_agreement(starts_on, ends_on, _agreements(conn, scope, partner_id))
        agreement_id = conn.execute(
            c.partner_agreements.insert().values(
                school_id=scope.school_id,
                partner_id=partner_id,
                title=title,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        schools.record(
            conn,
            scope,
            "partners",
            f"added the agreement “{title}” with “{partner_row.name}” "
            f"({starts_on.isoformat()} to {ends_on.isoformat()})",
        )
    return agreement_id


def _require_agreement(conn: Connection, scope: SchoolScope, agreement_id: int) -> Agreement:
    for agreement in _agreements(conn, scope):
        if agreement.id == agreement_id:
            return agreement
    raise NotFound("That agreement is no longer here.")


def update_agreement(
    scope: SchoolScope, agreement_id: int, title: str, starts_on: dt.date, ends_on: dt.date
) -> None:
    title = rules.line(title, "the agreement's title", MAX_TITLE)
    with scope.writing() as conn:
        old = _require_agreement(conn, scope, agreement_id)
        others = [a for a in _agreements(conn, scope, old.partner_id) if a.id != agreement_id]
        rules.check_agreement(starts_on, ends_on, others)
        conn.execute(
            c.partner_agreements.update()
            .where(c.partner_agreements.c.id == agreement_id)
            .values(title=title, starts_on=starts_on, ends_on=ends_on)
        )
        schools.record(
            conn,
            scope,
            "partners",
            f"changed the agreement “{title}” with “{old.partner}” "
            f"({starts_on.isoformat()} to {ends_on.isoformat()})",
        )


def remove_agreement(scope: SchoolScope, agreement_id: int) -> None:
    with scope.writing() as conn:
        old = _require_agreement(conn, scope, agreement_id)
        conn.execute(c.partner_agreements.delete().where(c.partner_agreements.c.id == agreement_id))
        schools.record(
            conn, scope, "partners", f"removed the agreement “{old.title}” with “{old.partner}”"
        )


def agreements(scope: SchoolScope) -> list[Agreement]:
    """Every agreement of the school's partners, the earliest first."""
    with scope.reading() as conn:
        return _agreements(conn, scope)


def reminders(scope: SchoolScope, within_days: int = 30) -> list[Reminder]:
    """Agreements ending within ``within_days`` days or lapsed in the last ``within_days``,
    not followed by another with the same partner; the soonest first."""
    with scope.reading() as conn:
        found = _agreements(conn, scope)
    return rules.lapse_reminders(found, scope.store.clock.today(), within_days)


# --- activities with the community ---------------------------------------------------------


def _check_activity(
    title: str, held_on: dt.date, involvement: str, participants: int
) -> tuple[str, str, int]:
    title = rules.line(title, "the activity's title", MAX_TITLE)
    rules.check_date(held_on, "the day of the activity")
    if involvement not in INVOLVEMENT_IDS:
        raise InvalidInput("Choose the type of involvement the activity is for.")
    return title, involvement, rules.check_participants(participants)


def add_activity(
    scope: SchoolScope,
    title: str,
    held_on: dt.date,
    involvement: str,
    participants: int,
    partner_id: int | None = None,
) -> int:
    """An activity done with the community (with a partner or not), of one of the six types
    of involvement, and how many took part."""
    title, involvement, participants = _check_activity(title, held_on, involvement, participants)
    with scope.writing() as conn:
        partner_name = require_partner(conn, scope, partner_id)
        activity_id = conn.execute(
            c.community_activities.insert().values(
                school_id=scope.school_id,
                partner_id=partner_id,
                title=title,
                held_on=held_on,
                involvement=involvement,
                participants=participants,
                created_at=scope.store.now(),
            )
        ).inserted_primary_key[0]
        with_whom = f" with “{partner_name}”" if partner_name else ""
        schools.record(
            conn,
            scope,
            "community",
            f"recorded the activity “{title}”{with_whom} on {held_on.isoformat()}",
        )
    return activity_id


def _require_activity(conn: Connection, scope: SchoolScope, activity_id: int):
    row = conn.execute(
        sa.select(c.community_activities).where(
            c.community_activities.c.id == activity_id,
            c.community_activities.c.school_id == scope.school_id,
        )
    ).first()
    if row is None:
        raise NotFound("That activity is no longer here.")
    return row


def update_activity(
    scope: SchoolScope,
    activity_id: int,
    title: str,
    held_on: dt.date,
    involvement: str,
    participants: int,
    partner_id: int | None = None,
) -> None:
    title, involvement, participants = _check_activity(title, held_on, involvement, participants)
    with scope.writing() as conn:
        _require_activity(conn, scope, activity_id)
        require_partner(conn, scope, partner_id)
        conn.execute(
            c.community_activities.update()
            .where(c.community_activities.c.id == activity_id)
            .values(
                partner_id=partner_id,
                title=title,
                held_on=held_on,
                involvement=involvement,
                participants=participants,
            )
        )
        schools.record(conn, scope, "community", f"changed the activity “{title}”")


def delete_activity(scope: SchoolScope, activity_id: int) -> None:
    with scope.writing() as conn:
        row = _require_activity(conn, scope, activity_id)
        conn.execute(
            c.community_activities.delete().where(c.community_activities.c.id == activity_id)
        )
        schools.record(conn, scope, "community", f"removed the activity “{row.title}”")


def activities(
    scope: SchoolScope, starts_on: dt.date | None = None, ends_on: dt.date | None = None
) -> list[CommunityActivity]:
    """The school's activities with the community, the latest first (between two dates
    when given)."""
    a = c.community_activities.c
    query = (
        sa.select(c.community_activities, c.partners.c.name.label("partner"))
        .outerjoin(c.partners, c.partners.c.id == a.partner_id)
        .where(a.school_id == scope.school_id)
        .order_by(a.held_on.desc(), a.id.desc())
    )
    if starts_on is not None:
        query = query.where(a.held_on >= starts_on)
    if ends_on is not None:
        query = query.where(a.held_on <= ends_on)
    with scope.reading() as conn:
        rows = conn.execute(query).all()
    return [
        CommunityActivity(
            row.id, row.title, row.held_on, row.involvement, row.participants, row.partner or ""
        )
        for row in rows
    ]
