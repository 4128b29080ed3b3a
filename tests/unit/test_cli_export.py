"""`collab export`: a meeting's record written as HTML and Markdown, never over a file, and
a plain message for an unknown meeting. The fixed clock stands at 2026-10-15 15:00 UTC."""

from __future__ import annotations

from collab_widgets.actions import store as actions
from collab_widgets.cli import main
from collab_widgets.reflection import store as reflections
from collab_widgets.reports.collect import collect
from collab_widgets.reports.record import file_stem
from tests.unit.store_helpers import PRIVATE


def _export(team, meeting, folder):
    return main(
        [
            "--db",
            team.store.url,
            "export",
            "--team",
            team.code,
            "--meeting",
            str(meeting),
            "--out",
            str(folder),
        ]
    )


def test_collab_export_writes_the_record_as_html_and_markdown(team, meeting, tmp_path, capsys):
    actions.decide(team.member(0), "Use the new rubric", "vote", "4-0", meeting)
    reflections.save_own(team.member(1), meeting, "what", PRIVATE)
    out = tmp_path / "out"
    out.mkdir()
    assert _export(team, meeting, out) == 0
    stem = file_stem(collect(team.as_coach, meeting))
    assert stem == "grade-4-math-meeting-2026-10-15"
    page = (out / f"{stem}.html").read_text(encoding="utf-8")
    markdown = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert "October meeting" in page and "Use the new rubric" in page
    assert "Use the new rubric" in markdown
    assert PRIVATE not in page + markdown
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.html", f"{stem}.md"]
    assert f"Written {out / stem}.html" in capsys.readouterr().out


def test_collab_export_of_an_unknown_meeting_says_so_plainly(team, meeting, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    assert _export(team, 987654, out) == 2
    err = capsys.readouterr().err
    assert err.startswith("collab: ") and "no longer there" in err
    assert "Traceback" not in err
    assert list(out.iterdir()) == []


def test_collab_export_does_not_overwrite_a_file(team, meeting, tmp_path, capsys):
    stem = file_stem(collect(team.as_coach, meeting))
    existing = tmp_path / f"{stem}.html"
    existing.write_text("keep me", encoding="utf-8")
    assert _export(team, meeting, tmp_path) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "Traceback" not in err
    assert existing.read_text(encoding="utf-8") == "keep me"


def test_collab_export_writes_nothing_when_either_file_exists(team, meeting, tmp_path, capsys):
    stem = file_stem(collect(team.as_coach, meeting))
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{stem}.md").write_text("keep me", encoding="utf-8")
    assert _export(team, meeting, out) == 2
    assert "already exists" in capsys.readouterr().err
    assert (out / f"{stem}.md").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.md"]
