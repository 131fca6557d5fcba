"""The Spanish catalog is complete, keeps every placeholder, and is what learners read.

Messages in code are marked ``_("...")`` (or ``N_("...")`` for texts kept as data) and extracted
by ``make catalogs`` into cohort_tools/locale/cda.pot; each language's cda.po translates them.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from cohort_tools.core import i18n

ROOT = Path(__file__).resolve().parents[2]


@cache
def extracted() -> tuple[str, ...]:
    """Every message the code marks, extracted in-process as ``make catalogs`` does (babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
    }
    return tuple(sorted(m for m in found if m))


def placeholders(text: str) -> list[str]:
    """The ``{name}`` fields of a message, in order (format specs included). MyST's attributes
    (``[The Baltimore Sun]{.lang-en}``: a name a translation keeps in English) are not fields."""
    return sorted(
        f"{name}:{spec}" if spec else name
        for _text, name, spec, _conv in string.Formatter().parse(text)
        if name is not None and not name.startswith((".", "#"))
    )


def test_every_message_of_the_code_is_translated_into_spanish() -> None:
    missing = i18n.untranslated(list(extracted()), "es")
    assert not missing, (
        f"{len(missing)} message(s) have no Spanish translation in "
        "cohort_tools/locale/es/LC_MESSAGES (run `make catalogs`, then translate):\n"
        + "\n".join(f"  - {m!r}" for m in missing)
    )


def test_translations_keep_the_english_placeholders() -> None:
    messages = []
    for domain in i18n.DOMAINS:
        with i18n.catalog_file("es", domain).open("rb") as handle:
            messages += list(read_po(handle, locale="es", domain=domain))
    wrong = [
        (message.id, message.string)
        for message in messages
        if message.id
        and message.string
        and placeholders(message.id) != placeholders(message.string)
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(f"  {e!r} -> {s!r}" for e, s in wrong)


def test_the_catalog_templates_on_disk_are_current() -> None:
    on_disk: set[str] = set()
    for domain in i18n.DOMAINS:
        with (i18n.LOCALE_DIR / f"{domain}.pot").open("rb") as handle:
            on_disk |= {m.id for m in read_po(handle) if isinstance(m.id, str) and m.id}
    fresh = set(extracted())
    assert on_disk == fresh, (
        "the catalog templates in cohort_tools/locale are out of date: run `make catalogs` (and "
        "translate). "
        f"New: {sorted(fresh - on_disk)}; gone: {sorted(on_disk - fresh)}"
    )


def test_a_failed_checkpoint_speaks_spanish() -> None:
    from cohort_tools.lessons.checkpoints import Checkpoint, CheckpointFailed

    with i18n.speaking("es"):
        cp = Checkpoint("Línea de base")
        cp.is_number("cuatro", "baseline_days")
        try:
            cp.verdict()
        except CheckpointFailed as failed:
            text = failed.text()
        else:  # pragma: no cover - the answer is wrong on purpose
            raise AssertionError("the checkpoint should have failed")
    assert text.splitlines()[0] == "Punto de control aún no superado: Línea de base"
    assert "'baseline_days' debe ser un solo número, pero es el texto 'cuatro'." in text
    assert "Prueben: escriban un número como 4.5" in text
    # and in English, as before
    english = CheckpointFailed("Baseline", [("x is wrong.", "fix it.")]).text()
    assert english == "Checkpoint not passed yet: Baseline\n  - x is wrong.\n    Try: fix it."


def test_a_passed_checkpoint_speaks_spanish(capsys) -> None:  # type: ignore[no-untyped-def]
    from cohort_tools.lessons.checkpoints import Checkpoint

    with i18n.speaking("es"), Checkpoint("Meta") as cp:
        cp.is_number(4.5, "target_days")
    assert capsys.readouterr().out == "Punto de control superado: Meta\n"


def test_form_buttons_and_saved_messages_speak_spanish(tmp_path: Path) -> None:
    from cohort_tools.lessons import forms

    table = forms.Table("Plan", columns={"item": forms.Text("Elemento")}, rows=1)
    with i18n.speaking("es"):
        control = table.build(None, lambda: None)
        computed = forms.Computed("Costo").build(None, lambda: None)
        paper = forms.paper_form("una cifra", {"x": forms.Choice("Opción", options=["a"])})
    buttons = [w for w in _walk(control.widget) if type(w).__name__ == "Button"]
    assert {b.description for b in buttons} == {"Quitar la fila 1", "Agregar una fila"}
    assert [w.description for w in _walk(computed.widget) if type(w).__name__ == "Button"] == [
        "Calcular"
    ]
    assert "<b>Su respuesta.</b> Una buena respuesta tiene: una cifra." in paper
    assert "Marquen una:" in paper
    with i18n.speaking("en"):
        english = forms.Computed("Cost").build(None, lambda: None)
    assert [w.description for w in _walk(english.widget) if type(w).__name__ == "Button"] == [
        "Work it out"
    ]


def test_label_tables_translate_when_read_and_keep_their_keys() -> None:
    from cohort_tools.lessons import coherence, makeover, skills

    with i18n.speaking("es"):
        assert skills.SKILL_LABELS["statistics"] == "Estadística"
        assert dict(makeover.YES_NO) == {True: "Sí", False: "No"}
        assert coherence.CHECKS["action-no-owner"] == "una acción sin responsable"
    assert skills.SKILL_LABELS["statistics"] == "Statistics"
    assert list(makeover.KINDS) == ["bar", "dot"]


def _walk(widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_nb_dates_and_numbers_follow_the_language() -> None:
    import datetime as dt

    from cohort_tools import nb
    from cohort_tools.core.dates import us_date

    day = dt.date(2027, 1, 15)
    assert nb.us_date(day) == us_date(day) == "January 15, 2027"
    assert nb.us_date(day, short=True) == us_date(day, short=True)
    assert nb.number(12400) == "12,400"
    assert nb.money(1_200_000) == "$1,200,000"
    with i18n.speaking("es"):
        assert nb.us_date(day) == "15 de enero de 2027"
        assert nb.money(1_200_000, country="CO") == i18n.format_money(
            1_200_000, country="CO", language="es"
        )
