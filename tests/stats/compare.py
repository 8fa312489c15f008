#!/usr/bin/env python3
"""Check `vitalog stats --json` against the independent Python implementation.

    python3 compare.py --vitalog PATH/TO/vitalog [--keep]

Creates a journal in a temporary data directory (VITALOG_DATA_DIR, VITALOG_PASSPHRASE), imports
the fixture from make_fixture.py, then for each case runs `vitalog stats ... --json` and
independent.py on the same fixture and compares the two JSON trees:

- every key independent.py emits must be in vitalog's output (vitalog may add keys; keys of
  independent.py starting with "_" are diagnosis aids and are skipped), except that a kind or
  glucose block vitalog emits where independent.py has none is a difference (a kind with no
  readings is left out);
- numbers equal within 1e-6 relative or 1e-9 absolute; booleans, nulls and strings exactly;
  lists of the same length, compared item by item.

Prints "ok CASE" or "FAIL CASE" with the differing paths and both values, then
"N passed, M failed"; exits 1 on any failure (2 when the journal cannot be set up).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PASSPHRASE = "correct horse battery staple"
ZONE = "Europe/Berlin"
FIXTURE_FROM, FIXTURE_TO = "2026-03-20", "2026-04-06"

# (name, from, to, extra arguments for both implementations)
CASES = [
    ("full 2026-03-20..2026-04-06", "2026-03-20", "2026-04-06", []),
    ("14 days across DST 2026-03-22..2026-04-05", "2026-03-22", "2026-04-05", []),
    ("1 day, the DST day 2026-03-29", "2026-03-29", "2026-03-30", []),
    ("1 day in the BP week 2026-04-02", "2026-04-02", "2026-04-03", []),
    ("empty 2026-05-01..2026-05-08", "2026-05-01", "2026-05-08", []),
    ("full --unit mmol/L", "2026-03-20", "2026-04-06", ["--unit", "mmol/L"]),
    ("full --unit mg/dL", "2026-03-20", "2026-04-06", ["--unit", "mg/dL"]),
    ("RFC 3339 bounds", "2026-03-24T06:30:00+01:00", "2026-03-26T18:00:00Z", []),
    ("full --person anna", "2026-03-20", "2026-04-06", ["--person", "anna"]),
]

# Blocks that must be absent when the period has no readings of that kind.
KIND_BLOCKS = {
    (): {"glucose", "blood_pressure", "weight", "temperature", "spo2", "heart_rate"},
    ("glucose",): {"cgm", "meter"},
}

REL_TOL, ABS_TOL = 1e-6, 1e-9
MAX_LINES = 40


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def compare(rust, ref, path=(), out=None):
    """Differences between vitalog's tree and independent.py's, as (path, vitalog, independent)."""
    out = [] if out is None else out
    where = "/".join(str(p) for p in path) or "(root)"
    if isinstance(ref, dict):
        if not isinstance(rust, dict):
            out.append((where, rust, "an object"))
            return out
        for key, value in ref.items():
            if key.startswith("_"):
                continue
            if key not in rust:
                out.append((f"{where}/{key}", "(absent)", value))
            else:
                compare(rust[key], value, path + (key,), out)
        for key in KIND_BLOCKS.get(path, ()):
            if key in rust and key not in ref:
                out.append((f"{where}/{key}", rust[key], "(absent)"))
    elif isinstance(ref, list):
        if not isinstance(rust, list) or len(rust) != len(ref):
            size = len(rust) if isinstance(rust, list) else type(rust).__name__
            out.append((where, f"list of {size}", f"list of {len(ref)}"))
            return out
        for i, (a, b) in enumerate(zip(rust, ref)):
            compare(a, b, path + (i,), out)
    elif is_number(ref):
        if not is_number(rust):
            out.append((where, rust, ref))
        else:
            diff = abs(rust - ref)
            if not (diff <= ABS_TOL or diff <= REL_TOL * max(abs(rust), abs(ref))):
                out.append((where, rust, ref))
    elif ref is None or isinstance(ref, (bool, str)):
        if type(rust) is not type(ref) or rust != ref:
            out.append((where, rust, ref))
    else:
        raise TypeError(f"unexpected JSON value at {where}: {ref!r}")
    return out


def short(value):
    text = json.dumps(value)
    return text if len(text) <= 120 else text[:117] + "..."


def run(cmd, env, what):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr.strip()}"
        )
    return proc.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vitalog", required=True, help="path to the vitalog binary")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    vitalog = os.path.abspath(args.vitalog)

    tmp = tempfile.mkdtemp(prefix="vitalog-stats-")
    data_dir = os.path.join(tmp, "data")
    os.mkdir(data_dir)
    fixture = os.path.join(tmp, "fixture.jsonl")
    env = dict(os.environ, VITALOG_DATA_DIR=data_dir, VITALOG_PASSPHRASE=PASSPHRASE)
    python = sys.executable or "python3"

    passed = failed = 0
    try:
        try:
            with open(fixture, "w", encoding="utf-8") as f:
                f.write(run([python, os.path.join(HERE, "make_fixture.py"),
                             "--from", FIXTURE_FROM, "--to", FIXTURE_TO], env, "make_fixture.py"))
            run([vitalog, "init"], env, "vitalog init")
            run([vitalog, "import", fixture], env, "vitalog import")
        except (RuntimeError, OSError) as e:
            print(f"setup failed: {e}")
            print(f"0 passed, {len(CASES)} failed")
            return 2
        for name, start, end, extra in CASES:
            bounds = ["--from", start, "--to", end, "--tz", ZONE]
            try:
                ref = json.loads(run([python, os.path.join(HERE, "independent.py"), fixture]
                                     + bounds + extra, env, "independent.py"))
                rust = json.loads(run([vitalog, "stats"] + bounds + extra + ["--json"], env,
                                      "vitalog stats"))
                diffs = compare(rust, ref)
            except (RuntimeError, OSError, ValueError) as e:
                diffs = [("(run)", str(e), "")]
            if not diffs:
                passed += 1
                print(f"ok {name}")
                continue
            failed += 1
            print(f"FAIL {name}: {len(diffs)} difference(s)")
            for where, a, b in diffs[:MAX_LINES]:
                if where == "(run)":
                    print("  " + a.replace("\n", "\n  "))
                else:
                    print(f"  {where}: vitalog={short(a)} independent={short(b)}")
            if len(diffs) > MAX_LINES:
                print(f"  ... and {len(diffs) - MAX_LINES} more")
    finally:
        if args.keep:
            print(f"(kept {tmp})", file=sys.stderr)
        else:
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
