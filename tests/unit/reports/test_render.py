"""The meeting record (HTML page, Markdown) and the action exports (CSV, iCalendar)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re
import struct
import zlib
from html.parser import HTMLParser

import mistune
import pytest

from collab_widgets.actions.model import Action, Decision
from collab_widgets.classroom.rules import PlanContent
from collab_widgets.core.charts import norms_check_chart
from collab_widgets.reflection.model import Reflection
from collab_widgets.reports.record import (
    EvidenceSection,
    GoalLine,
    MeetingRecord,
    NormsLine,
    ProtocolNotes,
    ProtocolStep,
    RecordChart,
    SurveyLine,
)
from collab_widgets.reports.render import (
    md_text,
    plan_html,
    plan_markdown,
    record_html,
    record_markdown,
)
from tests.unit.store_helpers import EVIL

SECTIONS = [
    "Attendance",
    "Roles",
    "Agenda",
    "Norms check",
    "Wins",
    "Goal and progress",
    "Evidence",
    "Protocol notes",
    "In the classroom",
    "Reflection",
    "Pulse surveys",
    "Decisions",
    "Actions",
]


NOTHING = "Nothing recorded."


MEETING_DAY = dt.date(2026, 10, 15)


CREATED = dt.datetime(2026, 10, 1, 16, 30, tzinfo=dt.UTC)


def typed(label: str) -> str:
    """What a mischievous (or unlucky) member might type: markup of every kind."""
    return (
        f"# heading {label} <script>alert(1)</script> | pipe "
        f"<img src=x onerror=alert(2)> {{{{ 7*7 }}}} *star* $x$ [link](x)\n"
        f"- second line of {label} | more"
    )


def tiny_png(red: int, green: int, blue: int) -> bytes:
    """A real 1x1 PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, green, blue]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def action(
    id: int,
    text: str,
    due: dt.date | None,
    status: str = "open",
    owner: str = "Ann",
    prompted_by: str = "",
) -> Action:
    return Action(
        id=id,
        meeting_id=7,
        text=text,
        owner_id=None,
        owner=owner,
        due_on=due,
        status=status,
        prompted_by=prompted_by,
        created_at=CREATED + dt.timedelta(hours=id),
    )


@pytest.fixture(scope="module")
def charts() -> dict[str, RecordChart]:
    drawn = norms_check_chart([typed("norm")], [2.5], [3.25], ["4"])
    return {
        "norms": RecordChart(typed("norms chart title"), drawn.png, drawn.alt),
        "goal": RecordChart(typed("goal chart title"), tiny_png(0, 114, 178), typed("goal alt")),
        "evidence": RecordChart(
            typed("evidence chart title"), tiny_png(230, 159, 0), typed("evidence alt")
        ),
    }


@pytest.fixture
def full_record(charts) -> MeetingRecord:
    return MeetingRecord(
        team=typed("team"),
        title=typed("title"),
        date=MEETING_DAY,
        present=(typed("present one"), "Bo"),
        absent=(typed("absent"),),
        roles=(("facilitator", typed("facilitator")), ("recorder", "Bo")),
        agenda=((typed("agenda item"), 10), ("Plan the next unit", 25)),
        norms=(NormsLine(typed("norm"), 2.5, 3.25, 4), NormsLine("Start on time", None, 3.0, 2)),
        norms_chart=charts["norms"],
        wins=(typed("win"),),
        goals=(GoalLine(typed("goal"), "on track", typed("explanation"), charts["goal"]),),
        evidence=(
            EvidenceSection(typed("assessment"), (charts["evidence"],), (typed("observation"),)),
        ),
        protocols=(
            ProtocolNotes(
                typed("protocol"),
                (ProtocolStep(typed("step"), typed("recorder notes"), (typed("board note"),)),),
            ),
        ),
        reflection=Reflection(
            meeting_id=7, what=typed("what"), so_what=typed("so what"), now_what=typed("now what")
        ),
        surveys=(
            SurveyLine(typed("survey"), 6, True, ((typed("subscale"), 3.25, typed("agree")),)),
            SurveyLine(typed("small survey"), 2, False, note=typed("survey note")),
        ),
        decisions=(
            Decision(
                id=1,
                meeting_id=7,
                text=typed("decision"),
                method="fist to five",
                result=typed("result"),
                present=(typed("decider"), "Bo"),
                decided_at=CREATED,
            ),
        ),
        actions=(
            action(
                1,
                typed("late action"),
                dt.date(2026, 10, 10),
                owner=typed("owner"),
                prompted_by=typed("prompt"),
            ),
            action(2, "Share the rubric", dt.date(2026, 10, 20)),
            action(3, "Already done", dt.date(2026, 10, 1), status="done"),
        ),
        generated_at=CREATED,
    )


