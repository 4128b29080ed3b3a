import pytest

from collab_widgets.core.db import activity
from collab_widgets.core.errors import InvalidInput, NotFound
from collab_widgets.history import store as trash
from collab_widgets.team.model import NORM_CATEGORIES
from collab_widgets.team.norm_library import load_suggestions
from collab_widgets.team.store import norms


def test_suggestions_cover_every_category_as_commitments():
    suggestions = load_suggestions()
    assert set(suggestions) == set(NORM_CATEGORIES)
    for sentences in suggestions.values():
        assert len(sentences) >= 3
        assert all(s.startswith(("We ", "What ", "Once ")) for s in sentences)


def test_a_broken_suggestions_file_names_file_line_and_field(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("source: me\ncategories:\n  time:\n    - ok\n  gossip:\n    - no\n")
    with pytest.raises(InvalidInput, match=r"mine.yaml, line 5: category 'gossip'"):
        load_suggestions(path)
    path.write_text("source: me\ncategories:\n  time: just one string\n")
    with pytest.raises(InvalidInput, match=r"line 3: field 'categories.time'"):
        load_suggestions(path)
    path.write_text("categories: [unclosed\n")
    with pytest.raises(InvalidInput, match=r"mine.yaml, line \d+: not valid YAML"):
        load_suggestions(path)
    path.write_text("categories:\n  time:\n    - ok\n")
    with pytest.raises(InvalidInput, match="'source'"):
        load_suggestions(path)


@pytest.mark.parametrize(
    "typed",
    [
        "  We start on time.  ",
        "Nous commençons à l'heure 🙂",
        "時間を守ります",
        "<script>alert(1)</script> & $x$",
        "",
    ],
)
def test_norm_text_is_saved_exactly_as_typed(team, typed):
    norm = norms.add(team.member(0), "time")
    norms.set_text(team.member(1), norm.id, typed)
    assert norms.norms(team.member(2))[0].text == typed


def test_a_very_long_norm_is_refused_and_the_saved_text_kept(team):
    norm = norms.add(team.member(0), "time", "We start on time.")
    with pytest.raises(InvalidInput, match="10,000 characters"):
        norms.set_text(team.member(0), norm.id, "x" * 10_000)
    assert norms.norms(team.member(0))[0].text == "We start on time."


def test_unknown_category_is_refused(team):
    with pytest.raises(InvalidInput, match="not a norm category"):
        norms.add(team.member(0), "gossip", "x")


def test_reorder_retire_and_bring_back(team):
    scope = team.as_coach
    a, b, c = (norms.add(scope, "time", t) for t in "ABC")
    norms.move(scope, c.id, -2)
    assert [n.text for n in norms.norms(scope)] == ["C", "A", "B"]
    norms.move(scope, c.id, 10)
    assert [n.text for n in norms.norms(scope)] == ["A", "B", "C"]
    norms.retire(scope, b.id)
    assert [n.text for n in norms.norms(scope, include_retired=False)] == ["A", "C"]
    assert [n.retired for n in norms.norms(scope)] == [False, True, False]
    norms.retire(scope, b.id, retired=False)
    assert not any(n.retired for n in norms.norms(scope))


def test_delete_goes_to_trash_and_comes_back(team):
    norm = norms.add(team.member(0), "listening", "We listen.")
    norms.delete(team.member(0), norm.id)
    assert norms.norms(team.member(0)) == []
    assert [(i.kind, i.label) for i in trash.items(team.member(0))] == [("norm", "We listen.")]
    with pytest.raises(NotFound):
        norms.set_text(team.member(0), norm.id, "edited while deleted")
    trash.restore(team.member(0), "norm", norm.id)
    assert [n.text for n in norms.norms(team.member(0))] == ["We listen."]
    kinds = [e.kind for e in activity.entries(team.member(0))]
    assert kinds[:3] == ["trash", "norms", "norms"]
