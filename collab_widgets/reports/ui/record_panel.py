"""The meeting record: one button makes a self-contained HTML page (charts inside, no
outside request, printable) and a Markdown file, both offered for download from the page."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from collab_widgets.core.db import TeamScope
from collab_widgets.core.errors import InvalidInput
from collab_widgets.core.ui.feedback import StatusLine, guarded
from collab_widgets.core.ui.layout import button, download_link, heading, note, text_block
from collab_widgets.reports.collect import collect
from collab_widgets.reports.record import file_stem
from collab_widgets.reports.render import record_html, record_markdown


class RecordPanel(widgets.VBox):
    def __init__(
        self, scope: TeamScope, status: StatusLine, chosen_meeting: Callable[[], int | None]
    ):
        self.scope = scope
        self.status = status
        self.chosen_meeting = chosen_meeting  # the meeting chosen at the page's top
        make = button(
            "Make the meeting record",
            "A page to print or share, and Markdown",
            "primary",
            name="make-record",
        )
        make.on_click(guarded(status)(lambda _b: self._make()))
        self.links = text_block()
        self.links.add_class("collab-record-links")
        super().__init__(
            [
                heading("Meeting record"),
                note(
                    "Date, attendance, roles, norms check, wins, goal and progress, evidence, "
                    "protocol notes, the team's reflection, surveys, decisions and actions — "
                    "pseudonyms and small-group rules applied; private reflections never."
                ),
                make,
                self.links,
            ]
        )
        self.add_class("collab-record")

    def refresh(self) -> None:
        self.links.value = ""

    def _make(self) -> None:
        meeting_id = self.chosen_meeting()
        if meeting_id is None:
            raise InvalidInput("Plan a meeting first (Start page, Next meeting).")
        record = collect(self.scope, meeting_id)
        name = file_stem(record)
        page = record_html(record).encode("utf-8")
        self.links.value = (
            download_link(
                "Open or save the record (HTML)",
                f"{name}.html",
                "text/html",
                page,
                "collab-record-html",
            )
            + " · "
            + download_link(
                "Markdown",
                f"{name}.md",
                "text/markdown",
                record_markdown(record).encode("utf-8"),
                "collab-record-md",
            )
            + f"<p class='collab-note'>{html.escape(record.title)}, {record.date:%d %B %Y}: "
            f"{len(page) // 1024} KB.</p>"
        )
        self.status.ok("The record is ready: open it, print it or save it.")
