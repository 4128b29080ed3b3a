"""Wrong codes on a light page, limited in the database.

A light page has no kernel per visitor to keep count in (as the team pages' ``Gate``
does), and several server processes may serve one database; so each wrong code is a row
of :data:`~collab_widgets.core.db.tables.wrong_codes`, and the tries within a window are
counted two ways:

* **per network address** (an IPv6 /64, the block one household or phone is given,
  counts as one): one address guessing many codes. A class behind one school router
  shares an address and mistypes, so this count is generous (a room's typos are a few,
  guessing a code takes millions of tries). Beyond it every code from the address is
  refused, a right one too, or guessing would go on; and a right code clears nothing, so
  guesses cannot be spread between joins.
* **per code**, whatever the address: many addresses trying one code, a guessing run
  spread over many machines. Only that code is refused; any other, the right one among
  them, still opens.

A refused try is not counted (it checked nothing), so one address or one code leaves at
most its limit of rows in a window, and each wrong code recorded deletes the page's rows
older than the window: the table never grows beyond one window's wrong codes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from collab_widgets.core.db import Connection, Store, wrong_codes
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.light.tokens import digest

T = TypeVar("T")


@dataclass(frozen=True)
class WrongCodeLimit:
    """At most ``per_address`` wrong codes from one network and ``per_code`` on one code
    within ``window``, on the light page ``page``. ``hint`` ends the message of a refusal:
    where the visitor finds the right code."""

    page: str
    per_address: int
    per_code: int
    window: dt.timedelta
    hint: str

    def attempt(
        self, conn: Connection, now: dt.datetime, address: str, code: str, check: Callable[[], T]
    ) -> T:
        """``check()``, which raises AccessDenied for a wrong ``code``, unless the address
        or the code has had too many wrong tries lately. Counted and recorded on ``conn``,
        in the caller's transaction; a ``check`` that writes should do so in a savepoint of
        its own, which its failure undoes without undoing the count."""
        place, code_hash = network(address), digest(code)
        since = now - self.window
        by_address = wrong_codes.tried_since(conn, self.page, since, network=place)
        self._refuse_beyond(by_address, self.per_address, now, "wrong codes from this network")
        by_code = wrong_codes.tried_since(conn, self.page, since, code_hash=code_hash)
        self._refuse_beyond(by_code, self.per_code, now, "wrong tries of that code")
        try:
            return check()
        except AccessDenied:
            wrong_codes.record(conn, self.page, place, code_hash, now, forget_before=since)
            raise

    def _refuse_beyond(
        self, tried: list[dt.datetime], allowed: int, now: dt.datetime, what: str
    ) -> None:
        if len(tried) < allowed:
            return
        # the try that must leave the window before one more is allowed (several servers
        # counting at once may each have let one more in)
        frees_at = tried[len(tried) - allowed] + self.window
        wait = int((frees_at - now).total_seconds()) + 1
        raise AccessDenied(
            f"Too many {what}. Wait {wait} seconds, then try again with {self.hint}."
        )


def find_by_code(
    store: Store,
    code: str,
    address: str,
    limit: WrongCodeLimit,
    look_up: Callable[[Connection, str], T | None],
    *,
    unknown: Exception,
    too_many: Exception,
) -> T:
    """What ``look_up`` finds for a code (normalised) from a link or typed, with wrong codes
    counted per network and per code (``limit``): a right code opens whatever its network's
    count (a school's families or mentors share few addresses), unless that code itself was
    tried too often. Raises ``unknown`` (an AccessDenied, so that it is counted) for a code
    that opens nothing, ``too_many`` when the tries are used up."""
    with store.reading() as conn:
        found = look_up(conn, code)
        if found is not None:
            per_code = dataclasses.replace(limit, per_address=sys.maxsize)
            try:
                per_code.attempt(conn, store.now(), address, code, lambda: found)
            except AccessDenied:
                raise too_many from None
            return found

    def check():
        row = look_up(conn, code)
        if row is None:
            raise unknown
        return row

    with store.writing() as conn:  # a wrong code's count is kept: the refusal is after it
        try:
            return limit.attempt(conn, store.now(), address, code, check)
        except AccessDenied as exc:
            refused = exc if exc is unknown else too_many
    raise refused


def network(address: str) -> str:
    """The address as the limits count it: an IPv4 address as it is (also when it reached
    an IPv6 socket), an IPv6 address as its /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
