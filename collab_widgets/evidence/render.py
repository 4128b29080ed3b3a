"""The question 3 and 4 groups as the page shows them, as a list to print and as a
spreadsheet: per group its count, the items it missed most, and its students (named as
the page names them) with their percent. Everything typed is escaped; the printable page
is self-contained (nothing fetched)."""

from __future__ import annotations

import html
from collections.abc import Mapping

from collab_widgets.core.model import plural
from collab_widgets.core.spreadsheet_csv import spreadsheet_csv
from collab_widgets.evidence.analysis import GROUPS

MISSED_SHOWN = 8  # items listed per group: the ones missed most

PRINT_STYLE = """
body { font: 15px/1.4 system-ui, sans-serif; color: #1d2630; margin: 24px; }
section { break-inside: avoid; margin: 0 0 18px; }
table { border-collapse: collapse; min-width: 320px; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #ccd3da; }
td.number, th.number { text-align: right; }
"""


def _missed(group: Mapping) -> str:
    return ", ".join(group["missed"][:MISSED_SHOWN]) or "none stands out"


def _section(key: str, group: Mapping, names: Mapping[str, str], level: int) -> str:
    count = len(group["students"])
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td class='number'>{percent:.0f}%</td></tr>"
        for name, percent in group["students"]
    )
    table = (
        "<table><thead><tr><th scope='col'>Student</th><th scope='col' class='number'>Score"
        f"</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No student in this group.</p>"
    )
    return (
        f"<section class='collab-group-card collab-group-{key}'>"
        f"<h{level}>{html.escape(names[key])}: {plural(count, 'student')}</h{level}>"
        f"<p>Items this group missed most: {html.escape(_missed(group))}</p>{table}</section>"
    )


def groups_html(groups: Mapping[str, Mapping], names: Mapping[str, str]) -> str:
    """The groups as cards for the page, in the order of ``GROUPS``."""
    cards = "".join(_section(key, groups[key], names, 4) for key in GROUPS)
    return f"<div class='collab-group-cards'>{cards}</div>"


def groups_page(title: str, groups: Mapping[str, Mapping], names: Mapping[str, str]) -> str:
    """A page to print or keep: the same groups, on their own."""
    sections = "".join(_section(key, groups[key], names, 2) for key in GROUPS)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{PRINT_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{sections}</body></html>"
    )


def groups_csv(groups: Mapping[str, Mapping], names: Mapping[str, str]) -> bytes:
    """One row per student: group, student, percent. Spreadsheet-safe, with a byte order
    mark so that spreadsheets read it as UTF-8."""
    rows = [
        (names[key], name, f"{percent:.0f}")
        for key in GROUPS
        for name, percent in groups[key]["students"]
    ]
    text = spreadsheet_csv(("Group", "Student", "Score (%)"), rows)
    return text.encode("utf-8-sig")
