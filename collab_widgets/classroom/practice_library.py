"""Co-teaching approaches and observation templates as data: the file formats, their
checks, and the libraries (the shipped files, then a coach's own folder).

Plain Python (PyYAML only; no widgets, no SQL). Both formats are YAML, documented in
``docs/authoring-protocols.md``:

- a co-teaching approach (``library/approaches/*.yaml``): ``id`` (optional; default the
  file name), ``title``, ``summary``, ``fits_when``, ``watch_for``, ``roles`` (``lead`` and
  ``partner``), ``planning`` (light, moderate or heavy) and ``source``;
- an observation template (``library/observation/*.yaml``): ``id`` (optional),
  ``title``, ``purpose``, ``look_for`` (2 to 8 prompts), ``evidence`` and ``source``.

:func:`parse_approach` and :func:`parse_template` check every field and return the
object and no problems, or None and *all* problems of the file, each naming the file, the
line and the field, in words a coach can act on (as protocols' ``parse`` does).

:func:`load_approaches` and :func:`load_templates` read the shipped files, then the files in
a coach's folder (default: the folder named by ``COLLAB_APPROACHES`` or
``COLLAB_OBSERVATION_TEMPLATES``). A coach's file with the same ``id`` as a shipped one
replaces it; two of the coach's own files cannot share an id. A file with problems is
left out and its problems listed; the rest of the library still loads.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml

from collab_widgets.core.data_files import (
    KEY,
    Lines,
    Problem,
    field_path,
    keep,
    key_from_file,
    load_files,
    read_yaml,
)

APPROACHES_ENV = "COLLAB_APPROACHES"
TEMPLATES_ENV = "COLLAB_OBSERVATION_TEMPLATES"

PLANNING = ("light", "moderate", "heavy")  # how much co-planning an approach needs
ROLE_KEYS = ("lead", "partner")  # the two adults of a co-taught lesson

# Longest texts, in characters: a title fits a card's heading, a summary is one sentence,
# an entry of a list is a short phrase a coach reads at a glance.
MAX_TITLE = 80
MAX_SUMMARY = 200
MAX_PURPOSE = 400
MAX_ROLE = 240
MAX_ENTRY = 160
MAX_SOURCE = 600

APPROACH_FIELDS = (
    "id",
    "title",
    "summary",
    "fits_when",
    "watch_for",
    "roles",
    "planning",
    "source",
)
TEMPLATE_FIELDS = ("id", "title", "purpose", "look_for", "evidence", "source")
# list field -> (fewest, most) entries
APPROACH_LISTS = {"fits_when": (1, 8), "watch_for": (1, 8)}
TEMPLATE_LISTS = {"look_for": (2, 8), "evidence": (1, 8)}


@dataclass(frozen=True)
class Roles:
    """What each adult does in a co-taught lesson."""

    lead: str
    partner: str


@dataclass(frozen=True)
class Approach:
    """A co-teaching approach: how two adults share one class."""

    key: str
    title: str
    summary: str
    fits_when: tuple[str, ...]
    watch_for: tuple[str, ...]
    roles: Roles
    planning: str  # one of PLANNING
    source: str
    file: str = ""


@dataclass(frozen=True)
class ObservationTemplate:
    """What an observer looks for in a lesson, and the evidence they collect."""

    key: str
    title: str
    purpose: str
    look_for: tuple[str, ...]
    evidence: tuple[str, ...]
    source: str
    file: str = ""


# --- reading and checking a file ---------------------------------------------------------


class _Checker:
    def __init__(self, file: str, lines: Lines, what: str):
        self.file = file
        self.lines = lines
        self.what = what  # "a co-teaching approach", in messages
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.problems.append(
            Problem(self.file, self.lines.line(path, at_key), field_path(path), message)
        )

    def unknown(self, data: dict, path: tuple, known: Collection[str]) -> None:
        for name in data:
            if name in known:
                continue
            close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "a typo?"
            self.fail(
                (*path, name),
                f"is not a field of {self.what} ({hint}); the fields are: {', '.join(known)}.",
                at_key=True,
            )

    def text(self, data: dict, path: tuple, longest: int) -> str:
        """The text at ``path`` (required), stripped; "" after recording its problem."""
        name = path[-1]
        if name not in data:
            self.fail(path[:-1], f"field '{name}' is missing; add it as text.")
            return ""
        return self.entry(data[name], path, longest)

    def entry(self, value: Any, path: tuple, longest: int) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(path, "is empty; write a few words.")
            return ""
        if not isinstance(value, str):
            self.fail(
                path, f"must be text, not {_kind(value)}{_QUOTE_HINTS.get(_kind(value), '')}."
            )
            return ""
        value = " ".join(value.split())
        if len(value) > longest:
            self.fail(
                path,
                f"is {len(value)} characters long; shorten it to at most {longest}.",
            )
            return ""
        return value

    def texts(self, data: dict, path: tuple, fewest: int, most: int) -> tuple[str, ...]:
        """The list of short texts at ``path`` (required)."""
        name = path[-1]
        if name not in data:
            self.fail(
                path[:-1],
                f"field '{name}' is missing; add it as a list, one entry per line "
                "starting with '- '.",
            )
            return ()
        value = data[name]
        if value is None:
            self.fail(path, "is empty; add entries, one per line starting with '- '.")
            return ()
        if not isinstance(value, list):
            self.fail(
                path,
                f"must be a list, not {_kind(value)}: one entry per line starting with '- '.",
            )
            return ()
        if not fewest <= len(value) <= most:
            word = "entry" if len(value) == 1 else "entries"
            self.fail(path, f"has {len(value)} {word}; give {fewest} to {most}.", at_key=True)
        entries: list[str] = []
        for index, item in enumerate(value):
            text = self.entry(item, (*path, index), MAX_ENTRY)
            if text and text.casefold() in (e.casefold() for e in entries):
                self.fail((*path, index), f"repeats an earlier entry ('{text}').")
            elif text:
                entries.append(text)
        return tuple(entries)

    def key(self, data: dict) -> str:
        if "id" not in data:
            key = key_from_file(self.file)
            if not KEY.match(key):
                self.fail(
                    (),
                    f"the file name gives the id '{key}', which is not valid; rename the "
                    "file or add 'id:' with lower-case letters, digits and dashes.",
                )
            return key
        key = data["id"]
        if not isinstance(key, str) or not KEY.match(key):
            self.fail(("id",), "must be lower-case letters, digits and dashes, e.g. 'station'.")
            return ""
        return key

    def repeated_fields(self, node: yaml.Node | None, path: tuple = ()) -> None:
        """A field written twice in one mapping: YAML keeps only the last, silently."""
        if not isinstance(node, yaml.MappingNode):
            return
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            name = key_node.value
            if name in seen:
                self.problems.append(
                    Problem(
                        self.file,
                        key_node.start_mark.line + 1,
                        field_path((*path, name)),
                        "appears twice; keep only one (the last one would silently win).",
                    )
                )
            seen.add(name)
            self.repeated_fields(value_node, (*path, name))


# Values YAML reads as something else than text, and how to keep them as text.
_QUOTE_HINTS = {
    "a number": " (put it in quotes if it is meant as text)",
    "yes/no": " (put it in quotes if it is meant as text)",
    "a date": " (put it in quotes if it is meant as text)",
    "a set of fields": " (put it in quotes if the text contains ': ')",
}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, str):
        return "text"
    return "a date" if hasattr(value, "year") else "that value"


def _start(
    text: str, file: str, what: str, example: str
) -> tuple[_Checker, dict | None, list[Problem]]:
    """The checker and data of a file; or no data and the problems when it holds no fields."""
    node, data, invalid = read_yaml(text, file, invalid="not valid YAML")
    if invalid is not None:
        return _Checker(file, Lines(None), what), None, [invalid]
    check = _Checker(file, Lines(node), what)
    if not isinstance(data, dict):
        check.fail((), f"{what} file holds fields such as {example}.")
        return check, None, check.problems
    check.repeated_fields(node)
    return check, data, []


def parse_approach(text: str, file: str) -> tuple[Approach | None, list[Problem]]:
    """A co-teaching approach from the YAML ``text`` of ``file``, or None and every
    problem found."""
    check, data, problems = _start(
        text, file, "a co-teaching approach", "'title:', 'roles:' and 'planning:'"
    )
    if data is None:
        return None, problems
    check.unknown(data, (), APPROACH_FIELDS)
    key = check.key(data)
    title = check.text(data, ("title",), MAX_TITLE)
    summary = check.text(data, ("summary",), MAX_SUMMARY)
    fits_when = check.texts(data, ("fits_when",), *APPROACH_LISTS["fits_when"])
    watch_for = check.texts(data, ("watch_for",), *APPROACH_LISTS["watch_for"])
    roles = _roles(check, data)
    planning = _planning(check, data)
    source = check.text(data, ("source",), MAX_SOURCE)
    if check.problems:
        return None, check.problems
    approach = Approach(
        key=key,
        title=title,
        summary=summary,
        fits_when=fits_when,
        watch_for=watch_for,
        roles=roles,
        planning=planning,
        source=source,
        file=file,
    )
    return approach, []


def _roles(check: _Checker, data: dict) -> Roles:
    if "roles" not in data:
        check.fail((), "field 'roles' is missing; give 'lead:' and 'partner:' under it.")
        return Roles("", "")
    raw = data["roles"]
    if raw is None:
        check.fail(("roles",), "is empty; give 'lead:' and 'partner:' under it.", at_key=True)
        return Roles("", "")
    if not isinstance(raw, dict):
        check.fail(
            ("roles",),
            f"must hold two fields, 'lead:' and 'partner:', not {_kind(raw)}.",
        )
        return Roles("", "")
    for name in raw:
        if name not in ROLE_KEYS:
            close = difflib.get_close_matches(str(name), ROLE_KEYS, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            check.fail(
                ("roles", name),
                f"is not a role here{hint}; 'roles' has exactly two fields: lead and partner.",
                at_key=True,
            )
    for name in ROLE_KEYS:
        if name not in raw:
            check.fail(
                ("roles",), f"is missing '{name}'; say what the {name} adult does.", at_key=True
            )
    lead = check.entry(raw["lead"], ("roles", "lead"), MAX_ROLE) if "lead" in raw else ""
    partner = (
        check.entry(raw["partner"], ("roles", "partner"), MAX_ROLE) if "partner" in raw else ""
    )
    return Roles(lead, partner)


def _planning(check: _Checker, data: dict) -> str:
    allowed = ", ".join(PLANNING)
    if "planning" not in data:
        check.fail((), f"field 'planning' is missing; use one of: {allowed}.")
        return ""
    value = data["planning"]
    if value is None:
        check.fail(("planning",), f"is empty; use one of: {allowed}.")
        return ""
    if value not in PLANNING:
        check.fail(
            ("planning",),
            f"'{value}' is not a planning level; use one of: {allowed}.",
        )
        return ""
    return value


def parse_template(text: str, file: str) -> tuple[ObservationTemplate | None, list[Problem]]:
    """An observation template from the YAML ``text`` of ``file``, or None and every
    problem found."""
    check, data, problems = _start(
        text, file, "an observation template", "'title:', 'look_for:' and 'evidence:'"
    )
    if data is None:
        return None, problems
    check.unknown(data, (), TEMPLATE_FIELDS)
    key = check.key(data)
    title = check.text(data, ("title",), MAX_TITLE)
    purpose = check.text(data, ("purpose",), MAX_PURPOSE)
    look_for = check.texts(data, ("look_for",), *TEMPLATE_LISTS["look_for"])
    evidence = check.texts(data, ("evidence",), *TEMPLATE_LISTS["evidence"])
    source = check.text(data, ("source",), MAX_SOURCE)
    if check.problems:
        return None, check.problems
    template = ObservationTemplate(
        key=key,
        title=title,
        purpose=purpose,
        look_for=look_for,
        evidence=evidence,
        source=source,
        file=file,
    )
    return template, []


# --- the libraries -----------------------------------------------------------------------

T = TypeVar("T", Approach, ObservationTemplate)


@dataclass
class Library(Generic[T]):
    """Approaches or templates by key, and the problems of the files that were left out."""

    items: dict[str, T] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def sorted(self) -> list[T]:
        """The items by title."""
        return sorted(self.items.values(), key=lambda item: item.title.casefold())

    def get(self, key: str) -> T | None:
        return self.items.get(key)


def load_approaches(folder: str | Path | None = None) -> Library[Approach]:
    """The shipped co-teaching approaches, then those in ``folder`` (default: the folder
    named by ``COLLAB_APPROACHES``, if set)."""
    library: Library[Approach] = Library()
    load_files(
        "collab_widgets.classroom",
        folder,
        APPROACHES_ENV,
        partial(_add, library, parse_approach, "a co-teaching approach"),
        library.problems,
        what=f"the co-teaching approaches folder ({APPROACHES_ENV})",
        library="library/approaches",
    )
    return library


def load_templates(folder: str | Path | None = None) -> Library[ObservationTemplate]:
    """The shipped observation templates, then those in ``folder`` (default: the folder
    named by ``COLLAB_OBSERVATION_TEMPLATES``, if set)."""
    library: Library[ObservationTemplate] = Library()
    load_files(
        "collab_widgets.classroom",
        folder,
        TEMPLATES_ENV,
        partial(_add, library, parse_template, "an observation template"),
        library.problems,
        what=f"the observation templates folder ({TEMPLATES_ENV})",
        library="library/observation",
    )
    return library


def _add(
    library: Library,
    parse: Callable[[str, str], tuple[Any, list[Problem]]],
    what: str,
    text: str,
    name: str,
    *,
    replaces: bool,
    taken: Collection[str] = frozenset(),
) -> str | None:
    try:
        item, problems = parse(text, name)
    except Exception as exc:  # a file the rules did not foresee must not cost the library
        item, problems = (
            None,
            [Problem(name, 1, "", f"cannot be read as {what} ({type(exc).__name__}).")],
        )
    if item is None:
        library.problems.extend(problems)
        return None
    return keep(library.items, library.problems, item, name, replaces=replaces, taken=taken)
