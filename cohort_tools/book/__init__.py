"""The curriculum book: the six-month programme as a static, offline Jupyter Book site."""

from __future__ import annotations

from cohort_tools.book.build import BookBuild, build_book, build_book_report
from cohort_tools.book.notebooks import prepare_for_book, strip_for_book
from cohort_tools.book.offline import ExternalResource, find_external_resources

__all__ = [
    "BookBuild",
    "ExternalResource",
    "build_book",
    "build_book_report",
    "find_external_resources",
    "prepare_for_book",
    "strip_for_book",
]
