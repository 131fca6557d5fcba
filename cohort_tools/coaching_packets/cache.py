"""The packet cache's keys: a content hash of everything a packet page depends on.

Each packet's record holds a hash of the template source, the city's data folder (every file's
bytes), the parameters, the cohort file, the package version and its code and catalogs (a fixed
lesson helper or a new translation refreshes the pages) and the show-code switch; templates that
declare ``cda: {reads_other_cities: true}`` in their header (e.g. a cohort median) also hash every
city's data, and templates that read the course folder hash the city's graded answers
(:func:`cohort_tools.course.layout.course_answers_digest`). A rerun skips packets whose hash is
unchanged and whose page exists; failed packets are always retried.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cohort_tools import __version__
from cohort_tools.coaching_packets.jobs import CityTarget
from cohort_tools.course.layout import course_answers_digest
from cohort_tools.notebooks.digest import folder_digest, json_digest, sha256_hex, source_digest
from cohort_tools.notebooks.myst import Template

ENGINE_FORMAT = "1"  # bump when page rendering changes, to invalidate every cached packet


def packet_key(
    template: Template,
    values: dict[str, Any],
    *,
    city_digest: str,
    cohort_digest: str,
    cohort_data_digest: str,
    show_code: bool,
    source: str = "",
) -> str:
    payload = {
        "format": ENGINE_FORMAT,
        "package": __version__,
        "template": sha256_hex(template.source.encode("utf-8")),
        "parameters": values,
        "data": city_digest,
        "cohort": cohort_digest,
        "cohort_data": cohort_data_digest if template.reads_other_cities else "",
        "show_code": show_code,
        "source": source,
    }
    return json_digest(payload)


class Digests:
    """The inputs' digests for one run, each data folder hashed once."""

    def __init__(
        self,
        *,
        everyone: Sequence[CityTarget],
        templates: Sequence[Template],
        cohort_file: Path | None,
        course_dir: Path | None,
    ) -> None:
        self._folders: dict[Path, str] = {}
        self.course_dir = course_dir
        self.source = source_digest()
        self.cohort = (
            sha256_hex(cohort_file.read_bytes())
            if cohort_file and cohort_file.is_file()
            else "none"
        )
        self.cohort_data = ""
        if any(t.reads_other_cities for t in templates):
            self.cohort_data = sha256_hex(
                "".join(f"{c.id}:{self.folder(c.data_dir)}\n" for c in everyone).encode()
            )

    def folder(self, path: Path) -> str:
        if path not in self._folders:
            self._folders[path] = folder_digest(path)
        return self._folders[path]

    def key(
        self, city: CityTarget, template: Template, values: dict[str, Any], *, show_code: bool
    ) -> str:
        city_digest = self.folder(city.data_dir)
        if "course_dir" in values and self.course_dir:
            # The team's graded answers are an input too: a new grading refreshes the packet.
            city_digest += course_answers_digest(self.course_dir, city.id)
        return packet_key(
            template,
            values,
            city_digest=city_digest,
            cohort_digest=self.cohort,
            cohort_data_digest=self.cohort_data,
            show_code=show_code,
            source=self.source,
        )


__all__ = ["ENGINE_FORMAT", "Digests", "folder_digest", "packet_key"]
