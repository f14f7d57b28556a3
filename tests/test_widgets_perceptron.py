"""The perceptron stepping widget and its static frames."""

import numpy as np
import pytest

from notes_lib import widgets
from notes_lib.plotting import draw_perceptron_step, new_figure
from tests._figures import shown_title


def test_moving_the_step_changes_the_image_and_the_line():
    w = widgets.perceptron_widget()
    first = w.image.value
    assert w.controls["step"].max == 7
    w.controls["step"].value = 7
    assert w.image.value != first
    assert w.error.value == ""
    (line,) = [ln for ln in w.ax.lines if ln.get_label() == "$w^Tx+b=0$"]
    x, y = line.get_data()
    np.testing.assert_allclose(x + y, 3.0)  # final line x1 + x2 - 3 = 0
    assert "b = -3" in shown_title(w.ax)


def test_static_frames_one_per_update_with_alt():
    s = widgets.perceptron_static()
    assert len(s.frames) == 8 <= 20
    assert s.alts[(3,)].startswith("Li Hang's three examples") and "after 3 updates" in s.alts[(3,)]
    html = s._repr_html_()
    assert html.count("<img") == 8 and html == widgets.perceptron_static()._repr_html_()


def test_draw_perceptron_step_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="step must be <= 7"):
        draw_perceptron_step(ax, 8)
    with pytest.raises(ValueError, match="X must have 2 columns"):
        draw_perceptron_step(ax, 0, X=np.zeros((2, 3)), y=[1, -1])
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_perceptron_step(None, 0)
