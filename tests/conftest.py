"""Test-wide settings.

Hypothesis runs derandomised (the same examples on every run, so CI is
reproducible) and without per-example deadlines (a loaded 2-core machine must not
turn a slow example into a failure: speed is measured by the benchmarks, not by
tests).
"""

from hypothesis import settings

settings.register_profile("book", deadline=None, derandomize=True, database=None)
settings.load_profile("book")
