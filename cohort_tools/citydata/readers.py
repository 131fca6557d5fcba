"""Read the files cities actually have into a frame of text, reporting problems instead of failing.

Formats: CSV (any common encoding and delimiter), Excel .xlsx (openpyxl), Parquet (pyarrow), and
JSON record lists (Socrata SODA JSON, Open311 GeoReport v2 requests.json).

Every reader returns a :class:`RawTable` whose frame index holds the row numbers a person sees: for
CSV and Excel the header is row 1 and the first data row is row 2; for JSON and Parquet the first record
is record/row 1. Columns hold text (``str``; missing values are NaN), except Parquet, which keeps its
types. Readers never modify the file.

Encoding detection (``encoding: auto``), in this order:

1. a byte-order mark: UTF-8 (``utf-8-sig``) or UTF-16;
2. strict UTF-8;
3. strict Windows-1252 (what Excel on Windows writes as "CSV"), unless the bytes hold NUL (then it is
   not text); a warning says so;
4. otherwise an error. charset-normalizer's guess is named in the message as a hint, but is never
   used silently: on short files it is often wrong, and a wrong guess corrupts every accented name.

Latin-1 is never guessed, because it decodes any bytes and would hide a wrong guess.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cohort_tools.core.errors import Problem
from cohort_tools.core.i18n import N_
from cohort_tools.core.i18n import gettext as _

#: The fix for a file with no rows.
NEEDS_ROWS = N_("export the table again; a table needs a header row and at least one row.")

#: Files larger than this are parsed by pandas' C reader instead of the row-checking csv module.
LARGE_CSV_BYTES = 64 * 1024 * 1024
SAMPLE_BYTES = 1024 * 1024

EXTENSION_FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".geojson": "json",
}
FORMAT_KINDS = {
    "csv": "csv",
    "socrata_csv": "csv",
    "xlsx": "xlsx",
    "parquet": "parquet",
    "json": "json",
    "socrata_json": "json",
    "open311_json": "json",
}


@dataclass
class RawTable:
    """A file read as a frame (None when it could not be read) and what went wrong reading it."""

    path: Path
    format: str
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    row_word: str = "row"
    encoding: str | None = None
    delimiter: str | None = None


def rows_text(rows: Sequence[int], word: str = "row", limit: int = 5) -> str:
    """'row 4', 'rows 4, 9, 12' or 'rows 4, 9, 12, 15, 20 and 7 more (12 rows)'."""
    unique = sorted({int(r) for r in rows})
    one, several, many = _ROW_WORDS.get(word, _ROW_WORDS["row"])
    if len(unique) == 1:
        return _(one).format(row=unique[0])
    shown = ", ".join(str(r) for r in unique[:limit])
    if len(unique) <= limit:
        return _(several).format(rows=shown)
    return _(many).format(rows=shown, more=len(unique) - limit, total=len(unique))


#: How rows are named in messages: a table's rows, or a JSON export's records (one, several, many).
_ROW_WORDS = {
    "row": (N_("row {row}"), N_("rows {rows}"), N_("rows {rows} and {more} more ({total} rows)")),
    "record": (
        N_("record {row}"),
        N_("records {rows}"),
        N_("records {rows} and {more} more ({total} records)"),
    ),
}


def detect_format(path: Path, declared: str = "auto") -> str | None:
    """The reader kind (csv, xlsx, parquet, json) for a file, or None if unknown."""
    if declared != "auto":
        return FORMAT_KINDS.get(declared)
    suffix = path.suffix.lower()
    if suffix in EXTENSION_FORMATS:
        return EXTENSION_FORMATS[suffix]
    try:
        head = path.read_bytes()[:8] if path.stat().st_size < 8 else path.open("rb").read(8)
    except OSError:
        return None
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.lstrip()[:1] in (b"[", b"{"):
        return "json"
    return "csv"


def read_table_file(
    path: Path,
    *,
    format: str = "auto",
    encoding: str = "auto",
    delimiter: str = "auto",
    sheet: str | None = None,
) -> RawTable:
    """Read one file; problems (empty, unreadable, wrong encoding, ragged rows) come back as data."""
    path = Path(path)
    name = str(path)
    if path.suffix.lower() == ".xls":
        return RawTable(
            path,
            "xls",
            None,
            [
                Problem(
                    name,
                    _("this is an old-style Excel .xls file, which cannot be read."),
                    _("open it in Excel or LibreOffice and save it as .xlsx (or CSV UTF-8)."),
                )
            ],
        )
    kind = detect_format(path, format)
    if kind is None:
        return RawTable(
            path,
            format,
            None,
            [
                Problem(
                    name,
                    _("unknown format '{format}'.").format(format=format),
                    _("use csv, xlsx, parquet or json."),
                )
            ],
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        return RawTable(
            path,
            kind,
            None,
            [Problem(name, _("cannot open the file ({reason}).").format(reason=exc.strerror), "")],
        )
    if size == 0:
        return RawTable(
            path,
            kind,
            None,
            [
                Problem(
                    name,
                    _("the file is empty (0 bytes)."),
                    _(NEEDS_ROWS),
                )
            ],
        )
    if kind == "csv":
        return _read_csv(path, encoding, delimiter)
    if kind == "xlsx":
        return _read_xlsx(path, sheet)
    if kind == "parquet":
        return _read_parquet(path)
    return _read_json(path, encoding)


# --- text decoding ----------------------------------------------------------------------------


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def detect_encoding(sample: bytes, *, complete: bool = True) -> tuple[str | None, str]:
    """(encoding, note) by the documented order; encoding None when nothing fits."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8", ""
    except UnicodeDecodeError:
        pass
    if b"\x00" not in sample:
        try:
            sample.decode("cp1252")
            return (
                "cp1252",
                N_("it is not UTF-8, so it was read as Windows-1252 (Excel's 'CSV' encoding)"),
            )
        except UnicodeDecodeError:
            pass
    return None, ""


