"""Equivalent wordings: a checkpoint that compares text accepts every way of saying the same thing.

A senior team writes "biweekly", "every 2 weeks" or "Fortnightly" for a meeting every two weeks;
"Census five-year bands" for ``census_5_year_bands``. A checkpoint that compares text compares
*meanings*: both sides are normalised (case, spacing, punctuation, number words) and then looked up
in groups of wordings that say the same thing. The checkpoint asks for one of a few canonical
values; :func:`canonical` says which of them an answer means (or None)::

    canonical("Every 2 weeks", ["weekly", "every two weeks", "monthly"])   # "every two weeks"
    canonical("fortnightly", ["weekly", "every two weeks", "monthly"])     # "every two weeks"
    canonical("yearly", ["annually", "every two years"])                   # "annually"

Identifiers (metric ids, skill codes, dataset ids) are not wordings: a checkpoint that asks for an
id still asks for the id, and says where to copy it from.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fourteen": "14",
    "eighteen": "18",
    "twenty four": "24",
}
#: Spanish number words, read the same way ("cada dos semanas" -> "cada 2 semanas"). "once" (11) is
#: left out: it is an English word ("once a week").
NUMBER_WORDS_ES = {
    "dos": "2",
    "tres": "3",
    "cuatro": "4",
    "cinco": "5",
    "seis": "6",
    "siete": "7",
    "ocho": "8",
    "nueve": "9",
    "diez": "10",
    "doce": "12",
    "catorce": "14",
    "quince": "15",
    "dieciocho": "18",
    "veinticuatro": "24",
}
_NUMBERS = {**NUMBER_WORDS, **NUMBER_WORDS_ES}
_NUMBER = re.compile(r"\b(" + "|".join(sorted(_NUMBERS, key=len, reverse=True)) + r")\b")
#: Articles a text may start with ("the Washington Group", "el equipo del programa").
_ARTICLES = ("the", "a", "an", "el", "la", "los", "las")


def plain(text: str) -> str:
    """``text`` without accents or tildes: ``"Año de inversión"`` -> ``"Ano de inversion"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: Any) -> str:
    """Lower case, no accents, punctuation and underscores as spaces, one space between words,
    number words as digits (English and Spanish), no leading article: ``"Bi-weekly"`` -> ``"bi
    weekly"``, ``"Every two  weeks."`` -> ``"every 2 weeks"``, ``"the Washington Group"`` ->
    ``"washington group"``, ``"Cada dos semanas"`` -> ``"cada 2 semanas"``, ``"Año"`` -> ``"ano"``."""
    if not isinstance(text, str):
        return ""
    out = plain(text.lower()).replace("&", " and ").replace("'s", "s").replace("\u2019s", "s")
    out = re.sub(r"[\W_]+", " ", out).strip()
    out = _NUMBER.sub(lambda m: _NUMBERS[m.group(1)], out)
    out = re.sub(r"^(" + "|".join(_ARTICLES) + r") (?=\w)", "", out)  # "the 2024 combined question"
    return re.sub(r"\s+", " ", out)


