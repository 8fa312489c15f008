#!/usr/bin/env python3
"""Independent reference implementation of `vitalog stats --json`.

A second implementation of the journal statistics, written from the definitions in
/work/shared/STATS-JSON.md and STANDARDS.md sections 3 and 4 (never from the Rust code), so that
compare.py can check the Rust `trends` crate against it. Python 3.11 standard library only.

    python3 independent.py EXPORT.jsonl --from F --to T --tz ZONE [--unit U] [--person P]

EXPORT.jsonl is a Vitalog JSON Lines export (`vitalog export`, or make_fixture.py). F and T are
RFC 3339 instants or local dates YYYY-MM-DD (local midnight of that day in ZONE); the period is
[F, T). The JSON printed on stdout has the shape of STATS-JSON.md; numbers are unrounded.

Choices the definitions leave open (kept explicit so a disagreement is easy to locate):
- A median CGM gap exactly halfway between two nominal intervals (3 or 10 minutes) snaps to
  the shorter interval.
- `n_at_or_above_135_85` counts the readings kept after the first-day discard.
- Band membership compares the recorded decimal text exactly (decimal.Decimal), not a float.
"""

import argparse
import datetime as dt
import json
import math
import statistics
import sys
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

MG_PER_MMOL = 18.016
KPA_PER_MMHG = 0.133322387415
KG_PER_LB = 0.45359237
MINUTES_PER_DAY = 1440

# Cut points on the recorded value, per recorded unit: (54, 70, 180, 250) and (3.0, 3.9, 10.0, 13.9).
CUTS = {
    "mg/dL": (Decimal("54"), Decimal("70"), Decimal("180"), Decimal("250")),
    "mmol/L": (Decimal("3.0"), Decimal("3.9"), Decimal("10.0"), Decimal("13.9")),
}
BANDS = ("very_low", "low", "in_range", "high", "very_high")


# ---------------------------------------------------------------------------------------------
# Input


def parse_instant(text):
    """An RFC 3339 time with offset (or Z) as an aware datetime in UTC.

    Every instant is kept in UTC: Python subtracts and compares two datetimes that share a
    tzinfo object by wall clock, which is wrong across a DST change.
    """
    t = text.strip()
    if t.endswith("Z") or t.endswith("z"):
        t = t[:-1] + "+00:00"
    value = dt.datetime.fromisoformat(t)
    if value.tzinfo is None:
        raise ValueError(f"time without offset: {text!r}")
    return value.astimezone(dt.timezone.utc)


def parse_bound(text, zone):
    """--from/--to: a local date YYYY-MM-DD (local midnight in zone) or an RFC 3339 instant."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        day = dt.date.fromisoformat(text)
        return dt.datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(dt.timezone.utc)
    return parse_instant(text)


def rfc3339(instant, zone):
    """The instant in the zone's local offset at that instant, e.g. 2026-03-29T00:00:00+01:00."""
    local = instant.astimezone(zone)
    spec = "seconds" if local.microsecond == 0 else "microseconds"
    return local.isoformat(timespec=spec)


