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

``--help`` speaks the reader's language (:class:`RootGroup`): before the command line is parsed, every
help text of the command tree (:func:`help_texts`: a noun's, a command's, an option's) is replaced by
its translation from the catalog, as are the words typer and click put around them (``Options``,
``Usage:``: :func:`cohort_tools.core.compat.help_words`). Babel extracts the help texts from the
built command itself (:func:`cohort_tools.cli.extract_help`), so a new option's help is a catalog
message without being marked.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
import types
import typing
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from cohort_tools.core import compat
from cohort_tools.core.errors import CdaError
from cohort_tools.core.i18n import (
    LANGUAGE_NAMES,
    SOURCE_LANGUAGE,
    _,
    gettext,
    reader_language,
    speaking,
)

#: The environment variable that sets the reader's language, as ``cda --language`` does.
LANGUAGE_VARIABLE = "CDA_LANGUAGE"

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
    return _(
        "note: `cda {old}` is now `cda {new}`; the old spelling goes in the next release."
    ).format(old=old, new=new)


def parse_date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            _("'{value}' is not a date. Fix: write it as YYYY-MM-DD, e.g. 2027-02-01.").format(
                value=value
            )
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
            note = _(cmd.interrupted) if cmd.interrupted else ""
            typer.echo(" ".join(filter(None, [_("Interrupted."), note])), err=True)
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


# -- `--help` in the reader's language -----------------------------------------------------------------


#: A command or a parameter of typer's command tree (typer 0.29 builds it on its own copy of click,
#: whose classes are not public).
Node = Any


def _commands(command: Node) -> Iterator[Node]:
    """``command`` and every command under it that ``--help`` lists (old spellings are hidden)."""
    yield command
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            if not sub.hidden:
                yield from _commands(sub)


def _helped(command: Node) -> Iterator[Node]:
    """What carries a help text: the commands, and their parameters that ``--help`` shows."""
    for cmd in _commands(command):
        yield cmd
        yield from (p for p in cmd.params if not getattr(p, "hidden", False))


def help_texts(command: Node) -> Iterator[str]:
    """Every help text of ``command``'s tree, as click holds it: the messages Babel extracts."""
    for item in _helped(command):
        text = getattr(item, "help", None)
        if text:
            yield text


#: Each command's and parameter's English help, kept when it is first translated (a tree built
#: once may be shown in several languages, e.g. by a test).
_ENGLISH: weakref.WeakKeyDictionary[object, str] = weakref.WeakKeyDictionary()


def help_in(command: Node, ctx: Any, language: str) -> None:
    """Make every ``--help`` page of ``command``'s tree read in ``language``: the help texts from the
    catalog, and typer's and click's own words (English for a message not translated yet)."""

    def translate(message: str) -> str:
        return gettext(message, language=language)

    compat.help_words(translate)
    for item in _helped(command):
        english = _ENGLISH.get(item) or getattr(item, "help", None)
        if english:
            _ENGLISH[item] = english
            item.help = translate(english)
    for cmd in _commands(command):
        for attribute, english in compat.METAVARS.items():
            if getattr(cmd, attribute, None):
                setattr(cmd, attribute, translate(english))
        option = cmd.get_help_option(ctx)  # one object per command (typer 0.29 keeps it)
        if option is not None:
            option.help = translate(compat.HELP_OPTION)


def language_in(args: list[str]) -> str | None:
    """The language a command line asks for (``--language es`` or ``--language=es``, the first
    one), else :data:`LANGUAGE_VARIABLE`'s; None when neither is a language of the programme."""
    asked = os.environ.get(LANGUAGE_VARIABLE)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--language" and i + 1 < len(args):
            asked = args[i + 1]
            break
        if arg.startswith("--language="):
            asked = arg.partition("=")[2]
            break
    return asked if asked in LANGUAGE_NAMES else None


class RootGroup(TyperGroup):
    """The ``cda`` group: its help pages (and every command's under it) are in the language the
    command line asks for, wherever ``--language`` stands on it (before or after ``--help``)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        help_in(self, ctx, language_in(args) or SOURCE_LANGUAGE)
        return super().parse_args(ctx, args)
