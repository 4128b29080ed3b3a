"""Peer tutoring pairs on the teacher's page, with a real store: pairs made from a saved
assessment (the whole, one standard), the secure mark and the question 3/4 groups, the
swap schedule, saved and reopened, printed as cards with names and no score, deleted
after a question; read-only for a colleague, by pseudonym and without percents for a
coach; a colleague's hidden buttons change nothing. On screen students show under their
pseudonyms until a member chooses "Show names" (the page's one switch); the cards carry
display names either way."""

from __future__ import annotations

import base64
import dataclasses
import html
import re

import pytest

from collab_widgets.evidence import store as evidence
from collab_widgets.students import tutoring
from collab_widgets.students.store import classes, groupings
from collab_widgets.students.ui.state import PSEUDONYMS_HINT
from collab_widgets.students.ui.tutoring_panel import (
    NOT_SECURE,
    TutoringPanel,
    schedule_line,
)
from tests.unit.store_helpers import EVIL
from tests.unit.students.test_growth_ui import (
    NAMES,
    built,
    ids_of,
    make_class,
    press,
    save_assessment,
)
from tests.unit.widget_helpers import answer_yes, texts

SHOWN_EVIL = EVIL[:40]  # a display name is at most 40 characters
ESCAPED = html.escape(SHOWN_EVIL)
# students 0..5: 95%, 85%, 70%, 55%, 40% and 90%
PERCENTS = [95, 85, 70, 55, 40, 90]


@pytest.fixture
def setup(sqlite_team):
    class_id = make_class(sqlite_team, 6, {4: SHOWN_EVIL})
    assessment_id = save_assessment(sqlite_team, "Unit 3 post", PERCENTS)
    return sqlite_team, class_id, assessment_id


def named(page):
    """The page with names shown (a member chose "Show names")."""
    page.state.show_names = True
    return page


def _made(team, class_id, assessment_id, names=True):
    page = built(TutoringPanel, team.member(0), class_id)
    page.state.show_names = names
    assert page.assessment.value == assessment_id
    press(page, "Make pairs")
    return page


def _rows(table_html: str) -> list[list[str]]:
    body = table_html.split("<tbody>")[1]
    return [re.findall(r"<td>(.*?)</td>", row) for row in body.split("</tr>") if "<td>" in row]


def test_pairs_follow_the_rank_rule_with_the_secure_mark_and_the_groups(setup):
    team, class_id, assessment_id = setup
    page = _made(team, class_id, assessment_id)
    assert page.rule.value == "rank" and "split the list in half" in page.rule_note.value
    assert page.secure.value == 80.0  # the team's proficient cut
    rows = _rows(page.preview.value.split("<h5>")[0])
    # ranked 95, 90, 85 | 70, 55, 40: Maya-Zoe, Noah-Sam, Leo-(the script)
    assert [r[1:3] for r in rows] == [
        ["Maya", "Zoe"],
        ["Noah", "Sam"],
        ["Leo", ESCAPED],
    ]
    assert rows[0][3:6] == ["95%", "70%", "yes"]
    assert rows[1][3:6] == ["90%", "55%", "yes"]
    assert "<script>" not in page.preview.value
    # Noah (90%) is in the extension group, Sam (55%) in the intervention group
    assert rows[1][6] == "extension / intervention"
    assert "Maya coaches in sessions 1, 3 and 5; Zoe in sessions 2, 4 and 6." in page.preview.value
    assert page.saving.layout.display != "none"


def test_a_pair_that_is_not_secure_is_marked(setup):
    team, class_id, assessment_id = setup
    page = built(TutoringPanel, team.member(0), class_id)
    page.secure.value = 92.0  # only Maya is secure now
    press(page, "Make pairs")
    rows = _rows(page.preview.value.split("<h5>")[0])
    assert [r[5] for r in rows] == ["yes", NOT_SECURE, NOT_SECURE]
    assert "look again" in page.preview.value


def test_one_standard_and_the_adjacent_rule(setup):
    team, class_id, assessment_id = setup
    page = named(built(TutoringPanel, team.member(0), class_id))
    page.source.value = "standard"
    assert page.standard.layout.display != "none"
    page.standard.value = "4.NF.2"
    page.rule.value = "adjacent"
    assert "neighbours" in page.rule_note.value
    press(page, "Make pairs")
    rows = _rows(page.preview.value.split("<h5>")[0])
    assert [r[1:3] for r in rows] == [
        ["Maya", "Noah"],
        ["Leo", "Zoe"],
        ["Sam", ESCAPED],
    ]
    assert page.name.value == "Pairs on 4.NF.2"
    # Sam (55%) and the last student (40%) both need reteaching
    assert rows[2][6].startswith("intervention / intervention. Both (Sam and ")
    assert rows[2][6].endswith("Pair them with a teacher-led group instead?")


