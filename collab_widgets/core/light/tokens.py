"""Tokens that let a light page act as its visitor. The raw token lives only in the
visitor's browser (the page keeps it); the database keeps its SHA-256 hash, so a copy of
the database opens nobody's place."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 24  # 192 random bits, 32 characters in a link or a request


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: str) -> str:
    """What the database keeps of a token (or of a typed code): its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