#: Groups of wordings that say the same thing. The first wording of a group is how this program
#: writes it (US English); the checkpoints and the strategy show that one.
GROUPS: tuple[tuple[str, ...], ...] = (
    # how often
    ("daily", "every day", "each day", "once a day", "per day", "day by day"),
    ("weekly", "every week", "each week", "once a week", "per week", "every 7 days"),
    (
        "every two weeks",
        "fortnightly",
        "biweekly",
        "bi weekly",
        "every other week",
        "once every two weeks",
        "every fortnight",
        "once a fortnight",
        "every 14 days",
        "twice a month",
        "twice monthly",
        "semimonthly",
        "semi monthly",
    ),
    ("monthly", "every month", "each month", "once a month", "per month", "every four weeks"),
    (
        "quarterly",
        "every quarter",
        "each quarter",
        "once a quarter",
        "every three months",
        "four times a year",
        "once every three months",
    ),
    (
        "annually",
        "yearly",
        "annual",
        "every year",
        "each year",
        "once a year",
        "per year",
        "every twelve months",
    ),
    (
        "every two years",
        "biennially",
        "biennial",
        "every other year",
        "once every two years",
        "every twenty four months",
    ),
    ("ad_hoc", "ad hoc", "as needed", "when needed", "when it changes", "irregularly"),
    # kinds of investment and stakeholder
    ("platform", "platforms", "a platform", "tool", "a tool"),
    ("practice", "practices", "a practice", "habit", "a habit"),
    ("community_group", "community group", "community groups", "community organization"),
    ("department", "departments", "city department"),
    ("council", "city council", "council committee"),
    ("residents", "resident", "residents group", "the public"),
    ("staff", "city staff", "frontline staff", "employees"),
    ("partner", "partners", "external partner"),
    # ways to train (Module 2, workshop B)
    ("online course", "online courses", "e learning", "elearning", "online training"),
    ("workshop series", "workshops", "a workshop series", "series of workshops"),
    ("mentoring", "mentorship", "a mentor", "coaching by a mentor"),
    ("data academy", "academy", "a data academy"),
    # the demographic data standard (Module 3, workshop C)
    (
        "spd15_2024_combined",
        "spd 15 2024 combined",
        "spd15 combined",
        "spd 15 combined",
        "spd15 2024",
        "spd 15 2024",
        "2024 spd 15",
        "2024 spd15",
        "spd 15",
        "spd15",
        "2024 combined question",
        "2024 combined",
        "combined question",
        "one combined question",
        "combined race and ethnicity question",
        "2024 federal standard",
        "2024 standard",
    ),
    (
        "two_question_1997",
        "1997 two questions",
        "two questions",
        "1997 standard",
        "two question",
        "1997",
    ),
    ("custom", "a custom list", "custom list", "our own list", "the city's own categories"),
    ("none", "not asked", "not collected"),
    ("race_ethnicity", "race and ethnicity", "race or ethnicity", "ethnicity and race", "race"),
    ("sex", "sex at birth", "sex assigned at birth"),
    ("gender", "gender identity"),
    ("age", "ages", "age group", "age band"),
    ("disability", "disability status", "disabilities"),
    (
        "language",
        "languages",
        "primary language",
        "language spoken at home",
        "home language",
        "preferred language",
    ),
    ("income", "household income"),
    (
        "census_5_year_bands",
        "census 5 year bands",
        "5 year bands",
        "5 year age bands",
        "census age bands",
        "census 5 year age bands",
        "age in 5 year bands",
        "census bands",
    ),
    (
        "exact_date_of_birth",
        "date of birth",
        "full date of birth",
        "exact date of birth",
        "dob",
        "birth date",
        "birthdate",
    ),
    ("adult_or_child", "adult or child", "under or over 18", "over or under 18", "child or adult"),
    (
        "washington_group_short_set",
        "washington group short set",
        "washington group",
        "washington group questions",
        "washington group short set questions",
        "wg short set",
        "wg ss",
        "wgss",
        "6 washington group questions",
    ),
    ("yes_no_question", "yes no question", "yes or no question", "yes no", "one yes no question"),
    ("diagnosis_list", "diagnosis list", "list of diagnoses", "list of conditions"),
    (
        "acs_language_and_english_ability",
        "acs language and english ability",
        "acs language",
        "acs",
        "census language questions",
        "census language",
        "language and english ability",
        "language spoken at home and english ability",
        "language at home and how well english is spoken",
    ),
    ("preferred_language_only", "preferred language only", "only preferred language"),
    ("english_yes_no", "english yes no", "do you speak english"),
)


