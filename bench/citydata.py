"""Benchmark: load + aggregate the large demo city, product path against a plain pandas baseline.

Run:  .venv/bin/python bench/citydata.py [--seed N] [--data DIR] [--repeat N]

1. Generates the large city (3 million service requests, 2,000 neighbourhoods) under bench/.data/
   (git-ignored) unless it is already there, writes its service_requests as CSV too (the baseline's
   input), and makes a second city folder whose service_requests is that CSV (the same data).
2. Runs each path in its own child process (a fresh interpreter), so each path's peak memory is
   that process's own high-water mark (``VmHWM`` from /proc/self/status, else ``ru_maxrss``),
   imports included; library imports happen before the clock starts and are reported apart:
   - pandas: ``pandas.read_csv`` of the CSV copy (the time to here is "load"), then the
     aggregation in pandas;
   - cold (Parquet city, as ``cda data demo --size large`` writes it) and cold (CSV city):
     ``cohort_tools.citydata.connect()`` with no cache yet - it validates the table against its
     schema and writes the normalised Parquet cache ("load") - then the aggregation in DuckDB;
   - warm: ``connect()`` again (cache reused) and the aggregation;
   - duckdb direct: the aggregation straight over the generated Parquet (no validation).
3. Prints seconds (load, and load + aggregation), CPU seconds (user + system, all threads), peak
   memory, and the ratios baseline / product: the targets are cold >= 1.5x (load + aggregation;
   load alone is shown too), peak < 1 GiB, warm >= 10x. With ``--repeat`` every path runs N times
   and the fastest run is shown. The load average is printed: on a busy machine the wall-clock
   times (not the CPU times) grow with it.

Aggregation, the same on every path: requests, median days to close and open requests by
neighbourhood and by service type, and the open backlog. The paths' results are compared.
It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / ".data"
GIB = 1024.0

# One scan for the answers: GROUPING SETS gives the by-neighbourhood rows and the by-service rows
# from a single pass over the Parquet; the backlog is the sum of the by-neighbourhood open counts
# (a NULL neighbourhood is a group of its own, so every row counts). A city-wide median is not
# asked for and the pandas path does not compute one, so neither does this.
SQL_ALL = """
SELECT neighbourhood_id, service_name, grouping(neighbourhood_id) AS g_hood,
       grouping(service_name) AS g_service, count(*) AS requests,
       median(date_diff('second', requested_datetime, closed_datetime) / 86400.0) AS median_days,
       count(*) FILTER (WHERE status = 'open') AS open_requests
