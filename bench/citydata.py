"""Benchmark: load + aggregate the large demo city, product path against a naive pandas baseline.

Run:  .venv/bin/python bench/citydata.py [--seed N] [--data DIR] [--skip-cold]

1. Generates the large city (3 million service requests, 2,000 neighbourhoods) under
   bench/.data/ (git-ignored) unless it is already there, and writes service_requests as CSV too.
2. Runs each path in its own child process (a fresh interpreter), so each path's peak memory is
   that process's own high-water mark (``ru_maxrss`` from ``resource.getrusage``), measured from
   process start, imports included:
   - product, cold: ``cohort_tools.citydata.connect()`` on a city with no cache yet (it validates
     the tables and writes the normalised Parquet cache), then the aggregation;
   - product, warm: ``connect()`` again (cache reused) + the aggregation in DuckDB SQL;
   - duckdb, direct: DuckDB SQL straight over the generated Parquet (no validation);
   - baseline: ``pandas.read_csv`` of the CSV copy + the same aggregation in pandas.
   If ``cohort_tools.citydata.connect`` does not exist, the product paths use DuckDB directly.
3. Prints each path's seconds and peak memory, and the ratio baseline / product (warm).

Aggregation, the same on every path: requests, median days to close and open requests by
neighbourhood and by service type, and the open backlog. The paths' results are compared.
It is a benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA = ROOT / ".data"

# One scan for all three answers: GROUPING SETS gives the by-neighbourhood rows, the by-service
# rows and the city-wide row (the backlog) from a single pass over the Parquet.
SQL_ALL = """
SELECT neighbourhood_id, service_name, grouping(neighbourhood_id) AS g_hood,
       grouping(service_name) AS g_service, count(*) AS requests,
       median(date_diff('second', requested_datetime, closed_datetime) / 86400.0) AS median_days,
       sum(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_requests
FROM {source}
GROUP BY GROUPING SETS ((neighbourhood_id), (service_name), ())
"""


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
    backlog = rows[(rows["g_hood"] == 1) & (rows["g_service"] == 1)]["open_requests"].iloc[0]
    return _summary(hood, service, int(backlog))


def run_path(path: str, city: Path) -> dict[str, object]:
    """One path, in this (child) process. Returns seconds, peak RSS and a result digest.

    Library imports happen before the clock starts (every path pays them once per process, and
    they are not loading or aggregating data); their time is reported separately.
    """
    t0 = time.perf_counter()
    import duckdb
    import pandas  # noqa: F401

    if path.startswith("product"):
        import cohort_tools.citydata  # noqa: F401
    imports = time.perf_counter() - t0
    start = time.perf_counter()
    if path in ("product_cold", "product_warm"):
        try:
            from cohort_tools.citydata import connect
        except ImportError:  # the loader is not there: fall back to DuckDB directly
            connect = None  # type: ignore[assignment]
        if connect is not None:
            con = connect(city, tables=["service_requests"])
            result = _duckdb_aggregate(con, "service_requests")
        else:
            import duckdb

            con = duckdb.connect()
            source = f"read_parquet('{city / 'service_requests.parquet'}')"
            result = _duckdb_aggregate(con, source)
        result["via"] = "cohort_tools.citydata.connect" if connect is not None else "duckdb"
    elif path == "duckdb_direct":
        import duckdb

        con = duckdb.connect()
        result = _duckdb_aggregate(con, f"read_parquet('{city / 'service_requests.parquet'}')")
    elif path == "pandas_csv":
        import pandas as pd

        frame = pd.read_csv(
            city.parent / f"{city.name}-service_requests.csv",
            parse_dates=["requested_datetime", "closed_datetime"],
        )
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
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "path": path,
        "seconds": seconds,
        "import_seconds": imports,
        "peak_mib": peak_kib / 1024,
        "result": result,
    }


def prepare(data: Path, seed: int) -> Path:
    """The large city under ``data`` (generated once), plus a CSV copy of its service requests."""
    city = data / f"large-seed{seed}"
    csv = data / f"{city.name}-service_requests.csv"
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
    return city


def _child(path: str, city: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", path, "--city", str(city)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--skip-cold", action="store_true", help="do not time the cache build")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--city", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child, args.city)))
        return

    city = prepare(args.data, args.seed)
    size = {p.name: p.stat().st_size for p in city.iterdir() if p.is_file()}
    print(f"city: {city} ({sum(size.values()) / 2**20:.0f} MiB on disk)")
    paths = ["product_warm", "duckdb_direct", "pandas_csv"]
    if not args.skip_cold:
        shutil.rmtree(city / ".cda-cache", ignore_errors=True)
        paths.insert(0, "product_cold")
    runs = {p: _child(p, city) for p in paths}
    print("\npeak memory: each path runs in its own child process; ru_maxrss of that process")
    print(f"{'path':<15} {'seconds':>9} {'imports':>8} {'peak MiB':>9}  result")
    for p, r in runs.items():
        res = r["result"]
        assert isinstance(res, dict)
        brief = f"{res['by_neighbourhood']['groups']} hoods, open {res['open']}"
        print(
            f"{p:<15} {r['seconds']:>9.2f} {r['import_seconds']:>8.2f} {r['peak_mib']:>9.0f}  "
            f"{brief} {res.get('via', '')}"
        )
    base = runs["pandas_csv"]
    warm = runs["product_warm"]
    print(f"\nspeed-up, baseline / product (warm): {base['seconds'] / warm['seconds']:.1f}x "
          f"(target >= 5x); product peak {warm['peak_mib']:.0f} MiB (target < 2048 MiB)")  # fmt: skip
    if "product_cold" in runs:
        cold = runs["product_cold"]
        print(f"speed-up, baseline / product (cold, incl. validation and cache build): "
              f"{base['seconds'] / cold['seconds']:.1f}x; peak {cold['peak_mib']:.0f} MiB")  # fmt: skip
    digests = {p: json.dumps({k: v for k, v in r["result"].items() if k != "via"}, sort_keys=True)
               for p, r in runs.items()}  # fmt: skip
    same = len(set(digests.values())) == 1
    print("results agree across paths" if same else f"RESULTS DIFFER: {digests}")


if __name__ == "__main__":
    main()
