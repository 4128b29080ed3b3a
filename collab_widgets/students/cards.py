"""Printable pages for a class, made offline: the students' cards (each student's way into
their own page), the class poster for the board, group cards and tutoring pair cards.

Each is one self-contained page made offline (:mod:`collab_widgets.core.printing`:
autoescaped, inline CSS, QR codes as inline SVG, no script, a Content-Security-Policy that
forbids anything else).

What a page may show is in the signatures: a card holds a student's display name and the
codes that open their page; group and pair cards hold names and the group only. No
attribute, "keep apart" choice, band or score is ever passed in, so none can appear.

Pure: no store, no widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from collab_widgets.core import codes
from collab_widgets.core.printing import ENV, print_page, qr_svg, sheets
from collab_widgets.team import links

CARDS_PER_SHEET = 8  # 2 × 4 on A4 or Letter
GROUPS_PER_SHEET = 4
PAIRS_PER_SHEET = 6
KEEP_LINE = (
    "Keep this card: with the class code on the board, it opens your page. Nothing else "
    "about you is on it."
)


_CARDS = """<p class="how">Print on A4 or Letter paper (8 cards a sheet) and cut along the dashed
lines. Give each student their own card: its code opens their page, and only theirs.</p>
{% for sheet in sheets %}<div class="sheet">
{% for card in sheet %}<section class="card" aria-label="Card of {{ card.name }}">
  <div class="text">
    <p class="name">{{ card.name }}</p>
    <p class="class-name">{{ class_name }}</p>
    <p class="code-line">Your code <strong class="code">{{ card.code }}</strong></p>
    <p class="keep">{{ keep }}</p>
  </div>
  <div class="qr">{{ card.qr }}</div>
