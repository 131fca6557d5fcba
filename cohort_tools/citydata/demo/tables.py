"""The demo city's tables, made from :mod:`.profiles` with numpy (deterministic for a seed).

One function per table; :func:`write_city` writes them all into a folder. Each table draws from its own
random stream (:func:`rng`), so changing one table never shifts another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from cohort_tools.core.fileio import staged_dir
from cohort_tools.core.paths import DEMO_DIR

from .profiles import (
    AGE_BANDS,
    AGE_SHARES,
    AS_OF,
    CITY_ENDINGS,
    CRITERIA,
    DEMO_CITIES_DIR,
    DEMO_COHORT_CITIES,
    FREQ_DAYS,
    GAP_SKILLS,
    LEVELS,
    NAME_ENDINGS,
    NAME_PREFIXES,
    NAME_STEMS,
    RACE_SHARES,
    ROLE_EFFECT,
    ROLE_MIX,
    SERVICES,
    SEX_CODES,
    SIZES,
    SKILL_EFFECT,
    SLOW_FACTOR,
    STATES,
    TABLE_FILES,
    YEAR,
    DemoSize,
    Profile,
    Reference,
)
from .profiles import REFERENCES as _REFERENCES

RACE_MIX = np.array(RACE_SHARES)
AGE_MIX = np.array(AGE_SHARES)

# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def _rng(seed: int, *stream: int | str) -> np.random.Generator:
    """An independent generator per table (and chunk), so tables do not shift each other."""
    keys = [seed] + [
        int(hashlib.sha256(s.encode()).hexdigest()[:8], 16) if isinstance(s, str) else s
        for s in stream
    ]
    return np.random.default_rng(keys)


def _split(total: int, shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Split ``total`` into integer counts by ``shares`` (multinomial)."""
    p = np.asarray(shares, dtype=float)
    return rng.multinomial(total, p / p.sum())


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.lower()).split())


def _place_names(n: int, rng: np.random.Generator, ref: Reference | None = None) -> list[str]:
    stems, endings, prefixes = (
        (ref.name_stems, ref.name_endings, ref.name_prefixes)
        if ref is not None
        else (NAME_STEMS, NAME_ENDINGS, NAME_PREFIXES)
    )
    combos = [f"{s}{e}" for s in stems for e in endings]
    order = rng.permutation(len(combos))
    base = [combos[i] for i in order]
    names: list[str] = []
    for prefix in prefixes:
        for name in base:
            names.append(f"{prefix}{name}")
            if len(names) == n:
                return names
    raise ValueError(f"cannot invent {n} distinct neighborhood names")


# --------------------------------------------------------------------------------------------------
# tables
# --------------------------------------------------------------------------------------------------


@dataclass
class _City:
    seed: int
    profile: Profile
    departments: pd.DataFrame
    neighbourhoods: pd.DataFrame
    slow_index: int

    @property
    def ref(self) -> Reference:
        return _REFERENCES[self.profile.country]


def _departments(seed: int, profile: Profile) -> pd.DataFrame:
    rng = _rng(seed, "departments")
    ref = _REFERENCES[profile.country]
    staff = profile.population * 0.011
    rows = []
    for dept_id, name, share, per_head, data_per_100 in ref.departments:
        headcount = max(4, round(staff * share * rng.uniform(0.85, 1.15)))
        budget = round(headcount * per_head * rng.uniform(0.9, 1.1), -3)
        roles = 0 if dept_id == ref.skills_gap_department else round(headcount * data_per_100 / 100)
        rows.append((dept_id, name, headcount, float(budget), roles))
    return pd.DataFrame(rows, columns=["department_id", "department", "headcount", "budget_usd",
                                       "data_roles"])  # fmt: skip


