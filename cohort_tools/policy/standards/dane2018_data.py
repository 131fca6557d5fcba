"""Colombia's national standard: DANE's 2018 census ethnic self-recognition categories, as data.

The Censo Nacional de Población y Vivienda 2018 (CNPV 2018) of the Departamento Administrativo
Nacional de Estadística (DANE) asks each person which ethnic group they recognize themselves as part
of (*autorreconocimiento étnico*). The answer labels below are written as DANE's census tables
publish them; the codes are this project's (upper case, no accents, none shared with SPD 15).

What we checked, and what we could not (see ``curriculum/references.yaml``, ``dane-cnpv-2018`` and
``dane-cnpv-2018-etnia-table``): the census and its microdata catalog are DANE's own page; the six
answer labels and the "No informa" column were checked against a public table of CNPV 2018 results
by municipality, not against DANE's questionnaire itself (it was not in the sources we can reach).
Whether the questionnaire allows one answer or several per person is NOT verified here, so
:data:`MULTIPLE_SELECTIONS_ALLOWED` is ``None`` (unknown), not a guess. No population figures are
kept: the demo city's counts are invented.
"""

from __future__ import annotations

SOURCE_URL = "https://microdatos.dane.gov.co/index.php/catalog/643/study-description"
#: Reference ids in curriculum/references.yaml.
REFERENCES = ("dane-cnpv-2018", "dane-cnpv-2018-etnia-table")
#: Unknown: not verified against DANE's questionnaire (see the module docstring).
MULTIPLE_SELECTIONS_ALLOWED: bool | None = None

#: code -> (label as DANE publishes it, detailed examples, new in 2018). No examples are listed:
#: DANE records the people (pueblo) of indigenous respondents, which we do not reproduce here.
CATEGORIES: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "INDIGENA": ("Indígena", (), False),
    "RROM": ("Gitano(a) o Rrom", (), False),
    "RAIZAL": ("Raizal del Archipiélago de San Andrés, Providencia y Santa Catalina", (), False),
    "PALENQUERO": ("Palenquero(a) de San Basilio", (), False),
    "AFRO": ("Negro(a), mulato(a), afrodescendiente, afrocolombiano(a)", (), False),
    "NINGUNO": ("Ningún grupo étnico", (), False),
}
#: The census tables' column for people whose answer is not known; a reporting code, not a group.
NOT_REPORTED_CODE = "NO_INFORMA"
NOT_REPORTED_LABEL = "No informa"
