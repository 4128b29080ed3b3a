"""Printable pages for a class's families, made offline: the family cards (one per
guardian, each their own way into the family's page) and a class family meeting's short
agenda.

Each is one self-contained page made offline (:mod:`collab_widgets.core.printing`:
autoescaped, inline CSS, QR codes as inline SVG, no script, a Content-Security-Policy that
forbids anything else).
Each card is in its family's language (:data:`collab_widgets.families.texts.CARD` through
the families' catalogue; dates in the language's conventions).

What a card may show is in :class:`FamilyCard`: the guardian's name as the teacher calls
them, the child's first name, the class and the guardian's own link. No contact, no
result, no other family: none is passed in, so none can appear.

Pure: no store, no widgets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from collab_widgets.core.i18n import Catalogue, format_date, format_time, language_of
from collab_widgets.core.printing import ENV, print_page, qr_svg, sheets
from collab_widgets.families import texts
from collab_widgets.families.model import Family, Meeting
from collab_widgets.team import links

CARDS_PER_SHEET = 4  # 2 × 2 on A4 or Letter: big enough to read and scan


@dataclass(frozen=True)
class FamilyCard:
    """One guardian's card: ``code`` is their own link code (shown once: printed here)."""

    guardian: str
    child: str  # the child's name as the teacher sees it; the card shows the first name
    language: str  # the family's language
    code: str


def cards_for(families: Sequence[Family], codes: dict[int, str]) -> list[FamilyCard]:
    """The cards of the guardians in ``codes`` (guardian id -> their new link code), in
    the class's order, each in its family's language. A blocked guardian gets none."""
    return [
        FamilyCard(guardian.name, family.child, family.language, codes[guardian.id])
        for family in families
        for guardian in family.guardians
        if guardian.id in codes and not guardian.blocked
    ]


def first_name(child: str) -> str:
    """The first word of a child's shown name ("Maya R." → "Maya")."""
    words = child.split()
    return words[0] if words else child


_CARDS = """<p class="how">Print on A4 or Letter paper (4 cards a sheet) and cut along the dashed
lines. Give each person their own card: its link opens their family's page, and only that.
Each card is in its family's language.</p>
{% for sheet in sheets %}<div class="sheet">
{% for card in sheet %}<section class="card" lang="{{ card.lang }}" aria-label="{{ card.label }}">
  <h1>{{ card.title }}</h1>
  <p class="child">{{ card.family_of }}</p>
  <p class="class-name">{{ class_name }}</p>
  <p class="for">{{ card.for }}</p>
  <div class="qr">{{ card.qr }}</div>
  <p class="scan">{{ card.scan }}</p>
  <p class="link">{{ card.link }}</p>
  <p class="private">{{ card.private }}</p>
  {% if card.next %}<p class="next">{{ card.next }}</p>{% endif %}
  <p class="small">{{ card.given }} · {{ card.lost }}</p>
</section>
{% endfor %}</div>
{% endfor %}"""

_CARDS_CSS = """
.card { padding: 5mm; }
h2 { font-size: 13pt; margin: 5mm 0 2mm; }
.sheet { grid-template-columns: 1fr 1fr; grid-auto-rows: 130mm; }
.card p { margin: 0 0 1.5mm; overflow-wrap: anywhere; }
.child { font-size: 15pt; font-weight: 700; }
.class-name, .for { font-size: 10pt; color: #333; }
.qr { width: 40mm; margin: 2mm 0; }
.scan { font-size: 9pt; }
.link { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 8.5pt; }
.private, .next { font-size: 9.5pt; }
.small { font-size: 8pt; color: #333; }
"""

_AGENDA = """<main class="agenda">
  <h1>{{ title }}</h1>
  <p class="when">{{ class_name }} · {{ when }}</p>
  <p><b>{{ skill_label }}:</b> {{ skill }}</p>
  <h2>{{ agenda_label }}</h2>
  <ol>{% for item in items %}
    <li>{{ item.title }} <span class="minutes">({{ item.minutes }})</span></li>
  {% endfor %}</ol>
  {% if activities %}<h2>{{ activities_label }}</h2>
  <ul>{% for title in activities %}<li>{{ title }}</li>{% endfor %}</ul>{% endif %}
</main>"""

