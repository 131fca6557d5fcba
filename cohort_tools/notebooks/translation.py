"""Translated MyST sources: a translation may change the words people read, never the code.

A translation of ``workshops/X.md`` is ``workshops/<language>/X.md`` (see :mod:`cohort_tools.core.i18n`).
:func:`compare` checks one pair cell by cell: the same cells in the same order, the same cell
metadata (tags, nbgrader ids), and code that is equal once every string literal is blanked, with
the same ``{placeholders}`` in f-strings. Markdown cells are free text, but one left identical to
the English (more than a few words) is reported as not translated yet. :func:`literal_pairs` maps each
English string literal to its translation, so a test can look up the translated hint it expects.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

from cohort_tools.core.i18n import LANGUAGE_NAMES, SOURCE_LANGUAGE
from cohort_tools.notebooks.myst import read_myst

_PLACEHOLDER = re.compile(r"(?<!\{)\{([^{}]+)\}(?!\})")
#: Text in quotes inside an f-string's placeholder (``{'more' if up else 'fewer'}``): words too.
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
#: Cell metadata a translation keeps byte-identical (papermill adds its own; ignored).
_KEPT_METADATA = ("tags", "nbgrader", "editable", "deletable")


@dataclass(frozen=True)
class Drift:
    """One way a translation differs from its source beyond its words."""

    translation: Path
    cell: int | None  # 1-based cell number, None for the whole file
    message: str

    def __str__(self) -> str:
        where = f" cell {self.cell}" if self.cell else ""
        return f"{self.translation}{where}: {self.message}"


def _string_tokens(code: str) -> Iterator[tokenize.TokenInfo]:
    yield from tokenize.generate_tokens(io.StringIO(code).readline)


def _prefix(literal: str) -> str:
    return literal[: len(literal) - len(literal.lstrip("rRbBuUfF"))].lower()


def code_shape(code: str) -> str:
    """The code with every string literal blanked, layout and comments ignored.

    Adjacent literals (``"a" "b"``) count as one, since a translator may split or join them; an
    f-string keeps its placeholders (sorted: a translation may reorder them).
    """
    try:
        tokens = list(_string_tokens(code))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code  # not plain Python (a magic): compared as written
    out: list[str | list[str]] = []
    for tok in tokens:
        if tok.type == tokenize.STRING:
            holes = (
                [_QUOTED.sub("''", h) for h in _PLACEHOLDER.findall(tok.string)]
                if "f" in _prefix(tok.string)
                else []
            )
            if out and isinstance(out[-1], list):
                out[-1].extend(holes)
            else:
                out.append(list(holes))
        elif tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT):
            out.append(tok.string)
        elif tok.type == tokenize.NEWLINE:
            out.append(";")
    return " ".join(f"STR{sorted(o)}" if isinstance(o, list) else o for o in out)


def literals(code: str) -> list[str]:
    """The string literals of a code cell, as written (quotes and prefixes included)."""
    try:
        return [t.string for t in _string_tokens(code) if t.type == tokenize.STRING]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _untranslated(english: str, translated: str) -> bool:
    return english.strip() == translated.strip() and _words(english) > 3


def _kept(cell: nbformat.NotebookNode) -> dict[str, object]:
    return {k: cell.metadata.get(k) for k in _KEPT_METADATA if k in cell.metadata}


def compare(source: Path, translation: Path) -> list[Drift]:
    """Every way ``translation`` differs from ``source`` other than its words."""
    en = read_myst(source.read_text(encoding="utf-8"))
    tr = read_myst(translation.read_text(encoding="utf-8"))
    if len(en.cells) != len(tr.cells):
        return [
            Drift(
                translation,
                None,
                f"{len(tr.cells)} cells, the English source {source.name} has {len(en.cells)}; "
                "translate cell by cell without adding or removing cells.",
            )
        ]
    drifts: list[Drift] = []
    for n, (a, b) in enumerate(zip(en.cells, tr.cells, strict=True), start=1):
        if a.cell_type != b.cell_type:
            drifts.append(Drift(translation, n, f"is {b.cell_type}, the English is {a.cell_type}"))
            continue
        if _kept(a) != _kept(b):
            drifts.append(Drift(translation, n, f"metadata {_kept(b)} differs from {_kept(a)}"))
        if a.cell_type == "code" and code_shape(a.source) != code_shape(b.source):
            drifts.append(
                Drift(
                    translation,
                    n,
                    "its code differs from the English beyond the text in quotes; change only "
                    "the words between quotes",
                )
            )
        elif a.cell_type == "markdown" and _untranslated(a.source, b.source):
            drifts.append(Drift(translation, n, "is still in English (not translated yet)"))
    return drifts


def literal_pairs(source: Path, translation: Path) -> dict[str, str]:
    """Each English string literal's translation, matched by position in the same cell."""
    en = read_myst(source.read_text(encoding="utf-8"))
    tr = read_myst(translation.read_text(encoding="utf-8"))
    pairs: dict[str, str] = {}
    for a, b in zip(en.cells, tr.cells, strict=False):
        if a.cell_type == "code" and b.cell_type == "code":
            la, lb = literals(a.source), literals(b.source)
            if len(la) == len(lb):
                pairs.update(zip(la, lb, strict=True))
    return pairs


def translations(folder: Path) -> Iterator[tuple[Path, Path]]:
    """(English source, translation) for every translated MyST file under ``folder``."""
    for language in LANGUAGE_NAMES:
        if language == SOURCE_LANGUAGE:
            continue
        for translation in sorted((folder / language).rglob("*.md")):
            rel = translation.relative_to(folder / language)
            yield folder / rel, translation


__all__ = ["Drift", "code_shape", "compare", "literal_pairs", "literals", "translations"]
