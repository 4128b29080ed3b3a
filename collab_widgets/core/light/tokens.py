"""Tokens that let a light page act as its visitor. The raw token lives only in the
visitor's browser (the page keeps it); the database keeps its SHA-256 hash, so a copy of
the database opens nobody's place."""

from __future__ import annotations

import secrets

from collab_widgets.core.codes import digest

__all__ = ["TOKEN_BYTES", "digest", "new_token"]

TOKEN_BYTES = 24  # 192 random bits, 32 characters in a link or a request


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)
