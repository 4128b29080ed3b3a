"""The SQL of the light pages' wrong-code limits: each wrong code a row of
:data:`~collab_widgets.core.db.tables.wrong_codes`, read back per network and per code. The
rule (how many, for how long, what the visitor is told) is
:mod:`collab_widgets.core.light.limits`."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from collab_widgets.core.db.tables import wrong_codes


def tried_since(
    conn: sa.Connection,
    page: str,
    since: dt.datetime,
    *,
    network: str | None = None,
    code_hash: str | None = None,
) -> list[dt.datetime]:
    """When each wrong code on ``page`` after ``since`` was tried, oldest first: those
    from ``network``, or those of the code with ``code_hash``."""
    query = sa.select(wrong_codes.c.tried_at).where(
        wrong_codes.c.page == page, wrong_codes.c.tried_at > since
    )
    if network is not None:
        query = query.where(wrong_codes.c.network == network)
    if code_hash is not None:
        query = query.where(wrong_codes.c.code_hash == code_hash)
    return list(conn.execute(query.order_by(wrong_codes.c.tried_at)).scalars())


def record(
    conn: sa.Connection,
    page: str,
    network: str,
    code_hash: str,
    at: dt.datetime,
    forget_before: dt.datetime,
) -> None:
    """One wrong code more; the page's wrong codes from ``forget_before`` or earlier are
    deleted, so the table holds no more than the limits still count."""
    conn.execute(
        wrong_codes.insert().values(page=page, network=network, code_hash=code_hash, tried_at=at)
    )
    conn.execute(
        wrong_codes.delete().where(
            wrong_codes.c.page == page, wrong_codes.c.tried_at <= forget_before
        )
    )


def forget_older(store, page: str, kept: dt.timedelta) -> None:
    """Deletes ``page``'s wrong codes (network addresses) older than ``kept``: the limit
    forgets them as new ones come, which may be never. Writes only when there are some."""
    stale = (wrong_codes.c.page == page, wrong_codes.c.tried_at <= store.now() - kept)
    with store.reading() as conn:
        found = conn.execute(sa.select(wrong_codes.c.id).where(*stale).limit(1)).first()
    if found is not None:
        with store.writing() as conn:
            conn.execute(wrong_codes.delete().where(*stale))
