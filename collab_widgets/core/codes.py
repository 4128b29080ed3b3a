"""Access codes that are hard to guess and easy to read aloud.

Codes use an alphabet without look-alikes (no 0/O, 1/l/I), are grouped in fours and carry
60 bits of randomness from :mod:`secrets`. Typing is forgiving: case, spaces and dashes
do not matter.
"""

from __future__ import annotations

import hashlib
import math
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
GROUP = 4
BITS = CODE_LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    """A fresh random code, stored and compared in its normalised form (no dashes)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalize(typed: str) -> str:
    """The stored form of a code as a person typed or pasted it."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def display(code: str) -> str:
    """A code grouped for reading aloud: ``ABCD-EFGH-JKMN``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def digest(secret: str) -> str:
    """What the database keeps of a token (or of a typed code): its SHA-256, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()
