"""The rules of a class list, without a database: which column of a student information
system's export holds what, the students read from it (each id once), the name a
student's teammates see, and how long a class is kept.

Retention: a class is open to its students until its ``retain_until`` date (the end of the
school year by default: :func:`end_of_school_year`); from the day after, students' codes
no longer open it, and :data:`DELETE_AFTER` later every row about its students is deleted
(``store.classes.delete_expired``), as if its teacher had deleted it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field

from collab_widgets.core.errors import InvalidInput

MAX_CLASS_NAME = 120
MAX_STUDENTS = 400  # one class; a whole grade is several classes
MAX_ATTRIBUTES = 8
MAX_ATTRIBUTE_VALUE = 60
MAX_DISPLAY_NAME = 40
SCHOOL_YEAR_ENDS = (7, 31)  # month, day: the last day of a school year (north)
DELETE_AFTER = dt.timedelta(days=60)  # after the retention date, then everything goes

ID_NAMES = ("studentid", "student", "id", "sisid", "localid", "studentnumber", "number")
FIRST_NAMES = ("firstname", "first", "givenname", "preferredname", "forename")
LAST_NAMES = ("lastname", "last", "surname", "familyname")
FULL_NAMES = ("name", "studentname", "fullname")
IGNORED = "(ignore)"
NO_DISPLAY_NAME = "(name to add)"  # a student whose file gave no name


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def check_class_name(typed: str) -> str:
    name = " ".join(typed.split())
    if not name:
        raise InvalidInput("Give the class a name, e.g. “Grade 4 – Room 12”.")
    if len(name) > MAX_CLASS_NAME:
        raise InvalidInput(f"Keep the class name under {MAX_CLASS_NAME} characters.")
    return name


def end_of_school_year(today: dt.date) -> dt.date:
    """The last day of the school year ``today`` is in (31 July by default)."""
    month, day = SCHOOL_YEAR_ENDS
    end = dt.date(today.year, month, day)
    return end if today <= end else dt.date(today.year + 1, month, day)


def check_retention(chosen: dt.date, today: dt.date) -> dt.date:
    if chosen < today:
        raise InvalidInput("The class cannot end before today. Choose a later date.")
    if chosen > today + dt.timedelta(days=400):
        raise InvalidInput(
            "Keep a class at most about a school year (400 days); make a new class next year."
        )
    return chosen


def default_display_name(first: str, last: str, full: str) -> str:
    """First name and the last name's initial ("Maya R."), from what the file holds."""
    if not first and full:
        if "," in full:  # "Rivera, Maya"
            last, _, first = (part.strip() for part in full.partition(","))
        else:
            first, _, last = full.strip().partition(" ")
    first, last = first.strip(), last.strip()
    shown = f"{first} {last[:1]}." if first and last else first or last
    return shown[:MAX_DISPLAY_NAME]


def check_display_name(typed: str) -> str:
    name = " ".join(typed.split())
    if not name:
        raise InvalidInput("A student needs a name their teammates can read.")
    if len(name) > MAX_DISPLAY_NAME:
        raise InvalidInput(f"Keep the name under {MAX_DISPLAY_NAME} characters.")
    return name


def check_attributes(attributes: dict[str, str]) -> dict[str, str]:
    if len(attributes) > MAX_ATTRIBUTES:
        raise InvalidInput(f"A class keeps at most {MAX_ATTRIBUTES} notes per student.")
    kept = {}
    for name, value in attributes.items():
        name, value = " ".join(str(name).split()), " ".join(str(value).split())
        if not name:
            raise InvalidInput("A note about a student needs a name, e.g. “Language support”.")
        if len(name) > MAX_ATTRIBUTE_VALUE or len(value) > MAX_ATTRIBUTE_VALUE:
            raise InvalidInput(f"Keep each note under {MAX_ATTRIBUTE_VALUE} characters.")
        if value:
            kept[name] = value
    return kept


