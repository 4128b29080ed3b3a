"""A pulse-survey instrument as data: the file format and its checks.

An instrument file is YAML (documented in ``docs/authoring-instruments.md``)::

    id: collective-efficacy          # optional; default: the file name
    title: Collective efficacy pulse
    purpose: What the team learns from it, in a sentence or two.
    scale:
      min: 1
      max: 6
      labels: [strongly disagree, disagree, ..., strongly agree]   # one per point
    min_respondents: 3               # optional; default 3, at least 2
    subscales:                       # optional; key -> title
      group-competence: Group competence
    items:
      - key: know-how
        text: Between us, we have the know-how this goal needs.
        subscale: group-competence   # required when subscales are declared
        reverse: false               # optional; true when agreeing is the unfavourable answer
    source: Where the idea comes from (book, organisation, address).
    anonymous: true                  # optional; instruments are always anonymous

:func:`parse` checks every field and reports *all* problems of a file at once, each
naming the file, the line and the field, by raising :class:`InstrumentFileError` (an
:class:`~collab_widgets.core.errors.InvalidInput`) whose ``problems`` lists them.

An instrument without ``subscales`` has one implicit subscale whose key is the
instrument's ``id`` and whose title is its ``title``; every item belongs to it, so
scoring treats every instrument alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from collab_widgets.core.data_files import KEY, Lines, Problem, field_path, key_from_file, read_yaml
from collab_widgets.core.errors import InvalidInput

DEFAULT_MIN_RESPONDENTS = 3
LOWEST_MIN_RESPONDENTS = 2  # one answer shown alone is that person's answer
HIGHEST_MIN_RESPONDENTS = 100
SCALE_LOW, SCALE_HIGH = 0, 10  # a scale's points lie within 0..10
MAX_ITEMS = 50

TOP_FIELDS = (
    "id",
    "title",
    "purpose",
    "scale",
    "min_respondents",
    "subscales",
    "items",
    "source",
    "anonymous",
)
SCALE_FIELDS = ("min", "max", "labels")
ITEM_FIELDS = ("key", "text", "subscale", "reverse")


# --- the records ---------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """The answer scale: whole numbers from ``min`` to ``max``, each with a label."""

    min: int
    max: int
    labels: tuple[str, ...]  # labels[i] belongs to the point min + i

    @property
    def points(self) -> tuple[int, ...]:
        """Every point of the scale, lowest first."""
        return tuple(range(self.min, self.max + 1))

    def label(self, value: int) -> str:
        """The label of the point ``value``."""
        return self.labels[value - self.min]

    def reversed(self, value: int) -> int:
        """``value`` scored the other way round: ``min + max - value``."""
        return self.min + self.max - value


@dataclass(frozen=True)
class Subscale:
    """A group of items scored together (for example "group competence")."""

    key: str
    title: str


@dataclass(frozen=True)
class Item:
    """One statement a respondent answers on the instrument's scale."""

    key: str
    text: str
    subscale: str  # the key of a declared subscale (or the implicit one)
    reverse: bool = False  # scored as min + max - answer


@dataclass(frozen=True)
class Instrument:
    """A checked instrument file. ``anonymous`` is always True: answers keep no author."""

    key: str
    title: str
    purpose: str
    scale: Scale
    subscales: tuple[Subscale, ...]
    items: tuple[Item, ...]
    source: str
    min_respondents: int = DEFAULT_MIN_RESPONDENTS
    anonymous: bool = True
    file: str = ""

    def item(self, key: str) -> Item | None:
        """The item with ``key``, or None."""
        return next((item for item in self.items if item.key == key), None)

    def subscale(self, key: str) -> Subscale | None:
        """The subscale with ``key``, or None."""
        return next((sub for sub in self.subscales if sub.key == key), None)

    def items_of(self, subscale: str) -> tuple[Item, ...]:
        """The items of one subscale, in file order."""
        return tuple(item for item in self.items if item.subscale == subscale)


# --- problems ------------------------------------------------------------------------


