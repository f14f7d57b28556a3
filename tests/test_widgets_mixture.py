"""The EM-stepping widget of section 2.9 and its static frames."""

import numpy as np
import pytest

from notes_lib.mixture import GaussianMixture
from notes_lib.plotting import new_figure
from notes_lib.plotting.mixture import (
    EM_EXAMPLE_ITERATIONS,
    draw_em_iteration,
    draw_gaussian_ellipse,
    draw_gmm_1d,
    draw_gmm_2d,
    em_example_data,
    em_example_history,
)
from notes_lib.widgets.mixture import EM_STATIC_ITERATIONS, em_static, em_widget
from tests._figures import shown_title


def test_moving_the_iteration_changes_the_image_and_the_ellipses():
    w = em_widget()
    first = w.image.value
    centres0 = [p.center for p in w.ax.patches]
    w.controls["iteration"].value = EM_EXAMPLE_ITERATIONS
    assert w.image.value != first and w.error.value == ""
    assert len(w.ax.patches) == 6                      # 1- and 2-sigma ellipse per component
    assert not np.allclose(centres0, [p.center for p in w.ax.patches])
    assert f"EM iteration {EM_EXAMPLE_ITERATIONS}" in shown_title(w.ax)


def test_history_is_the_estimator_run_from_the_same_initialisation():
    X, init = em_example_data()
    history = em_example_history()
    assert history is em_example_history()             # cached: an update only draws
    gm = GaussianMixture(3, max_iter=EM_EXAMPLE_ITERATIONS, tol=0.0, init=init)
    with pytest.warns(RuntimeWarning):
        gm.fit(X)
    np.testing.assert_allclose([h[4] for h in history[:-1]], gm.log_likelihood_history_,
                               rtol=1e-12)
    np.testing.assert_allclose(history[-1][1], gm.means_, rtol=1e-10)


def test_static_frames_have_alt_text():
    s = em_static()
    assert len(s.frames) == len(EM_STATIC_ITERATIONS) <= 40
    assert "after 5 EM iterations" in s.alts[(5,)]
    html = s._repr_html_()
    assert html.count("<img") == len(EM_STATIC_ITERATIONS)


def test_drawing_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="iteration must be <="):
        draw_em_iteration(ax, EM_EXAMPLE_ITERATIONS + 1)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_em_iteration(None, 0)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        draw_gmm_2d(ax, np.zeros((4, 3)), [1.0], np.zeros((1, 2)), np.eye(2)[None])
    with pytest.raises(ValueError, match="resp must have shape"):
        draw_gmm_2d(ax, np.zeros((4, 2)), [1.0], np.zeros((1, 2)), np.eye(2)[None],
                    resp=np.ones((3, 1)))
    with pytest.raises(ValueError, match="mean and cov must be 2-D"):
        draw_gaussian_ellipse(ax, np.zeros(3), np.eye(3))
    with pytest.raises(ValueError, match="variances > 0"):
        draw_gmm_1d(ax, np.zeros(5), [1.0], [0.0], [0.0])
