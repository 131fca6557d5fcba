"""Where the product's own files live: the curriculum, the templates and the embedded demo cohort."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = PACKAGE_DIR / "demo_cohort"
DEMO_COHORT_FILE = DEMO_DIR / "cohort.yaml"


def project_root() -> Path:
    """The folder holding curriculum/, workshops/ and coaching_templates/.

    The package is installed in editable mode from a checkout, so this is the checkout. ``CDA_HOME``
    points elsewhere (e.g. a programme team's own fork of the curriculum).
    """
    env = os.environ.get("CDA_HOME")
    return Path(env).resolve() if env else PACKAGE_DIR.parent


def curriculum_dir() -> Path:
    return project_root() / "curriculum"


def programme_file() -> Path:
    return curriculum_dir() / "programme.yaml"


def workshops_dir() -> Path:
    return project_root() / "workshops"


def coaching_templates_dir() -> Path:
    return project_root() / "coaching_templates"


def book_dir() -> Path:
    return project_root() / "book"
