"""'How is this calculated?': every results view is explained, in plain words, with the
team's own settings."""

from __future__ import annotations

import pytest

from collab_widgets.evidence.explain import how_calculated
from collab_widgets.evidence.model import EvidenceSettings
from collab_widgets.evidence.ui.results import SECTIONS

TEAM_SETTINGS = EvidenceSettings(
    band_names=("Not yet", "Nearly", "Secure"),
    band_cuts=(55.0, 75.0),
    group_cuts=(50.0, 70.0, 85.0),
    min_n=7,
)


@pytest.mark.parametrize("section", SECTIONS)
def test_each_view_has_plain_paragraphs(section):
    paragraphs = how_calculated(section, EvidenceSettings())
    assert paragraphs and all(p.endswith((".", ")")) for p in paragraphs)
    text = " ".join(paragraphs)
    for word in ("pandas", "NaN", "None", ".py", "dtype", "DataFrame", "function"):
        assert word not in text


def test_the_team_s_bands_cut_points_and_smallest_group_are_the_ones_explained():
    assert "Not yet below 55%; Nearly from 55%; Secure from 75%" in " ".join(
        how_calculated("Overview", TEAM_SETTINGS)
    )
    assert "fewer than 7 students" in " ".join(how_calculated("Subgroups", TEAM_SETTINGS))
    groups = " ".join(how_calculated("Groups", TEAM_SETTINGS))
    assert "Below 50%: intervention" in groups and "From 85%: extension" in groups
    assert "less than 70% of the points" in groups
    assert "below 50% before" in " ".join(how_calculated("Growth", TEAM_SETTINGS))


def test_an_unknown_view_is_refused():
    with pytest.raises(ValueError):
        how_calculated("Heatmap", EvidenceSettings())
