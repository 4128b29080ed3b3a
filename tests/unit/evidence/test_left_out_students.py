"""A student with no score is left out of an assessment: the uploader's report names them
(the uploader holds the file), the saved warning every member and notebook sees names no
one, and one saved before that rule is read without the ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from collab_widgets.core.db import Store
from collab_widgets.evidence import saved, store
from collab_widgets.evidence.app import EvidenceApp
from collab_widgets.evidence.scores import read_scores
from collab_widgets.lab.team_data import team_data
from tests.unit.evidence.test_app import page, upload

DATA = Path(__file__).resolve().parents[1] / "data"

SCORES = pd.DataFrame(
    {
        "Student ID": [f"S{n:03}" for n in range(12)] + ["S999"],
        "Q1": [1] * 12 + [None],
        "Q2": [0, 1] * 6 + [None],
    }
)


def test_the_saved_warning_names_no_student_and_the_report_does(sqlite_team, tmp_path):
    scores = read_scores(SCORES, name="Left out")
    assert scores.left_out == ("S999",)
    assert "1 student has no scores at all and is left out." in scores.warnings
    assert not any("S999" in w for w in scores.warnings)
    assessment = saved.save(sqlite_team.member(0), scores, "Left out")
    info = store.assessments(sqlite_team.member(0))[0]
    assert info.id == assessment and not any("S999" in w for w in info.warnings)
    lab = team_data(sqlite_team.member(0)).scores("Left out")
    assert not any("S999" in w for w in lab.warnings) and "S999" not in repr(lab)

    app: EvidenceApp = page(sqlite_team, 0)
    file = tmp_path / "left_out.csv"
    SCORES.to_csv(file, index=False)
    upload(app.upload.scores_file, file)
    assert "Left out, with no score in the file: S999" in app.upload.report.value


def test_a_warning_saved_with_ids_before_is_upgraded_without_them(tmp_path):
    """An assessment saved before version 12 named the students left out; upgrading the
    database takes the ids out of its saved warning (an old database file of version 11)."""
    old = tmp_path / "v11.sqlite"
    shutil.copy(DATA / "schema_v11.sqlite", old)
    store_v12 = Store(f"sqlite:///{old}")
    scope = store_v12.open_team("T333-3333-3333", "M44444444444")
    (info,) = [a for a in store.assessments(scope) if a.name == "October quiz"]
    assert "2 students have no scores at all and are left out." in info.warnings
    assert not any("S90" in w for w in info.warnings)
    store_v12.close()
