"""The checks of one YAML data file's fields, shared by the classroom's approaches and
observation templates and the students' survey and teamwork dimensions.

Plain Python (PyYAML only; no widgets, no SQL):

- :func:`start`: a file's checker and its fields, or the problem that it is not valid YAML
  or holds no fields; a field written twice is a problem too;
- :class:`FileChecker`: records every problem of the file, each at its line and field, in
  words a coach can act on: unknown fields (with the closest known name), texts, lists,
  lists of texts, sets of fields and ids;
- :func:`kind_of` and :data:`QUOTE_HINTS`: what YAML read a value as, in a coach's words,
  and how to keep it as text.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from typing import Any

import yaml

from collab_widgets.core.data_files import KEY, Lines, Problem, field_path, read_yaml


class FileChecker:
    """Records the problems of one YAML file, each at its line and field.

    The class attributes word a list's problems and the example of an id; a domain whose
    files have always been worded otherwise subclasses it and changes only these."""

    # ``name``: the field; ``example``: how to write the list; ``kind``: what YAML read
    LIST_MISSING = "field '{name}' is missing; add it as a list ({example})."
    LIST_EMPTY = "is empty; add entries ({example})."
    NOT_A_LIST = "must be a list ({example}), not {kind}."
    ID_EXAMPLE = "my-id"

    def __init__(self, file: str, lines: Lines, what: str):
        self.file = file
        self.lines = lines
        self.what = what  # "a student survey", in messages
        self.problems: list[Problem] = []

    def fail(self, path: tuple, message: str, at_key: bool = False) -> None:
        self.problems.append(
            Problem(self.file, self.lines.line(path, at_key), field_path(path), message)
        )

    def unknown(self, data: dict, path: tuple, known: Collection[str], what: str) -> None:
        """Every field of ``data`` that is not ``known``, with the closest known name."""
        for name in data:
            if name in known:
                continue
            close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "a typo?"
            self.fail(
                (*path, name),
                f"is not a field of {what} ({hint}); the fields are: {', '.join(known)}.",
                at_key=True,
            )

    def text(self, data: dict, path: tuple, longest: int, *, required: bool = True) -> str:
        """The text at ``path``, its spaces tidied; "" when it is missing and optional, or
        after recording its problem."""
        name = path[-1]
        if name not in data:
            if required:
                self.fail(path[:-1], f"field '{name}' is missing; add it as text.")
            return ""
        return self.entry(data[name], path, longest)

    def entry(self, value: Any, path: tuple, longest: int) -> str:
        """``value`` (at ``path``) as text, its spaces tidied; "" after recording its
        problem."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(path, "is empty; write a few words.")
            return ""
        if not isinstance(value, str):
            kind = kind_of(value)
            self.fail(path, f"must be text, not {kind}{QUOTE_HINTS.get(kind, '')}.")
            return ""
        value = " ".join(value.split())
        if len(value) > longest:
            self.fail(path, f"is {len(value)} characters long; shorten it to at most {longest}.")
            return ""
        return value

    def items(self, data: dict, path: tuple, fewest: int, most: int, example: str) -> list:
        """The list at ``path`` (required), as it is; [] after recording its problem."""
        name = path[-1]
        if name not in data:
            self.fail(path[:-1], self.LIST_MISSING.format(name=name, example=example))
            return []
        value = data[name]
        if value is None:
            self.fail(path, self.LIST_EMPTY.format(name=name, example=example))
            return []
        if not isinstance(value, list):
            kind = kind_of(value)
            self.fail(path, self.NOT_A_LIST.format(name=name, example=example, kind=kind))
            return []
        if not fewest <= len(value) <= most:
            word = "entry" if len(value) == 1 else "entries"
            self.fail(path, f"has {len(value)} {word}; give {fewest} to {most}.", at_key=True)
        return value

    def texts(
        self, data: dict, path: tuple, fewest: int, most: int, longest: int
    ) -> tuple[str, ...]:
        """The list of short texts at ``path`` (required), none repeated."""
        entries: list[str] = []
        example = "one entry per line starting with '- '"
        for index, item in enumerate(self.items(data, path, fewest, most, example)):
            text = self.entry(item, (*path, index), longest)
            if text and text.casefold() in (e.casefold() for e in entries):
                self.fail((*path, index), f"repeats an earlier entry ('{text}').")
            elif text:
                entries.append(text)
        return tuple(entries)

    def fields(self, value: Any, path: tuple, what: str) -> dict | None:
        """``value`` (an entry of a list at ``path``) when it is a set of fields."""
        if isinstance(value, dict):
            return value
        self.fail(path, f"must be {what}, a set of fields, not {kind_of(value)}.")
        return None

    def key(self, data: dict, path: tuple = (), *, default: str | None = None) -> str:
        """The id at ``path`` + ``id``: lower-case letters, digits and dashes. Without
        ``default`` it is required; a file's own id defaults to its name."""
        if "id" not in data:
            if default is None:
                self.fail(path, "field 'id' is missing; add one, e.g. 'id: my-question'.")
                return ""
            if not KEY.match(default):
                self.fail(
                    path,
                    f"the file name gives the id '{default}', which is not valid; rename the "
                    "file or add 'id:' with lower-case letters, digits and dashes.",
                )
            return default
        key = data["id"]
        if not isinstance(key, str) or not KEY.match(key):
            self.fail(
                (*path, "id"),
                f"must be lower-case letters, digits and dashes, e.g. '{self.ID_EXAMPLE}'.",
            )
            return ""
        return key

    def repeated_fields(self, node: yaml.Node | None, path: tuple = ()) -> None:
        """A field written twice in one mapping: YAML keeps only the last, silently."""
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.repeated_fields(item, (*path, index))
            return
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
QUOTE_HINTS = {
    "a number": " (put it in quotes if it is meant as text)",
    "yes/no": " (put it in quotes if it is meant as text)",
    "a date": " (put it in quotes if it is meant as text)",
    "a set of fields": " (put it in quotes if the text contains ': ')",
}


def kind_of(value: Any) -> str:
    """What YAML read ``value`` as, in a coach's words."""
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


def start(
    text: str, file: str, what: str, example: str, checker: type[FileChecker] = FileChecker
) -> tuple[FileChecker, dict | None]:
    """The checker of ``file`` (a ``checker``: :class:`FileChecker` or a subclass that words
    its messages otherwise) and its fields; no fields when it is not valid YAML or does not
    hold fields (the checker then holds the problem)."""
    node, data, invalid = read_yaml(text, file, invalid="not valid YAML")
    if invalid is not None:
        check = checker(file, Lines(None), what)
        check.problems.append(invalid)
        return check, None
    check = checker(file, Lines(node), what)
    if not isinstance(data, dict):
        check.fail((), f"{what} file holds fields such as {example}.")
        return check, None
    check.repeated_fields(node)
    return check, data
