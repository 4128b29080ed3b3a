"""Every text several people edit, on two members' pages at once: a save typed over an
out-of-date version never overwrites the newer text; the page shows the other person's
text beside the visitor's own (kept through a redraw) until one is chosen, and its save
state never says "saved" while the box holds text the store does not."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import pytest

from collab_widgets.actions import store as actions
from collab_widgets.classroom import store as classroom
from collab_widgets.classroom.app import ClassroomApp
from collab_widgets.core.ui.debounce import flush_all
from collab_widgets.evidence import store as evidence
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.goals import store as goals
from collab_widgets.goals.app import GoalsApp
from collab_widgets.goals.model import GoalDraft
from collab_widgets.meetings import store as meetings
from collab_widgets.protocols import store as runs
from collab_widgets.protocols.app import ProtocolsApp
from collab_widgets.reflection import store as reflections
from collab_widgets.reflection.app import ReflectionApp
from collab_widgets.team.app import StartHereApp
from collab_widgets.team.store import members, norms
from tests.unit.evidence.test_app import add
from tests.unit.widget_helpers import BUTTONS, find

NEXT_DAY = dt.date(2026, 10, 22)
NORMS_TAB, MEETING_TAB = 1, 2


@dataclass
class SharedKind:
    name: str
    prepare: Callable  # (team) -> None: the record both pages edit
    app: type
    tab: int | None
    box: Callable  # (app) -> the text widget on that page
    stored: Callable  # (team) -> the text in the store now
    people: tuple[int, int] = (0, 1)  # the two members editing it


def _text_named(description):
    return lambda app: find(
        app.tabs.children[app.tabs.selected_index],
        (widgets.Text, widgets.Textarea),
        lambda t: t.description == description,
    )[0]


def _meeting(team):
    return meetings.next_meeting(team.member(0))


def _plan_meeting(team):
    meetings.create(team.member(0), NEXT_DAY, "Late October")


def _start_protocol(team):
    ana = ProtocolsApp(team.store, {"team": team.code, "member": team.people[0].token})
    setup = ana.live.children[0]
    setup.protocol.value = "looking-at-data"
    find(setup, BUTTONS, lambda b: b.description.startswith("Start the protocol"))[0].click()
    assert ana.live.view is not None, ana.status.value


def _plan_cycle(team):
    cycle = goals.create_cycle(
        team.member(0), "Fractions", dt.date(2026, 10, 1), dt.date(2026, 12, 18)
    )
    goals.set_answer(team.member(0), cycle, "respond", "Small groups on Tuesdays.")
    goals.new_goal(team.member(0), cycle, GoalDraft(target="70"))


def _cycle(team):
    return goals.cycles(team.member(0))[0]


def _goal_draft(team):
    return goals.draft(team.member(0), goals.goals(team.member(0), _cycle(team).id)[0].id)


def _decided(team):
    meeting = meetings.create(team.member(0), NEXT_DAY, "Late October").id
    actions.decide(team.member(0), "Reteach item 4 in small groups.", "consensus", "", meeting)


def _action_planned(team):
    meeting = meetings.create(team.member(0), NEXT_DAY, "Late October").id
    actions.add_action(team.member(0), "Bring the exit tickets.", meeting_id=meeting)


def _assessment_saved(team):
    add(EvidenceApp(team.store, {"team": team.code, "member": team.people[0].token}))


def _plan(team):
    plan_id = classroom.create_plan(team.member(0), "Fractions on a number line")
    classroom.add_segment(team.member(0), plan_id, "Launch: where does 3/4 go?", 10)


def _plan_now(team):
    return classroom.plans(team.member(0))[0]


def _study(team):
    classroom.create_study(team.member(0), "Fractions as numbers")


KINDS = [
    SharedKind(
        "norm",
        lambda team: norms.add(team.member(0), "time", "We start on time."),
        StartHereApp,
        NORMS_TAB,
        _text_named("Norm 1"),
        lambda team: norms.norms(team.member(0))[0].text,
    ),
    SharedKind(
        "meeting title",
        _plan_meeting,
        StartHereApp,
        MEETING_TAB,
        _text_named("Title"),
        lambda team: _meeting(team).title,
    ),
    SharedKind(
        "agenda item",
        _plan_meeting,
        StartHereApp,
        MEETING_TAB,
        _text_named("Item 1"),
        lambda team: _meeting(team).agenda[0].title,
    ),
    SharedKind(
        "the four questions",
        _plan_cycle,
        GoalsApp,
        0,
        lambda app: app.cycle.answers["respond"],
        lambda team: _cycle(team).respond,
    ),
    SharedKind(
        "cycle title",
        _plan_cycle,
        GoalsApp,
        0,
        lambda app: app.cycle.title,
        lambda team: _cycle(team).title,
    ),
    SharedKind(
        "goal draft",
        _plan_cycle,
        GoalsApp,
        1,
        lambda app: app.builder.fields["target"],
        lambda team: _goal_draft(team).target,
    ),
    SharedKind(
        "synthesis",
        _plan_meeting,
        ReflectionApp,
        0,
        lambda app: app.reflection.shared["so_what"],
        lambda team: reflections.synthesis(team.member(0), _meeting(team).id).so_what,
    ),
    SharedKind(
        "decision",
        _decided,
        ReflectionApp,
        2,
        lambda app: find(app.decisions.decided, widgets.Textarea)[0],
        lambda team: actions.decisions(team.member(0))[0].text,
    ),
    SharedKind(
        "action",
        _action_planned,
        ReflectionApp,
        3,
        lambda app: find(app.actions.plan, widgets.Text, lambda t: t.description == "Action")[0],
        lambda team: actions.actions(team.member(0))[0].text,
    ),
    SharedKind(
        "assessment name",
        _assessment_saved,
        EvidenceApp,
        0,
        lambda app: app.results.name,
        lambda team: evidence.assessments(team.member(0))[0].name,
    ),
    SharedKind(
        "co-plan section",
        _plan,
        ClassroomApp,
        0,
        lambda app: app.plans.boxes["criteria"],
        lambda team: _plan_now(team).sections["criteria"],
    ),
    SharedKind(
        "co-plan task",
        _plan,
        ClassroomApp,
        0,
        lambda app: next(iter(app.plans.rows.values())).task,
        lambda team: _plan_now(team).segments[0].task,
    ),
    SharedKind(
        "lesson study theme",
        _study,
        ClassroomApp,
        1,
        lambda app: app.study.texts["theme"],
        lambda team: classroom.studies(team.member(0))[0].theme,
    ),
    SharedKind(
        "step notes",
        _start_protocol,
        ProtocolsApp,
        None,
        lambda app: app.live.view.notes_box,
        lambda team: runs.live_run(team.member(0)).steps[0].notes,
        people=(0, 2),  # the facilitator and the recorder
    ),
]


@pytest.fixture
def team(sqlite_team):
    members.assign_role(sqlite_team.as_coach, "facilitator", sqlite_team.people[0].id)
    members.assign_role(sqlite_team.as_coach, "recorder", sqlite_team.people[2].id)
    return sqlite_team


def open_page(kind: SharedKind, team, who: int):
    app = kind.app(team.store, {"team": team.code, "member": team.people[who].token})
    assert app.scope is not None, app.status.value
    redraw(kind, app)
    return app


def redraw(kind: SharedKind, app) -> None:
    """What a page does when its tab is shown again or its view polls: draw from the store."""
    if kind.tab is None:
        app.live.refresh()
        return
    app.tabs.selected_index = kind.tab
    app.tabs.children[kind.tab].refresh()


def choice(app, box, label: str) -> widgets.Button:
    """The "Keep mine" / "Use theirs" button beside ``box``."""
    pairs = find(app.widget, widgets.VBox, lambda v: v.children and v.children[0] is box)
    assert pairs, "the box is not shown with its conflict panel"
    return find(pairs[0], BUTTONS, lambda b: b.description == label)[0]


def conflict_shown(app, box) -> str:
    pair = find(app.widget, widgets.VBox, lambda v: v.children and v.children[0] is box)[0]
    panels = [c for c in pair.children if "collab-conflict" in c._dom_classes]
    if not panels:
        return ""  # no conflict yet: the choice is not even built
    (panel,) = panels
    return (
        ""
        if panel.layout.display == "none"
        else "\n".join(w.value for w in find(panel, widgets.HTML))
    )


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_two_pages_editing_one_shared_text_lose_no_edit_without_a_word(team, kind):
    kind.prepare(team)
    first, second = kind.people
    ana, ben = open_page(kind, team, first), open_page(kind, team, second)

    kind.box(ana).value = "Ana's words"
    flush_all()
    assert kind.stored(team) == "Ana's words"
    assert "All changes saved" in ana.indicator.value

    # Ben types in a box still showing the text from before Ana's change
    kind.box(ben).value = "Ben's words <b>&</b>"
    flush_all()
    assert kind.stored(team) == "Ana's words", "Ben's save overwrote Ana's text unseen"
    assert "Not saved" in ben.indicator.value and "saved 1" not in ben.indicator.value
    assert kind.box(ben).value == "Ben's words <b>&</b>"
    assert "Ana&#x27;s words" in conflict_shown(ben, kind.box(ben))
    assert "All changes saved" in ana.indicator.value  # true for Ana: the store holds hers

    # a redraw of Ben's page (another tab, a poll) keeps his words and the choice
    redraw(kind, ben)
    assert kind.box(ben).value == "Ben's words <b>&</b>"
    assert "Ana&#x27;s words" in conflict_shown(ben, kind.box(ben))
    assert "Not saved" in ben.indicator.value

    choice(ben, kind.box(ben), "Keep mine").click()
    assert kind.stored(team) == "Ben's words <b>&</b>"
    assert "All changes saved" in ben.indicator.value
    assert conflict_shown(ben, kind.box(ben)) == ""

    # Ana, now out of date, types on: told, and takes Ben's text
    kind.box(ana).value = "Ana's words, longer"
    flush_all()
    assert kind.stored(team) == "Ben's words <b>&</b>"
    assert "Not saved" in ana.indicator.value
    choice(ana, kind.box(ana), "Use theirs").click()
    assert kind.box(ana).value == "Ben's words <b>&</b>"
    assert "All changes saved" in ana.indicator.value
    assert kind.stored(team) == "Ben's words <b>&</b>"

    # and from then on both pages save as typed again
    kind.box(ana).value = "Agreed wording"
    flush_all()
    assert kind.stored(team) == "Agreed wording"


# --- found in review: every path that could leave the page and the store disagreeing ---


def test_a_baseline_taken_from_an_assessment_is_stored_and_typing_over_it_unties_it(
    sqlite_team, fixed_clock
):
    """In a kernel's event loop: the press stores the baseline, the group size and the
    group at once (they were skipped while the page said saved), and a baseline typed
    over afterwards saves without a false conflict and is no longer the assessment's."""
    from collab_widgets.evidence import saved
    from collab_widgets.evidence.scores import read_scores
    from collab_widgets.goals.model import PERCENT_PROFICIENT
    from tests.unit.evidence.test_app import SCORES
    from tests.unit.goals.test_app import button, plan_cycle, write_goal

    scope = sqlite_team.member(0)
    pre = saved.save(
        scope,
        read_scores(SCORES / "grade4_math_unit3_pre.csv", key=SCORES / "grade4_math_item_map.csv"),
        "Unit 3 pre",
        given_on=dt.date(2026, 10, 1),
    )

    async def take_then_type():
        app = GoalsApp(
            sqlite_team.store, {"team": sqlite_team.code, "member": sqlite_team.people[0].token}
        )
        plan_cycle(app)
        builder = write_goal(app)
        builder.fields["measure"].value = PERCENT_PROFICIENT
        builder.source.value = pre
        button(builder, "Take the baseline").click()
        await asyncio.sleep(0.6)
        shown = {n: builder.fields[n].value for n in ("baseline", "group_size", "group")}
        stored = goals.draft(scope, builder.shown.id)
        assert shown == {n: getattr(stored, n) for n in shown} and shown["baseline"]
        assert stored.baseline_assessment_id == pre
        assert "All changes saved" in app.indicator.value
        builder.fields["baseline"].value = "55"
        await asyncio.sleep(0.6)
        stored = goals.draft(scope, builder.shown.id)
        assert stored.baseline == "55" and stored.baseline_assessment_id is None
        assert "All changes saved" in app.indicator.value

    asyncio.run(take_then_type())


