"""The Timeline tab: the chosen cycle's activity, oldest first, each entry a link to the
workbook where it happened, typed text shown as text."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from collab_widgets.goals import store
from collab_widgets.goals.ui.timeline_view import TimelinePanel


def panel(scope, cycle_id) -> TimelinePanel:
    chooser = SimpleNamespace(cycle_id=cycle_id)  # all the panel reads of the cycle chooser
    made = TimelinePanel(scope, chooser, lambda notebook: f"/voila/render/{notebook}?team=T")
    made.refresh()
    return made


def test_no_cycle_chosen_shows_nothing(sqlite_team):
    assert panel(sqlite_team.member(0), None).entries.value == ""


def test_a_cycle_lists_what_happened_in_its_dates_oldest_first_with_links(sqlite_team, fixed_clock):
    ana = sqlite_team.member(0)
    cycle_id = store.create_cycle(ana, "Unit <3>", dt.date(2026, 9, 1), dt.date(2026, 12, 18))
    fixed_clock.advance(minutes=5)
    store.post_win(sqlite_team.member(1), "Maya <b>explained</b> fractions")
    shown = panel(ana, cycle_id).entries.value
    assert shown.startswith("<ol class='collab-timeline-list'>")
    cycle_at, win_at = shown.index("Unit &lt;3&gt;"), shown.index("Maya &lt;b&gt;explained")
    assert cycle_at < win_at  # oldest first
    assert "<b>explained" not in shown
    assert '<a href="/voila/render/03_goal_setting.ipynb?team=T">' in shown
    assert "— Ben</li>" in shown and "— Ana</li>" in shown


def test_a_cycle_with_nothing_in_its_dates_says_so(sqlite_team):
    ana = sqlite_team.member(0)
    store.post_win(ana, "before the cycle")
    later = store.create_cycle(ana, "Spring", dt.date(2027, 1, 10), dt.date(2027, 3, 20))
    shown = panel(ana, later).entries.value
    assert "before the cycle" not in shown
    assert shown == "<p class='collab-note'>Nothing recorded in this cycle's dates yet.</p>"
