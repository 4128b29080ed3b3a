"""The printed family cards and meeting agenda: names stay text, every card carries its QR
code as inline SVG and its link written out, a Spanish family's card is in Spanish, and
nothing but the card's own things is printed (never a contact)."""

from __future__ import annotations

import datetime as dt
import re

from collab_widgets.core.i18n import Catalogue
from collab_widgets.families import texts
from collab_widgets.families.cards import (
    FamilyCard,
    agenda_html,
    cards_for,
    family_cards_html,
    first_name,
)
from collab_widgets.families.model import Family, Guardian, Meeting
from collab_widgets.team import links

EVIL = "<script>alert(1)</script>"
GIVEN = dt.date(2026, 10, 15)
SPANISH = {
    texts.CARD["title"]: "La página de su familia",
    texts.CARD["family_of"]: "La familia de {child}",
    texts.CARD["for"]: "Para {guardian}",
    texts.CARD["scan"]: "Escanee el cuadro con la cámara de su teléfono, o escriba esta dirección:",
    texts.CARD["private"]: "Este enlace es solo para usted.",
    texts.CARD["lost"]: "¿Perdió esta tarjeta? Pida un enlace nuevo.",
    texts.CARD["given"]: "Entregada el {date}",
    texts.CARD["next_meeting"]: "Próxima reunión de familias: {date} a las {time}",
    texts.PAGE["agenda"]: "Lo que haremos",
    texts.PAGE["skill"]: "La habilidad que trabajamos",
    texts.PAGE["activities"]: "Actividades para la casa",
    texts.PAGE["minutes"]: "{minutes} min",
    texts.PAGE["meeting_when"]: "{date} a las {time}",
}


def spanish_catalogue(folder) -> Catalogue:
    """A families' catalogue whose Spanish file holds the card's texts."""
    po = folder / "es" / "LC_MESSAGES" / "families.po"
    po.parent.mkdir(parents=True)
    entries = "".join(
        f'\nmsgid "{english}"\nmsgstr "{spanish}"\n' for english, spanish in SPANISH.items()
    )
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + entries,
        encoding="utf-8",
    )
    return Catalogue(folder, "families")


def family(child="Maya R.", language="en", contact="555-0100, evenings", guardians=None):
    return Family(
        id=1,
        student_id=11,
        child=child,
        pseudonym="Student QX7P2M",
        language=language,
        contact=contact,
        guardians=tuple(
            guardians
            or [
                Guardian(7, "Rosa", True, False, None),
                Guardian(8, "Luis", False, True, None),  # blocked
            ]
        ),
    )


def test_every_card_has_its_qr_code_inline_and_its_link_written_out():
    cards = [
        FamilyCard("Rosa", "Maya R.", "en", "ABCDEF234567"),
        FamilyCard("Sam", "Omar H.", "en", "GHJKMN234567"),
    ]
    page = family_cards_html("Room 12", cards, GIVEN, (dt.date(2026, 10, 20), "18:00"))
    assert page.count("<svg") == 2 and "<img" not in page and "url(" not in page
    for card in cards:
        assert links.family_link(card.code) in page
        assert "#code=" + card.code in page
    assert "The family of Maya" in page and "For Rosa" in page and "Room 12" in page
    assert "Maya R." not in page  # the first name only
    assert "Given on October 15, 2026" in page
    assert "Next class family meeting: October 20, 2026 at 6:00" in page
    assert "<script" not in page
    assert "default-src 'none'" in page  # nothing fetched, nothing run


def test_names_are_escaped():
    page = family_cards_html(
        f"Room {EVIL}", [FamilyCard(EVIL, f"{EVIL} R.", "en", "ABCDEF234567")], GIVEN
    )
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_spanish_familys_card_is_in_spanish(tmp_path):
    catalogue = spanish_catalogue(tmp_path)
    cards = [
        FamilyCard("Rosa", "Maya R.", "es", "ABCDEF234567"),
        FamilyCard("Sam", "Omar H.", "en", "GHJKMN234567"),
    ]
    page = family_cards_html(
        "Room 12", cards, GIVEN, (dt.date(2026, 10, 20), "18:00"), catalogue=catalogue
    )
    spanish, english = re.findall(r"<section.*?</section>", page, flags=re.S)
    assert 'lang="es"' in spanish and 'lang="en"' in english
    assert "La familia de Maya" in spanish and "Para Rosa" in spanish
    assert "Entregada el 15 de octubre de 2026" in spanish
    assert "Próxima reunión de familias: 20 de octubre de 2026 a las 18:00" in spanish
    assert "The family of" not in spanish
    assert "The family of Omar" in english and "La familia" not in english


def test_no_contact_and_no_blocked_person_is_printed():
    shown = family(contact="555-0100, evenings")
    cards = cards_for([shown], {7: "ABCDEF234567", 8: "GHJKMN234567"})
    assert [c.guardian for c in cards] == ["Rosa"]  # Luis is blocked: no card
    page = family_cards_html("Room 12", cards, GIVEN)
    assert "555-0100" not in page and "evenings" not in page and "Luis" not in page
    assert "GHJKMN234567" not in page


def test_first_names():
    assert first_name("Maya R.") == "Maya" and first_name("Iris") == "Iris"
    assert first_name("") == ""


def test_the_agenda_is_escaped_and_in_the_language_asked(tmp_path):
    meeting = Meeting(
        id=1,
        class_id=1,
        title=f"Fractions night {EVIL}",
        held_on=dt.date(2026, 10, 20),
        starts_at="18:00",
        skill="4.NF.1",
        assessment_name="Unit 3",
        bins=None,
        agenda=({"title": {"en": "Welcome", "es": "Bienvenida"}, "minutes": 10},),
        activities=({"title": {"en": "Fraction strips"}, "materials": {}, "steps": {}},),
        involvement=("learning-at-home",),
    )
    english = agenda_html("Room 12", meeting)
    assert "Welcome" in english and "(10 min)" in english and "Fraction strips" in english
    assert "<script>alert" not in english and "&lt;script&gt;" in english
    spanish = agenda_html("Room 12", meeting, "es", spanish_catalogue(tmp_path))
    assert "Bienvenida" in spanish and "Lo que haremos" in spanish
    assert "20 de octubre de 2026 a las 18:00" in spanish
    assert "Fraction strips" in spanish  # the teacher wrote it in English only
