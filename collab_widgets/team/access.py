"""Opening a team or coach scope from a typed code, with wrong tries limited.

One :class:`Gate` lives in each visitor's kernel: after a few wrong codes it refuses to
check more for a while, doubling the wait each time, so codes cannot be guessed by trying.
Pages without a kernel of their own (light pages) count wrong codes in the database:
:mod:`collab_widgets.core.light.limits`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

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
