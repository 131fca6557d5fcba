"""Turning executed notebooks into packet pages, error pages, a city PDF and the cohort index.

Pages are self-contained and work offline: no script, no CDN, no web font. Charts arrive from a
packet kernel as Vega-Lite JSON (see render/charts.py for why packet kernels leave the drawing to
the engine) and become here the same static figure every notebook shows (``charts.chart_figure``):
an SVG ``<img>`` whose ``alt`` is the chart's text alternative, repeated in a visible caption, so
the page prints to PDF with WeasyPrint and reads aloud in a screen reader.
"""

from __future__ import annotations

import html
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import nbformat

from cohort_tools.core.i18n import current_language
from cohort_tools.render.charts import VEGALITE_MIME, chart_figure
from cohort_tools.render.charts import chart_description as chart_description
from cohort_tools.render.charts import vegalite_to_svg as vegalite_to_svg

K = TypeVar("K")

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; line-height: 1.5;
       color: #1b1b1b; max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin-top: 0; } h2 { font-size: 1.25rem; margin-top: 1.6rem; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #b5b5b5; padding: 0.25rem 0.55rem; text-align: left; }
th { background: #eef1f4; }
thead { display: table-header-group; }
tr, figure, img { break-inside: avoid; page-break-inside: avoid; }
h1, h2, h3, caption { break-after: avoid; page-break-after: avoid; }
a.anchor-link { display: none; }
figure.cda-chart { margin: 1rem 0; page-break-inside: avoid; }
figure.cda-chart img { max-width: 100%; height: auto; }
figure.cda-chart figcaption { font-size: 0.85rem; color: #444; }
pre { background: #f5f5f5; padding: 0.6rem; white-space: pre-wrap;
      font-size: 0.82rem; }
.cda-meta { color: #555; font-size: 0.85rem; }
.cda-error { border-left: 4px solid #b50909; padding-left: 1rem; }
.status-ok { color: #1a6b1a; } .status-error { color: #b50909; font-weight: bold; }
a { color: #0b4f9c; }
@page { size: A4; margin: 16mm; }
/* On paper a wide table must fit the page: the page's whole width, smaller text, words
   hyphenated in the page's language, and a heading that is one long word may break anywhere. */
@media print {
  body { padding: 0; max-width: none; }
  table { font-size: 0.75rem; }
  th, td { padding: 0.2rem 0.3rem; hyphens: auto; }
  thead th { overflow-wrap: anywhere; }
}
"""


def page(title: str, body: str, *, lang: str | None = None) -> str:
    """A complete, self-contained HTML document (``lang``: the current language by default)."""
    lang = lang or current_language()
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# -- charts -----------------------------------------------------------------------------------------
# Drawing and the alt-text rule live in render/charts.py (one route for every chart); the names are
# kept here for the products that import them from this module.


def charts_to_static(nb: nbformat.NotebookNode, *, keep_stderr: bool = False) -> int:
    """Replace every Vega-Lite output by a static figure (in place); returns the number of charts."""
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                if keep_stderr:
                    kept.append(output)
                continue
            data = output.get("data") or {}
            key = next((k for k in data if VEGALITE_MIME.match(k)), None)
            if key is not None:
                spec = data[key]
                output["data"] = {"text/html": chart_figure(dict(spec))}
                output.setdefault("metadata", {})
                count += 1
            kept.append(output)
        cell["outputs"] = kept
    return count


# -- pages --------------------------------------------------------------------------------------


_local = threading.local()


def _exporter(show_code: bool) -> Any:
    """One nbconvert HTML exporter per thread and setting: building one costs about 0.1 s."""
    cache: dict[bool, Any] = _local.__dict__.setdefault("exporters", {})
    if show_code not in cache:
        from traitlets.config import Config

        from cohort_tools.core.compat import html_exporter

        config = Config()
        # Packets hide code (templates tag cells remove-cell / remove-input); show_code shows all.
        config.TagRemovePreprocessor.enabled = not show_code
        config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
        config.TagRemovePreprocessor.remove_input_tags = {"remove-input", "hide-input"}
        config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
        cache[show_code] = html_exporter(
            config=config,
            template_name="basic",
            exclude_input=not show_code,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
    return cache[show_code]


def notebook_page(
    nb: nbformat.NotebookNode, *, title: str, city_name: str, show_code: bool, footer: str = ""
) -> str:
    """An executed notebook as a self-contained page (code hidden unless ``show_code``)."""
    nb = nbformat.from_dict(nb)
    charts_to_static(nb, keep_stderr=show_code)
    if not show_code:
        # The parameters cells are plumbing, not content.
        nb.cells = [
            c
            for c in nb.cells
            if not {"parameters", "injected-parameters"}
            & set(c.get("metadata", {}).get("tags", []))
        ]
    body, _ = _exporter(show_code).from_notebook_node(nb)
    meta = f'<p class="cda-meta">{html.escape(city_name)} · {html.escape(footer)}</p>'
    return page(f"{title} - {city_name}", body + "\n" + meta)


@dataclass(frozen=True)
class Failure:
    """Why a packet could not be made, in plain words, with the evidence."""

    kind: str  # "error", "timeout", "died", "setup"
    summary: str
    cell_source: str = ""
    cell_number: int | None = None
    traceback: str = ""


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def error_page(*, title: str, city_name: str, failure: Failure, footer: str = "") -> str:
    where = (
        f"<p>It stopped at code cell {failure.cell_number} of the template.</p>"
        if failure.cell_number
        else ""
    )
    cell = (
        f"<h2>The cell that failed</h2>\n<pre>{html.escape(failure.cell_source)}</pre>"
        if failure.cell_source
        else ""
    )
    trace = (
        f"<h2>Technical details (traceback)</h2>\n<pre>{html.escape(strip_ansi(failure.traceback))}"
        "</pre>"
        if failure.traceback
        else ""
    )
    body = (
        f'<div class="cda-error"><h1>{html.escape(title)}: not made</h1>\n'
        f"<p><strong>{html.escape(city_name)}</strong>: this packet could not be produced. "
        f"{html.escape(failure.summary)}</p>\n{where}\n"
        "<p>The other packets were still made. Fix the template or the city's data and run "
        "<code>cda packets build</code> again; unchanged packets are skipped.</p></div>\n"
        f"{cell}\n{trace}\n"
        f'<p class="cda-meta">{html.escape(footer)}</p>'
    )
    return page(f"{title} (not made) - {city_name}", body)


@dataclass(frozen=True)
class IndexRow:
    city_id: str
    city_name: str
    template: str
    title: str
    status: str  # "ok", "error", "timeout", "died", "missing"
    href: str | None
    seconds: float | None
    finished: str
    pdf: str | None = None  # this page's own PDF (worksheets print one PDF per page)


def index_page(
    *,
    cohort_name: str,
    rows: Sequence[IndexRow],
    pdfs: dict[str, str],
    note: str = "",
    heading: str = "Coaching packets",
    column: str = "Template",
) -> str:
    """The cohort's index: every city and template, with status and links. Rows with their own
    PDF get a PDF link each; otherwise each city has one PDF (``pdfs``, by city id)."""
    by_city: dict[str, list[IndexRow]] = {}
    names: dict[str, str] = {}
    for row in rows:
        by_city.setdefault(row.city_id, []).append(row)
        names[row.city_id] = row.city_name
    per_row = any(row.pdf for row in rows)
    parts = [
        f"<h1>{html.escape(heading)}: {html.escape(cohort_name)}</h1>",
        f'<p class="cda-meta">{html.escape(note)}</p>' if note else "",
        f"<table>\n<caption>Every city and {html.escape(column.lower())}, with its status."
        "</caption>",
        f'<thead><tr><th scope="col">City</th><th scope="col">{html.escape(column)}</th>'
        '<th scope="col">Status</th><th scope="col">Made</th><th scope="col">Time</th>'
        f'<th scope="col">{"PDF" if per_row else "Packet PDF"}</th></tr></thead><tbody>',
    ]
    status_words = {
        "ok": "made",
        "error": "failed: the notebook raised an error",
        "timeout": "failed: a cell ran past the time limit",
        "died": "failed: the notebook's Python process stopped",
        "setup": "failed: could not start",
        "missing": "not made yet",
    }
    for city_id, city_rows in by_city.items():
        pdf = pdfs.get(city_id)
        pdf_cell = f'<a href="{html.escape(pdf)}">PDF</a>' if pdf else "none"
        for i, row in enumerate(city_rows):
            label = html.escape(row.title)
            link = f'<a href="{html.escape(row.href)}">{label}</a>' if row.href else label
            css = "status-ok" if row.status == "ok" else "status-error"
            if row.status == "missing":
                css = ""
            seconds = f"{row.seconds:.1f} s" if row.seconds is not None else ""
            city_cell = (
                f'<th scope="rowgroup" rowspan="{len(city_rows)}">{html.escape(names[city_id])}</th>'
                if i == 0
                else ""
            )
            pdf_td = f'<td rowspan="{len(city_rows)}">{pdf_cell}</td>' if i == 0 else ""
            if per_row:
                own = f"PDF: {label}"
                pdf_td = (
                    f'<td><a href="{html.escape(row.pdf)}" aria-label="{own}">PDF</a></td>'
                    if row.pdf
                    else "<td>none</td>"
                )
            parts.append(
                f"<tr>{city_cell}<td>{link}</td>"
                f'<td class="{css}">{html.escape(status_words.get(row.status, row.status))}</td>'
                f"<td>{html.escape(row.finished)}</td><td>{seconds}</td>{pdf_td}</tr>"
            )
    parts.append("</tbody></table>")
    return page(f"{heading}: {cohort_name}", "\n".join(parts))


class PdfWorkers:
    """:func:`pdf_from_pages` in worker processes, so that several PDFs render at once while the
    caller goes on (WeasyPrint holds the GIL: threads would not help). Each of ``processes``
    threads feeds its own ``python -m cohort_tools.render.pdf_worker`` (started on first use).
    With ``processes`` of 1 or less each PDF renders at once in this process (a small run pays
    no start-up)."""

    def __init__(self, processes: int) -> None:
        self._tasks: queue.Queue[tuple[list[str], str | None, Future[bytes]] | None]
        self._tasks = queue.Queue()
        self._threads = [
            threading.Thread(target=self._serve, name=f"cda-pdf-{i}", daemon=True)
            for i in range(processes if processes > 1 else 0)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, pages: Sequence[str], *, base_url: str | None = None) -> Future[bytes]:
        done: Future[bytes] = Future()
        if self._threads:
            self._tasks.put((list(pages), base_url, done))
            return done
        try:
            done.set_result(pdf_from_pages(pages, base_url=base_url))
        except Exception as exc:  # handed to whoever reads the future, as from a worker
            done.set_exception(exc)
        return done

    def _serve(self) -> None:
        worker: subprocess.Popen[str] | None = None
        try:
            while (task := self._tasks.get()) is not None:
                pages, base_url, done = task
                if not done.set_running_or_notify_cancel():
                    continue
                if worker is None or worker.poll() is not None:
                    _stop(worker)
                    worker = subprocess.Popen(
                        [sys.executable, "-m", "cohort_tools.render.pdf_worker"],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        text=True,
                        encoding="utf-8",
                    )
                assert worker.stdin is not None and worker.stdout is not None
                handle, name = tempfile.mkstemp(prefix="cda-pdf-", suffix=".pdf")
                os.close(handle)
                out = Path(name)
                try:
                    job = {"pages": pages, "base_url": base_url, "out": str(out)}
                    worker.stdin.write(json.dumps(job) + "\n")
                    worker.stdin.flush()
                    answer = json.loads(worker.stdout.readline() or '{"error": "it stopped"}')
                    if "error" in answer:
                        raise RuntimeError(f"the PDF could not be made: {answer['error']}")
                    done.set_result(out.read_bytes())
                except Exception as exc:  # raised where the PDF is waited for
                    done.set_exception(exc)
                finally:
                    out.unlink(missing_ok=True)
        finally:
            _stop(worker)

    def close(self, *, cancel: bool = False) -> None:
        """Wait for the PDFs still rendering (or, with ``cancel``, drop those not started)."""
        if cancel:
            while True:
                try:
                    task = self._tasks.get_nowait()
                except queue.Empty:
                    break
                if task is not None:
                    task[2].cancel()
        for _thread in self._threads:
            self._tasks.put(None)
        for thread in self._threads:
            thread.join()
        self._threads = []


def settled(outputs: Mapping[K, bytes | Future[bytes]]) -> dict[K, bytes]:
    """``outputs`` with each PDF still being made (a :meth:`PdfWorkers.submit` future) waited for;
    raises what making one raised."""
    return {key: v.result() if isinstance(v, Future) else v for key, v in outputs.items()}


def _stop(worker: subprocess.Popen[str] | None) -> None:
    """End a PDF worker: it leaves its loop when its input closes."""
    if worker is not None:
        for pipe in (worker.stdin, worker.stdout):
            if pipe is not None:
                pipe.close()
        worker.wait()


def pdf_from_pages(pages: Sequence[str], *, base_url: str | None = None) -> bytes:
    """One PDF from several self-contained pages, in order (WeasyPrint)."""
    from weasyprint import HTML

    documents = [HTML(string=p, base_url=base_url).render() for p in pages]
    all_pages = [pg for doc in documents for pg in doc.pages]
    # A tagged PDF carries the structure and each chart's alt text for screen readers.
    pdf: bytes = documents[0].copy(all_pages).write_pdf(pdf_tags=True)
    return pdf
