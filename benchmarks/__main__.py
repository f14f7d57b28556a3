"""``python -m benchmarks [--only PART ...]``: measure, print, regenerate performance.md.

Parts: book (clean build, rebuild, per-notebook execution), tests (make test's commands),
widgets (update latency), library (notes_lib against references). Results are kept in
``benchmarks/results.json`` so that ``--only`` re-measures some parts and keeps the rest;
``performance.md`` is always rendered from that file.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
import time
from pathlib import Path

from . import _timing
from .report import render, render_console

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("results.json")
PAGE = ROOT / "performance.md"
PARTS = ("book", "tests", "widgets", "library")


def _run(a: object) -> dict:
    return {"seconds": a.seconds, "peak_rss_mb": a.peak_rss_mb}


def measure(part: str, library_names: list[str] | None,
            widget_names: list[str] | None = None) -> dict:
    if part == "book":
        from . import build

        times = build.book()
        return {"clean": _run(times.clean), "rebuild": _run(times.rebuild),
                "notebooks": times.notebooks}
    if part == "tests":
        from . import build

        times = build.tests()
        return {"lint": _run(times.lint), "pytest": _run(times.pytest),
                "split": times.split, "browser_ran": times.browser_ran}
    if part == "widgets":
        from . import widgets

        return {"rows": [dataclasses.asdict(r) for r in widgets.run(widget_names)]}
    if part == "library":
        from . import library

        rows = []
        for c in library.run(library_names):
            rows.append({**dataclasses.asdict(c), "ratio": c.ratio})
            print(f"  {c.name}: ours {c.ours_s:.4g} s, reference {c.reference_s} s",
                  file=sys.stderr)
        return {"rows": rows}
    raise ValueError(f"unknown part {part!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--library", nargs="+", metavar="NAME",
                        help="only these library comparisons (with --only library)")
    parser.add_argument("--widget", nargs="+", metavar="BUILDER",
                        help="only these widget builders (with --only widgets)")
    parser.add_argument("--no-save", action="store_true",
                        help="print only; leave results.json and performance.md alone")
    args = parser.parse_args(argv)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = _timing.machine()
    if not PAGE.exists():  # the book lists the page: it must exist before the build is timed
        PAGE.write_text(render(results))
    for part in PARTS:  # the book before the tests: the tests read the built pages
        if part in args.only:
            print(f"measuring {part} ...", file=sys.stderr, flush=True)
            start = time.perf_counter()
            previous = results.get(part, {})
            results[part] = measure(part, args.library, args.widget)
            if part == "widgets" and args.widget:  # keep the rows of the other builders
                kept = [r for r in previous.get("rows", []) if r["builder"] not in args.widget]
                results[part]["rows"] = sorted(kept + results[part]["rows"],
                                               key=lambda r: r["builder"])
            results[part]["measured"] = datetime.date.today().isoformat()
            results[part]["bench_seconds"] = time.perf_counter() - start
    print(render_console(results))
    if not args.no_save:
        RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        PAGE.write_text(render(results))
        print(f"\nwrote {PAGE.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
