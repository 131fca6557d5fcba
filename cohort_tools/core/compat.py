"""Every private or patched use of another package, in one place, each with the version it relies on.

The rest of cohort_tools uses only public APIs of nbclient, nbconvert, nbgrader, papermill and
jupyter_client.
What is here reaches past them, because no public API does the job:

========================  =========  ===============================================================
package                   relied on  what, and why no public API does it
========================  =========  ===============================================================
jupyter_client            8.10       :func:`attach_provisioner`: a KernelManager drives a kernel forked
                                     by our zygote through a provisioner we set on it directly (the
                                     public route, an entry-point provisioner chosen by a kernelspec,
                                     starts a new process, which is what the zygote avoids).
nbgrader                  0.9        :func:`execute_options`: the settings and the ``on_cell_executed``
                                     hook of nbgrader's ``Execute`` preprocessor, read from it so the
                                     one run loop (:func:`cohort_tools.notebooks.run.run`) executes a
                                     submission exactly as ``nbgrader autograde`` would.
nbgrader                  0.9        :func:`nbgrader_resources`: the ``resources`` dict nbgrader's
                                     converter hands its preprocessors (``BaseConverter``).
nbgrader                  0.9        :func:`shared_gradebook`: ``SaveAutoGrades`` and
                                     ``AssignLatePenalties`` open ``Gradebook(db_url)`` themselves;
                                     their module-level ``Gradebook`` name is pointed at one open
                                     gradebook for the duration, so one submission is one transaction.
nbgrader                  0.9        :func:`feedback_in_language`: the words of nbgrader's feedback
                                     page template (``feedback/index.html.j2``: "Score:", "Student's
                                     answer", ...) are fixed English text, not catalog messages; the
                                     page is written in the notebook's language by replacing them,
                                     and marked with its ``lang``. The template also loads MathJax
                                     from a CDN whatever nbconvert's ``mathjax_url`` says; the
                                     workshops hold no formulas, so that script tag is dropped (the
                                     page works offline).
nbgrader                  0.9        :func:`one_transaction`: nbgrader commits after every write
                                     (``gb.db.commit()``); commits become flushes for the duration.
nbgrader                  0.9        :func:`cells_saved_in_one_transaction`: ``generate_assignment``'s
                                     ``SaveCells`` opens ``Gradebook(db_url)`` itself (the name
                                     imported into ``nbgrader.preprocessors.savecells``) and commits
                                     after every cell it records, 1,600 commits for the demo's
                                     release; the name is pointed at a ``Gradebook`` whose writes are
                                     one transaction per notebook (:func:`one_transaction`).
nbgrader                  0.9        :func:`schemas_checked_once`: nbgrader checks each cell's grading
                                     metadata with ``jsonschema.validate(meta, schema)``
                                     (``nbgraderformat.common.BaseMetadataValidator.validate_cell``),
                                     which first checks the *schema* itself, for every cell: a fifth
                                     of the grader's own time per submission. The module's
                                     ``jsonschema`` name is pointed at a stand-in whose ``validate``
                                     checks each schema once and raises the same first error.
nbgrader                  0.9        :func:`gradebook_engines_reused`: ``Gradebook(db_url)`` calls
                                     ``create_engine`` (the name imported into ``nbgrader.api``)
                                     every time, and SQLAlchemy 2.0 keeps compiled statements per
                                     engine, so every query was compiled again for every gradebook
                                     opened (two or more per submission graded). The name is
                                     pointed at one that keeps an engine per database: the demo's
                                     128 gradings take 27.7 s of the grader's own CPU, not 35.5 s.
nbconvert                 7.17       :class:`HTMLExporter`: nbconvert's ``HTMLExporter.from_notebook_node``
                                     renders the page, then parses all of it again with
                                     BeautifulSoup's pure-Python parser to add three accessibility
                                     attributes and prints the tree back: about half the time of a
                                     feedback page or packet full of charts. Ours renders as
                                     ``from_notebook_node`` does (its two filters, then
                                     ``TemplateExporter.from_notebook_node``) and adds the same
                                     attributes to the same tags in one pass over the text
                                     (:func:`accessibility_pass`), without reprinting the page.
nbclient                  0.11       :func:`poll_in_slices` (with jupyter_client 8.10's
                                     ``AsyncZMQSocketChannel.get_msg``): nbclient waits for a cell's
                                     shell reply, and its outputs, with ONE long ``get_msg`` call
                                     (the cell's whole time limit; ``None`` for IOPub). A wake-up the
                                     asyncio poller misses on ZMQ's edge-triggered socket (a widget
                                     cell shows it: jupyter/nbclient#312) then costs the whole limit,
                                     60-180 s, for a cell that ran in 0.1 s. The client's two
                                     channels get a ``get_msg`` that waits in 1 s slices, each one
                                     re-reading the socket's state; no public setting does this.
typer                     0.29       :func:`help_words`: the words typer prints around a ``--help``
                                     page (``Options``, ``[default: ...]``...) are module constants
                                     of ``typer.rich_utils``, read when a page is printed; they are
                                     set to the reader's language there. The usage line's
                                     ``Usage:`` is fixed text in typer's own copy of click
                                     (``typer._click.formatting.HelpFormatter.write_usage``); the
                                     method is wrapped to pass the translated prefix. The help
                                     option's help is set on the option object typer keeps per
                                     command (``get_help_option``, public, cached since 0.29).
jsonschema                4.26       :func:`skip_slow_optional_imports`: ``jsonschema._format`` imports
                                     ``rfc3987_syntax`` whenever it is installed (jupyter-events asks
                                     for ``jsonschema[format-nongpl]``), and that import compiles 38
                                     Lark grammars: 0.75 s in every process that imports jsonschema
                                     (nbformat, nbgrader and jupyter-book all do; the ``cda`` command
                                     and each book build). Marked absent in ``sys.modules``, jsonschema
                                     leaves its ``iri`` and ``iri-reference`` formats unchecked, like any
                                     format it has no checker for; no schema read here uses them.
                                     (python-jsonschema/jsonschema#1428 asks for a lazy import.)
pandas                    3.1        :func:`read_parquet_one_thread`: ``pandas.read_parquet`` reads
                                     through pyarrow's dataset API, which starts an I/O thread even
                                     with ``use_threads=False``; a zygote must fork with one thread.
                                     The file is read with ``pyarrow.parquet.ParquetFile.read`` (no
                                     thread) and converted by the function ``read_parquet`` converts
                                     with (``pandas.io._util.arrow_table_to_pandas``), attrs included,
                                     so the frame is the one ``read_parquet`` gives (a test compares
                                     them on every demo table).
========================  =========  ===============================================================

papermill needs nothing here: parameters are read with ``PythonTranslator.inspect`` and injected with
``parameterize_notebook`` (both public). Apart from :func:`poll_in_slices`, :mod:`.run` uses only
``NotebookClient``'s constructor, ``async_execute``, its hooks and its exceptions.

At import, :func:`check_versions` compares the installed major.minor versions with the table and
warns (:class:`CompatVersionWarning`; the test suite turns it into an error) when one differs: read
the entry above, check the package's changelog, then update ``RELIED_ON``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

from cohort_tools.core.i18n import N_

#: The major.minor version of each package whose internals this module relies on.
RELIED_ON: dict[str, str] = {
    "jupyter_client": "8.10",
    "nbclient": "0.11",
    "nbconvert": "7.17",
    "nbgrader": "0.9",
    "typer": "0.29",
    "jsonschema": "4.26",
    "pandas": "3.1",
}


class CompatVersionWarning(UserWarning):
    """An installed package differs (major.minor) from the version compat.py relies on."""


def check_versions(version: Callable[[str], str] = metadata.version) -> list[str]:
    """One plain line per package whose installed major.minor differs from :data:`RELIED_ON`."""
    problems = []
    for package, wanted in RELIED_ON.items():
        try:
            installed = version(package)
        except metadata.PackageNotFoundError:
            problems.append(f"{package} is not installed (cohort_tools relies on {wanted}.x)")
            continue
        if ".".join(installed.split(".")[:2]) != wanted:
            problems.append(
                f"{package} {installed} is installed, but cohort_tools.core.compat relies on "
                f"private parts of {package} {wanted}.x: check that module's notes against "
                f"{package}'s changelog, then update RELIED_ON (or pin {package}=={wanted}.* in "
                "pyproject.toml)"
            )
    return problems


for _problem in check_versions():
    warnings.warn(_problem, CompatVersionWarning, stacklevel=2)


# -- jsonschema 4.26 --------------------------------------------------------------------------------

#: Optional imports another package makes at import time that cost more than they give here.
SKIPPED_IMPORTS = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make importing each of :data:`SKIPPED_IMPORTS` raise ImportError in this process, so the
    packages that try them take their fallback (run before jsonschema is imported; a module that
    is already imported stays)."""
    for name in SKIPPED_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


