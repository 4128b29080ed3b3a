"""What the libraries of data files share: reading a folder of YAML data files.

Plain Python (PyYAML only; no widgets, no SQL):

- :class:`Problem`: one thing wrong in a data file, naming the file, the line and the field;
- :func:`read_yaml`: a file's composed YAML node and its data, or the problem that it is
  not valid YAML;
- :class:`Lines` and :func:`field_path`: the line of a field in a composed YAML document,
  and the field's path as a coach reads it (``steps[1].minutes``);
- :func:`load_files`: the files shipped in a package's ``library`` folder, then those in a
  coach's own folder, each handed to the caller's ``add`` to parse and keep;
- :func:`keep`: the rule for ids that two files claim;
- :func:`load_one`: the one data file in use (the shipped one, or the one file in a coach's
  folder, which replaces it), or :class:`DataFileError` listing every problem.

The checks of one file's fields are in :mod:`collab_widgets.core.data_checks`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from collab_widgets.core.errors import InvalidInput

SUFFIXES = (".yaml", ".yml")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file (a protocol or an instrument file)."""

    file: str
    line: int
    field: str  # e.g. "items[2].subscale"; "" when the problem is the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        if self.field:
            return f"{where}, field '{self.field}': {self.message}"
        return f"{where}: {self.message}"


# libyaml's parser where PyYAML was built with it (its wheels are): the library's files are
# read when a page opens, and the pure-Python parser took a third of a second for them.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(
    text: str, file: str, *, invalid: str
) -> tuple[yaml.Node | None, Any, Problem | None]:
    """The composed node and the loaded data of ``text`` (the file ``file``), and None; or,
    when it is not valid YAML, None, None and the problem "``invalid`` (the reason)." on the
    line where reading stopped."""
    try:
        return yaml.compose(text, Loader=FAST_LOADER), yaml.load(text, Loader=FAST_LOADER), None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or "the text is not valid YAML"
        return None, None, Problem(file, line, "", f"{invalid} ({reason}).")


class Lines:
    """Line numbers (1-based) of the values and keys in a composed YAML document."""

    def __init__(self, node: yaml.Node | None):
        self.node = node

    def _find(self, path: tuple) -> tuple[yaml.Node | None, yaml.Node | None]:
        node, key_node = self.node, None
        for part in path:
            if isinstance(node, yaml.MappingNode):
                found = [(k, v) for k, v in node.value if k.value == str(part)]
                if not found:
                    return node, None
                key_node, node = found[-1]  # safe_load keeps the last of duplicate keys
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return node, None
                key_node, node = None, node.value[part]
            else:
                return node, None
        return node, key_node

    def line(self, path: tuple, at_key: bool = False) -> int:
        """The line of the value at ``path`` (of its key with ``at_key``); where the path
        stops existing, the line of the deepest part that exists."""
        node, key_node = self._find(path)
        chosen = key_node if at_key and key_node is not None else node
        return chosen.start_mark.line + 1 if chosen is not None else 1


