"""The defaults the verbs share: one place for each.

The api functions (``cohort_tools/*/api.py``) take their defaults from here, and the ``cda`` command
takes its option defaults from the api functions, so a default is written once. Internals that need
the same value import it from here too. (A default only one product's internals use may stay there,
e.g. ``book.build.DEFAULT_OUT``; its api function reads it from there.)
"""

from __future__ import annotations

from pathlib import Path

#: The nbgrader course folder, relative to where the command runs.
COURSE_DIR = Path("course")
#: The demo cohort's city the curriculum book's session notebooks run on.
DEMO_CITY = "riverton"

#: Where each product is written when no --out is given.
DEMO_OUTPUT_DIR = Path("demo-output")
PACKETS_DIR = Path("packets")
WORKSHEETS_DIR = Path("worksheets")  # `cda worksheets build` writes here
STRATEGY_DIR = Path("strategy")
COHORT_VIEW_DIR = Path("cohort-view")
KIT_DIR = Path("kit")
DEMO_CITY_DIR = Path("demo-city")

#: Seconds one cell of a coaching template may run when the packets are made.
PACKET_CELL_TIMEOUT = 300
#: Seconds one cell of a workshop may run when the course grades (nbgrader's Execute.timeout).
COURSE_CELL_TIMEOUT = 60
