"""The protocol library: the files shipped with the workbook, and a coach's own folder.

A coach adds protocols by putting files in the folder named by ``COLLAB_PROTOCOLS`` (or
``collab serve --protocols``); a coach's file with the same ``id`` as a shipped one
replaces it. A file with problems is left out and its problems are listed; the rest of
the library still loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .schema import Problem, Protocol, parse

ENV = "COLLAB_PROTOCOLS"
SUFFIXES = (".yaml", ".yml")


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
    shipped = resources.files("collab_widgets.protocols").joinpath("library")
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(SUFFIXES):
            _add(library, entry.read_text(encoding="utf-8"), entry.name, replaces=False)
    folder = folder if folder is not None else os.environ.get(ENV)
    if folder:
        _add_folder(library, Path(folder).expanduser())
    return library


def _add_folder(library: Library, folder: Path) -> None:
    if not folder.is_dir():
        library.problems.append(
            Problem(str(folder), 1, "", f"the protocols folder ({ENV}) does not exist.")
        )
        return
    own: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            library.problems.append(Problem(path.name, 1, "", f"cannot be read ({reason})."))
            continue
        key = _add(library, text, path.name, replaces=True, taken=own)
        if key:
            own.add(key)


def _add(
    library: Library, text: str, name: str, *, replaces: bool, taken: set[str] = frozenset()
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
    if protocol.key in taken or (protocol.key in library.protocols and not replaces):
        library.problems.append(
            Problem(name, 1, "id", f"'{protocol.key}' is already used by another file.")
        )
        return None
    library.protocols[protocol.key] = protocol
    return protocol.key
