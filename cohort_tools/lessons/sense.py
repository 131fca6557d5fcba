"""Is a decision written with sense? Checks for the free-text parts of an answer.

A decision passes a checkpoint when it could be acted on: it refers to the city's own data (a
metric, a department, a dataset or a table by name, or a figure from it), it names who answers for
it (a role, never a person), and it says when (a month of the strategy, a date, "this quarter").
Any non-empty text used to pass; these helpers say what is missing instead, in plain words, and the
checkpoints use them with the usual ``cp.require(ok, what, hint)``.

Answers are read in English and in Spanish, whatever the kernel's language (a Spanish-speaking team
may write "chief data officer"): the Spanish words are lists beside the English ones (``*_ES``),
accents do not matter ("trimestre", "año"), and no Spanish word is also an English one, so an
English answer is judged as before.

Nothing here reads files: callers pass the city's names (see :func:`data_terms`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from typing import Any

import pandas as pd

from cohort_tools.core.i18n import SOURCE_LANGUAGE, current_language
from cohort_tools.lessons.wording import normalise, plain

#: Words that make a text a role or a body, not a person.
ROLE_WORDS = (
    "officer",
    "lead",
    "manager",
    "director",
    "chief",
    "head",
    "team",
    "office",
    "staff",
    "analyst",
    "coordinator",
    "clerk",
    "mayor",
    "adviser",
    "advisor",
    "council",
    "department",
    "unit",
    "board",
    "committee",
    "secretary",
    "administrator",
    "commissioner",
    "liaison",
    "steward",
    "owner",
    "engineer",
    "supervisor",
    "specialist",
    "attorney",
    "counsel",
)

#: The same in Spanish, singular (a plural in -s or -es counts too). Left out: words that are also
#: English ("personal", "area", "junta") or that name no one ("programa").
ROLE_WORDS_ES = (
    "jefe",
    "jefa",
    "jefatura",
    "director",
    "directora",
    "direccion",
    "gerente",
    "gerencia",
    "responsable",
    "coordinador",
    "coordinadora",
    "coordinacion",
    "equipo",
    "oficina",
    "despacho",
    "gabinete",
    "alcalde",
    "alcaldesa",
    "alcaldia",
    "vicealcalde",
    "vicealcaldesa",
    "concejo",
    "concejal",
    "concejala",
    "cabildo",
    "consejo",
    "comite",
    "comision",
    "secretaria",
    "secretario",
    "subsecretaria",
    "subsecretario",
    "dependencia",
    "departamento",
    "unidad",
    "agencia",
    "enlace",
    "analista",
    "asesor",
    "asesora",
    "encargado",
    "encargada",
    "funcionario",
    "funcionaria",
    "servidor",
    "servidora",
    "lider",
    "profesional",
    "administrador",
    "administradora",
    "supervisora",
    "especialista",
    "ingeniero",
    "ingeniera",
    "abogado",
    "abogada",
    "custodio",
    "custodia",
    "oficial",
    "delegado",
    "delegada",
    "vocero",
    "vocera",
    "tesorero",
    "tesorera",
    "tesoreria",
    "contralor",
    "contralora",
    "contraloria",
)

#: Words that say the text is about the city's data even when it names no table.
DATA_WORDS = (
    "data",
    "dataset",
    "datasets",
    "inventory",
    "scorecard",
    "survey",
    "311",
    "requests",
    "metric",
    "metrics",
    "log",
    "records",
    "table",
    "dashboard",
    "report",
)

#: The same in Spanish (singular and plural; accents do not matter).
DATA_WORDS_ES = (
    "datos",
    "dato",
    "inventario",
    "inventarios",
    "ficha",
    "fichas",
    "encuesta",
    "encuestas",
    "solicitud",
    "solicitudes",
    "indicador",
    "indicadores",
    "metrica",
    "metricas",
    "registro",
    "registros",
    "bitacora",
    "bitacoras",
    "tabla",
    "tablas",
    "tablero",
    "tableros",
    "informe",
    "informes",
    "reporte",
    "reportes",
    "cifra",
    "cifras",
    "estadistica",
    "estadisticas",
    "censo",
)

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
]
#: Spanish words and phrases that say when. "Antes" and "después" count only as "antes de ..." and
#: "después de ...": "lo antes posible" (as soon as possible) says no time, as in English.
WHEN_WORDS_ES = (
    "dia",
    "dias",
    "semana",
    "semanas",
    "quincena",
    "quincenas",
    "mes",
    "meses",
    "bimestre",
    "bimestres",
    "trimestre",
    "trimestres",
    "semestre",
    "semestres",
    "ano",
    "anos",
    "diario",
    "diaria",
    "semanal",
    "quincenal",
    "mensual",
    "bimestral",
    "trimestral",
    "semestral",
    "anual",
    "hoy",
    "manana",
    "proximo",
    "proxima",
    "proximos",
    "proximas",
    "antes de",
    "antes del",
    "despues de",
    "despues del",
    "dentro de",
    "hasta",
    "mas tardar",
    "cada",
    "primavera",
    "verano",
    "otono",
    "invierno",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "ene",
    "abr",
    "ago",
    "dic",
)
_WHEN = re.compile(
    r"\b(month|months|week|weeks|quarter|quarters|year|years|q[1-4]|weekly|monthly|quarterly|"
    r"annually|yearly|daily|today|tomorrow|next|this|by|before|after|within|until|every|each|"
    r"spring|summer|fall|autumn|winter|"
    + "|".join(_MONTHS)
    + "|"
    + "|".join(re.escape(w) for w in WHEN_WORDS_ES)
    + r")\b"
)
#: "month 4", "mes 4": a month of the strategy.
_MONTH_OF_STRATEGY = re.compile(r"\b(?:month|mes) (\d+)")
#: Spanish month names as English ones, for reading a date ("1 de marzo de 2025").
_MONTHS_ES_EN = {
    "enero": "january",
    "febrero": "february",
    "marzo": "march",
    "abril": "april",
    "mayo": "may",
    "junio": "june",
    "julio": "july",
    "agosto": "august",
    "septiembre": "september",
    "setiembre": "september",
    "octubre": "october",
    "noviembre": "november",
    "diciembre": "december",
}


def looks_like_role(text: Any, person_names: Collection[str] = ()) -> bool:
    """True for a role or a body ("chief data officer", "budget office"), False for a person's
    name or an e-mail address."""
    if not isinstance(text, str) or not text.strip() or "@" in text:
        return False
    said = normalise(text)
    if any(normalise(n) == said for n in person_names if n):
        return False
    words = set(said.split())
    return any(w in words or f"{w}s" in words for w in ROLE_WORDS) or any(
        w in words or f"{w}s" in words or f"{w}es" in words for w in ROLE_WORDS_ES
    )


def data_terms(
    *,
    metrics: pd.DataFrame | None = None,
    departments: pd.DataFrame | None = None,
    inventory: pd.DataFrame | None = None,
    tables: Iterable[str] = (),
) -> list[str]:
    """The city's own names a decision can refer to: metrics, departments and datasets (names and
    ids) and the tables it has shared."""
    found: list[str] = [str(t).replace("_", " ") for t in tables]
    for frame, columns in (
        (metrics, ("metric_id", "metric")),
        (departments, ("department_id", "department")),
        (inventory, ("dataset_id", "dataset")),
    ):
        if frame is None or frame.empty:
            continue
        frame = frame.reset_index()
        for column in columns:
            if column in frame:
                found += [str(v) for v in frame[column].dropna().unique()]
    return [t for t in dict.fromkeys(found) if t.strip()]


def refers_to_data(text: Any, terms: Iterable[str] = ()) -> bool:
    """True when ``text`` names the city's own data: one of ``terms`` (a metric, department,
    dataset or table), a figure, or a word such as "inventory" or "311"."""
    if not isinstance(text, str) or not text.strip():
        return False
    said = f" {normalise(text)} "
    if re.search(r"\d", said) or any(f" {w} " in said for w in (*DATA_WORDS, *DATA_WORDS_ES)):
        return True
    return any(f" {normalise(t)} " in said for t in terms if normalise(t))


def says_when(text: Any, *, last_month: int = 36) -> bool:
    """True when ``text`` says when: a month of the strategy (1 to ``last_month``), a date, a year,
    a named month or season, or words such as "this quarter" or "every month"."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return 1 <= float(text) <= last_month
    if isinstance(text, dt.date):
        return True
    if not isinstance(text, str) or not text.strip():
        return False
    said = normalise(text)
    months = [int(m) for m in _MONTH_OF_STRATEGY.findall(said)]
    if months:
        return all(1 <= m <= last_month for m in months)
    return bool(re.search(r"\b(19|20)\d\d\b", said) or _WHEN.search(said))