FROM {source}
GROUP BY GROUPING SETS ((neighbourhood_id), (service_name))
"""

PATHS = {
    "pandas": "pandas.read_csv (CSV)",
    "cold": "cold, Parquet city",
    "cold_csv": "cold, CSV city",
    "warm": "warm (cache reused)",
    "duckdb": "duckdb direct",
}


def _summary(by_hood: object, by_service: object, backlog: int) -> dict[str, object]:
    import pandas as pd

    def digest(frame: pd.DataFrame) -> dict[str, float]:
        return {
            "groups": len(frame),
            "requests": int(frame["requests"].sum()),
            "open": int(frame["open_requests"].sum()),
            "median_days_mean": round(float(frame["median_days"].mean()), 4),
        }

    assert isinstance(by_hood, pd.DataFrame) and isinstance(by_service, pd.DataFrame)
    return {"by_neighbourhood": digest(by_hood), "by_service": digest(by_service), "open": backlog}


def _duckdb_aggregate(con: object, source: str) -> dict[str, object]:
    rows = con.execute(SQL_ALL.format(source=source)).df()  # type: ignore[attr-defined]
    hood = rows[(rows["g_hood"] == 0)]
    service = rows[(rows["g_service"] == 0)]
    return _summary(hood, service, int(hood["open_requests"].sum()))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_path(path: str, city: Path, csv: Path) -> dict[str, object]:
    """One path, in this (child) process: seconds, CPU seconds, peak memory, a result digest."""
    t0 = time.perf_counter()
    import duckdb
    import pandas as pd

    if path in ("cold", "cold_csv", "warm"):
        from cohort_tools.citydata import connect
    imports = time.perf_counter() - t0
    start, cpu0 = time.perf_counter(), _cpu()
    if path in ("cold", "cold_csv", "warm"):
        con = connect(city, tables=["service_requests"])
        loaded = time.perf_counter() - start
        result = _duckdb_aggregate(con, "service_requests")
    elif path == "duckdb":
        con = duckdb.connect()
        loaded = 0.0
        result = _duckdb_aggregate(con, f"read_parquet('{city / 'service_requests.parquet'}')")
    elif path == "pandas":
        frame = pd.read_csv(csv, parse_dates=["requested_datetime", "closed_datetime"])
        loaded = time.perf_counter() - start
        frame["days"] = (
            frame["closed_datetime"] - frame["requested_datetime"]
        ).dt.total_seconds() / 86400
        frame["is_open"] = frame["status"] == "open"

        def by(key: str) -> pd.DataFrame:
            return frame.groupby(key).agg(
                requests=("service_request_id", "size"),
                median_days=("days", "median"),
                open_requests=("is_open", "sum"),
            )

        result = _summary(by("neighbourhood_id"), by("service_name"), int(frame["is_open"].sum()))
    else:
        raise SystemExit(f"unknown path {path}")
    return {
        "path": path,
        "seconds": time.perf_counter() - start,
        "load_seconds": loaded,
        "cpu_seconds": _cpu() - cpu0,
        "import_seconds": imports,
        "peak_mib": _peak_mib(),
        "result": result,
    }


def prepare(data: Path, seed: int) -> tuple[Path, Path, Path]:
    """(the large city, the same city with service_requests as CSV, the CSV copy)."""
    city = data / f"large-seed{seed}"
    csv = data / f"{city.name}-service_requests.csv"
    csv_city = data / f"{city.name}-csv"
    if not (city / "city.yaml").exists():
        from cohort_tools.citydata.demo import generate_city

        t = time.perf_counter()
        generate_city("large", seed, city)
        print(f"generated {city} in {time.perf_counter() - t:.1f} s")
    if not csv.exists():
        import duckdb

        t = time.perf_counter()
        tmp = csv.with_suffix(".csv.part")
        duckdb.sql(
            f"COPY (SELECT * FROM read_parquet('{city / 'service_requests.parquet'}')) "
            f"TO '{tmp}' (HEADER, DELIMITER ',')"
        )
        tmp.rename(csv)
        print(f"wrote CSV copy {csv.name} in {time.perf_counter() - t:.1f} s")
    if not (csv_city / "city.yaml").exists():
        csv_city.mkdir(parents=True, exist_ok=True)
        for item in city.iterdir():
            if item.is_file() and item.name != "service_requests.parquet":
                shutil.copy2(item, csv_city / item.name)
        os.link(csv, csv_city / "service_requests.csv")
    return city, csv_city, csv


def _child(path: str, city: Path, csv: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", path, "--city", str(city), "--csv", str(csv)],
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _drop_cache(city: Path) -> None:
    shutil.rmtree(city / ".cda-cache", ignore_errors=True)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--repeat", type=int, default=1, help="run each path N times, keep the best"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--city", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child, args.city, args.csv)))
        return

    city, csv_city, csv = prepare(args.data, args.seed)
    size = {p.name: p.stat().st_size for p in city.iterdir() if p.is_file()}
    print(f"city: {city} ({sum(size.values()) / 2**20:.0f} MiB on disk); CSV copy "
          f"{csv.stat().st_size / 2**20:.0f} MiB; load average before: {_load()}")  # fmt: skip
    runs: dict[str, dict[str, object]] = {}
    for _ in range(max(1, args.repeat)):
        for path in PATHS:
            target = csv_city if path == "cold_csv" else city
            if path in ("cold", "cold_csv"):
                _drop_cache(target)
            run = _child(path, target, csv)
            best = runs.get(path)
            if best is None or float(run["seconds"]) < float(best["seconds"]):  # type: ignore[arg-type]
                runs[path] = run
    print(f"load average after: {_load()} (2 cores; other work shares them)\n")
    print(f"{'path':<24} {'load s':>7} {'total s':>8} {'CPU s':>6} {'imports':>8} "
          f"{'peak MiB':>9}  result")  # fmt: skip
    for path, run in runs.items():
        res = run["result"]
        assert isinstance(res, dict)
        brief = f"{res['by_neighbourhood']['groups']} hoods, open {res['open']}"
        print(
            f"{PATHS[path]:<24} {run['load_seconds']:>7.2f} {run['seconds']:>8.2f} "
            f"{run['cpu_seconds']:>6.2f} {run['import_seconds']:>8.2f} {run['peak_mib']:>9.0f}  "
            f"{brief}"
        )

    def ratio(key: str, path: str) -> float:
        return float(runs["pandas"][key]) / float(runs[path][key])  # type: ignore[arg-type]

    print()
    for path in ("cold", "cold_csv"):
        run = runs[path]
        print(
            f"{PATHS[path]:<18} vs pandas: {ratio('seconds', path):.2f}x load + aggregation "
            f"(target >= 1.5x), {ratio('load_seconds', path):.2f}x load alone; "
            f"peak {run['peak_mib']:.0f} MiB vs pandas {runs['pandas']['peak_mib']:.0f} MiB "
            f"(target < {GIB:.0f} MiB)"
        )
    print(f"{PATHS['warm']:<18} vs pandas: {ratio('seconds', 'warm'):.1f}x load + aggregation "
          f"(target >= 10x); peak {runs['warm']['peak_mib']:.0f} MiB")  # fmt: skip
    digests = {p: json.dumps(r["result"], sort_keys=True) for p, r in runs.items()}
    same = len(set(digests.values())) == 1
    print("results agree across paths" if same else f"RESULTS DIFFER: {digests}")


if __name__ == "__main__":
    main()
