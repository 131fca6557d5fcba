"""Checkpoints for applied exercises: plain-language verdicts instead of bare AssertionErrors.

Senior team members are not programmers. A checkpoint cell (an nbgrader autograded test cell) calls
these helpers; when an answer does not hold up, the learner sees what is wrong and what to try, with
no Python traceback. nbgrader still sees an error in the cell, so the test counts as failed.

    from cohort_tools.lessons.checkpoints import Checkpoint
    with Checkpoint("Baseline: median days to close") as cp:
        cp.is_number(baseline_days, "baseline_days")
        cp.close_to(baseline_days, expected, tolerance=0.2, what="the median days to close",
                    hint="Use the median of closed requests, not the mean.")

IPython shows an exception through its ``_render_traceback_`` method when it has one; that is how the
traceback is replaced by the hint.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from types import TracebackType
from typing import Any

from cohort_tools.core.i18n import N_, _, gettext
from cohort_tools.lessons.wording import canonical
from cohort_tools.render.tables import option_name


class CheckpointFailed(AssertionError):
    """A checkpoint that did not pass; renders as plain text in Jupyter (no traceback)."""

    def __init__(self, title: str, problems: list[tuple[str, str]]) -> None:
        self.title = title
        self.problems = problems
        super().__init__(self.text())

    def text(self) -> str:
        lines = [_("Checkpoint not passed yet: {title}").format(title=self.title)]
        for what, hint in self.problems:
            lines.append(f"  - {what}")
            if hint:
                lines.append("    " + _("Try: {hint}").format(hint=hint))
        return "\n".join(lines)

    def _render_traceback_(self) -> list[str]:
        return self.text().splitlines()


class Checkpoint:
    """Collect every problem with an answer, then pass or fail once, in plain words."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.problems: list[tuple[str, str]] = []

    # -- checks: each records a problem instead of raising, so the learner sees them all ----------

    def require(self, condition: bool, what: str, hint: str = "") -> bool:
        if not condition:
            self.problems.append((what, hint))
        return bool(condition)

    def is_filled(self, value: Any, name: str) -> bool:
        empty = value is None or value is ... or (isinstance(value, str) and not value.strip())
        return self.require(
            not empty,
            _("'{name}' is still empty.").format(name=name),
            _(
                "answer it in the form above (or, in code, replace the placeholder in the answer "
                "cell with your answer for {name})."
            ).format(name=name),
        )

    def is_number(self, value: Any, name: str) -> bool:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(float(value))
        return self.require(
            ok,
            _("'{name}' should be a single number, but it is {value}.").format(
                name=name, value=_describe(value)
            ),
            _("write a number such as 4.5 (no quotes, no units)."),
        )

    def close_to(
        self, value: Any, expected: float, *, tolerance: float, what: str, hint: str = ""
    ) -> bool:
        if not (isinstance(value, int | float) and not isinstance(value, bool)):
            return False  # is_number reports this case
        return self.require(
            abs(float(value) - expected) <= tolerance,
            _("{what} does not match the city's data (you have {value}).").format(
                what=what, value=f"{value:g}"
            ),
            hint,
        )

    def between(self, value: Any, low: float, high: float, *, what: str, hint: str = "") -> bool:
        if not (isinstance(value, int | float) and not isinstance(value, bool)):
            return False
        return self.require(
            low <= float(value) <= high,
            _(
                "{what} is {value}, outside the range that makes sense here ({low} to {high})."
            ).format(what=what, value=f"{value:g}", low=f"{low:g}", high=f"{high:g}"),
            hint,
        )

    def one_of(self, value: Any, allowed: Collection[Any], *, name: str, hint: str = "") -> bool:
        shown = ", ".join(repr(a) for a in allowed)  # exactly these values: shown as they are
        return self.require(
            value in allowed,
            _("'{name}' is {value}; it must be one of {shown}.").format(
                name=name, value=_describe(value), shown=shown
            ),
            hint,
        )

    def says_one_of(
        self,
        value: Any,
        allowed: Collection[str],
        *,
        name: str,
        hint: str = "",
        extra: dict[str, list[str]] | None = None,
    ) -> str | None:
        """Like :meth:`one_of` for wordings: any way of saying one of ``allowed`` passes ("every 2
        weeks", "biweekly" and "fortnightly" all say "every two weeks"; case, spacing and
        punctuation do not matter). Returns the allowed value the answer says, or None."""
        found = canonical(value, allowed, extra)
        shown = ", ".join(repr(option_name(a)) for a in allowed)  # as a form names them
        self.require(
            found is not None,
            _("'{name}' is {value}; it must say one of {shown} (in any wording).").format(
                name=name, value=_describe(value), shown=shown
            ),
            hint,
        )
        return found

    def all_in(
        self, values: Iterable[Any], allowed: Collection[Any], *, name: str, hint: str = ""
    ) -> bool:
        unknown = [v for v in values if v not in allowed]
        return self.require(
            not unknown,
            _("'{name}' has entries that are not in the list: {entries}.").format(
                name=name, entries=", ".join(map(repr, unknown))
            ),
            hint
            or _("copy the names exactly as listed: {names}.").format(
                names=", ".join(map(repr, allowed))
            ),
        )

    def count_between(
        self, values: Collection[Any], low: int, high: int, *, name: str, hint: str = ""
    ) -> bool:
        n = len(values)
        return self.require(
            low <= n <= high,
            _("'{name}' has {n} entries; it needs {low} to {high}.").format(
                name=name, n=n, low=low, high=high
            ),
            hint,
        )

    # -- verdict ---------------------------------------------------------------------------------

    def verdict(self) -> None:
        if self.problems:
            raise CheckpointFailed(self.title, self.problems)
        print(_("Checkpoint passed: {title}").format(title=self.title))

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is NameError and exc is not None:
            # The learner has not run (or has deleted) the answer cell.
            name = str(exc).split("'")[1] if "'" in str(exc) else _("an answer")
            raise CheckpointFailed(
                self.title,
                [
                    (
                        _("the answer '{name}' is not defined.").format(name=name),
                        _("run the answer cell above, then this one."),
                    )
                ],
            ) from None
        if exc_type is None:
            self.verdict()


