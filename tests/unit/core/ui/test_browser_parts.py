"""The two parts that need the browser: the Copy button of a link and the device's memory
of a personal link. Their modules ship beside the package and fetch nothing from outside."""

from __future__ import annotations

import re

from collab_widgets.core.ui.browser_parts import CopyLink, DeviceMemory

SENT_TO_THE_BROWSER = {"value", "description", "team", "token"}


def test_each_part_ships_its_module_and_loads_nothing_from_outside():
    for part in (CopyLink, DeviceMemory):
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