_AGENDA_CSS = """
.agenda { max-width: 180mm; margin: 0 auto; font-size: 13pt; }
.agenda h1 { font-size: 20pt; overflow-wrap: anywhere; }
.agenda li { margin: 0 0 2mm; overflow-wrap: anywhere; }
.minutes { color: #333; white-space: nowrap; }
.when { color: #333; }
"""


def _card_words(catalogue: Catalogue, lang: str) -> Callable[..., str]:
    """A card's text ``key`` of :data:`texts.CARD` in ``lang``, filled with ``values``."""

    def say(key: str, /, **values) -> str:
        return catalogue.text(lang, texts.CARD[key], **values)

    return say


def family_cards_html(
    class_name: str,
    cards: Sequence[FamilyCard],
    issued_on: dt.date,
    next_meeting: tuple[dt.date, str] | None = None,
    link_for: Callable[[str], str] = links.family_link,
    catalogue: Catalogue = texts.CATALOGUE,
) -> str:
    """One card per guardian, in the family's language: the child's first name, the
    class, whom the card is for, a QR code of ``link_for(code)`` (by default the family
    page with the code after ``#``, which no server sees) and the link written out, the
    day it was given and, when one is planned (``(day, "HH:MM")``), the next class family
    meeting."""
    shown = []
    for card in cards:
        lang = language_of(card.language)
        say = _card_words(catalogue, lang)
        link = link_for(card.code)
        child = first_name(card.child)
        next_line = ""
        if next_meeting is not None:
            day, time = next_meeting
            next_line = say(
                "next_meeting",
                date=format_date(day, lang),
                time=format_time(dt.time.fromisoformat(time), lang),
            )
        shown.append(
            {
                "lang": lang,
                "label": f"{card.guardian} · {child}",
                "title": say("title"),
                "family_of": say("family_of", child=child),
                "for": say("for", guardian=card.guardian),
                "qr": qr_svg(link, say("title")),
                "scan": say("scan"),
                "link": link,
                "private": say("private"),
                "next": next_line,
                "given": say("given", date=format_date(issued_on, lang)),
                "lost": say("lost"),
            }
        )
    body = ENV.from_string(_CARDS).render(
        sheets=sheets(shown, CARDS_PER_SHEET), class_name=class_name
    )
    return print_page(f"Family cards — {class_name}", _CARDS_CSS, body)


def agenda_html(
    class_name: str,
    meeting: Meeting,
    language: str = "en",
    catalogue: Catalogue = texts.CATALOGUE,
) -> str:
    """A class family meeting's short agenda to print or project, in ``language``: the
    meeting, the skill, each item with its minutes and the home activities' titles (a
    teacher's text missing in that language is shown in English). No result, no family."""
    lang = language_of(language)

    def say(message: str, /, **values) -> str:
        return catalogue.text(lang, message, **values)

    def written(versions: dict) -> str:
        return versions.get(lang) or versions.get("en") or next(iter(versions.values()), "")

    when = say(
        texts.PAGE["meeting_when"],
        date=format_date(meeting.held_on, lang),
        time=format_time(dt.time.fromisoformat(meeting.starts_at), lang),
    )
    body = ENV.from_string(_AGENDA).render(
        title=meeting.title,
        class_name=class_name,
        when=when,
        skill_label=say(texts.PAGE["skill"]),
        skill=meeting.skill,
        agenda_label=say(texts.PAGE["agenda"]),
        items=[
            {
                "title": written(item.get("title", {})),
                "minutes": say(texts.PAGE["minutes"], minutes=item.get("minutes", 0)),
            }
            for item in meeting.agenda
        ],
        activities_label=say(texts.PAGE["activities"]),
        activities=[written(a.get("title", {})) for a in meeting.activities],
    )
    return print_page(f"{meeting.title} — {class_name}", _AGENDA_CSS, body, lang)
