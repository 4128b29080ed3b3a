"""Every kind of link against the families' store (docs/access-and-privacy.md, "Every kind
of link"): each kind may change and read only what it is for; a family's contact is read
by the class's teacher alone, and raw SQL over every table finds it nowhere but in its one
column after a whole class's life."""

from __future__ import annotations

import contextlib
import json

import pytest

from collab_widgets.backup import store as backup
from collab_widgets.core.db import activity
from collab_widgets.core.errors import AccessDenied, NotFound
from collab_widgets.families.library import load_feedback_survey
from collab_widgets.families.rules import GoalDraft
from collab_widgets.families.store import class_meetings, conferences, family_workshops, guardians
from collab_widgets.families.store import family as family_page
from tests.unit.families.conftest import MEETING_DAY, make_classroom
from tests.unit.store_helpers import all_rows, other_team

KINDS = ("class teacher", "colleague", "coach", "team link", "other team")
CONTACT = "CONTACT-7Q2Z call after 5pm"
NOTES = "CONFERENCE-NOTE-9KX"


@pytest.fixture
def world(sqlite_team):
    room = make_classroom(sqlite_team)
    teacher = room.teacher
    first = room.family_ids[0]
    guardians.set_contact(teacher, first, CONTACT, "")
    conferences.add_slots(teacher, room.class_id, "individual", MEETING_DAY, "15:00", 20, 2)
    slot = conferences.slots(teacher, room.class_id)[0]
    conferences.assign(teacher, slot.id, first)
    conferences.set_notes(teacher, slot.id, NOTES, "")
    workshop_id = family_workshops.add_workshop(
        teacher, room.class_id, {"en": "Reading at home"}, MEETING_DAY, "17:00", "Library"
    )
    scopes = {
        "class teacher": teacher,
        "colleague": sqlite_team.member(1),
        "coach": sqlite_team.as_coach,
        "team link": sqlite_team.store.open_team(sqlite_team.code),
        "other team": other_team(sqlite_team),
    }
    return room, scopes, slot.id, workshop_id


WRITES = {
    "add a guardian": ("class teacher",),
    "make a link": ("class teacher",),
    "block a guardian": ("class teacher",),  # after the link: a blocked person gets none
    "the contact": ("class teacher",),
    "the language": ("class teacher",),
    "prepare a meeting": ("class teacher",),
    "attendance": ("class teacher",),
    "offer conference times": ("class teacher",),
    "book a family in": ("class teacher",),
    "conference notes": ("class teacher",),
    "an agreement": ("class teacher",),
    "a workshop": ("class teacher",),
    "open feedback": ("class teacher",),
}
READS = {
    "the families": ("class teacher", "colleague", "coach", "team link"),
    "children's results": ("class teacher",),
    "goals": ("class teacher",),
    "attendance": ("class teacher",),
    "participation": ("class teacher", "colleague", "coach", "team link"),
    "conference times": ("class teacher", "colleague", "coach", "team link"),
    "feedback totals": ("class teacher", "colleague", "coach", "team link"),
}


def _write(name, scope, room, slot_id):
    first, guardian = room.family_ids[0], room.guardians[room.family_ids[0]]
    return {
        "add a guardian": lambda: guardians.add_guardian(scope, first, "Aunt"),
        "make a link": lambda: guardians.issue_link(scope, guardian),
        "block a guardian": lambda: guardians.set_blocked(scope, guardian, True),
        "the contact": lambda: guardians.set_contact(scope, first, "x", None),
        "the language": lambda: guardians.set_language(scope, first, "es"),
        "prepare a meeting": lambda: class_meetings.prepare_meeting(
            scope,
            room.class_id,
            title="Again",
            held_on=MEETING_DAY,
            starts_at="18:00",
            skill="Fractions",
            assessment_id=None,
            assessment_name="",
            results={},
            agenda=[],
            activities=[],
        ),
        "attendance": lambda: class_meetings.set_present(scope, room.meeting_id, first, True),
        "offer conference times": lambda: conferences.add_slots(
            scope, room.class_id, "individual", MEETING_DAY, "16:00", 20, 1
        ),
        "book a family in": lambda: conferences.assign(scope, slot_id, first),
        "conference notes": lambda: conferences.set_notes(scope, slot_id, "more", None),
        "an agreement": lambda: conferences.add_agreement(scope, slot_id, "Read", "family"),
        "a workshop": lambda: family_workshops.add_workshop(
            scope, room.class_id, {"en": "Math games"}, MEETING_DAY, "17:00", "Gym"
        ),
        "open feedback": lambda: family_workshops.open_round(scope, room.class_id, "Autumn"),
    }[name]


