"""The community page: opened with a school link (a wrong code shows the join screen and
counts at the gate), the coordinator's tabs changing things through their widgets, the
principal's same tabs with nothing that changes anything, user text escaped, and bad input
shown as a plain message in the page's status line."""

from __future__ import annotations

import datetime as dt

import ipywidgets as widgets
import sqlalchemy as sa

from collab_widgets.community.app import CommunityApp
from collab_widgets.community.store import mentoring, partners, plan, projects, schools
from collab_widgets.community.ui.school_join import SchoolJoinScreen
from collab_widgets.core.db import tables as t
from collab_widgets.core.ui.browser_parts import CopyLink
from tests.unit.widget_helpers import BUTTONS, answer_yes, find, texts

TODAY = dt.date(2026, 10, 15)  # the tests' fixed clock
INPUTS = (
    widgets.Text,
    widgets.Textarea,
    widgets.DatePicker,
    widgets.Checkbox,
    widgets.IntText,
    widgets.BoundedIntText,
    widgets.FloatText,
    widgets.BoundedFloatText,
)


def click(root, label_or_class: str) -> None:
    """Click the one button whose label or ``collab-btn-…`` class is ``label_or_class``."""
    found = find(
        root,
        BUTTONS,
        lambda b: (
            b.description == label_or_class or f"collab-btn-{label_or_class}" in b._dom_classes
        ),
    )
    assert len(found) == 1, f"{len(found)} buttons {label_or_class!r}"
    found[0].click()


def revision(store, school_id: int) -> int:
    with store.reading() as conn:
        return conn.execute(
            sa.select(t.schools.c.revision).where(t.schools.c.id == school_id)
        ).scalar_one()


def error_shown(app) -> str:
    assert "collab-error" in app.status.value, app.status.value
    assert "Traceback" not in app.status.value
    return app.status.value


def coordinator_app(school_place) -> CommunityApp:
    app = CommunityApp(school_place.store, {"school": school_place.coordinator_code})
    assert app.ready and app.tabs is not None, app.status.value
    return app


def test_the_coordinator_adds_a_partner_through_the_widgets(school_place):
    app = coordinator_app(school_place)
    assert "Community partnerships — " in app.title.value
    assert "partnership coordinator" in app.who.value
    assert [app.tabs.get_title(i) for i in range(5)] == [
        "School",
        "Partners",
        "Mentoring",
        "Service & careers",
        "Plan",
    ]
    page = app.partners
    page.name.value = "Riverside Library"
    page.kind.index = 0
    next(iter(page.offer_boxes.values())).value = True
    click(page, "add-partner")
    assert "collab-ok" in app.status.value
    assert "Riverside Library" in page.directory.value
    (found,) = partners.partners(school_place.coordinator)
    assert found.name == "Riverside Library" and len(found.offers) == 1
    # a contact and an agreement for the partner shown, then an activity with it
    assert page.partner.value == found.id
    page.contact_name.value, page.contact_reach.value = "Ana Ruiz", "ana@example.org"
    click(page, "add-contact")
    page.agreement_title.value = "Reading buddies"
    page.agreement_starts.value, page.agreement_ends.value = TODAY, TODAY + dt.timedelta(days=20)
    click(page, "add-agreement")
    assert "ana@example.org" in page.details.value
    assert "Reading buddies" in page.reminders.value  # ends within 30 days
    page.activity_title.value = "Science fair judges"
    page.activity_people.value = 12
    page.activity_partner.value = found.id
    click(page, "add-community-activity")
    assert "Science fair judges" in page.activities.value
    app.close()


def test_a_partner_named_with_a_script_is_shown_escaped(school_place):
    app = coordinator_app(school_place)
    page = app.partners
    page.name.value = "<script>alert(1)</script>"
    page.kind.index = 0
    click(page, "add-partner")
    shown = texts(app.widget)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "<script>" not in shown


