"""Printable pages made offline (a class's cards and posters, a family's cards, an agenda):
one self-contained HTML page each, as the meeting record is
(:mod:`collab_widgets.reports.render`). Autoescape is on, so every name comes out as text;
the CSS is inline and names no font or ``url()``; QR codes are inline SVG made here by
``segno``; there is no script; and a Content-Security-Policy ``<meta>`` forbids anything
else. Nothing is fetched, so the pages print the same with no network. A domain gives the
page's body (already escaped: a template of the same environment, :data:`ENV`) and its
own CSS."""

from __future__ import annotations

import jinja2
import segno
from markupsafe import Markup

POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)
ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)

_FRAME = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ policy }}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
@page { size: auto; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #000; background: #fff; margin: 0; padding: 10mm; line-height: 1.35; }
.how { color: #333; margin: 0 0 6mm; max-width: 190mm; }
.sheet { display: grid; gap: 4mm; width: 190mm; margin: 0 0 8mm; }
.sheet + .sheet { break-before: page; }
.card { border: 1px dashed #555; padding: 4mm 5mm; break-inside: avoid; overflow: hidden; }
.qr svg { display: block; width: 100%; height: auto; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
@media print {
  body { padding: 0; }
  .how { display: none; }
  .sheet { margin: 0; }
}
{{ css }}
</style>
</head>
<body>
{{ body }}
</body>
</html>
"""


def print_page(title: str, css: str, body: str, lang: str = "en") -> str:
    """The whole page: ``body`` (markup) and ``css`` inside the shared frame."""
    return ENV.from_string(_FRAME).render(
        title=title, lang=lang, policy=Markup(POLICY), css=Markup(css), body=Markup(body)
    )


def qr_svg(text: str, label: str) -> Markup:
    """``text`` as a QR code: inline SVG that scales to its box (the ``label`` is its
    title, escaped by segno)."""
    qr = segno.make(text, error="m")
    svg = qr.svg_inline(border=2, omitsize=True, title=label, svgclass=None, lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1))


def sheets(items: list, size: int) -> list[list]:
    """``items`` in sheets of ``size`` (one empty sheet for none)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]
