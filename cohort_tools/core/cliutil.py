"""How the ``cda`` command is made from the api functions (the table itself is in cohort_tools/cli.py).

A :class:`Command` names a command path (``"course build"``), the api function it calls, its help, and
how its result is shown. :func:`build_app` turns a table of them into one typer app:

- every parameter of the api function becomes an option (or an argument, when the table says so)
  whose type and default are the function's own, so a default is written once, in the api module;
- ``Annotated[int, Field(ge=1)]`` becomes ``min=1``; a ``Literal`` or ``Enum`` becomes a choice;
  a date is read as YYYY-MM-DD;
- commands are grouped by their first word (``cda <noun> <verb>``);
- a deprecated spelling prints one line on stderr, then runs the command: a top-level alias
  (``cda release`` -> ``cda course release``), or a noun given without its verb (``cda packets ...``
  -> ``cda packets build ...``).

A :class:`~cohort_tools.core.errors.CdaError` becomes its message on stderr and exit code 1 (no
traceback); Ctrl-C exits 130 with the command's own note.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import reader_language, speaking

#: Shows a command's result: prints it, and returns an exit code (None or 0 for success).
Show = Callable[[Any, Mapping[str, Any]], int | None]


def show_result(result: Any, _params: Mapping[str, Any]) -> int | None:
    """The default way to show a result: text as it is, else its ``summary()``; exit 1 if not ok."""
    if result is None:
        return None
    if isinstance(result, str):
        typer.echo(result)
    elif hasattr(result, "summary"):
        typer.echo(result.summary())
    else:
        typer.echo(str(result))
    return 0 if getattr(result, "ok", True) else 1


@dataclass(frozen=True)
class Command:
    """One ``cda`` command: its path, the api function it calls, and how the CLI presents it."""

    path: str  # "noun verb", e.g. "course build"
    verb: Callable[..., Any]  # a keyword-only typed function in a product's api module
    help: str
    show: Show = show_result
    arguments: tuple[str, ...] = ()  # parameters given by position instead of as --options
    flags: Mapping[str, str] = field(default_factory=dict)  # parameter -> option, e.g. --city
    helps: Mapping[str, str] = field(default_factory=dict)  # parameter -> help (beside the common)
    fixed: Mapping[str, Any] = field(default_factory=dict)  # parameters the CLI fills itself
    old: tuple[str, ...] = ()  # deprecated spellings, kept for one release
    interrupted: str = ""  # said after "Interrupted." when Ctrl-C stops the command

    @property
    def noun(self) -> str:
        return self.path.split()[0]

    @property
    def name(self) -> str:
        return self.path.split()[-1]

    def option(self, parameter: str) -> str:
        return self.flags.get(parameter, "--" + parameter.replace("_", "-"))


def deprecation(old: str, new: str) -> str:
    return f"note: `cda {old}` is now `cda {new}`; the old spelling goes in the next release."


def parse_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"'{value}' is not a date. Fix: write it as YYYY-MM-DD, e.g. 2027-02-01."
        ) from None


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """(the type, its Annotated metadata) - pydantic's Field(ge=...) carries annotated_types.Ge."""
    if typing.get_origin(annotation) is Annotated:
        base, *meta = typing.get_args(annotation)
        found: list[Any] = []
        for m in meta:
            found += [m, *getattr(m, "metadata", [])]
        return base, found
    return annotation, []


def _is_date(annotation: Any) -> bool:
    if annotation is dt.date:
        return True
    args = typing.get_args(annotation)
    return isinstance(annotation, types.UnionType) and dt.date in args


def annotation_of(fn: Callable[..., Any], p: inspect.Parameter) -> Any:
    """A parameter's type, evaluated alone (a return type may name a class imported only for
    type checking, so ``typing.get_type_hints`` on the whole function would fail)."""
    if not isinstance(p.annotation, str):
        return p.annotation
    return eval(p.annotation, fn.__globals__)  # the api module's own annotation text


def parameters(cmd: Command, common_help: Mapping[str, str]) -> list[inspect.Parameter]:
    """The CLI parameters of ``cmd``: the api function's own, with typer's option information."""
    out = []
    for name, p in inspect.signature(cmd.verb).parameters.items():
        if name in cmd.fixed:
            continue
        if p.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"{cmd.verb.__qualname__}: parameter '{name}' must be keyword-only")
        base, meta = _unwrap(annotation_of(cmd.verb, p))
        info: dict[str, Any] = {"help": cmd.helps.get(name) or common_help.get(name)}
        for m in meta:
            if getattr(m, "ge", None) is not None:
                info["min"] = m.ge
        if _is_date(base):
            info.update(parser=parse_date, metavar="YYYY-MM-DD")
        if name in cmd.arguments:
            typed: Any = typer.Argument(**info)
        else:
            typed = typer.Option(cmd.option(name), **info)
        out.append(
            inspect.Parameter(
                name,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=p.default,
                annotation=Annotated[base, typed],
            )
        )
    return out


def callback(cmd: Command, common_help: Mapping[str, str]) -> Callable[..., None]:
    """A typer command function for ``cmd``: call the api function, show the result."""

    def run(**params: Any) -> None:
        try:
            with speaking(
                reader_language()
            ):  # `cda --language`; what a verb makes speaks its city's
                result = cmd.verb(**params, **cmd.fixed)
                code = cmd.show(result, params)
        except CdaError as err:
            typer.echo(str(err), err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            typer.echo(" ".join(filter(None, ["Interrupted.", cmd.interrupted])), err=True)
            raise typer.Exit(130) from None
        if code:
            raise typer.Exit(code)

    run.__signature__ = inspect.Signature(parameters(cmd, common_help))  # type: ignore[attr-defined]  # typer reads it
    run.__name__ = cmd.path.replace(" ", "_")
    run.__qualname__ = run.__name__
    run.__doc__ = cmd.help
    return run


def _warned(old: str, new: str, fn: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(fn)
    def alias(**params: Any) -> None:
        typer.echo(deprecation(old, new), err=True)
        fn(**params)

    return alias


class _NounGroup(TyperGroup):
    """A noun's group of verbs. ``default_verb``: the verb a deprecated verb-less call means."""

    default_verb: str = ""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if self.default_verb and not (args and (args[0] in self.commands or args[0] == "--help")):
            typer.echo(deprecation(str(self.name), f"{self.name} {self.default_verb}"), err=True)
            args = [self.default_verb, *args]
        return super().parse_args(ctx, args)


def build_app(
    app: typer.Typer,
    commands: tuple[Command, ...],
    *,
    nouns: Mapping[str, str],
    common_help: Mapping[str, str],
) -> dict[str, typer.Typer]:
    """Register every command on ``app``, grouped by noun; return the noun groups."""
    defaults = {old: cmd.name for cmd in commands for old in cmd.old if old == cmd.noun}
    groups: dict[str, typer.Typer] = {}
    for noun, text in nouns.items():
        cls = type(f"{noun.title()}Group", (_NounGroup,), {"default_verb": defaults.get(noun, "")})
        groups[noun] = typer.Typer(help=text, cls=cls, no_args_is_help=noun not in defaults)
        app.add_typer(groups[noun], name=noun)
    for cmd in commands:
        fn = callback(cmd, common_help)
        groups[cmd.noun].command(cmd.name, help=cmd.help)(fn)
        for old in cmd.old:
            if old != cmd.noun:
                app.command(old, hidden=True, help=f"Old spelling of `cda {cmd.path}`.")(
                    _warned(old, cmd.path, fn)
                )
    return groups
