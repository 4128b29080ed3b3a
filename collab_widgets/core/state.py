"""A screen's state as one traitlets object, testable without widgets.

A heavy screen keeps its values in a :class:`ScreenState` subclass; its widgets are bound
to it (``link``/``dlink``), so the screen is a view of the state. What the store says is
set inside :meth:`ScreenState.loading`; what the visitor changes reaches the screen's
callbacks through :meth:`ScreenState.on_edit`, which a load never triggers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

from traitlets import HasTraits, link


class ScreenState(HasTraits):
    """A screen's values; its widgets are bound to them with :meth:`bind`."""

    def __init__(self, **values):
        super().__init__(**values)
        self._loads = 0  # loads under way (one may hold another)

    @contextlib.contextmanager
    def loading(self) -> Iterator[None]:
        """Every change made inside is the store's, shown: no edit callback runs."""
        self._loads += 1
        try:
            yield
        finally:
            self._loads -= 1

    @property
    def is_loading(self) -> bool:
        return self._loads > 0

    def on_edit(self, callback: Callable[[dict], None], names: str | Sequence[str]) -> None:
        """Call ``callback(change)`` when one of ``names`` changes, unless it is loaded."""

        def edited(change) -> None:
            if not self.is_loading:
                callback(change)

        self.observe(edited, names)

    def bind(self, widget: HasTraits, name: str) -> None:
        """Keep ``name`` and the widget's value the same, each following the other (the
        state starts from the widget's value, as sepal_ui's ``Model.bind`` does)."""
        link((widget, "value"), (self, name))
