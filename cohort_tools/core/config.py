"""Loading YAML configuration with messages that name the file, the line, the field and the fix.

Typed models (pydantic) validate the content; this module turns their errors, and YAML's own, into
:class:`~cohort_tools.core.errors.Problem` objects a programme manager can act on. Every
configuration model (the programme, a cohort file, a city's ``city.yaml``, a coaching log) derives
from :class:`StrictModel`, so a misspelt field is an error, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from cohort_tools.core.errors import CdaError, Problem
from cohort_tools.core.i18n import N_, _

Loc = tuple[str | int, ...]


class StrictModel(BaseModel):
    """The base of every configuration model: unknown fields are errors; values do not change.

    - ``extra="forbid"``: a misspelt or unknown field is reported (with its line), not dropped.
    - ``frozen=True``: a loaded configuration is a value; code that changes one makes a copy
      (``model_copy(update=...)``), so nothing edits a shared programme or cohort by accident.
    - ``validate_default=True``: defaults are checked like written values.

    A model may add settings (e.g. ``str_strip_whitespace``) but not loosen these; a unit test checks
    every model in the package.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


@dataclass
class YamlDocument:
    """A parsed YAML mapping and the line on which each value starts (1-based)."""

    path: Path
    data: dict[str, Any]
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return None

    def problem(
        self, loc: Sequence[str | int], message: str, fix: str, *, city: str | None = None
    ) -> Problem:
        """A problem with the value at ``loc``: this file, its line and the field's path."""
        return Problem(
            file=str(self.path),
            line=self.line_of(loc),
            city=city,
            field=field_path(loc),
            message=message,
            fix=fix,
        )


def _index_lines(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _index_lines(value_node, (*loc, key), out)
            # A field's line is the line of its key, which is where a person looks for it.
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*loc, i), out)