# -- pandas 3.1 ---------------------------------------------------------------------------------------


def read_parquet_one_thread(path: Path) -> Any:
    """``pandas.read_parquet(path)`` (a DataFrame), read and converted without starting a thread."""
    import json

    import pyarrow.parquet as pq
    from pandas.io._util import arrow_table_to_pandas

    table = pq.ParquetFile(path, pre_buffer=False).read(use_threads=False)
    with warnings.catch_warnings():  # as read_parquet does: pyarrow calls a deprecated pandas API
        warnings.filterwarnings("ignore", "make_block is deprecated")
        frame = arrow_table_to_pandas(table, to_pandas_kwargs={"use_threads": False})
    metadata = table.schema.metadata or {}
    if b"PANDAS_ATTRS" in metadata:  # as pandas.io.parquet.PyArrowImpl.read restores them
        frame.attrs = json.loads(metadata[b"PANDAS_ATTRS"])
    return frame


# -- jupyter_client 8.10 ------------------------------------------------------------------------------


class ProvisionerLike(Protocol):
    """The slice of ``jupyter_client.provisioning.KernelProvisionerBase`` a KernelManager calls
    once a kernel is running (jupyter_client 8.10: ``has_kernel``, ``is_alive``, ``signal_kernel``,
    ``interrupt_kernel``, ``shutdown_kernel``, ``_kill_kernel``, ``cleanup_resources``)."""

    @property
    def has_process(self) -> bool: ...

    async def poll(self) -> int | None: ...

    async def wait(self) -> int | None: ...

    async def send_signal(self, signum: int) -> None: ...

    async def kill(self, restart: bool = False) -> None: ...

    async def terminate(self, restart: bool = False) -> None: ...

    def get_shutdown_wait_time(self, recommended: float = 5.0) -> float: ...

    async def shutdown_requested(self, restart: bool = False) -> None: ...

    async def cleanup(self, restart: bool = False) -> None: ...


