"""PDFs render in worker processes; a page's record is written only once its PDF is (worksheets)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_tools.coaching_packets.jobs import JobResult
from cohort_tools.coaching_packets.output import OutputFolder
from cohort_tools.render.page import PdfWorkers

PAGE = "<!doctype html><html lang='en'><head><title>t</title></head><body><p>{}</p></body></html>"


def _result(name: str, html: str) -> JobResult:
    return JobResult("riverton", name, "ok", 0.1, f"key-{name}", "made", html=html)


def test_worksheet_pdfs_render_in_workers_and_each_record_follows_its_pdf(tmp_path: Path) -> None:
    folder = OutputFolder(tmp_path, each_pdf=True)
    folder.use_pdf_workers(2)
    names = [f"page{i}" for i in range(4)]
    for name in names:
        folder.save(_result(name, PAGE.format(name)), name)
    folder.finish()
    for name in names:
        assert folder.page_pdf("riverton", name).read_bytes().startswith(b"%PDF")
        assert folder.record("riverton", name) is not None


def test_a_pdf_that_fails_leaves_no_record_and_the_run_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(pages: list[str], *, base_url: str | None = None) -> bytes:
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr("cohort_tools.render.page.pdf_from_pages", broken)
    folder = OutputFolder(tmp_path, each_pdf=True, pdf_workers=PdfWorkers(0))
    folder.save(_result("page", PAGE.format("x")), "page")
    with pytest.raises(RuntimeError, match="WeasyPrint failed"):
        folder.finish()
    assert folder.record("riverton", "page") is None
    assert not folder.page_pdf("riverton", "page").exists()


def test_a_worker_process_reports_a_page_it_cannot_render_and_keeps_serving() -> None:
    from typing import cast

    workers = PdfWorkers(2)
    try:
        bad = workers.submit(cast(list[str], [None]))  # not a page: WeasyPrint refuses it
        good = workers.submit([PAGE.format("fine")])
        with pytest.raises(RuntimeError, match="the PDF could not be made"):
            bad.result(timeout=120)
        assert good.result(timeout=120).startswith(b"%PDF")
    finally:
        workers.close()
