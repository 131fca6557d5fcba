"""Autograde every submission in the course, fast, with nbgrader's own preprocessors and scoring.

``nbgrader autograde`` per submission costs a Python start, an nbgrader import, a new kernel and the
notebook's own imports (pandas, altair, cohort_tools: about 2.5 s) every time. Here:

* nbgrader's preprocessors run **in this process**, in nbgrader's order (:mod:`.steps`) and with the
  course's ``nbgrader_config.py``. Scoring is nbgrader's ``SaveAutoGrades``/``utils.determine_grade``,
  unchanged.
* Notebooks execute through THE run loop (:func:`cohort_tools.notebooks.run.run`) with nbgrader's
  ``Execute`` settings, in a kernel forked from the warm zygote
  (:class:`cohort_tools.notebooks.kernels.KernelPool`): a fresh process per notebook, with the heavy
  imports already done. Several submissions run at once (``jobs``, default: the number of cores).
* Gradebook writes are serialised and one transaction per submission (:mod:`.gradebook`).
* **Learner code is untrusted** (the default, :mod:`.isolated`): the learner's cells run in their
  city's sandbox (:mod:`cohort_tools.notebooks.sandbox`: no network, only the city's own data, no
  course files), with every checkpoint removed; their named answers come back as data, and the
  checkpoints (hidden tests included) run on those values in a trusted kernel that never runs a
  line of learner code. ``trusted=True`` (``cda course autograde --trusted``) runs everything in
  one kernel as ``nbgrader autograde`` does, with a warning: only to grade your own notebooks.

Bad submissions are graded, never fatal, and each gets plain-language lines in the report:

* syntax error, error, or a cell over the time limit: nbgrader scores the checkpoints that fail;
  the report names the cell. A kernel that dies zeroes the checkpoints it did not reach (:mod:`.run`).
* edited or deleted locked cells (including the city parameters): see :mod:`.tampering`.
* a missing notebook (nbgrader's rule: zero), an empty file or one that is not a notebook (invalid
  JSON): zero for that notebook. (``nbgrader autograde`` stops on such a file; zero is its own rule
  for missing files, applied to unreadable ones too.)

Only infrastructure failures (a kernel that cannot start, a gradebook error) make
:attr:`GradeReport.ok` false and the CLI exit non-zero.

Modules: :mod:`.grader` (the run over all submissions), :mod:`.run` (one notebook: read, sanitise,
execute, notes), :mod:`.tampering`, :mod:`.gradebook` (reads, and writes under the lock),
:mod:`.steps` (nbgrader's order), :mod:`.results` (what is reported).
"""

from __future__ import annotations

from .grader import Grader, autograde, copy_course, find_submissions
from .results import GradeReport, SubmissionResult, SubmissionStatus

__all__ = [
    "GradeReport",
    "Grader",
    "SubmissionResult",
    "SubmissionStatus",
    "autograde",
    "copy_course",
    "find_submissions",
]
