"""Opening a team or coach scope from a typed code, with wrong tries limited.

One :class:`Gate` lives in each visitor's kernel: after a few wrong codes it refuses to
check more for a while, doubling the wait each time, so codes cannot be guessed by trying.
Pages without a kernel of their own (the workshop participants' page) share one
:class:`AddressLimit` in the server, which counts wrong codes per network address.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from collab_widgets.core.clock import Clock, get_clock
from collab_widgets.core.db import CoachScope, Store, TeamScope
from collab_widgets.core.errors import AccessDenied

T = TypeVar("T")

MAX_TRIES = 5
FIRST_LOCKOUT = dt.timedelta(seconds=60)


class Gate:
    def __init__(
        self, store: Store, max_tries: int = MAX_TRIES, lockout: dt.timedelta = FIRST_LOCKOUT
    ):
        self.store = store
        self.max_tries = max_tries
        self.lockout = lockout
        self.failures = 0
        self.locked_until: dt.datetime | None = None

    def open(self, code: str, member_token: str | None = None) -> TeamScope | CoachScope:
        return self.attempt(lambda: self.store.identify(code, member_token))

    def attempt(self, check: Callable[[], T], *, success_clears: bool = True) -> T:
        """``check()`` (which raises AccessDenied for a wrong code), unless locked out.
        ``success_clears``: a right code forgets the wrong ones before it; not for codes
        the page itself can resend at will, or guesses could be spread between them."""
        now = self.store.now()
        if self.locked_until and now < self.locked_until:
            wait = int((self.locked_until - now).total_seconds()) + 1
            raise AccessDenied(
                f"Too many wrong codes. Wait {wait} seconds, then try again with the code "
                "you were given."
            )
        try:
            result = check()
        except AccessDenied:
            self.failures += 1
            if self.failures >= self.max_tries:
                extra = self.failures - self.max_tries
                self.locked_until = now + self.lockout * (2**extra)
            raise
        if success_clears:
            self.failures = 0
            self.locked_until = None
        return result


class AddressLimit:
    """At most ``max_tries`` wrong codes per network address within ``window``; beyond
    that every code from the address is refused (a right one too, or guessing would go
    on) until its oldest wrong code is older than the window. A right code clears
    nothing, so guesses cannot be spread between joins. IPv6 addresses count per /64,
    the block one household or phone is given."""

    def __init__(
        self,
        max_tries: int,
        window: dt.timedelta,
        clock: Clock | None = None,
        max_addresses: int = 10_000,
    ):
        self.max_tries = max_tries
        self.window = window
        self._clock = clock
        self.max_addresses = max_addresses
        self._failures: dict[str, deque[dt.datetime]] = {}
        self._lock = threading.Lock()  # the server's worker threads share it

    def attempt(self, address: str, check: Callable[[], T]) -> T:
        """``check()`` (which raises AccessDenied for a wrong code), unless ``address``
        has had too many wrong codes lately."""
        key = _network(address)
        now = (self._clock or get_clock()).now()
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) >= self.max_tries:
                wait = int((failures[0] + self.window - now).total_seconds()) + 1
                raise AccessDenied(
                    f"Too many wrong codes from this network. Wait {wait} seconds, then try "
                    "again with the code on the trainer's screen."
                )
        try:
            return check()
        except AccessDenied:
            with self._lock:
                self._failures.setdefault(key, deque()).append(now)
            raise

    def _recent(self, key: str, now: dt.datetime) -> deque[dt.datetime]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        if len(self._failures) > self.max_addresses:  # forget the quiet ones
            for quiet in [k for k, f in self._failures.items() if f[-1] <= now - self.window]:
                del self._failures[quiet]
        return failures


def _network(address: str) -> str:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # an IPv4 client on an IPv6 socket
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