def attach_provisioner(km: Any, provisioner: ProvisionerLike) -> None:
    """Make ``km`` (an AsyncKernelManager whose connection file is written) manage a running kernel.

    jupyter_client 8.10: ``KernelManager.provisioner`` is set in ``pre_start_kernel``; a manager with
    one set and ``has_process`` true counts as started, and every later call (poll, signal, kill)
    goes through it. nbclient then uses the manager unchanged (timeouts, interrupts, dead kernels).
    """
    km.provisioner = provisioner


#: The longest single wait on a kernel channel (seconds): see :func:`poll_in_slices`.
POLL_SLICE = 1.0


def poll_in_slices(channel: Any, slice_seconds: float = POLL_SLICE) -> None:
    """Make ``channel.get_msg(timeout=T)`` wait in ``slice_seconds`` slices, same result.

    jupyter_client 8.10: ``AsyncZMQSocketChannel.get_msg`` is ``await socket.poll(T)`` then a read;
    it raises ``queue.Empty`` when nothing came in ``T`` seconds (``None``: wait for ever). nbclient
    0.11 calls it once per cell with the cell's whole time limit (shell) or ``None`` (IOPub). Each
    slice is a fresh ``poll``, which reads ZMQ's ``EVENTS`` again, so a reply whose wake-up the
    event loop missed is seen within one slice instead of at the time limit (jupyter/nbclient#312).
    Timeouts and ``Empty`` keep their meaning for nbclient.
    """
    import time
    from queue import Empty

    one_wait = channel.get_msg

    async def get_msg(timeout: float | None = None) -> dict[str, Any]:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = slice_seconds if deadline is None else deadline - time.monotonic()
            try:
                msg: dict[str, Any] = await one_wait(timeout=max(0.0, min(slice_seconds, left)))
                return msg
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    channel.get_msg = get_msg


# -- nbgrader 0.9 -------------------------------------------------------------------------------------

