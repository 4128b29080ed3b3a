"""The families' catalogue: every family-facing text (``N_``) of the families' package and
of the light pages' own refusals is translated into Spanish with the same placeholders, the
page's words are all among them, and under the pseudo-language every word the page is sent
went through the catalogue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from collab_widgets.core.i18n import PSEUDO, extract
from collab_widgets.families import api, texts
from collab_widgets.families.library import load_feedback_survey
from collab_widgets.families.store import family as family_page
from collab_widgets.families.texts import CATALOGUE

PACKAGE = Path(api.__file__).resolve().parents[1]
EXTRACTED = extract(PACKAGE / "families") + extract(PACKAGE / "core" / "light")


def test_the_texts_are_found_where_families_read_them():
    assert texts.PAGE["title"] in EXTRACTED
    assert family_page.WRONG_LINK in EXTRACTED and api.TOO_LONG in EXTRACTED
    from collab_widgets.core.light import handlers

    assert {handlers.UNEXPECTED, handlers.UNREADABLE, handlers.NEEDS_TOKEN} <= set(EXTRACTED)


def test_every_family_facing_text_is_in_spanish():
    assert CATALOGUE.missing("es", EXTRACTED) == []


def test_no_spanish_text_renames_a_placeholder():
    assert CATALOGUE.placeholder_mismatches("es") == []


@pytest.mark.parametrize(
    "named", [texts.PAGE, texts.CONFERENCE_KINDS, texts.OWNERS, texts.PROGRESS], ids=repr
)
def test_every_named_text_is_marked_for_translation(named):
    assert sorted(set(named.values()) - set(EXTRACTED)) == []


def test_the_spanish_texts_read_as_spanish():
    spanish = CATALOGUE.texts("es", texts.PAGE)
    assert spanish["title"] == "La página de su familia"
    assert all(spanish[key] != english for key, english in texts.PAGE.items() if key != "minutes")


def test_under_the_pseudo_language_every_word_of_the_page_went_through_the_catalogue(classroom):
    session = classroom.sign_in(0)
    data = family_page.page(classroom.team.store, session)
    payload = api.page_payload(data, PSEUDO, load_feedback_survey(), dt.date(2026, 10, 15))
    assert set(payload["texts"]) == set(texts.PAGE)
    for key, shown in payload["texts"].items():
        assert shown.startswith("⟦") and shown.endswith("⟧"), key
        assert shown != texts.PAGE[key]
    graph = payload["meetings"][0]["graph"]
    assert graph["child"].startswith("⟦") and "Maya R." in graph["child"]  # values as given
    assert api.texts_payload(PSEUDO)["texts"] == payload["texts"]