</section>
{% endfor %}</div>
{% endfor %}"""

_CARDS_CSS = """
.sheet { grid-template-columns: 1fr 1fr; grid-auto-rows: 60mm; }
.card { display: flex; gap: 3mm; align-items: center; }
.text { flex: 1; min-width: 0; }
.text p { margin: 0 0 1.5mm; }
.name { font-size: 15pt; font-weight: 700; overflow-wrap: anywhere; }
.class-name { font-size: 9pt; color: #333; overflow-wrap: anywhere; }
.code-line { font-size: 9pt; }
.code { display: block; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13pt;
        letter-spacing: 0.05em; }
.keep { font-size: 8pt; color: #333; }
.qr { flex: none; width: 32mm; }
"""

_POSTER = """<main class="poster">
  <h1>{{ class_name }}</h1>
  <p class="lead">Your class code</p>
  <p class="code">{{ class_code }}</p>
  <div class="qr">{{ qr }}</div>
  <p class="lead">Scan the square, or open this address, then type the code on your card:</p>
  <p class="address">{{ link }}</p>
</main>"""

_POSTER_CSS = """
.poster { text-align: center; max-width: 190mm; margin: 0 auto; }
.poster h1 { font-size: 24pt; overflow-wrap: anywhere; }
.lead { font-size: 16pt; margin: 4mm 0 2mm; }
.code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 64pt; font-weight: 700;
        letter-spacing: 0.12em; margin: 0 0 4mm; }
.qr { width: 110mm; margin: 0 auto; }
.address { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12pt;
           overflow-wrap: anywhere; }
"""

_GROUPS = """<p class="how">Print and cut along the dashed lines: one card for each group's
table.</p>
{% for sheet in sheets %}<div class="sheet">
{% for group in sheet %}<section class="card" aria-label="{{ group.label }}">
  <p class="title">{{ title }} · {{ class_name }}</p>
  <h1>{{ group.label }}</h1>
  <ul>{% for name in group.names %}<li>{{ name }}</li>{% endfor %}</ul>
</section>
{% endfor %}</div>
{% endfor %}"""

_GROUPS_CSS = """
.sheet { grid-template-columns: 1fr 1fr; grid-auto-rows: 122mm; }
.title { font-size: 9pt; color: #333; margin: 0 0 2mm; overflow-wrap: anywhere; }
.card h1 { font-size: 22pt; overflow-wrap: anywhere; }
.card ul { list-style: none; padding: 0; margin: 0; font-size: 16pt; }
.card li { padding: 1.5mm 0; border-bottom: 1px solid #ccc; overflow-wrap: anywhere; }
"""

_PAIRS = """<p class="how">Print and cut along the dashed lines: one card for each tutoring
pair.</p>
{% for sheet in sheets %}<div class="sheet">
{% for pair in sheet %}<section class="card" aria-label="{{ pair.label }}">
  <p class="title">{{ title }} · {{ class_name }}</p>
  <h1>{{ pair.label }}</h1>
  <ul>{% for name in pair.names %}<li>{{ name }}</li>{% endfor %}</ul>
  {% if pair.schedule %}<p class="schedule">{{ pair.schedule }}</p>{% endif %}
</section>
{% endfor %}</div>
{% endfor %}"""

_PAIRS_CSS = """
.sheet { grid-template-columns: 1fr 1fr; grid-auto-rows: 80mm; }
.title { font-size: 9pt; color: #333; margin: 0 0 2mm; overflow-wrap: anywhere; }
.card h1 { font-size: 18pt; }
.card ul { list-style: none; padding: 0; margin: 0 0 2mm; font-size: 16pt; }
.card li { padding: 1mm 0; overflow-wrap: anywhere; }
.schedule { font-size: 11pt; margin: 0; overflow-wrap: anywhere; }
"""


def cards_html(
    class_name: str,
    students: Sequence[tuple[str, str]],
    link_for: Callable[[str], str] = lambda card: links.student_link(card_code=card),
) -> str:
    """One card per student (display name, card code): their name, their own code grouped
    for reading, and a QR code of ``link_for(card_code)`` (by default the students' page
    with the card's code after ``#``, which no server sees). Never the class code: the
    student reads it on the board, so a lost card alone opens nothing."""
    cards = [
        {
            "name": name,
            "code": codes.display(codes.normalize(card)),
            "qr": qr_svg(link_for(codes.normalize(card)), "QR code of your page"),
        }
        for name, card in students
    ]
    body = ENV.from_string(_CARDS).render(
        sheets=sheets(cards, CARDS_PER_SHEET), class_name=class_name, keep=KEEP_LINE
    )
    return print_page(f"Student cards — {class_name}", _CARDS_CSS, body)


def class_poster_html(class_name: str, class_code: str, link: str) -> str:
    """For the board: the class code, big, and a QR code of ``link`` (the students' page
    with the class code filled in; each student then types their own card's code)."""
    body = ENV.from_string(_POSTER).render(
        class_name=class_name,
        class_code=class_code,
        link=link,
        qr=qr_svg(link, "QR code of the class page"),
    )
    return print_page(f"Class code — {class_name}", _POSTER_CSS, body)


def group_cards_html(
    class_name: str, title: str, groups: Sequence[tuple[str, Sequence[str]]]
) -> str:
    """One card per group: its label and its members' names, nothing else."""
    shown = [{"label": label, "names": list(names)} for label, names in groups]
    body = ENV.from_string(_GROUPS).render(
        sheets=sheets(shown, GROUPS_PER_SHEET), class_name=class_name, title=title
    )
    return print_page(f"{title} — {class_name}", _GROUPS_CSS, body)


def pair_cards_html(
    class_name: str, title: str, pairs: Sequence[tuple[str, str, str | None, str]]
) -> str:
    """One card per tutoring pair (or triad): the two or three names and the line saying
    when roles swap (``schedule_line``), nothing else."""
    shown = [
        {
            "label": f"Pair {number}" if third is None else f"Trio {number}",
            "names": [name for name in (first, second, third) if name is not None],
            "schedule": schedule,
        }
        for number, (first, second, third, schedule) in enumerate(pairs, start=1)
    ]
    body = ENV.from_string(_PAIRS).render(
        sheets=sheets(shown, PAIRS_PER_SHEET), class_name=class_name, title=title
    )
    return print_page(f"{title} — {class_name}", _PAIRS_CSS, body)
