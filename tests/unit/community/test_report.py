"""The partnership plan's report: its sections, self-contained HTML, escaped user text."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from collab_widgets.community import report
from collab_widgets.community.store import partners, plan

from .conftest import BOTH_DATABASES, EIGHT

TODAY = dt.date(2026, 10, 15)  # the fixed clock's
SECTIONS = (
    "Goals and activities",
    "Coverage of the six types of involvement",
    "Partners",
    "Mentoring",
    "Service learning and careers",
    "Evaluation",
    "Our evaluation of the year",
)
SCRIPT = "<script>alert('hi')</script>"


@pytest.fixture
def written(school, classroom) -> int:
    year = plan.create_plan(school, "2026–27", dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    goal = plan.add_goal(school, year, "climate", f"Families feel welcome {SCRIPT}")
    night = plan.add_activity(school, goal, "Family night", "parenting", TODAY, "Dana", 40)
    plan.add_activity(school, goal, "# Fair | *big*", "volunteering", dt.date(2027, 5, 1), "Pat", 9)
    plan.set_outcome(school, night, True, 35)
    food_bank = partners.add_partner(school, "Riverside [Food] Bank", "nonprofit", ["service"])
    partners.add_contact(school, food_bank, "Ada", "Lead", "ada@example.org")
    partners.add_agreement(school, food_bank, "Drive", dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    partners.add_activity(school, "Food drive", dt.date(2026, 10, 1), "volunteering", 40, food_bank)
    plan.set_evaluation(school, year, "# Good year\n- more families <b>came</b>\n1. next: fairs")
    return year


@BOTH_DATABASES
def test_the_html_has_every_section_and_makes_no_request(principal, written):
    html = report.plan_report(principal, written).html
    for heading in SECTIONS:
        assert f"<h2>{heading}</h2>" in html
    assert "<h1>2026–27</h1>" in html
    assert "Climate goal:" in html and "Family night" in html and "35" in html
    assert "Riverside [Food] Bank" in html and "Service" in html
    assert 'src="data:image/png;base64,' in html
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html)
    assert "url(" not in html and "<link" not in html and "@import" not in html
    assert "Content-Security-Policy" in html


def test_typed_text_comes_out_escaped_in_the_html(principal, written):
    html = report.plan_report(principal, written).html
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;" in html
    assert "<b>came</b>" not in html and "&lt;b&gt;came&lt;/b&gt;" in html


def test_the_report_names_no_student_and_no_contacts_reach(school, written):
    html, markdown, _ = report.plan_report(school, written)
    for text in (html, markdown):
        assert "ada@example.org" not in text
        for student in EIGHT:
            assert student.name not in text and student.name.split()[0] not in text
    assert "fewer than 5" in html and "fewer than 5" in markdown


def test_the_markdown_has_the_same_sections_with_user_text_escaped(principal, written):
    markdown = report.plan_report(principal, written).markdown
    for heading in SECTIONS:
        assert f"\n## {heading}\n" in markdown
    assert (
        "### Climate goal: Families feel welcome \\<script\\>alert('hi')\\</script\\>" in markdown
    )
    assert "| \\# Fair \\| \\*big\\* |" in markdown
    assert "Riverside \\[Food\\] Bank" in markdown
    assert "\\# Good year\\\n\\- more families \\<b\\>came\\</b\\>\\\n1\\. next: fairs" in markdown
    assert "*Chart:* Coverage of the six types of involvement" in markdown
    assert "data:image" not in markdown


def test_the_feedback_section_says_when_too_few_answered(principal, written):
    html, markdown, _ = report.plan_report(principal, written)
    assert "Fewer than 3 answered (0 so far)" in html
    assert "Fewer than 3 answered (0 so far)" in markdown


def test_a_report_file_is_named_after_the_school_and_plan():
    assert report.file_stem("Lincoln Elementary", "2026–27 plan!") == (
        "lincoln-elementary-2026-27-plan-partnership-plan"
    )


def test_the_activities_csv_is_one_line_each_and_no_text_runs_as_a_formula(school, written):
    import csv
    import io

    goal = plan.plan(school, written).goals[0].id
    plan.add_activity(school, goal, '=HYPERLINK("http://x")', "communicating", TODAY, "@Pat", 3)
    lines = list(csv.reader(io.StringIO(report.plan_report(school, written).csv)))
    assert lines[0] == list(report.CSV_HEADER)
    rows = {line[2]: line for line in lines[1:]}
    assert set(rows) == {"Family night", "# Fair | *big*", '\'=HYPERLINK("http://x")'}
    assert rows["Family night"][4:] == ["2026-10-15", "Dana", "40", "happened", "35"]
    assert rows['\'=HYPERLINK("http://x")'][5] == "'@Pat"
