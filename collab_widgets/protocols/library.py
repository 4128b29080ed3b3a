"""The protocol library: the files shipped with the workbook, and a coach's own folder.

A coach adds protocols by putting files in the folder named by ``COLLAB_PROTOCOLS`` (or
``collab serve --protocols``); a coach's file with the same ``id`` as a shipped one
replaces it. A file with problems is left out and its problems are listed; the rest of
the library still loads.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from collab_widgets.core.data_files import keep, load_files
from collab_widgets.protocols.schema import Problem, Protocol, parse

ENV = "COLLAB_PROTOCOLS"


@dataclass
class Library:
    protocols: dict[str, Protocol] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def sorted(self) -> list[Protocol]:
        return sorted(self.protocols.values(), key=lambda p: p.title.casefold())

    def get(self, key: str) -> Protocol | None:
        return self.protocols.get(key)


def load_library(folder: str | Path | None = None) -> Library:
    """The shipped protocols, then those in ``folder`` (default: ``COLLAB_PROTOCOLS``)."""
    library = Library()
    load_files(
        "collab_widgets.protocols",
        folder,
        ENV,
        partial(_add, library),
        library.problems,
        what=f"the protocols folder ({ENV})",
    )
    return library


def _add(
    library: Library, text: str, name: str, *, replaces: bool, taken: Collection[str] = frozenset()
) -> str | None:
    try:
        protocol, problems = parse(text, name)
    except Exception as exc:  # a file the rules did not foresee must not cost the library
        protocol, problems = (
            None,
            [Problem(name, 1, "", f"cannot be read as a protocol ({type(exc).__name__}).")],
        )
    if protocol is None:
        library.problems.extend(problems)
        return None
    return keep(library.protocols, library.problems, protocol, name, replaces=replaces, taken=taken)