def test_a_name_taken_from_theirs_then_typed_back_is_stored(team):
    kind = next(k for k in KINDS if k.name == "assessment name")
    kind.prepare(team)
    ana, ben = open_page(kind, team, 0), open_page(kind, team, 1)
    original = kind.box(ana).value
    kind.box(ben).value = "Unit 4"
    kind.box(ana).value = original + " (common)"  # over an out-of-date name: asked
    choice(ana, kind.box(ana), "Use theirs").click()
    kind.box(ana).value = original  # and back to the name it had when the page opened
    flush_all()
    assert kind.stored(team) == original
    assert "All changes saved" in ana.indicator.value


def test_use_theirs_or_keep_mine_without_a_choice_to_make_does_nothing(team):
    kind = KINDS[0]  # a norm
    kind.prepare(team)
    ana, ben = open_page(kind, team, 0), open_page(kind, team, 1)
    kind.box(ana).value = "Ana's words"
    flush_all()
    # before any conflict the choice is not built: no button a crafted message could press
    assert not find(ana.widget, BUTTONS, lambda b: b.description == "Keep mine")
    kind.box(ben).value = "Ben's words"
    flush_all()
    choice(ben, kind.box(ben), "Use theirs").click()  # the choice made: hidden again
    assert kind.box(ben).value == "Ana's words" == kind.stored(team)
    kind.box(ben).value = "Ben's words"
    flush_all()
    assert kind.stored(team) == "Ben's words"
    for label in ("Use theirs", "Keep mine"):  # hidden, but a crafted message can press it
        choice(ben, kind.box(ben), label).click()
        assert kind.box(ben).value == "Ben's words" == kind.stored(team)
        assert "All changes saved" in ben.indicator.value


def test_text_refused_as_too_long_stays_in_its_box_through_a_redraw(team):
    kind = next(k for k in KINDS if k.name == "the four questions")
    kind.prepare(team)
    ana = open_page(kind, team, 0)
    too_long = "x" * 2001
    kind.box(ana).value = too_long
    flush_all()
    assert "Not saved" in ana.indicator.value
    redraw(kind, ana)
    assert kind.box(ana).value == too_long  # still the visitor's, to shorten
    kind.box(ana).value = too_long[:1990]
    flush_all()
    assert kind.stored(team) == too_long[:1990] and "All changes saved" in ana.indicator.value
