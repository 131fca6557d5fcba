"""Content hashes for caches of executed notebooks (packets, the book): bytes in, hex digest out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


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


__all__ = ["folder_digest", "json_digest", "sha256_hex"]
