"""Times the access review of a large export from Python (best of N runs).

    python bench_audit.py USERS.json DIRECTORY.json [--runs 3] [--now 2026-11-22]

Prints, each the best of N runs:
- ``audit_export(path)``: file path in, Report out — read, parse and audit in Rust without the
  GIL, then the Report's JSON text to a dict;
- ``read_export(path)``: the users as Python dicts (the JSON to dict path);
- ``audit(users)``: the users dicts back to the engine (json.dumps, parse, audit, Report).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any, Callable, List

import adaccess


def best(runs: int, f: Callable[[], Any]) -> "tuple[float, Any]":
    times: List[float] = []
    result: Any = None
    for _ in range(runs):
        result = None  # free the previous result outside the timed call
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("users", type=Path)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--now", default="2026-11-22")
    args = parser.parse_args()

    directory = json.loads(args.directory.read_text())
    t, engine = best(1, lambda: adaccess.Engine.builtin("dv360", directory))
    size = args.users.stat().st_size / 1e6
    print(f"adaccess {adaccess.__version__}, {args.users.name} ({size:.1f} MB), best of {args.runs}")
    print(f"  Engine.builtin('dv360', directory)   {t * 1000:8.1f} ms")

    t, report = best(args.runs, lambda: engine.audit_export(args.users, now=args.now))
    print(f"  audit_export(path)                   {t * 1000:8.1f} ms"
          f"  ({report['users']} users, {len(report['findings'])} findings)")

    inner = engine._inner
    options = json.dumps({"now": args.now})
    t, text = best(args.runs, lambda: inner.audit_export(str(args.users), options))
    print(f"    of which in Rust (GIL released)    {t * 1000:8.1f} ms  (Report JSON {len(text) / 1e6:.1f} MB)")
    t, _ = best(args.runs, lambda: adaccess._loads(text))
    print(f"    of which Report JSON -> dict       {t * 1000:8.1f} ms")

    t, export = best(args.runs, lambda: engine.read_export(args.users))
    users = export["users"]
    print(f"  read_export(path) -> dicts           {t * 1000:8.1f} ms  ({len(users)} users)")
    t, text = best(args.runs, lambda: inner.read_export(str(args.users)))
    print(f"    of which in Rust (GIL released)    {t * 1000:8.1f} ms  (users JSON {len(text) / 1e6:.1f} MB)")
    t, _ = best(args.runs, lambda: adaccess._loads(text))
    print(f"    of which users JSON -> dicts       {t * 1000:8.1f} ms")
    del text

    t, report2 = best(args.runs, lambda: engine.audit(users, now=args.now))
    print(f"  audit(users dicts) -> Report         {t * 1000:8.1f} ms")
    t, _ = best(args.runs, lambda: adaccess._dumps(users, "users"))
    print(f"    of which users dicts -> JSON       {t * 1000:8.1f} ms")
    assert report2 == report, "audit(read_export(...)) differs from audit_export(...)"


if __name__ == "__main__":
    main()
