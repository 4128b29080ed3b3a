"""The light pages' core (``collab_widgets.core.light``): wrong codes limited in the
database per network address and per code (an IPv6 /64 as one address, right codes
refused too while an address waits, old tries pruned); the JSON
handler's body limit, plain messages and token; the page's policy; tokens kept as hashes;
backups leaving the wrong codes out; and ``collab serve`` mounting the pages it is given.
Every test runs on the real store (SQLite, and PostgreSQL when one is given). The limit
as the workshop page applies it (a class behind one school address gets in, a guessing
run does not, several servers share the count): ``test_workshop_api.py``."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from collab_widgets.backup import store as lifecycle
from collab_widgets.backup.tables import TEAM_TABLES
from collab_widgets.core.db import Store
from collab_widgets.core.db import tables as core_tables
from collab_widgets.core.errors import AccessDenied
from collab_widgets.core.light import tokens
from collab_widgets.core.light.limits import WrongCodeLimit, network

WINDOW = dt.timedelta(minutes=10)


WRONG = "No workshop has that code."


def _try(store: Store, limit: WrongCodeLimit, address: str, code: str = "ABC234", right=False):
    """ "joined", or the message the visitor reads; counted as a light page counts it (in
    a transaction that the wrong code does not undo)."""

    def check() -> str:
        if not right:
            raise AccessDenied(WRONG)
        return "joined"

    with store.writing() as conn:
        try:
            return limit.attempt(conn, store.now(), address, code, check)
        except AccessDenied as refused:
            return str(refused)


def _rows(store: Store) -> int:
    with store.reading() as conn:
        return conn.execute(
            sa.select(sa.func.count()).select_from(core_tables.wrong_codes)
        ).scalar()


def test_a_limit_counts_wrong_codes_in_a_window_and_refuses_even_right_ones(store, fixed_clock):
    limit = WrongCodeLimit("test", 3, 10, WINDOW, hint="the code you were given")
    for minutes_later in (1, 2, 0):  # wrong codes at minutes 0, 1 and 3
        assert _try(store, limit, "10.0.0.7") == WRONG
        if minutes_later:
            assert _try(store, limit, "10.0.0.7", right=True) == "joined"  # clears nothing
            fixed_clock.advance(minutes=minutes_later)
    # full until the first is ten minutes old
    assert _try(store, limit, "10.0.0.7", right=True) == (
        "Too many wrong codes from this network. Wait 421 seconds, then try again with the "
        "code you were given."
    )
    fixed_clock.advance(minutes=6)  # minute 9
    assert "Wait 61 seconds" in _try(store, limit, "10.0.0.7", right=True)
    assert _try(store, limit, "10.0.0.8", right=True) == "joined"  # another address
    fixed_clock.advance(minutes=1)
    assert _try(store, limit, "10.0.0.7", right=True) == "joined"


def test_a_limit_counts_an_ipv6_block_as_one_and_an_ipv4_client_as_itself(store):
    limit = WrongCodeLimit("test", 2, 10, WINDOW, hint="the right code")
    for address in ("2001:db8:1:2::a", "2001:db8:1:2:ffff::b"):  # one /64
        assert _try(store, limit, address, code=address) == WRONG
    assert "Too many wrong codes" in _try(store, limit, "2001:db8:1:2::c", right=True)
    assert _try(store, limit, "2001:db8:1:3::c", right=True) == "joined"  # the next /64
    assert _try(store, limit, "::ffff:192.0.2.1", code="A") == WRONG  # IPv4 on an IPv6 socket
    assert _try(store, limit, "192.0.2.1", code="B") == WRONG
    assert "Too many" in _try(store, limit, "192.0.2.1", right=True)
    assert network("2001:db8:1:2::a") == "2001:db8:1:2::/64"
    assert network("::ffff:192.0.2.1") == network("192.0.2.1") == "192.0.2.1"


def test_old_wrong_codes_are_pruned_as_new_ones_come(store, fixed_clock):
    limit = WrongCodeLimit("test", 5, 5, WINDOW, hint="the right code")
    other_page = WrongCodeLimit("other", 5, 5, 2 * WINDOW, hint="the right code")
    for n in range(4):
        _try(store, limit, f"10.0.0.{n}")
    _try(store, other_page, "10.0.1.1")
    assert _rows(store) == 5
    fixed_clock.advance(minutes=11)
    _try(store, limit, "10.0.0.9")  # the page's four old ones go; the other page's stay
    assert _rows(store) == 2
    fixed_clock.advance(minutes=10)
    _try(store, other_page, "10.0.1.2")
    assert _rows(store) == 2  # the other page's first is gone, the test page's last is not


def test_wrong_codes_keep_no_typed_code(store):
    limit = WrongCodeLimit("test", 5, 5, WINDOW, hint="the right code")
    _try(store, limit, "10.0.0.1", code="SECRET")
    with store.reading() as conn:
        row = conn.execute(sa.select(core_tables.wrong_codes)).one()
    assert row.code_hash == tokens.digest("SECRET") and "SECRET" not in str(tuple(row))


def test_backups_leave_the_wrong_codes_out_and_a_restore_keeps_the_servers(team, tmp_path):
    limit = WrongCodeLimit("test", 5, 5, WINDOW, hint="the right code")
    _try(team.store, limit, "10.0.0.1")
    copy = lifecycle.backup(team.store, tmp_path / "backup.sqlite")
    backed_up = Store(f"sqlite:///{copy}")
    assert _rows(backed_up) == 0
    backed_up.close()
    lifecycle.restore(team.store, copy, safety_folder=tmp_path)
    assert _rows(team.store) == 1  # still counted after a restore
    assert core_tables.wrong_codes not in TEAM_TABLES  # nor in a team's export
