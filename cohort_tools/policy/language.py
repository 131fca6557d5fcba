"""House style for one edition's language: a word list, checked against everything people read.

Each edition has one style file, ``curriculum/language/<code>.yaml`` (``en-US`` today; a Spanish
edition adds ``es-419.yaml`` with the same fields). The file lists words to avoid and what to write
instead, families of British endings the checker expands (``organise`` -> ``organize``, ``colour``
-> ``color``...), phrases that are only wrong in some senses (``vacant posts`` -> ``positions``),
and an allow-list of proper names and titles that keep their own spelling.

:func:`check_text` finds every word to avoid in a text and says what to use. Text in code is left
alone: fenced and inline code in Markdown, link targets and URLs, and any word joined to an
identifier by ``_``, ``.``, ``/`` or ``-`` (``neighbourhood_id``, ``programme.yaml``), so the
identifiers of the code and data can keep their names. :func:`notebook_text` gives the learner-facing
text of a MyST notebook: its Markdown cells and the string literals of its code cells (what charts,
takeaways and checkpoint hints print), without comments or identifiers.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator

from cohort_tools.core.config import StrictModel, load_yaml, problems_from_validation
from cohort_tools.core.errors import CdaError
from cohort_tools.model.references import curriculum_file

DEFAULT_LANGUAGE = "en-US"

_ISE_ENDINGS = {
    "ise": "ize",
    "ised": "ized",
    "ises": "izes",
    "ising": "izing",
    "isation": "ization",
    "isations": "izations",
    "iser": "izer",
    "isers": "izers",
}
_OUR_ENDINGS = ("", "s", "ed", "ing", "ful", "hood", "hoods", "able", "ably", "less", "ite", "ites")
_RE_ENDINGS = ("", "s", "d")
_LL_ENDINGS = ("led", "ling", "ler", "lers")


class _Strict(StrictModel):
    """Language data: unknown fields are errors, values do not change."""


class Phrase(_Strict):
    pattern: Annotated[str, Field(min_length=1)]
    use: Annotated[str, Field(min_length=1)]

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class Families(_Strict):
    ise: list[str] = Field(default_factory=list)
    our: list[str] = Field(default_factory=list)
    re: list[str] = Field(default_factory=list)
    ll: list[str] = Field(default_factory=list)


class Style(_Strict):
    """One edition's word list."""

    language: Annotated[str, Field(pattern=r"^[a-z]{2}(-[A-Za-z0-9]+)?$")]
    name: str
    words: dict[str, str] = Field(default_factory=dict)
    families: Families = Field(default_factory=Families)
    phrases: list[Phrase] = Field(default_factory=list)
    allow: list[str] = Field(default_factory=list)

    @field_validator("words")
    @classmethod
    def _lower_case_keys(cls, value: dict[str, str]) -> dict[str, str]:
        bad = [k for k in value if k != k.lower() or not k.strip()]
        if bad:
            raise ValueError(f"words to avoid are written in lower case: {', '.join(bad)}")
        return value

    def avoid(self) -> dict[str, str]:
        """Every word to avoid (families expanded) -> what to use."""
        out: dict[str, str] = {}
        for stem in self.families.ise:  # "organis" -> organise, organised, organisation...
            for uk, us in _ISE_ENDINGS.items():
                out[stem[:-2] + uk] = stem[:-2] + us
        for word in self.families.our:
            us = word[: -len("our")] + "or"
            for end in _OUR_ENDINGS:
                out[word + end] = us + end
        for word in self.families.re:
            us = word[:-2] + "er"
            for end in _RE_ENDINGS:
                out[word + end] = us + end
        for word in self.families.ll:
            for end in _LL_ENDINGS:
                out[word + "l" + end[1:]] = word + end[1:]
        out.update(self.words)
        return out


def style_file(language: str = DEFAULT_LANGUAGE) -> Path:
    return curriculum_file(f"language/{language}.yaml")


