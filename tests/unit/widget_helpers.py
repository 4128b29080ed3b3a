"""Reading and finding things in widget trees, for the widget tests."""

from collab_widgets.core.ui.layout import LazyPanel


def opened(build):
    """A tab's panel as a page shows it when the tab is opened: built, then drawn."""
    return LazyPanel(build).panel


def texts(widget) -> str:
    """Everything a widget tree shows as text or HTML."""
    parts = [str(getattr(widget, "value", "")), str(getattr(widget, "description", ""))]
    for child in getattr(widget, "children", ()):
        parts.append(texts(child))
    return "\n".join(parts)


def find(widget, kind, predicate=lambda w: True):
    found = [widget] if isinstance(widget, kind) and predicate(widget) else []
    for child in getattr(widget, "children", ()):
        found += find(child, kind, predicate)
    return found


def answer_yes(widget) -> None:
    """Say yes to the question a destructive action's button has just asked."""
    from collab_widgets.core.ui.confirm import Confirm

    asking = find(widget, Confirm, lambda c: c.yes in c.children)
    assert asking, "no button is asking for a confirmation"
    for confirm in asking:
        confirm.yes.click()
