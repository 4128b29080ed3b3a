"""Small helpers for building and replacing widget trees, and the HTML pieces several
screens show (a table, a download link)."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Sequence

import ipywidgets as widgets
from ipywidgets.widgets.widget_button import ButtonStyle
from ipywidgets.widgets.widget_string import HTMLStyle

from collab_widgets.core.ui.batch import built_in_one_go
from collab_widgets.core.ui.browser_parts import FormButton
from collab_widgets.core.ui.closing import close_tree
from collab_widgets.core.ui.looks import relayout, shared_layout, shared_style


def replace_children(
    box: widgets.Box, children: list[widgets.Widget], page: widgets.Widget | None = None
) -> None:
    """Show ``children`` in ``box``, closing what is no longer shown (a widget moved into
    the new children stays open). Given the ``page`` the box is in, what the old children
    kept aside is closed too, except what the page still shows (see ``close_tree``)."""
    if tuple(children) == tuple(box.children):
        return  # the same list: nothing for the browser to redraw
    old = box.children
    with box.hold_sync():
        box.children = tuple(children)
    if old:  # a box filled for the first time has nothing to close: no walk of the page
        close_tree(*old, still_shown=[page or box], kept_aside=page is not None)


def text_block(value: str = "") -> widgets.HTML:
    """A block of HTML that looks like the page's other text (a shared layout and style)."""
    return widgets.HTML(value, layout=shared_layout(), style=shared_style(HTMLStyle))


def stacked(children: Sequence[widgets.Widget] = (), **layout: object) -> widgets.VBox:
    """Widgets one under the other, in a box with a shared layout (see ``looks``)."""
    return widgets.VBox(children, layout=shared_layout(**layout))


def side_by_side(children: Sequence[widgets.Widget] = (), **layout: object) -> widgets.HBox:
    """Widgets side by side, in a box with a shared layout (see ``looks``)."""
    return widgets.HBox(children, layout=shared_layout(**layout))


def heading(text: str, level: int = 3) -> widgets.HTML:
    return text_block(f"<h{level}>{html.escape(text)}</h{level}>")


def note_html(text: str) -> str:
    return f'<p class="collab-note">{html.escape(text)}</p>'


def note(text: str) -> widgets.HTML:
    """A plain-language hint under a heading (text is escaped)."""
    return text_block(note_html(text))


def button(label: str, tooltip: str, style: str = "", name: str = "") -> widgets.Button:
    made = widgets.Button(
        description=label,
        tooltip=tooltip,
        button_style=style,
        layout=shared_layout(width="auto"),
        style=shared_style(ButtonStyle),
    )
    if name:
        made.add_class(f"collab-btn-{name}")
    return made


def form_button(
    label: str,
    tooltip: str,
    reads: list[widgets.Text | widgets.Textarea],
    style: str = "",
    name: str = "",
) -> FormButton:
    """A form's button, which reads the text boxes ``reads`` as they are in the browser at
    the click (see :class:`~collab_widgets.core.ui.browser_parts.FormButton`)."""
    made = FormButton(description=label, tooltip=tooltip, button_style=style, reads=reads)
    if name:
        made.add_class(f"collab-btn-{name}")
    return made


def html_table(columns: list[str], rows: list[list[str]], css: str = "collab-table") -> str:
    """A table of text (every cell escaped) for an HTML widget."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>"
        for row in rows
    )
    return f"<table class='{css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def download_link(label: str, filename: str, mime: str, data: bytes, css: str) -> str:
    """A link that saves ``data`` as a file, from the page itself (no request to a server)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f"<a class='{css}' download='{html.escape(filename, quote=True)}' "
        f"href='data:{mime};base64,{encoded}'>{html.escape(label)}</a>"
    )


def refill(dropdown: widgets.Dropdown, options: list[tuple[str, object]], keep=None) -> None:
    """New (label, value) options, keeping ``keep`` (else the current value) when it is
    still offered, else the first option (or none). The caller holds off its own observer
    (a ``filling`` flag): ipywidgets passes through a value of None while options change.

    Chosen by index: a dropdown that had no options keeps no selection when options come
    (it shows blank), and setting the value it already has (None, for an option such as
    ("—", None)) would not select anything."""
    wanted = dropdown.value if keep is None else keep
    values = [value for _, value in options]
    dropdown.options = options
    dropdown.index = (values.index(wanted) if wanted in values else 0) if values else None


def set_shown(widget: widgets.Widget, visible: object) -> None:
    """Show ``widget`` if ``visible`` is true (a non-empty list counts), else hide it
    (hidden, it takes no room)."""
    relayout(widget, display=None if visible else "none")


WAITING_TAB = "collab-tab-waiting"  # a tab's panel not built yet (the browser checks wait)


def lazy_tab(name: str) -> property:
    """A page's tab panel, built on first use: ``self.lazy[name]``'s panel."""
    return property(lambda page: page.lazy[name].panel, doc=f"The {name} tab, built when needed.")


def built_tab(page, name: str) -> widgets.Widget | None:
    """A page's tab panel if it has been built (None before, and once the page has left
    its team: a late callback finds none)."""
    tab = page.lazy.get(name)
    return tab.panel if tab is not None and tab.built else None


class LazyPanel(widgets.VBox):
    """A tab's panel built the first time it is opened or asked for (``panel``): a page
    sends the browser the widgets of the tab it opens on only, the others as they are
    opened (each widget is a message and a view the browser must make before the page is
    ready).

    ``build`` makes the panel without drawing it; the panel draws itself from the store
    with its ``refresh()``. Built, it is drawn once before it is shown: a panel drawn
    twice on opening replaces the boxes the browser has just shown, and what a visitor
    types into them at once is lost."""

    def __init__(self, build: Callable[[], widgets.Widget]):
        super().__init__()
        self._build = build
        self._panel: widgets.Widget | None = None
        self.add_class(WAITING_TAB)

    @property
    def built(self) -> bool:
        return self._panel is not None

    @property
    def panel(self) -> widgets.Widget:
        if self._panel is None:
            self._open()
        return self._panel

    def refresh(self) -> None:
        if self._panel is None:
            self._open()
        else:
            self._panel.refresh()

    def _open(self) -> None:
        # the panel is this tab's before it draws: a draw that comes back to the tab
        # finds it built; one that fails leaves it shown as far as it got (and said so)
        with built_in_one_go(self):
            self._panel = panel = self._build()
            try:
                panel.refresh()
            finally:
                self.children = (panel,)
                self.remove_class(WAITING_TAB)