def guess_encoding(sample: bytes) -> str | None:
    """charset-normalizer's guess, for messages only."""
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:SAMPLE_BYTES]).best()
    return best.encoding if best is not None else None


def _decode(path: Path, raw: bytes, encoding: str) -> tuple[str | None, list[Problem]]:
    """Decode bytes as declared (or detected); problems name the line of the first bad byte."""
    name = str(path)
    problems: list[Problem] = []
    chosen = encoding
    if encoding == "auto":
        detected, note = detect_encoding(raw)
        if detected is None:
            guess = None if b"\x00" in raw else guess_encoding(raw)
            hint = _(" It might be {encoding}.").format(encoding=guess) if guess else ""
            fix = (
                _(
                    "open it in a spreadsheet or editor and save it as 'CSV UTF-8', or set "
                    "encoding: {encoding} for this table in city.yaml."
                ).format(encoding=guess)
                if guess
                else _("open it in a spreadsheet or editor and save it as 'CSV UTF-8'.")
            )
            message = _(
                "the file's text encoding cannot be recognized (it is not UTF-8 or "
                "Windows-1252; it may not be a text file at all)."
            )
            return None, [Problem(name, message + hint, fix)]
        chosen = detected
        if note:
            problems.append(
                Problem(
                    name,
                    f"{_(note)}.",
                    _(
                        "check accented letters look right; to silence this, set encoding: "
                        "{encoding} for this table in city.yaml, or save the file as 'CSV UTF-8'."
                    ).format(encoding=chosen),
                    severity="warning",
                )
            )
    elif codecs.lookup(encoding).name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
        chosen = "utf-8-sig"
    try:
        return raw.decode(chosen), problems
    except UnicodeDecodeError as exc:
        line = _line_of_offset(raw, exc.start)
        bad = raw[exc.start : exc.start + 1].hex().upper()
        hint = ""
        if encoding != "auto":
            guess = detect_encoding(raw)[0]
            if guess and guess != chosen:
                hint = _(" The bytes look like {encoding}.").format(encoding=guess)
        return None, [
            *problems,
            Problem(
                name,
                _(
                    "the file is declared as {declared} but byte 0x{byte} on line {line} is not "
                    "valid {encoding}."
                ).format(declared=encoding, byte=bad, line=line, encoding=chosen)
                + hint,
                _(
                    "set encoding: auto (or the right encoding, e.g. cp1252) for this table in "
                    "city.yaml, or save the file as 'CSV UTF-8'."
                ),
                line=line,
            ),
        ]


