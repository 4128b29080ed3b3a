"""What a light page's handlers share in the server process: the store, opened by the
first call that needs it, and worker threads to call it on.

Store calls run on worker threads, never on the server's event loop (a busy or
unreachable database would stall every page, kernels' included). Reads have ``threads``
of their own; writes queue on one writer thread, on any database: SQLite takes one writer
at a time (the others would sleep and retry), and a light page's writes take a few
milliseconds each, so PostgreSQL needs no more.

A server mounts a light page by the name of its service class (``"module:Class"``): it
makes one with the database named in its environment and its own token, puts the routes of
:meth:`LightService.handlers` before its own, and closes it when it stops.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from collab_widgets.core.db import Store, default_url

T = TypeVar("T")
THREADS = 4  # reader threads per light page


class LightService:
    """One light page's store and threads. A page subclasses it, names its ``path`` under
    the server's base, and gives its routes in :meth:`handlers`."""

    path = ""  # e.g. "workshop": the page at <base>workshop, its API under it

    def __init__(self, db_url: str | None = None, server_token: str = "", threads: int = THREADS):
        self.db_url = db_url or default_url()
        self.server_token = server_token  # the server's --token, asked of every call
        self._store: Store | None = None
        self._opening = threading.Lock()
        self._readers = ThreadPoolExecutor(threads, thread_name_prefix=f"{self.path}-read")
        self._writer = ThreadPoolExecutor(1, thread_name_prefix=f"{self.path}-write")

    @property
    def store(self) -> Store:
        """Opened by the first call that needs it, on a worker thread."""
        with self._opening:
            if self._store is None:
                self._store = Store(self.db_url)
            return self._store

    async def read(self, action: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._readers, action)

    async def write(self, action: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._writer, action)

    def handlers(self, base: str) -> list[tuple]:
        """Tornado routes under ``base`` (the server's path, ending in ``/``)."""
        raise NotImplementedError

    def close(self) -> None:
        for pool in (self._readers, self._writer):
            pool.shutdown(wait=False, cancel_futures=True)
        if self._store is not None:
            self._store.close()


def service_class(name: str) -> type[LightService]:
    """The light page's service named ``"module:Class"``."""
    module, _, attribute = name.partition(":")
    found = getattr(importlib.import_module(module), attribute, None)
    if not (isinstance(found, type) and issubclass(found, LightService)):
        raise ValueError(f"{name!r} names no light page (a LightService subclass)")
    return found
