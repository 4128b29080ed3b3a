"""Files that hold teams' data are readable by their owner only (0600), whatever the umask:
the database and its journal, backups, safety copies, exported teams and meeting records.
On a shared machine the default umask would let every local account read them."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def create_private(path: Path) -> int:
    """A new, empty file at ``path`` that only its owner can read or write, open for
    writing (a descriptor). FileExistsError if something is there already."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)


def make_private(path: Path) -> None:
    """Tighten an existing file to its owner only; nothing if there is none. A file another
    account owns keeps the mode its owner gave it: only they may change it."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.chmod(OWNER_ONLY)
