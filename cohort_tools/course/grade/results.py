"""What grading reports: one result per submission, and the run's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cohort_tools.core.i18n import _, format_number, reader_language, shown, speaking

from ..names import Names, names

#: ``graded``: scored by nbgrader (notes say what went wrong in it, if anything); ``zero``: nothing
#: could be graded (every notebook missing or unreadable), so it scores zero; ``error``: the grading
#: system failed (kernel, gradebook, disk) and the submission was not graded.
SubmissionStatus = Literal["graded", "zero", "error"]


@dataclass
class SubmissionResult:
    """One learner's submission of one assignment (pseudonymous id only)."""

    student: str
    assignment: str
    city: str
    workshop: str
    status: SubmissionStatus
    score: float = 0.0
    max_score: float = 0.0
    needs_manual_grade: bool = False
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self, shown_as: Names | None = None) -> str:
        """The result in one line (and its notes): the workshop and the city by name where
        ``shown_as`` knows them, the learner by their pseudonymous id."""
        label = shown_as or Names()
        head = f"{self.student} / {label.workshop(self.workshop)} ({label.city(self.city)}): "
        if self.status == "error":
            head += _("NOT GRADED (system problem)")
        else:
            head += f"{self.score:g} / {self.max_score:g}"
            if self.needs_manual_grade:
                head += " + " + _("answers awaiting a coach's grading")
        return "\n".join([head, *(f"    - {shown(n)}" for n in self.notes)])


@dataclass
class GradeReport:
    course: Path
    results: list[SubmissionResult]
    not_submitted: list[tuple[str, str]]  # (student, assignment)
    seconds: float
    jobs: int

    @property
    def infrastructure_failures(self) -> list[SubmissionResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def ok(self) -> bool:
        return not self.infrastructure_failures

    def scores(self) -> dict[tuple[str, str], float]:
        return {(r.student, r.assignment): r.score for r in self.results if r.status != "error"}

    def summary(self) -> str:
        """The run in its reader's language (``cda --language``; English by default)."""
        with speaking(reader_language()):
            graded = [r for r in self.results if r.status != "error"]
            counts = {
                "graded": len(graded),
                "seconds": format_number(self.seconds, digits=1),
                "jobs": self.jobs,
                "notes": sum(bool(r.notes) for r in graded),
                "waiting": len(self.not_submitted),
                "failed": len(self.infrastructure_failures),
            }
            head = _(
                "Graded {graded} submission(s) in {seconds} s ({jobs} at a time); {notes} with "
                "notes; {waiting} not submitted yet; {failed} could not be graded (system problem)."
            )
            lines = [head.format(**counts)]
            shown_as = names(self.course) if self.results else Names()
            for r in sorted(self.results, key=lambda r: (r.city, r.student, r.assignment)):
                lines.append(r.line(shown_as))
            lines.append(
                _(
                    "Problems in a submission never stop grading: they score zero where due and "
                    "are listed above. The command fails only when the grading system itself fails."
                )
            )
            return "\n".join(lines)


__all__ = ["GradeReport", "SubmissionResult", "SubmissionStatus"]
