"""Forms: answer a workshop exercise without writing code.

Each answer cell ends with a form (``answers.ask(...)``, offered to notebooks as ``nb.Answers`` and
the field makers ``nb.ask.*``): one control per named answer, chosen by the answer's type - a
choice or several from the city's own options shown by name (the value kept is the code), a number
with its unit, a date, a short text with a length hint, a record of named parts, or an editable
table with rows to add and remove. A form starts empty and says in one line what the checkpoint
below it looks at.

**Where the answers live.** Every change in a form is written at once (atomically) to a small
answers file beside the notebook, ``<notebook>.form.json``, and the answer cell reads that file
each time it runs. So the answers survive saving, closing and reopening, a kernel restart and
"Run All"; nbgrader's submit copies the file with the notebook (it submits the whole assignment
folder), and Validate, the grader and the sandboxed grader, which run the notebook in that folder,
read the same values the learner saw. The widget state saved inside the notebook was the other
choice; it is rejected because a kernel that re-runs the notebook (Validate, autograde) never sees
saved widget state, only the code.

**Code still works, and code wins.** The answer cell keeps its ``name = None`` line. When the code
in the cell sets a name to something (not None, not the empty template), that value counts and the
form says so; the form's answer for that name is kept in the file but not used. Set the line back to
None to use the form again.

A damaged or hand-edited answers file gives a plain message naming the file and the fix; its
unreadable answers are treated as not given, never as a traceback.

**On paper.** With ``CDA_FORMS=paper`` in the kernel's environment (the printable worksheets set it),
a form is drawn as a printable blank instead of controls: tick boxes with the city's own options,
lines to write on, an empty table with its columns. The questions are the same ones.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from cohort_tools.core import i18n
from cohort_tools.core.fileio import atomic_write_text
from cohort_tools.core.i18n import _
from cohort_tools.lessons.translated import N_
from cohort_tools.render.tables import option_name

FORM_SUFFIX = ".form.json"
FORMAT_VERSION = 1
#: The kernel environment variable that draws forms as printable blanks (see the module text).
PAPER_ENV = "CDA_FORMS"

Changed = Callable[[], None]


def answers_path(notebook: str, folder: Path | None = None) -> Path:
    """The answers file of a notebook (``<notebook>.form.json``) in ``folder`` (default: the
    kernel's working folder, which Jupyter sets to the notebook's folder)."""
    return (folder or Path.cwd()) / f"{notebook}{FORM_SUFFIX}"


def is_blank(value: Any) -> bool:
    """Not answered: None, empty text, a dict whose every part is blank (the templates answer
    cells start from, such as ``{"cadence": None, "chair": None}``), or a list of blanks. An empty
    list is an answer: "none of them"."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Mapping):
        return all(is_blank(v) for v in value.values())
    if isinstance(value, list | tuple | set):  # [] is an answer ("none"); [None, ""] is not
        return bool(value) and all(is_blank(v) for v in value)
    return False


class FormValueError(ValueError):
    """A saved answer that does not fit its control; the message is plain words."""


def _widgets() -> Any:
    import ipywidgets

    return ipywidgets


_STYLE = {"description_width": "initial"}


def _options(options: Mapping[Any, Any] | Sequence[Any]) -> list[tuple[str, Any]]:
    """(name shown, value kept) pairs: a mapping is value -> name; a sequence of pairs is
    (name, value); a plain sequence shows each value as the reader's language names it
    (:func:`~cohort_tools.render.tables.option_name`: ``"data analyst"`` is "analista de datos" in
    Spanish, through the catalog; ``"community_group"`` is "community group"; a number or a word
    the catalog does not know is shown as it is)."""
    if isinstance(options, Mapping):
        return [(str(name), value) for value, name in options.items()]
    out: list[tuple[str, Any]] = []
    for item in options:
        if isinstance(item, tuple) and len(item) == 2:
            out.append((str(item[0]), item[1]))
        else:
            out.append((option_name(item), item))
    return out


@dataclass
class Control:
    """A built control: the widget shown and how to read its answer."""

    widget: Any
    get: Callable[[], Any]


