"""The curriculum's sources as data: typed, strict models for curriculum/references.yaml.

Every public source the curriculum cites is one :class:`Reference`: its title, publisher, year, link,
the date someone last read it, what the curriculum uses it for, and whether all of that could be
confirmed. The book renders the list as its References page; tests check that every citation in the
curriculum's text is listed here (through each entry's ``cited_as`` words).

What people read of an entry (its title, publisher, ``supports`` and ``note``) is extracted into the
gettext catalog (babel.cfg) and read in the current language through :attr:`Reference.uses` and
:attr:`Reference.caveat`; ids, links and dates are the same in every language. A title or publisher
is a name: the book shows its catalog entry as MyST (see ``cohort_tools.book.pages.references_page``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import ConfigDict, Field, HttpUrl, ValidationError, model_validator

from cohort_tools.core import paths
from cohort_tools.core.config import StrictModel, load_yaml, problems_from_validation
from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import gettext

REFERENCES_FILE = "references.yaml"
RefId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[str, Field(min_length=1)]


class _Strict(StrictModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, validate_default=True)


class Reference(_Strict):
    """One cited source."""

    id: RefId
    title: Text
    publisher: Text
    year: Annotated[int, Field(ge=1900, le=2100)] | None
    url: HttpUrl | None
    checked: dt.date | None
    supports: list[Text] = Field(min_length=1)
    cited_as: list[Text] = Field(min_length=1)
    confirmed: bool
    note: str = ""

    @model_validator(mode="after")
    def _unconfirmed_parts_are_explained(self) -> Reference:
        gaps = [
            name
            for name, missing in (
                ("year", self.year is None),
                ("url", self.url is None),
                ("checked", self.checked is None),
            )
            if missing
        ]
        if (gaps or not self.confirmed) and not self.note.strip():
            what = ", ".join(gaps) if gaps else "confirmed: false"
            raise ValueError(f"{what} needs a note saying what could not be confirmed")
        if gaps and self.confirmed:
            raise ValueError(f"an entry without {', '.join(gaps)} cannot be confirmed: true")
        return self

    @property
    def link(self) -> str | None:
        return str(self.url) if self.url is not None else None

    @property
    def uses(self) -> list[str]:
        """What the curriculum uses the source for (``supports``), in the current language (the
        catalog's translation; the English where it has none yet)."""
        texts = [" ".join(s.split()) for s in self.supports]
        return [gettext(text) for text in texts]

    @property
    def caveat(self) -> str:
        """What to know before relying on the source (``note``), in the current language."""
        note = " ".join(self.note.split())
        return gettext(note) if note else ""


class References(_Strict):
    references: list[Reference] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> References:
        seen: set[str] = set()
        for ref in self.references:
            if ref.id in seen:
                raise ValueError(f"the id '{ref.id}' is used twice")
            seen.add(ref.id)
        return self

    def get(self, ref_id: str) -> Reference:
        for ref in self.references:
            if ref.id == ref_id:
                return ref
        raise KeyError(ref_id)

    def ids(self) -> list[str]:
        return [r.id for r in self.references]


def curriculum_file(name: str) -> Path:
    """``curriculum/<name>`` of the project (``CDA_HOME``), else of the checkout the package runs from.

    A programme team's own copy of the curriculum may hold only some files (say, its own
    programme.yaml); the references, facts, style and kit files then come from the checkout.
    """
    own = paths.curriculum_dir() / name
    if own.exists():
        return own
    return paths.PACKAGE_DIR.parent / "curriculum" / name


def references_file() -> Path:
    return curriculum_file(REFERENCES_FILE)


def load_references(path: Path | None = None) -> References:
    """Load and validate curriculum/references.yaml (or ``path``); CdaError naming every problem."""
    doc = load_yaml(path or references_file(), what="references file")
    try:
        # Dates arrive from YAML as dates; strict mode still takes them as they are.
        return References.model_validate(doc.data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, doc)
        raise CdaError(
            problems, headline=f"{doc.path} is not a valid list of references."
        ) from None


@cache
def default_references() -> References:
    """The checkout's references, read once per process."""
    return load_references()


def unknown_ids(ids: list[str], refs: References, *, file: str, field: str) -> list[Problem]:
    """A problem for each id that is not in ``refs`` (for files that cite references by id)."""
    known = set(refs.ids())
    return [
        Problem(
            file=file,
            field=field,
            message=f"'{i}' is not a reference id.",
            fix=f"use an id from curriculum/{REFERENCES_FILE}, or add the source there.",
        )
        for i in ids
        if i not in known
    ]
