"""Content hashes for caches of executed notebooks (packets, the book): bytes in, hex digest out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from cohort_tools.core.fileio import atomic_write_text


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def json_digest(payload: Any) -> str:
    """The hash of ``payload`` as canonical JSON (sorted keys; other values by ``str``)."""
    return sha256_hex(json.dumps(payload, sort_keys=True, default=str).encode())


def folder_digest(folder: Path, *, suffixes: tuple[str, ...] = ()) -> str:
    """Content hash of every file under ``folder`` (relative path and bytes), or 'missing'.

    Files and folders whose name starts with a dot (editor swap files, caches) are not data and
    are left out. ``suffixes``: only files whose name ends with one of them (e.g. ``(".py",)``
    for a package's source, without its ``__pycache__``).
    """
    if not folder.is_dir():
        return "missing"
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        if suffixes and not path.name.endswith(suffixes):
            continue
        h.update(rel.encode() + b"\0" + sha256_hex(path.read_bytes()).encode() + b"\n")
    return h.hexdigest()


def source_digest() -> str:
    """The hash of this package's code and catalogs (``.py`` and ``.po``): what a product is made
    by. A change to the code or to a translation makes every product that records it again."""
    package = Path(__file__).resolve().parents[1]
    return folder_digest(package, suffixes=(".py", ".po"))


class RunRecord:
    """A product folder's record of the run that made it: skip the work when nothing changed.

    After a product is written into ``folder``, :meth:`save` stores the content hash of its inputs
    (the caller's ``key``, e.g. :func:`json_digest` of every input's hash) and of the folder as the
    run left it, in the dot-file ``name`` inside the folder (dot-files are not part of the folder's
    hash). :meth:`unchanged` is true only when both still match: a changed input, or a folder
    changed or removed since (a deleted PDF, a page edited by hand), means the product is made
    again. :meth:`forget` drops the record before a run changes the folder, so a run that fails
    leaves none.
    """

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder
        self.path = folder / name

    def _read(self) -> dict[str, Any]:
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return record if isinstance(record, dict) else {}

    def unchanged(self, key: str) -> bool:
        record = self._read()
        return record.get("inputs") == key and record.get("outputs") == folder_digest(self.folder)

    def extra(self) -> dict[str, Any]:
        """What :meth:`save` kept beside the hashes (a summary to print again), or {}."""
        value = self._read().get("extra")
        return value if isinstance(value, dict) else {}

    def save(self, key: str, extra: dict[str, Any] | None = None) -> None:
        record = {"inputs": key, "outputs": folder_digest(self.folder), "extra": extra or {}}
        atomic_write_text(self.path, json.dumps(record, indent=1, sort_keys=True))

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


__all__ = ["RunRecord", "folder_digest", "json_digest", "sha256_hex", "source_digest"]