@dataclass
class Field:
    """One answer's control. ``label`` is the control's visible and accessible name."""

    label: str

    def blank(self) -> Any:
        return None

    def parse(self, raw: Any) -> Any:
        """The answer saved in the file, checked for its type."""
        return raw

    def build(self, value: Any, changed: Changed) -> Control:
        raise NotImplementedError

    def finish(self, value: Any) -> Any:
        """The answer the notebook gets from the form's (non-blank) value."""
        return value

    def paper(self) -> str:
        """The control as a printable blank (HTML): the label and a line to write on."""
        return _question(self.label, ruled_lines(1))


def _scalar(raw: Any, label: str) -> Any:
    if raw is None or isinstance(raw, str | int | float | bool):
        return raw
    raise FormValueError(
        _("'{label}' should be one value, not {kind}").format(label=label, kind=type(raw).__name__)
    )


def _one_of(value: Any, options: Mapping[Any, Any] | Sequence[Any], label: str) -> Any:
    """``value`` when it is one of the options' values (or None): a saved answer the control
    cannot show would count without the team seeing it."""
    if value is None or any(value == v for _, v in _options(options)):
        return value
    raise FormValueError(
        _("'{label}' holds {value}, which is not one of its choices").format(
            label=label, value=json.dumps(value, ensure_ascii=False)
        )
    )


@dataclass
class Choice(Field):
    """One option from a list; the learner sees names, the answer keeps the value (a code)."""

    options: Mapping[Any, Any] | Sequence[Any] = ()

    def parse(self, raw: Any) -> Any:
        return _one_of(_scalar(raw, self.label), self.options, self.label)

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        pairs = _options(self.options)
        values = [v for _, v in pairs]
        box = w.Dropdown(
            options=pairs,
            index=values.index(value) if value in values else None,
            description=self.label,
            style=_STYLE,
            layout=w.Layout(width="auto"),
        )
        box.observe(lambda _: changed(), names="value")
        return Control(box, lambda: box.value)

    def paper(self) -> str:
        return _question(self.label, _ticks(_options(self.options), _("tick one")))


@dataclass
class Many(Field):
    """Several options, one checkbox each (names shown, values kept); ``count`` is the hint."""

    options: Mapping[Any, Any] | Sequence[Any] = ()
    count: str = ""
    none: str = ""  # an extra box meaning "none of them" (the answer is then [])

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, list):
            raise FormValueError(_("'{label}' should be a list").format(label=self.label))
        return [_one_of(_scalar(x, self.label), self.options, self.label) for x in raw]

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        chosen = set(value or [])
        boxes = [
            (v, w.Checkbox(value=v in chosen, description=name, indent=False, style=_STYLE))
            for name, v in _options(self.options)
        ]
        nothing = w.Checkbox(
            value=value == [] and bool(self.none), description=self.none, indent=False
        )
        for _value, box in boxes:
            box.observe(lambda _: changed(), names="value")
        nothing.observe(lambda _: changed(), names="value")
        title = self.label + (f" ({self.count})" if self.count else "")
        grid = w.GridBox(
            [b for _, b in boxes] + ([nothing] if self.none else []),
            layout=w.Layout(grid_template_columns="repeat(auto-fill, minmax(16em, 1fr))"),
        )
        group = w.VBox([w.HTML(f"<b>{html.escape(title)}</b>"), grid])

        def get() -> Any:
            picked = [v for v, b in boxes if b.value]
            if not picked and nothing.value:
                return []
            return picked or None

        return Control(group, get)

    def paper(self) -> str:
        pairs = _options(self.options) + ([(self.none, None)] if self.none else [])
        return _question(self.label, _ticks(pairs, self.count or _("tick all that apply")))


def _number_locales(language: str) -> list[Locale]:
    """The ways a language writes numbers, the one read first first: the language's own (Spanish:
    ``4,5`` and ``1.200``, as most of Latin America writes them), then its region's default where
    it differs (Spanish in Mexico and Central America: ``4.5`` and ``1,200``)."""
    found = [Locale.parse(language), i18n.locale_for(language)]
    return [loc for n, loc in enumerate(found) if str(loc) not in {str(x) for x in found[:n]}]