def _read(name, scope, room):
    return {
        "the families": lambda: guardians.families(scope, room.class_id),
        "children's results": lambda: class_meetings.results(scope, room.meeting_id),
        "goals": lambda: class_meetings.goals(scope, room.class_id),
        "attendance": lambda: class_meetings.present(scope, room.meeting_id),
        "participation": lambda: class_meetings.participation(scope, room.class_id),
        "conference times": lambda: conferences.slots(scope, room.class_id),
        "feedback totals": lambda: family_workshops.feedback(scope, room.class_id),
    }[name]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_may_change_only_what_it_is_for(world, kind):
    """Every change the kind is for goes through (in the order of :data:`WRITES`); every
    other is refused and changes no row."""
    room, scopes, slot_id, _ = world
    refused = [action for action, kinds in WRITES.items() if kind not in kinds]
    before = all_rows(room.team.store)
    for action in refused:
        with pytest.raises((AccessDenied, NotFound)):
            _write(action, scopes[kind], room, slot_id)()
    assert all_rows(room.team.store) == before
    for action in WRITES:
        if action not in refused:
            _write(action, scopes[kind], room, slot_id)()


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_may_read_only_what_it_is_for(world, kind):
    room, scopes, *_ = world
    for what, kinds in READS.items():
        read = _read(what, scopes[kind], room)
        if kind not in kinds:
            with pytest.raises((AccessDenied, NotFound)):
                read()
            continue
        shown = repr(read())
        assert (CONTACT in shown) == (kind == "class teacher" and what == "the families"), what
        notes_seen = kind in ("class teacher", "colleague") and what == "conference times"
        assert (NOTES in shown) == notes_seen, what
        named = kind in ("class teacher", "colleague")
        assert ("Maya R." in shown) == (named and what == "the families"), what


def test_a_contact_is_in_its_one_column_and_reaches_no_page_but_the_teachers(world):
    """After a class's whole life (meetings, goals, conferences, feedback), raw SQL over
    every table finds the contact only in ``families.contact``; no family's page, no
    colleague's or coach's read, no export and no activity record carries it."""
    room, scopes, slot_id, workshop_id = world
    store = room.team.store
    survey = load_feedback_survey()
    round_id = family_workshops.open_round(room.teacher, room.class_id, "Autumn")
    for index in range(len(room.family_ids)):
        session = room.sign_in(index, f"10.0.1.{index}")
        family_page.save_goal(
            store, session, room.meeting_id, GoalDraft("Read together each night", "5", "90"), None
        )
        family_page.sign_up(store, session, workshop_id, True)
        family_page.answer_feedback(
            store, session, round_id, {q.id: 3 for q in survey.questions}, survey
        )
        assert CONTACT not in repr(family_page.page(store, session))
    found = [
        (table, row)
        for table, rows in all_rows(store).items()
        for row in rows
        if any(CONTACT in value for _column, value in row)
    ]
    assert [(table, [c for c, v in row if CONTACT in v]) for table, row in found] == [
        ("families", ["contact"])
    ]
    for kind, scope in scopes.items():
        if kind == "class teacher":
            continue
        for read in (
            lambda s=scope: guardians.families(s, room.class_id),
            lambda s=scope: class_meetings.team_participation(s),
            lambda s=scope: activity.entries(s),
        ):
            with contextlib.suppress(AccessDenied, NotFound):
                assert CONTACT not in repr(read()), kind
    exported = backup.export_team(room.teacher)
    assert CONTACT not in exported and "families" not in json.loads(exported).get("tables", {})