def every_text(record: MeetingRecord) -> list[str]:
    """Every piece of typed text in the fixture record (the ones made by ``typed``)."""
    found = []

    def walk(value):
        if isinstance(value, str):
            if value.startswith("# heading"):
                found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    walk(record)
    return found


class Page(HTMLParser):
    """What a browser would see: tags with their attributes, text, CSS and headings."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.css: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self._open: list[str] = []
        self._heading: list[str] | None = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = []
        if "style" in dict(attrs):
            self.css.append(dict(attrs)["style"] or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._open.pop()

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((tag, "".join(self._heading)))
            self._heading = None
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data):
        if self._open and self._open[-1] == "style":
            self.css.append(data)
        else:
            self.text.append(data)
            if self._heading is not None:
                self._heading.append(data)

    def all_text(self) -> str:
        return "".join(self.text)


def rendered(markdown: str) -> str:
    """The Markdown as a renderer shows it, raw HTML allowed (as some renderers do)."""
    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])(markdown)


def cells(line: str) -> list[str]:
    """A Markdown table row split at its unescaped pipes."""
    parts, current = [], ""
    for token in re.findall(r"\\.|.", line.strip()):
        if token == "|":
            parts.append(current)
            current = ""
        else:
            current += token
    parts.append(current)
    return [part.strip() for part in parts[1:-1]]


def test_html_has_every_section_in_order_with_a_heading(full_record):
    page = Page(record_html(full_record))
    assert page.headings[0] == ("h1", typed("title"))
    assert [text for tag, text in page.headings if tag == "h2"] == SECTIONS


def test_html_is_a_proper_printable_page(full_record):
    source = record_html(full_record)
    page = Page(source)
    assert source.lstrip().lower().startswith("<!doctype html>")
    assert ("html", {"lang": "en"}) in page.tags
    assert any(
        tag == "meta" and attrs.get("charset", "").lower() == "utf-8" for tag, attrs in page.tags
    )
    titles = [i for i, (tag, _) in enumerate(page.tags) if tag == "title"]
    assert len(titles) == 1
    assert "@media print" in "".join(page.css)


def test_html_escapes_every_typed_text(full_record):
    source = record_html(full_record)
    page = Page(source)
    assert "<script" not in source.lower()
    assert "<img src=x" not in source.lower()
    assert not [tag for tag, _ in page.tags if tag in ("script", "a", "iframe", "object", "embed")]
    assert not [(tag, name) for tag, attrs in page.tags for name in attrs if name.startswith("on")]
    shown = page.all_text()
    texts = every_text(full_record)
    assert len(texts) >= 25
    for text in texts:
        # The norms chart's alt text shortens the label; everything else is shown whole.
        assert text in shown, text.splitlines()[0]
    assert "{{ 7*7 }}" in shown and "49" not in shown


def test_html_makes_no_external_request(full_record):
    source = record_html(full_record)
    page = Page(source)
    links = [
        value
        for _, attrs in page.tags
        for name, value in attrs.items()
        if name in ("src", "href", "srcset", "action", "poster", "data", "background", "xlink:href")
    ]
    assert links, "the page should at least embed its charts"
    for value in links:
        assert value.startswith(("data:image/png;base64,", "#")), value[:40]
    for _, attrs in page.tags:
        for value in attrs.values():
            if (value or "").startswith("data:image/png;base64,"):
                continue  # base64 may hold "//"; it is decoded and checked below
            assert not re.search(r"(https?:)?//", value or ""), value
    css = "".join(page.css)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert not re.search(r"https?://|//", css)
    assert not [tag for tag, _ in page.tags if tag in ("link", "base", "form", "script")]
    csp = [a["content"] for t, a in page.tags if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0] and "script-src" not in csp[0]


def test_html_embeds_charts_as_data_uris_with_alt_text_and_caption(full_record, charts):
    page = Page(record_html(full_record))
    images = [attrs for tag, attrs in page.tags if tag == "img"]
    assert len(images) == len(charts)
    by_alt = {chart.alt: chart for chart in charts.values()}
    for attrs in images:
        prefix = "data:image/png;base64,"
        assert attrs["src"].startswith(prefix)
        data = base64.b64decode(attrs["src"][len(prefix) :], validate=True)
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert data == by_alt[attrs["alt"]].png
    shown = page.all_text()
    for chart in charts.values():
        assert chart.alt in shown and chart.title in shown


def test_html_marks_overdue_actions_from_the_meeting_date(full_record):
    source = record_html(full_record)
    actions = source.split('<section id="actions">')[1]
    rows = re.findall(r"<tr>(.*?)</tr>", actions, re.S)[1:]
    assert len(rows) == 3
    late, upcoming, done = (html.unescape(re.sub(r"<[^>]+>", " ", row)) for row in rows)
    assert "(overdue)" in late and typed("owner") in late and typed("prompt") in late
    assert "(overdue)" not in upcoming and "2026-10-20" in upcoming
    assert "(overdue)" not in done and "done" in done


def test_html_shows_agenda_total_and_hidden_survey_note(full_record):
    page = Page(record_html(full_record))
    shown = page.all_text()
    assert re.search(r"Total\s*35", shown)
    assert typed("survey note") in shown
    assert "3.25" in shown and typed("agree") in shown


def test_html_of_an_empty_record_says_nothing_recorded_in_every_section():
    empty = MeetingRecord(team="Grade 7 science", title="", date=MEETING_DAY)
    source = record_html(empty)
    page = Page(source)
    assert [text for tag, text in page.headings if tag == "h2"] == SECTIONS
    sections = source.split("<section")[1:]
    assert len(sections) == len(SECTIONS)
    for section in sections:
        assert NOTHING in section, section[:60]
    assert "2026-10-15" in page.all_text()
    assert not [tag for tag, _ in page.tags if tag == "img"]


def test_html_reflection_with_one_part_blank(full_record):
    from dataclasses import replace

    record = replace(
        full_record, reflection=Reflection(meeting_id=7, what="We saw gaps", now_what="")
    )
    source = record_html(record)
    reflection = source.split('<section id="reflection">')[1].split("</section>")[0]
    assert "We saw gaps" in reflection and reflection.count(NOTHING) == 2


def test_markdown_has_every_section_in_order(full_record):
    markdown = record_markdown(full_record)
    assert re.findall(r"^## (.*)$", markdown, re.M) == SECTIONS
    shown = rendered(markdown)
    assert re.findall(r"<h2>(.*?)</h2>", shown) == SECTIONS
    assert len(re.findall(r"<h1>", shown)) == 1


def test_markdown_keeps_typed_markup_literal(full_record):
    markdown = record_markdown(full_record)
    shown = rendered(markdown)
    for tag in ("<script", "<img", "<a ", "<ol", "<blockquote", "<code", "<del"):
        assert tag not in shown, tag
    visible = html.unescape(re.sub(r"<[^>]+>", "", shown))
    for text in every_text(full_record):
        for line in text.splitlines():
            assert line in visible, line
    assert "{{ 7*7 }}" in visible and "49" not in visible
    # A typed "# heading" or "- second line" stays text: no heading or list item starts
    # with what followed the marker.
    assert not re.search(r"<h[1-6]>heading|<li>(second line|heading)", shown)


def test_markdown_tables_are_not_broken_by_pipes_or_line_breaks(full_record):
    markdown = record_markdown(full_record)
    widths = {"Item": 2, "Norm": 4, "Part": 3, "Action": 5}
    for table in re.findall(r"(?:^\|.*\|$\n?)+", markdown, re.M):
        rows = table.strip().splitlines()
        width = widths[cells(rows[0])[0]]
        assert all(len(cells(row)) == width for row in rows), table
        assert len(rows) >= 3
    shown = rendered(markdown)
    for table in re.findall(r"<table>(.*?)</table>", shown, re.S):
        heads = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
            assert len(re.findall(r"<td", row)) == heads
    assert len(re.findall(r"<table>", shown)) == 4
    assert "| **Total** | **35** |" in markdown


def test_markdown_names_charts_by_alt_text_and_marks_overdue(full_record, charts):
    markdown = record_markdown(full_record)
    assert "data:image" not in markdown and "![" not in markdown
    visible = html.unescape(re.sub(r"<[^>]+>", "", rendered(markdown)))
    for chart in charts.values():
        assert " ".join(chart.alt.splitlines()) in visible
    action_rows = [row for row in markdown.splitlines() if row.startswith("| ") and "Ann" in row]
    overdue = [row for row in markdown.splitlines() if "(overdue)" in row]
    assert len(overdue) == 1 and "late action" in overdue[0]
    assert action_rows and not any("(overdue)" in row for row in action_rows)


def test_markdown_of_an_empty_record_says_nothing_recorded_in_every_section():
    markdown = record_markdown(MeetingRecord(team="Grade 7 science", title="", date=MEETING_DAY))
    chunks = markdown.split("\n## ")[1:]
    assert [chunk.splitlines()[0] for chunk in chunks] == SECTIONS
    for chunk in chunks:
        assert NOTHING in chunk, chunk[:40]


@pytest.mark.parametrize(
    "text, forbidden",
    [
        ("# not a heading", "<h1"),
        ("1. not a list", "<ol"),
        ("2) not a list", "<ol"),
        ("- not a list", "<ul"),
        ("+ not a list", "<ul"),
        ("> not a quote", "<blockquote"),
        ("line\n===", "<h1"),
        ("line\n---", "<h2"),
        ("    not code", "<pre"),
        ("`not code`", "<code"),
        ("*not em* _not em_", "<em"),
        ("[not](a link)", "<a "),
        ("<b>not bold</b>", "<b>"),
        ("~~not struck~~", "<del"),
    ],
)
def test_markdown_escaping_keeps_structure_out_of_typed_text(text, forbidden):
    shown = rendered(f"Before\n\n{md_text(text)}\n")
    assert forbidden not in shown
    visible = html.unescape(re.sub(r"<[^>]+>", "", shown))
    for line in text.splitlines():
        assert line.strip() in visible


def test_markdown_escaping_leaves_plain_text_and_numbers_alone():
    assert md_text("Plan the next unit, then meet (again).") == (
        "Plan the next unit, then meet (again)."
    )
    assert md_text(3.5) == 3.5


def test_a_plan_prints_as_one_self_contained_page_and_as_markdown():
    plan = PlanContent(
        "Fractions " + EVIL,
        "4.NF.2",
        {"target": "# I can place 3/4", "criteria": "Equal parts\nCount from zero"},
        (("Launch | where does 3/4 go?", 10, "station-teaching"), ("Exit ticket", 5, None)),
    )
    names = {"station-teaching": "Station teaching"}
    page = plan_html("Grade 4 Math", plan, "Version 2: Ready to teach", names)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"(src|href)=[\"']|url\(|@import", page)  # asks for nothing
    assert "Station teaching" in page and "One teacher" in page and ">15<" in page
    markdown = plan_markdown("Grade 4 Math", plan, "Version 2: Ready to teach", names)
    assert "\\# I can place 3/4" in markdown  # typed text cannot make a heading
    assert "Launch \\| where does 3/4 go?" in markdown  # nor a table cell
    assert "| 2 | Exit ticket | 5 | One teacher |" in markdown
    assert markdown.count("## ") == 6  # standard, four sections, tasks
