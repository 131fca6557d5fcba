"""A PDF worker process: ``python -m cohort_tools.render.pdf_worker``, driven by
:class:`cohort_tools.render.page.PdfWorkers`.

It reads one job per line on stdin (JSON: the pages, their base URL and the file to write the PDF
to), renders it with :func:`cohort_tools.render.page.pdf_from_pages`, and answers one line per job
(``{"ok": true}`` or ``{"error": "..."}``). A process of its own, started with ``-m``, imports
nothing of the caller's script (multiprocessing would run the caller's main module again).
Anything a library prints goes to stderr, so that stdout carries only the answers.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> None:
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    from cohort_tools.render.page import pdf_from_pages

    for line in sys.stdin:
        job = json.loads(line)
        try:
            pdf = pdf_from_pages(job["pages"], base_url=job["base_url"])
            Path(job["out"]).write_bytes(pdf)
            answer: dict[str, object] = {"ok": True}
        except Exception as exc:  # the caller raises it where it waits for this PDF
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    main()
