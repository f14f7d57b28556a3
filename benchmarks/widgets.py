"""Latency of one widget update: set a control's value from Python and wait until the
figure has been redrawn and re-encoded (the observers run synchronously, so the setter
returns when the new PNG is in ``image.value``)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

import ipywidgets
import numpy as np

from notes_lib import widgets

N_VALUES = 50


@dataclass
class WidgetLatency:
    builder: str
    control: str
    median_ms: float
    p95_ms: float
    errors: int

    @property
    def on_target(self) -> bool:
        return self.median_ms < 50.0 and self.p95_ms < 150.0


def builders() -> list[str]:
    """Every live-widget builder exported by :mod:`notes_lib.widgets`."""
    return sorted(name for name in widgets.__all__ if name.endswith("_widget"))


def _values(control: ipywidgets.ValueWidget, n: int = N_VALUES) -> list[object]:
    """``n`` values for ``control``, each different from the one before."""
    if isinstance(control, ipywidgets.widgets.widget_selection._Selection):
        options = [v for _, v in control._options_full] if hasattr(
            control, "_options_full") else list(control.options)
        distinct = options
    elif isinstance(control, ipywidgets.IntSlider | ipywidgets.IntText):
        lo, hi, step = control.min, control.max, control.step
        distinct = list(range(lo, hi + 1, step))
    elif isinstance(control, ipywidgets.FloatSlider | ipywidgets.FloatLogSlider):
        if isinstance(control, ipywidgets.FloatLogSlider):
            grid = np.arange(control.min, control.max + control.step / 2, control.step)
            distinct = list(control.base ** grid)
        else:
            grid = np.arange(control.min, control.max + control.step / 2, control.step)
            distinct = [float(v) for v in grid]
    elif isinstance(control, ipywidgets.Checkbox | ipywidgets.ToggleButton):
        distinct = [True, False]
    else:
        raise TypeError(f"no value generator for {type(control).__name__}")
    if len(distinct) < 2:
        raise ValueError("control has a single value")
    # Spread n values over the range, then break any run of equal neighbours.
    idx = np.linspace(0, len(distinct) - 1, n).round().astype(int)
    idx = [int(i) for i in idx]
    for k in range(1, n):
        if idx[k] == idx[k - 1]:
            idx[k] = (idx[k] + 1) % len(distinct)
    start = distinct.index(control.value) if control.value in distinct else -1
    if idx[0] == start:
        idx[0] = (idx[0] + 1) % len(distinct)
    return [distinct[i] for i in idx]


def measure(name: str) -> list[WidgetLatency]:
    """One row per control of the widget built by ``notes_lib.widgets.<name>()``."""
    rows = []
    for control_name in getattr(widgets, name)().controls:
        w = getattr(widgets, name)()  # a fresh widget per control: defaults elsewhere
        control = w.controls[control_name]
        times, errors = [], 0
        for value in _values(control):
            start = time.perf_counter()
            control.value = value
            times.append(time.perf_counter() - start)
            errors += w.error.value != ""
        ms = np.array(times) * 1e3
        rows.append(WidgetLatency(name, control_name, float(np.median(ms)),
                                  float(np.percentile(ms, 95)), errors))
    return rows


def run(names: list[str] | None = None) -> list[WidgetLatency]:
    """Rows for the builders ``names`` (default: all), printed as they are measured."""
    unknown = set(names or []) - set(builders())
    if unknown:
        raise ValueError(f"not widget builders of notes_lib.widgets: {sorted(unknown)}")
    rows = []
    for name in names or builders():
        for row in measure(name):
            print(f"  {row.builder} {row.control}: median {row.median_ms:.1f} ms, "
                  f"p95 {row.p95_ms:.1f} ms", file=sys.stderr, flush=True)
            rows.append(row)
    return rows
