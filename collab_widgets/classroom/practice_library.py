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

from collab_widgets.core.data_checks import FileChecker, kind_of, start
from collab_widgets.core.data_files import Problem, keep, key_from_file, load_files

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


class _Checker(FileChecker):
    """The core's checks, with the classroom files' own wording of a list and of an id."""

    LIST_MISSING = "field '{name}' is missing; add it as a list, {example}."
    LIST_EMPTY = "is empty; add entries, one per line starting with '- '."
    NOT_A_LIST = "must be a list, not {kind}: {example}."
    ID_EXAMPLE = "station"


def parse_approach(text: str, file: str) -> tuple[Approach | None, list[Problem]]:
    """A co-teaching approach from the YAML ``text`` of ``file``, or None and every
    problem found."""
    what = "a co-teaching approach"
    check, data = start(text, file, what, "'title:', 'roles:' and 'planning:'", _Checker)
    if data is None:
        return None, check.problems
    check.unknown(data, (), APPROACH_FIELDS, what)
    key = check.key(data, default=key_from_file(file))
    title = check.text(data, ("title",), MAX_TITLE)
    summary = check.text(data, ("summary",), MAX_SUMMARY)
    fits_when = check.texts(data, ("fits_when",), *APPROACH_LISTS["fits_when"], MAX_ENTRY)
    watch_for = check.texts(data, ("watch_for",), *APPROACH_LISTS["watch_for"], MAX_ENTRY)
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


def _roles(check: FileChecker, data: dict) -> Roles:
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
            f"must hold two fields, 'lead:' and 'partner:', not {kind_of(raw)}.",
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


def _planning(check: FileChecker, data: dict) -> str:
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
    what = "an observation template"
    check, data = start(text, file, what, "'title:', 'look_for:' and 'evidence:'", _Checker)
    if data is None:
        return None, check.problems
    check.unknown(data, (), TEMPLATE_FIELDS, what)
    key = check.key(data, default=key_from_file(file))
    title = check.text(data, ("title",), MAX_TITLE)
    purpose = check.text(data, ("purpose",), MAX_PURPOSE)
    look_for = check.texts(data, ("look_for",), *TEMPLATE_LISTS["look_for"], MAX_ENTRY)
    evidence = check.texts(data, ("evidence",), *TEMPLATE_LISTS["evidence"], MAX_ENTRY)
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
