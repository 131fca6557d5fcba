"""Dates as US English text: ``September 28, 2029``, or ``Sep 28, 2029`` in tables.

Every page, packet, notebook and message a US reader meets writes dates this way (the curriculum's
edition is US English; see curriculum/language/en-US.yaml). It sits in core so that every layer,
from the calendar summary to the notebooks (``nb.us_date``), uses the one format.
"""

from __future__ import annotations

import datetime as dt


def us_date(day: dt.date, *, short: bool = False) -> str:
    """``September 28, 2029`` (``Sep 28, 2029`` when ``short``): the date style of US English text.

    Takes a date, a datetime or a pandas Timestamp.
    """
    month = f"{day:%b}" if short else f"{day:%B}"
    return f"{month} {day.day}, {day.year}"


__all__ = ["us_date"]
