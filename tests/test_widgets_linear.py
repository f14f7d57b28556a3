"""The LMS (section 2.2) and gradient-descent-path (section 2.8) widgets and static frames."""

import numpy as np
import pytest

from notes_lib.plotting import new_figure
from notes_lib.plotting.linear import GD_EXAMPLE_A, draw_gd_path, draw_lms_fit
from notes_lib.widgets.linear import (
    GD_STATIC_ETAS,
    GD_STATIC_STEPS,
    LMS_STATIC_ETAS,
    LMS_STATIC_ITERS,
    gd_path_static,
    gd_path_widget,
    lms_static,
    lms_widget,
)
from tests._figures import shown_title


def test_lms_widget_controls_change_the_image_and_divergence_is_marked():
    w = lms_widget(eta=0.1, n_iter=20)
    first = w.image.value
    w.controls["n_iter"].value = 200
    assert w.image.value != first and w.error.value == ""
    assert "stable" in shown_title(w.ax)
    second = w.image.value
    w.controls["eta"].value = 0.6  # above 2 / lambda_max ~ 0.469: diverges
    assert w.image.value != second and w.error.value == ""
    assert "diverges" in shown_title(w.ax)
    (loss_panel,) = [a for a in w.ax.figure.axes if a is not w.ax]
    assert loss_panel.get_yscale() == "log"
    assert any("diverged" in t.get_text() for t in loss_panel.texts)
    assert len(w.ax.figure.axes) == 2  # redrawing does not pile up panels


def test_gd_path_widget_states():
    w = gd_path_widget(eta=0.1, n_steps=20)
    assert shown_title(w.ax).split("\n")[0].endswith("converges")
    first = w.image.value
    w.controls["eta"].value = 0.5
    assert "oscillates" in shown_title(w.ax) and w.image.value != first
    w.controls["eta"].value = 0.62
    assert "diverges" in shown_title(w.ax) and w.error.value == ""
    path = next(ln for ln in w.ax.lines if "steps of GD" in ln.get_label())
    assert np.all(np.isfinite(path.get_xydata()))


def test_static_grids_are_small_and_hold_the_initial_frame():
    assert len(LMS_STATIC_ETAS) * len(LMS_STATIC_ITERS) <= 40
    assert len(GD_STATIC_ETAS) * len(GD_STATIC_STEPS) <= 40
    assert 0.3 in LMS_STATIC_ETAS and 40 in LMS_STATIC_ITERS
    assert 0.15 in GD_STATIC_ETAS and 10 in GD_STATIC_STEPS
    # the grids show a diverging learning rate on each figure
    assert max(LMS_STATIC_ETAS) > 0.47 and max(GD_STATIC_ETAS) > 2 / (2 + np.sqrt(2))


def test_static_frames_have_alt_text_and_are_deterministic():
    s = lms_static(etas=[0.3, 0.5], n_iters=[40])  # a small grid keeps the test fast
    assert len(s.frames) == 2
    assert all("learning rate" in a for a in s.alts.values())
    assert "after 40 updates" in s.alts[(0.3, 40)]
    assert s.frames[(0.3, 40)] != s.frames[(0.5, 40)]
    g = gd_path_static(etas=[0.15], n_steps=[10, 20])
    assert "20 gradient-descent steps" in g.alts[(0.15, 20)]
    assert g._repr_html_() == gd_path_static(etas=[0.15], n_steps=[10, 20])._repr_html_()


def test_draw_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="eta must be > 0"):
        draw_lms_fit(ax, eta=0.0)
    with pytest.raises(ValueError, match="n_iter must be >= 1"):
        draw_lms_fit(ax, n_iter=0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_gd_path(None)
    with pytest.raises(ValueError, match="A must be positive definite"):
        draw_gd_path(ax, A=np.diag([1.0, 0.0]))
    with pytest.raises(ValueError, match="theta0 must have shape"):
        draw_gd_path(ax, theta0=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="n_steps must be <= 500"):
        draw_gd_path(ax, n_steps=501)
    draw_gd_path(ax, A=GD_EXAMPLE_A, theta0=[1.0, 1.0])  # explicit defaults work
