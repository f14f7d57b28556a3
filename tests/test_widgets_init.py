"""The initialisation widget of section 3.7, driven from Python as a reader's clicks would."""

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from notes_lib import plotting, widgets
from notes_lib.nn.init import INITIALIZERS, forward_backward_variances
from tests._figures import shown_title


def _curves(ax):
    """The two variance curves drawn (the dotted reference line at 1 is not one)."""
    return [ln for ln in ax.lines if ln.get_linestyle() in ("-", "--")]


def test_init_widget_redraws_with_the_experiment_data():
    w = widgets.init_widget(depth=12, width=32)
    first = w.image.value
    assert Image.open(io.BytesIO(first)).size[0] > 100
    assert set(w.controls) == {"depth", "width", "init", "activation"}
    assert list(w.controls["init"].options) == list(INITIALIZERS)

    w.controls["init"].value = "normal"
    assert w.image.value != first
    w.controls["activation"].value = "tanh"
    w.controls["depth"].value = 20
    solid, dashed = _curves(w.ax)
    expected = forward_backward_variances(20, 32, "tanh", "normal", np.random.default_rng(0),
                                          batch=128)
    x, y = solid.get_data()
    np.testing.assert_array_equal(x, np.arange(1, 21))
    np.testing.assert_allclose(y, expected.a_var)
    np.testing.assert_allclose(dashed.get_data()[1], expected.delta_var)
    assert w.ax.get_yscale() == "log"
    assert "normal initialisation, tanh: 20 layers of width 32" in shown_title(w.ax)
    assert w.error.value == ""


@pytest.mark.parametrize("init", list(INITIALIZERS))
@pytest.mark.parametrize("activation", widgets.INIT_ACTIVATIONS)
def test_every_combination_draws_without_error(init, activation):
    fig, ax = plotting.new_figure()
    plotting.draw_init_variances(ax, depth=6, width=16, init=init, activation=activation,
                                 batch=8)
    assert len(_curves(ax)) == 2
    low, high = ax.get_ylim()
    assert 0 < low < high
    matplotlib.pyplot.close(fig)


def test_zero_initialisation_is_reported_not_hidden():
    w = widgets.init_widget(depth=10, width=16, init="zeros", activation="relu")
    assert "variance exactly 0" in shown_title(w.ax)
    assert w.error.value == ""


def test_invalid_values_are_reported_in_the_widget():
    w = widgets.init_widget(depth=5, width=16)
    w.controls["init"].options = [*INITIALIZERS, "orthogonal"]  # a choice the library lacks
    before = w.image.value  # (changing the options reset the value and redrew)
    w.controls["init"].value = "orthogonal"
    assert "init must be one of" in w.error.value
    assert w.image.value == before
    w.controls["init"].value = "xavier_normal"
    assert w.error.value == ""


def test_draw_init_variances_rejects_bad_arguments():
    _fig, ax = plotting.new_figure()
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plotting.draw_init_variances(None)
    with pytest.raises(ValueError, match="depth must be >= 1"):
        plotting.draw_init_variances(ax, depth=0)
    with pytest.raises(ValueError, match="activation must be one of"):
        plotting.draw_init_variances(ax, activation="swish")
    with pytest.raises(ValueError, match="seed must be >= 0"):
        plotting.draw_init_variances(ax, seed=-1)


def test_init_static_has_one_frame_per_combination_with_alt_text():
    frames = widgets.init_static(width=16)
    n = len(INITIALIZERS) * 2 * 2
    assert len(frames.frames) == n <= 48
    html = frames._repr_html_()
    assert html.count("<img ") == n
    assert html.count('type="range"') == 3
    assert html.count(" hidden ") == n - 1
    assert ('alt="Per-layer variance of the activations and of the back-propagated gradients, '
            "on a logarithmic scale, in a 50-layer network of width 16 with relu units and "
            'he_normal initialisation"') in html
    assert frames.initial == ("he_normal", "relu", 50)
    again = widgets.init_static(width=16)._repr_html_()
    assert html == again  # deterministic, as strict nbval requires
    with pytest.raises(ValueError, match="width must be >= 1"):
        widgets.init_static(width=0)
