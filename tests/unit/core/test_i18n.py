import datetime as dt
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from collab_widgets.core import i18n
from collab_widgets.core.i18n import N_, PSEUDO, Catalogue, language_of

SPANISH = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

msgid "Your child's class"
msgstr "La clase de su hijo"

msgid "Hello {name}, the meeting is on {day}."
msgstr "Hola {name}, la reunión es el {day}."

#, fuzzy
msgid "Read the letter"
msgstr "Lea la carta"

msgid "Sign here"
msgstr ""

msgid "Thank you, {name}"
msgstr "Gracias, {nombre}"

#~ msgid "An old text"
#~ msgstr "Un texto viejo"
"""


def write_spanish(folder: Path, text: str = SPANISH, domain: str = "families") -> None:
    po = folder / "es" / "LC_MESSAGES" / f"{domain}.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text(text, encoding="utf-8")


@pytest.fixture
def catalogue(tmp_path) -> Catalogue:
    write_spanish(tmp_path)
    return Catalogue(tmp_path, "families")


def test_a_translation_is_found_and_english_is_the_text_itself(catalogue):
    assert catalogue.text("es", "Your child's class") == "La clase de su hijo"
    assert catalogue.text("es-MX", "Your child's class") == "La clase de su hijo"
    assert catalogue.text("en", "Your child's class") == "Your child's class"
    assert catalogue.text("fr", "Your child's class") == "Your child's class"


def test_fuzzy_empty_and_absent_translations_fall_back_to_english_and_are_missing(catalogue):
    for english in ("Read the letter", "Sign here", "Not in the file", "An old text"):
        assert catalogue.text("es", english) == english
    messages = ["Your child's class", "Read the letter", "Sign here", "Not in the file"]
    assert catalogue.missing("es", messages) == ["Read the letter", "Sign here", "Not in the file"]
    assert catalogue.missing("en", messages) == []


def test_placeholders_are_filled_after_translating(catalogue):
    filled = catalogue.text("es", "Hello {name}, the meeting is on {day}.", name="Ana", day="lunes")
    assert filled == "Hola Ana, la reunión es el lunes."
    assert catalogue.text("en", "Hello {name}", name="Ana") == "Hello Ana"


def test_texts_are_translated_by_key_and_left_unfilled(catalogue):
    shown = catalogue.texts(
        "es", {"title": "Your child's class", "greeting": "Hello {name}, the meeting is on {day}."}
    )
    assert shown == {
        "title": "La clase de su hijo",
        "greeting": "Hola {name}, la reunión es el {day}.",
    }


def test_pseudo_marks_every_message_keeps_placeholders_and_not_the_values(catalogue):
    assert catalogue.text(PSEUDO, "The class") == "⟦Ŧĥé çłàšš⟧"
    messages = {"a": "Your child's class", "b": "Not in any file", "c": "Hello {name} at {time:>5}"}
    for shown in catalogue.texts(PSEUDO, messages).values():
        assert shown.startswith("⟦") and shown.endswith("⟧")
        words = re.sub(r"\{[^{}]*\}", "", shown)
        assert not re.search("[A-Za-z]", words), shown  # every letter marked, translated or not
    assert catalogue.texts(PSEUDO, messages)["c"] == "⟦Ĥéłłô {name} àţ {time:>5}⟧"
    filled = catalogue.text(PSEUDO, "Hello {name} at {time:>5}", name="Sam Lee", time="9:00")
    assert filled == "⟦Ĥéłłô Sam Lee àţ  9:00⟧"
    assert catalogue.missing(PSEUDO, messages.values()) == []


def test_pseudo_keeps_markup_entities_and_escaped_braces():
    shown = Catalogue(Path("/nowhere"), "families").text(PSEUDO, "<b>Due</b> &amp; {{kept}}")
    assert shown == "⟦<b>Đûé</b> &amp; {{ķéþţ}}⟧"


@pytest.mark.parametrize(
    ("requested", "shown"),
    [
        ("es", "es"),
        ("es-MX", "es"),
        ("ES", "es"),
        ("es_US", "es"),
        (" es ", "es"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("", "en"),
        (None, "en"),
        ("qps", "qps"),
        ("spanish", "en"),
    ],
)
def test_language_of(requested, shown):
    assert language_of(requested) == shown


def test_every_language_is_named_in_its_own_language():
    assert i18n.LANGUAGES == {"en": "English", "es": "Español"}
    assert i18n.DEFAULT_LANGUAGE == "en"


def test_a_translation_that_renames_a_placeholder_is_caught_and_shown_in_english(catalogue):
    assert catalogue.placeholder_mismatches("es") == ["Thank you, {name}"]
    assert catalogue.text("es", "Thank you, {name}", name="Ana") == "Thank you, Ana"
    assert catalogue.placeholder_mismatches("en") == []


def test_a_translation_with_broken_braces_is_a_mismatch(tmp_path):
    write_spanish(tmp_path, SPANISH + '\nmsgid "Bye {name}"\nmsgstr "Adiós {name"\n')
    catalogue = Catalogue(tmp_path, "families")
    assert catalogue.placeholder_mismatches("es") == ["Bye {name}", "Thank you, {name}"]
    assert catalogue.text("es", "Bye {name}", name="Ana") == "Bye Ana"


def test_a_language_without_a_file_is_all_missing(tmp_path):
    catalogue = Catalogue(tmp_path, "families")
    assert catalogue.text("es", "Sign here") == "Sign here"
    assert catalogue.missing("es", ["Sign here"]) == ["Sign here"]


def test_the_file_is_read_when_first_needed_and_once_across_threads(tmp_path, monkeypatch):
    catalogue = Catalogue(tmp_path, "families")
    write_spanish(tmp_path)  # after the catalogue was made: nothing was read yet
    reads = []
    read_po = i18n.read_po

    def counted_read_po(*args, **kwargs):
        reads.append(1)
        time.sleep(0.05)  # a slow disk: the other threads ask while the file is being read
        return read_po(*args, **kwargs)

    monkeypatch.setattr(i18n, "read_po", counted_read_po)
    start = threading.Barrier(8)
    shown = []

    def ask():
        start.wait()
        shown.append(catalogue.text("es", "Your child's class"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert shown == ["La clase de su hijo"] * 8
    assert len(reads) == len(i18n.LANGUAGES) - 1  # every language but English, once


def test_extract_finds_the_marked_texts_and_nothing_else(tmp_path):
    package = tmp_path / "families"
    (package / "letters").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "page.py").write_text(
        "from collab_widgets.core.i18n import N_\n"
        "TITLE = N_('Your child\\'s class')\n"
        'GREETING = N_("Hello {name}")\n'
        "print(_('Not ours'), gettext('Not ours either'), M_('Nor this'))\n"
        "AGAIN = N_('Hello {name}')\n"
        "JOINED = N_(\n    'Two parts '\n    'joined'\n)\n"
    )
    (package / "letters" / "letter.py").write_text("TEXTS = {'sign': N_('Sign here')}\n")
    (package / "page.html").write_text("<p>{{ N_('Not extracted from html') }}</p>\n")
    assert i18n.extract(package) == [
        "Hello {name}",
        "Sign here",
        "Two parts joined",
        "Your child's class",
    ]


def test_n_marks_without_changing():
    assert N_("Hello {name}") == "Hello {name}"


SUNDAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("language", "long", "short", "weekday"),
    [
        ("en", "December 6, 2026", "12/6/26", "Sunday, December 6"),
        ("es", "6 de diciembre de 2026", "6/12/26", "domingo, 6 de diciembre"),
        ("es-MX", "6 de diciembre de 2026", "6/12/26", "domingo, 6 de diciembre"),
        (PSEUDO, "December 6, 2026", "12/6/26", "Sunday, December 6"),
    ],
)
def test_dates_as_the_language_writes_them(language, long, short, weekday):
    assert i18n.format_date(SUNDAY, language) == long
    assert i18n.format_date(SUNDAY, language, length="short") == short
    assert i18n.format_weekday_date(SUNDAY, language) == weekday


def test_times_are_short_and_keep_their_wall_time():
    afternoon = dt.time(15, 30)
    in_chicago = dt.datetime(2026, 12, 6, 9, 5, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    assert i18n.format_time(afternoon, "en") == "3:30\u202fPM"
    assert i18n.format_time(afternoon, "es") == "15:30"
    assert i18n.format_time(in_chicago, "en") == "9:05\u202fAM"
    assert i18n.format_time(in_chicago, "es") == "9:05"


@pytest.mark.parametrize(
    ("x", "decimals", "english", "spanish"),
    [
        (1234.5, 2, "1,234.50", "1.234,50"),
        (1234567, 0, "1,234,567", "1.234.567"),
        (2.5, 0, "3", "3"),  # half up, as at school
        (0.125, 2, "0.13", "0,13"),
        (12, 1, "12.0", "12,0"),
        (-3.25, 1, "-3.3", "-3,3"),
    ],
)
def test_numbers_in_each_language(x, decimals, english, spanish):
    assert i18n.format_number(x, "en", decimals) == english
    assert i18n.format_number(x, "es", decimals) == spanish
    assert i18n.format_number(x, PSEUDO, decimals) == english


@pytest.mark.parametrize(
    ("percent", "decimals", "english", "spanish"),
    [
        (25, 0, "25%", "25\u00a0%"),
        (25.6, 0, "26%", "26\u00a0%"),
        (12.345, 2, "12.35%", "12,35\u00a0%"),
        (100, 1, "100.0%", "100,0\u00a0%"),
        (0.25, 0, "0%", "0\u00a0%"),  # a percent, not a fraction
    ],
)
def test_percents_are_given_on_the_zero_to_hundred_scale(percent, decimals, english, spanish):
    assert i18n.format_percent(percent, "en", decimals) == english
    assert i18n.format_percent(percent, "es", decimals) == spanish


def test_the_module_stays_light():
    heavy = ("pandas", "numpy", "matplotlib", "ipywidgets", "sqlalchemy")
    code = (
        "import sys, collab_widgets.core.i18n\n"
        f"print(sorted(name for name in {heavy!r} if name in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