def read_export(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        header = None
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if header is None:
                header = obj
                if obj.get("vitalog_export") != 1:
                    raise SystemExit(f"{path}:{number}: not a Vitalog export header")
                continue
            obj["_at"] = parse_instant(obj["time"])
            entries.append(obj)
    return entries


def flags_of(entry):
    return [f for f in entry.get("flags", "").split(";") if f]


def num(text):
    return float(Decimal(text.strip()))


# ---------------------------------------------------------------------------------------------
# Helpers


def mean(values):
    return math.fsum(values) / len(values)


def sample_sd(values):
    """Sample SD (n - 1), null below 3 values."""
    if len(values) < 3:
        return None
    return statistics.stdev(values)


def most_common_unit(units, default):
    """The most common unit; a tie for first place gives `default`."""
    counts = Counter(units).most_common()
    if len(counts) > 1 and counts[0][1] == counts[1][1]:
        return default
    return counts[0][0]


def percentile_type7(sorted_values, p):
    """R type 7 / numpy 'linear': h = (n-1)p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h])."""
    n = len(sorted_values)
    if n == 0:
        return None
    h = (n - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def calendar_days(start, end, zone):
    """Distinct local dates with some instant inside [start, end)."""
    if end <= start:
        return 0
    first = start.astimezone(zone).date()
    last = (end - dt.timedelta(microseconds=1)).astimezone(zone).date()
    return (last - first).days + 1


def minute_of_day(instant, zone):
    local = instant.astimezone(zone)
    return local.hour * 60 + local.minute


# ---------------------------------------------------------------------------------------------
# Glucose


def band_of(value_text, unit):
    v = Decimal(value_text.strip())
    c54, c70, c180, c250 = CUTS[unit]
    if v < c54:
        return "very_low"
    if v < c70:
        return "low"
    if v <= c180:
        return "in_range"
    if v <= c250:
        return "high"
    return "very_high"


def to_unit(value, recorded, target):
    if recorded == target:
        return value
    if recorded == "mmol/L" and target == "mg/dL":
        return value * MG_PER_MMOL
    if recorded == "mg/dL" and target == "mmol/L":
        return value / MG_PER_MMOL
    raise ValueError(f"cannot convert glucose {recorded} -> {target}")


def glucose_common(readings, unit_arg, cgm):
    """Shared part of the cgm and meter blocks. readings: list of entries."""
    unit = unit_arg or most_common_unit([r["unit"] for r in readings], "mg/dL")
    values = [to_unit(num(r["value"]), r["unit"], unit) for r in readings]
    n = len(values)
    counts = Counter(band_of(r["value"], r["unit"]) for r in readings)
    ranges = {}
    groups = {b: [b] for b in BANDS}
    groups["below_70"] = ["very_low", "low"]
    groups["above_180"] = ["high", "very_high"]
    for name, members in groups.items():
        k = sum(counts[m] for m in members)
        pct = k / n * 100
        band = {"n": k, "pct": pct}
        if cgm:
            band["minutes_per_day"] = pct * MINUTES_PER_DAY / 100
        ranges[name] = band
    avg = mean(values)
    sd = sample_sd(values)
    block = {
        "unit": unit,
        "n_readings": n,
        "mean": avg,
        "sd": sd,
        "cv_pct": None if sd is None else sd / avg * 100,
        "min": min(values),
        "max": max(values),
        "ranges": ranges,
    }
    return block, values, counts


def snap_interval(median_gap):
    return min((1, 5, 15), key=lambda c: (abs(median_gap - c), c))


def cgm_block(readings, unit_arg, start, end, zone, cal_days):
    readings = sorted(readings, key=lambda r: r["_at"])
    block, values, _ = glucose_common(readings, unit_arg, cgm=True)
    n = len(readings)
    if n < 2:
        interval = 5
    else:
        gaps = [
            (b["_at"] - a["_at"]).total_seconds() / 60 for a, b in zip(readings, readings[1:])
        ]
        interval = snap_interval(statistics.median(gaps))
    expected = (end - start).total_seconds() / 60 / interval
    wear = min(100.0, n / expected * 100)
    sufficient = cal_days >= 14 and wear >= 70
    mg = [to_unit(num(r["value"]), r["unit"], "mg/dL") for r in readings]
    mean_mg = mean(mg)
    mean_mmol = mean_mg / MG_PER_MMOL
    block["gmi_pct"] = 3.31 + 0.02392 * mean_mg if sufficient else None
    block["gmi_mmol_mol"] = 12.71 + 4.70587 * mean_mmol if sufficient else None
    block["wear_pct"] = wear
    block["days_with_data"] = len({r["_at"].astimezone(zone).date() for r in readings})
    block["sufficient"] = sufficient
    # Not in STATS-JSON.md: a diagnosis aid; compare.py skips keys starting with "_".
    block["_nominal_interval_minutes"] = interval
    bins = [[] for _ in range(96)]
    for r, v in zip(readings, values):
        bins[minute_of_day(r["_at"], zone) // 15].append(v)
    out = []
    for i, vals in enumerate(bins):
        vals.sort()
        b = {"start": f"{i * 15 // 60:02d}:{i * 15 % 60:02d}", "n": len(vals)}
        for name, p in (("p5", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95)):
            b[name] = percentile_type7(vals, p)
        out.append(b)
    block["agp"] = {"bin_minutes": 15, "bins": out}
    return block


def meter_block(readings, unit_arg, cal_days):
    block, values, counts = glucose_common(readings, unit_arg, cgm=False)
    n = len(readings)
    block["readings_per_day"] = n / cal_days
    block["gmi_pct"] = None

    def meal_stats(contexts):
        vs = [v for r, v in zip(readings, values) if r.get("meal") in contexts]
        return {"mean": mean(vs) if vs else None, "n": len(vs)}

    block["before_meal"] = meal_stats({"before", "fasting"})
    block["after_meal"] = meal_stats({"after"})
    block["hypo_readings"] = {
        "below_70": counts["very_low"] + counts["low"],
        "below_54": counts["very_low"],
    }
    return block


# ---------------------------------------------------------------------------------------------
# Blood pressure


def mmhg(text, unit):
    v = num(text)
    if unit == "kPa":
        return v / KPA_PER_MMHG
    if unit in ("mm[Hg]", None):
        return v
    raise ValueError(f"blood pressure unit {unit!r}")


def bp_category(sys_, dia):
    def s_cat(s):
        return 0 if s < 120 else 1 if s < 130 else 2 if s < 140 else 3

    def d_cat(d):
        return 0 if d < 80 else 2 if d < 90 else 3

    return ("normal", "elevated", "stage_1", "stage_2")[max(s_cat(sys_), d_cat(dia))]


def bp_block(readings, zone):
    rows = []
    for r in readings:
        local = r["_at"].astimezone(zone)
        rows.append({
            "date": local.date(),
            "minute": local.hour * 60 + local.minute,
            "sys": mmhg(r["systolic"], r.get("unit")),
            "dia": mmhg(r["diastolic"], r.get("unit")),
            "pulse": num(r["pulse"]) if r.get("pulse") else None,
        })
    dates = sorted({row["date"] for row in rows})
    discarded = None
    if len(dates) >= 2:
        discarded = dates[0]
        rows = [row for row in rows if row["date"] != discarded]
    pulses = [row["pulse"] for row in rows if row["pulse"] is not None]
    m_sys = mean([row["sys"] for row in rows])
    m_dia = mean([row["dia"] for row in rows])

    def part(lo, hi):
        sel = [row for row in rows if lo <= row["minute"] < hi]
        return {
            "systolic": mean([row["sys"] for row in sel]) if sel else None,
            "diastolic": mean([row["dia"] for row in sel]) if sel else None,
            "n": len(sel),
        }

    return {
        "unit": "mmHg",
        "n_readings": len(rows),
        "days": len({row["date"] for row in rows}),
        "first_day_discarded": discarded.isoformat() if discarded else None,
        "mean": {"systolic": m_sys, "diastolic": m_dia, "pulse": mean(pulses) if pulses else None},
        "morning": part(4 * 60, 12 * 60),
        "evening": part(16 * 60, 24 * 60),
        "category": bp_category(m_sys, m_dia),
        "home_high": m_sys >= 135 or m_dia >= 85,
        "n_at_or_above_135_85": sum(1 for row in rows if row["sys"] >= 135 or row["dia"] >= 85),
    }


# ---------------------------------------------------------------------------------------------
# Other kinds


def weight_value(value, recorded, target):
    if recorded == target:
        return value
    if recorded == "[lb_av]" and target == "kg":
        return value * KG_PER_LB
    if recorded == "kg" and target == "[lb_av]":
        return value / KG_PER_LB
    raise ValueError(f"weight {recorded} -> {target}")


def temperature_value(value, recorded, target):
    if recorded == target:
        return value
    if recorded == "[degF]" and target == "Cel":
        return (value - 32) * 5 / 9
    if recorded == "Cel" and target == "[degF]":
        return value * 9 / 5 + 32
    raise ValueError(f"temperature {recorded} -> {target}")


def simple_block(unit, values):
    return {
        "unit": unit,
        "n_readings": len(values),
        "mean": mean(values),
        "min": min(values),
        "max": max(values),
    }


def weight_block(readings):
    unit = most_common_unit([r["unit"] for r in readings], "kg")
    values = [weight_value(num(r["value"]), r["unit"], unit) for r in readings]
    block = simple_block(unit, values)
    slope = None
    if len(readings) >= 2:
        t0 = min(r["_at"] for r in readings)
        xs = [(r["_at"] - t0).total_seconds() / 86400 for r in readings]
        mx, my = mean(xs), mean(values)
        sxx = math.fsum((x - mx) ** 2 for x in xs)
        if sxx > 0:
            sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, values))
            slope = sxy / sxx * 7
    block["change_per_week"] = slope
    return block


def temperature_block(readings):
    unit = most_common_unit([r["unit"] for r in readings], "Cel")
    values = [temperature_value(num(r["value"]), r["unit"], unit) for r in readings]
    return simple_block(unit, values)


def spo2_block(readings):
    values = [num(r["value"]) for r in readings]
    block = simple_block("%", values)
    block["pct_below_90"] = sum(1 for v in values if v < 90) / len(values) * 100
    return block


def heart_rate_block(readings):
    return simple_block("/min", [num(r["value"]) for r in readings])


# ---------------------------------------------------------------------------------------------


def compute(entries, start, end, zone_name, unit=None, person="me"):
    zone = ZoneInfo(zone_name)
    cal_days = calendar_days(start, end, zone)
    out = {
        "period": {
            "from": rfc3339(start, zone),
            "to": rfc3339(end, zone),
            "time_zone": zone_name,
            "calendar_days": cal_days,
        }
    }
    chosen = [e for e in entries if e.get("person") == person and start <= e["_at"] < end]
    by_kind = {}
    for e in chosen:
        by_kind.setdefault(e["kind"], []).append(e)

    glucose = [g for g in by_kind.get("glucose", []) if "control-solution" not in flags_of(g)]
    cgm = [g for g in glucose if g.get("method") == "cgm"]
    meter = [g for g in glucose if g.get("method", "meter") != "cgm"]
    gblock = {}
    if cgm:
        gblock["cgm"] = cgm_block(cgm, unit, start, end, zone, cal_days)
    if meter:
        gblock["meter"] = meter_block(meter, unit, cal_days)
    if gblock:
        out["glucose"] = gblock
    if by_kind.get("bp"):
        out["blood_pressure"] = bp_block(by_kind["bp"], zone)
    if by_kind.get("weight"):
        out["weight"] = weight_block(by_kind["weight"])
    if by_kind.get("temperature"):
        out["temperature"] = temperature_block(by_kind["temperature"])
    if by_kind.get("spo2"):
        out["spo2"] = spo2_block(by_kind["spo2"])
    if by_kind.get("heart_rate"):
        out["heart_rate"] = heart_rate_block(by_kind["heart_rate"])
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("export")
    ap.add_argument("--from", dest="start", required=True)
    ap.add_argument("--to", dest="end", required=True)
    ap.add_argument("--tz", required=True)
    ap.add_argument("--unit", choices=["mg/dL", "mmol/L"])
    ap.add_argument("--person", default="me")
    args = ap.parse_args(argv)
    zone = ZoneInfo(args.tz)
    start = parse_bound(args.start, zone)
    end = parse_bound(args.end, zone)
    result = compute(read_export(args.export), start, end, args.tz, args.unit, args.person)
    json.dump(result, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
