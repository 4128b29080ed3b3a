"""What the protocol and instrument libraries share: reading a folder of YAML data files.

Plain Python (PyYAML only; no widgets, no SQL):

- :class:`Problem`: one thing wrong in a data file, naming the file, the line and the field;
- :func:`read_yaml`: a file's composed YAML node and its data, or the problem that it is
  not valid YAML;
- :class:`Lines` and :func:`field_path`: the line of a field in a composed YAML document,
  and the field's path as a coach reads it (``steps[1].minutes``);
- :func:`load_files`: the files shipped in a package's ``library`` folder, then those in a
  coach's own folder, each handed to the caller's ``add`` to parse and keep;
- :func:`keep`: the rule for ids that two files claim.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

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