#: The same groups in Spanish, keyed by the first (US English) wording of the group they join:
#: a Spanish answer ("cada dos semanas", "mensual") says the same as its English wordings, and the
#: checkpoint still names the English value it compares. Accents do not matter (see normalise).
WORDINGS_ES: dict[str, tuple[str, ...]] = {
    # how often
    "daily": (
        "diario",
        "diaria",
        "diariamente",
        "a diario",
        "cada dia",
        "todos los dias",
        "una vez al dia",
        "por dia",
    ),
    "weekly": (
        "semanal",
        "semanalmente",
        "cada semana",
        "todas las semanas",
        "una vez por semana",
        "una vez a la semana",
        "por semana",
        "cada 7 dias",
    ),
    "every two weeks": (
        "cada 2 semanas",
        "una vez cada 2 semanas",
        "quincenal",
        "quincenalmente",
        "cada quincena",
        "cada 15 dias",
        "cada 14 dias",
        "catorcenal",
        "2 veces al mes",
        "2 veces por mes",
        "semana por medio",
    ),
    "monthly": (
        "mensual",
        "mensualmente",
        "cada mes",
        "todos los meses",
        "una vez al mes",
        "una vez por mes",
        "por mes",
        "cada 4 semanas",
    ),
    "quarterly": (
        "trimestral",
        "trimestralmente",
        "cada trimestre",
        "una vez por trimestre",
        "una vez al trimestre",
        "por trimestre",
        "cada 3 meses",
        "una vez cada 3 meses",
        "4 veces al ano",
        "4 veces por ano",
    ),
    "annually": (
        "anual",
        "anualmente",
        "cada ano",
        "todos los anos",
        "una vez al ano",
        "una vez por ano",
        "por ano",
        "cada 12 meses",
    ),
    "every two years": (
        "cada 2 anos",
        "una vez cada 2 anos",
        "bienal",
        "bienalmente",
        "cada 24 meses",
        "ano por medio",
    ),
    "ad_hoc": (
        "cuando se necesita",  # as the form shows it
        "segun se necesite",
        "segun sea necesario",
        "cuando se necesite",
        "cuando haga falta",
        "cuando cambie",
        "a demanda",
        "bajo demanda",
        "irregular",
    ),
    # kinds of investment and stakeholder
    "platform": ("plataforma", "plataformas", "una plataforma", "herramienta", "una herramienta"),
    "practice": ("practica", "practicas", "una practica", "habito", "un habito"),
    "community_group": (
        "organizacion comunitaria",
        "organizaciones comunitarias",
        "grupo comunitario",
        "grupos comunitarios",
        "organizacion de la sociedad civil",
    ),
    "department": (
        "dependencia",
        "dependencias",
        "departamento",
        "departamentos",
        "dependencia municipal",
        "secretaria municipal",
    ),
    "council": ("concejo", "concejo municipal", "comision del concejo", "cabildo"),
    "residents": (
        "residentes",
        "residente",
        "vecinos",
        "vecinas",
        "ciudadania",
        "ciudadanos",
        "publico",
    ),
    "staff": (
        "personal",
        "personal municipal",
        "personal de primera linea",
        "funcionarios",
        "servidores publicos",
        "empleados",
    ),
    "partner": ("socio", "socios", "aliado", "aliados", "aliado externo", "socio externo"),
    # ways to train (Module 2, workshop B)
    "online course": (
        "curso en linea",
        "cursos en linea",
        "curso virtual",
        "cursos virtuales",
        "capacitacion en linea",
        "formacion en linea",
    ),
    "workshop series": ("serie de talleres", "talleres", "ciclo de talleres"),
    "mentoring": ("mentoria", "mentorias", "un mentor", "una mentora"),
    "data academy": ("academia de datos", "academia", "una academia de datos"),
    # the demographic data standard (Module 3, workshop C)
    "spd15_2024_combined": (
        "pregunta combinada",
        "una pregunta combinada",
        "pregunta combinada de 2024",
        "pregunta combinada de raza y etnia",
        "estandar de 2024",
        "estandar federal de 2024",
    ),
    "two_question_1997": ("2 preguntas", "2 preguntas de 1997", "estandar de 1997"),
    "custom": ("lista propia", "una lista propia", "categorias propias", "categorias de la ciudad"),
    "none": ("no se pregunta", "no se recoge", "no se recolecta"),
    "race_ethnicity": ("raza y etnia", "raza o etnia", "etnia y raza", "raza"),
    "sex": ("sexo", "sexo al nacer", "sexo asignado al nacer"),
    "gender": ("genero", "identidad de genero"),
    "age": ("edad", "edades", "grupo de edad", "rango de edad"),
    "disability": ("discapacidad", "condicion de discapacidad"),
    "language": (
        "idioma",
        "idiomas",
        "lengua",
        "idioma principal",
        "idioma preferido",
        "idioma que se habla en casa",
    ),
    "income": ("ingreso", "ingresos", "ingreso del hogar", "ingresos del hogar"),
    "census_5_year_bands": (
        "grupos quinquenales",
        "grupos quinquenales de edad",
        "grupos de 5 anos",
        "rangos de 5 anos",
        "franjas de 5 anos",
    ),
    "exact_date_of_birth": (
        "fecha de nacimiento",
        "fecha de nacimiento completa",
        "fecha exacta de nacimiento",
    ),
    "adult_or_child": (
        "adulto o menor",
        "adulto o nino",
        "mayor o menor de 18",
        "menor o mayor de 18",
    ),
    "washington_group_short_set": (
        "grupo de washington",
        "preguntas del grupo de washington",
        "conjunto breve del grupo de washington",
        "set corto del grupo de washington",
    ),
    "yes_no_question": ("pregunta de si o no", "si o no", "si no", "una pregunta de si o no"),
    "diagnosis_list": ("lista de diagnosticos", "lista de condiciones"),
    "acs_language_and_english_ability": (
        "preguntas de idioma del censo",
        "idioma del censo",
        "idioma y dominio del ingles",
    ),
    "preferred_language_only": ("solo idioma preferido", "solo el idioma preferido"),
    "english_yes_no": ("habla ingles", "habla ingles si no"),
}


