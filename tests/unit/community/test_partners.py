"""A school's partners, their contacts and agreements, reminders, and community activities."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from collab_widgets.community import tables as c
from collab_widgets.community.store import partners, schools
from collab_widgets.core.db import tables as t
from collab_widgets.core.errors import AccessDenied, InvalidInput, NotFound
from tests.unit.community.conftest import BOTH_DATABASES

TODAY = dt.date(2026, 10, 15)  # the fixed clock's
DAY = dt.timedelta(days=1)


def rows(store, table: sa.Table) -> int:
    with store.reading() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def summaries(scope) -> list[str]:
    return [summary for _, _, summary, _ in schools.entries(scope)]


@pytest.fixture
def food_bank(school) -> int:
    return partners.add_partner(
        school, "Riverside Food Bank", "nonprofit", ["service", "materials"], "Call before noon."
    )


def test_a_partner_is_added_with_its_kind_and_offers_and_recorded(school, principal, food_bank):
    found = partners.partner(principal, food_bank)
    assert (found.name, found.kind, found.offers, found.notes) == (
        "Riverside Food Bank",
        "nonprofit",
        ("service", "materials"),
        "Call before noon.",
    )
    assert summaries(principal)[0] == "added the partner “Riverside Food Bank”"
    assert [p.name for p in partners.partners(principal)] == ["Riverside Food Bank"]


@BOTH_DATABASES
@pytest.mark.parametrize("typed", ["Riverside Food Bank", "  riverside   FOOD bank "])
def test_a_duplicate_partner_is_refused_with_a_plain_message(school, food_bank, typed):
    with pytest.raises(InvalidInput, match="already a partner called “Riverside Food Bank”"):
        partners.add_partner(school, typed, "business")
    other = partners.add_partner(school, "Hill Library", "civic")
    with pytest.raises(InvalidInput, match="already a partner"):
        partners.update_partner(school, other, typed, "civic")
    partners.update_partner(school, food_bank, "RIVERSIDE food bank", "nonprofit", ["service"])
    assert partners.partner(school, food_bank).name == "RIVERSIDE food bank"


def test_a_kind_or_offer_not_in_the_library_is_refused(school):
    with pytest.raises(InvalidInput, match="kind of partner"):
        partners.add_partner(school, "Acme", "pirates")
    with pytest.raises(InvalidInput, match="Unknown offers: treasure"):
        partners.add_partner(school, "Acme", "business", ["mentors", "treasure"])
    with pytest.raises(InvalidInput, match="Type the partner's name"):
        partners.add_partner(school, "   ", "business")


def test_contacts_reach_is_the_coordinators_only(school, principal, food_bank):
    partners.add_contact(school, food_bank, "Ada Lopez", "Volunteer lead", "ada@example.org")
    (contact,) = partners.partner(school, food_bank).contacts
    assert (contact.name, contact.role, contact.reach) == (
        "Ada Lopez",
        "Volunteer lead",
        "ada@example.org",
    )
    (seen,) = partners.partners(principal)[0].contacts
    assert (seen.name, seen.role, seen.reach) == ("Ada Lopez", "Volunteer lead", "")
    partners.remove_contact(school, contact.id)
    assert partners.partner(school, food_bank).contacts == ()


@BOTH_DATABASES
def test_overlapping_agreements_of_a_partner_are_refused(school, food_bank):
    first = partners.add_agreement(
        school, food_bank, "2026 food drive", dt.date(2026, 9, 1), dt.date(2026, 12, 31)
    )
    with pytest.raises(InvalidInput, match="overlap the agreement “2026 food drive”"):
        partners.add_agreement(
            school, food_bank, "Spring", dt.date(2026, 12, 31), dt.date(2027, 6, 30)
        )
    with pytest.raises(InvalidInput, match="before it starts"):
        partners.add_agreement(school, food_bank, "Back", dt.date(2027, 6, 30), dt.date(2027, 1, 1))
    # the day after is fine, and so is another partner's on the same dates
    second = partners.add_agreement(
        school, food_bank, "Spring", dt.date(2027, 1, 1), dt.date(2027, 6, 30)
    )
    library = partners.add_partner(school, "Hill Library", "civic")
    partners.add_agreement(school, library, "Reading", dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    with pytest.raises(InvalidInput, match="overlap the agreement “Spring”"):
        partners.update_agreement(
            school, first, "2026 food drive", dt.date(2026, 9, 1), dt.date(2027, 1, 5)
        )
    partners.update_agreement(school, first, "Fall", dt.date(2026, 9, 1), dt.date(2026, 12, 20))
    assert [(a.title, a.partner) for a in partners.partner(school, food_bank).agreements] == [
        ("Fall", "Riverside Food Bank"),
        ("Spring", "Riverside Food Bank"),
    ]
    partners.remove_agreement(school, second)
    assert len(partners.agreements(school)) == 2


@BOTH_DATABASES
def test_an_agreement_about_to_lapse_is_reminded_until_renewed(
    school, principal, food_bank, fixed_clock
):
    agreement_id = partners.add_agreement(
        school, food_bank, "Food drive", dt.date(2026, 1, 1), TODAY + 10 * DAY
    )
    (reminder,) = partners.reminders(principal)
    assert (reminder.agreement.id, reminder.days_left) == (agreement_id, 10)
    assert "ends in 10 days" in reminder.message
    assert partners.reminders(principal, within_days=5) == []
    fixed_clock.advance(days=20)  # ten days after it ended
    (reminder,) = partners.reminders(principal)
    assert reminder.days_left == -10 and "ended 10 days ago" in reminder.message
    # renewed from the day after: nothing to remind
    partners.add_agreement(school, food_bank, "Food drive 2", TODAY + 11 * DAY, TODAY + 400 * DAY)
    assert partners.reminders(principal) == []
    fixed_clock.advance(days=40)
    assert partners.reminders(principal) == []


def test_community_activities_with_or_without_a_partner(school, principal, food_bank):
    partners.add_activity(school, "Food drive", TODAY, "volunteering", 40, food_bank)
    alone = partners.add_activity(school, "Open house", TODAY - 30 * DAY, "communicating", 0)
    assert [
        (a.title, a.partner, a.involvement, a.participants) for a in partners.activities(principal)
    ] == [
        ("Food drive", "Riverside Food Bank", "volunteering", 40),
        ("Open house", "", "communicating", 0),
    ]
    assert [a.title for a in partners.activities(principal, starts_on=TODAY - DAY)] == [
        "Food drive"
    ]
    with pytest.raises(InvalidInput, match="type of involvement"):
        partners.add_activity(school, "Party", TODAY, "fun", 3)
    with pytest.raises(InvalidInput, match="participants"):
        partners.add_activity(school, "Party", TODAY, "volunteering", 100_001)
    with pytest.raises(InvalidInput, match="participants"):
        partners.add_activity(school, "Party", TODAY, "volunteering", -1)
    partners.update_activity(school, alone, "Open house", TODAY, "decision-making", 12, food_bank)
    changed = partners.activities(school)[0]  # the same day now: the later one first
    assert (changed.involvement, changed.participants, changed.partner) == (
        "decision-making",
        12,
        "Riverside Food Bank",
    )
    partners.delete_activity(school, alone)
    assert len(partners.activities(school)) == 1


@BOTH_DATABASES
def test_deleting_a_partner_keeps_its_activities(school, food_bank):
    partners.add_contact(school, food_bank, "Ada", "Lead", "555-0100")
    partners.add_agreement(school, food_bank, "Drive", TODAY, TODAY + 30 * DAY)
    partners.add_activity(school, "Food drive", TODAY, "volunteering", 40, food_bank)
    partners.delete_partner(school, food_bank)
    assert partners.partners(school) == []
    assert [(a.title, a.partner) for a in partners.activities(school)] == [("Food drive", "")]
    assert rows(school.store, c.partner_contacts) == rows(school.store, c.partner_agreements) == 0
    assert summaries(school)[0] == "removed the partner “Riverside Food Bank”"
    with pytest.raises(NotFound):
        partners.partner(school, food_bank)


def test_another_schools_partner_is_not_reachable(team, school, food_bank):
    other_school = schools.create_school(team.store, "Other school")
    other = team.store.open_school(
        schools.add_person(team.store, other_school, "coordinator", "Olu")
    )
    assert partners.partners(other) == []
    with pytest.raises(NotFound):
        partners.add_activity(other, "Drive", TODAY, "volunteering", 3, food_bank)
    with pytest.raises(NotFound):
        partners.add_contact(other, food_bank, "Eve", "Spy", "eve@example.org")
    with pytest.raises(NotFound):
        partners.delete_partner(other, food_bank)
    partners.add_partner(other, "Riverside Food Bank", "nonprofit")  # the name is theirs too


def test_the_principal_reads_but_every_write_is_refused(school, principal, food_bank):
    contact = partners.add_contact(school, food_bank, "Ada", "Lead", "ada@example.org")
    agreement = partners.add_agreement(school, food_bank, "Drive", TODAY, TODAY + 30 * DAY)
    activity = partners.add_activity(school, "Food drive", TODAY, "volunteering", 40)
    tables = (
        c.partners,
        c.partner_contacts,
        c.partner_agreements,
        c.community_activities,
        t.school_activity,
    )
    before = [rows(school.store, table) for table in tables]
    writes = [
        lambda: partners.add_partner(principal, "Hill Library", "civic"),
        lambda: partners.update_partner(principal, food_bank, "Mine", "business"),
        lambda: partners.delete_partner(principal, food_bank),
        lambda: partners.add_contact(principal, food_bank, "Bo", "Lead", "bo@example.org"),
        lambda: partners.remove_contact(principal, contact),
        lambda: partners.add_agreement(
            principal, food_bank, "X", TODAY + 40 * DAY, TODAY + 50 * DAY
        ),
        lambda: partners.update_agreement(principal, agreement, "X", TODAY, TODAY + DAY),
        lambda: partners.remove_agreement(principal, agreement),
        lambda: partners.add_activity(principal, "Fair", TODAY, "volunteering", 5),
        lambda: partners.update_activity(principal, activity, "Fair", TODAY, "volunteering", 5),
        lambda: partners.delete_activity(principal, activity),
    ]
    for write in writes:
        with pytest.raises(AccessDenied, match="only the coordinator"):
            write()
    assert [rows(school.store, table) for table in tables] == before
    assert partners.partner(principal, food_bank).name == "Riverside Food Bank"


def test_every_write_is_in_the_school_activity_record(school, food_bank):
    contact = partners.add_contact(school, food_bank, "Ada", "Lead", "ada@example.org")
    agreement = partners.add_agreement(school, food_bank, "Drive", TODAY, TODAY + 30 * DAY)
    partners.update_agreement(school, agreement, "Drive", TODAY, TODAY + 31 * DAY)
    activity = partners.add_activity(school, "Food drive", TODAY, "volunteering", 40, food_bank)
    partners.update_activity(school, activity, "Food drive", TODAY, "volunteering", 41)
    partners.delete_activity(school, activity)
    partners.remove_agreement(school, agreement)
    partners.remove_contact(school, contact)
    partners.update_partner(school, food_bank, "Riverside Food Bank", "nonprofit")
    assert summaries(school) == [
        "changed the partner “Riverside Food Bank”",
        "removed a contact at “Riverside Food Bank”",
        "removed the agreement “Drive” with “Riverside Food Bank”",
        "removed the activity “Food drive”",
        "changed the activity “Food drive”",
        "recorded the activity “Food drive” with “Riverside Food Bank” on 2026-10-15",
        "changed the agreement “Drive” with “Riverside Food Bank” (2026-10-15 to 2026-11-15)",
        "added the agreement “Drive” with “Riverside Food Bank” (2026-10-15 to 2026-11-14)",
        "added a contact at “Riverside Food Bank”",
        "added the partner “Riverside Food Bank”",
        "Pat Principal was given the principal's link",
        "Dana Coordinator was given the coordinator's link",
    ]