def load_style(language: str = DEFAULT_LANGUAGE, *, path: Path | None = None) -> Style:
    """Load and validate one edition's style file (CdaError naming every problem)."""
    doc = load_yaml(path or style_file(language), what=f"{language} style file")
    try:
        return Style.model_validate(doc.data)
    except ValidationError as exc:
        raise CdaError(
            problems_from_validation(exc, doc), headline=f"{doc.path} is not a valid style file."
        ) from None


@cache
def default_style(language: str = DEFAULT_LANGUAGE) -> Style:
    return load_style(language)


@dataclass(frozen=True)
class Finding:
    """One word or phrase to change."""

    file: str
    line: int
    found: str
    use: str
    context: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: '{self.found}' -> '{self.use}' ({self.context.strip()})"


# --- what counts as prose -----------------------------------------------------------------------

_IDENTIFIER = re.compile(r"^[\w.:/-]*$")
_STRING_QUOTES = re.compile(r"^[A-Za-z]*('''|\"\"\"|'|\")|('''|\"\"\"|'|\")$")
_FENCE = re.compile(r"^\s*(```+|~~~+)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_ROLE = re.compile(r"\{[a-z-]+\}`[^`\n]*`")
_MD_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
# Text a page quotes in another language on purpose, marked for the reader: [Title]{.lang-en} in
# a book page, <span lang="en">Title</span> in a notebook (JupyterLab shows MyST's form as typed).
_OTHER_LANGUAGE = re.compile(r"\[[^\]\n]*\]\{\.lang-[\w-]+\}|<span lang=\"[\w-]+\">[^<\n]*</span>")
_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*")
# A word: letters in any alphabet (móvil, tenéis), with inner apostrophes (mayor's).
_LETTER = r"[^\W\d_]"
_WORD = re.compile(
    rf"(?<![\w./\\@])({_LETTER}(?:{_LETTER}|')*{_LETTER}|{_LETTER})(?![\w/\\@]|\.\w)"
)


def _mask(line: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), line)


def markdown_prose(text: str) -> Iterator[tuple[int, str]]:
    """(line number, prose) for each line of Markdown, with code, roles and link targets blanked."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if match:
            mark = match.group(1)[:3]
            if fence is None:
                fence = mark
                # MyST directives (```{note}) hold prose; code fences do not.
                if re.match(
                    r"^\s*(```+|~~~+)\{(note|tip|important|warning|admonition|figure)\}", line
                ):
                    fence = "prose:" + mark
                continue
            if fence.removeprefix("prose:") == mark:
                fence = None
                continue
        if fence is not None and not fence.startswith("prose:"):
            continue
        if fence is not None and line.lstrip().startswith(":"):
            continue  # directive options (:alt:, :name:)
        for pattern in (_OTHER_LANGUAGE, _ROLE, _INLINE_CODE, _MD_LINK_TARGET, _URL):
            line = _mask(line, pattern)
        yield number, line


def notebook_text(path: Path) -> Iterator[tuple[int, str]]:
    """(line number in the file, text) a learner can read in a MyST notebook or template.

    Markdown cells as prose; from code cells, only the text of string literals (chart titles,
    takeaways, hints), never code, comments or identifiers.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    in_code = False
    code: list[tuple[int, str]] = []
    markdown: list[tuple[int, str]] = []
    in_front = bool(lines) and lines[0].strip() == "---"
    for number, line in enumerate(lines, start=1):
        if in_front:
            if number > 1 and line.strip() == "---":
                in_front = False
            continue
        if not in_code and line.startswith("```{code-cell}"):
            in_code, code = True, []
            continue
        if in_code and line.startswith("```"):
            in_code = False
            yield from _code_strings(code)
            continue
        if in_code:
            code.append((number, line))
        else:
            markdown.append((number, line))
    text = "\n".join(line for _, line in markdown)
    numbers = [n for n, _ in markdown]
    for i, prose in markdown_prose(text):
        yield numbers[i - 1], prose


def _code_strings(cell: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The string literals of a code cell, with their line numbers (cell options skipped)."""
    body = [(n, line) for n, line in cell]
    if body and body[0][1].strip() == "---":  # nbgrader/tags front matter of the cell
        end = next((i for i, (_, line) in enumerate(body[1:], 1) if line.strip() == "---"), 0)
        body = body[end + 1 :]
    body = [(n, line) for n, line in body if not line.startswith(":tags:")]
    if not body:
        return
    source = "\n".join(line for _, line in body)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return
    first = body[0][0]
    for tok in tokens:
        if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            text = tok.string
            if tok.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(text)
                    text = value if isinstance(value, str) else ""
                except (ValueError, SyntaxError):  # an f-string: drop the prefix and quotes
                    text = _STRING_QUOTES.sub("", text)
            if _IDENTIFIER.match(text):
                continue  # a table, column or id name, not words for a reader
            for offset, part in enumerate(text.splitlines() or [""]):
                yield first + tok.start[0] - 1 + offset, _strip_fields(part)