@cache
def _groups() -> tuple[tuple[str, ...], ...]:
    """Every group with its wordings in every language (English first)."""
    return tuple((*group, *WORDINGS_ES.get(group[0], ())) for group in GROUPS)


@cache
def _index() -> dict[str, int]:
    """Normalised wording -> the number of its group."""
    found: dict[str, int] = {}
    for n, group in enumerate(_groups()):
        for wording in group:
            key = normalise(wording)
            if key in found and found[key] != n:  # pragma: no cover - guarded by a unit test
                raise ValueError(f"the wording {wording!r} is in two groups")
            found[key] = n
    return found


def wordings_of(value: str) -> tuple[str, ...]:
    """Every wording that says the same as ``value`` (``value`` alone when it is in no group)."""
    group = _index().get(normalise(value))
    return _groups()[group] if group is not None else (value,)


def preferred(value: str) -> str:
    """How this program writes ``value``: the first wording of its group ("biweekly" -> "every
    two weeks"); ``value`` itself when it is in no group."""
    return wordings_of(value)[0]


def canonical(
    value: Any, allowed: Iterable[str], extra: Mapping[str, Iterable[str]] | None = None
) -> str | None:
    """The one of ``allowed`` that ``value`` says (in any of its wordings), else None.

    ``extra`` adds wordings for this one comparison: ``{"monthly": ["at every board meeting"]}``.
    """
    if not isinstance(value, str) or not value.strip():
        return None
    said = normalise(value)
    group = _index().get(said)
    for option in allowed:
        if said == normalise(option):
            return option
        if group is not None and _index().get(normalise(option)) == group:
            return option
        if extra and said in {normalise(w) for w in extra.get(option, ())}:
            return option
    return None


def same(a: Any, b: Any) -> bool:
    """True when two texts say the same thing (``"Bi-weekly"`` and ``"every 2 weeks"``)."""
    return isinstance(b, str) and canonical(a, [b]) is not None


__all__ = [
    "GROUPS",
    "WORDINGS_ES",
    "canonical",
    "normalise",
    "plain",
    "preferred",
    "same",
    "wordings_of",
]