def read_number(text: str, language: str | None = None) -> float | str | None:
    """A number typed in a form box, as the current language writes it; None when blank; the text
    itself (stripped) when it is not a number.

    English keeps its rule: commas group thousands (``1,200`` is 1200). Other languages are read
    with Babel's ``parse_decimal`` for the language (strictly, so grouping must sit every three
    digits): in Spanish ``4,5`` is 4.5, ``1.200`` and ``1.200.000`` are 1200 and 1200000, and
    ``1.200,5`` is 1200.5. A number that cannot be read that way is read the other way when that
    is unambiguous (``4.5``, ``12.40``, ``1,200,000``, ``1,200.5``). ``1,200`` in Spanish is 1.2,
    as in Colombia or Argentina. Money and percent signs and spaces are ignored.
    """
    language = language or i18n.current_language()
    stripped = text.strip()
    cleaned = stripped.replace("$", "").replace("%", "")
    if language == i18n.SOURCE_LANGUAGE:
        cleaned = cleaned.replace(",", "")
        if not cleaned:
            return None
        try:
            return float(cleaned)
        except ValueError:
            return stripped
    cleaned = "".join(cleaned.split())  # spaces, including no-break ones
    if not cleaned:
        return None
    for locale in _number_locales(language):
        try:
            number = float(parse_decimal(cleaned, locale=locale, strict=True))
        except NumberFormatError:
            continue
        if math.isfinite(number):
            return number
    try:
        number = float(cleaned)  # 1e6
    except ValueError:
        return stripped
    return number if math.isfinite(number) else stripped


