"""The instrument library: the files shipped with the workbook, and a coach's own folder.

A coach adds instruments by putting ``*.yaml`` files in a folder and passing it as
``extra_dir`` (or naming it in ``COLLAB_INSTRUMENTS``); a coach's file with the same
``id`` as a shipped one replaces it.

Two ways to load:

- :func:`load_library` never fails on a coach's file: a file with problems is left out
  and its problems are listed, so the rest of the library still loads (for a screen that
  shows the problems next to the instruments).
- :func:`load_instruments` is strict: it raises one ``InvalidInput`` listing every problem
  of every file, or returns all instruments.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from collab_widgets.core.data_files import keep, load_files
from collab_widgets.instruments.schema import Instrument, InstrumentFileError, Problem, parse

ENV = "COLLAB_INSTRUMENTS"


@dataclass
class Library:
    """Instruments by key, and the problems of the files that were left out."""

    instruments: dict[str, Instrument] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def sorted(self) -> list[Instrument]:
        """The instruments by title."""
        return sorted(self.instruments.values(), key=lambda i: i.title.casefold())

    def get(self, key: str) -> Instrument | None:
        return self.instruments.get(key)


def load_instruments(extra_dir: str | Path | None = None) -> dict[str, Instrument]:
    """Every instrument by key: the shipped ones, then those in ``extra_dir`` (default:
    the folder named by ``COLLAB_INSTRUMENTS``, if set).

    Raises :class:`~collab_widgets.instruments.schema.InstrumentFileError` (an
    ``InvalidInput``) listing every problem of every file if any file has one.
    """
    library = load_library(extra_dir)
    if library.problems:
        raise InstrumentFileError(library.problems)
    return library.instruments


def load_library(extra_dir: str | Path | None = None) -> Library:
    """The shipped instruments, then those in ``extra_dir`` (default: ``COLLAB_INSTRUMENTS``).

    Files with problems are left out and their problems listed in ``Library.problems``.
    """
    library = Library()
    load_files(
        "collab_widgets.instruments",
        extra_dir,
        ENV,
        partial(_add, library),
        library.problems,
        what="the instruments folder",
    )
    return library


def _add(
    library: Library, text: str, name: str, *, replaces: bool, taken: Collection[str] = frozenset()
) -> str | None:
    try:
        instrument = parse(text, name)
    except InstrumentFileError as exc:
        library.problems.extend(exc.problems)
        return None
    except Exception as exc:  # a file the rules did not foresee must not cost the library
        library.problems.append(
            Problem(name, 1, "", f"cannot be read as an instrument ({type(exc).__name__}).")
        )
        return None
    return keep(
        library.instruments, library.problems, instrument, name, replaces=replaces, taken=taken
    )
