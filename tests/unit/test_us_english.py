"""US English in what US readers meet: the word list finds British usage and leaves code alone.

The checker and its word list live in the policy layer (cohort_tools.policy.language and
curriculum/language/en-US.yaml) so the notebook round and the Spanish edition can reuse them. The
pages of the book, the facilitation kit and the References page must pass now. The notebooks,
coaching templates and curriculum/programme.yaml are swept in a later round: their test, named for
them, lists every word to change until then.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cohort_tools.book import pages as book_plan
from cohort_tools.core import paths
from cohort_tools.model.programme import load_programme
from cohort_tools.policy.language import (
    Finding,
    check_file,
    check_lines,
    check_text,
    load_style,
    python_strings,
)

ROOT = paths.project_root()


@pytest.mark.parametrize(
    ("text", "found", "use"),
    [
        ("The programme runs for six months.", "programme", "program"),
        ("Every neighbourhood is shown.", "neighbourhood", "neighborhood"),
        ("Neighbourhoods with few requests", "Neighbourhoods", "Neighborhoods"),
        ("Pick a colour-blind-safe palette.", "colour", "color"),
        ("The organisation chart", "organisation", "organization"),
        ("We prioritised the oldest requests.", "prioritised", "prioritized"),
        ("Check the crew rota.", "rota", "schedule"),
        ("Bin collections were late.", "Bin collections", "trash pickup (or garbage collection)"),
        ("Put it in the mayor's diary.", "diary", "calendar"),
        ("Three vacant posts in the data team", "vacant posts", "positions (jobs)"),
        ("They meet fortnightly.", "fortnightly", "every two weeks"),
        ("The meeting was cancelled.", "cancelled", "canceled"),
        ("The 311 call centre", "centre", "center"),
        ("A rise of 5 per cent", "per cent", "percent"),
        ("The data was analysed.", "analysed", "analyzed"),
    ],
)
def test_the_checker_finds_british_usage_and_says_what_to_write(
    text: str, found: str, use: str
) -> None:
    findings = check_text(text)
    assert [(f.found, f.use) for f in findings] == [(found, use)], findings


def test_the_checker_leaves_code_identifiers_links_and_allowed_names_alone() -> None:
    text = "\n".join(
        [
            "Run `cda programme show` and read `curriculum/programme.yaml`.",
            "The neighbourhood_id column, and programme.yaml.",
            "See {doc}`the program page <programme>` and https://example.org/programme.",
            "The Central Digital and Data Office publishes it.",
            "```python",
            "colour = 'neighbourhood'",
            "```",
        ]
    )
    assert check_text(text) == []


def test_notebook_text_is_markdown_and_the_strings_of_code_not_identifiers(tmp_path: Path) -> None:
    notebook = tmp_path / "nb.md"
    notebook.write_text(
        "---\njupytext:\n  text_representation: {extension: .md}\n---\n\n# A neighbourhood page\n\n"
        "```{code-cell} ipython3\nneighbourhoods = load('neighbourhoods')  # a colour comment\n"
        'say(f"The quietest neighbourhood is {name}.")\n```\n',
        encoding="utf-8",
    )
    found = [(f.line, f.found) for f in check_file(notebook)]
    assert found == [(6, "neighbourhood"), (10, "neighbourhood")]


def test_the_style_file_validates_and_expands_the_families() -> None:
    style = load_style("en-US")
    avoid = style.avoid()
    assert avoid["organisations"] == "organizations"
    assert avoid["neighbourhoods"] == "neighborhoods"
    assert avoid["labelled"] == "labeled"
    assert all(k == k.lower() for k in avoid)
    # The identity never maps a word to itself (that would flag correct US spelling).
    assert not [k for k, v in avoid.items() if k == v.lower()]


def test_a_bad_style_file_names_the_field(tmp_path: Path) -> None:
    from cohort_tools.core.errors import CdaError

    bad = tmp_path / "xx.yaml"
    bad.write_text("language: en-US\nname: x\nwords: {Programme: program}\n", encoding="utf-8")
    with pytest.raises(CdaError) as caught:
        load_style(path=bad)
    assert "words" in str(caught.value) and "lower case" in str(caught.value)


def _generated_pages_of_this_round() -> dict[str, str]:
    plan = book_plan.plan_book(load_programme(), ROOT)
    own = ("references.md", "kit/")
    return {k: v for k, v in plan.pages.items() if k.startswith(own)}


def test_book_pages_kit_and_references_are_in_us_english() -> None:
    findings: list[Finding] = []
    for path in sorted(
        [*(ROOT / "book").glob("*.md"), *(ROOT / "book" / "standards").glob("*.md")]
    ):
        findings += check_file(path)
    for name, text in _generated_pages_of_this_round().items():
        findings += check_text(text, source=f"(generated) {name}")
    for path in sorted((ROOT / "cohort_tools" / "kit").glob("*.py")):
        findings += check_lines(
            python_strings(path, docstrings=False, identifiers=False), source=str(path)
        )
    findings += check_lines(
        python_strings(
            ROOT / "cohort_tools" / "book" / "pages.py", docstrings=False, identifiers=False
        ),
        source="cohort_tools/book/pages.py",
    )
    assert not findings, "\n".join(str(f) for f in findings)


def _yaml_strings(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[tuple[int, str]] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and " " in value:
            first = value.split()[0]
            line = next((i for i, text in enumerate(lines, 1) if first in text), 0)
            out.append((line, value))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def test_notebooks_templates_and_programme_data_are_in_us_english() -> None:
    """Fails until the notebook round sweeps them; lists every word to change."""
    findings: list[Finding] = []
    for folder in ("curriculum", "workshops", "coaching_templates"):
        for path in sorted((ROOT / folder).glob("*.md")):
            findings += check_file(path)
    programme = ROOT / "curriculum" / "programme.yaml"
    findings += check_lines(_yaml_strings(programme), source=str(programme))
    assert not findings, f"{len(findings)} word(s) to change:\n" + "\n".join(
        str(f) for f in findings
    )