#: NotebookClient settings that decide how cells run; read from nbgrader's Execute preprocessor.
_EXECUTE_SETTINGS = (
    "timeout",
    "timeout_func",
    "interrupt_on_timeout",
    "error_on_timeout",
    "allow_errors",
    "allow_error_names",
    "force_raise_errors",
    "skip_cells_with_tag",
    "raise_on_iopub_timeout",
    "iopub_timeout",
    "shell_timeout_interval",
    "startup_timeout",
    "store_widget_state",
    "record_timing",
    "coalesce_streams",
)


def execute_options(config: Any) -> dict[str, Any]:
    """NotebookClient keyword arguments that run cells as nbgrader's ``Execute`` (with ``config``).

    nbgrader 0.9: ``Execute`` is an nbconvert ``ExecutePreprocessor``, hence a ``NotebookClient``; its
    defaults (interrupt a cell at the time limit and record ``CellTimeoutError``, keep going after
    errors, fail on an IOPub timeout) and the course's ``c.Execute.*`` settings are its traits, and
    its ``on_cell_executed`` method adds the timeout error to the cell's outputs (which nbgrader's
    scoring then sees). ``extra_arguments`` (kernel command-line flags) do not apply to a forked kernel.
    """
    from nbgrader.preprocessors import Execute

    execute = Execute(config=config)
    options = {name: getattr(execute, name) for name in _EXECUTE_SETTINGS}
    options["on_cell_executed"] = execute.on_cell_executed
    return options


def nbgrader_resources(
    *, db_url: str, student: str, assignment: str, notebook: str, path: Path
) -> dict[str, Any]:
    """The resources dict nbgrader's converter gives its preprocessors for one notebook.

    nbgrader 0.9: ``BaseConverter.init_single_notebook_resources`` (unique_key, output_files_dir and
    the ``nbgrader`` section) plus the ``metadata`` nbconvert's exporter adds (name, path, date).
    """
    from nbconvert.exporters.exporter import ResourcesDict

    resources: dict[str, Any] = ResourcesDict()
    resources["unique_key"] = notebook
    resources["output_files_dir"] = f"{notebook}_files"
    resources["nbgrader"] = {
        "student": student,
        "assignment": assignment,
        "notebook": notebook,
        "db_url": db_url,
    }
    meta = ResourcesDict()
    meta["name"] = notebook
    meta["path"] = str(path)
    meta["modified_date"] = dt.datetime.now().strftime("%B %d, %Y")
    resources["metadata"] = meta
    return resources


#: The fixed words of nbgrader 0.9's feedback page (``feedback/index.html.j2``) as they appear in its
#: HTML, each with its replacement: markup whose ``{}`` are filled with the catalog messages in order.
#: The markup around a word is kept so only the template's text is replaced, never a learner's answer.
_FEEDBACK_WORDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # in English too: a team reads "checkpoint" in the notebook and writes its reflection in words
    (">Test cell</a>", ">{}</a>", (N_("Checkpoint"),)),
    (">Coding free-response</a>", ">{}</a>", (N_("Written answer"),)),
    (">Written response</a>", ">{}</a>", (N_("Written response"),)),
    (">Task</a>", ">{}</a>", (N_("Task"),)),
    (">Comment</a>", ">{}</a>", (N_("Comment"),)),
    ("Late submission penalty (Score: ", "{} ({} ", (N_("Late submission penalty"), N_("Score:"))),
    ("(Score: ", "({} ", (N_("Score:"),)),
    ("\n      Score: ", "\n      {} ", (N_("Score:"),)),
    ('<a href="#top">(Top)</a>', '<a href="#top">({})</a>', (N_("Top"),)),
    (
        '<span class="nbgrader-label">Student\'s answer</span>',
        '<span class="nbgrader-label">{}</span>',
        (N_("Your answer"),),
    ),
    (
        '<span class="nbgrader-label">Student\'s task</span>',
        '<span class="nbgrader-label">{}</span>',
        (N_("Your task"),),
    ),
    (
        '<span class="nbgrader-label">Grade cell: ',
        '<span class="nbgrader-label">{} ',
        (N_("Check:"),),
    ),
    ('<span class="nbgrader-label">Task: ', '<span class="nbgrader-label">{} ', (N_("Task:"),)),
    ("<b>Comments:</b>", "<b>{}</b>", (N_("Comments:"),)),
)


