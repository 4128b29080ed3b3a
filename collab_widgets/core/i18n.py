"""Family-facing texts, dates and numbers in the family's language.

Families read their pages and prints in their own language, not the team's. A text a
family sees is written in English in the code, marked ``N_("...")``; its translations live
in standard gettext ``.po`` files, one per language, kept up to date with Babel's
``pybabel extract`` and ``pybabel update`` (docs/development.md says how). Spanish is
complete in every catalogue, and each catalogue's test fails on a text left out. Dates and
numbers follow the language's own conventions (CLDR, through Babel).

Light pages import this module, so it imports nothing heavy (no pandas, no widgets).
"""

from __future__ import annotations

import copy
import re
import string
import threading
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from babel import Locale, dates, numbers
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.numbers import NumberPattern

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}  # each named in its own language
DEFAULT_LANGUAGE = "en"  # also the language of the code: a message's id is its English text
PSEUDO = "qps"  # a pseudo-language for tests: every text through a catalogue shows as ⟦Ŧéẋţ⟧


def N_(text: str) -> str:
    """Mark ``text`` as a family-facing text (``N_`` is what the extractor looks for)."""
    return text


def language_of(requested: str | None) -> str:
    """The language to show for a requested tag: ``"es-MX"`` → ``"es"``, unknown → English.

    ``PSEUDO`` is shown when asked for, so that a test can ask for it like any language."""
    primary = re.split(r"[-_]", (requested or "").strip().lower(), maxsplit=1)[0]
    return primary if primary in LANGUAGES or primary == PSEUDO else DEFAULT_LANGUAGE


class Catalogue:
    """One domain's translations: ``folder/<lang>/LC_MESSAGES/<domain>.po`` per language.

    A fuzzy or empty translation counts as missing, and the English text is shown."""

    def __init__(self, folder: Path, domain: str) -> None:
        self.folder = Path(folder)
        self.domain = domain
        self._translations: dict[str, dict[str, str]] | None = None
        self._reading = threading.Lock()

    def text(self, language: str, message: str, /, **values: object) -> str:
        """``message`` in ``language``, its ``{placeholders}`` filled with ``values`` if given.

        The values are data (names, numbers): shown as given, never translated or marked."""
        language = language_of(language)
        shown = self._shown(language, message)
        if not values:
            return shown
        try:
            return shown.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation with broken placeholders shows the English text, not an error
            # page; placeholder_mismatches() reports it to the tests.
            return message.format(**values)

    def texts(self, language: str, messages: dict[str, str]) -> dict[str, str]:
        """Each key's message in ``language``, unfilled: the page fills the placeholders."""
        language = language_of(language)
        return {key: self._shown(language, message) for key, message in messages.items()}

    def missing(self, language: str, messages: Iterable[str]) -> list[str]:
        """The messages that would be shown in English to a reader of ``language``."""
        language = language_of(language)
        if language in (DEFAULT_LANGUAGE, PSEUDO):
            return []
        translations = self._loaded()[language]
        return [message for message in messages if message not in translations]

    def placeholder_mismatches(self, language: str) -> list[str]:
        """The messages whose translation names other ``{placeholders}`` than the English."""
        language = language_of(language)
        if language in (DEFAULT_LANGUAGE, PSEUDO):
            return []
        translations = self._loaded()[language]
        return sorted(
            message
            for message, translated in translations.items()
            if _placeholders(translated) != _placeholders(message)
        )

    def _shown(self, language: str, message: str) -> str:
        if language == PSEUDO:
            return _pseudo(message)
        if language == DEFAULT_LANGUAGE:
            return message
        return self._loaded()[language].get(message, message)

    def _loaded(self) -> dict[str, dict[str, str]]:
        # Light pages ask from worker threads: the files are read once, by the first to ask.
        if self._translations is None:
            with self._reading:
                if self._translations is None:
                    self._translations = {
                        language: self._read(language)
                        for language in LANGUAGES
                        if language != DEFAULT_LANGUAGE
                    }
        return self._translations

    def _read(self, language: str) -> dict[str, str]:
        path = self.folder / language / "LC_MESSAGES" / f"{self.domain}.po"
        if not path.exists():
            return {}  # every text is missing, which the catalogue test reports
        with path.open("rb") as po_file:
            catalogue = read_po(po_file, ignore_obsolete=True)
        return {
            entry.id: entry.string
            for entry in catalogue
            # the header has an empty id; plural forms and contexts are not used here
            if isinstance(entry.id, str)
            and entry.id
            and entry.context is None
            and isinstance(entry.string, str)
            and entry.string
            and not entry.fuzzy
        }


