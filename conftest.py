"""Session-wide test setup shared by unit, notebook and browser tests.

Every test run gets its own temporary store and a fixed "today", so no test touches a
real database. The workbooks under ``workbooks/`` run under ``pytest --nbval-lax``
against that store, opened with a demo member's personal link (``QUERY_STRING``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

TODAY = "2026-10-15"


def pytest_configure(config):
    folder = Path(tempfile.mkdtemp(prefix="collab-tests-"))
    os.environ["COLLAB_TODAY"] = TODAY
    os.environ["COLLAB_DB_URL"] = f"sqlite:///{folder / 'notebooks.sqlite'}"
    os.environ.setdefault("MPLBACKEND", "Agg")
    from collab_widgets.core import clock

    clock.use_clock(clock._clock_from_environment())
    from collab_widgets.core.db import Store
    from collab_widgets.demo.sample import seed_demo

    store = Store(os.environ["COLLAB_DB_URL"])
    demo = seed_demo(store)
    store.close()
    team = "Grade 4 Math"
    token = next(iter(demo.member_tokens[team].values()))
    os.environ["QUERY_STRING"] = f"team={demo.team_codes[team]}&member={token}"
