"""What each column of a score file holds: detected from its name and its cells, shown to
a person who may change any of it, and remembered for files with the same columns."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from collab_widgets.evidence.reading import RawTable

# Roles of a column.
ID = "student id"
NAME = "name"
TEACHER = "teacher"
SECTION = "section"
ATTRIBUTE = "attribute"
ITEM = "item"
TOTAL = "total"
IGNORE = "ignore"
# ... in a long file (one row per student and item)
ITEM_LABEL = "item label"
POINTS = "points"
RESPONSE = "response"
MAX_POINTS = "max points"
STANDARD = "standard"

WIDE, LONG, FORMS = "wide", "long", "forms"
SHAPES = (WIDE, LONG, FORMS)
PERSON_ROLES = (ID, NAME, TEACHER, SECTION, ATTRIBUTE)
ROLES = {
    WIDE: (*PERSON_ROLES, ITEM, TOTAL, IGNORE),
    FORMS: (*PERSON_ROLES, ITEM, TOTAL, IGNORE),
    LONG: (*PERSON_ROLES, ITEM_LABEL, POINTS, RESPONSE, MAX_POINTS, STANDARD, IGNORE),
}
ONE_ONLY = (ID, TOTAL, ITEM_LABEL, POINTS, RESPONSE, MAX_POINTS, STANDARD)

# Column names as platforms and spreadsheets write them (letters and digits only, accents
# dropped: "Prénom" is "prenom"), in English and as French, Spanish and German exports
# name the people in them.
NAMES = {
    ID: (
        "studentid id student studentnumber studentno sisid localid lasid idnumber stateid "
        "ssid pupilid learnerid username "
        "identifiant ideleve numeroeleve matricule idalumno matricula numeroalumno "
        "schulernummer schuelernummer schulerid schuelerid"
    ),
    NAME: (
        "name studentname fullname firstname lastname surname givenname first last "
        "studentfirstname studentlastname "
        "nom prenom prenoms nomeleve prenomeleve nomdeleleve nomdefamille nomcomplet "
        "nomprenom nombre nombres apellido apellidos nombrecompleto nombrealumno "
        "nombredelalumno primerapellido segundoapellido "
        "vorname nachname familienname schulername schuelername "
        "eleve alumno alumna estudiante schuler schueler"
    ),
    TEACHER: (
        "teacher teachername instructor classteacher "
        "enseignant professeur profesor profesora docente lehrer lehrerin lehrkraft"
    ),
    SECTION: (
        "section period class classperiod block homeroom coursesection classname "
        "classe groupe clase grupo seccion klasse kurs"
    ),
    TOTAL: (
        "total totalscore score sum totalpoints rawscore pointsearned percent percentcorrect "
        "pctcorrect overall"
    ),
    IGNORE: "timestamp date submitted submittedat starttime endtime duration completiontime",
    ITEM_LABEL: "item question itemid questionnumber itemnumber q questionid itemname",
    POINTS: "points score pointsearned earned credit",
    RESPONSE: "response answer choice selected studentresponse option",
    MAX_POINTS: "max maxpoints possible pointspossible outof maxscore",
    STANDARD: "standard standards skill objective learningtarget domain ccss teks",
}
NAMES = {role: frozenset(words.split()) for role, words in NAMES.items()}
EMAIL_NAMES = frozenset({"email", "emailaddress", "studentemail"})
ITEM_NAME = re.compile(r"^(q|question|item|#|no\.?|number|p|problem)?\s*[-_.#]?\s*\d{1,3}[a-z]?$")
NUMBER = re.compile(r"^-?\d+(?:[.,]\d+)?$")
OPTION = re.compile(r"^[A-Ea-e]$")
FORMS_SCORE = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?\s*$")
SAMPLE = 500  # rows looked at to guess what a column holds


@dataclass
class Mapping:
    """A file's shape and each column's role; a person may change any of it."""

    shape: str
    roles: dict[str, str] = field(default_factory=dict)  # column -> role

    def columns(self, role: str) -> list[str]:
        return [column for column, given in self.roles.items() if given == role]

    def column(self, role: str) -> str | None:
        found = self.columns(role)
        return found[0] if found else None

    def with_role(self, column: str, role: str) -> Mapping:
        """This mapping with ``column`` given ``role`` (a role held once moves here)."""
        if role not in ROLES[self.shape]:
            raise ValueError(f"{role!r} is not a role in a {self.shape} file")
        roles = dict(self.roles)
        if role in ONE_ONLY:
            for other, given in roles.items():
                if given == role:
                    roles[other] = IGNORE
        roles[column] = role
        return Mapping(self.shape, roles)

    def to_json(self) -> dict:
        return {"shape": self.shape, "roles": dict(self.roles)}

    @classmethod
    def from_json(cls, data: dict, columns: list[str]) -> Mapping | None:
        """A remembered mapping, if it still fits these columns."""
        shape, roles = data.get("shape"), data.get("roles")
        if shape not in SHAPES or not isinstance(roles, dict) or set(roles) != set(columns):
            return None
        if not all(role in ROLES[shape] for role in roles.values()):
            return None
        return cls(shape, {column: roles[column] for column in columns})


def signature(columns: list[str]) -> str:
    """The same columns (in any case, in the same order) give the same signature."""
    text = "\x1f".join(_key(c) for c in columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def _plain(name: str) -> str:
    """A column's name to look up in :data:`NAMES`: as :func:`_key`, accents dropped
    (kept apart from :func:`_key`, whose signatures remembered mappings are stored by)."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return _key("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def _filled(column: pd.Series) -> pd.Series:
    return column[column != ""]


