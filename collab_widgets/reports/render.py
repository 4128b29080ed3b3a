"""The meeting record written out from Jinja2 templates: one self-contained, printable HTML
page and a Markdown file with the same sections in the same order.

Both are safe for whatever people typed:

- HTML: autoescape is on, so every piece of user text is escaped (a ``<script>`` typed in a
  note comes out as text). The page makes no request of any kind: charts are embedded as
  ``data:`` URIs, the CSS is inline and names no web font or ``url()``, there is no script,
  and a Content-Security-Policy ``<meta>`` forbids anything else should a later edit slip.
- Markdown: every ``{{ … }}`` in the Markdown template passes through :func:`md_text` (the
  template's ``finalize``), the Markdown counterpart of autoescape: characters that could
  start a heading, a list, a quote, a table cell, emphasis, a link, raw HTML or math are
  backslash-escaped, so a note starting with ``#`` or containing ``|`` cannot change the
  structure. Template-made values (numbers, dates, cells) are marked as already escaped.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from collections.abc import Iterable

import jinja2

from collab_widgets.classroom.rules import SECTIONS, PlanContent
from collab_widgets.reports.exports import iso_day
from collab_widgets.reports.record import MeetingRecord

NOTHING = "Nothing recorded."
REFLECTION_PARTS = (("What?", "what"), ("So what?", "so_what"), ("Now what?", "now_what"))


# --- Markdown escaping -------------------------------------------------------------------


class _Escaped(str):
    """Text already made safe for Markdown (template-made, or escaped once)."""


# Characters that can open inline structure anywhere in a line: code, emphasis, links,
# raw HTML and entities, table cells, strikethrough, math (Jupyter and GitHub render $…$).
_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
# What a line may start with to open a block: heading, list, setext underline, quote.
_BLOCK_START = re.compile(r"^([#+=-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_TRAILING_HASHES = re.compile(r"(#+)$")


def _escape_line(line: str) -> str:
    line = _INLINE.sub(r"\\\1", line.strip())
    line = _BLOCK_START.sub(r"\\\1", line)
    line = _ORDERED_START.sub(r"\1\\\2", line)
    # A heading's closing run of #s is dropped by Markdown; keep a typed one visible.
    return _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), line)


def md_text(value: object) -> str:
    """User text escaped for Markdown, its lines kept as hard line breaks.

    Leading spaces and blank lines are dropped (four spaces would start a code block and a
    blank line would end the list item the text sits in). Numbers and values already
    escaped pass through unchanged."""
    if isinstance(value, _Escaped) or not isinstance(value, str):
        return value  # type: ignore[return-value]
    lines = [_escape_line(line) for line in value.splitlines()]
    return _Escaped("\\\n".join(line for line in lines if line))


def md_inline(value: object) -> _Escaped:
    """User text escaped for one line of Markdown (a table cell, a heading): line breaks
    become spaces."""
    if isinstance(value, _Escaped):
        return value
    lines = [_escape_line(line) for line in str(value).splitlines()]
    return _Escaped(" ".join(line for line in lines if line))


def _md_joined(values: Iterable[str], separator: str = ", ") -> _Escaped:
    return _Escaped(separator.join(md_inline(v) for v in values))


# --- shared filters ----------------------------------------------------------------------


def _day(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day:%A} {day.day} {day:%B %Y} ({day.isoformat()})"


def _number(value: float | None, places: int = 1) -> str:
    return "no marks" if value is None else f"{value:.{places}f}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _escaped_filter(function):
    """Wrap a filter so that its (template-made) result is not escaped again."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        return _Escaped(function(*args, **kwargs))

    return wrapper


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    loader = jinja2.PackageLoader("collab_widgets.reports", "templates")
    options = dict(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if kind == "html":
        env = jinja2.Environment(autoescape=True, **options)
        env.filters.update(day=_day, iso=iso_day, number=_number, b64=_b64)
    else:
        env = jinja2.Environment(autoescape=False, finalize=md_text, **options)
        env.filters.update(
            day=_escaped_filter(_day),
            iso=_escaped_filter(iso_day),
            number=_escaped_filter(_number),
            cell=md_inline,
            joined=_md_joined,
        )
    return env


def _context(record: MeetingRecord) -> dict:
    reflection = record.reflection
    parts = [
        (label, (getattr(reflection, name) if reflection is not None else "") or "")
        for label, name in REFLECTION_PARTS
    ]
    has_reflection = any(text.strip() for _, text in parts)
    return {
        "record": record,
        "nothing": NOTHING,
        "agenda_total": sum(minutes for _, minutes in record.agenda),
        "actions": [(action, action.overdue(record.date)) for action in record.actions],
        "reflection": parts if has_reflection else [],
    }


def record_html(record: MeetingRecord) -> str:
    """The meeting record as one self-contained, printable HTML page."""
    template = _environment("html").get_template("record.html.j2")
    return template.render(_context(record))


def record_markdown(record: MeetingRecord) -> str:
    """The meeting record as Markdown: the same sections, charts named by their alt text."""
    template = _environment("markdown").get_template("record.md.j2")
    return template.render(_context(record))


def _plan_context(team: str, plan: PlanContent, version: str, approach_names: dict) -> dict:
    return {
        "team": team,
        "plan": plan,
        "version": version,
        "nothing": NOTHING,
        "sections": [(name, plan.sections.get(key, "")) for key, name in SECTIONS.items()],
        "tasks": [
            (task, minutes, approach_names.get(approach, approach) if approach else "One teacher")
            for task, minutes, approach in plan.segments
        ],
    }


def plan_html(team: str, plan: PlanContent, version: str, approach_names: dict) -> str:
    """A plan written together as one self-contained, printable HTML page."""
    template = _environment("html").get_template("plan.html.j2")
    return template.render(_plan_context(team, plan, version, approach_names))


def plan_markdown(team: str, plan: PlanContent, version: str, approach_names: dict) -> str:
    template = _environment("markdown").get_template("plan.md.j2")
    return template.render(_plan_context(team, plan, version, approach_names))