def test_bad_input_shows_a_plain_message_and_changes_nothing(school_place, classroom):
    app = coordinator_app(school_place)
    page = app.partners
    for _ in range(2):
        page.name.value = "Riverside  library"
        page.kind.index = 0
        click(page, "add-partner")
    assert "riverside" in error_shown(app).lower()
    assert len(partners.partners(school_place.coordinator)) == 1
    page.name.value = "Bank"
    page.kind.index = 0
    page.agreement_title.value = "Backwards"
    page.agreement_starts.value, page.agreement_ends.value = TODAY, TODAY - dt.timedelta(days=1)
    click(page, "add-agreement")
    error_shown(app)

    work = app.projects
    work.title.value = "River clean-up"
    work.project_class.value = classroom.class_id
    work.project_starts.value = TODAY - dt.timedelta(days=10)
    click(work, "add-project")
    assert "River clean-up" in work.project_table.value
    work.grouping.value = classroom.grouping_id
    click(work, "make-teams")
    assert "Team 2" in work.project_view.value
    work.hours.value = -3
    work.served_what.value = "litter picking"
    click(work, "log-hours")
    error_shown(app)
    work.hours.value = 500
    click(work, "log-hours")
    error_shown(app)
    (team,) = [p for p in projects.projects(school_place.coordinator)][0].teams[:1]
    assert projects.hours_entries(school_place.coordinator, team.id) == []
    work.hours.value = 2
    work.served_on.value = TODAY
    click(work, "log-hours")
    assert "collab-ok" in app.status.value
    assert "8" in work.project_table.value  # 2 hours x 4 students


def test_mentoring_clearance_suggestions_confirm_and_a_link_shown_once(school_place, classroom):
    app = coordinator_app(school_place)
    page = app.mentoring
    page.programme_name.value = "Reading buddies"
    click(page, "add-programme")
    assert page.programme.value is not None
    first_time = next(iter(page.mentor_times))
    first_language = next(iter(page.mentor_languages))
    # a mentor without clearance is never suggested
    page.mentor_name.value = "Sam Uncleared"
    page.mentor_times[first_time].value = True
    page.mentor_languages[first_language].value = True
    click(page, "add-mentor")
    page.mentor_name.value = "Kim Cleared"
    page.mentor_interests.value = "robotics, chess"
    page.mentor_times[first_time].value = True
    page.mentor_languages[first_language].value = True
    page.cleared_on.value, page.expires_on.value = (
        TODAY - dt.timedelta(days=30),
        TODAY + dt.timedelta(days=300),
    )
    page.verified_by.value = "Office manager"
    click(page, "add-mentor")
    assert "valid until" in page.mentors_table.value
    # a mentee picked by pseudonym: no student's name anywhere on the page
    page.student.index = 0
    page.mentee_interests.value = "robotics"
    page.mentee_times[first_time].value = True
    page.mentee_languages[first_language].value = True
    click(page, "add-mentee")
    shown = texts(app.widget)
    assert not any(student.display_name in shown for student in classroom.roster)
    click(page, "suggest-matches")
    suggestion = find(page.suggested, BUTTONS)
    assert len(suggestion) == 1 and "Kim Cleared" in texts(page.suggested)
    assert "Sam Uncleared" in page.left_out.value
    suggestion[0].click()
    assert "collab-ok" in app.status.value
    (match,) = mentoring.matches(school_place.coordinator, page.programme.value)
    assert match.mentor == "Kim Cleared" and "Kim Cleared" in page.matches_table.value
    # the mentor's link, shown once with a copy button
    page.mentor.value = next(m.id for m in page.mentor_list if m.name == "Kim Cleared")
    click(page, "mentor-link")
    answer_yes(page)
    (copy,) = find(page, CopyLink)
    assert "/mentors#code=" in copy.value
    assert copy.value not in texts(page.link_said)  # in the copy box only
    page.mentor.value = next(m.id for m in page.mentor_list if m.name == "Sam Uncleared")
    assert copy.value == ""  # another mentor chosen: the link is not shown again
    # close-out
    page.closing_note.value = "A good year"
    click(page, "close-match")
    answer_yes(page)
    assert "A good year" in page.match_view.value


