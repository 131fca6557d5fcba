"""Every `cda` option takes its default from the api function it calls (issue 14, rule 3).

The CLI is made from one table (cohort_tools.cli.COMMANDS). These tests read the click commands typer
built and compare each option with the api function's signature: same parameters, same defaults,
required exactly when the function has no default. They also check that every command comes from
the table and that every old spelling still resolves.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from cohort_tools import cli
from cohort_tools.core.cliutil import Command

_ROOT = typer.main.get_command(cli.app)
assert isinstance(_ROOT, TyperGroup)
ROOT: TyperGroup = _ROOT


def _command(path: str) -> Any:
    node: Any = ROOT
    for word in path.split():
        assert isinstance(node, TyperGroup), path
        found = node.commands.get(word)
        assert found is not None, f"`cda {path}` is not registered"
        node = found
    return node


def _leaves(group: TyperGroup, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        if cmd.hidden:
            continue
        if isinstance(cmd, TyperGroup):
            out += _leaves(cmd, f"{prefix}{name} ")
        else:
            out.append(f"{prefix}{name}")
    return out


def _api_parameters(cmd: Command) -> dict[str, inspect.Parameter]:
    params = inspect.signature(cmd.verb).parameters
    return {name: p for name, p in params.items() if name not in cmd.fixed}


@pytest.mark.parametrize("cmd", cli.COMMANDS, ids=[c.path for c in cli.COMMANDS])
def test_every_option_default_is_the_api_function_s_default(cmd: Command) -> None:
    api = _api_parameters(cmd)
    options = {p.name: p for p in _command(cmd.path).params if p.name != "help"}
    assert set(options) == set(api), f"`cda {cmd.path}` options differ from {cmd.verb.__qualname__}"
    wrong = []
    for name, p in api.items():
        option = options[name]
        required = p.default is inspect.Parameter.empty
        default: Any = option.default
        if option.required != required or (not required and default != p.default):
            wrong.append(
                f"{name}: CLI default {default!r} (required={option.required}), "
                f"api default {p.default!r}"
            )
    assert not wrong, f"`cda {cmd.path}` vs {cmd.verb.__module__}.{cmd.verb.__name__}: {wrong}"


@pytest.mark.parametrize("cmd", cli.COMMANDS, ids=[c.path for c in cli.COMMANDS])
def test_api_verbs_are_keyword_only_and_typed(cmd: Command) -> None:
    for name, p in inspect.signature(cmd.verb).parameters.items():
        assert p.kind is inspect.Parameter.KEYWORD_ONLY, f"{cmd.verb.__qualname__}({name})"
        assert p.annotation is not inspect.Parameter.empty, f"{cmd.verb.__qualname__}({name})"
    assert cmd.verb.__module__.endswith(".api") or cmd.verb.__module__ == "cohort_tools.pipeline"


def test_every_command_comes_from_the_one_table() -> None:
    assert sorted(_leaves(ROOT)) == sorted(c.path for c in cli.COMMANDS)


@pytest.mark.parametrize(
    ("old", "new"),
    [(old, c.path) for c in cli.COMMANDS for old in c.old],
)
def test_an_old_spelling_still_works_with_a_one_line_note(old: str, new: str) -> None:
    result = CliRunner().invoke(cli.app, [*old.split(), "--help"])
    assert result.exit_code == 0, result.output
    if old in cli.NOUNS:  # `cda packets --help` is the group's help, listing the new verb
        assert new.split()[-1] in result.output
        return
    assert f"Old spelling of `cda {new}`" in result.output