class InstrumentFileError(InvalidInput):
    """An instrument file has problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = tuple(problems)
        super().__init__(
            "\n".join(str(problem) for problem in self.problems),
            field=self.problems[0].field if self.problems else None,
        )


class _Checker:
    def __init__(self, file: str, lines: Lines):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, *, at_key: bool = False, line_of=None) -> None:
        """Record a problem with the field ``path``; its line is that of ``line_of``
        (default: ``path`` itself), so a missing field points at its parent."""
        line = self.lines.line(path if line_of is None else line_of, at_key)
        self.problems.append(Problem(self.file, line, field_path(path), message))

    def missing(self, path: tuple, what: str) -> None:
        self.fail(path, f"is missing; add {what}.", line_of=path[:-1])

    def text(self, data: dict, path: tuple, what: str) -> str:
        value = data.get(path[-1])
        if value is None:
            self.missing(path, what)
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "must be text (not empty, not a number or a list).")
            return ""
        return " ".join(value.split())

    def flag(self, data: dict, path: tuple, default: bool) -> bool:
        value = data.get(path[-1], default)
        if not isinstance(value, bool):
            self.fail(path, f"must be true or false (found {value!r}).")
            return default
        return value

    def whole(self, value: object, path: tuple, low: int, high: int, what: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(path, f"must be {what}: a whole number from {low} to {high}.")
            return None
        return value

    def unknown(self, data: dict, path: tuple, known: tuple[str, ...], what: str) -> None:
        for name in data:
            if name not in known:
                self.fail(
                    (*path, str(name)),
                    f"is not a field of {what} (a typo?); the fields are: {', '.join(known)}.",
                    at_key=True,
                )


def _duplicate_keys(check: _Checker, node: yaml.Node | None, path: tuple = ()) -> None:
    """Fields written twice in one mapping: YAML keeps the last silently, so say so."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            name = key_node.value
            if name in seen:
                check.problems.append(
                    Problem(
                        check.file,
                        key_node.start_mark.line + 1,
                        field_path((*path, name)),
                        "is written twice; keep one.",
                    )
                )
            seen.add(name)
            _duplicate_keys(check, value_node, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _duplicate_keys(check, child, (*path, index))


# --- reading a file ------------------------------------------------------------------


def parse(text: str, filename: str) -> Instrument:
    """The instrument in the YAML ``text`` of the file ``filename``.

    Raises :class:`InstrumentFileError` (an ``InvalidInput``) listing every problem of
    the file, each as "file, line N, field 'F': what is wrong and how to fix it".
    """
    node, data, invalid = read_yaml(text, filename, invalid="is not valid YAML")
    if invalid is not None:
        raise InstrumentFileError([invalid])
    check = _Checker(filename, Lines(node))
    if not isinstance(data, dict):
        found = "nothing" if data is None else f"a {type(data).__name__}"
        check.fail(
            (),
            f"an instrument file holds fields such as 'title:', 'scale:' and 'items:' "
            f"(found {found}).",
        )
        raise InstrumentFileError(check.problems)
    _duplicate_keys(check, node)
    check.unknown(data, (), TOP_FIELDS, "an instrument")

    key = data.get("id", key_from_file(filename))
    if not isinstance(key, str) or not KEY.match(key):
        check.fail(
            ("id",),
            "must be lower-case letters, digits and dashes, e.g. 'collective-efficacy'.",
        )
    title = check.text(data, ("title",), "a short title")
    purpose = check.text(data, ("purpose",), "a sentence on what the team learns from it")
    source = check.text(
        data, ("source",), "where the idea comes from (a book, an organisation, an address)"
    )
    scale = _scale(check, data)
    if "min_respondents" in data:
        min_respondents = check.whole(
            data["min_respondents"],
            ("min_respondents",),
            LOWEST_MIN_RESPONDENTS,
            HIGHEST_MIN_RESPONDENTS,
            "the fewest answers before any figure is shown",
        )
    else:
        min_respondents = DEFAULT_MIN_RESPONDENTS
    if "anonymous" in data and data["anonymous"] is not True:
        check.fail(
            ("anonymous",),
            "must be true: survey answers never keep who gave them. Write 'anonymous: true' "
            "or leave the field out.",
        )
    subscales, names = _subscales(check, data)
    declared = "subscales" in data
    implicit = Subscale(key if isinstance(key, str) else "", title)
    items = _items(check, data, names, declared, implicit.key)
    raw_items = data.get("items") if isinstance(data.get("items"), list) else []
    used = {
        entry.get("subscale")
        for entry in raw_items
        if isinstance(entry, dict) and isinstance(entry.get("subscale"), str)
    }
    for sub in subscales:
        if raw_items and sub.key not in used:
            check.fail(
                ("subscales", sub.key),
                "has no items; give it at least one item or remove it.",
                at_key=True,
            )
    if check.problems:  # in the order of the file, so a coach can work down it
        raise InstrumentFileError(sorted(check.problems, key=lambda p: p.line))
    return Instrument(
        key=key,
        title=title,
        purpose=purpose,
        scale=scale,
        subscales=subscales if declared else (implicit,),
        items=tuple(items),
        source=source,
        min_respondents=min_respondents,
        anonymous=True,
        file=filename,
    )


def _scale(check: _Checker, data: dict) -> Scale | None:
    raw = data.get("scale")
    if raw is None:
        check.missing(("scale",), "the answer scale with 'min', 'max' and 'labels'")
        return None
    if not isinstance(raw, dict):
        check.fail(("scale",), "must hold 'min', 'max' and 'labels' (one label per point).")
        return None
    check.unknown(raw, ("scale",), SCALE_FIELDS, "a scale")
    low = high = None
    for name in ("min", "max"):
        if name not in raw:
            check.missing(
                ("scale", name), f"the scale's {'lowest' if name == 'min' else 'highest'} point"
            )
    if "min" in raw:
        low = check.whole(
            raw["min"], ("scale", "min"), SCALE_LOW, SCALE_HIGH - 1, "the lowest point"
        )
    if "max" in raw:
        high = check.whole(
            raw["max"], ("scale", "max"), SCALE_LOW + 1, SCALE_HIGH, "the highest point"
        )
    if low is not None and high is not None and high <= low:
        check.fail(("scale", "max"), f"must be above min ({low}); a scale has at least two points.")
        low = high = None
    labels = raw.get("labels")
    if labels is None:
        check.missing(("scale", "labels"), "a list with one label per point, lowest first")
        return None
    if not isinstance(labels, list) or not labels:
        check.fail(("scale", "labels"), "must be a list with one label per point, lowest first.")
        return None
    good = True
    for index, label in enumerate(labels):
        if not isinstance(label, str | int) or isinstance(label, bool) or not str(label).strip():
            check.fail(
                ("scale", "labels", index),
                "must be a short text (put words such as yes, no, on or off in quotes).",
            )
            good = False
    texts = [str(label).strip() for label in labels]
    for index, label in enumerate(texts):
        if label and label in texts[:index]:
            check.fail(("scale", "labels", index), f"'{label}' is used twice; labels must differ.")
            good = False
    if low is None or high is None:
        return None
    if len(labels) != high - low + 1:
        check.fail(
            ("scale", "labels"),
            f"has {len(labels)} labels but the scale from {low} to {high} has "
            f"{high - low + 1} points; give one label per point, lowest first.",
        )
        return None
    return Scale(low, high, tuple(texts)) if good else None


def _subscales(check: _Checker, data: dict) -> tuple[tuple[Subscale, ...], set[str] | None]:
    """The declared subscales, and every name declared (even with a problem), or None
    when the field itself is wrong, so items are not blamed for it as well."""
    if "subscales" not in data:
        return (), set()
    raw = data["subscales"]
    if not isinstance(raw, dict) or not raw:
        check.fail(
            ("subscales",),
            "must map each subscale's key to its title, e.g. 'trust: Trust'; or leave it out.",
        )
        return (), None
    found = []
    for name, title in raw.items():
        path = ("subscales", name)
        if not isinstance(name, str) or not KEY.match(name):
            check.fail(path, "the key must be lower-case letters, digits and dashes.", at_key=True)
            continue
        if not isinstance(title, str) or not title.strip():
            check.fail(path, "must be the subscale's title as text.")
            continue
        found.append(Subscale(name, " ".join(title.split())))
    return tuple(found), {str(name) for name in raw}


def _items(
    check: _Checker, data: dict, subscales: set[str] | None, declared: bool, implicit: str
) -> list[Item]:
    raw = data.get("items")
    if raw is None:
        check.missing(("items",), "the list of statements people answer")
        return []
    if not isinstance(raw, list) or not raw:
        check.fail(("items",), "must be a list with at least one item.")
        return []
    if len(raw) > MAX_ITEMS:
        check.fail(("items",), f"has {len(raw)} items; a pulse has at most {MAX_ITEMS}.")
    items: list[Item] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw):
        path = ("items", index)
        if not isinstance(entry, dict):
            check.fail(path, "each item holds fields such as 'key:' and 'text:'.")
            continue
        before = len(check.problems)
        check.unknown(entry, path, ITEM_FIELDS, "an item")
        key = entry.get("key")
        if key is None:
            check.missing((*path, "key"), "a short key, e.g. 'shared-goals'")
        elif not isinstance(key, str) or not KEY.match(key):
            check.fail((*path, "key"), "must be lower-case letters, digits and dashes.")
        elif key in seen:
            check.fail((*path, "key"), f"'{key}' is used by an earlier item; keys must differ.")
        if isinstance(key, str):
            seen.add(key)
        text = check.text(entry, (*path, "text"), "the statement people answer")
        subscale = entry.get("subscale")
        if declared and subscales is None:
            pass  # the 'subscales' field itself is wrong and already reported
        elif declared:
            if subscale is None:
                check.missing(
                    (*path, "subscale"),
                    f"one of the declared subscales: {', '.join(sorted(subscales)) or 'none'}",
                )
            elif not isinstance(subscale, str) or subscale not in subscales:
                check.fail(
                    (*path, "subscale"),
                    f"'{subscale}' is not declared under 'subscales'; "
                    f"use one of: {', '.join(sorted(subscales)) or 'none'}.",
                )
        elif subscale is not None:
            check.fail(
                (*path, "subscale"),
                f"'{subscale}' is not declared: this file has no 'subscales'. Declare it there "
                "or remove the item's subscale.",
            )
        reverse = check.flag(entry, (*path, "reverse"), False)
        if len(check.problems) == before:
            items.append(Item(key, text, subscale if declared else implicit, reverse))
    return items
