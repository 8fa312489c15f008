#!/usr/bin/env python3
"""Deterministic Vitalog JSON Lines export for checking `vitalog stats` against independent.py.

    python3 make_fixture.py [--from 2026-03-20] [--to 2026-04-06] [--seed 20260329] > fixture.jsonl

Europe/Berlin, local dates [--from, --to). The default period crosses the DST change of
2026-03-29 (02:00 CET -> 03:00 CEST). Same arguments, same bytes. Contents, for person "me":

- CGM glucose (method cgm, mg/dL) every 5 minutes on a UTC grid from 30 min before the period to
  30 min after it (so one reading sits exactly on each bound: `from` counts, `to` does not), a
  realistic daily curve clamped to 40-320 mg/dL, one 5 h 35 min sensor gap (day 6), a 20-minute
  dropout, and the DST change.
- Meter glucose in mmol/L (the more common unit) and mg/dL with meal contexts, the exact cut points
  53 54 69 70 180 181 250 251 mg/dL and 2.9 3.0 3.9 10.0 13.9 14.0 mmol/L, two control-solution
  results (values that would change the bands if counted), readings either side of local midnight,
  one at exactly `from` and one at exactly `to` (excluded).
- A blood-pressure week on the last 7 local days: two readings each morning (~07:10) and evening
  (21:30-23:30 local), pulses (one reading without), one kPa reading, a cuff-loose flag, and
  boundary times 04:00:00, 12:00:00, 16:00:00, 23:59:30. The week starts with a reading at 00:40
  local, which is the previous day in UTC: grouping by UTC date instead of local date changes
  first_day_discarded and n_readings. (In Berlin, UTC+1/+2, evening readings can never fall on
  the next UTC day; readings just after local midnight fall on the previous one.)
- Daily weight in kg with one reading in [lb_av]; temperature in Cel with one in [degF]; SpO2 with
  values below 90 and exactly 90; heart rate; a note, a medication, a meal and a body-fat entry
  (no statistics of their own).
- Person "anna": a few glucose, bp and weight entries that a "me" report must not count.
"""

import argparse
import datetime as dt
import json
import math
import random
import sys
import uuid
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc


class Export:
    def __init__(self, rng):
        self.rng = rng
        self.lines = []

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, kind, at, person="me", source="import", quality="entered", **fields):
        local = at.astimezone(BERLIN)
        obj = {
            "uid": self.uid(),
            "kind": kind,
            "person": person,
            "time": local.isoformat(timespec="seconds"),
            "time_quality": quality,
            "source": source,
        }
        for k, v in fields.items():
            if v is not None:
                obj[k] = v
        self.lines.append((at.astimezone(UTC), obj))

    def write(self, out):
        out.write(json.dumps({"vitalog_export": 1}, separators=(",", ":")) + "\n")
        for _, obj in sorted(self.lines, key=lambda x: (x[0], x[1]["uid"])):
            out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")


def local(day, hh, mm=0, ss=0):
    """A local Berlin time on `day` (a date)."""
    return dt.datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=BERLIN)


def bump(minute, center, height, width):
    """A smooth meal/dawn bump over minute-of-day."""
    d = minute - center
    return height * math.exp(-0.5 * (d / width) ** 2)


def cgm(ex, rng, first_day, last_day):
    start = local(first_day, 0) - dt.timedelta(minutes=30)
    end = local(last_day + dt.timedelta(days=1), 0) + dt.timedelta(minutes=30)
    # Each day gets its own meal sizes, so days differ; a few nights dip low, one day spikes high.
    days = (last_day - first_day).days + 3
    scales = [[rng.uniform(0.6, 1.5) for _ in range(3)] for _ in range(days)]
    hypo_nights = {2, 7, 11}
    spike_day = 9
    gap_from = local(first_day + dt.timedelta(days=5), 9, 10)
    gap_to = local(first_day + dt.timedelta(days=5), 14, 45)
    dropout_from = local(first_day + dt.timedelta(days=12), 16, 0)
    dropout_to = local(first_day + dt.timedelta(days=12), 16, 20)
    noise = 0.0
    t = start.astimezone(UTC)
    t = t.replace(minute=t.minute - t.minute % 5, second=0)
    while t <= end:
        if not (gap_from <= t < gap_to or dropout_from <= t < dropout_to):
            lt = t.astimezone(BERLIN)
            di = (lt.date() - first_day).days + 1
            m = lt.hour * 60 + lt.minute
            s = scales[di]
            g = 105.0
            g += bump(m, 5 * 60, 18, 70)  # dawn
            g += bump(m, 8 * 60 + 45, 85 * s[0], 45)  # breakfast
            g += bump(m, 13 * 60 + 45, 95 * s[1], 55)  # lunch
            g += bump(m, 20 * 60 + 15, 120 * s[2], 60)  # dinner
            if di in hypo_nights:
                g -= bump(m, 3 * 60 + 15, 68, 45)
            if di == spike_day:
                g += bump(m, 20 * 60 + 45, 130, 50)
            noise = 0.9 * noise + rng.gauss(0, 4.0)
            value = int(round(min(320.0, max(40.0, g + noise))))
            ex.add("glucose", t, source="import", quality="device-synced",
                   value=str(value), unit="mg/dL", method="cgm")
        t += dt.timedelta(minutes=5)


