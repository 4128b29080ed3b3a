"""The protocol library: what each protocol is for, its steps and roles, its source; and
the files that could not be loaded, with what is wrong in them."""

from __future__ import annotations

import html

import ipywidgets as widgets

from collab_widgets.core.ui.layout import heading, note, text_block
from collab_widgets.protocols.library import Library
from collab_widgets.protocols.model import Protocol
from collab_widgets.protocols.schema import INPUT_NAMES


def protocol_html(protocol: Protocol, with_source: bool = True) -> str:
    """A protocol described for the page: purpose, when, roles, steps, source."""
    rows = []
    for number, step in enumerate(protocol.steps, start=1):
        silent = ", ".join(step.silent)
        rows.append(
            f"<tr><td>{number}</td><td><b>{html.escape(step.title)}</b><br>"
            f"<small>{html.escape(step.prompt)}</small></td><td>{step.minutes}</td>"
            f"<td>{html.escape(INPUT_NAMES[step.input])}</td>"
            f"<td>{html.escape(', '.join(step.speakers))}</td><td>{html.escape(silent)}</td></tr>"
        )
    table = (
        "<table class='collab-steps'><tr><th>#</th><th>Step</th><th>Min</th><th>Collects</th>"
        f"<th>Speaks</th><th>Silent</th></tr>{''.join(rows)}</table>"
    )
    text = (
        f"<p><b>Purpose.</b> {html.escape(protocol.purpose)}</p>"
        f"<p><b>When.</b> {html.escape(protocol.when)}</p>"
        f"<p><b>Roles.</b> {html.escape(', '.join(protocol.roles))} · "
        f"<b>{protocol.minutes} minutes</b>"
        f"{' · notes anonymous' if protocol.anonymous else ''}</p>{table}"
    )
    if with_source:
        links = " ".join(
            f'<a href="{html.escape(link, quote=True)}" target="_blank" rel="noopener">'
            f"{html.escape(link)}</a>"
            for link in protocol.links
        )
        text += f"<p><small><b>Source.</b> {html.escape(protocol.source)} {links}</small></p>"
    return text


class LibraryPanel(widgets.VBox):
    def __init__(self, library: Library):
        self.library = library
        choices = [(p.title, p.key) for p in library.sorted()]
        self.choice = widgets.Dropdown(
            description="Protocol",
            options=choices,
            value=choices[0][1] if choices else None,
            layout=widgets.Layout(width="auto"),
        )
        self.choice.add_class("collab-library-choice")
        self.details = text_block()
        self.details.add_class("collab-protocol")
        self.choice.observe(lambda _c: self.refresh(), "value")
        problems = text_block()
        if library.problems:
            items = "".join(f"<li>{html.escape(str(p))}</li>" for p in library.problems)
            problems.value = (
                "<div class='collab-msg collab-error'>Some protocol files could not be "
                "loaded; the others are here. Fix each file as described, then reload:"
                f"<ul>{items}</ul></div>"
            )
        super().__init__(
            [
                heading("Protocol library"),
                note(
                    "Structured conversations that keep a team on evidence and on time. Each "
                    "fits the minutes you have; start one on the Protocol tab."
                ),
                problems,
                self.choice,
                self.details,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        protocol = self.library.get(self.choice.value) if self.choice.value else None
        self.details.value = protocol_html(protocol) if protocol else ""