def a_date(value: Any) -> dt.date | None:
    """``value`` as a date (a date, or text such as "2025-03-01", "March 1, 2025" or "1 de marzo
    de 2025"), else None. "01/03/2025" is read day first when the current language is not English
    (1 March in Latin America)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not re.search(r"\d", value):
        return None
    text = value.strip()
    words = plain(text.lower())
    if any(re.search(rf"\b{m}\b", words) for m in _MONTHS_ES_EN):
        words = re.sub(r"\bdel?\b", " ", words)
        text = re.sub(r"\b[a-z]+\b", lambda m: _MONTHS_ES_EN.get(m.group(0), m.group(0)), words)
    try:
        day_first = current_language() != SOURCE_LANGUAGE and not re.match(r"\d{4}", text)
        parsed = pd.to_datetime(" ".join(text.split()), errors="raise", dayfirst=day_first)
    except (ValueError, TypeError, OverflowError):
        return None
    return None if pd.isna(parsed) else parsed.date()


def mentions(text: Any, names: Iterable[str]) -> list[str]:
    """The ``names`` that ``text`` mentions (as whole words, in any case or punctuation)."""
    said = f" {normalise(text)} "
    return [n for n in names if normalise(n) and f" {normalise(n)} " in said]


__all__ = [
    "DATA_WORDS",
    "DATA_WORDS_ES",
    "ROLE_WORDS",
    "ROLE_WORDS_ES",
    "WHEN_WORDS_ES",
    "a_date",
    "data_terms",
    "looks_like_role",
    "mentions",
    "refers_to_data",
    "says_when",
]
