"""Problems found in user input, and the one exception the CLI turns into exit code 1.

Every check in the package reports :class:`Problem` objects instead of raising on the first one, so a
user sees every problem in one run. Each problem names where it is (file, and where known the city,
field, row or line), what is wrong, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cohort_tools.core.i18n import gettext as _
from cohort_tools.core.i18n import known_language

#: "error" stops the command (exit 1, nothing written); "warning" is reported only.
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, phrased for the person who has to fix it."""

    file: str
    message: str
    fix: str = ""
    city: str | None = None
    field: str | None = None
    line: int | None = None
    severity: Severity = "error"

    def location(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.city:
            parts.append(_("city '{city}'").format(city=self.city))
        if self.field:
            parts.append(_("field '{field}'").format(field=self.field))
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.fix:
            text += _(" Fix: {fix}").format(fix=self.fix)
        return text


@dataclass
class CdaError(Exception):
    """Raised when input is unusable. The CLI prints every problem and exits with code 1."""

    problems: Sequence[Problem] = field(default_factory=list)
    headline: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.render())

    @classmethod
    def single(cls, file: str | Path, message: str, fix: str = "", **where: object) -> CdaError:
        return cls([Problem(file=str(file), message=message, fix=fix, **where)])  # type: ignore[arg-type]  # where: Problem's own fields

    def render(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        lines = [self.headline] if self.headline else []
        if len(errors) > 1 or not lines:
            lines.append(_("{count} problem(s) found:").format(count=len(errors)))
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)

    def __str__(self) -> str:
        """The text as rendered when the error was raised, in the language spoken then."""
        return str(self.args[0]) if self.args else self.render()


def language_option(language: str, option: str = "--language") -> str:
    """A language a user gave on the command line: ``language`` if the programme is published in
    it, else a CdaError naming the option and the choices."""
    try:
        return known_language(language)
    except ValueError as exc:
        raise CdaError.single(option, str(exc), _("pick one of those.")) from None


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def raise_if_errors(problems: Sequence[Problem], headline: str = "") -> None:
    if errors_only(problems):
        raise CdaError(list(problems), headline=headline)
