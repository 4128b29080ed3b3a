"""The community's data files: kinds of partner and what partners offer, the career
continuum, the service-learning quality self-assessment, the elements of a mentoring
programme, and the times and languages a mentor or mentee can choose.

Plain Python (PyYAML only; no widgets, no SQL): the light mentor page imports it. The
shipped files are under ``library/``, each with a ``source`` (one citation or a list):

- ``partners.yaml``: ``kinds`` and ``offers``, each ``id``, ``name`` and ``description``;
- ``careers.yaml``: ``stages`` (awareness, exploration, preparation, training, in order),
  each ``id``, ``name``, ``description`` and ``events`` (each ``kind`` and ``name``): every
  kind of :data:`~collab_widgets.community.model.CAREER_STAGES` once, at its stage;
- ``service-quality.yaml``: ``standards`` (eight), each ``id``, ``name``, ``description``
  and ``ratings`` (what a rating of 1, 2, 3 and 4 means, in words);
- ``mentoring-elements.yaml``: ``elements`` (six), each ``id``, ``name``, ``description``;
- ``mentoring-options.yaml``: ``times`` and ``languages``, each ``id`` and ``name``.

Each ``load_*`` reads the shipped file (read once, then kept) or the file at ``path``; a
mistake stops it with :class:`~collab_widgets.core.data_files.DataFileError`, naming each
mistake's file, line and field. The six types of involvement are the families' (see
:func:`involvement_names`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collab_widgets.community.model import CAREER_STAGES
from collab_widgets.core.data_checks import FileChecker, start
from collab_widgets.core.data_files import Parse, Problem, load_file
from collab_widgets.families.library import INVOLVEMENT_IDS, load_involvement

PACKAGE = "collab_widgets.community"
PARTNERS_FILE = "library/partners.yaml"
CAREERS_FILE = "library/careers.yaml"
QUALITY_FILE = "library/service-quality.yaml"
ELEMENTS_FILE = "library/mentoring-elements.yaml"
OPTIONS_FILE = "library/mentoring-options.yaml"

STAGE_IDS = ("awareness", "exploration", "preparation", "training")
QUALITY_STANDARDS = 8
MENTORING_ELEMENTS = 6
RATINGS = 4  # a quality rating goes from 1 to 4
MAX_NAME = 60
MAX_DESCRIPTION = 300
MAX_RATING = 160
MAX_SOURCE = 400
SOURCES = (1, 10)
LIST = (1, 40)

NAMED_FIELDS = ("id", "name", "description")
OPTION_FIELDS = ("id", "name")
STAGE_FIELDS = ("id", "name", "description", "events")
EVENT_FIELDS = ("kind", "name")
STANDARD_FIELDS = ("id", "name", "description", "ratings")


@dataclass(frozen=True)
class Named:
    """A kind of partner, an offer or an element of practice, for the coordinator."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Option:
    """A time or a language a mentor or mentee chooses."""

    id: str
    name: str


@dataclass(frozen=True)
class CareerEventKind:
    kind: str  # a key of model.CAREER_STAGES ("job_shadow")
    name: str


@dataclass(frozen=True)
class CareerStage:
    """A stage of the career continuum and the kinds of event that sit there."""

    id: str
    name: str
    description: str
    events: tuple[CareerEventKind, ...]


@dataclass(frozen=True)
class QualityStandard:
    """A standard of the service-learning self-assessment; ``ratings[0]`` says what a 1
    means, ``ratings[3]`` what a 4 means."""

    id: str
    name: str
    description: str
    ratings: tuple[str, ...]


@dataclass(frozen=True)
class PartnerLibrary:
    kinds: tuple[Named, ...]
    offers: tuple[Named, ...]


@dataclass(frozen=True)
class MentoringOptions:
    times: tuple[Option, ...]
    languages: tuple[Option, ...]


# --- the checks shared by every file -----------------------------------------------------


def _sources(check: FileChecker, data: dict) -> None:
    """The file's citations: one text or a list of texts (at least one is required)."""
    if isinstance(data.get("source"), str):
        check.text(data, ("source",), MAX_SOURCE)
    else:
        check.texts(data, ("source",), *SOURCES, MAX_SOURCE)


def _entries(
    check: FileChecker,
    data: dict,
    where: tuple,
    span: tuple[int, int],
    known: tuple[str, ...],
    what: str,
) -> list[tuple[tuple, dict]]:
    """The entries of the list at ``where`` (its last part a field of ``data``) that are
    sets of fields, with their paths; every unknown field recorded."""
    example = "each with " + ", ".join(f"'{field}:'" for field in known)
    found = []
    for index, raw in enumerate(check.items(data, where, *span, example)):
        path = (*where, index)
        entry = check.fields(raw, path, what)
        if entry is not None:
            check.unknown(entry, path, known, what)
            found.append((path, entry))
    return found