def _neighbourhoods(seed: int, profile: Profile) -> tuple[pd.DataFrame, int]:
    rng = _rng(seed, "neighbourhoods")
    ref = _REFERENCES[profile.country]
    n = profile.neighbourhoods
    names = _place_names(n, rng, ref)
    weights = rng.lognormal(0.0, 0.45, n)
    population = _split(profile.population, weights, rng)
    income = np.round(rng.lognormal(np.log(ref.median_income), 0.35, n), -2)
    slow = int(np.argmin(income))
    income[slow] = float(np.round(income.min() * 0.85, -2))  # clearly the lowest
    width = max(3, len(str(n)))
    ids = [f"N{i + 1:0{width}d}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "neighbourhood_id": ids,
            "name": names,
            "population": population,
            "median_household_income_usd": income,
        }
    )
    if n >= 8:  # a couple of places where the survey did not publish income
        missing = rng.choice(
            [i for i in range(n) if i != slow], size=max(1, n // 40), replace=False
        )
        frame.loc[missing, "median_household_income_usd"] = np.nan
    return frame, slow


def _demographics(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "demographics")
    parts = []
    hoods = city.neighbourhoods
    n = len(hoods)
    income = hoods["median_household_income_usd"].fillna(
        hoods["median_household_income_usd"].median()
    )
    poorer = (income.max() - income) / max(1.0, float(income.max() - income.min()))
    ref = city.ref
    race_p = rng.dirichlet(np.array(ref.race_shares) * 60, size=n)
    # more Hispanic residents (US), more Afro-Colombian residents (CO) where incomes are lower
    race_p[:, ref.poorer_group] *= 1 + 1.5 * poorer.to_numpy()
    age_p = rng.dirichlet(AGE_MIX * 8, size=n)
    for i, (hood, pop) in enumerate(
        zip(hoods["neighbourhood_id"], hoods["population"], strict=True)
    ):
        race = _split(int(pop), race_p[i], rng)
        age = _split(int(pop), age_p[i], rng)
        over5 = int(pop) - int(age[0])
        lep_share = 0.02 + 0.35 * (race[3] + 0.6 * race[1]) / max(1, pop)
        lep = int(rng.binomial(over5, min(lep_share, 0.6)))
        disabled = int(rng.binomial(int(pop), 0.10 + 0.05 * float(poorer.iloc[i])))
        parts += [
            (hood, "race_ethnicity", c, int(v)) for c, v in zip(ref.race_codes, race, strict=True)
        ]
        parts += [(hood, "age", b, int(v)) for b, v in zip(AGE_BANDS, age, strict=True)]
        if ref.limited_english:
            parts += [
                (hood, "limited_english", "lep", lep),
                (hood, "limited_english", "not_lep", over5 - lep),
            ]
        parts += [
            (hood, "disability", "with_disability", disabled),
            (hood, "disability", "without_disability", int(pop) - disabled),
        ]
    return pd.DataFrame(parts, columns=["neighbourhood_id", "dimension", "category", "count"])


def _staff_survey(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "staff_survey")
    depts = city.departments
    shares = depts["headcount"].to_numpy() * rng.uniform(0.6, 1.4, len(depts))
    sizes = _split(city.profile.survey_respondents, shares, rng)
    ids_ = depts["department_id"].to_numpy()
    ref = city.ref
    gap_dept = ref.skills_gap_department
    sizes[ids_ == ref.small_department] = 7  # below the threshold: survey outputs must withhold it
    sizes[ids_ == gap_dept] = max(24, int(sizes[ids_ == gap_dept][0]))
    roles = list(ROLE_MIX)
    role_p = np.array(list(ROLE_MIX.values()))
    rows = []
    ids = rng.choice(36**6, size=int(sizes.sum()) * 2, replace=False)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    k = 0
    for dept_id, size in zip(depts["department_id"], sizes, strict=True):
        gap = dept_id == gap_dept
        for _ in range(int(size)):
            code = int(ids[k])
            k += 1
            rid = "R" + "".join(alphabet[(code // 36**j) % 36] for j in range(6))
            role = roles[int(rng.choice(len(roles), p=role_p))]
            person = rng.normal(0, 0.5)
            for skill in SKILL_EFFECT:
                latent = 1.45 + ROLE_EFFECT[role] + SKILL_EFFECT[skill] + person
                latent += ref.dept_skill_bonus.get((dept_id, skill), 0.0)
                if gap and skill in GAP_SKILLS:
                    latent -= 1.1
                latent += rng.normal(0, 0.55)
                level = LEVELS[int(np.clip(np.floor(latent), 0, 3))]
                want = 0.75 if gap else 0.35 + 0.1 * (level in ("awareness", "working"))
                rows.append((rid, dept_id, role, skill, level, bool(rng.random() < want)))
    return pd.DataFrame(
        rows,
        columns=["respondent_id", "department_id", "role_family", "skill", "level",
                 "training_interest"],
    )  # fmt: skip


def _programme_outcomes(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "programme_outcomes")
    scale = max(1.0, (city.profile.population / 60_000) ** 0.6)
    rows = []
    ref = city.ref
    programmes = ref.programmes
    gap_pid, youth_pid = programmes[0][0], programmes[2][0]  # WFP, YSJ (US); RUE, PEJ (CO)
    race_p = np.array(ref.race_shares, dtype=float)
    for index, factor in ref.outcome_boost.items():
        race_p[index] *= factor
    age_groups = ["15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
                  "55-59", "60-64", "65-69"]  # fmt: skip
    hood_ids = city.neighbourhoods["neighbourhood_id"].tolist()
    hood_show = hood_ids[: min(len(hood_ids), 30)]
    if hood_ids[city.slow_index] not in hood_show:
        hood_show = [*hood_show[:-1], hood_ids[city.slow_index]]
    for q in range(1, 5):
        period = f"{YEAR}-Q{q}"
        for pid, pname, measure, base in programmes:
            total = int(rng.integers(90, 140) * scale)
            groups: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
            race_rate = np.full(len(ref.race_codes), base)
            if pid == gap_pid:
                race_rate = base + np.array(ref.gap_offsets)
            groups["race_ethnicity"] = (ref.race_codes, race_p, race_rate)
            ages = age_groups if pid != youth_pid else ["15-19", "20-24"]
            age_p = np.ones(len(ages))
            age_rate = np.full(len(ages), base)
            if pid == gap_pid:
                age_rate = np.array([base - 0.18 * (a >= "55") for a in ages])
            groups["age"] = (ages, age_p, age_rate)
            if ref.limited_english:
                lep_rate = (
                    np.array([0.35, base]) if pid == gap_pid else np.array([base - 0.02, base])
                )
                groups["limited_english"] = (["lep", "not_lep"], np.array([0.22, 0.78]), lep_rate)
            groups["disability"] = (
                ["with_disability", "without_disability"],
                np.array([0.13, 0.87]),
                np.array([base + (ref.disability_gap if pid == gap_pid else 0.0), base]),
            )
            groups["sex"] = (SEX_CODES, np.array([0.52, 0.45, 0.012, 0.018]), np.full(4, base))
            hood_rate = np.array(
                [base - (0.15 if (pid == youth_pid and h == hood_ids[city.slow_index]) else 0.0)
                 for h in hood_show]
            )  # fmt: skip
            groups["neighbourhood"] = (hood_show, np.ones(len(hood_show)), hood_rate)
            for dimension, (codes, shares, rates) in groups.items():
                counts = _split(total, shares, rng)
                for code, n_part, rate in zip(codes, counts, rates, strict=True):
                    ok = int(rng.binomial(int(n_part), float(np.clip(rate, 0.02, 0.98))))
                    rows.append((pid, pname, period, dimension, code, int(n_part), ok, measure))
    return pd.DataFrame(
        rows,
        columns=["programme_id", "programme", "period", "dimension", "group", "participants",
                 "successes", "outcome_measure"],
    )  # fmt: skip


def _data_inventory(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "data_inventory")
    datasets = city.ref.datasets
    n = min(city.profile.datasets, len(datasets))
    chosen = sorted(rng.choice(len(datasets), size=n, replace=False).tolist())
    chosen = sorted(set(chosen) | {0, 17, 19})  # 311, rental assistance, homelessness always in
    as_of = AS_OF.date()
    rows = []
    for k, idx in enumerate(chosen):
        name, owner, freq, personal, fields, fmt = datasets[idx]
        period = FREQ_DAYS[freq]
        stale = rng.random() < 0.22 or idx in (11, 23)
        if stale:
            age = int(period * rng.uniform(3, 10) + rng.integers(60, 500))
        else:
            age = int(rng.integers(0, max(1, period)))
        last = as_of - dt.timedelta(days=age)
        documented = bool(rng.random() < (0.35 if stale else 0.8))
        published = bool((not personal) and rng.random() < 0.6)
        rows.append(
            (f"DS{k + 1:03d}", name, owner, freq, last.isoformat(), published, personal,
             documented, fields, fmt)
        )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["dataset_id", "dataset", "owner_department_id", "update_frequency",
                 "last_updated", "published_openly", "contains_personal_data", "documented",
                 "demographic_fields", "race_ethnicity_format"],
    )  # fmt: skip


def _maturity(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "maturity")
    rows = []
    for area, cid, base, progress in CRITERIA:
        first = int(np.clip(round(base + rng.normal(0, 0.4)), 0, 3))
        second = int(np.clip(round(first + progress + rng.normal(0, 0.3)), first, 3))
        note = city.ref.criteria_notes.get(cid, "")
        rows.append((area, cid, first, f"{YEAR}-01-15", note))
        rows.append((area, cid, second, f"{YEAR}-07-15", note))
    return pd.DataFrame(rows, columns=["practice_area", "criterion_id", "rating", "assessed_on",
                                       "notes"])  # fmt: skip


def _data_use_log(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "data_use_log")
    uses = city.ref.data_uses
    n = min(len(uses), 8 + int(rng.integers(0, 5)))
    picks = sorted(rng.choice(len(uses), size=n, replace=False).tolist())
    days = np.sort(rng.choice(np.arange(0, 365), size=n, replace=False))
    rows = []
    for k, (idx, day) in enumerate(zip(picks, days, strict=True)):
        dept, prog, decision, used, change, usd, outcome = uses[idx]
        amount = round(usd * rng.uniform(0.7, 1.3), -3) if usd else np.nan
        date = (dt.date(YEAR, 1, 1) + dt.timedelta(days=int(day))).isoformat()
        rows.append((f"DU{k + 1:03d}", date, dept, prog, decision, used, change, amount, outcome))
    return pd.DataFrame(
        rows,
        columns=["entry_id", "date", "department_id", "programme", "decision", "data_used",
                 "change_made", "resources_redirected_usd", "outcome_measure"],
    )  # fmt: skip


def _metrics(city: _City) -> pd.DataFrame:
    rng = _rng(city.seed, "metrics")
    rows = []
    scale = city.profile.population / 60_000
    for mid, name, dept, unit, higher, target, shape in city.ref.metrics:
        for m in range(1, 13):
            t = (m - 1) / 11
            if shape == "far":
                value = (target or 0) * 0.70 + rng.normal(0, 2.5)
            elif shape == "near":
                value = (target or 0) * (1 + rng.normal(0, 0.03))
            elif shape == "improving":
                value = (target or 0) * (1.6 - 0.55 * t) + rng.normal(0, 1.5)
            elif shape == "improving_up":
                value = (target or 0) * (0.75 + 0.25 * t) + rng.normal(0, 2.0)
            elif shape == "far_low":
                value = (target or 0) * 1.8 * (1.3 if m in (1, 2, 12) else 1.0) * scale**0.5
                value = float(rng.poisson(value))
            elif shape == "above":
                value = 9_000 * scale * (1.15 + 0.1 * np.sin(m / 2)) * rng.uniform(0.97, 1.03)
            else:
                value = float(rng.poisson(40 * scale**0.5 * (2.0 if m in (4, 10) else 0.5)))
            tgt = target
            if shape == "above":
                tgt = round(9_000 * scale, 0)
            elif shape == "far_low" and target is not None:
                tgt = round(target * scale**0.5, 0)
            if unit == "percent":
                value = float(np.clip(value, 0, 100))
            rows.append((mid, name, dept, f"{YEAR}-{m:02d}", round(float(value), 1), tgt, unit,
                         higher))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["metric_id", "metric", "department_id", "period", "value", "target", "unit",
                 "higher_is_better"],
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# service requests (chunked, Parquet)
# --------------------------------------------------------------------------------------------------

_SR_SCHEMA = pa.schema(
    [
        ("service_request_id", pa.string()),
        ("status", pa.string()),
        ("source_status", pa.string()),
        ("service_name", pa.string()),
        ("service_code", pa.string()),
        ("agency_responsible", pa.string()),
        ("requested_datetime", pa.timestamp("s")),
        ("updated_datetime", pa.timestamp("s")),
        ("expected_datetime", pa.timestamp("s")),
        ("closed_datetime", pa.timestamp("s")),
        ("zipcode", pa.string()),
        ("lat", pa.float64()),
        ("long", pa.float64()),
        ("neighbourhood_id", pa.string()),
    ]
)


def _month_chunks(profile: Profile) -> list[tuple[int, int, int]]:
    """(month, chunk number within month, rows) for the months generated."""
    months = list(range(13 - profile.months, 13))
    # more requests in the warm months (a fixed shape, so counts are exact and deterministic)
    shape = np.array([1.0 + 0.18 * np.sin((m - 4) / 12 * 2 * np.pi) for m in months])
    per_month = list(np.floor(profile.requests * shape / shape.sum()).astype(int))
    per_month[-1] += profile.requests - sum(per_month)
    out = []
    for m, rows in zip(months, per_month, strict=True):
        pieces = max(1, -(-rows // profile.chunk_rows))
        for c, part in enumerate(_split_even(rows, pieces)):
            out.append((m, c, part))
    return out


def _split_even(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _service_weights(
    month: int, services: list[tuple[str, str, str, float, float, int, int]] = SERVICES
) -> np.ndarray:
    w = np.array([s[3] for s in services], dtype=float)
    for i, s in enumerate(services):
        peak = s[6]
        if peak:
            distance = min(abs(month - peak), 12 - abs(month - peak))
            w[i] *= 0.45 + 1.4 * np.exp(-(distance**2) / 3.0)
            if s[0] == "SNOW" and distance > 2:
                w[i] *= 0.02
    return np.asarray(w / w.sum(), dtype=float)


def _iter_service_requests(city: _City) -> Iterator[pa.Table]:
    hoods = city.neighbourhoods
    n_h = len(hoods)
    geo = _rng(city.seed, "geography")
    ref = city.ref
    services = ref.services
    centre_lat = ref.centre[0] + geo.uniform(-1, 1)
    centre_long = ref.centre[1] + geo.uniform(-2, 2)
    side = int(np.ceil(np.sqrt(n_h)))
    spread = 0.004 * side
    grid = np.arange(n_h)
    hood_lat = centre_lat + (grid // side - side / 2) * spread / side * 2
    hood_long = centre_long + (grid % side - side / 2) * spread / side * 2.6
    zips = np.array([f"000{(i // max(1, n_h // 60 + 1)) % 100:02d}" for i in range(n_h)])
    hood_ids = hoods["neighbourhood_id"].to_numpy().astype(str)
    income = hoods["median_household_income_usd"].to_numpy()
    income = np.where(np.isnan(income), np.nanmedian(income), income)
    poorer = (np.nanmax(income) - income) / max(1.0, np.nanmax(income) - np.nanmin(income))
    hood_factor = 1.0 + 0.25 * poorer
    hood_factor[city.slow_index] = SLOW_FACTOR
    hood_weight = hoods["population"].to_numpy() * (1 + 0.3 * poorer)
    hood_weight = hood_weight / hood_weight.sum()
    names = np.array([s[1] for s in services])
    codes = np.array([s[0] for s in services])
    dept_names = dict((d[0], d[1]) for d in ref.departments)
    agencies = np.array([dept_names[s[2]] for s in services])
    slow_dept = np.array([s[2] in ref.slow_departments for s in services])
    medians = np.array([s[4] for s in services])
    sla = np.array([s[5] for s in services], dtype="int64")
    open_statuses = np.array(ref.open_statuses)
    as_of = np.datetime64(AS_OF, "s")
    number = 0
    for month, chunk, rows in _month_chunks(city.profile):
        rng = _rng(city.seed, "service_requests", month, chunk)
        start = np.datetime64(f"{YEAR}-{month:02d}-01T00:00:00", "s")
        end = np.datetime64(f"{YEAR + (month == 12)}-{month % 12 + 1:02d}-01T00:00:00", "s")
        seconds = int((end - start) / np.timedelta64(1, "s"))
        svc = rng.choice(len(services), size=rows, p=_service_weights(month, services))
        hood = rng.choice(n_h, size=rows, p=hood_weight)
        day = rng.integers(0, seconds // 86400, size=rows)
        hour = np.clip(rng.normal(13.0, 3.6, size=rows), 0, 23.99)
        offset = day * 86400 + (hour * 3600).astype("int64")
        order = np.argsort(offset, kind="stable")
        svc, hood, offset = svc[order], hood[order], offset[order]
        requested = start + offset.astype("timedelta64[s]")
        factor = hood_factor[hood]
        factor = np.where((hood == city.slow_index) & slow_dept[svc], factor * 1.25, factor)
        days = rng.lognormal(np.log(medians[svc] * factor), 0.85)
        never = rng.random(rows) < 0.015  # stuck in the backlog
        closed_at = requested + (days * 86400).astype("int64").astype("timedelta64[s]")
        is_closed = (closed_at <= as_of) & ~never
        elapsed = (as_of - requested).astype("int64")
        touched = requested + (elapsed * rng.uniform(0.05, 0.9, rows)).astype("timedelta64[s]")
        updated = np.where(is_closed, closed_at, touched)
        expected = requested + (sla[svc] * 86400).astype("timedelta64[s]")
        source = np.where(is_closed, ref.closed_status, open_statuses[rng.integers(0, 4, rows)])
        lat = np.round(hood_lat[hood] + rng.normal(0, spread / side / 2.5, rows), 5)
        lon = np.round(hood_long[hood] + rng.normal(0, spread / side / 2.0, rows), 5)
        ids = [f"SR{YEAR % 100:02d}-{i:08d}" for i in range(number + 1, number + rows + 1)]
        number += rows
        closed_col = pa.array(
            np.where(is_closed, closed_at, np.datetime64("NaT")), type=pa.timestamp("s")
        )
        yield pa.table(
            {
                "service_request_id": pa.array(ids, pa.string()),
                "status": pa.array(np.where(is_closed, "closed", "open"), pa.string()),
                "source_status": pa.array(source, pa.string()),
                "service_name": pa.array(names[svc], pa.string()),
                "service_code": pa.array(codes[svc], pa.string()),
                "agency_responsible": pa.array(agencies[svc], pa.string()),
                "requested_datetime": pa.array(requested, pa.timestamp("s")),
                "updated_datetime": pa.array(updated.astype("datetime64[s]"), pa.timestamp("s")),
                "expected_datetime": pa.array(expected, pa.timestamp("s")),
                "closed_datetime": closed_col,
                "zipcode": pa.array(zips[hood], pa.string()),
                "lat": pa.array(lat, pa.float64()),
                "long": pa.array(lon, pa.float64()),
                "neighbourhood_id": pa.array(hood_ids[hood], pa.string()),
            },
            schema=_SR_SCHEMA,
        )


def _write_service_requests(city: _City, path: Path) -> int:
    total = 0
    with pq.ParquetWriter(
        path,
        _SR_SCHEMA,
        compression="zstd",
        compression_level=9,
        use_byte_stream_split=["lat", "long"],
        write_statistics=True,
    ) as writer:
        for table in _iter_service_requests(city):
            writer.write_table(table, row_group_size=1_000_000)
            total += table.num_rows
    return total


# --------------------------------------------------------------------------------------------------
# writing a city
# --------------------------------------------------------------------------------------------------


def _invent_city_name(seed: int) -> str:
    rng = _rng(seed, "city-name")
    stem = NAME_STEMS[int(rng.integers(len(NAME_STEMS)))]
    ending = CITY_ENDINGS[int(rng.integers(len(CITY_ENDINGS)))]
    return f"{stem}{ending}"


def _city_yaml(city_id: str, name: str, profile: Profile) -> str:
    ref = _REFERENCES[profile.country]
    doc: dict[str, object] = {
        "id": city_id,
        "name": name,
        "fictional": True,
        "country": profile.country,
    }
    if profile.state is not None:
        doc["state"] = profile.state
    doc["population"] = int(profile.population)
    if ref.currency != "USD":
        doc["currency"] = ref.currency
    doc["timezone"] = profile.timezone
    if ref.language != "en":
        doc["language"] = ref.language
    doc["suppression_threshold"] = 11
    header = ref.yaml_header.format(name=name, year=YEAR, as_of=AS_OF.date())
    return header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def _write_city(out: Path, seed: int, profile: Profile, city_id: str, name: str) -> Path:
    departments = _departments(seed, profile)
    neighbourhoods, slow = _neighbourhoods(seed, profile)
    city = _City(seed, profile, departments, neighbourhoods, slow)
    tables = {
        "departments": departments,
        "neighbourhoods": neighbourhoods,
        "staff_survey": _staff_survey(city),
        "neighbourhood_demographics": _demographics(city),
        "programme_outcomes": _programme_outcomes(city),
        "data_inventory": _data_inventory(city),
        "maturity_assessment": _maturity(city),
        "data_use_log": _data_use_log(city),
        "performance_metrics": _metrics(city),
    }
    out = Path(out).resolve()
    with staged_dir(out) as tmp:
        tmp.chmod(0o755)  # mkdtemp makes it private; a city folder is ordinary data
        (tmp / "city.yaml").write_text(_city_yaml(city_id, name, profile), encoding="utf-8")
        for table, frame in tables.items():
            (tmp / TABLE_FILES[table]).write_bytes(_csv_bytes(frame))
        _write_service_requests(city, tmp / TABLE_FILES["service_requests"])
    return out


def generate_city(size: DemoSize, seed: int, out: Path, city_id: str | None = None) -> Path:
    """Write a fictional city folder of ``size`` (small|medium|large) to ``out``; return ``out``.

    Deterministic: the same arguments give the same bytes. ``out`` is replaced as a whole (the
    folder is built beside it and swapped in), so a failed run never leaves a half-written city.
    """
    if size not in SIZES:  # the CLI offers the sizes as a choice; this guards Python callers
        raise ValueError(f"unknown size '{size}'; choose one of {', '.join(SIZES)}.")
    profile = SIZES[size]
    name = _invent_city_name(seed)
    rng = _rng(seed, "state")
    state, timezone = STATES[int(rng.integers(len(STATES)))]
    profile = replace(profile, state=state, timezone=timezone)
    return _write_city(Path(out), seed, profile, city_id or _slug(name), name)


def generate_demo_cohort_cities(root: Path | None = None) -> list[Path]:
    """(Re)write the embedded demo cohort's cities under ``root`` (default: the package's)."""
    base = Path(root) if root is not None else DEMO_CITIES_DIR
    written = []
    for city_id, (seed, profile) in DEMO_COHORT_CITIES.items():
        assert profile.name is not None
        folder = _write_city(base / city_id, seed, profile, city_id, profile.name)
        # The demo coaching record is written by hand (cohort_tools/demo_cohort/coaching/), not generated.
        log = DEMO_DIR / "coaching" / f"{city_id}.yaml"
        if log.is_file():
            shutil.copyfile(log, folder / "coaching_log.yaml")
        written.append(folder)
    return written


def file_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file in a city folder, by relative path (for determinism checks).

    Hidden entries (the loader's ``.cda-cache/``) are not part of the city and are skipped.
    """
    root = Path(folder)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }
