"""The offline check: a built page must not fetch anything from another host."""

from __future__ import annotations

from pathlib import Path

from cohort_tools.book.offline import find_external_resources, is_external, scan_html


def test_external_scripts_styles_fonts_and_images_are_found() -> None:
    html = """
    <html><head>
      <script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
      <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Lato">
      <link rel="preconnect" href="//fonts.gstatic.com">
      <style>@import "https://example.org/x.css"; body { background: url(https://e.org/bg.png) }</style>
    </head><body>
      <img src="http://example.com/chart.png" alt="x">
      <img srcset="local.png 1x, https://e.org/big.png 2x" alt="y">
      <div style="background-image: url('https://e.org/a.png')"></div>
      <iframe src="https://www.youtube.com/embed/x"></iframe>
    </body></html>
    """
    urls = {url for _, url in scan_html(html)}
    assert urls == {
        "https://cdn.jsdelivr.net/npm/vega@5",
        "https://fonts.googleapis.com/css?family=Lato",
        "//fonts.gstatic.com",
        "https://example.org/x.css",
        "https://e.org/bg.png",
        "http://example.com/chart.png",
        "https://e.org/big.png",
        "https://e.org/a.png",
        "https://www.youtube.com/embed/x",
    }


def test_links_local_files_and_data_uris_are_allowed() -> None:
    html = """
    <a href="https://spd15revision.gov/">a source the reader may follow</a>
    <link rel="canonical" href="https://example.org/page.html">
    <script src="_static/doctools.js"></script>
    <img src="data:image/svg+xml;base64,PHN2Zz4=" alt="chart">
    <script>const url = "https://example.org/not-fetched";</script>
    """
    assert scan_html(html) == []


def test_is_external_knows_schemes() -> None:
    assert is_external("https://x.org/a.js") and is_external("//x.org/a.js")
    assert not is_external("_static/a.js") and not is_external("mailto:a@b.example")
    assert not is_external("data:image/png;base64,AAAA")


def test_site_scan_names_the_file_and_reads_stylesheets(tmp_path: Path) -> None:
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.css").write_text(
        "@font-face { src: url(https://fonts.gstatic.com/s/lato.woff2) }", encoding="utf-8"
    )
    (tmp_path / "ok.html").write_text('<script src="_static/a.js"></script>', encoding="utf-8")
    found = find_external_resources(tmp_path)
    assert [(f.file, f.url) for f in found] == [
        ("_static/theme.css", "https://fonts.gstatic.com/s/lato.woff2")
    ]
    assert "theme.css" in str(found[0])


def test_a_remembered_scan_reads_only_pages_whose_size_or_time_changed(tmp_path: Path) -> None:
    import json
    import os

    site, memory = tmp_path / "site", tmp_path / "scan.json"
    site.mkdir()
    kept, edited = site / "kept.html", site / "edited.html"
    kept.write_text('<script src="_static/a.js"></script>', encoding="utf-8")
    edited.write_text("<p>first</p>", encoding="utf-8")
    assert find_external_resources(site, remember=memory) == []

    # What the scan remembers of the unchanged page is used without reading the page again: a
    # remembered finding that the page does not hold is still reported.
    record = json.loads(memory.read_text(encoding="utf-8"))
    record["kept.html"][1] = [["<script src>", "https://planted.example/a.js"]]
    memory.write_text(json.dumps(record), encoding="utf-8")
    # The edited page changed (its size and its time): it is read again.
    stat = edited.stat()
    edited.write_text('<img src="https://e.org/x.png">', encoding="utf-8")
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    found = find_external_resources(site, remember=memory)
    assert sorted((f.file, f.url) for f in found) == [
        ("edited.html", "https://e.org/x.png"),
        ("kept.html", "https://planted.example/a.js"),
    ]
    # Without the record, every page is read.
    assert [(f.file, f.url) for f in find_external_resources(site)] == [
        ("edited.html", "https://e.org/x.png")
    ]


def test_a_missing_or_unreadable_record_means_every_page_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text('<img src="https://e.org/x.png">', encoding="utf-8")
    memory = tmp_path / "scan.json"
    memory.write_text("not json", encoding="utf-8")
    assert [f.url for f in find_external_resources(tmp_path, remember=memory)] == [
        "https://e.org/x.png"
    ]


def test_sidebar_toggles_get_an_accessible_name(tmp_path: Path) -> None:
    from cohort_tools.book.build import NAV_TOGGLE, name_navigation_toggles

    page = tmp_path / "page.html"
    page.write_text(f"<nav>{NAV_TOGGLE}<i></i></span></summary></nav>", encoding="utf-8")
    assert name_navigation_toggles(tmp_path) == 1
    assert '<summary aria-label="Show or hide the pages of this section">' in page.read_text()