def _describe(value: Any) -> str:
    if value is None or value is ...:
        return _("empty")
    if isinstance(value, str):
        return _("the text {text}").format(text=repr(value))
    if isinstance(value, list | tuple | set):
        return _("a list of {count}").format(count=len(value))
    return f"{type(value).__name__} {value!r}"


# What nbgrader leaves in an answer cell in place of the solution. Answer cells start with a
# placeholder line (``baseline_days = None  # replace None with ...``) above the solution region,
# so the stub is only a pointer to it; nbgrader's default stub (``raise NotImplementedError()``)
# would show learners an error before they have done anything. Used by the course's
# nbgrader_config (ClearSolutions.code_stub) and by the tests that build learner copies. The stub
# is a catalog message: each city's notebooks are released with it in the city's language
# (:func:`code_stub`); the course's config holds the English one.
CODE_STUB_TEXT = N_("# (write your answer in the line above)")
NBGRADER_CODE_STUB = {"python": CODE_STUB_TEXT}


def code_stub(language: str | None = None) -> dict[str, str]:
    """nbgrader's ``ClearSolutions.code_stub`` in ``language`` (the current one by default)."""
    return {"python": gettext(CODE_STUB_TEXT, language=language)}


def code_stubs() -> set[str]:
    """The stub line in every language the programme is published in (to recognise it)."""
    from cohort_tools.core.i18n import LANGUAGE_NAMES

    return {gettext(CODE_STUB_TEXT, language=lang) for lang in LANGUAGE_NAMES}


def as_released(nb: Any) -> Any:
    """A copy of the notebook as nbgrader releases it: solution regions replaced by the stub,
    hidden tests removed (nbgrader's own ClearSolutions and ClearHiddenTests). Regions outside
    cells marked as solutions are stripped too (``enforce_metadata=False``): a learner must never
    see one."""
    import copy

    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    clean = copy.deepcopy(nb)
    clean.metadata.setdefault("kernelspec", {}).setdefault("language", "python")
    clean, resources = ClearSolutions(enforce_metadata=False, code_stub=code_stub()).preprocess(
        clean, {}
    )
    clean, _resources = ClearHiddenTests(enforce_metadata=False).preprocess(clean, resources)
    return clean