# --- CSV --------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """csv.Sniffer on the first lines, limited to the usual delimiters; ',' if it cannot tell."""
    sample = "\n".join(text[: 64 * 1024].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_csv(path: Path, encoding: str, delimiter: str) -> RawTable:
    name = str(path)
    if path.stat().st_size > LARGE_CSV_BYTES:
        return _read_large_csv(path, encoding, delimiter)
    raw = path.read_bytes()
    text, problems = _decode(path, raw, encoding)
    if text is None:
        return RawTable(path, "csv", None, problems)
    used_encoding: str | None = encoding
    if encoding == "auto":
        used_encoding = detect_encoding(raw)[0]
    if not text.strip():
        problems.append(
            Problem(
                name,
                _("the file is empty (it holds only blank space)."),
                _(NEEDS_ROWS),
            )
        )
        return RawTable(path, "csv", None, problems, encoding=used_encoding)
    sep = sniff_delimiter(text) if delimiter == "auto" else delimiter
    header: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    too_many: list[int] = []
    too_few: list[int] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    record_start = 1
    try:
        for record in reader:
            line = record_start
            record_start = reader.line_num + 1
            if not record or all(not cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                width = len(header)
                continue
            if len(record) > width:
                if all(not cell.strip() for cell in record[width:]):
                    record = record[:width]
                else:
                    too_many.append(line)
                    continue
            if len(record) < width:
                too_few.append(line)
                continue
            rows.append(record)
            numbers.append(line)
    except csv.Error as exc:
        problems.append(
            Problem(
                name,
                _("the CSV cannot be parsed near line {line} ({reason}).").format(
                    line=reader.line_num, reason=exc
                ),
                _("check for an unclosed double quote; re-export the file as CSV."),
                line=reader.line_num,
            )
        )
        return RawTable(path, "csv", None, problems, encoding=used_encoding, delimiter=sep)
    assert header is not None
    if too_many:
        problems.append(
            Problem(
                name,
                _(
                    "{rows} have more fields than the header's {width} (delimiter {delimiter}); "
                    "these rows were not read."
                ).format(rows=rows_text(too_many), width=width, delimiter=repr(sep)),
                _(
                    "a value probably contains {delimiter}: put such values in double quotes, or "
                    "remove the stray delimiters."
                ).format(delimiter=repr(sep)),
                line=too_many[0] if len(too_many) == 1 else None,
            )
        )
    if too_few:
        problems.append(
            Problem(
                name,
                _(
                    "{rows} have fewer fields than the header's {width} (delimiter {delimiter}); "
                    "these rows were not read."
                ).format(rows=rows_text(too_few), width=width, delimiter=repr(sep)),
                _(
                    "add the missing values (an empty value is two delimiters side by side), or "
                    "re-export the file."
                ),
                line=too_few[0] if len(too_few) == 1 else None,
            )
        )
    frame, header_problems = _frame_from_rows(path, header, rows, numbers)
    problems.extend(header_problems)
    return RawTable(path, "csv", frame, problems, encoding=used_encoding, delimiter=sep)


def _frame_from_rows(
    path: Path, header: list[str], rows: list[list[Any]], numbers: list[int]
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Build the text frame; report blank and repeated headers."""
    name = str(path)
    problems: list[Problem] = []
    data = np.array(rows, dtype=object).reshape(len(rows), len(header))
    keep: list[int] = []
    for i, column in enumerate(header):
        if column:
            keep.append(i)
            continue
        values: list[Any] = list(data[:, i]) if len(rows) else []
        if any(v is not None and str(v).strip() for v in values):
            problems.append(
                Problem(
                    name,
                    _("column {number} has values but no header.").format(number=i + 1),
                    _("give the column a header, or delete it."),
                )
            )
    names = [header[i] for i in keep]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(
            Problem(
                name,
                _("the header repeats column(s) {columns}.").format(columns=", ".join(repeated)),
                _("give every column a different header."),
                line=1,
            )
        )
        return None, problems
    frame = pd.DataFrame(
        {n: data[:, i] if len(rows) else [] for n, i in zip(names, keep, strict=True)},
        index=pd.Index(numbers, dtype="int64"),
        dtype=object,
    )
    return _tidy_text(frame), problems


def _tidy_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Strip spaces; empty text becomes missing; columns become pandas text."""
    out = {}
    for column in frame.columns:
        s = frame[column].astype("str")
        s = s.str.strip()
        out[column] = s.mask(s == "")
    return pd.DataFrame(out, index=frame.index)


def large_csv_dialect(
    path: Path, encoding: str, delimiter: str
) -> tuple[str | None, str, list[Problem]]:
    """(encoding, delimiter, problems) of a big CSV, decided on its first MiB.

    The encoding is None when it cannot be recognised (the problem says so).
    """
    name = str(path)
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    problems: list[Problem] = []
    enc = encoding
    if encoding == "auto":
        detected, note = detect_encoding(sample, complete=False)
        if detected is None:
            problem = Problem(
                name, _("the file's text encoding cannot be recognized."), _("save as UTF-8.")
            )
            return None, ",", [problem]
        enc = detected
        if note:
            problems.append(
                Problem(name, f"{_(note)}.", _("save it as UTF-8."), severity="warning")
            )
    text_sample = sample.decode(enc, errors="ignore")
    sep = sniff_delimiter(text_sample) if delimiter == "auto" else delimiter
    return enc, sep, problems


def read_large_csv_text(
    path: Path, encoding: str, sep: str, nrows: int | None = None
) -> pd.DataFrame:
    """A big CSV (or its first ``nrows`` rows) as text, numbered from row 2 (the header is row 1).

    Raises what pandas raises for undecodable or unparseable files.
    """
    frame = pd.read_csv(
        path,
        sep=sep,
        encoding=encoding,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        engine="c",
        nrows=nrows,
    )
    return tidy_large_csv_text(frame, pd.RangeIndex(2, len(frame) + 2))


def tidy_large_csv_text(frame: pd.DataFrame, rows: pd.Index) -> pd.DataFrame:
    """Number the rows; strip headers and values; empty values become missing."""
    frame.index = rows
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        s = frame[column].str.strip()
        frame[column] = s.mask(s == "")
    return frame


def _read_large_csv(path: Path, encoding: str, delimiter: str) -> RawTable:
    """Big files: detect on a sample, parse with pandas' C reader (errors name the line)."""
    name = str(path)
    enc, sep, problems = large_csv_dialect(path, encoding, delimiter)
    if enc is None:
        return RawTable(path, "csv", None, problems)
    try:
        frame = read_large_csv_text(path, enc, sep)
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                name,
                _("the file is not valid {encoding} ({reason} at byte {byte}).").format(
                    encoding=enc, reason=exc.reason, byte=exc.start
                ),
                _("set the right encoding for this table in city.yaml, or save it as UTF-8."),
            )
        )
        return RawTable(path, "csv", None, problems, encoding=enc, delimiter=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        problems.append(
            Problem(
                name,
                _("the CSV cannot be parsed ({reason}).").format(reason=str(exc).strip()),
                _(
                    "make every row have as many fields as the header; quote values holding "
                    "{delimiter}."
                ).format(delimiter=repr(sep)),
            )
        )
        return RawTable(path, "csv", None, problems, encoding=enc, delimiter=sep)
    return RawTable(path, "csv", frame, problems, encoding=enc, delimiter=sep)


# --- Excel ------------------------------------------------------------------------------------


def _excel_text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(path: Path, sheet: str | None) -> RawTable:
    import openpyxl

    name = str(path)
    unreadable = Problem(
        name,
        _(
            "this is not a readable Excel .xlsx file (it may be truncated, damaged, or another "
            "kind of file renamed to .xlsx)."
        ),
        _("open it in Excel and save it again as .xlsx, or export the sheet as 'CSV UTF-8'."),
    )
    # openpyxl raises many exception types for damaged workbooks (BadZipFile, KeyError, zlib and
    # XML errors), so any failure while opening or reading becomes the one plain message above.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                if sheet is not None and sheet not in book.sheetnames:
                    return RawTable(
                        path,
                        "xlsx",
                        None,
                        [
                            Problem(
                                name,
                                _(
                                    "the workbook has no sheet named '{sheet}' (it has: {sheets})."
                                ).format(sheet=sheet, sheets=", ".join(book.sheetnames)),
                                _("set sheet: to one of those names in city.yaml."),
                                field="sheet",
                            )
                        ],
                    )
                ws = book[sheet] if sheet is not None else book.worksheets[0]
                cells = [
                    (i, [_excel_text(v) for v in row])
                    for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
                ]
            finally:
                book.close()
    except (zipfile.BadZipFile, Exception):
        return RawTable(path, "xlsx", None, [unreadable])
    cells = [(i, row) for i, row in cells if any(v is not None and str(v).strip() for v in row)]
    if not cells:
        return RawTable(
            path,
            "xlsx",
            None,
            [
                Problem(
                    name,
                    _("the sheet is empty."),
                    _("put a header row and the data on the sheet."),
                )
            ],
        )
    header_cells = cells[0][1]
    width = max(len(r) for _, r in cells)
    header = [str(v).strip() if v is not None else "" for v in header_cells]
    header += [""] * (width - len(header))
    rows = [list(r) + [None] * (width - len(r)) for _, r in cells[1:]]
    numbers = [i for i, _ in cells[1:]]
    frame, problems = _frame_from_rows(path, header, rows, numbers)
    return RawTable(path, "xlsx", frame, problems)


# --- Parquet ----------------------------------------------------------------------------------


def _read_parquet(path: Path) -> RawTable:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        return RawTable(
            path,
            "parquet",
            None,
            [
                Problem(
                    str(path),
                    _("this is not a readable Parquet file ({reason}).").format(
                        reason=str(exc).splitlines()[0]
                    ),
                    _("write the file again, or export the table as CSV instead."),
                )
            ],
        )
    return RawTable(path, "parquet", parquet_frame(table))


def parquet_frame(table: Any, rows: Sequence[int] | None = None) -> pd.DataFrame:
    """A Parquet table (pyarrow) as a frame numbered from row 1, or the given row numbers."""
    frame = table.to_pandas()
    if rows is None:
        frame.index = pd.RangeIndex(1, len(frame) + 1)
    else:
        frame.index = pd.Index(list(rows), dtype="int64")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


# --- JSON (Socrata SODA, Open311) -------------------------------------------------------------


def _json_text(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_json(path: Path, encoding: str) -> RawTable:
    name = str(path)
    raw = path.read_bytes()
    text, problems = _decode(path, raw, encoding)
    if text is None:
        return RawTable(path, "json", None, problems, row_word="record")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(
                name,
                _("this is not valid JSON ({reason} at line {line}, column {column}).").format(
                    reason=exc.msg, line=exc.lineno, column=exc.colno
                ),
                _("download or export the file again; it may be cut short."),
                line=exc.lineno,
            )
        )
        return RawTable(path, "json", None, problems, row_word="record")
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        problems.append(
            Problem(
                name,
                _("the JSON is not a list of records (objects)."),
                _("use a Socrata SODA export (/resource/<id>.json) or Open311 requests.json."),
            )
        )
        return RawTable(path, "json", None, problems, row_word="record")
    if not data:
        problems.append(Problem(name, _("the JSON holds no records."), _("export the data again.")))
        return RawTable(path, "json", None, problems, row_word="record")
    frame = pd.json_normalize(data, max_level=1)
    frame = frame.map(_json_text)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return RawTable(path, "json", _tidy_text(frame), problems, row_word="record")