#: The body of a graded cell's panel in nbgrader 0.9's feedback template when the cell's code is
#: empty (a checkpoint shown by its title and verdict): an empty code box, left out.
_EMPTY_CODE_PANEL = re.compile(
    r'<div class="panel-body">\s*<div class="input_area">\s*<div class=" highlight hl-ipython3">'
    r"<pre><span></span>\s*</pre></div>\s*</div>\s*</div>"
)

#: The CDN script nbgrader 0.9's feedback template loads (``{{ mathjax() }}``, nbconvert's default).
_FEEDBACK_MATHJAX = (
    '<script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js'
    '?config=TeX-AMS_CHTML-full,Safe"> </script>'
)


def feedback_in_language(
    page: str,
    language: str,
    *,
    notebook: str = "",
    title: str = "",
    checkpoints: Mapping[str, str] | None = None,
) -> str:
    """nbgrader's feedback page with its template's words in ``language``, ``<html lang>``, the
    workshop's ``title`` where the template shows the notebook's file name (``notebook``), and each
    checkpoint named by its title (``checkpoints``: grade id -> title) where the template shows its
    grade id: in the score list ("Checkpoint: the baseline") and above the cell."""
    import html

    from cohort_tools.core.i18n import gettext

    out = page.replace("<html>", f'<html lang="{language}">', 1)
    out = out.replace(_FEEDBACK_MATHJAX, "", 1)
    if notebook and title:
        shown = html.escape(title)
        out = out.replace(f"<title>{notebook}</title>", f"<title>{shown}</title>", 1)
        out = out.replace(f"<h4>{notebook} (", f"<h4>{shown} (", 1)
    word = gettext("Checkpoint", language=language)
    for grade_id, name in (checkpoints or {}).items():
        named = f"{html.escape(word)}: {html.escape(name)}"
        gid = html.escape(grade_id)
        out = out.replace(f'<a href="#{gid}">Test cell</a>', f'<a href="#{gid}">{named}</a>', 1)
        out = out.replace(
            f'<span class="nbgrader-label">Grade cell: <code>{gid}</code></span>',
            f'<span class="nbgrader-label">{named}</span>',
            1,
        )
    out = _EMPTY_CODE_PANEL.sub("", out)  # a checkpoint shown without its code: its verdict stays
    for english, markup, messages in _FEEDBACK_WORDS:
        words = [gettext(m, language=language) for m in messages]
        out = out.replace(english, markup.format(*words))
    return out


# -- nbconvert 7.17 ---------------------------------------------------------------------------------

#: nbconvert's words for an image without a text alternative.
NO_ALT = "No description has been provided for this image"
_IMG_TAG = re.compile(r"<img\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_DIV_TAG = re.compile(r"<div\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)
_ATTR = re.compile(r"""\s([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_NOTEBOOK_CLASS = re.compile(r"""\sclass\s*=\s*(["'])(?:[^"']*\s)?jp-Notebook(?:\s[^"']*)?\1""")
_FOCUSABLE = ("jp-Cell-inputWrapper", "jp-OutputArea-output")


def _attributes(tag: str) -> dict[str, str]:
    found: dict[str, str] = {}
    name_end = re.match(r"<\w+", tag)
    for name, value in _ATTR.findall(tag, name_end.end() if name_end else 0):
        found.setdefault(name.lower(), value.strip("\"'"))
    return found


def _with_attribute(tag: str, name: str, value: str) -> str:
    """``tag`` with ``name="value"``: appended as the last attribute, or its value replaced."""
    pattern = re.compile(rf"""(\s{name}\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
    if pattern.search(tag):
        return pattern.sub(lambda m: f'{m.group(1)}"{value}"', tag, count=1)
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def accessibility_pass(page: str) -> str:
    """What nbconvert 7.17's ``HTMLExporter.from_notebook_node`` adds after rendering, on the text:
    a text alternative (:data:`NO_ALT`) on every ``<img>`` without one, and ``tabindex="0"`` on
    every ``div.jp-Cell-inputWrapper`` and ``div.jp-OutputArea-output`` after the element of class
    ``jp-Notebook`` (the lab template's body), so a keyboard reaches cells that scroll."""

    def img(match: re.Match[str]) -> str:
        tag = match.group(0)
        return tag if "alt" in _attributes(tag) else _with_attribute(tag, "alt", NO_ALT)

    out = _IMG_TAG.sub(img, page)
    notebook = _NOTEBOOK_CLASS.search(out)
    if notebook is None:
        return out

    def div(match: re.Match[str]) -> str:
        tag = match.group(0)
        classes = _attributes(tag).get("class", "").split()
        return _with_attribute(tag, "tabindex", "0") if set(_FOCUSABLE) & set(classes) else tag

    start = out.index(">", notebook.end()) + 1
    return out[:start] + _DIV_TAG.sub(div, out[start:])


def html_exporter(**options: Any) -> Any:
    """An nbconvert ``HTMLExporter`` (``options``: its traits) whose pages are the stock exporter's
    without BeautifulSoup's re-parse: the same accessibility attributes, the rest of the page as the
    template wrote it (see the table above)."""
    from nbconvert.exporters import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class _Exporter(HTMLExporter):
        def from_notebook_node(  # type: ignore[override]
            self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
        ) -> tuple[str, dict[str, Any]]:
            me: Any = self  # nbconvert's methods carry no type hints
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = me.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=me)
            )
            resources = me._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=me._nb_metadata, parent=me, resources=resources
            )
            me.register_filter("highlight_code", highlight)
            me.register_filter("filter_data_type", data_type)
            render: Any = TemplateExporter.from_notebook_node
            page, resources = render(me, nb, resources, **kw)
            return accessibility_pass(page), resources

    exporter: Any = _Exporter
    return exporter(**options)


