"""`cda --language`: the language of a command's messages, for whoever runs it (issue 20).

Documents keep their city's language; the command's own lines (what it wrote, where to open it,
how the run went) follow ``--language``, else the language of the cities the run was about.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from typer.testing import CliRunner

from cohort_tools.cli import app
from cohort_tools.coaching_packets.jobs import JobResult, PacketReport
from cohort_tools.core import paths
from cohort_tools.core.i18n import reader_language, set_reader_language, speaking
from cohort_tools.course.grade.results import GradeReport, SubmissionResult
from cohort_tools.strategy import StrategyResult

DEMO_CITIES = paths.DEMO_COHORT_FILE.parent / "cities"


def test_cda_language_es_writes_the_commands_own_lines_in_spanish(tmp_path: Path) -> None:
    out = tmp_path / "dictionary.md"
    spanish = CliRunner().invoke(app, ["--language", "es", "data", "dictionary", "--out", str(out)])
    assert spanish.exit_code == 0, spanish.output
    assert f"Se escribió {out}." in spanish.output
    english = CliRunner().invoke(app, ["data", "dictionary", "--out", str(out)])
    assert english.exit_code == 0, english.output
    assert f"Wrote {out}." in english.output  # the next call starts afresh, in English


def test_cda_with_an_unknown_language_exits_1_naming_the_choices() -> None:
    result = CliRunner().invoke(app, ["--language", "fr", "programme", "show"])
    assert result.exit_code == 1
    assert "--language" in result.output and "es" in result.output and "en" in result.output
    assert "Traceback" not in result.output


def test_cda_language_wins_over_the_language_city_yaml_names(tmp_path: Path) -> None:
    city = shutil.copytree(DEMO_CITIES / "puerto-arrayan", tmp_path / "puerto-arrayan")
    own = CliRunner().invoke(app, ["data", "check", str(city)])
    assert "válida" in own.output, own.output  # city.yaml says es
    asked = CliRunner().invoke(app, ["--language", "en", "data", "check", str(city)])
    assert asked.exit_code == 0, asked.output
    assert "valid (" in asked.output and "válida" not in asked.output


def _packets(language: str) -> PacketReport:
    failed = JobResult(
        "puerto-arrayan", "m1_session", "error", 2.0, "k", "a cell failed",
        city_name="Puerto Arrayán", title="Sesión de coaching 1",
    )  # fmt: skip
    return PacketReport(
        out=Path("packets"),
        index=Path("packets/index.html"),
        results=[failed],
        pdfs={},
        seconds=12.5,
        language=language,
    )


def test_a_packet_run_for_a_spanish_city_reports_in_spanish_unless_the_reader_asks() -> None:
    assert (
        _packets("es")
        .summary()
        .startswith(
            "0 página(s) de carpetas de preparación hechas, 0 sin cambios (omitidas), 1 fallidas, "
            "en 12.5 s."
        )
    )
    assert "FALLÓ Puerto Arrayán / Sesión de coaching 1: a cell failed" in _packets("es").summary()
    assert _packets("en").summary().startswith("0 packet page(s) made")
    set_reader_language("en")
    try:
        assert _packets("es").summary().startswith("0 packet page(s) made")
    finally:
        set_reader_language(None)


def _strategy(language: str) -> StrategyResult:
    section = SimpleNamespace(complete=True)
    strategy: Any = SimpleNamespace(
        city_name="Puerto Arrayán", sections=[section, section], gaps=["x"], flags=[]
    )
    return StrategyResult(strategy, Path("strategy/puerto-arrayan"), language)


def test_each_strategy_line_reads_in_its_citys_language() -> None:
    assert (
        _strategy("es")
        .summary()
        .startswith("  Puerto Arrayán: 2 de 2 secciones completas, 1 vacío(s)")
    )
    assert (
        _strategy("en").summary().startswith("  Puerto Arrayán: 2 of 2 sections complete, 1 gap(s)")
    )


def test_the_grading_report_speaks_the_language_the_reader_asked_for() -> None:
    result = SubmissionResult("s1", "m1", "puerto-arrayan", "M1-A", "error")
    report = GradeReport(Path("course"), [result], [], 3.25, 2)
    assert report.summary().startswith("Graded 0 submission(s) in 3.2 s (2 at a time)")
    set_reader_language("es")
    try:
        spanish = report.summary()
    finally:
        set_reader_language(None)
    assert spanish.startswith("Se calificaron 0 entrega(s) en 3.2 s (2 a la vez)")
    assert "s1 / M1-A (puerto-arrayan): SIN CALIFICAR (problema del sistema)" in spanish


def test_grading_notes_are_made_in_english_and_read_in_the_readers_language() -> None:
    from cohort_tools.course.grade.run import cell_label, failure_note

    # Made in a grading worker (no reader language there), read in the coach's summary.
    timeout = failure_note(cell_label(3, "q_total"), "timeout", None, None, 30)
    died = failure_note(cell_label(5, None), "died", None, None, 30)
    assert timeout is not None and died is not None
    assert timeout.startswith("cell 3 ('q_total') was still running after 30 s")
    result = SubmissionResult("s1", "m1", "puerto-arrayan", "M1-A", "graded", notes=[timeout, died])
    report = GradeReport(Path("course"), [result], [], 3.25, 2)
    english = report.summary()
    assert "    - cell 3 ('q_total') was still running after 30 s (the time limit)" in english
    assert "stopped at cell 5 (it crashed, exited or ran out of memory)" in english
    set_reader_language("es")
    try:
        spanish = report.summary()
    finally:
        set_reader_language(None)
    assert "    - La celda 3 ('q_total') seguía en ejecución después de 30 s" in spanish
    assert "se detuvo en la celda 5 (falló, terminó o se quedó sin memoria)" in spanish
    assert "cell" not in spanish and "crashed" not in spanish


def test_the_progress_table_reads_in_the_language_the_reader_asked_for() -> None:
    from cohort_tools.course.report import ProgressRow, progress_table

    rows = [
        ProgressRow("puerto-arrayan", "pa-1", "cdo", "m1", "m1_workshop_a", "graded", 5, 6, True),
        ProgressRow("puerto-arrayan", "pa-1", "cdo", "m1", "m1_workshop_b", "not submitted",
                    None, 6, False),
    ]  # fmt: skip
    english = progress_table(rows)
    assert english.splitlines()[0].split() == [
        "city", "learner", "role", "module", "workshop", "status", "score"
    ]  # fmt: skip
    assert "5/6 (+coach)" in english and "not submitted" in english
    assert english.splitlines()[-1] == "puerto-arrayan: 1/2 submitted; average score 83%"
    set_reader_language("es")
    try:
        with speaking(reader_language()):  # as the CLI runs every command
            spanish = progress_table(rows)
    finally:
        set_reader_language(None)
    assert spanish.splitlines()[0].split()[:2] == ["ciudad", "participante"]
    assert "calificado" in spanish and "sin entregar" in spanish
    assert spanish.splitlines()[-1] == "puerto-arrayan: 1/2 entregados; puntaje promedio 83%"


def _built_course(tmp_path: Path) -> Path:
    """A course folder whose build record names the demo cohort (where the names come from)."""
    import json

    from cohort_tools.course.names import BUILD_RECORD

    course = tmp_path / "course"
    course.mkdir()
    record = {"cohort": str(paths.DEMO_COHORT_FILE)}
    (course / BUILD_RECORD).write_text(json.dumps(record), encoding="utf-8")
    return course


def test_grading_and_progress_show_cities_roles_and_workshops_by_name(tmp_path: Path) -> None:
    from cohort_tools.course.names import names
    from cohort_tools.course.report import ProgressRow, progress_table

    course = _built_course(tmp_path)
    result = SubmissionResult(
        "pa-1", "m2_workshop_a_skills-puerto-arrayan", "puerto-arrayan", "m2_workshop_a_skills",
        "graded", 5, 6,
    )  # fmt: skip
    report = GradeReport(course, [result], [], 3.25, 2)
    assert "pa-1 / Data skills assessment (Puerto Arrayán): 5 / 6" in report.summary()
    row = ProgressRow("puerto-arrayan", "pa-1", "chief_data_officer", "m2",
                      "m2_workshop_a_skills", "graded", 5, 6, False)  # fmt: skip
    english = progress_table([row], names(course))
    assert english.splitlines()[2].split("  ")[0] == "Puerto Arrayán"
    assert "Chief data officer (or similar)" in english and "Data skills assessment" in english
    assert "puerto-arrayan" not in english and "m2_workshop" not in english
    assert english.splitlines()[-1].startswith("Puerto Arrayán: 1/1 submitted")
    set_reader_language("es")
    try:
        with speaking(reader_language()):
            spanish = report.summary()
            table = progress_table([row], names(course))
    finally:
        set_reader_language(None)
    assert "pa-1 / Evaluación de competencias en datos (Puerto Arrayán): 5 / 6" in spanish
    assert "Director o directora de datos (o similar)" in table
    # a course copied without its cohort still reads, by ids
    (course / ".cda-build.json").unlink()
    assert "pa-1 / m2_workshop_a_skills (puerto-arrayan): 5 / 6" in report.summary()


def test_a_strategy_that_cannot_be_built_says_why_in_its_city_s_language(tmp_path: Path) -> None:
    where = ["--course", str(tmp_path / "no-course"), "--out", str(tmp_path / "out")]
    spanish = CliRunner().invoke(app, ["strategy", "build", "--city", "puerto-arrayan", *where])
    assert spanish.exit_code == 1
    assert "No se puede preparar la estrategia de Puerto Arrayán." in spanish.output
    assert "aquí no hay ningún curso (no hay gradebook.db)" in spanish.output
    english = CliRunner().invoke(app, ["strategy", "build", "--city", "riverton", *where])
    assert english.exit_code == 1
    assert "Cannot build the strategy of Riverton." in english.output
    assert "there is no course here" in english.output
    asked = CliRunner().invoke(
        app, ["--language", "en", "strategy", "build", "--city", "puerto-arrayan", *where]
    )
    assert "Cannot build the strategy of Puerto Arrayán." in asked.output
    assert not (tmp_path / "out").exists()


def test_a_city_s_calendar_summary_speaks_its_language(tmp_path: Path) -> None:
    ics = tmp_path / "city.ics"
    spanish = CliRunner().invoke(
        app, ["cohort", "schedule", "--city", "puerto-arrayan", "--ics", str(ics)]
    )
    assert spanish.exit_code == 0, spanish.output
    assert spanish.output.startswith("35 eventos del 12 ene 2027 al 6 jul 2027:")
    assert "Puerto Arrayán: 12 sesión(es) de coaching" in spanish.output
    assert f"se escribió {ics}" in spanish.output
    cohort = CliRunner().invoke(app, ["cohort", "schedule", "--ics", str(ics)])
    assert cohort.output.startswith("89 events from Jan 12, 2027 to Jul 6, 2027:")
    assert "Riverton: 12 coaching session(s), 18 city events in all" in cohort.output


def test_the_programme_outline_reads_in_the_language_asked_for() -> None:
    english = CliRunner().invoke(app, ["programme", "show"])
    assert "Module 1: Data-informed leadership" in english.output
    spanish = CliRunner().invoke(app, ["--language", "es", "programme", "show"])
    assert spanish.exit_code == 0, spanish.output
    assert "Módulo 1: Liderazgo informado por datos" in spanish.output
    assert "  - mes 2, semana 1: taller 'Rutinas de datos' (120 min;" in spanish.output
    words = ("Module ", "objective:", "month ", "Capstone", "Deliverable", "in person")
    assert not [w for w in words if w in spanish.output]


def test_the_cohort_check_summary_reads_in_the_language_asked_for() -> None:
    english = CliRunner().invoke(app, ["cohort", "check"])
    assert "4 cities, starting Monday, January 11, 2027" in english.output
    assert "senior team of 3: Chief of staff;" in english.output
    spanish = CliRunner().invoke(app, ["--language", "es", "cohort", "check"])
    assert spanish.exit_code == 0, spanish.output
    assert "4 ciudades; empieza el lunes, 11 de enero de 2027" in spanish.output
    assert "equipo directivo de 3: Jefe o jefa de gabinete;" in spanish.output
    assert "[ficticia]" in spanish.output and "La cohorte es válida." in spanish.output
