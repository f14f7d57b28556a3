"""Benchmarks of the book: build and test times, widget latency, and notes_lib against
reference libraries. Run with ``make bench`` (``python -m benchmarks``); it prints the
tables and regenerates ``performance.md``. Nothing here is a test: a slow machine
makes slower numbers, never a failure."""