def test_pairs_are_saved_with_their_settings_and_reopened(setup):
    team, class_id, assessment_id = setup
    page = _made(team, class_id, assessment_id)
    page.sessions.value, page.swap_every.value = 4, 2
    press(page, "Make pairs")  # again, with the new schedule
    page.name.value = "Fractions pairs"
    press(page, "Save pairs")
    (info,) = groupings.groupings(team.member(0), class_id, "tutoring")
    assert (info.name, info.groups, info.students) == ("Fractions pairs", 3, 6)
    saved = groupings.grouping(team.member(0), info.id)
    assert saved.settings == {
        "assessment": assessment_id,
        "standard": None,
        "items": None,
        "rule": "rank",
        "secure": 80.0,
        "sessions": 4,
        "swap_every": 2,
    }
    ids = ids_of(team, class_id)
    roles = {(p.student_id, p.role) for p in saved.placements if p.group_number == 1}
    assert roles == {(ids[0], "tutor"), (ids[2], "tutee")}
    assert page.choice.value == info.id and page.preview.value == ""
    assert "Maya coaches in sessions 1–2; Zoe in sessions 3–4." in page.view.value
    assert "95%" in page.view.value


def test_pair_cards_hold_names_and_the_schedule_but_no_percent(setup):
    team, class_id, assessment_id = setup
    page = _made(team, class_id, assessment_id)
    press(page, "Save pairs")
    press(page, "Print pair cards")
    link = page.downloads.value
    assert "Download the pair cards" in link
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1)
    printed = base64.b64decode(encoded).decode("utf-8")
    assert "Maya" in printed and "Zoe" in printed and "Maya coaches" in printed
    assert "%" not in printed.split("<body>")[1]
    assert not any(str(p) in printed.split("<body>")[1] for p in PERCENTS)
    assert "<script>alert" not in printed
    page.state.changed()  # e.g. a student answered the survey: the link stays
    assert page.downloads.value == link


def test_saved_pairs_are_deleted_after_a_question(setup):
    team, class_id, assessment_id = setup
    page = _made(team, class_id, assessment_id)
    press(page, "Save pairs")
    press(page, "Delete these pairs")
    assert groupings.groupings(team.member(0), class_id, "tutoring")  # only asked
    answer_yes(page)
    assert groupings.groupings(team.member(0), class_id, "tutoring") == []
    assert "No tutoring pairs saved" in texts(page)


def test_a_colleague_reads_the_pairs_and_a_coach_reads_pseudonyms_only(setup):
    team, class_id, assessment_id = setup
    page = _made(team, class_id, assessment_id)
    press(page, "Save pairs")
    ben = built(TutoringPanel, team.member(1), class_id)
    assert ben.maker.layout.display == "none" and ben.owner_tools.layout.display == "none"
    assert "Maya" not in ben.view.value and "95%" in ben.view.value  # pseudonyms first
    named(ben)
    assert "Maya" in ben.view.value and "95%" in ben.view.value
    coach = built(TutoringPanel, team.as_coach, class_id)
    everything = texts(coach)
    assert "Student " in coach.view.value and "coaches" in coach.view.value
    assert not any(name in coach.view.value for name in NAMES[:6])
    assert "%" not in coach.view.value and "Rivera" not in everything
    assert coach.maker.layout.display == "none"


def test_a_colleagues_hidden_buttons_change_nothing(setup):
    team, class_id, assessment_id = setup
    ben = built(TutoringPanel, team.member(1), class_id)
    ben.assessment.options = [("Unit 3 post", assessment_id)]
    ben.assessment.value = assessment_id
    press(ben, "Make pairs")
    assert "teacher changes it" in ben.status.value
    assert ben.preview.value == ""
    press(ben, "Save pairs")
    assert groupings.groupings(team.member(0), class_id, "tutoring") == []
    page = _made(team, class_id, assessment_id)
    press(page, "Save pairs")
    ben.refresh()
    ben.delete.yes.click()
    assert len(groupings.groupings(team.member(0), class_id, "tutoring")) == 1


def test_a_student_without_a_score_is_left_out_and_named(sqlite_team):
    class_id = make_class(sqlite_team, 5)
    assessment_id = save_assessment(sqlite_team, "Unit 3 post", [90, 80, 50, 30])
    page = _made(sqlite_team, class_id, assessment_id)
    assert "Not paired (no score on this assessment): Ivy." in page.preview.value
    assert len(_rows(page.preview.value.split("<h5>")[0])) == 2


def test_the_schedule_line_of_a_triad_names_each_coach():
    pair = tutoring.make_pairs({"1": 90, "2": 80, "3": 50})[0]
    names = {"1": "Maya", "2": "Leo", "3": "Zoe"}
    assert schedule_line(pair, names, 4, 1) == (
        "Maya coaches in sessions 1 and 3; Zoe in session 2; Leo in session 4."
    )


