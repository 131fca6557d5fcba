"""Languages as data: which language a text is read in, its translations, and its formats.

One edition per language. English (``en``) is the source language: every text is written in English
first. Another language is added by translators editing text files only, never code:

- **Messages in code** (checkpoint hints, packet and strategy headings, CLI messages) are marked
  ``_("...")`` and extracted with Babel (``make catalogs``) into ``cohort_tools/locale/cda.pot``. Each
  language has one gettext catalog, ``cohort_tools/locale/<code>/LC_MESSAGES/cda.po``, a text file any
  translation tool (Poedit, Weblate, a text editor) edits. Catalogs are read as text at run time
  (Babel's ``read_po``): there is no compiled ``.mo`` file to forget to rebuild.
- **Notebooks and pages** (workshops, keynotes, coaching templates, book pages) are translated as whole
  MyST files: the Spanish edition of ``workshops/m1_workshop_a_data_routines.md`` is
  ``workshops/es/m1_workshop_a_data_routines.md``. A translator edits prose in a Markdown file;
  ``tests/unit/test_translated_sources.py`` fails when a translation's code drifts from the English
  source's (same cells, tags and code, only string literals may differ), so the code stays ours.

Adding Portuguese is: copy ``es`` catalogs and sources to ``pt``, translate, and list the language in
:data:`LANGUAGE_NAMES`. Which language a text is read in is data: a city's ``language`` in the cohort
file (the cohort's ``language`` by default). The current language is a context variable, set with
:func:`speaking` around everything made for one city, so helpers deep in the stack (``_()``) need no
language argument.

Formats (dates, numbers, money) come from Babel's CLDR data for the language and the city's country:
``es`` in Colombia writes ``15 de enero de 2027`` and ``$ 1.200.000``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.messages.pofile import read_po
from babel.numbers import format_currency as _babel_currency
from babel.numbers import format_decimal, get_territory_currencies
from babel.numbers import format_percent as _babel_percent

from cohort_tools.core.dates import us_date

#: The source language: every text is written in it first.
SOURCE_LANGUAGE = "en"

#: Where a language's region is not known, this country writes its formats (Latin-American Spanish).
_DEFAULT_REGION = {"en": "US", "es": "419"}

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _published_languages() -> dict[str, str]:
    """English and every language with a catalog folder (``locale/<code>/LC_MESSAGES``), each with
    its name in itself from CLDR: adding Portuguese is adding ``locale/pt/`` (a translator's job)."""
    found = (p.name for p in LOCALE_DIR.iterdir() if (p / "LC_MESSAGES").is_dir())
    codes = [SOURCE_LANGUAGE, *sorted(c for c in found if c != SOURCE_LANGUAGE)]
    return {c: str(Locale.parse(c).get_display_name(c)).capitalize() for c in codes}


#: Every language the programme is published in, with its name in itself (for the switcher).
LANGUAGE_NAMES: dict[str, str] = _published_languages()

_current: ContextVar[str | None] = ContextVar("cda_language", default=None)
_current_country: ContextVar[str | None] = ContextVar("cda_country", default=None)
_process_language = SOURCE_LANGUAGE  # a kernel's language, set once by nb.start (set_language)
_process_country: str | None = None  # and its city's country (formats: es in CO writes 12.400)


def catalog_file(language: str, domain: str = "cda") -> Path:
    """A gettext catalog a translator edits for one language."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def known_language(language: str) -> str:
    """``language`` if the programme is published in it; ValueError naming the choices otherwise."""
    if language not in LANGUAGE_NAMES:
        choices = ", ".join(f"{code} ({name})" for code, name in LANGUAGE_NAMES.items())
        raise ValueError(
            gettext(
                "'{language}' is not a language of the programme; use one of: {choices}"
            ).format(language=language, choices=choices)
        )
    return language


#: The catalogs, one per area of the code so translators can share the work: ``cda`` (lessons,
#: notebooks, packets, calendar, programme) and ``strategy`` (the strategy document).
DOMAINS = ("cda", "strategy")


@cache
def _messages(language: str) -> dict[str, str]:
    """The translated messages of one language, every catalog (fuzzy and empty entries left out)."""
    if language == SOURCE_LANGUAGE:
        return {}
    out: dict[str, str] = {}
    for domain in DOMAINS:
        path = catalog_file(language, domain)
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=domain)
        for message in catalog:
            text = message.string
            if isinstance(message.id, str) and isinstance(text, str) and text and not message.fuzzy:
                out[message.id] = text
    return out


def catalog(language: str) -> Mapping[str, str]:
    """The translated messages of ``language``, as read once per process: the same object for as
    long as the catalogs are not read again (what is made from it can be kept by its identity)."""
    return _messages(language)


def load_catalogs() -> None:
    """Read every language's catalogs now (about 80 ms each): a kernel zygote does, once, so the
    kernels it forks start with them read."""
    for language in LANGUAGE_NAMES:
        _messages(language)


def current_language() -> str:
    """The language of what is being made now (see :func:`speaking` and :func:`set_language`)."""
    return _current.get() or _process_language


def set_language(language: str, *, country: str | None = None) -> None:
    """Set the whole process's language (a notebook kernel: each cell runs in its own context),
    and the country whose conventions its dates, numbers and money follow."""
    global _process_language, _process_country
    _process_language = known_language(language)
    _process_country = country


@contextlib.contextmanager
def speaking(language: str, *, country: str | None = None) -> Iterator[str]:
    """Make everything inside the block in ``language`` (``with speaking(city.language): ...``),
    with the formats of ``country`` when given (``es`` in ``CO`` writes 16.000)."""
    token = _current.set(known_language(language))
    country_token = _current_country.set(country)
    try:
        yield language
    finally:
        _current_country.reset(country_token)
        _current.reset(token)


#: The language the person running ``cda`` asked to read its messages in (``cda --language es``).
_reader: ContextVar[str | None] = ContextVar("cda_reader_language", default=None)


def set_reader_language(language: str | None) -> None:
    """What ``cda --language`` sets: command summaries are then in ``language``, whatever the
    language of the cities they are about (the documents made for a city stay in its language)."""
    _reader.set(known_language(language) if language else None)


def asked_language() -> str | None:
    """The language ``cda --language`` asked for, if any."""
    return _reader.get()


def shared_language(languages: Iterable[str]) -> str | None:
    """The one language of a command's cities (``{c.lang for c in cities}``), None when they speak
    several: a command about cities of one language speaks it."""
    distinct = set(languages)
    return distinct.pop() if len(distinct) == 1 else None


def reader_language(default: str | None = None) -> str:
    """The language a command's summary is read in: the one its reader asked for, else
    ``default`` (e.g. the language of the only city the command was about), else the current one."""
    return _reader.get() or default or current_language()


def gettext(message: str, *, language: str | None = None) -> str:
    """``message`` in the current language (itself when no translation exists yet)."""
    return _messages(language or current_language()).get(message, message)


#: The marker Babel extracts (``pybabel extract -k _``).
_ = gettext


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it here (it is translated where used)."""
    return message


class Message(str):
    """An English text built from a catalog message and its fields (``{column}``, a cell's name).

    It is the English text itself wherever a string is used (pandera, a log, a test), and
    :meth:`shown` gives it in the current language, so a text whose words are filled in from code
    is translated where it is read, not where it was made: ``Message(N_("{column} must be ..."),
    column="respondent_id")``, a grading note made in a worker thread and read in the coach's
    summary. A field may itself be a Message (translated too).
    """

    message: str
    fields: dict[str, str]

    def __new__(cls, message: str, **fields: str) -> Message:
        text = super().__new__(cls, message.format(**fields) if fields else message)
        text.message, text.fields = message, fields
        return text

    def shown(self) -> str:
        """The text in the current language (the English text where the catalog has none)."""
        fields = {k: v.shown() if isinstance(v, Message) else v for k, v in self.fields.items()}
        return _(self.message).format(**fields)


def shown(text: str | None) -> str:
    """A text in the current language: a :class:`Message`, or a plain catalog message (marked
    ``N_()`` where written; any other text is shown as it is)."""
    if isinstance(text, Message):
        return text.shown()
    return _(text) if text else ""


#: Keys whose values in curriculum YAML files are text people read (see model.programme).
YAML_TEXT_KEYS = frozenset(
    {
        "name",
        "note",
        "title",
        "why",
        "rules",
        "objectives",
        "theme",
        "summary",
        "purpose",
        "description",
    }
)


def _option_names(options: Any, name: str) -> frozenset[str] | None:
    """A comma-separated option of babel.cfg (``keys = a, b``) as a set, or None when not given."""
    if not options or not options.get(name):
        return None
    return frozenset(k.strip() for k in str(options[name]).split(",") if k.strip())


def _is_text(key: str, in_table: bool, keys: frozenset[str]) -> bool:
    """Whether a string value of a curriculum YAML file is text people read: its key is one of
    ``keys``, or it sits in a mapping that is the value of such a key (a table of codes to texts,
    ``options: {yes: "Yes"}``)."""
    return key in keys or in_table


def extract_yaml(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor for curriculum YAML (babel.cfg): every text value under a key people read,
    with its line, so a translator translates programme.yaml in the same catalog as the code.
    A ``keys`` option in babel.cfg (comma-separated) names other keys: facts.yaml's ``statement``.
    A mapping under one of those keys is a table of codes to texts: its values are text too. A
    ``skip`` option names keys whose values hold no text (ids under a ``name`` key, say).
    :func:`translate_texts` translates a loaded file by the same rules."""
    import yaml

    text_keys = _option_names(options, "keys") or YAML_TEXT_KEYS
    skip = _option_names(options, "skip") or frozenset()

    class _Lines(yaml.SafeLoader):
        pass

    def _scalar(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> tuple[int, str]:
        return node.start_mark.line + 1, str(loader.construct_scalar(node))

    _Lines.add_constructor("tag:yaml.org,2002:str", _scalar)

    def walk(value: Any, key: str, in_table: bool) -> Iterator[tuple[int, str, str, list[str]]]:
        if isinstance(value, dict):
            for k, v in value.items():
                name = k[1] if isinstance(k, tuple) else str(k)
                if name not in skip:
                    yield from walk(v, name, key in text_keys)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item, key, in_table)
        elif isinstance(value, tuple) and _is_text(key, in_table, text_keys):
            line, text = value
            if text.strip():
                yield line, "_", " ".join(text.split()), [f"field: {key}"]

    yield from walk(yaml.load(fileobj.read().decode("utf-8"), Loader=_Lines), "", False)


def translate_texts(
    data: Any,
    keys: frozenset[str],
    *,
    skip: frozenset[str] = frozenset(),
    language: str | None = None,
) -> Any:
    """A copy of a loaded curriculum YAML file (plain data: a model's ``model_dump()``) with every
    text value :func:`extract_yaml` extracts with the same ``keys`` and ``skip`` in ``language``
    (the current language by default; the English where the catalog has no translation yet).
    Ids, codes and numbers are unchanged."""
    language = language or current_language()

    def walk(value: Any, key: str, in_table: bool) -> Any:
        if isinstance(value, dict):
            return {
                k: v if str(k) in skip else walk(v, str(k), key in keys) for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(item, key, in_table) for item in value]
        if isinstance(value, str) and value.strip() and _is_text(key, in_table, keys):
            message = " ".join(value.split())  # as extract_yaml writes it
            return gettext(message, language=language)
        return value

    if language == SOURCE_LANGUAGE:
        return data
    return walk(data, "", False)


def untranslated(messages: list[str], language: str) -> list[str]:
    """The messages ``language``'s catalog does not translate yet (the completeness test uses it)."""
    have = _messages(language)
    return [m for m in messages if m not in have]


# -- sources translated as whole files ---------------------------------------------------------


def translated_source(source: Path, language: str) -> Path | None:
    """The ``language`` edition of a MyST source (``<folder>/<language>/<name>``), or None."""
    if language == SOURCE_LANGUAGE:
        return source
    candidate = source.parent / language / source.name
    return candidate if candidate.is_file() else None


def source_for(source: Path, language: str) -> Path:
    """The edition of ``source`` to use for ``language``: its translation, or the English source."""
    return translated_source(source, language) or source


# -- formats -----------------------------------------------------------------------------------


def locale_for(language: str | None = None, country: str | None = None) -> Locale:
    """The Babel locale of a language in a country (``es``, ``CO`` -> ``es_CO``)."""
    language = language or current_language()
    if country is None and _current.get() == language:
        country = _current_country.get()
    elif country is None and language == _process_language:
        country = _process_country
    region = country or _DEFAULT_REGION.get(language, "")
    try:
        return Locale.parse(f"{language}_{region}") if region else Locale.parse(language)
    except (ValueError, LookupError):
        return Locale.parse(language)


def d3_locales(language: str | None = None, country: str | None = None) -> dict[str, Any]:
    """The number and time formats of a locale in d3's shape, for Vega charts (vl-convert's
    ``format_locale`` and ``time_format_locale``), built from Babel's CLDR data: Spanish charts
    read ``oct`` and ``16.000`` in Colombia without any locale file from the web."""
    loc = locale_for(language, country)
    symbols = loc.number_symbols.get("latn", {})
    months, short_months = loc.months["format"]["wide"], loc.months["format"]["abbreviated"]
    days, short_days = loc.days["format"]["wide"], loc.days["format"]["abbreviated"]
    week = [6, 0, 1, 2, 3, 4, 5]  # d3 starts on Sunday; CLDR numbers Monday 0
    return {
        "format": {
            "decimal": symbols.get("decimal", "."),
            "thousands": symbols.get("group", ","),
            "grouping": [3],
            "currency": ["$", ""],
        },
        "time": {
            "dateTime": "%x, %X",
            "date": "%d/%m/%Y" if loc.language != "en" else "%m/%d/%Y",
            "time": "%H:%M:%S",
            "periods": [loc.day_periods["format"]["abbreviated"].get(p, p) for p in ("am", "pm")],
            "days": [str(days[i]) for i in week],
            "shortDays": [str(short_days[i]).rstrip(".") for i in week],
            "months": [str(months[i]) for i in range(1, 13)],
            "shortMonths": [str(short_months[i]).rstrip(".") for i in range(1, 13)],
        },
    }


def format_date(
    day: dt.date,
    *,
    language: str | None = None,
    country: str | None = None,
    short: bool = False,
) -> str:
    """A date as a reader of this language writes it: ``January 15, 2027``, ``15 de enero de 2027``."""
    language = language or current_language()
    if language == "en":
        return us_date(day, short=short)
    pattern = "d MMM y" if short else "long"
    return str(_babel_date(day, format=pattern, locale=locale_for(language, country)))


def format_day(day: dt.date, *, language: str | None = None, country: str | None = None) -> str:
    """A date with its weekday: ``Monday, January 11, 2027``, ``lunes, 11 de enero de 2027``."""
    language = language or current_language()
    if language == "en":
        return f"{day:%A}, {us_date(day)}"
    return str(_babel_date(day, format="full", locale=locale_for(language, country)))


def format_number(
    value: float | int, *, language: str | None = None, country: str | None = None, digits: int = 0
) -> str:
    """A number with the locale's separators: ``12,400`` in English, ``12.400`` in Colombia."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=locale_for(language, country)))


def format_percent(
    share: float, *, language: str | None = None, country: str | None = None, digits: int = 0
) -> str:
    """A share (0.125) as a percentage the locale's way: ``12.5%`` in English, ``12,5 %`` in Spain,
    ``12,5%`` in Colombia (CLDR's pattern, with ``digits`` decimals)."""
    loc = locale_for(language, country)
    pattern = loc.percent_formats[None].pattern.split(";")[0]
    if digits:
        pattern = re.sub(r"0(?=[^0#]*%)", "0." + "0" * digits, pattern, count=1)
    return str(_babel_percent(share, format=pattern, locale=loc))


def currency_of(country: str) -> str:
    """The ISO 4217 code of a country's money today (``CO`` -> ``COP``)."""
    found = get_territory_currencies(country)
    return found[0] if found else "USD"


def format_money(
    amount: float | int | Decimal,
    *,
    country: str,
    language: str | None = None,
    currency: str | None = None,
) -> str:
    """An amount in a country's money without cents: ``$1,200,000``, ``$ 1.200.000``."""
    code = currency or currency_of(country)
    return str(
        _babel_currency(
            round(amount),
            code,
            locale=locale_for(language, country),
            format_type="standard",
            currency_digits=False,
            format="¤#,##0",
        )
    )


__all__ = [
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "N_",
    "SOURCE_LANGUAGE",
    "catalog_file",
    "currency_of",
    "current_language",
    "d3_locales",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "gettext",
    "known_language",
    "locale_for",
    "set_language",
    "source_for",
    "speaking",
    "translate_texts",
    "translated_source",
    "untranslated",
]