def field_path(path: tuple) -> str:
    """``("steps", 1, "minutes")`` as ``steps[1].minutes``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def key_from_file(file: str) -> str:
    """The default id of a file: its name without folder and suffix, e.g. ``my-tuning``."""
    name = file.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].lower().replace("_", "-")


# ``add(text, name, *, replaces, taken)`` parses ``text`` (the file ``name``), keeps what it
# defines and returns its id, or records its problems and returns None. ``replaces``: it
# may replace a shipped one; ``taken``: the ids the coach's earlier files already use.
Add = Callable[..., "str | None"]


def load_files(
    package: str,
    folder: str | Path | None,
    env: str,
    add: Add,
    problems: list[Problem],
    *,
    what: str,
    library: str = "library",
) -> None:
    """The files shipped in ``package``'s ``library`` folder (a path below the package,
    e.g. ``library/approaches``), then those in ``folder`` (default: the folder named by
    the environment variable ``env``, if set).

    ``what`` names the coach's folder in the problem when it does not exist, e.g. "the
    instruments folder".
    """
    shipped = resources.files(package).joinpath(library)
    for entry in sorted(shipped.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(SUFFIXES):
            add(entry.read_text(encoding="utf-8"), entry.name, replaces=False, taken=frozenset())
    folder = folder if folder is not None else os.environ.get(env)
    if folder:
        add_folder(Path(folder).expanduser(), add, problems, what=what)


def add_folder(folder: Path, add: Add, problems: list[Problem], *, what: str) -> None:
    """Every ``.yaml``/``.yml`` file in ``folder``, read as UTF-8 and handed to ``add``;
    a file that cannot be read, or a missing folder, is a problem."""
    if not folder.is_dir():
        problems.append(Problem(str(folder), 1, "", f"{what} does not exist."))
        return
    own: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or "not UTF-8 text"
            problems.append(Problem(path.name, 1, "", f"cannot be read ({reason})."))
            continue
        key = add(text, path.name, replaces=True, taken=own)
        if key:
            own.add(key)


def keep(
    found: dict[str, Any],
    problems: list[Problem],
    item: Any,
    name: str,
    *,
    replaces: bool,
    taken: Collection[str],
) -> str | None:
    """Keep ``item`` (from the file ``name``) under its ``key`` and return the key; or,
    when another file already uses that id, record a problem and return None."""
    if item.key in taken or (item.key in found and not replaces):
        problems.append(Problem(name, 1, "id", f"'{item.key}' is already used by another file."))
        return None
    found[item.key] = item
    return item.key


class DataFileError(InvalidInput):
    """The data file in use has mistakes: ``problems`` names each one's file, line and
    field; the message lists them all."""

    def __init__(self, what: str, problems: Sequence[Problem]):
        self.problems = tuple(problems)
        lines = "\n".join(f"- {problem}" for problem in self.problems)
        super().__init__(f"{what} cannot be used until these are fixed:\n{lines}")


# ``parse(text, name)``: what the file ``name`` defines, or None, and its problems.
Parse = Callable[[str, str], tuple[Any, list[Problem]]]


def load_one(
    package: str,
    folder: str | Path | None,
    env: str,
    parse: Parse,
    *,
    library: str,
    what: str,
) -> Any:
    """The one data file in use: the one in ``folder`` (default: the folder named by
    ``env``, if set), which replaces the shipped one in ``package``'s ``library``; parsed
    by ``parse``. ``what`` names what the file holds, e.g. "the student survey".

    Raises :class:`DataFileError` when the file in use has problems, when that folder does
    not exist, holds no data file or holds more than one (exactly one set is in use).
    """
    shipped: list[Any] = []
    own: list[tuple[str, Any]] = []
    problems: list[Problem] = []

    def add(text: str, name: str, *, replaces: bool, taken: Collection[str]) -> None:
        try:
            item, found = parse(text, name)
        except Exception as exc:  # a file the rules did not foresee: a problem, not a crash
            item, found = None, [Problem(name, 1, "", f"cannot be read ({type(exc).__name__}).")]
        problems.extend(found)
        if replaces:
            own.append((name, item))
        else:
            shipped.append(item)

    place = f"the folder of {what} ({env})"
    load_files(package, folder, env, add, problems, what=place, library=library)
    chosen = folder if folder is not None else os.environ.get(env)
    if chosen and Path(chosen).expanduser().is_dir() and not own:
        problems.append(
            Problem(str(chosen), 1, "", f"holds no .yaml file; put your one file of {what} in it.")
        )
    if len(own) > 1:
        names = ", ".join(name for name, _ in own)
        for name, _ in own[1:]:
            problems.append(
                Problem(
                    name,
                    1,
                    "",
                    f"only one file of {what} can be in use; the folder holds "
                    f"{names}. Keep exactly one.",
                )
            )
    if problems:
        raise DataFileError(f"The file of {what}", problems)
    return own[0][1] if own else shipped[0]


def load_file(package: str, path: str | Path | None, shipped: str, parse: Parse, what: str) -> Any:
    """What ``parse`` finds in the file at ``path``, or in ``package``'s ``shipped`` one
    (read once); :class:`DataFileError` listing its problems, or saying it cannot be read."""
    if path is None:
        return _shipped(package, shipped, parse, what)
    file = Path(path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise DataFileError(
            f"The file of {what}", [Problem(file.name, 1, "", f"cannot be read ({reason}).")]
        ) from exc
    return _parsed(text, file.name, parse, what)


@cache
def _shipped(package: str, shipped: str, parse: Parse, what: str) -> Any:
    text = resources.files(package).joinpath(shipped).read_text(encoding="utf-8")
    return _parsed(text, shipped.rsplit("/", 1)[-1], parse, what)


def _parsed(text: str, name: str, parse: Parse, what: str) -> Any:
    try:
        found, problems = parse(text, name)
    except Exception as exc:  # a file the rules did not foresee: a problem, not a crash
        found, problems = None, [Problem(name, 1, "", f"cannot be read ({type(exc).__name__}).")]
    if problems or found is None:
        raise DataFileError(f"The file of {what}", problems)
    return found