def meter(ex, rng, first_day, last_day, period_from, period_to):
    n_days = (last_day - first_day).days + 1
    meals = [(7, 5, "fasting"), (10, 20, "after"), (12, 40, "before"), (18, 35, "before"),
             (20, 50, "after"), (22, 45, "bedtime")]
    centers = {"fasting": 105, "before": 115, "after": 175, "bedtime": 135, "casual": 140}
    for d in range(n_days):
        day = first_day + dt.timedelta(days=d)
        picks = rng.sample(meals, 4)
        for hh, mm, ctx in picks:
            at = local(day, hh, mm + rng.randint(0, 9), rng.randint(0, 59))
            mg = max(45.0, rng.gauss(centers[ctx], 30))
            if rng.random() < 0.65:
                mmol = mg / 18.016
                digits = 2 if rng.random() < 0.1 else 1
                value = f"{mmol:.{digits}f}"
                ex.add("glucose", at, value=value, unit="mmol/L", meal=ctx,
                       method="meter" if d % 3 == 0 else None)
            else:
                ex.add("glucose", at, value=str(int(round(mg))), unit="mg/dL", meal=ctx)
    # Exact cut points (recorded unit decides the band).
    cut_mg = [("53", "casual"), ("54", "before"), ("69", "fasting"), ("70", "fasting"),
              ("180", "after"), ("181", "after"), ("250", "after"), ("251", None)]
    cut_mmol = [("2.9", "casual"), ("3.0", "before"), ("3.9", "fasting"), ("10.0", "after"),
                ("13.9", "after"), ("14.0", "bedtime")]
    for i, (value, ctx) in enumerate(cut_mg):
        day = first_day + dt.timedelta(days=1 + i * 2 % n_days)
        ex.add("glucose", local(day, 15, 5 + i), value=value, unit="mg/dL", meal=ctx)
    for i, (value, ctx) in enumerate(cut_mmol):
        day = first_day + dt.timedelta(days=2 + i * 2 % n_days)
        ex.add("glucose", local(day, 16, 10 + i), value=value, unit="mmol/L", meal=ctx)
    # Control solution: would be very_low / very_high if counted.
    ex.add("glucose", local(first_day + dt.timedelta(days=3), 11, 0), value="40", unit="mg/dL",
           flags="control-solution")
    ex.add("glucose", local(first_day + dt.timedelta(days=8), 11, 30), value="17.8",
           unit="mmol/L", flags="control-solution;status:low-battery")
    # Either side of local midnight (00:30 CET/CEST is the previous UTC day).
    night = first_day + dt.timedelta(days=4)
    ex.add("glucose", local(night, 23, 58, 30), value="7.4", unit="mmol/L", meal="bedtime")
    ex.add("glucose", local(night + dt.timedelta(days=1), 0, 3), value="131", unit="mg/dL",
           meal="casual")
    ex.add("glucose", local(night + dt.timedelta(days=1), 0, 30), value="6.9", unit="mmol/L")
    night = first_day + dt.timedelta(days=11)  # after the DST change by default
    ex.add("glucose", local(night, 23, 59, 59), value="8.1", unit="mmol/L", meal="bedtime")
    ex.add("glucose", local(night + dt.timedelta(days=1), 0, 0, 0), value="142", unit="mg/dL",
           meal="casual")
    # Exactly on the period bounds.
    ex.add("glucose", period_from, value="5.80", unit="mmol/L", meal="casual")
    ex.add("glucose", period_to, value="99", unit="mg/dL", meal="casual")


def blood_pressure(ex, rng, last_day):
    week = [last_day - dt.timedelta(days=6 - i) for i in range(7)]
    first = week[0]
    ex.add("bp", local(first, 0, 40), unit="mm[Hg]", systolic="141", diastolic="91", pulse="77",
           source="manual")
    kpa_done = False
    no_pulse_done = False
    for i, day in enumerate(week):
        day_bias = 6 if i == 0 else 0  # day 1 higher, as the protocol expects
        sessions = [local(day, 7, rng.randint(5, 20)),
                    local(day, 21, 30) + dt.timedelta(minutes=rng.randint(0, 115))]
        for s, session in enumerate(sessions):
            for k in range(2):
                at = session + dt.timedelta(minutes=2 * k, seconds=rng.randint(0, 59))
                sys_ = int(round(rng.gauss(131 + day_bias + (3 if s == 0 else -2), 5)))
                dia = int(round(rng.gauss(82 + day_bias / 2 + (2 if s == 0 else -1), 4)))
                pulse = str(rng.randint(58, 80))
                fields = dict(unit="mm[Hg]", systolic=str(sys_), diastolic=str(dia), pulse=pulse)
                if i == 2 and s == 1 and k == 0 and not kpa_done:
                    fields.update(systolic=f"{sys_ * 0.133322387415:.1f}",
                                  diastolic=f"{dia * 0.133322387415:.1f}", unit="kPa")
                    kpa_done = True
                elif i == 4 and s == 0 and k == 1 and not no_pulse_done:
                    del fields["pulse"]
                    no_pulse_done = True
                elif k == 0 and i % 2 == 1:
                    fields["mean_arterial"] = str(int(round(dia + (sys_ - dia) / 3)))
                if i == 3 and s == 1 and k == 1:
                    fields["flags"] = "status:cuff-loose"
                ex.add("bp", at, quality="device-synced", **fields)
    # Boundary times of day: 04:00 is morning, 12:00 is not, 16:00 and 23:59:30 are evening.
    ex.add("bp", local(week[5], 4, 0, 0), unit="mm[Hg]", systolic="128", diastolic="79",
           pulse="61", source="manual")
    ex.add("bp", local(week[3], 12, 0, 0), unit="mm[Hg]", systolic="139", diastolic="86",
           pulse="72", source="manual")
    ex.add("bp", local(week[4], 16, 0, 0), unit="mm[Hg]", systolic="122", diastolic="78",
           pulse="66", source="manual")
    ex.add("bp", local(week[2], 23, 59, 30), unit="mm[Hg]", systolic="135", diastolic="84",
           pulse="70", source="manual")


