"""Fixtures the tests in this folder share."""

from __future__ import annotations

import pytest

from collab_widgets.instruments.schema import parse

# Line numbers are on the left for reading the tests below; they are not in the file.
#  1 id: pulse
#  2 title: Pulse
#  3 purpose: Try the scoring.
#  4 scale:
#  5   min: 1
#  6   max: 6
#  7   labels: [a, b, c, d, e, f]
#  8 min_respondents: 3
#  9 subscales:
# 10   comp: Competence
# 11   task: Task
# 12 items:
# 13   - key: c1
# 14     text: One.
# 15     subscale: comp
# 16   - key: c2
# 17     text: Two.
# 18     subscale: comp
# 19     reverse: true
# 20   - key: t1
# 21     text: Three.
# 22     subscale: task
# 23 source: Our own words.
VALID = """\
id: pulse
title: Pulse
purpose: Try the scoring.
scale:
  min: 1
  max: 6
  labels: [a, b, c, d, e, f]
min_respondents: 3
subscales:
  comp: Competence
  task: Task
items:
  - key: c1
    text: One.
    subscale: comp
  - key: c2
    text: Two.
    subscale: comp
    reverse: true
  - key: t1
    text: Three.
    subscale: task
source: Our own words.
"""


@pytest.fixture
def pulse():
    return parse(VALID, "pulse.yaml")


@pytest.fixture(autouse=True)
def no_coach_folder(monkeypatch):
    monkeypatch.delenv("COLLAB_INSTRUMENTS", raising=False)
