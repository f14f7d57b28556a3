"""The book build and the test suite, timed as a reader or CI runs them.

``make bench`` deletes ``_build`` first: the book build it times is ``make html`` as on a
fresh clone after ``pip install`` (notebook execution on every core + HTML), then a rebuild
after touching one notebook (Sphinx re-reads it, the execution cache answers). The test run
is ``make suite`` (make test's pytest step) with a JUnit report, whose per-test times split the
run into unit tests, strict nbval and the browser test.
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from ._timing import Run, run_command

ROOT = Path(__file__).resolve().parent.parent
MAKE = shutil.which("make") or "make"
# `make book` is `make html` plus a message: notebooks executed in parallel into the
# execution cache, then the -W jupyter-book build.
BUILD_CMD = [MAKE, "--no-print-directory", "html"]
TOUCHED = ROOT / "chapters" / "01_foundations" / "01_taylor.ipynb"


@dataclass
class BookTimes:
    clean: Run
    rebuild: Run
    notebooks: dict[str, float] = field(default_factory=dict)  # path -> execution seconds


@dataclass
class TestTimes:
    lint: Run
    pytest: Run
    split: dict[str, tuple[int, float]]  # category -> (number of tests, summed seconds)
    browser_ran: bool


def _check(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {run.returncode}):\n{run.output[-4000:]}")
    return run


def execution_times() -> dict[str, float]:
    """Execution seconds of each notebook, from the build's jupyter-cache records."""
    from jupyter_cache import get_cache

    cache = get_cache(str(ROOT / "_build" / ".jupyter_cache"))
    latest: dict[str, tuple[object, float]] = {}
    for record in cache.list_cache_records():
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        uri = str(Path(record.uri).relative_to(ROOT))
        if uri not in latest or record.created > latest[uri][0]:
            latest[uri] = (record.created, float(seconds))
    return {uri: seconds for uri, (_, seconds) in latest.items()}


def book() -> BookTimes:
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    clean = _check(run_command(BUILD_CMD, cwd=str(ROOT)), "the clean book build")
    TOUCHED.touch()
    rebuild = _check(run_command(BUILD_CMD, cwd=str(ROOT)), "the rebuild")
    return BookTimes(clean, rebuild, execution_times())


def _category(case: ET.Element) -> str:
    classname = case.get("classname", "") + " " + case.get("file", "")
    if "test_browser" in classname:
        return "browser"
    if classname.startswith("chapters") or ".ipynb" in classname or "chapters." in classname:
        return "nbval"
    return "unit"


def tests() -> TestTimes:
    """``make lint``, then ``make suite``, make test's pytest step (needs the book built by
    :func:`book`)."""
    lint = _check(run_command([MAKE, "--no-print-directory", "lint"], cwd=str(ROOT)), "make lint")
    report = ROOT / "_build" / "bench-junit.xml"
    env = {**os.environ, "CI": os.environ.get("CI", "")}
    # make test's pytest step (`make suite`), with a JUnit report for the split below
    run = _check(run_command([MAKE, "--no-print-directory", "suite",
                              f"PYTEST_ARGS=--junitxml={report} -p no:cacheprovider"],
                             cwd=str(ROOT), env=env), "make suite")
    split: dict[str, list[float]] = {"unit": [], "nbval": [], "browser": []}
    for case in ET.parse(report).getroot().iter("testcase"):
        skipped = case.find("skipped") is not None
        if not skipped:
            split[_category(case)].append(float(case.get("time", 0.0)))
    return TestTimes(lint, run, {k: (len(v), sum(v)) for k, v in split.items()},
                     browser_ran=bool(split["browser"]))