class _SharedGradebook:
    """One open gradebook handed to nbgrader's writers, which open and close their own with ``with``;
    this object ignores the close."""

    def __init__(self, gb: Any) -> None:
        self._gb = gb

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gb, name)

    def __enter__(self) -> Any:
        return self._gb

    def __exit__(self, *exc: object) -> None:
        return None


@contextlib.contextmanager
def shared_gradebook(gb: Any) -> Iterator[None]:
    """Point nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties`` at the open gradebook ``gb``.

    nbgrader 0.9: both preprocessors call ``Gradebook(db_url, ...)`` by the name imported into their
    modules (``nbgrader.preprocessors.saveautogrades`` / ``.latesubmissions``). The names are swapped
    for the duration and restored. The swap is process-wide, so callers hold the course's gradebook
    write lock (:func:`cohort_tools.course.layout.gradebook_lock`) around it: only one writer at a
    time runs these preprocessors. Scoring code itself is nbgrader's, unchanged.
    """
    from nbgrader.preprocessors import latesubmissions, saveautogrades

    saved = (saveautogrades.Gradebook, latesubmissions.Gradebook)

    def shared(*_: Any, **__: Any) -> _SharedGradebook:
        return _SharedGradebook(gb)

    saveautogrades.Gradebook = shared
    latesubmissions.Gradebook = shared
    try:
        yield
    finally:
        saveautogrades.Gradebook, latesubmissions.Gradebook = saved


@contextlib.contextmanager
def one_transaction(gradebook: Any) -> Iterator[Any]:
    """Make nbgrader's per-write ``commit()`` calls flushes, and commit once at the end.

    nbgrader 0.9: ``Gradebook.db`` is a SQLAlchemy session and every ``Gradebook`` method that writes
    calls ``self.db.commit()``. On any error the whole block is rolled back, so the gradebook keeps
    what it held before.
    """
    session = gradebook.db
    real_commit = session.commit
    session.commit = session.flush
    try:
        yield gradebook
    except BaseException:
        del session.commit
        session.rollback()
        raise
    del session.commit
    real_commit()


__all__ = [
    "NO_ALT",
    "RELIED_ON",
    "CompatVersionWarning",
    "ProvisionerLike",
    "accessibility_pass",
    "attach_provisioner",
    "cells_saved_in_one_transaction",
    "check_versions",
    "execute_options",
    "gradebook_engines_reused",
    "html_exporter",
    "nbgrader_resources",
    "one_transaction",
    "poll_in_slices",
    "schemas_checked_once",
    "shared_gradebook",
]


