"""The logistic-regression training widget and its static frames."""

import numpy as np
import pytest

from notes_lib.logistic import LogisticRegression
from notes_lib.plotting import new_figure
from notes_lib.plotting.logistic import (
    LOGISTIC_EXAMPLE_X,
    LOGISTIC_EXAMPLE_Y,
    draw_logistic_boundary,
    draw_logistic_training,
)
from notes_lib.widgets.logistic import logistic_static, logistic_widget
from tests._figures import shown_title


def _boundary(ax):
    """Points of the drawn P = 0.5 line (the level lines are straight: drawn as lines)."""
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "P=0.5"]
    return line.get_xydata()




def test_moving_the_controls_changes_the_image_and_the_boundary():
    w = logistic_widget(iteration=1)
    first = w.image.value
    before = _boundary(w.ax)
    w.controls["iteration"].value = 500
    assert w.image.value != first and w.error.value == ""
    after = _boundary(w.ax)
    assert not np.allclose(before[:2], after[:2])
    # after 500 steps with alpha = 1 the boundary is close to the MLE: w.x + b = 0 on it
    mle = LogisticRegression().fit(LOGISTIC_EXAMPLE_X, LOGISTIC_EXAMPLE_Y)
    z = after @ mle.coef_ + mle.intercept_
    assert np.max(np.abs(z)) < 0.05 * np.linalg.norm(mle.coef_)
    assert "iteration 500" in shown_title(w.ax)
    image = w.image.value
    w.controls["learning_rate"].value = 0.1
    assert w.image.value != image and "0.1" in shown_title(w.ax)


def test_static_frames_with_alt():
    s = logistic_static()
    assert len(s.frames) == 30 <= 40
    alt = s.alts[(20, 5.0)]
    assert "after 20 gradient-descent iterations with learning rate 5.0" in alt
    html = s._repr_html_()
    assert html.count("<img") == 30 and 'id="static-logistic-training"' in html


def test_draw_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="iteration must be <= 500"):
        draw_logistic_training(ax, 501)
    with pytest.raises(ValueError, match="learning_rate must be in"):
        draw_logistic_training(ax, 0, learning_rate=0.0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_logistic_training(None)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        draw_logistic_boundary(ax, np.zeros((2, 3)), [0, 1], [1.0, 1.0], 0.0)
    with pytest.raises(ValueError, match="coef must have 2 entries"):
        draw_logistic_boundary(ax, np.zeros((2, 2)), [0, 1], [1.0], 0.0)
    with pytest.raises(ValueError, match="y must contain only the labels 0 and 1"):
        draw_logistic_boundary(ax, np.zeros((2, 2)), [-1, 1], [1.0, 1.0], 0.0)


def test_bad_control_value_shows_an_error_not_an_exception():
    w = logistic_widget()
    w.controls["iteration"].max = 600
    w.controls["iteration"].value = 600
    assert "iteration must be &lt;= 500" in w.error.value
