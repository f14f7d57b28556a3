"""Render the benchmark results as the book's performance page and as a console table."""

from __future__ import annotations

PARTS = ("book", "tests", "widgets", "library")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _s(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.2g} s"


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.3g} ms"


def _met(flag: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[flag]


def sections(r: dict) -> list[str]:
    out: list[str] = []
    machine = r.get("machine", {})
    out += ["## The machine", ""]
    out += _table(["", ""], [[k, v] for k, v in machine.items()])
    total = sum(r[p].get("bench_seconds", 0.0) for p in PARTS if p in r)
    out += ["", f"`make bench` took {total / 60:.1f} min for the parts below "
            "(each part's date is in its heading)."]

    if "book" in r:
        b = r["book"]
        nbs = b["notebooks"]
        out += ["", f"## Book build (measured {b['measured']})", ""]
        out += _table(["build", "wall time", "peak memory (process tree)"], [
            [f"clean `make book`: execute {len(nbs)} notebooks, write HTML",
             _s(b["clean"]["seconds"]), f"{b['clean']['peak_rss_mb']:.0f} MB"],
            ["rebuild after touching one notebook (execution cache)",
             _s(b["rebuild"]["seconds"]), f"{b['rebuild']['peak_rss_mb']:.0f} MB"],
        ])
        slow = sorted(nbs.items(), key=lambda kv: -kv[1])[:10]
        out += ["", f"The ten slowest notebooks (of {len(nbs)}; all together "
                f"{_s(sum(nbs.values()))} of execution):", ""]
        out += _table(["notebook", "execution"], [[f"`{k}`", _s(v)] for k, v in slow])

    if "tests" in r:
        t = r["tests"]
        split = t["split"]
        out += ["", f"## `make test` (measured {t['measured']})", ""]
        rows = [["ruff", "—", _s(t["lint"]["seconds"])]]
        if "book" in r:
            rows.append(["`-W` book build (the clean build above)", "—",
                         _s(r["book"]["clean"]["seconds"])])
        rows.append(["pytest, 2 workers: wall time",
                     str(sum(n for n, _ in split.values())), _s(t["pytest"]["seconds"])])
        for name, label in (("unit", "unit tests"), ("nbval", "strict nbval (one test per cell)"),
                            ("browser", "browser test (headless Chromium)")):
            n, seconds = split[name]
            rows.append([f"  of which {label}: summed test time", str(n), _s(seconds)])
        out += _table(["part", "tests", "time"], rows)
        out += ["", "The summed times of the two pytest workers add up to about twice the "
                "pytest wall time."]
        if not t["browser_ran"]:
            out += ["", "The browser test did not run on this machine (no Chromium)."]

    if "widgets" in r:
        w = r["widgets"]
        out += ["", f"## Widget latency (measured {w['measured']})", "",
                "One update = set a control's value from Python until the new PNG is in "
                "the widget, over 50 values per control. Target: median < 50 ms, "
                "95th percentile < 150 ms.", ""]
        out += _table(["widget", "control", "median", "p95", "on target"], [
            [f"`{row['builder']}`", row["control"], f"{row['median_ms']:.0f} ms",
             f"{row['p95_ms']:.0f} ms",
             _met(row["median_ms"] < 50 and row["p95_ms"] < 150)
             + (f" ({row['errors']} errors)" if row["errors"] else "")]
            for row in w["rows"]])

    if "library" in r:
        lib = r["library"]
        out += ["", f"## notes_lib against reference libraries (measured {lib['measured']})",
                "", "Same data, same process, median of repeats after a warm-up; each "
                "comparison first asserts that both sides agree. Ratio = notes_lib / "
                "reference (below 1: notes_lib is faster).", ""]
        out += _table(["computation", "size", "reference", "notes_lib", "reference time",
                       "ratio", "target", "on target"], [
            [row["name"], row["size"], row["reference"], _time(row["ours_s"]),
             _time(row["reference_s"]),
             "—" if row["ratio"] is None else f"{row['ratio']:.2f}",
             "—" if row["target"] is None else f"≤ {row['target']:g}",
             _met(None if row["ratio"] is None or row["target"] is None
                  else row["ratio"] <= row["target"])]
            for row in lib["rows"]])
        notes = [f"- **{row['name']}**: {row['note']}" for row in lib["rows"] if row["note"]]
        if notes:
            out += ["", *notes]
    return out


def render(r: dict) -> str:
    head = ["(performance)=", "# Performance", "",
            "How long the book takes to build and test, how fast its widgets answer, and "
            "how `notes_lib` compares with the reference libraries it is checked against. "
            "This page is written by `make bench` (`benchmarks/`); the numbers are not "
            "edited by hand, and they are measurements of one machine, not tests: "
            "`make test` never fails because a machine is slow.", ""]
    return "\n".join(head + sections(r)) + "\n"


def render_console(r: dict) -> str:
    return "\n".join(sections(r))
