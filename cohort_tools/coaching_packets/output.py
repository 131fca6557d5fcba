"""The packet output folder: pages, PDFs, cache records and the index.

Consistency: each page is written atomically and only then its record (a worksheet's record only
once its own PDF is written too); each PDF atomically; the index is rebuilt from the records at the
end of every run - also after Ctrl-C, once every kernel has been killed - so the folder never points
at a missing or torn page. PDFs render in worker processes (:class:`PdfWorkers`) while the next
notebooks run; :meth:`OutputFolder.finish` waits for them.

::

    <out>/index.html                       every city and template, with its status
    <out>/<city>/<template>.html           one page per packet (or its error page)
    <out>/<city>/<city>-packet.pdf         the city's made pages as one PDF
    <out>/.cda-packets/<city>/<name>.json  cache records (key, status, timing)
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from cohort_tools.coaching_packets.jobs import CityTarget, Job, JobResult
from cohort_tools.core.fileio import atomic_write_bytes, atomic_write_text
from cohort_tools.notebooks.digest import sha256_hex
from cohort_tools.notebooks.myst import Template
from cohort_tools.render.page import IndexRow, PdfWorkers

RECORDS = ".cda-packets"  # folder (inside the output folder) holding the cache records


class OutputFolder:
    """The packet output folder: pages, PDFs, records and the index.

    ``each_pdf``: every made page gets its own PDF beside it (the worksheets: one per workshop)
    instead of one PDF per city; ``heading`` and ``column`` name the index's title and page column.
    """

    def __init__(
        self,
        root: Path,
        *,
        each_pdf: bool = False,
        heading: str = "Coaching packets",
        column: str = "Template",
        pdf_workers: PdfWorkers | None = None,
    ) -> None:
        self.root = root
        self.each_pdf = each_pdf
        self.heading = heading
        self.column = column
        self._workers = pdf_workers or PdfWorkers(0)
        self._pending: list[Future[None]] = []
        self._errors: list[BaseException] = []
        self._lock = threading.Lock()

    def use_pdf_workers(self, processes: int) -> None:
        """Render PDFs in ``processes`` worker processes from now on (1 or less: here, at once)."""
        self._workers.close()
        self._workers = PdfWorkers(processes)

    def _render(self, pages: Sequence[str], target: Path, then: Callable[[], None]) -> Future[None]:
        """Render ``pages`` into ``target`` (atomically), then call ``then``; an error is kept
        for :meth:`finish` to raise."""
        done: Future[None] = Future()

        def written(rendered: Future[bytes]) -> None:
            try:
                atomic_write_bytes(target, rendered.result())
                then()
            except BaseException as exc:  # raised by finish(), in the caller's thread
                with self._lock:
                    self._errors.append(exc)
            done.set_result(None)

        self._workers.submit(pages, base_url=str(target.parent)).add_done_callback(written)
        with self._lock:
            self._pending.append(done)
        return done

    def finish(self, *, cancel: bool = False) -> None:
        """Wait for every PDF still rendering and write what follows it; raise the first error.
        With ``cancel`` (Ctrl-C) PDFs not started are dropped: their pages have no record yet,
        so the next run makes them again."""
        self._workers.close(cancel=cancel)
        with self._lock:
            pending = list(self._pending)
        for fut in pending:
            if not fut.cancelled():
                fut.result()
        if self._errors and not cancel:
            raise self._errors[0]

    def page_pdf(self, city_id: str, template: str) -> Path:
        return self.root / city_id / f"{template}.pdf"

    def page(self, city_id: str, template: str) -> Path:
        return self.root / city_id / f"{template}.html"

    def pdf(self, city_id: str) -> Path:
        return self.root / city_id / f"{city_id}-packet.pdf"

    def record_path(self, city_id: str, name: str) -> Path:
        return self.root / RECORDS / city_id / f"{name}.json"

    def record(self, city_id: str, name: str) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.record_path(city_id, name).read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        return data

    def is_current(self, job: Job) -> bool:
        rec = self.record(job.city.id, job.template.name)
        return bool(
            rec
            and rec.get("key") == job.key
            and rec.get("status") == "ok"
            and self.page(job.city.id, job.template.name).is_file()
            and (not self.each_pdf or self.page_pdf(job.city.id, job.template.name).is_file())
        )

    def save(self, result: JobResult, title: str) -> None:
        """The page first, then its record: a record never points at a missing or torn page (nor,
        for a worksheet, at a page whose PDF is not written yet)."""
        assert result.html is not None
        atomic_write_text(self.page(result.city_id, result.template), result.html)
        if self.each_pdf:
            own = self.page_pdf(result.city_id, result.template)
            if result.status == "ok":
                self._render([result.html], own, lambda: self._record(result, title))
                return
            own.unlink(missing_ok=True)
        self._record(result, title)

    def _record(self, result: JobResult, title: str) -> None:
        record = {
            "key": result.key,
            "status": result.status,
            "seconds": round(result.seconds, 3),
            "finished": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
            "title": title,
            "summary": result.summary,
        }
        atomic_write_text(
            self.record_path(result.city_id, result.template), json.dumps(record, indent=1)
        )

    def write_pdf(
        self, city: CityTarget, templates: Sequence[Template], *, force: bool = False
    ) -> Path | None:
        """(Re)build the city's PDF from its made pages when they changed (rendered in a worker:
        :meth:`finish` waits for it); None if none are made (or when each page has its own PDF)."""
        if self.each_pdf:
            return None
        made = []
        for t in templates:
            rec = self.record(city.id, t.name)
            if rec and rec.get("status") == "ok" and self.page(city.id, t.name).is_file():
                made.append((t, rec["key"]))
        target = self.pdf(city.id)
        if not made:
            for stale in (target, self.record_path(city.id, "_pdf")):
                stale.unlink(missing_ok=True)
            return None
        key = sha256_hex(json.dumps([[t.name, k] for t, k in made]).encode())
        rec = self.record(city.id, "_pdf")
        if not force and rec and rec.get("key") == key and target.is_file():
            return target
        pages = [self.page(city.id, t.name).read_text(encoding="utf-8") for t, _ in made]
        record = self.record_path(city.id, "_pdf")

        def recorded() -> None:
            atomic_write_text(record, json.dumps({"key": key}))

        self._render(pages, target, recorded)
        return target

    def write_index(
        self, cohort_name: str, cities: Sequence[CityTarget], templates: Sequence[Template]
    ) -> Path:
        """The index from what is on disk now (records and files), for every city and template."""
        from cohort_tools.render.page import index_page

        rows = []
        pdfs = {}
        for city in cities:
            if self.pdf(city.id).is_file():
                pdfs[city.id] = self.pdf(city.id).relative_to(self.root).as_posix()
            for t in templates:
                rec = self.record(city.id, t.name)
                page = self.page(city.id, t.name)
                present = rec is not None and page.is_file()
                own = self.page_pdf(city.id, t.name)
                rows.append(
                    IndexRow(
                        city_id=city.id,
                        city_name=city.name,
                        template=t.name,
                        title=t.title,
                        status=rec["status"] if present and rec else "missing",
                        href=page.relative_to(self.root).as_posix() if present else None,
                        seconds=rec.get("seconds") if present and rec else None,
                        finished=rec.get("finished", "") if present and rec else "",
                        pdf=own.relative_to(self.root).as_posix()
                        if self.each_pdf and present and own.is_file()
                        else None,
                    )
                )
        target = self.root / "index.html"
        atomic_write_text(
            target,
            index_page(
                cohort_name=cohort_name,
                rows=rows,
                pdfs=pdfs,
                heading=self.heading,
                column=self.column,
            ),
        )
        return target


__all__ = ["RECORDS", "OutputFolder"]
