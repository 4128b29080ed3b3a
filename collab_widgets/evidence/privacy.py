"""Pseudonyms: every shared view and export names students by a pseudonym that is the same
for the same student in every assessment of a team (a keyed hash of the student id with
the team's own salt), so a team can follow a student without showing who it is."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the students' light page reads pseudonyms without loading pandas
    import pandas as pd


def pseudonym(salt: str, student: str) -> str:
    """``Student`` and six letters or digits (30 bits: among a team's few hundred students
    two sharing one is about one in ten thousand)."""
    digest = hmac.new(salt.encode(), str(student).strip().casefold().encode(), hashlib.sha256)
    return "Student " + base64.b32encode(digest.digest()).decode()[:6]


# The salt of scores whose students are pseudonyms already (the notebooks under lab/ get
# them so): they are shown as they are, never hashed again.
ALREADY_PSEUDONYMS = "(already pseudonyms)"


def display_names(students: pd.DataFrame, salt: str, real: bool = False) -> pd.Series:
    """Each student's name on screen: a pseudonym, or (``real``, on the teacher's own
    screen) the name in the file, or the id where the file had no name."""
    import pandas as pd

    if salt == ALREADY_PSEUDONYMS:
        return pd.Series(students.index, index=students.index)
    if not real:
        return pd.Series([pseudonym(salt, s) for s in students.index], index=students.index)
    names = students["name"].astype(str)
    return names.where(names.str.strip() != "", pd.Series(students.index, students.index))
