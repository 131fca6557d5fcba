"""Benchmark: full book build vs rebuild after editing one page.

Builds a copy of the project's book (book/, curriculum/, workshops/) in a temporary folder, so the
checkout is never touched:

1. full build from nothing (every notebook executed, every page read and written);
2. rebuild after appending a sentence to one page (book/glossary.md);
3. if session notebooks exist, rebuild after editing the code of one notebook (only it re-executes).

Prints each time and the ratio of (2) to (1). Target (issue 21): the one-page rebuild under 10% of the
full build. A benchmark, not a test: run `python bench/book.py`.

Until the curriculum issues write the session notebooks, the real book executes none, so its full
build is mostly fixed start-up cost. `--synthetic` fills every missing session notebook (in the copy
only) with a small workshop-like notebook (pandas, an Altair chart, an nbgrader exercise), to show
what the cache does for the finished book.
"""

from __future__ import annotations

import argparse
import shutil
import string
import tempfile
import time
from pathlib import Path

from cohort_tools.book.build import build_book_report
from cohort_tools.book.pages import find_notebooks
from cohort_tools.core import paths
from cohort_tools.model.programme import load_programme


def _copy_project(dest: Path) -> Path:
    root = paths.project_root()
    for folder in ("book", "curriculum", "workshops"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, dest / folder)
    return dest


#: The MyST fixtures the tests use too (tests/fixtures/myst/).
MYST = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "myst"
SYNTHETIC = string.Template((MYST / "book_synthetic_session.md").read_text(encoding="utf-8"))
ONE_MORE_CELL = string.Template((MYST / "cell.md").read_text(encoding="utf-8")).substitute(
    source="1 + 1"
)


def _add_synthetic_notebooks(root: Path) -> int:
    programme = load_programme(root / "curriculum" / "programme.yaml")
    count = 0
    for session in programme.sessions():
        if session.notebook and not (root / session.notebook).exists():
            (root / session.notebook).parent.mkdir(parents=True, exist_ok=True)
            text = SYNTHETIC.substitute(session=session.id)
            (root / session.notebook).write_text(text, encoding="utf-8")
            count += 1
    return count


def _timed(label: str, root: Path, out: Path) -> float:
    start = time.perf_counter()
    result = build_book_report(out=out, root=root)
    seconds = time.perf_counter() - start
    print(
        f"{label:<42} {seconds:7.2f} s  ({result.pages} pages, {len(result.notebooks)} notebooks)"
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder.")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="Fill missing session notebooks with a small synthetic workshop notebook.",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cda-bench-book-"))
    try:
        root = _copy_project(tmp / "project")
        if args.synthetic:
            print(f"added {_add_synthetic_notebooks(root)} synthetic session notebook(s)")
        out = tmp / "site"
        full = _timed("full build (nothing cached)", root, out)
        page = root / "book" / "glossary.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nEdited for the benchmark.\n", "utf-8")
        one = _timed("rebuild after editing one page", root, out)
        print(f"{'ratio (one-page rebuild / full build)':<42} {one / full:7.1%}  (target < 10%)")
        found, _ = find_notebooks(load_programme(root / "curriculum" / "programme.yaml"), root)
        if found:
            nb = found[0].source
            nb.write_text(nb.read_text(encoding="utf-8") + ONE_MORE_CELL, "utf-8")
            notebook = _timed(f"rebuild after editing {nb.name}", root, out)
            print(f"{'ratio (one-notebook rebuild / full build)':<42} {notebook / full:7.1%}")
        else:
            print("no session notebooks exist yet: the full build executes none")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
