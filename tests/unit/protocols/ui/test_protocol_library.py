"""The protocol library screen: each protocol described (purpose, when, roles, steps,
source), a coach's own file shown as text, and the files that could not be loaded."""

from __future__ import annotations

import pytest

from collab_widgets.protocols.library import Library, load_library
from collab_widgets.protocols.ui.protocol_library import LibraryPanel, protocol_html

OURS = """\
id: ours
title: Our <b>own</b> check
purpose: See whether <script>alert(1)</script> works.
when: Before & after a unit.
roles: [facilitator, presenter, participants]
minutes: 10
steps:
  - key: share
    title: Share <i>it</i>
    minutes: 6
    input: board
    speakers: [presenter]
    silent: [participants]
    prompt: Say what you <u>saw</u>.
  - key: decide
    title: Decide
    minutes: 4
    input: round
    speakers: [everyone]
    prompt: Each says what they choose.
source: Our team's <em>notes</em>
links:
  - https://example.org/a?b=1&c="2"
"""


@pytest.fixture
def library(tmp_path) -> Library:
    """The shipped protocols, a coach's own, and a file that cannot be loaded."""
    (tmp_path / "ours.yaml").write_text(OURS)
    (tmp_path / "broken.yaml").write_text("title: <b>Broken</b>\nsteps: 3\n")
    return load_library(tmp_path)


def test_a_protocol_is_described_step_by_step_with_what_each_step_collects(library):
    shown = protocol_html(library.get("ours"))
    assert "<b>Roles.</b> facilitator, presenter, participants · <b>10 minutes</b></p>" in shown
    assert (
        "<tr><td>1</td><td><b>Share &lt;i&gt;it&lt;/i&gt;</b><br><small>Say what you "
        "&lt;u&gt;saw&lt;/u&gt;.</small></td><td>6</td><td>sticky notes on a shared board</td>"
        "<td>presenter</td><td>participants</td></tr>"
    ) in shown
    assert "<td>a round: each member speaks in turn</td><td>everyone</td><td></td>" in shown
    assert "notes anonymous" not in shown
    assert "· notes anonymous</p>" in protocol_html(library.get("chalk-talk"))


def test_a_coach_files_text_and_links_are_shown_as_text(library):
    shown = protocol_html(library.get("ours"))
    assert "<b>Purpose.</b> See whether &lt;script&gt;alert(1)&lt;/script&gt; works." in shown
    assert "<b>When.</b> Before &amp; after a unit." in shown
    assert "<script>" not in shown and "<u>" not in shown and "<em>" not in shown
    assert (
        '<a href="https://example.org/a?b=1&amp;c=&quot;2&quot;" target="_blank" rel="noopener">'
    ) in shown
    assert "<b>Source.</b> Our team&#x27;s &lt;em&gt;notes&lt;/em&gt;" in shown


def test_the_source_can_be_left_out(library):
    shown = protocol_html(library.get("ours"), with_source=False)
    assert "Source." not in shown and "example.org" not in shown
    assert "<b>Purpose.</b>" in shown


def test_the_panel_offers_protocols_by_title_and_describes_the_one_chosen(library):
    panel = LibraryPanel(library)
    titles = [title for title, _ in panel.choice.options]
    assert titles == sorted(titles, key=str.casefold) and "Our <b>own</b> check" in titles
    assert panel.choice.value == library.sorted()[0].key
    assert panel.details.value == protocol_html(library.sorted()[0])
    panel.choice.value = "ours"
    assert panel.details.value == protocol_html(library.get("ours"))


def test_files_that_could_not_be_loaded_are_listed_with_what_to_fix(library, monkeypatch):
    monkeypatch.delenv("COLLAB_PROTOCOLS", raising=False)
    panel = LibraryPanel(library)
    problems = panel.children[2].value
    assert "Some protocol files could not be loaded; the others are here." in problems
    assert "<li>broken.yaml, line 2, field &#x27;steps&#x27;" in problems
    assert "ours" in dict((v, t) for t, v in panel.choice.options)  # the others still load
    assert LibraryPanel(load_library()).children[2].value == ""


def test_an_empty_library_shows_no_protocol_and_no_error():
    panel = LibraryPanel(Library())
    assert panel.choice.options == () and panel.choice.value is None
    assert panel.details.value == ""
