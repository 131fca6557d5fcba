"""Shared pieces of the command-line layer."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from cohort_tools.core.errors import CdaError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(fn: F) -> F:
    """Turn CdaError into its message on stderr and exit code 1 (no traceback)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except CdaError as err:
            typer.echo(str(err), err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