@dataclass(frozen=True)
class ClassMapping:
    """Which column of a class file holds what: the id (required), the name (one column, or
    first and last), and the columns kept as the teacher's notes on each student."""

    id: str
    first: str = ""
    last: str = ""
    full: str = ""
    attributes: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "first": self.first,
                "last": self.last,
                "full": self.full,
                "attributes": list(self.attributes),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str, columns: list[str]) -> ClassMapping | None:
        """The mapping saved, if every column it names is still in the file."""
        saved = json.loads(text)
        mapping = cls(
            saved["id"], saved["first"], saved["last"], saved["full"], tuple(saved["attributes"])
        )
        named = [mapping.id, mapping.first, mapping.last, mapping.full, *mapping.attributes]
        return mapping if all(c in columns for c in named if c) else None


def signature(columns: list[str]) -> str:
    """The same for the same column names in any order (a file exported again)."""
    joined = "\n".join(sorted(_key(c) for c in columns))
    return hashlib.sha256(joined.encode()).hexdigest()


def guess_mapping(columns: list[str]) -> ClassMapping:
    """The likely roles of a class file's columns, from their headers."""

    def find(names: tuple[str, ...]) -> str:
        by_key = {_key(c): c for c in columns}
        return next((by_key[n] for n in names if n in by_key), "")

    id_column = find(ID_NAMES) or (columns[0] if columns else "")
    first, last = find(FIRST_NAMES), find(LAST_NAMES)
    full = "" if first else find(FULL_NAMES)
    return ClassMapping(id_column, first, last, full)


@dataclass(frozen=True)
class StudentRow:
    """One student as a class file (or an assessment) gives them."""

    key: str
    name: str = ""
    display_name: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


def students_from_rows(
    rows: list[dict[str, str]], mapping: ClassMapping, row_numbers: list[int] | None = None
) -> list[StudentRow]:
    """The students of a class file's rows (each a dict of the row's cells). Refused, naming
    the rows, when an id is missing or appears twice: a class list is one row per student,
    and guessing which row is right would put someone in the wrong class."""
    if not mapping.id:
        raise InvalidInput("Choose the column that holds each student's id.")
    numbers = row_numbers or [i + 2 for i in range(len(rows))]  # row 1 is the header
    if not rows:
        raise InvalidInput("The file has no students under its header row.")
    if len(rows) > MAX_STUDENTS:
        raise InvalidInput(
            f"A class holds at most {MAX_STUDENTS} students; this file has {len(rows)}. "
            "Export one class (section) at a time."
        )
    seen: dict[str, int] = {}
    repeated: list[str] = []
    missing: list[int] = []
    students = []
    for number, row in zip(numbers, rows, strict=True):
        key = str(row.get(mapping.id, "")).strip()
        if not key:
            missing.append(number)
            continue
        if key.casefold() in seen:
            repeated.append(f"{key} (rows {seen[key.casefold()]} and {number})")
            continue
        seen[key.casefold()] = number
        first = str(row.get(mapping.first, "")).strip() if mapping.first else ""
        last = str(row.get(mapping.last, "")).strip() if mapping.last else ""
        full = str(row.get(mapping.full, "")).strip() if mapping.full else ""
        name = full or " ".join(p for p in (first, last) if p)
        attributes = {a: str(row.get(a, "")).strip() for a in mapping.attributes}
        students.append(
            StudentRow(
                key=key[:120],
                name=name[:200],
                display_name=default_display_name(first, last, full) or "",
                attributes=check_attributes(attributes),
            )
        )
    if repeated:
        shown = "; ".join(repeated[:5]) + (" …" if len(repeated) > 5 else "")
        raise InvalidInput(
            f"Some student ids appear twice: {shown}. A class list has one row per student; "
            "fix the file (or choose the right id column) and upload it again. Nothing was saved."
        )
    if missing:
        shown = ", ".join(str(n) for n in missing[:8]) + (" …" if len(missing) > 8 else "")
        rows_have = f"Row {shown} has" if len(missing) == 1 else f"Rows {shown} have"
        raise InvalidInput(
            f"{rows_have} no student id in “{mapping.id}”. Fill it in or delete the row, then "
            "upload the file again. Nothing was saved."
        )
    return students
