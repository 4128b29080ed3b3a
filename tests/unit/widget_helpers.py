"""Reading and finding things in widget trees, for the widget tests."""


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