def extract(package_dir: Path) -> list[str]:
    """Every ``N_("...")`` text in the Python files under ``package_dir``, sorted, once each."""
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            package_dir, method_map=[("**.py", "python")], keywords={"N_": None}
        )
    }
    return sorted(message for message in found if isinstance(message, str) and message)


def format_date(
    day: date, language: str, length: Literal["short", "medium", "long", "full"] = "long"
) -> str:
    """``day`` as the language writes it: "December 6, 2026", "6 de diciembre de 2026"."""
    return dates.format_date(day, format=length, locale=_locale(language))


def format_weekday_date(day: date, language: str) -> str:
    """The weekday and date, no year: "Sunday, December 6", "domingo, 6 de diciembre"."""
    locale = _locale(language)
    # CLDR has the order and words for "weekday, month day" with an abbreviated weekday
    # ("Sun"); a family reads the weekday whole. Letters inside quotes are literal text.
    pattern = re.sub(
        r"'[^']*'|E+",
        lambda part: part[0] if part[0].startswith("'") else "EEEE",
        locale.datetime_skeletons["MMMMEd"].pattern,
    )
    return dates.format_date(day, format=pattern, locale=locale)


def format_time(moment: time | datetime, language: str) -> str:
    """The clock time, short: "3:30 PM", "15:30".

    Shown as the wall time ``moment`` holds, not converted: give it in the school's zone."""
    return dates.format_time(moment, format="short", locale=_locale(language))


def format_number(x: float | int | Decimal, language: str, decimals: int = 0) -> str:
    """``x`` with exactly ``decimals`` decimals: 1234.5 → "1,234.50" or "1.234,50" (2)."""
    locale = _locale(language)
    return _with_decimals(_rounded(x, decimals), decimals, locale.decimal_formats[None], locale)


def format_percent(percent: float | int | Decimal, language: str, decimals: int = 0) -> str:
    """A percent on the 0–100 scale the project stores: 25 → "25%" or "25 %".

    Not a fraction: ``format_percent(0.25, ...)`` is "0%", as a quarter of one percent."""
    locale = _locale(language)
    # rounded as a percent; the pattern's "%" multiplies the fraction back by 100, exactly
    fraction = _rounded(percent, decimals).scaleb(-2)
    return _with_decimals(fraction, decimals, locale.percent_formats[None], locale)


def _with_decimals(rounded: Decimal, decimals: int, pattern: NumberPattern, locale: Locale) -> str:
    fixed = copy.copy(pattern)  # the locale's pattern is shared: change a copy
    fixed.frac_prec = (decimals, decimals)
    return numbers.format_decimal(rounded, format=fixed, locale=locale)


def _rounded(x: float | int | Decimal, decimals: int) -> Decimal:
    # Half up, as families learnt at school (2.5 → 3), not Babel's half to even (2.5 → 2);
    # through str() so that 0.125 is rounded as written, not as its binary neighbour.
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _locale(language: str) -> Locale:
    # cached by the language shown, not as requested: a request may carry any tag
    return _locale_of(language_of(language))


@cache
def _locale_of(language: str) -> Locale:
    return Locale.parse(DEFAULT_LANGUAGE if language == PSEUDO else language)


# Look-alikes keep a pseudo-marked text readable while showing it went through a catalogue.
_PLAIN = string.ascii_lowercase + string.ascii_uppercase
_LOOK_ALIKES = "àƀçđéƒĝĥîĵķłɱñôþǫŕšţûṽŵẋýž" + "ÅƁÇĐÉƑĜĤÎĴĶŁṀÑÖÞǪŔŠŦÛṼŴẊÝŽ"
_TO_LOOK_ALIKES = str.maketrans(_PLAIN, _LOOK_ALIKES)
# Kept as written: placeholders and escaped braces (the page fills them), markup and entities.
_KEPT = re.compile(r"(\{\{|\}\}|\{[^{}]*\}|<[^<>]*>|&#?\w+;)")


def _pseudo(text: str) -> str:
    parts = _KEPT.split(text)  # the text between kept parts at even places, kept ones at odd
    marked = (
        part if place % 2 else part.translate(_TO_LOOK_ALIKES) for place, part in enumerate(parts)
    )
    return "⟦" + "".join(marked) + "⟧"


def _placeholders(text: str) -> set[str] | None:
    """The names in ``text``'s ``{placeholders}``; None if its braces do not parse."""
    try:
        return {
            field
            for _text, field, _spec, _conversion in string.Formatter().parse(text)
            if field is not None
        }
    except ValueError:
        return None
