"""The SVM (C, gamma) widget, its static frames and the Figure 2.3 drawing."""

import numpy as np
import pytest

from notes_lib.plotting import new_figure
from notes_lib.plotting.svm import (
    SVM_C_GRID,
    SVM_GAMMA_GRID,
    draw_svm,
    draw_svm_rbf,
    svm_example_data,
)
from notes_lib.svm import SVC
from notes_lib.widgets.svm import svm_static, svm_widget
from tests._figures import shown_title


def test_moving_c_and_gamma_changes_the_image():
    w = svm_widget()
    first = w.image.value
    assert "C = 1" in shown_title(w.ax) and "gamma = 1" in shown_title(w.ax)
    w.controls["gamma"].value = 10.0
    second = w.image.value
    assert second != first and w.error.value == ""
    assert "gamma = 10" in shown_title(w.ax)
    w.controls["C"].value = 1000.0
    assert w.image.value != second
    # the title reports the support vectors of the cached fit, which match a fresh fit
    X, y = svm_example_data()
    n_sv = SVC(C=1000.0, gamma=10.0).fit(X, y).support_.size
    assert f"{n_sv} SVs" in shown_title(w.ax)


def test_static_frames_have_alt_text():
    s = svm_static()
    assert len(s.frames) == len(SVM_C_GRID) * len(SVM_GAMMA_GRID) <= 40
    alt = s.alts[(10.0, 0.3)]
    assert "C = 10" in alt and "gamma = 0.3" in alt and "support vectors" in alt
    html = s._repr_html_()
    assert html.count("<img") == 16 and 'alt="Two interleaving half moons' in html


def test_draw_svm_figure_2_3():
    X = np.array([[1.0, 3.0], [2.0, 3.5], [3.0, 4.5], [3.0, 1.0], [4.0, 1.5], [4.5, 0.5]])
    y = np.array([1, 1, 1, -1, -1, -1])
    m = SVC(C=1e6, kernel="linear", tol=1e-9).fit(X, y)
    _, ax = new_figure()
    draw_svm(ax, m, X, y)
    assert "margin 2/||w||" in ax.get_title()
    labels = [h.get_label() for h in ax.get_legend().legend_handles]
    assert any(lbl.startswith("support vectors") for lbl in labels)


def test_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="C must be > 0"):
        draw_svm_rbf(ax, C=0.0)
    with pytest.raises(ValueError, match="gamma must be > 0"):
        draw_svm_rbf(ax, gamma=-1.0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_svm_rbf(None)
    with pytest.raises(ValueError, match="C must be one of"):
        svm_widget(C=2.0)
    X, y = svm_example_data()
    with pytest.raises(ValueError, match="X must have 2 columns"):
        draw_svm(ax, SVC().fit(X, y), np.zeros((3, 3)), [1, -1, 1])
    with pytest.raises(TypeError, match="fitted"):
        draw_svm(ax, SVC(), X, y)
