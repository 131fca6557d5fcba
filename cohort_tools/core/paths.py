"""Where the product's own files live: the curriculum, the templates and the embedded demo cohort."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DEMO_DIR = PACKAGE_DIR / "demo_cohort"
DEMO_COHORT_FILE = DEMO_DIR / "cohort.yaml"
#: Names the cohort file that "no cohort file" means (default: the embedded demo cohort). The live
#: cohort's hub sets it for each learner's server to their city's own cohort file, so a released
#: notebook carries no path of the machine that built it (its ``cohort_file`` parameter is empty).
COHORT_FILE_ENV = "CDA_COHORT_FILE"
#: City data folders (separated by ``os.pathsep``) whose small tables a kernel zygote reads before
#: it forks (``cohort_tools.citydata.loader.preload_from_environment``).
PRELOAD_CITIES_ENV = "CDA_PRELOAD_CITIES"


def default_cohort_file() -> Path:
    """The cohort file used when none is given: ``$CDA_COHORT_FILE``, else the demo cohort."""
    env = os.environ.get(COHORT_FILE_ENV)
    return Path(env) if env else DEMO_COHORT_FILE


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
