"""The printable pages of a class: students' cards with a QR code of their own link, the
class poster, group and pair cards. Every name escaped; no attribute, score or "keep apart"
choice can appear (the functions take names only); nothing fetched from anywhere."""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser

import pytest
import segno

from collab_widgets.students import cards
from collab_widgets.students.cards import (
    KEEP_LINE,
    cards_html,
    class_poster_html,
    group_cards_html,
    pair_cards_html,
)

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
STUDENTS = [("Maya R.", "qkgd-vfgb-yz"), ("Omar K.", "ZFJM5QGFWG"), (HOSTILE, "8ZUGATSHWF")]


def fake_link(card_code: str) -> str:
    return f"http://school.example/students#card={card_code}"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _all_pages() -> dict[str, str]:
    return {
        "cards": cards_html("7B <Science>", STUDENTS, fake_link),
        "poster": class_poster_html(
            "7B <Science>", "ABC234", "http://school.example/students?class=ABC234"
        ),
        "groups": group_cards_html(
            "7B <Science>", "Project teams", [("Group 1", ["Maya R.", HOSTILE]), ("Group 2", [])]
        ),
        "pairs": pair_cards_html(
            "7B <Science>",
            "Reading pairs",
            [("Maya R.", HOSTILE, None, "Roles swap every Monday"), ("A", "B", "C", "")],
        ),
    }


@pytest.mark.parametrize("kind", ["cards", "poster", "groups", "pairs"])
def test_every_page_is_self_contained_escaped_and_fetches_nothing(kind):
    page = _all_pages()[kind]
    parsed = Elements(page)
    names = [tag for tag, _ in parsed.tags]
    assert "script" not in names and "img" not in names and "link" not in names
    assert "iframe" not in names and "object" not in names
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("src", "href", "xlink:href", "action", "srcset", "poster"):
                raise AssertionError(f"{tag} loads {value}")
    assert "url(" not in page and "@import" not in page
    assert not re.search(r"(src|href)\s*=\s*[\"']?https?://", page)
    policy = next(a["content"] for t, a in parsed.tags if a.get("http-equiv"))
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    # a hostile name or class name is text, never markup
    assert "<script>" not in page and "<img" not in page
    if kind in ("cards", "groups", "pairs"):
        assert HOSTILE in "".join(parsed.text)
    assert "7B <Science>" in "".join(parsed.text)


def test_each_card_has_its_name_code_keep_line_and_a_qr_code_of_its_own_link():
    page = cards_html("7B Science", STUDENTS, fake_link)
    parsed = Elements(page)
    text = " ".join(parsed.text)
    sections = [a for t, a in parsed.tags if t == "section"]
    assert len(sections) == 3 and sections[0]["aria-label"] == "Card of Maya R."
    assert "QKGD-VFGB-YZ" in text and "ZFJM-5QGF-WG" in text  # grouped for reading
    assert text.count(KEEP_LINE) == 3 and "Class code" not in text  # the board has it
    svgs = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
    assert len(svgs) == 3
    # each QR code is exactly what segno makes of the student's own link (the card code
    # normalised, after #): the same modules drawn
    for svg, (_name, card) in zip(svgs, STUDENTS, strict=True):
        wanted = segno.make(fake_link(card.replace("-", "").upper()), error="m")
        path = re.search(r' d="([^"]+)"', svg).group(1)
        expected = re.search(
            r' d="([^"]+)"', wanted.svg_inline(border=2, omitsize=True, lineclass=None)
        ).group(1)
        assert path == expected
        assert 'role="img"' in svg and "viewBox" in svg


def test_a_card_links_to_the_students_page_with_its_code_after_the_hash_and_no_class_code(
    monkeypatch,
):
    monkeypatch.setenv("COLLAB_PUBLIC_URL", "http://school.example:8866")
    monkeypatch.delenv("COLLAB_SERVER_TOKEN", raising=False)
    made = []
    real = cards.qr_svg

    def spy(text: str, label: str):
        made.append(text)
        return real(text, label)

    monkeypatch.setattr(cards, "qr_svg", spy)
    cards_html("7B", [("Maya R.", "QKGDVFGBYZ")])
    assert made == ["http://school.example:8866/students#card=QKGDVFGBYZ"]


def test_eight_cards_a_sheet_each_sheet_on_its_own_page():
    page = cards_html("7B", [(f"Student {n}", "QKGDVFGBYZ") for n in range(17)], fake_link)
    sheets = page.split('<div class="sheet">')[1:]
    assert [sheet.count('<section class="card"') for sheet in sheets] == [8, 8, 1]
    assert ".sheet + .sheet { break-before: page; }" in page
    assert "@media print" in page


def test_group_and_pair_cards_take_names_only():
    """The signatures hold names, labels and a schedule line: an attribute, a band, a
    score or a "keep apart" choice has no way in."""
    for function in (group_cards_html, pair_cards_html, cards_html):
        parameters = list(inspect.signature(function).parameters)
        assert not {"attributes", "scores", "apart", "bands", "settings"} & set(parameters)
    groups = group_cards_html("7B", "Teams", [("Group 1", ["Maya R.", "Omar K."])])
    assert re.findall(r"<li>(.*?)</li>", groups) == ["Maya R.", "Omar K."]
    pairs = pair_cards_html("7B", "Pairs", [("Maya R.", "Omar K.", "Lena P.", "Swap Mondays")])
    assert re.findall(r"<li>(.*?)</li>", pairs) == ["Maya R.", "Omar K.", "Lena P."]
    assert "Trio 1" in pairs and "Swap Mondays" in pairs


def test_the_poster_shows_the_class_code_big_and_a_qr_code_of_the_link():
    link = "http://school.example/students?class=ABC234"
    page = class_poster_html("7B", "ABC234", link)
    assert '<p class="code">ABC234</p>' in page and link in page
    assert page.count("<svg") == 1
    wanted = segno.make(link, error="m").svg_inline(border=2, omitsize=True, lineclass=None)
    assert re.search(r' d="([^"]+)"', wanted).group(1) in page
