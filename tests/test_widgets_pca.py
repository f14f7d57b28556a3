"""The PCA projection widget, its static frames and the section's drawings."""

import numpy as np
import pytest

from notes_lib.plotting import new_figure
from notes_lib.plotting.pca import (
    draw_images,
    draw_principal_axes,
    draw_projection,
    draw_whitened,
    first_component_angle,
    image_montage,
    pca_example_data,
    projected_variance,
)
from notes_lib.widgets.pca import PROJECTION_STATIC_ANGLES, projection_static, projection_widget
from tests._figures import shown_title


def _marker(ax):
    (marker,) = [ln for ln in ax.child_axes[0].lines if ln.get_marker() == "o"]
    return marker


def test_moving_the_angle_changes_the_image_and_the_marker():
    w = projection_widget()
    first = w.image.value
    w.controls["angle"].value = 90.0
    assert w.image.value != first
    assert w.error.value == ""
    marker = _marker(w.ax)
    X = pca_example_data()
    expected = np.var(X[:, 1])  # direction (0, 1): the variance of the second coordinate (1/n)
    np.testing.assert_allclose(marker.get_ydata(), [expected])
    assert "90°" in shown_title(w.ax)


def test_variance_curve_is_maximal_at_the_first_eigenvector():
    X = pca_example_data()
    grid = np.linspace(0, 180, 3601)
    curve = projected_variance(X, grid)
    lam = np.linalg.eigvalsh(np.cov(X, rowvar=False, ddof=0))
    np.testing.assert_allclose([curve.max(), curve.min()], [lam[1], lam[0]], rtol=1e-5)
    assert abs(grid[np.argmax(curve)] - first_component_angle(X)) <= 0.05


def test_static_frames_with_alt():
    s = projection_static()
    assert len(s.frames) == len(PROJECTION_STATIC_ANGLES) <= 40
    assert "at 30 degrees" in s.alts[(30.0,)]
    html = s._repr_html_()
    assert html.count("<img") == len(PROJECTION_STATIC_ANGLES)
    assert 'alt="Left: 120 centred' in html


def test_other_drawings_run():
    _, ax = new_figure()
    draw_principal_axes(ax)
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    assert [lab[:5] for lab in labels] == ["$u_1$", "$u_2$"]
    X = pca_example_data() - pca_example_data().mean(axis=0)
    draw_whitened(ax, X / X.std(axis=0), X=X, title="scaled")
    assert ax.get_title() == "scaled"
    m = image_montage(np.arange(2 * 64, dtype=float).reshape(2, 64), ncols=2)
    assert m.shape == (8, 17) and np.isnan(m[:, 8]).all()
    draw_images(ax, np.eye(64)[:3], ncols=3)


def test_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="angle must be in"):
        draw_projection(ax, 200.0)
    with pytest.raises(TypeError, match="angle must be a real number"):
        draw_projection(ax, "north")
    with pytest.raises(ValueError, match="X must have 2 columns"):
        draw_projection(ax, 0.0, X=np.zeros((5, 3)))
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_principal_axes(None)
    with pytest.raises(ValueError, match="images must have 64 columns"):
        image_montage(np.zeros((2, 10)))
    w = projection_widget()
    w.controls["angle"].value = 45.0
    assert w.error.value == ""


def test_projection_redraws_after_clear_and_for_new_data():
    _, ax = new_figure()
    draw_projection(ax, 0.0)
    ax.clear()  # someone else cleared the axes: the cached artists are gone
    draw_projection(ax, 0.0)
    assert len(ax.child_axes) == 1 and len(ax.lines) == 1
    X = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 1.0], [2.0, 1.0]])
    draw_projection(ax, 0.0, X=X)  # new data: the variance along x1 is var([0, 2, 0, 2]) = 1
    np.testing.assert_allclose(_marker(ax).get_ydata(), [1.0])
    draw_projection(ax, 90.0, X=X)  # along x2: var([0, 0, 1, 1]) = 0.25
    np.testing.assert_allclose(_marker(ax).get_ydata(), [0.25])
    assert len(ax.child_axes) == 1
