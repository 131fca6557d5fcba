"""Texts kept as data (labels, option names, criteria) and shown in the reader's language.

A label table such as ``skills.SKILL_LABELS`` is built once, at import, long before anyone knows
which city's team will read it. Its texts are written in English and marked :func:`N_` so that
``make catalogs`` extracts them (Babel's default keywords include ``N_``); the table is a
:class:`Translated` mapping, which translates a text when it is read (``SKILL_LABELS["statistics"]``,
``.items()``, ``.get()``), in the language current at that moment (:func:`cohort_tools.core.i18n.speaking`,
or the kernel's language that ``nb.start`` sets). Keys (codes, ids, values a checkpoint compares)
never change; in English every text reads exactly as written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar, overload

from cohort_tools.core.i18n import N_, _

K = TypeVar("K")
V = TypeVar("V")


def _text(value: Any) -> Any:
    return _(value) if isinstance(value, str) else value


class Translated(Mapping[K, V]):
    """A read-only mapping whose values are translated each time they are read.

    ``translate`` turns one stored (English) value into the value in the current language; by
    default a text is looked up in the catalog and anything else is returned as it is.
    """

    def __init__(self, data: Mapping[K, V], translate: Callable[[V], V] | None = None) -> None:
        self._data = dict(data)
        self._translate: Callable[[V], V] = translate or _text

    def __getitem__(self, key: K) -> V:
        return self._translate(self._data[key])

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def source(self) -> dict[K, V]:
        """The values as written (English), for code that compares or stores them."""
        return dict(self._data)


class TranslatedTexts(Sequence[str]):
    """A read-only sequence of texts translated each time they are read (``maturity.LEVELS``)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._texts = tuple(texts)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[str, ...]: ...

    def __getitem__(self, index: int | slice) -> str | tuple[str, ...]:
        if isinstance(index, slice):
            return tuple(_(t) for t in self._texts[index])
        return _(self._texts[index])

    def __len__(self) -> int:
        return len(self._texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._texts)

    def __repr__(self) -> str:
        return repr(tuple(self))

    def source(self) -> tuple[str, ...]:
        """The texts as written (English)."""
        return self._texts


__all__ = ["N_", "Translated", "TranslatedTexts"]