def others(ex, rng, first_day, last_day):
    n_days = (last_day - first_day).days + 1
    kg = 84.2
    for d in range(n_days):
        day = first_day + dt.timedelta(days=d)
        kg -= 0.06
        at = local(day, 6, 45, rng.randint(0, 59))
        if d == 6:
            ex.add("weight", at, value=f"{(kg + rng.gauss(0, 0.3)) / 0.45359237:.1f}",
                   unit="[lb_av]")
        elif d != 9:
            ex.add("weight", at, value=f"{kg + rng.gauss(0, 0.3):.1f}", unit="kg")
    temps = ["36.6", "36.8", "37.1", "38.2", "38.4", "37.6", "36.9", "36.7"]
    for i, v in enumerate(temps):
        ex.add("temperature", local(first_day + dt.timedelta(days=3 + i // 2), 8 + 10 * (i % 2), 15),
               value=v, unit="Cel")
    ex.add("temperature", local(first_day + dt.timedelta(days=8), 20, 0), value="99.1",
           unit="[degF]")
    spo2 = ["97", "98", "96", "95", "89", "88", "90", "93", "94", "97", "99", "85"]
    for i, v in enumerate(spo2):
        day = first_day + dt.timedelta(days=i % n_days)
        ex.add("spo2", local(day, 1 if i in (4, 5, 11) else 9, 20 + i), value=v, unit="%")
    for i in range(10):
        day = first_day + dt.timedelta(days=(i * 3) % n_days)
        ex.add("heart_rate", local(day, 17, 0 + i), value=str(rng.randint(55, 98)), unit="/min")
    ex.add("note", local(first_day + dt.timedelta(days=5), 14, 50),
           text="Sensor changed; new site on the left arm", source="manual")
    ex.add("medication", local(first_day + dt.timedelta(days=1), 8, 0), text="Metformin 500 mg",
           source="manual")
    ex.add("meal", local(first_day + dt.timedelta(days=1), 8, 5), value="45", unit="g",
           text="Porridge", source="manual")
    ex.add("body_fat", local(first_day + dt.timedelta(days=2), 6, 50), value="24.3", unit="%")
    # Another person: never in a report for "me".
    for i in range(6):
        day = first_day + dt.timedelta(days=2 * i)
        ex.add("glucose", local(day, 9, 0), person="anna", value=str(60 + 40 * i),
               unit="mg/dL", meal="before")
    ex.add("glucose", local(first_day + dt.timedelta(days=3), 9, 5), person="anna",
           value="300", unit="mg/dL", method="cgm")
    ex.add("bp", local(first_day + dt.timedelta(days=1), 8, 0), person="anna", unit="mm[Hg]",
           systolic="160", diastolic="100")
    ex.add("bp", local(first_day + dt.timedelta(days=2), 8, 0), person="anna", unit="mm[Hg]",
           systolic="150", diastolic="95")
    ex.add("weight", local(first_day, 7, 0), person="anna", value="61.0", unit="kg")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="start", default="2026-03-20", help="first local date")
    ap.add_argument("--to", dest="end", default="2026-04-06", help="local date after the last")
    ap.add_argument("--seed", type=int, default=20260329)
    args = ap.parse_args()
    first_day = dt.date.fromisoformat(args.start)
    last_day = dt.date.fromisoformat(args.end) - dt.timedelta(days=1)
    if (last_day - first_day).days < 13:
        sys.exit("the period must be at least 14 days")
    if not first_day <= dt.date(2026, 3, 29) <= last_day:
        print("warning: the period does not cross the DST change of 2026-03-29", file=sys.stderr)
    rng = random.Random(args.seed)
    ex = Export(rng)
    cgm(ex, rng, first_day, last_day)
    meter(ex, rng, first_day, last_day, local(first_day, 0),
          local(last_day + dt.timedelta(days=1), 0))
    blood_pressure(ex, rng, last_day)
    others(ex, rng, first_day, last_day)
    ex.write(sys.stdout)


if __name__ == "__main__":
    main()
