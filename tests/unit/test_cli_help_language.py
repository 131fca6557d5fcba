"""`cda --help` reads in the reader's language (issue 20): every help page, and typer's own words.

The help texts come from the command as built (cohort_tools.cli.extract_help puts them in the
catalog; tests/unit/test_catalogs.py fails on any without a Spanish translation). These tests
check what a reader sees: each page in Spanish with ``--language es`` (before or after ``--help``)
or ``CDA_LANGUAGE=es``, and in English, unchanged, otherwise - in the same process too.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator

import pytest
import typer
import typer.rich_utils
from typer._click import decorators, formatting
from typer.core import TyperGroup
from typer.testing import CliRunner

from cohort_tools.cli import app
from cohort_tools.core import compat
from cohort_tools.core.cliutil import help_texts, language_in
from cohort_tools.core.i18n import gettext


def _paths(
    command: typer.core.TyperGroup, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    yield prefix
    for name, sub in command.commands.items():
        if sub.hidden:
            continue
        if isinstance(sub, TyperGroup):
            yield from _paths(sub, (*prefix, name))
        else:
            yield (*prefix, name)


TREE = typer.main.get_command(app)
PATHS = list(_paths(TREE))


def _flat(output: str) -> str:
    """A help page's words, without the boxes rich draws or the lines it wraps."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def _help(args: list[str], **env: str) -> str:
    result = CliRunner().invoke(app, args, env={"COLUMNS": "100", **env})
    assert result.exit_code == 0, result.output
    return _flat(result.output)


def _own_texts(path: tuple[str, ...]) -> list[str]:
    """The help texts shown on ``path``'s own page: its own, its options' and its commands'."""
    command = TREE
    for name in path:
        command = command.commands[name]
    texts = [command.help, *(getattr(p, "help", None) for p in command.params)]
    if isinstance(command, TyperGroup):
        texts += [sub.help for sub in command.commands.values() if not sub.hidden]
    return [t for t in texts if t]


def test_the_command_has_a_help_page_for_every_noun_and_verb() -> None:
    assert len(PATHS) > 40 and ("cohort", "check") in PATHS and ("hub", "start") in PATHS
    assert len(list(help_texts(TREE))) > 100


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "cda")
def test_every_help_page_reads_in_spanish_with_language_es(path: tuple[str, ...]) -> None:
    page = _help(["--language", "es", *path, "--help"])
    assert page.startswith("Uso: ") and "Opciones" in page and "Mostrar este mensaje" in page
    for english in _own_texts(path):
        spanish = gettext(english, language="es")
        assert spanish != english, f"no Spanish for {english!r}"
        # a long text wraps across table cells; its first words are on the page
        assert " ".join(spanish.split()[:5]) in page, (spanish, page)
        assert english not in page


def test_help_pages_stay_english_without_language_and_after_a_spanish_one() -> None:
    _help(["--language", "es", "cohort", "check", "--help"])
    page = _help(["cohort", "check", "--help"])
    assert page.startswith("Usage: ") and "cohort check [OPTIONS]" in page
    assert "Check a cohort file against the program's rules" in page
    assert "Arguments" in page and "Options" in page and "Show this message and exit." in page
    assert "Opciones" not in page


def test_language_after_help_and_the_environment_variable_also_choose_spanish() -> None:
    after = _help(["--help", "--language=es"])
    from_env = _help(["--help"], CDA_LANGUAGE="es")
    for page in (after, from_env):
        assert page.startswith("Uso: ") and "[OPCIONES] COMANDO [ARGUMENTOS]..." in page
        assert "Comandos" in page and "El programa de seis meses." in page


def test_a_command_line_language_wins_over_the_environment_and_unknown_ones_are_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CDA_LANGUAGE", "es")
    assert language_in(["--language", "en", "--help"]) == "en"
    assert language_in(["cohort", "check", "--help"]) == "es"
    assert language_in(["--", "--language", "en"]) == "es"
    monkeypatch.setenv("CDA_LANGUAGE", "fr")
    assert language_in(["--help"]) is None


def test_help_with_an_unknown_language_prints_the_english_page() -> None:
    # --help is read before the language is checked; a command without --help exits 1 naming the
    # choices (tests/functional/test_cli_language.py)
    result = CliRunner().invoke(app, ["--language", "fr", "--help"])
    assert result.exit_code == 0 and "Usage: " in result.output


def _typer_constants() -> dict[str, str]:
    tree = ast.parse(inspect.getsource(typer.rich_utils))
    found = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id == "_"
            and isinstance(node.value.args[0], ast.Constant)
        ):
            found[node.targets[0].id] = node.value.args[0].value  # type: ignore[attr-defined]
    return found


def test_the_words_compat_translates_are_still_typers_own() -> None:
    constants = _typer_constants()
    for name, english in compat.TYPER_WORDS.items():
        assert constants[name] == english, name
    assert f'prefix = "{compat.USAGE} "' in inspect.getsource(formatting)
    assert f'help="{compat.HELP_OPTION}"' in inspect.getsource(decorators)
