"""The evidence Settings tab: what typed settings mean, who may change them, and what a
change does (saved, the page told) or, when it makes no sense, says."""

from __future__ import annotations

import asyncio

import pytest

from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.core.ui.feedback import SavedIndicator, StatusLine
from collab_widgets.evidence import store
from collab_widgets.evidence.ui.settings import SettingsPanel, parse_settings
from tests.unit.store_helpers import activity_of_kind
from tests.unit.widget_helpers import opened


def panel(scope, changes: list | None = None, indicator: SavedIndicator | None = None):
    heard = changes if changes is not None else []
    made = opened(
        lambda: SettingsPanel(
            scope, StatusLine(), indicator or SavedIndicator(), lambda: heard.append("changed")
        )
    )
    # Outside an event loop each box saves the moment refresh fills it (in a kernel the
    # saves wait for the last box: see the test of opening the page); only what follows
    # the building counts here.
    heard.clear()
    return made


def controls(made: SettingsPanel) -> list:
    return [made.names, made.cuts, made.groups, made.min_n, made.compare]


def test_typed_settings_are_read_with_spaces_and_percent_signs_forgiven():
    chosen = parse_settings(" Low , Mid,High ", "60%, 85 ,", "40, 60%, 90", 7, True, "salt")
    assert chosen.band_names == ("Low", "Mid", "High")
    assert chosen.band_cuts == (60.0, 85.0)
    assert chosen.group_cuts == (40.0, 60.0, 90.0)
    assert (chosen.min_n, chosen.compare_teachers, chosen.pseudonym_salt) == (7, True, "salt")


@pytest.mark.parametrize(
    ("cuts", "groups", "message"),
    [
        ("sixty, 80", "40, 60, 90", "Write the cut scores as numbers separated by commas"),
        ("60, 80", "40, 6O, 90", "Write the group cut points as numbers separated by commas"),
        ("60, 80", "40, 60", "Give three group cut points: close, proficient, extension."),
        ("60, 80", "60, 40, 90", "The group cut points go up"),
    ],
)
def test_settings_that_make_no_sense_say_what_to_change(cuts, groups, message):
    with pytest.raises(InvalidInput, match=message):
        parse_settings("Low, Mid, High", cuts, groups, 10, False, "salt")


def test_boxes_typed_together_are_saved_as_one_change_and_the_page_told_once(ana_facilitates):
    changes, indicator = [], SavedIndicator()

    async def type_in_a_kernel():
        made = panel(ana_facilitates.member(0), changes, indicator)
        # three bands need two cuts: in between the boxes disagree, and wait for each other
        made.names.value = "Not yet, Nearly, <b>There</b>"
        made.cuts.value = "55, 75"
        made.groups.value = "35, 55, 85"
        made.min_n.value = 6
        flush_all()

    asyncio.run(type_in_a_kernel())
    saved = store.settings(ana_facilitates.member(1))
    assert saved.band_names == ("Not yet", "Nearly", "<b>There</b>")  # stored as typed
    assert (saved.band_cuts, saved.group_cuts, saved.min_n) == ((55, 75), (35, 55, 85), 6)
    assert changes == ["changed"]
    assert "All changes saved" in indicator.value


def test_settings_that_make_no_sense_are_not_saved_and_the_indicator_says_why(ana_facilitates):
    changes, indicator = [], SavedIndicator()
    made = panel(ana_facilitates.member(0), changes, indicator)
    before = store.settings(made.scope)
    made.groups.value = "40, 60"
    flush_all()
    assert store.settings(made.scope) == before and changes == []
    assert "Not saved: Give three group cut points" in indicator.value
    made.groups.value = "40, 60, 90"  # corrected: saved, and the message goes
    flush_all()
    assert store.settings(made.scope).group_cuts == (40, 60, 90)
    assert "Not saved" not in indicator.value and changes == ["changed"]


def test_opening_the_settings_in_a_kernel_writes_nothing(ana_facilitates):
    async def open_the_tab():
        changes = []
        made = panel(ana_facilitates.member(0), changes)
        made.refresh()  # the tab opened
        flush_all()  # the saves the filled boxes asked for
        return changes

    assert asyncio.run(open_the_tab()) == []
    assert activity_of_kind(ana_facilitates.member(0), "evidence settings") == []


def test_a_member_who_does_not_facilitate_sees_the_settings_but_cannot_change_them(
    ana_facilitates,
):
    shown = panel(ana_facilitates.member(1))
    assert all(control.disabled for control in controls(shown))
    assert "Only the facilitator changes these." in shown.explained.value
    assert shown.cuts.value == "60, 80, 90"  # the settings are still shown
    facilitator = panel(ana_facilitates.member(0))
    assert not any(control.disabled for control in controls(facilitator))
    assert facilitator.explained.value == ""


def test_a_coach_changes_the_settings(sqlite_team):
    coach = sqlite_team.coach.open_team(sqlite_team.code)
    made = panel(coach)
    assert not made.cuts.disabled
    made.compare.value = True
    flush_all()
    assert store.settings(sqlite_team.member(0)).compare_teachers


def test_refresh_shows_what_another_page_saved(ana_facilitates):
    made = panel(ana_facilitates.member(0))
    other = panel(ana_facilitates.member(0))
    other.cuts.value = "50, 70, 95"
    flush_all()
    made.refresh()
    assert made.cuts.value == "50, 70, 95"
