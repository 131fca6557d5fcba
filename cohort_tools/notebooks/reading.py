"""Read a notebook this package wrote: a course's source, released or graded copy.

``nbformat.read`` checks every notebook against the format's JSON schema, which takes longer than
reading it (about 10 ms for a workshop, and a strategy studio reads tens of graded workshops each
time it rebuilds the strategy). A notebook this package wrote is already valid, so it is parsed
and wrapped without that check. A notebook of another major version goes through nbformat (which
converts it). A learner's submission is never read this way: the grader reads it with nbformat.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.v4 import nbjson


def read_written(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` (written by this package), as ``nbformat.read(path, 4)`` gives it."""
    data = json.loads(Path(path).read_bytes())
    if isinstance(data, dict) and data.get("nbformat") == 4 and isinstance(data.get("cells"), list):
        # what nbformat's own version-4 reader does before its check: lines joined, and transient
        # fields dropped
        node: nbformat.NotebookNode = nbjson.JSONReader().to_notebook(data)
        return node
    read: nbformat.NotebookNode = nbformat.read(str(path), as_version=4)
    return read