def _share(column: pd.Series, pattern: re.Pattern) -> float:
    filled = _filled(column)
    if filled.empty:
        return 0.0
    return float(filled.str.match(pattern).mean())


def detect_shape(frame: pd.DataFrame | RawTable) -> str:
    keys = {_plain(c): c for c in frame.columns}
    score = next((keys[k] for k in ("score", "totalscore") if k in keys), None)
    if "timestamp" in keys and score and _share(frame.head(SAMPLE)[score], FORMS_SCORE) >= 0.8:
        return FORMS
    has_label = any(k in NAMES[ITEM_LABEL] for k in keys)
    has_value = any(k in NAMES[POINTS] | NAMES[RESPONSE] for k in keys)
    ids = [keys[k] for k in keys if k in NAMES[ID] | EMAIL_NAMES]
    if has_label and has_value and ids and frame[ids[0]].duplicated().any():
        return LONG
    return WIDE


def detect(frame: pd.DataFrame | RawTable, shape: str | None = None) -> Mapping:
    """A first guess at the file's shape and every column's role, from the names of the
    columns and their first cells."""
    shape = shape or detect_shape(frame)
    sample = frame.head(SAMPLE)
    roles: dict[str, str] = {}
    taken: set[str] = set()

    def give(column: str, role: str) -> None:
        if role in ONE_ONLY and role in taken:
            role = IGNORE
        roles[column] = role
        taken.add(role)

    by_name = {}
    for column in frame.columns:
        key = _plain(column)
        for role in ROLES[shape] + (IGNORE,):
            if key in NAMES.get(role, ()):
                by_name[column] = role
                break
        if shape == FORMS and key in EMAIL_NAMES:
            by_name[column] = ID
    # A student id named as such wins over an email address or a bare "id".
    id_columns = [c for c, r in by_name.items() if r == ID]
    if not id_columns:
        id_columns = [c for c in frame.columns if _plain(c) in EMAIL_NAMES]
    if id_columns:
        id_columns.sort(key=lambda c: (_plain(c) not in ("studentid", "sisid", "localid"), 0))
        give(id_columns[0], ID)
    for column in frame.columns:
        if column in roles:
            continue
        role = by_name.get(column)
        if role == ID:
            role = IGNORE
        if role is None:
            role = _guess(sample[column], shape, column, len(frame))
        give(column, role)
    return Mapping(shape, roles)


def _guess(column: pd.Series, shape: str, name: str, rows: int) -> str:
    if shape == LONG:
        return _attribute_or_ignore(column, rows)
    if ITEM_NAME.match(name.strip().casefold()) or shape == FORMS:
        return ITEM
    if _share(column, NUMBER) >= 0.8 or _share(column, OPTION) >= 0.8:
        numbers = pd.to_numeric(_filled(column).str.replace(",", "."), errors="coerce")
        if numbers.notna().all() and numbers.max() > 100:  # an id or a year, not points
            return IGNORE
        return ITEM
    return _attribute_or_ignore(column, rows)


def _attribute_or_ignore(column: pd.Series, rows: int) -> str:
    """A few values shared by many students is a subgroup; text that differs for every
    student (a name under a header not recognised, a comment) never is."""
    filled = _filled(column)
    distinct = filled.nunique()
    if distinct >= 5 and distinct == len(filled):
        return IGNORE
    return ATTRIBUTE if 0 < distinct <= max(12, rows // 5) else IGNORE
