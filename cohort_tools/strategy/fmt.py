"""Numbers, money, shares and dates in the strategy, as a reader of its language writes them.

English keeps the strategy's own formats exactly (``$1.20 million``, ``45%``, ``July 2027``);
another language takes Babel's (:mod:`cohort_tools.core.i18n`) for the city's country, set with
:func:`in_country` around everything made for one city (``$ 1.200.000`` in Colombia).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from contextvars import ContextVar

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from cohort_tools.core.i18n import _, current_language, format_date, format_money, locale_for

_country: ContextVar[str | None] = ContextVar("cda_strategy_country", default=None)


@contextlib.contextmanager
def in_country(country: str | None) -> Iterator[None]:
    """Write money and numbers inside the block as ``country`` does (``CO``: pesos)."""
    token = _country.set(country)
    try:
        yield
    finally:
        _country.reset(token)


def english() -> bool:
    return current_language() == "en"


def country() -> str | None:
    return _country.get()


def _locale() -> Locale:
    return locale_for(current_language(), country())


def number(value: float, digits: int = 0) -> str:
    """``12,400`` (``digits`` after the point), ``12.400`` in Colombia."""
    if english():
        return f"{value:,.{digits}f}"
    return str(
        format_decimal(
            value, format="#,##0" + ("." + "0" * digits if digits else ""), locale=_locale()
        )
    )


def brief(value: float) -> str:
    """Up to two digits after the point, none when they are zero (``4.74``, ``4.5``, ``12``)."""
    if english():
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return str(format_decimal(value, format="#,##0.##", locale=_locale()))


def fixed(value: float, digits: int = 0) -> str:
    """A number with ``digits`` after the point and no thousands separator (``4.7``)."""
    if english():
        return f"{value:.{digits}f}"
    return str(
        format_decimal(value, format="0" + ("." + "0" * digits if digits else ""), locale=_locale())
    )


def g(value: float) -> str:
    """A number as short as it reads (``4.74``, ``11``): Python's ``:g`` in English."""
    if english():
        return f"{value:g}"
    return str(format_decimal(float(f"{value:g}"), format="0.######", locale=_locale()))


def share(value: float) -> str:
    """``45%``."""
    if english():
        return f"{value:.0%}"
    number = format_decimal(round(value * 100), format="#,##0", locale=_locale())
    return _("{number}%").format(number=number)


def usd(amount: float) -> str:
    """An amount: ``$1.20 million`` or ``$12,345`` in English, the country's money otherwise."""
    if english():
        if abs(amount) >= 1_000_000:
            return f"${amount / 1_000_000:,.2f} million".replace(".00 million", " million")
        return f"${amount:,.0f}"
    return format_money(amount, country=country() or "US")


def month(day: dt.date, *, long: bool = False) -> str:
    """``Jul 2027`` (``July 2027`` when ``long``); ``jul 2027``, ``julio de 2027`` in Spanish."""
    if english():
        return day.strftime("%B %Y" if long else "%b %Y")
    return str(format_skeleton("yMMMM" if long else "yMMM", day, locale=_locale()))


def date(day: dt.date) -> str:
    """``January 15, 2027``, ``15 de enero de 2027``."""
    return format_date(day, country=country())


__all__ = ["brief", "date", "fixed", "g", "in_country", "month", "number", "share", "usd"]