#: The words typer 0.29 prints around a ``--help`` page (``typer.rich_utils`` constants), in English
#: as typer writes them; tests/unit/test_cli_help_language.py checks they still match typer's.
TYPER_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
}
#: The usage line's placeholders (typer 0.29's ``Command`` and ``TyperGroup`` defaults), by attribute.
METAVARS: dict[str, str] = {
    "options_metavar": N_("[OPTIONS]"),
    "subcommand_metavar": N_("COMMAND [ARGS]..."),
}
#: The usage line's prefix (typer 0.29's copy of click writes "Usage: ") and the help option's help.
USAGE = N_("Usage:")
HELP_OPTION = N_("Show this message and exit.")
_usage_prefix = "Usage: "


def help_words(translate: Callable[[str], str]) -> None:
    """Set the words typer prints around a ``--help`` page to ``translate``'s (the same for the
    whole process: the ``cda`` command sets them before it parses its command line)."""
    global _usage_prefix
    import typer.rich_utils
    from typer._click.formatting import HelpFormatter

    for name, english in TYPER_WORDS.items():
        setattr(typer.rich_utils, name, translate(english))
    _usage_prefix = translate(USAGE) + " "
    if getattr(HelpFormatter.write_usage, "__name__", "") != "_write_usage":
        english_usage = HelpFormatter.write_usage

        def _write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            english_usage(self, prog, args, _usage_prefix if prefix is None else prefix)

        setattr(HelpFormatter, "write_usage", _write_usage)  # noqa: B010 - typer's class, on purpose


class _SchemasCheckedOnce:
    """``jsonschema`` for nbgrader's metadata checks: ``validate`` builds (and checks) one
    validator per schema and raises what ``jsonschema.validate`` raises; the rest is jsonschema."""

    def __init__(self, jsonschema: Any) -> None:
        self._jsonschema = jsonschema
        self._validators: dict[int, tuple[Any, Any]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._jsonschema, name)

    def validate(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            self._jsonschema.validate(instance, schema, *args, **kwargs)
            return
        known = self._validators.get(id(schema))
        if known is None or known[0] is not schema:
            cls = self._jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            known = (schema, cls(schema))
            self._validators[id(schema)] = known
        error = self._jsonschema.exceptions.best_match(known[1].iter_errors(instance))
        if error is not None:
            raise error


def cells_saved_in_one_transaction() -> None:
    """Make nbgrader's ``SaveCells`` (run by ``generate_assignment``) record a notebook's cells in
    one transaction, not one commit per cell (see the table above). A failure part-way rolls the
    notebook's rows back, where nbgrader kept the cells recorded so far. Idempotent."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import savecells

    if getattr(savecells.Gradebook, "one_transaction", False):
        return

    class OneTransactionGradebook(Gradebook):  # type: ignore[misc]
        """nbgrader's ``Gradebook``: writes between ``__enter__`` and ``__exit__`` are one
        transaction."""

        one_transaction = True

        def __enter__(self) -> Any:
            entered = super().__enter__()
            self._cda_transaction = one_transaction(self)
            self._cda_transaction.__enter__()
            return entered

        def __exit__(self, *exc: Any) -> None:
            try:
                self._cda_transaction.__exit__(*exc)  # commits, or rolls back on an error
            finally:
                super().__exit__(*exc)  # closes the session

    savecells.Gradebook = OneTransactionGradebook


#: The SQLAlchemy engine of each gradebook database opened in this process (see the table above).
_ENGINES: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = {}
_ENGINES_LOCK = threading.Lock()


def gradebook_engines_reused() -> None:
    """Make every nbgrader ``Gradebook`` of one database in this process share one SQLAlchemy
    engine, so a query is compiled once, not once per ``Gradebook`` (see the table above). nbgrader's
    ``close()`` still disposes of the engine's connections; the next ``Gradebook`` opens new ones.
    Idempotent."""
    from nbgrader import api

    if getattr(api.create_engine, "reused", False):
        return
    create = api.create_engine

    def create_engine(url: str, **options: Any) -> Any:
        key = (str(url), tuple(sorted(options.items())))
        with _ENGINES_LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                engine = _ENGINES[key] = create(url, **options)
        return engine

    create_engine.reused = True  # type: ignore[attr-defined]
    api.create_engine = create_engine


def schemas_checked_once() -> None:
    """Make nbgrader check its metadata schema once, not before every cell (see the table above).
    Idempotent."""
    import jsonschema
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _SchemasCheckedOnce):
        common.jsonschema = _SchemasCheckedOnce(jsonschema)