def test_an_odd_class_makes_one_group_of_three(sqlite_team):
    class_id = make_class(sqlite_team, 5)
    assessment_id = save_assessment(sqlite_team, "Unit 3 post", [90, 80, 70, 50, 30])
    page = _made(sqlite_team, class_id, assessment_id)
    table = page.preview.value.split("<h5>")[0]
    assert "<th>Third</th>" in table and "<th>Third %</th>" in table
    # ranked 90, 80 | 70 | 50, 30: Maya tutors Sam, and Zoe (the middle) joins them
    assert _rows(table)[0][:7] == ["1", "Maya", "Sam", "Zoe", "90%", "50%", "70%"]
    press(page, "Save pairs")
    (info,) = groupings.groupings(sqlite_team.member(0), class_id, "tutoring")
    roles = sorted(p.role for p in groupings.grouping(sqlite_team.member(0), info.id).placements)
    assert roles == ["third", "tutee", "tutee", "tutor", "tutor"]
    assert "Zoe" in _rows(page.view.value.split("<table")[1])[0][3]


def test_secure_starts_at_the_teams_proficient_cut(setup):
    team, class_id, _ = setup
    settings = evidence.settings(team.as_coach)
    evidence.set_settings(team.as_coach, dataclasses.replace(settings, group_cuts=(50, 75, 90)))
    page = built(TutoringPanel, team.member(0), class_id)
    assert page.secure.value == 75.0


def test_chosen_items_are_asked_for_then_used(setup):
    team, class_id, _ = setup
    page = built(TutoringPanel, team.member(0), class_id)
    page.source.value = "items"
    assert page.items.layout.display != "none" and page.standard.layout.display == "none"
    press(page, "Make pairs")
    assert "Choose the items" in page.status.value and page.preview.value == ""
    page.items.value = ("Q1",)
    press(page, "Make pairs")
    assert len(_rows(page.preview.value.split("<h5>")[0])) == 3
    assert page.name.value == "Pairs: Unit 3 post"
    press(page, "Save pairs")
    (info,) = groupings.groupings(team.member(0), class_id, "tutoring")
    assert groupings.grouping(team.member(0), info.id).settings["items"] == ["Q1"]
    assert "items Q1" in page.view.value


# --- names on screen ----------------------------------------------------------------------


def test_pairs_show_pseudonyms_until_names_are_shown_and_cards_carry_names(setup):
    team, class_id, assessment_id = setup
    page = _made(team, class_id, assessment_id, names=False)
    roster = classes.roster(team.member(0), class_id)
    pseudonyms = [s.pseudonym for s in roster]
    preview = page.preview.value
    assert not any(name in preview for name in NAMES[:6]) and ESCAPED not in preview
    rows = _rows(preview.split("<h5>")[0])
    assert rows[0][1:3] == [pseudonyms[0], pseudonyms[2]]  # Maya tutors Zoe, by pseudonym
    assert f"{pseudonyms[0]} coaches in sessions 1, 3 and 5" in preview
    assert page.pseudonyms_hint.layout.display != "none"
    assert PSEUDONYMS_HINT in page.pseudonyms_hint.value
    # names shown: the pairs on the page are named again, as they are
    page.state.show_names = True
    rows = _rows(page.preview.value.split("<h5>")[0])
    assert [r[1:3] for r in rows] == [["Maya", "Zoe"], ["Noah", "Sam"], ["Leo", ESCAPED]]
    assert page.pseudonyms_hint.layout.display == "none"
    # hidden again, then saved: the saved pairs show pseudonyms; the cards names
    page.state.show_names = False
    assert "Maya" not in page.preview.value
    press(page, "Save pairs")
    assert "Maya" not in page.view.value and pseudonyms[0] in page.view.value
    press(page, "Print pair cards")
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", page.downloads.value).group(1)
    printed = base64.b64decode(encoded).decode("utf-8")
    assert "Maya" in printed and "Maya coaches" in printed
    assert not any(p in printed for p in pseudonyms)
    page.state.show_names = True
    assert "Maya coaches" in page.view.value and pseudonyms[0] not in page.view.value


def test_a_student_without_a_score_is_named_by_pseudonym_by_default(sqlite_team):
    class_id = make_class(sqlite_team, 5)
    assessment_id = save_assessment(sqlite_team, "Unit 3 post", [90, 80, 50, 30])
    page = _made(sqlite_team, class_id, assessment_id, names=False)
    ivy = classes.roster(sqlite_team.member(0), class_id)[4].pseudonym
    assert f"Not paired (no score on this assessment): {ivy}." in page.preview.value
    assert "Ivy" not in page.preview.value


def test_a_coach_sees_pseudonyms_even_with_show_names_forced(setup):
    team, class_id, assessment_id = setup
    press(_made(team, class_id, assessment_id), "Save pairs")
    coach = built(TutoringPanel, team.as_coach, class_id)
    coach.state.show_names = True  # as a forged message might try: refused
    assert coach.state.show_names is False
    assert not any(name in coach.view.value for name in NAMES[:6])
    assert "Student " in coach.view.value
    assert coach.pseudonyms_hint.layout.display == "none"  # nothing to switch for a coach
    # even past the state's own guard (both switches forced on), the store gives a coach
    # pseudonyms only
    coach.state._trait_values.update(names=True, show_names=True)
    coach.refresh()
    assert not any(name in coach.view.value for name in NAMES[:6])
    assert "Student " in coach.view.value