def test_the_plan_with_its_calendar_coverage_evaluation_and_report(school_place):
    app = coordinator_app(school_place)
    page = app.plan
    page.plan_title.value = "2026–27"
    page.plan_starts.value, page.plan_ends.value = dt.date(2026, 9, 1), dt.date(2027, 6, 30)
    click(page, "add-plan")
    page.goal_kind.value = "climate"
    page.goal_text.value = "Every family feels welcome"
    click(page, "add-plan-goal")
    page.activity_title.value = "Family maths night"
    page.activity_kind.value = "learning-at-home"
    page.activity_day.value = dt.date(2026, 10, 2)
    page.responsible.value = "Ms. Lee"
    page.expected.value = 40
    click(page, "add-plan-activity")
    assert "October 2026" in page.calendar.value
    assert "Family maths night" in page.goals.value
    assert "1 planned" in page.coverage.chart.caption.value
    page.happened.value = "yes"
    page.came.value = 35
    click(page, "set-outcome")
    assert "35 took part where 40 were expected" in page.evaluation.value
    page.evaluation_text.value = "A good start."
    click(page, "save-evaluation")
    click(page, "make-plan-report")
    assert "data:text/html;base64," in page.report_links.value
    assert "data:text/markdown;base64," in page.report_links.value
    assert "collab-error" not in app.status.value


def _fill_the_school(scope, classroom) -> None:
    partner_id = partners.add_partner(scope, "Riverside Library", "nonprofit")
    partners.add_activity(scope, "Book drive", TODAY, "volunteering", 30, partner_id)
    programme_id = mentoring.add_programme(
        scope, "Buddies", TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=200), 60
    )
    mentoring.add_mentor(scope, programme_id, "Kim", ["chess"], ["tue-pm"], ["en"])
    project_id = projects.add_project(
        scope, classroom.class_id, "Clean-up", partner_id, "", TODAY - dt.timedelta(days=5), TODAY
    )
    projects.add_teams_from_grouping(scope, project_id, classroom.grouping_id)
    plan_id = plan.create_plan(scope, "2026–27", dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    plan.add_goal(scope, plan_id, "climate", "Welcome")


def test_the_principal_reads_every_tab_and_no_control_changes_anything(school_place, classroom):
    _fill_the_school(school_place.coordinator, classroom)
    app = CommunityApp(school_place.store, {"school": school_place.principal_code})
    assert "principal" in app.who.value
    for index in range(5):
        app.tabs.selected_index = index
    assert "collab-error" not in app.status.value, app.status.value
    shown = texts(app.widget)
    assert "only the coordinator" in shown
    assert "Riverside Library" in shown and "Clean-up" in shown and "Welcome" in shown
    assert "fewer than 5" in app.school.numbers.value  # students counted, none named
    assert not any(student.display_name in shown for student in classroom.roster)
    assert find(app.widget, INPUTS) == []
    before = revision(school_place.store, school_place.school_id)
    for found in find(app.widget, BUTTONS):
        found.click()
    for dropdown in find(app.widget, widgets.Dropdown):
        for value in [v for _label, v in dropdown.options]:
            dropdown.value = value
    assert revision(school_place.store, school_place.school_id) == before
    assert "Traceback" not in app.status.value


def test_a_wrong_code_shows_the_join_screen_and_the_right_one_opens(school_place):
    app = CommunityApp(school_place.store, {"school": "not-a-code"})
    (join,) = find(app.widget, SchoolJoinScreen)
    assert "not known" in join.status.value and app.tabs is None
    join.code.value = school_place.principal_code
    join.open_button.click()
    assert app.tabs is not None and "principal" in app.who.value


def test_no_code_asks_for_one_and_guessing_is_stopped(school_place):
    app = CommunityApp(school_place.store, {})
    (join,) = find(app.widget, SchoolJoinScreen)
    for guess in range(10):
        join.code.value = f"guess-{guess}"
        join.open_button.click()
    assert "Too many wrong codes" in join.status.value
    join.code.value = school_place.coordinator_code
    join.open_button.click()
    assert app.tabs is None  # locked out for now, even with the right code


def test_a_link_changed_while_the_page_is_open_shows_a_plain_message(school_place):
    app = coordinator_app(school_place)
    (person,) = [
        p
        for p in schools.people(school_place.store, school_place.school_id)
        if p.role == "coordinator"
    ]
    page = app.partners
    schools.rotate_person(school_place.store, person.id)
    app.tabs.selected_index = 2  # opening a tab reads the store: refused, in words
    assert "no longer works" in error_shown(app)
    app.status.clear()
    page.name.value = "Riverside Library"
    page.kind.index = 0
    click(page, "add-partner")
    assert "no longer works" in error_shown(app)
