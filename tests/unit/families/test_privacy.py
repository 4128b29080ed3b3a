"""What a family's page holds, over random classes: its own child's name and result, the
class graph as counts only (the same for every family of the class, so its order says
nothing), or no graph at all for a class with fewer results than the team's smallest group;
never another child's name, display name, pseudonym, school key or id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import tempfile
from unittest import mock

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab_widgets.core import clock
from collab_widgets.core.db import Store
from collab_widgets.evidence import store as evidence
from collab_widgets.families import rules
from collab_widgets.families.api import page_payload
from collab_widgets.families.library import load_feedback_survey
from collab_widgets.families.store import family as family_page
from collab_widgets.families.store import guardians
from collab_widgets.students import tables as s
from collab_widgets.students.rules import StudentRow
from collab_widgets.students.store import classes
from tests.unit.conftest import TeamFixture
from tests.unit.families.conftest import LIMIT, prepare

TODAY = dt.date(2026, 10, 15)
FIRST_ID = 7001  # the class's student ids: far from any count, minute or other id
# ties on the bins' edges and across children, and children without a result
PERCENT = st.one_of(
    st.none(),
    st.sampled_from([0.0, 19.5, 20.0, 35.0, 40.0, 59.9, 60.0, 80.0, 99.5, 100.0]),
    st.floats(min_value=0, max_value=100, allow_nan=False),
)
BIN_KEYS = {"label", "count", "child"}
INT_KEYS = {"id", "count", "minutes"}  # the only whole numbers a family's page holds here


def _values(node, key=None):
    """Every (key, value) of the JSON ``node``, nested ones too."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _values(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _values(v, key)
    else:
        yield key, node


def _class_of(store: Store, percents: list[float | None], min_n: int, salt: str):
    team = TeamFixture(store)
    ana = team.member(0)
    # another class first, its one student moved far up: this class's ids start at FIRST_ID
    other = classes.create_class(ana, "Elsewhere")
    classes.add_students(ana, other, [StudentRow("Zq7Other", "Zq7Other Person")])
    with store.writing() as conn:
        conn.execute(s.class_students.update().values(id=FIRST_ID - 1))
    class_id = classes.create_class(ana, "Room 9")
    rows = [
        StudentRow(f"Zq7Key{salt}{i:02d}", f"Zq7Full{salt}{i:02d} Name", f"Zq7Shown{salt}{i:02d}")
        for i in range(len(percents))
    ]
    classes.add_students(ana, class_id, rows)
    roster = classes.roster(ana, class_id)
    assert [student.id for student in roster][0] == FIRST_ID
    guardians.open_families(ana, class_id)
    codes = {}
    for fam in guardians.families(ana, class_id):
        codes[fam.student_id] = guardians.issue_link(ana, guardians.add_guardian(ana, fam.id, "P"))
    meeting_id = prepare(ana, class_id, roster, percents)
    return roster, codes, meeting_id


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory):
    """An empty database file, copied for each example (quicker than making one)."""
    path = tmp_path_factory.mktemp("families-privacy") / "empty.sqlite"
    Store(f"sqlite:///{path}").close()
    return path


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    percents=st.lists(PERCENT, min_size=1, max_size=30),
    min_n=st.integers(min_value=1, max_value=10),
    salt=st.text(alphabet="bcdfghjk", min_size=3, max_size=3),
)
def test_a_familys_page_shows_its_own_child_and_counts_only(percents, min_n, salt, empty_store):
    previous = clock.use_clock(clock.FixedClock(dt.datetime(2026, 10, 15, 15, 0, tzinfo=dt.UTC)))
    folder = tempfile.mkdtemp(dir=empty_store.parent)  # a store of its own per example
    shutil.copy(empty_store, f"{folder}/store.sqlite")
    store = Store(f"sqlite:///{folder}/store.sqlite")
    real_settings = evidence.settings

    def smallest_group(scope):  # the team's smallest group shown, below the floor too
        return dataclasses.replace(real_settings(scope), min_n=min_n)

    try:
        with mock.patch.object(evidence, "settings", smallest_group):
            roster, codes, meeting_id = _class_of(store, percents, min_n, salt)
        survey = load_feedback_survey()
        shown_bins = []
        with_result = sum(p is not None for p in percents)
        for student, percent in zip(roster, percents, strict=True):
            session = family_page.sign_in(store, codes[student.id], "10.0.0.1", LIMIT)
            payload = page_payload(family_page.page(store, session), "en", survey, TODAY)
            text = json.dumps(payload, ensure_ascii=False)
            assert payload["child"] == student.display_name
            for other in roster:
                secrets = [other.key, other.name, other.pseudonym]
                if other.id != student.id:
                    secrets.append(other.display_name)
                for secret in secrets:
                    assert secret not in text, (student.display_name, secret)
            # no student's id as a value: the whole numbers are counts, minutes, the meeting
            for key, value in _values(payload):
                if isinstance(value, int) and not isinstance(value, bool):
                    assert key in INT_KEYS, (key, value)
                    assert not FIRST_ID - 1 <= value < FIRST_ID + len(roster), (key, value)
                    if key == "id":
                        assert value == meeting_id
                if isinstance(value, str):
                    assert not any(str(other.id) in value for other in roster), value
            (meeting,) = payload["meetings"]
            bins = meeting["graph"]["bins"]
            if with_result < min_n:
                assert bins is None and meeting["graph"]["note"]
            else:
                assert bins is not None and meeting["graph"]["note"] == ""
                assert all(set(b) == BIN_KEYS for b in bins)
                assert sum(b["count"] for b in bins) == with_result
                marked = [i for i, b in enumerate(bins) if b["child"]]
                assert marked == ([] if percent is None else [rules.bin_index(percent)])
                shown_bins.append([(b["label"], b["count"]) for b in bins])
            if percent is None:
                assert "no result" in meeting["graph"]["child"]
        # the same graph for every family of the class: its bars' order reveals nothing
        assert all(bins == shown_bins[0] for bins in shown_bins)
        assert len(shown_bins) in (0, len(roster))
    finally:
        store.close()
        clock.use_clock(previous)


def test_the_ids_are_far_from_any_count(tmp_path, fixed_clock):
    """The property's premise: this class's students have ids no count or minute can be."""
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    try:
        roster, _codes, _meeting = _class_of(store, [50.0, None], 1, "xyz")
        assert [student.id for student in roster] == [FIRST_ID, FIRST_ID + 1]
        with store.reading() as conn:
            ids = conn.execute(sa.select(s.class_students.c.id)).scalars().all()
        assert sorted(ids) == [FIRST_ID - 1, FIRST_ID, FIRST_ID + 1]
    finally:
        store.close()
