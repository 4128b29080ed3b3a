"""Write the synthetic demo teams into a database (default: the one `collab` uses).

    python sample_data/make_demo.py [--db FILE_OR_URL]

The content (names, norms, roles, meetings, norms-check marks) is deterministic for a given
"today" (set COLLAB_TODAY=YYYY-MM-DD to fix it); the access codes are random. All names are
invented; there is no real person or student in it. The generator itself lives in
`collab_widgets/demo/sample.py` so that `collab seed --demo` uses the same code.
"""

import sys

from collab_widgets.cli import main

if __name__ == "__main__":
    sys.exit(main([*sys.argv[1:], "seed", "--demo"]))
