"""The parts that need the browser: the Copy button of a link, the device's memory of a
personal link, and a chart picture with its alt text. Their modules ship beside the
package and fetch nothing from outside."""

from __future__ import annotations

import re

from collab_widgets.core.ui.browser_parts import ChartImage, CopyLink, DeviceMemory

SENT_TO_THE_BROWSER = {"value", "description", "team", "token", "alt"}


def test_each_part_ships_its_module_and_loads_nothing_from_outside():
    for part in (CopyLink, DeviceMemory, ChartImage):
        module = part._esm
        assert "export default" in module, part.__name__
        assert not re.search(r"https?://|\bimport\s*\(|from\s+['\"]http", module), part.__name__


def test_a_copy_link_shows_the_link_and_names_its_button():
    link = CopyLink(value="http://localhost:8866/?team=ABC", description="Copy your link")
    state = link.get_state()
    assert state["value"] == "http://localhost:8866/?team=ABC"
    assert state["description"] == "Copy your link"
    assert CopyLink().description == "Copy the link"


def test_the_device_memory_starts_empty_and_syncs_its_team_and_token():
    memory = DeviceMemory()
    assert (memory.team, memory.token) == ("", "")
    memory.team, memory.token = "TEAMCODE", "personal-token"
    state = memory.get_state()
    assert (state["team"], state["token"]) == ("TEAMCODE", "personal-token")
    synced = {name for name in memory.keys if not name.startswith("_")}
    assert SENT_TO_THE_BROWSER & synced == {"team", "token"}


def test_a_chart_image_sets_its_alt_text_as_an_attribute_from_its_bytes():
    module = ChartImage._esm
    assert 'img.alt = model.get("alt")' in module  # text, never inner HTML
    assert "innerHTML" not in module
    assert "URL.createObjectURL(new Blob([png]" in module  # the bytes, in the page
    made = ChartImage(value=b"\x89PNG", alt="Students per band")
    assert made.value == b"\x89PNG" and made.alt == "Students per band"