def _unique(check: FileChecker, path: tuple, key: str, taken: set[str], what: str) -> bool:
    """Whether ``key`` is new (a repeat is recorded as a problem)."""
    if key in taken:
        check.fail(path, f"'{key}' is used by an earlier {what}.")
        return False
    taken.add(key)
    return True


def _named(check: FileChecker, data: dict, name: str, what: str) -> tuple[Named, ...]:
    found, taken = [], set()
    for path, entry in _entries(check, data, (name,), LIST, NAMED_FIELDS, what):
        before = len(check.problems)
        item = Named(
            check.key(entry, path),
            check.text(entry, (*path, "name"), MAX_NAME),
            check.text(entry, (*path, "description"), MAX_DESCRIPTION),
        )
        if len(check.problems) == before and _unique(check, (*path, "id"), item.id, taken, what):
            found.append(item)
    return tuple(found)


def _options(check: FileChecker, data: dict, name: str, what: str) -> tuple[Option, ...]:
    found, taken = [], set()
    for path, entry in _entries(check, data, (name,), LIST, OPTION_FIELDS, what):
        before = len(check.problems)
        item = Option(check.key(entry, path), check.text(entry, (*path, "name"), MAX_NAME))
        if len(check.problems) == before and _unique(check, (*path, "id"), item.id, taken, what):
            found.append(item)
    return tuple(found)


def _count(check: FileChecker, items: tuple, name: str, wanted: int, what: str) -> None:
    if not check.problems and len(items) != wanted:
        check.fail((name,), f"has {len(items)} {what}; give exactly {wanted}.", at_key=True)


def _finish(check: FileChecker, data: dict, value: Any) -> tuple[Any, list[Problem]]:
    _sources(check, data)
    return (None, check.problems) if check.problems else (value, [])


# --- partners ----------------------------------------------------------------------------