def _strip_fields(text: str) -> str:
    return re.sub(r"\{[^{}]*\}", " ", text)


def _string_nodes(path: Path, *, docstrings: bool) -> Iterator[tuple[int, str]]:
    """(line, value) of the module's string literals."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    if not docstrings:  # a string on its own as a statement is documentation, not output
        skip = {
            id(node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def python_strings(
    path: Path, *, docstrings: bool = True, identifiers: bool = True
) -> Iterator[tuple[int, str]]:
    """(line, text) of the string literals of a Python module.

    ``docstrings=False`` leaves out documentation; ``identifiers=False`` leaves out strings that are
    one token with no space (table and column names, ids, file names: ``"neighbourhoods"``), which
    name things in code and data rather than speak to a reader.
    """
    for line, value in _string_nodes(path, docstrings=docstrings):
        if not identifiers and _IDENTIFIER.match(value):
            continue
        for offset, part in enumerate(value.splitlines() or [""]):
            yield line + offset, part


@dataclass(frozen=True)
class Unit:
    """A piece of text read as a whole: a paragraph, a code cell's strings, or a string literal."""

    file: str
    line: int
    text: str


def _paragraphs(lines: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Paragraphs of Markdown lines; a heading joins the paragraph that follows it."""
    block: list[tuple[int, str]] = []
    for number, line in [*lines, (0, "")]:
        if line.strip():
            block.append((number, line))
            continue
        # Headings and MyST labels ("(name)=") belong to the paragraph after them.
        only_titles = all(re.match(r"^\s*(#|\([\w-]+\)=\s*$)", text) for _, text in block)
        if block and not only_titles:
            yield block[0][0], "\n".join(text for _, text in block)
            block = []
    if block:
        yield block[0][0], "\n".join(text for _, text in block)


def text_units(path: Path, *, docstrings: bool = False) -> list[Unit]:
    """The text a reader meets in a file, in units to judge as a whole.

    Markdown pages: paragraphs (code fences kept, since facts can sit in them). MyST notebooks and
    templates: Markdown paragraphs, and each code cell's string literals as one unit. Python
    modules: each string literal (docstrings only when asked).
    """
    name = str(path)
    if path.suffix == ".py":
        return [
            Unit(name, line, value) for line, value in _string_nodes(path, docstrings=docstrings)
        ]
    lines = path.read_text(encoding="utf-8").splitlines()
    is_notebook = (
        bool(lines)
        and lines[0].strip() == "---"
        and any(line.startswith("```{code-cell}") for line in lines)
    )
    if not is_notebook:
        return [Unit(name, n, text) for n, text in _paragraphs(list(enumerate(lines, start=1)))]
    units: list[Unit] = []
    markdown: list[tuple[int, str]] = []
    code: list[tuple[int, str]] = []
    in_code = False
    in_front = True
    for number, line in enumerate(lines, start=1):
        if in_front:
            if number > 1 and line.strip() == "---":
                in_front = False
            continue
        if not in_code and line.startswith("```{code-cell}"):
            units += [Unit(name, n, text) for n, text in _paragraphs(markdown)]
            markdown, code, in_code = [], [], True
            continue
        if in_code and line.startswith("```"):
            strings = list(_code_strings(code))
            if strings:
                units.append(Unit(name, strings[0][0], "\n".join(s for _, s in strings)))
            in_code = False
            continue
        (code if in_code else markdown).append((number, line))
    units += [Unit(name, n, text) for n, text in _paragraphs(markdown)]
    return units


# --- the check ----------------------------------------------------------------------------------


def _case_like(found: str, use: str) -> str:
    if found.isupper() and len(found) > 1:
        return use.upper()
    if found[:1].isupper():
        return use[:1].upper() + use[1:]
    return use


def check_lines(
    lines: Iterable[tuple[int, str]], *, source: str = "", style: Style | None = None
) -> list[Finding]:
    """Every word or phrase to avoid in ``lines`` (already reduced to prose). A web address
    (``https://...``, ``site.org/path``) is not words: a page shows a source's link as it is."""
    style = style or default_style()
    avoid = style.avoid()
    phrases = [(re.compile(p.pattern, re.IGNORECASE), p.use) for p in style.phrases]
    allowed = [re.compile(re.escape(a)) for a in style.allow]
    found: list[Finding] = []
    for number, line in lines:
        line = _mask(line, _URL)
        for pattern in allowed:
            line = _mask(line, pattern)
        spans: set[tuple[int, int]] = set()
        for match in _WORD.finditer(line):
            word = match.group(1)
            key = word.lower()
            if key.endswith("'s") and key not in avoid:
                key = key[:-2]
            if key in avoid:
                spans.add(match.span(1))
                found.append(
                    Finding(source, number, word, _case_like(word, avoid[key]), line.strip())
                )
        for pattern, use in phrases:
            for match in pattern.finditer(line):
                if match.span() not in spans:  # the word list already said what to write
                    found.append(Finding(source, number, match.group(0), use, line.strip()))
    return found


def check_text(
    text: str, *, source: str = "", style: Style | None = None, markdown: bool = True
) -> list[Finding]:
    """Every word or phrase to avoid in ``text`` (Markdown unless ``markdown=False``)."""
    lines = markdown_prose(text) if markdown else enumerate(text.splitlines(), start=1)
    return check_lines(lines, source=source, style=style)


def check_file(path: Path, *, style: Style | None = None) -> list[Finding]:
    """Check a Markdown page, a MyST notebook or template, or a Python module's strings."""
    name = str(path)
    if path.suffix == ".py":
        return check_lines(python_strings(path), source=name, style=style)
    text = path.read_text(encoding="utf-8")
    if text.startswith("---") and "jupytext" in text.split("\n---", 1)[0]:
        lines = sorted(notebook_text(path), key=lambda item: item[0])
        return check_lines(lines, source=name, style=style)
    return check_text(text, source=name, style=style)


# --- English left in Spanish text -----------------------------------------------------------------

#: Proper names that stay in English in the Spanish edition (exact text, masked before the search).
ENGLISH_ALLOWED: tuple[str, ...] = (
    "City Data Alliance",
    "What Works Cities",
    "Bloomberg Philanthropies",
    "Bloomberg Center for Government Excellence",
    "Johns Hopkins University",
    "Johns Hopkins",
    "Bloomberg",
    "GovEx",
    "Washington Group",
    "Jupyter",
    "JupyterHub",
    "CityStat",
    "Open311",
    "311",
    "coaching",  # the programme keeps "coach" and "coaching" (the Spanish edition's glossary)
    "US$",  # US dollars, as Spanish writes them (US$ 2.270.000)
)

#: Common English words that are not Spanish words. Words both languages write the same way ("a",
#: "no", "me", "he", "has", "use", "son", "mayor", "plan", "total", "real", "final", "local",
#: "general", "once", "red", "pie", "solo", "era", "dice", "come", "do", "base", "as") are left out, so a
#: Spanish sentence never trips the check.
ENGLISH_WORDS = frozenset(
    """
    the and of to with for from this that these those which what when where who whom whose why how
    is are was were be been being am it its it's they them their theirs we us our ours you your
    yours he's she's i'm i've we're they're you're isn't aren't don't doesn't didn't won't can't
    will would should could can may might must shall not into onto about after before between
    through during without within over under again more most other some such only than then there
    here very also just each every both all any own same so if or an on at by up out off down
    too few many much because while until though although whether either neither
    have had having does did done doing make makes made get gets got give gives take takes
    see sees seen know knows want wants need needs find finds show shows shown tell tells ask
    asks work works working worked write writes written read reads call calls keep keeps start
    starts run runs help helps look looks think thinks say says said comes go goes going
    city cities team teams data lead leads leader leaders chart charts map maps table tables
    page pages book program programme session sessions week weeks month months year years day
    days people staff service services request requests report reports meeting meetings budget
    mayor's council residents resident neighborhood neighborhoods answer answers question
    questions exercise exercises notebook notebooks workshop workshops dashboard dashboards
    target targets baseline metric metrics strategy goal goals step steps result results
    time first last next new old good best better small large high low number numbers share
    shares rate rates level levels group groups part parts open public plain text
    """.split()  # noqa: SIM905  (a block of words reads better than a list of strings)
)

#: Endings only English words have (Spanish writes -ción, -mente, -dad...); not "-ed", which
#: Spanish has too (usted, pared, red).
_ENGLISH_ENDING = re.compile(r"(?:[a-z]{2,}(?:ing|ings|tion|tions|ness|ship|ships|ful|ly))$")
#: Spanish words with one of those endings (loanwords Spanish has made its own).
_SPANISH_WITH_ENGLISH_ENDING = frozenset({"ring", "rings"})


@dataclass(frozen=True)
class EnglishWord:
    """An English word found in Spanish text."""

    line: int
    word: str
    context: str

    def __str__(self) -> str:
        return f"line {self.line}: '{self.word}' ({self.context.strip()[:80]})"


def is_english_word(word: str) -> bool:
    """True when ``word`` is English and not also a Spanish word (case-insensitive)."""
    key = word.lower().replace("’", "'")
    if key in ENGLISH_WORDS:
        return True
    if not key.isascii() or key in _SPANISH_WITH_ENGLISH_ENDING:
        return False
    return bool(_ENGLISH_ENDING.fullmatch(key))


def english_words(
    text: str | Iterable[tuple[int, str]], *, allow: Iterable[str] = ENGLISH_ALLOWED
) -> list[EnglishWord]:
    """Every English word in Spanish ``text`` (a string, or (line, text) pairs already reduced to
    prose), proper names in ``allow`` excepted. Words joined to code (``data_dir``, ``file.md``)
    and web addresses (``https://example.org/open-data``) are not words, as in :func:`check_lines`."""
    lines = enumerate(text.splitlines(), start=1) if isinstance(text, str) else text
    allowed = [  # whole words; a name ending in a sign ("US$") may touch the number after it
        re.compile(rf"(?<!\w){re.escape(a)}" + (r"(?!\w)" if a[-1].isalnum() else ""))
        for a in sorted(allow, key=len, reverse=True)
    ]
    found: list[EnglishWord] = []
    for number, line in lines:
        masked = _mask(line, _URL)
        for pattern in allowed:
            masked = _mask(masked, pattern)
        for match in _WORD.finditer(masked):
            if is_english_word(match.group(1)):
                found.append(EnglishWord(number, match.group(1), line))
    return found


__all__ = [
    "ENGLISH_ALLOWED",
    "ENGLISH_WORDS",
    "EnglishWord",
    "Finding",
    "Style",
    "Unit",
    "check_file",
    "check_lines",
    "check_text",
    "default_style",
    "english_words",
    "is_english_word",
    "load_style",
    "markdown_prose",
    "notebook_text",
    "python_strings",
    "text_units",
]