def show_number(value: Any, language: str | None = None) -> str:
    """A number in a form box as :func:`read_number` reads it back (``4,5`` in Spanish, ``4.5``
    in English; no grouping)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    language = language or i18n.current_language()
    if language == i18n.SOURCE_LANGUAGE or not math.isfinite(value):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return str(format_decimal(value, format="0.##########", locale=_number_locales(language)[0]))


@dataclass
class Number(Field):
    """A number with its unit; typed in a box that starts empty."""

    unit: str = ""
    whole: bool = False
    example: str = ""

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            raise FormValueError(_("'{label}' should be a number").format(label=self.label))
        return int(raw) if self.whole and float(raw).is_integer() else raw

    def _read(self, text: str) -> Any:
        number = read_number(text)
        if number is None or isinstance(number, str):
            return number  # a text is kept as typed: the checkpoint says it is not a number
        if self.whole and number.is_integer():
            return int(number)
        return number

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        hint = _("a number, in {unit}").format(unit=self.unit) if self.unit else _("a number")
        if self.example:
            hint = _("{hint}, e.g. {example}").format(hint=hint, example=self.example)
        box = w.Text(
            value="" if value is None else show_number(value),
            description=self.label + (f" ({self.unit})" if self.unit else ""),
            placeholder=hint,
            continuous_update=False,
            style=_STYLE,
        )
        box.observe(lambda _: changed(), names="value")
        return Control(box, lambda: self._read(box.value))

    def paper(self) -> str:
        hint = "; ".join(
            x
            for x in (
                self.unit,
                _("e.g. {example}").format(example=self.example) if self.example else "",
            )
            if x
        )
        return _question(self.label, ruled_lines(1), hint)


@dataclass
class Date(Field):
    """A day, kept as YYYY-MM-DD."""

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        try:
            _dt.date.fromisoformat(str(raw))
        except ValueError as exc:
            raise FormValueError(
                _("'{label}' should be a date written YYYY-MM-DD").format(label=self.label)
            ) from exc
        return str(raw)

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        picker = w.DatePicker(
            value=_dt.date.fromisoformat(value) if value else None,
            description=self.label,
            style=_STYLE,
        )
        picker.observe(lambda _: changed(), names="value")
        return Control(picker, lambda: picker.value.isoformat() if picker.value else None)

    def paper(self) -> str:
        return _question(self.label, ruled_lines(1), _("a date: month / day / year"))


@dataclass
class Text(Field):
    """Short text with a length hint (``words`` shown as "aim for ...", counted as typed)."""

    hint: str = ""
    words: str = ""
    long: bool = False

    def parse(self, raw: Any) -> Any:
        if raw is None or isinstance(raw, str):
            return raw
        raise FormValueError(_("'{label}' should be text").format(label=self.label))

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        kind = w.Textarea if self.long else w.Text
        box = kind(
            value=value or "",
            description=self.label,
            placeholder=self.hint,
            continuous_update=False,
            style=_STYLE,
            layout=w.Layout(width="95%", height="5em" if self.long else "auto"),
        )
        parts = [box]
        if self.words:
            count = w.HTML()

            def recount(_event: Any = None) -> None:
                n = len(box.value.split())
                said = _("{n} words (aim for {words})").format(n=n, words=html.escape(self.words))
                count.value = f"<small>{said}</small>"

            recount()
            box.observe(recount, names="value")
            parts.append(count)
        box.observe(lambda _: changed(), names="value")
        return Control(w.VBox(parts) if len(parts) > 1 else box, lambda: box.value.strip() or None)

    def paper(self) -> str:
        aim = _("aim for {words}").format(words=self.words) if self.words else ""
        hint = "; ".join(x for x in (self.hint, aim) if x)
        return _question(self.label, ruled_lines(4 if self.long else 1), hint)


@dataclass
class Computed(Field):
    """A value the course works out for the learner at the press of a button (an exercise that
    asks to apply one of the course's functions): ``compute()`` gives it."""

    compute: Callable[[], Any] = lambda: None
    button: str = N_("Work it out")  # translated when shown (a notebook's own text stays as is)

    def parse(self, raw: Any) -> Any:
        return raw

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        held: list[Any] = [value]
        shown = w.HTML(_computed_text(value))
        press = w.Button(description=_(self.button), tooltip=self.label)

        def run(_event: Any) -> None:
            try:
                held[0] = self.compute()
            except Exception as exc:  # the learner's earlier answers may not be ready
                held[0] = None
                shown.value = _("Not yet: {reason}").format(
                    reason=html.escape(str(exc) or type(exc).__name__)
                )
            else:
                shown.value = _computed_text(held[0])
            changed()

        press.on_click(run)
        return Control(
            w.VBox([w.HTML(f"<b>{html.escape(self.label)}</b>"), press, shown]), lambda: held[0]
        )

    def paper(self) -> str:
        note = _('The notebook works this out from your answers above ("{button}").').format(
            button=_(self.button)
        )
        return _question(self.label, ruled_lines(1), note)


def _computed_text(value: Any) -> str:
    return "" if value is None else f"<code>{html.escape(_shown(value))}</code>"


@dataclass
class Record(Field):
    """A dict of named parts, each with its own control (a record such as a meeting design)."""

    parts: Mapping[str, Field] = field(default_factory=dict)
    make: Callable[[dict[str, Any]], Any] | None = None  # builds the answer from the parts
    #: Values a button copies into the parts still blank ("Start from last time's ratings"); the
    #: form starts empty all the same, so an answer is always one the team gave.
    start: Mapping[str, Any] | None = None
    start_button: str = ""

    def blank(self) -> Any:
        return None if self.make else {k: f.blank() for k, f in self.parts.items()}

    def finish(self, value: Any) -> Any:
        return self.make(value) if self.make else value

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise FormValueError(
                _("'{label}' should be a record of named parts").format(label=self.label)
            )
        return {k: f.parse(raw.get(k)) for k, f in self.parts.items()}

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        value = value if isinstance(value, dict) else {}
        built = {k: f.build(value.get(k), changed) for k, f in self.parts.items()}
        head = [w.HTML(f"<b>{html.escape(self.label)}</b>")] if self.label else []
        box = w.VBox()
        start = {k: v for k, v in (self.start or {}).items() if k in self.parts}
        if start and self.start_button:
            press = w.Button(description=self.start_button, tooltip=self.start_button)

            def fill(_event: Any) -> None:
                now = {k: c.get() for k, c in built.items()}
                filled = {k: start.get(k) if is_blank(v) else v for k, v in now.items()}
                built.update({k: f.build(filled.get(k), changed) for k, f in self.parts.items()})
                box.children = [*head, press, *(c.widget for c in built.values())]
                changed()

            press.on_click(fill)
            head = [*head, press]
        box.children = [*head, *(c.widget for c in built.values())]
        return Control(box, lambda: {k: c.get() for k, c in built.items()})

    def paper(self) -> str:
        parts = "".join(f.paper() for f in self.parts.values())
        return _question(self.label, parts) if self.label else parts


@dataclass
class Table(Field):
    """An editable table: one row per item of a plan, rows added and removed with buttons.

    The answer is a list of dicts (one per row that is not empty); with ``as_dict=(key, value)``
    a dict ``{row[key]: row[value]}``; with ``flat`` (one column) a plain list.
    """

    columns: Mapping[str, Field] = field(default_factory=dict)
    rows: int = 1
    as_dict: tuple[str, str] | None = None
    flat: bool = False
    make: Callable[[Any], Any] | None = None  # builds the answer from the rows (as Record's make)

    def finish(self, value: Any) -> Any:
        return self.make(value) if self.make else value

    def parse(self, raw: Any) -> Any:
        if raw is None:
            return None
        if self.as_dict:
            if not isinstance(raw, dict):
                raise FormValueError(
                    _("'{label}' should pair each item with a value").format(label=self.label)
                )
            return {str(k): _scalar(v, self.label) for k, v in raw.items()}
        if not isinstance(raw, list):
            raise FormValueError(_("'{label}' should be a list of rows").format(label=self.label))
        if self.flat:
            return [_scalar(x, self.label) for x in raw]
        rows = []
        for i, row in enumerate(raw, start=1):
            if not isinstance(row, dict):
                raise FormValueError(
                    _("row {row} of '{label}' should be a record").format(row=i, label=self.label)
                )
            rows.append({k: f.parse(row.get(k)) for k, f in self.columns.items()})
        return rows

    def _rows_of(self, value: Any) -> list[dict[str, Any]]:
        if not value:
            return []
        if self.as_dict:
            k, v = self.as_dict
            return [{k: key, v: val} for key, val in dict(value).items()]
        if self.flat:
            (k,) = self.columns
            return [{k: x} for x in value]
        return [dict(r) for r in value]

    def build(self, value: Any, changed: Changed) -> Control:
        w = _widgets()
        rows: list[dict[str, Any]] = self._rows_of(value)
        rows += [{}] * max(0, self.rows - len(rows))
        controls: list[dict[str, Control]] = []
        body = w.VBox()
        add = w.Button(
            description=_("Add a row"),
            icon="plus",
            tooltip=_("Add a row to {label}").format(label=self.label),
        )

        def snapshot() -> list[dict[str, Any]]:
            return [{k: c.get() for k, c in row.items()} for row in controls]

        def draw(current: list[dict[str, Any]]) -> None:
            controls.clear()
            lines = []
            for i, row in enumerate(current, start=1):
                built = {
                    k: _in_row(column, i).build(row.get(k), changed)
                    for k, column in self.columns.items()
                }
                controls.append(built)
                remove = w.Button(
                    description=_("Remove row {row}").format(row=i),
                    tooltip=_("Remove row {row} of {label}").format(row=i, label=self.label),
                    layout=w.Layout(width="auto"),
                )
                remove.on_click(lambda _, at=i - 1: drop(at))
                lines.append(
                    w.HBox(
                        [c.widget for c in built.values()] + [remove],
                        layout=w.Layout(flex_flow="row wrap", align_items="center"),
                    )
                )
            body.children = lines

        def drop(at: int) -> None:
            current = snapshot()
            del current[at]
            draw(current)
            changed()

        def more(_event: Any) -> None:
            draw([*snapshot(), {}])

        add.on_click(more)
        draw(rows)

        def get() -> Any:
            kept = [r for r in snapshot() if not is_blank(r)]
            if not kept:
                return None
            if self.as_dict:
                k, v = self.as_dict
                return {r[k]: r[v] for r in kept if r.get(k) is not None}
            if self.flat:
                (k,) = self.columns
                return [r[k] for r in kept]
            return kept

        return Control(w.VBox([w.HTML(f"<b>{html.escape(self.label)}</b>"), body, add]), get)

    def paper(self) -> str:
        heads = "".join(
            f'<th scope="col">{html.escape(c.label)}</th>' for c in self.columns.values()
        )
        cell = '<td style="height:2em;border:1px solid #444"></td>' * len(self.columns)
        rows = f"<tr>{cell}</tr>" * max(self.rows, 3)
        table = (
            '<table style="width:100%;border-collapse:collapse"><caption style="text-align:left">'
            + _("{label}: one row each; add rows if you need more").format(
                label=f"<b>{html.escape(self.label)}</b>"
            )
            + "</caption>"
            f"<thead><tr>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        )
        choices = [
            "<p>"
            + _("{label}, choose from:").format(label=f"<b>{html.escape(c.label)}</b>")
            + " "
            + "; ".join(html.escape(_paper_name(name)) for name, _ in _options(c.options))
            + "</p>"
            for c in self.columns.values()
            if isinstance(c, Choice | Many) and c.options
        ]
        return _question("", table + "".join(choices))


# -- on paper ----------------------------------------------------------------------------------


def paper_mode() -> bool:
    """True when forms are drawn as printable blanks (``CDA_FORMS=paper``)."""
    return os.environ.get(PAPER_ENV, "") == "paper"


def _check_mode() -> bool:
    """True when every answer the cell's code gives must be one its form could hold
    (``CDA_FORMS=check``; the workshop tests set it while running the model answers): a form whose
    choices cannot express the model answer is a form no team can pass the checkpoint with."""
    return os.environ.get(PAPER_ENV, "") == "check"


def _form_could_hold(name: str, spec: Field, value: Any) -> None:
    """Raise a FormValueError when ``value`` (the cell's code answer) is not one ``spec`` could
    have saved. Fields that build the answer from other parts (``make``, computed) are skipped:
    their answers are not what the form saves."""
    if getattr(spec, "make", None) is not None or isinstance(spec, Computed):
        return
    saved = json.loads(json.dumps(value, default=str))
    try:
        spec.parse(saved)
    except FormValueError as exc:
        raise FormValueError(f"the form cannot give the answer {name}: {exc}") from None


def _question(label: str, body: str, hint: str = "") -> str:
    note = f' <span style="color:#444">({html.escape(hint)})</span>' if hint else ""
    head = f"<p><b>{html.escape(label)}</b>{note}</p>" if label else ""
    return f'<div class="cda-paper-question" style="margin:0.6em 0">{head}{body}</div>'


def ruled_lines(count: int) -> str:
    """Ruled lines to write on (decorative, so hidden from screen readers)."""
    line = '<div style="border-bottom:1px solid #444;height:1.9em"></div>'
    return f'<div class="cda-paper-lines" aria-hidden="true">{line * count}</div>'


def _ticks(pairs: Sequence[tuple[str, Any]], how: str) -> str:
    """One empty box per option, by name; ``how`` says how many to tick."""
    box = (
        '<span aria-hidden="true" style="display:inline-block;width:0.9em;height:0.9em;'
        'border:1px solid #222;margin-right:0.45em;vertical-align:-0.1em"></span>'
    )
    items = "".join(
        f'<li style="list-style:none;margin:0.2em 0">{box}{html.escape(_paper_name(name))}</li>'
        for name, _ in pairs
    )
    # Two columns as a grid, read across (a multi-column list costs WeasyPrint a fifth of a page's
    # layout time, balancing the columns).
    grid = "display:grid;grid-template-columns:1fr 1fr;column-gap:1em"
    return (
        f'<p style="margin:0">{html.escape(how.capitalize())}:</p>'
        f'<ul style="padding-left:0.4em;{grid}">{items}</ul>'
    )


def _paper_name(name: str) -> str:
    """An option's name on paper; a numbered option whose words come from an earlier answer
    (blank on paper, such as "2. ") keeps its number."""
    return name.strip().rstrip(".") or name


def _in_row(f: Field, row: int) -> Field:
    """The column's field, labelled with its row so each control has its own accessible name."""
    import copy

    named = copy.copy(f)
    named.label = f"{f.label} ({row})"
    return named


# -- the form of one notebook ------------------------------------------------------------------


def _namespace() -> dict[str, Any]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return {}
    shell = get_ipython()
    return shell.user_ns if shell is not None else {}


def _can_draw_widgets() -> bool:
    """False in an IPython shell with no kernel (the grading sandbox's shell, a terminal): a form
    drawn there would be its widgets' text (``VBox(children=...)``), read by nobody. Outside IPython
    (a script, a test) the form is built as in a notebook."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return True
    shell = get_ipython()
    return shell is None or getattr(shell, "kernel", None) is not None


def _say(text: str) -> None:
    from IPython.display import Markdown, display

    display(Markdown(text))  # type: ignore[no-untyped-call]


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 400 else text[:400] + "..."


class Answers:
    """The forms of one notebook and the answers file they share (``<notebook>.form.json``)."""

    def __init__(self, notebook: str, *, folder: str | Path | None = None) -> None:
        self.notebook = notebook
        self.path = answers_path(notebook, Path(folder) if folder else None)
        self.problem = ""
        self.saved: dict[str, Any] = self._load()

    def _fix(self) -> str:
        return _(
            "To fix it, delete {file} (beside the notebook) and answer the forms again, "
            "or undo the hand edit."
        ).format(file=self.path.name)

    def _load(self) -> dict[str, Any]:
        if not self.path.is_file():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            if isinstance(exc, json.JSONDecodeError):
                headline = _("The answers file {file} could not be read (line {line})").format(
                    file=self.path.name, line=exc.lineno
                )
            else:
                headline = _("The answers file {file} could not be read").format(
                    file=self.path.name
                )
            self.problem = _(
                "**{headline}**, so the form answers in it are not used. {fix}"
            ).format(headline=headline, fix=self._fix())
            return {}
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            self.problem = _(
                "**The answers file {file} is not in the form's format** (it needs "
                'an "answers" part), so it is not used. {fix}'
            ).format(file=self.path.name, fix=self._fix())
            return {}
        return answers

    def saved_answer(self, name: str, spec: Field) -> tuple[Any, str]:
        """The saved answer for ``name`` (None if none) and a plain message if it is unusable."""
        if name not in self.saved:
            return None, ""
        try:
            return spec.parse(self.saved[name]), ""
        except FormValueError as exc:
            return None, _(
                "**The saved answer for `{name}` in {file} is not usable:** {problem}. "
                "It is not used; answer in the form again. {fix}"
            ).format(name=name, file=self.path.name, problem=exc, fix=self._fix())

    def save(self, name: str, value: Any) -> None:
        if is_blank(value):
            self.saved.pop(name, None)
        else:
            self.saved[name] = value
        payload = {"version": FORMAT_VERSION, "notebook": self.notebook, "answers": self.saved}
        atomic_write_text(self.path, json.dumps(payload, indent=1, default=str) + "\n")

    def ask(
        self,
        checks: str,
        /,
        *,
        namespace: dict[str, Any] | None = None,
        show: bool = True,
        **fields: Field,
    ) -> None:
        """Show a form for the named answers and put its answers into the notebook's names.

        ``checks``: one line on what the checkpoint looks at. Each keyword names an answer the
        cell assigns, with its control. A name the code in the cell already set (not blank)
        counts as written; the form is shown but not used for it.
        """
        ns = _namespace() if namespace is None else namespace
        if paper_mode():  # a printable worksheet: blanks to fill in by hand, nothing read or saved
            for name, spec in fields.items():
                ns.setdefault(name, spec.blank())
            if show:
                _show_html(paper_form(checks, fields))
            return
        notes: list[str] = [self.problem] if self.problem else []
        by_code: dict[str, bool] = {}
        templates: dict[str, Any] = {}
        current: dict[str, Any] = {}
        for name, spec in fields.items():
            templates[name] = ns.get(name, spec.blank())
            by_code[name] = not is_blank(templates[name])
            value, problem = self.saved_answer(name, spec)
            if problem:
                notes.append(problem)
            current[name] = value
            if by_code[name] and _check_mode():
                _form_could_hold(name, spec, templates[name])
            if by_code[name]:
                if value is not None:
                    notes.append(
                        _(
                            "Both the code in this cell and the form answer `{name}`: **the code "
                            "counts.** To use the form, set it back to None in the cell and run it."
                        ).format(name=name)
                    )
            elif not is_blank(value):
                ns[name] = spec.finish(value)
            else:
                ns[name] = templates[name]
        if show:
            self._show(checks, fields, current, by_code, templates, ns, notes)

    def _show(
        self,
        checks: str,
        fields: Mapping[str, Field],
        current: Mapping[str, Any],
        by_code: Mapping[str, bool],
        templates: Mapping[str, Any],
        ns: dict[str, Any],
        notes: list[str],
    ) -> None:
        from IPython.display import display

        used = [
            f"- {fields[name].label}: {_shown(current[name])}"
            for name in fields
            if not by_code[name] and not is_blank(current[name])
        ]
        if used:
            notes.append(_("Your answers saved in the form:") + "\n" + "\n".join(used))
        for note in notes:
            _say(note)
        if not _can_draw_widgets():
            # No notebook page to draw a form on (the grading sandbox, a terminal): the answers
            # above, and what the checkpoint looks at, as text.
            _say(_("The checkpoint looks at: {checks}").format(checks=checks))
            return

        w = _widgets()
        status = w.HTML()
        controls: dict[str, Control] = {}

        def on_change(name: str) -> Callable[[], None]:
            def changed() -> None:
                value = controls[name].get()
                try:
                    self.save(name, value)
                except OSError as exc:
                    status.value = _(
                        "<b>Not saved:</b> {problem}. Check that the notebook's "
                        "folder can be written to."
                    ).format(problem=html.escape(str(exc)))
                    return
                if by_code[name]:
                    status.value = _(
                        "Saved. The code in the cell still counts for <code>{name}</code>."
                    ).format(name=name)
                else:
                    ns[name] = templates[name] if is_blank(value) else fields[name].finish(value)
                    status.value = _("Saved. Run the checkpoint below to check your answer.")

            return changed

        for name, spec in fields.items():
            controls[name] = spec.build(current[name], on_change(name))
        head = w.HTML(
            "<p>"
            + _("<b>Answer here</b> (saved as you go). The checkpoint looks at: {checks}").format(
                checks=html.escape(checks)
            )
            + "</p>"
        )
        form = w.VBox(
            [head, *(c.widget for c in controls.values()), status],
            layout=w.Layout(border="1px solid #767676", padding="0.5em"),
        )
        display(form)  # type: ignore[no-untyped-call]


def paper_form(checks: str, fields: Mapping[str, Field]) -> str:
    """A whole form as a printable blank: what a good answer has, then each question."""
    questions = "".join(f.paper() for f in fields.values())
    return (
        '<div class="cda-paper-form" style="border:1px solid #767676;padding:0.5em 0.8em">'
        + "<p>"
        + _("<b>Your answer.</b> A good answer has: {checks}.").format(
            checks=html.escape(checks.rstrip("."))
        )
        + f"</p>{questions}</div>"
    )


def _show_html(text: str) -> None:
    from IPython.display import HTML, display

    display(HTML(text))  # type: ignore[no-untyped-call]


class _Ask:
    """The field makers notebooks use: ``nb.ask.choice(...)`` and so on."""

    choice = Choice
    many = Many
    number = Number
    date = Date
    text = Text
    record = Record
    table = Table
    computed = Computed


ask = _Ask()
