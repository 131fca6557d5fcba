"""The book's notebooks run through cohort_tools' run loop: failures name the page, reruns use the cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.book import execute as book_execute
from cohort_tools.book.execute import execute_notebooks
from cohort_tools.book.notebooks import prepare_for_book, to_ipynb_text
from cohort_tools.core.errors import CdaError

pytestmark = pytest.mark.slow

HEAD = """\
---
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# A session

```{code-cell} ipython3
:tags: [parameters]

city: str = "cedar-bend"  # city id in the cohort
```
"""

GOOD = (
    HEAD
    + """
```{code-cell} ipython3
print(f"Running on {city}")
```
"""
)

BAD = (
    HEAD
    + """
```{code-cell} ipython3
print("fine")
```

```{code-cell} ipython3
shares = {"parks": 1}
shares["libraries"]
```
"""
)


def prepared(tmp_path: Path, name: str, text: str) -> bytes:
    source = tmp_path / f"{name}.md"
    source.write_text(text, encoding="utf-8")
    nb = prepare_for_book(source, parameters={"city": "riverton"})
    return to_ipynb_text(nb).encode("utf-8")


def run_book(tmp_path: Path, notebooks: dict[str, bytes]) -> dict[str, bytes]:
    origin = {rel: f"workshops/{Path(rel).stem}.md (staged as {rel})" for rel in notebooks}
    return execute_notebooks(
        notebooks,
        origin,
        cache=tmp_path / "executed",
        city="riverton",
        data_digest="data-v1",
        timeout=60,
        jobs=2,
    )


def test_a_failing_notebook_fails_with_a_problem_naming_the_page_cell_and_error(
    tmp_path: Path,
) -> None:
    notebooks = {
        "modules/m1/good.ipynb": prepared(tmp_path, "good", GOOD),
        "modules/m1/bad.ipynb": prepared(tmp_path, "bad", BAD),
    }
    with pytest.raises(CdaError) as caught:
        run_book(tmp_path, notebooks)
    message = str(caught.value)
    assert "workshops/bad.md" in message and "workshops/good.md" not in message
    assert "shares = {" in message and "KeyError: 'libraries'" in message
    assert "riverton" in message


def test_executed_outputs_are_staged_and_an_unchanged_notebook_is_not_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebooks = {"modules/m1/good.ipynb": prepared(tmp_path, "good", GOOD)}
    first = run_book(tmp_path, notebooks)
    assert b"Running on riverton" in first["modules/m1/good.ipynb"]

    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged notebook was executed again")

    monkeypatch.setattr(book_execute, "_run_one", no_run)
    assert run_book(tmp_path, notebooks) == first  # byte for byte: Sphinx re-reads nothing

    changed = {
        "modules/m1/good.ipynb": prepared(
            tmp_path, "good", GOOD + "\n```{code-cell} ipython3\n1 + 1\n```\n"
        )
    }
    with pytest.raises(AssertionError, match="executed again"):
        run_book(tmp_path, changed)
