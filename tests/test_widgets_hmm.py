"""The HMM trellis widget, its static frames and the drawings of section 2.11."""

import numpy as np
import pytest

from notes_lib import hmm
from notes_lib.plotting import new_figure
from notes_lib.plotting.hmm import TRELLIS_EXAMPLE_O, draw_hmm_graph, draw_trellis
from notes_lib.widgets.hmm import trellis_static, trellis_widget
from tests._figures import shown_title


def test_moving_the_step_changes_the_image_and_the_title():
    w = trellis_widget()
    first = w.image.value
    T = len(TRELLIS_EXAMPLE_O)
    assert w.controls["step"].max == T
    w.controls["step"].value = T
    assert w.image.value != first and w.error.value == ""
    p = np.exp(hmm.log_likelihood(TRELLIS_EXAMPLE_O, hmm.LI_HANG_A, hmm.LI_HANG_B,
                                  hmm.LI_HANG_PI))
    assert f"P(O) = {p:.4g}" in shown_title(w.ax)
    forward_image = w.image.value
    w.controls["mode"].value = "viterbi"
    assert w.image.value != forward_image
    (line,) = [ln for ln in w.ax.lines if ln.get_label() == "Viterbi path"]
    path, _ = hmm.viterbi(TRELLIS_EXAMPLE_O, hmm.LI_HANG_A, hmm.LI_HANG_B, hmm.LI_HANG_PI)
    np.testing.assert_array_equal(line.get_ydata(), path)


def test_static_frames_have_alt_text():
    s = trellis_static()
    assert len(s.frames) == 2 * len(TRELLIS_EXAMPLE_O) <= 40
    alt = s.alts[(3, "viterbi")]
    assert alt.startswith("Trellis of three hidden states") and "viterbi" in alt
    assert "step 3" in alt
    html = s._repr_html_()
    assert html.count("<img") == 16 and 'alt="' in html


def test_drawings_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="step must be <= T = 8"):
        draw_trellis(ax, 9)
    with pytest.raises(ValueError, match="step must be >= 1"):
        draw_trellis(ax, 0)
    with pytest.raises(ValueError, match="mode must be one of"):
        draw_trellis(ax, 1, mode="backward")
    with pytest.raises(ValueError, match="O holds the symbol 2"):
        draw_trellis(ax, 1, O=[0, 2])
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_trellis(None, 1)
    with pytest.raises(ValueError, match="T must be <= 8"):
        draw_hmm_graph(ax, 9)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_hmm_graph("ax")


def test_hmm_graph_has_state_and_observation_nodes():
    _, ax = new_figure()
    draw_hmm_graph(ax, 3)
    texts = {t.get_text() for t in ax.texts}
    assert {"$i_{1}$", "$i_{3}$", "$o_{1}$", "$o_{3}$", "$A$", "$B$"} <= texts