def parse_partners(text: str, file: str) -> tuple[PartnerLibrary | None, list[Problem]]:
    """The kinds of partner and the offers in the YAML ``text`` of ``file``."""
    check, data = start(text, file, "a partners", "'kinds:', 'offers:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), ("kinds", "offers", "source"), "a partners file")
    kinds = _named(check, data, "kinds", "kind of partner")
    offers = _named(check, data, "offers", "offer")
    return _finish(check, data, PartnerLibrary(kinds, offers))


def load_partners(path: str | Path | None = None) -> PartnerLibrary:
    """The kinds of partner and what partners offer, in the file's order."""
    return _load(path, PARTNERS_FILE, parse_partners, "the partner kinds and offers")


# --- the career continuum ----------------------------------------------------------------


def parse_careers(text: str, file: str) -> tuple[tuple[CareerStage, ...] | None, list[Problem]]:
    """The stages of the career continuum in the YAML ``text`` of ``file``."""
    check, data = start(text, file, "a career continuum", "'stages:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), ("stages", "source"), "a career continuum file")
    stages: list[CareerStage] = []
    placed: dict[str, str] = {}
    for path, entry in _entries(check, data, ("stages",), (4, 4), STAGE_FIELDS, "a stage"):
        before = len(check.problems)
        key = check.key(entry, path)
        expected = STAGE_IDS[path[1]] if path[1] < len(STAGE_IDS) else None
        if key and key != expected:
            check.fail(
                (*path, "id"),
                f"is '{key}'; the stages go in this order: {', '.join(STAGE_IDS)}.",
            )
        events = []
        where = (*path, "events")
        for event_path, event in _entries(check, entry, where, (1, 4), EVENT_FIELDS, "an event"):
            kind = check.text(event, (*event_path, "kind"), MAX_NAME)
            if kind and CAREER_STAGES.get(kind) != key:
                check.fail(
                    (*event_path, "kind"),
                    f"'{kind}' does not belong at the {key} stage; each kind sits at its own: "
                    + ", ".join(f"{k} at {s}" for k, s in CAREER_STAGES.items())
                    + ".",
                )
            elif kind in placed:
                check.fail((*event_path, "kind"), f"'{kind}' is listed twice.")
            elif kind:
                placed[kind] = key
            events.append(CareerEventKind(kind, check.text(event, (*event_path, "name"), MAX_NAME)))
        stage = CareerStage(
            key,
            check.text(entry, (*path, "name"), MAX_NAME),
            check.text(entry, (*path, "description"), MAX_DESCRIPTION),
            tuple(events),
        )
        if len(check.problems) == before:
            stages.append(stage)
    if not check.problems:
        for kind in CAREER_STAGES:
            if kind not in placed:
                check.fail(("stages",), f"has no event of kind '{kind}'; add it.", at_key=True)
    return _finish(check, data, tuple(stages))


def load_careers(path: str | Path | None = None) -> tuple[CareerStage, ...]:
    """The career continuum's four stages, in order, each with its kinds of event."""
    return _load(path, CAREERS_FILE, parse_careers, "the career continuum")


def career_event_names() -> dict[str, str]:
    """The name of each kind of career event ("job_shadow": "Job shadow")."""
    return {event.kind: event.name for stage in load_careers() for event in stage.events}


# --- the service-learning quality self-assessment ----------------------------------------


def parse_quality(text: str, file: str) -> tuple[tuple[QualityStandard, ...] | None, list[Problem]]:
    """The self-assessment's standards in the YAML ``text`` of ``file``."""
    check, data = start(text, file, "a service-learning quality", "'standards:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), ("standards", "source"), "a service-learning quality file")
    standards, taken = [], set()
    span = (QUALITY_STANDARDS, QUALITY_STANDARDS)
    for path, entry in _entries(check, data, ("standards",), span, STANDARD_FIELDS, "a standard"):
        before = len(check.problems)
        standard = QualityStandard(
            check.key(entry, path),
            check.text(entry, (*path, "name"), MAX_NAME),
            check.text(entry, (*path, "description"), MAX_DESCRIPTION),
            check.texts(entry, (*path, "ratings"), RATINGS, RATINGS, MAX_RATING),
        )
        if len(check.problems) == before and _unique(
            check, (*path, "id"), standard.id, taken, "standard"
        ):
            standards.append(standard)
    return _finish(check, data, tuple(standards))


def load_quality(path: str | Path | None = None) -> tuple[QualityStandard, ...]:
    """The eight standards of the service-learning quality self-assessment, in order."""
    return _load(path, QUALITY_FILE, parse_quality, "the service-learning quality standards")


# --- the mentoring programme -------------------------------------------------------------


def parse_elements(text: str, file: str) -> tuple[tuple[Named, ...] | None, list[Problem]]:
    """The elements of mentoring practice in the YAML ``text`` of ``file``."""
    check, data = start(text, file, "a mentoring elements", "'elements:' and 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), ("elements", "source"), "a mentoring elements file")
    elements = _named(check, data, "elements", "element")
    _count(check, elements, "elements", MENTORING_ELEMENTS, "elements")
    return _finish(check, data, elements)


def load_elements(path: str | Path | None = None) -> tuple[Named, ...]:
    """The six elements of mentoring practice, in order, for the programme screen."""
    return _load(path, ELEMENTS_FILE, parse_elements, "the elements of mentoring practice")


def parse_options(text: str, file: str) -> tuple[MentoringOptions | None, list[Problem]]:
    """The times and languages in the YAML ``text`` of ``file``."""
    check, data = start(text, file, "a mentoring options", "'times:', 'languages:', 'source:'")
    if data is None:
        return None, check.problems
    check.unknown(data, (), ("times", "languages", "source"), "a mentoring options file")
    times = _options(check, data, "times", "time")
    languages = _options(check, data, "languages", "language")
    return _finish(check, data, MentoringOptions(times, languages))


def load_options(path: str | Path | None = None) -> MentoringOptions:
    """The times a mentor or mentee can be free and the languages they can speak."""
    return _load(path, OPTIONS_FILE, parse_options, "the mentoring times and languages")


def time_names() -> dict[str, str]:
    """Each time's name by id, in the file's order ("tue-pm": "Tuesday after school")."""
    return {option.id: option.name for option in load_options().times}


def language_names() -> dict[str, str]:
    """Each language's name by code, in the file's order ("es": "Spanish")."""
    return {option.id: option.name for option in load_options().languages}


def involvement_names() -> dict[str, str]:
    """The six types of involvement's names for teachers, by id, in order."""
    names = {kind.id: kind.name for kind in load_involvement()}
    return {key: names[key] for key in INVOLVEMENT_IDS}


# --- reading a file ----------------------------------------------------------------------


def _load(path: str | Path | None, shipped: str, parse: Parse, what: str) -> Any:
    return load_file(PACKAGE, path, shipped, parse, what)