#: libyaml's loader and dumper when PyYAML was built with it (about ten times faster), else the
#: Python ones (the same safe subset of YAML either way).
FAST_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_DUMPER: type[Any] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _parse_yaml(text: str) -> tuple[Any, Any]:
    """The node tree (for line numbers) and the data of a YAML text. A text libyaml refuses is
    parsed again by PyYAML's own loader, so the error a person reads is always worded the same."""
    try:
        return yaml.compose(text, Loader=FAST_LOADER), yaml.load(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def load_yaml(path: str | Path, what: str) -> YamlDocument:
    """Read a YAML file that must hold a mapping; raise CdaError with a plain message otherwise.
    ``what`` names the file for a person (``N_("cohort file")``: translated here)."""
    p = Path(path)
    name = str(p)
    what = _(what)
    if not p.exists():
        raise CdaError.single(
            name,
            _("the {what} does not exist.").format(what=what),
            _("check the path and spelling of the file name."),
        )
    if p.is_dir():
        raise CdaError.single(
            name,
            _("expected a {what} but found a folder.").format(what=what),
            _("pass the YAML file."),
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CdaError.single(
            name,
            _("the {what} is not UTF-8 text (byte {byte} cannot be read).").format(
                what=what, byte=exc.start
            ),
            _("save it as UTF-8 text from your editor."),
        ) from None
    if not text.strip():
        raise CdaError.single(
            name,
            _("the {what} is empty.").format(what=what),
            _("fill it in; see the demo cohort for an example."),
        )
    try:
        node, data = _parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CdaError.single(
            name,
            _("this is not valid YAML ({problem}).").format(problem=problem),
            _(
                "check indentation and colons near that line; quote values that contain ': ' "
                "or '#'."
            ),
            line=line,
        ) from None
    if node is None or data is None:
        raise CdaError.single(name, _("the {what} is empty.").format(what=what), _("fill it in."))
    if not isinstance(data, dict):
        raise CdaError.single(
            name,
            _("the {what} must be a set of 'key: value' fields, but it is a {kind}.").format(
                what=what, kind=type(data).__name__
            ),
            _("start the file with top-level fields such as 'name:'."),
            line=1,
        )
    lines: dict[Loc, int] = {}
    _index_lines(node, (), lines)
    return YamlDocument(path=p, data=data, lines=lines)


def field_path(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_WHOLE_NUMBER = N_("write a whole number without commas, e.g. 85000.")
_DATE = N_("write the date as YYYY-MM-DD, e.g. 2027-01-11.")
_VALUES = N_("use one of the values listed.")
_FIELDS = N_("write a set of 'key: value' fields.")

#: The fix for each kind of pydantic error (catalog messages, translated where used).
_FIXES: Mapping[str, str] = {
    "missing": N_("add this field."),
    "extra_forbidden": N_("remove it, or check its spelling against the documented fields."),
    "date_from_datetime_parsing": _DATE,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "int_parsing": _WHOLE_NUMBER,
    "int_type": _WHOLE_NUMBER,
    "int_from_float": N_("write a whole number."),
    "greater_than": N_("use a larger number."),
    "greater_than_equal": N_("use a larger number."),
    "less_than_equal": N_("use a smaller number."),
    "string_type": N_("write text (put it in quotes if it looks like a number or date)."),
    "value_error": "",
    "literal_error": _VALUES,
    "enum": _VALUES,
    "list_type": N_("write a list, one '- item' per line."),
    "dict_type": _FIELDS,
    "model_type": _FIELDS,
    "string_too_short": N_("fill it in."),
    "string_pattern_mismatch": "",
}

#: What is wrong, in our words, for the kinds of pydantic error people meet (pydantic's own English
#: message otherwise). ``{name}`` fields come from the error's context (``ge``, ``expected``...).
_MESSAGES: Mapping[str, str] = {
    "date_from_datetime_parsing": N_("is not a date"),
    "date_parsing": N_("is not a date"),
    "date_type": N_("is not a date"),
    "int_parsing": N_("is not a whole number"),
    "int_type": N_("is not a whole number"),
    "int_from_float": N_("is not a whole number"),
    "float_parsing": N_("is not a number"),
    "float_type": N_("is not a number"),
    "bool_parsing": N_("is not yes or no (true or false)"),
    "bool_type": N_("is not yes or no (true or false)"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be at most {le}"),
    "string_type": N_("is not text"),
    "string_too_short": N_("is empty"),
    "string_pattern_mismatch": N_("does not have the expected form"),
    "literal_error": N_("must be one of {expected}"),
    "enum": N_("must be one of {expected}"),
    "list_type": N_("is not a list"),
    "dict_type": N_("is not a set of 'key: value' fields"),
    "model_type": N_("is not a set of 'key: value' fields"),
}


def _plain_message(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return _("is required but missing.")
    if kind == "extra_forbidden":
        return _("is not a known field.")
    context = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
    ours = _MESSAGES.get(kind)
    if ours is not None:
        msg = _(ours).format(**context)
    else:
        msg = str(err.get("msg", "is not valid"))
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        msg = msg[0].lower() + msg[1:] if msg else msg
    value = err.get("input")
    if value is not None and not isinstance(value, dict | list):
        return _("{message} (got {value}).").format(message=msg, value=repr(value))
    return f"{msg}."


def problems_from_validation(
    exc: ValidationError,
    doc: YamlDocument,
    prefix: Loc = (),
    city: str | None = None,
) -> list[Problem]:
    """Turn a pydantic ValidationError into problems that name file, line, city, field and fix."""
    problems = []
    for err in exc.errors():
        loc = (*prefix, *err["loc"])
        fix = _FIXES.get(err.get("type", ""), "")
        fix = _(fix) if fix else ""
        ctx = err.get("ctx") or {}
        if not fix and "expected" in ctx:
            fix = _("use {expected}.").format(expected=ctx["expected"])
        problems.append(doc.problem(loc, _plain_message(err), fix, city=city))
    return problems
