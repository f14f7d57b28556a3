"""The random-forest decision-region widget and its static frames."""

import pytest

from notes_lib.plotting import new_figure
from notes_lib.plotting.trees import draw_decision_regions, draw_forest_regions
from notes_lib.trees import DecisionTreeClassifier
from notes_lib.widgets.trees import forest_static, forest_widget
from tests._figures import shown_title


def test_moving_the_controls_changes_the_image_and_the_title():
    w = forest_widget(n_trees=1, max_depth=2)
    first = w.image.value
    assert shown_title(w.ax).startswith("1 tree, max depth 2")
    w.controls["n_trees"].value = 30
    assert w.error.value == ""
    assert w.image.value != first
    assert shown_title(w.ax).startswith("30 trees, max depth 2")
    second = w.image.value
    w.controls["max_depth"].value = None
    assert w.image.value != second
    assert "full depth" in shown_title(w.ax)


def test_static_frames_have_alt_text():
    s = forest_static()
    assert len(s.frames) == 12 <= 40
    alt = s.alts[(20, 5)]
    assert "random forest of 20 trees of max depth 5" in alt
    html = s._repr_html_()
    assert html.count("<img") == 12 and 'alt="Two noisy half-moons' in html


def test_draw_bad_input():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="n_trees must be <= 100"):
        draw_forest_regions(ax, 101)
    with pytest.raises(ValueError, match="n_trees must be >= 1"):
        draw_forest_regions(ax, 0)
    with pytest.raises(ValueError, match="max_depth must be >= 1"):
        draw_forest_regions(ax, 3, max_depth=0)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        draw_forest_regions(None, 3)
    tree = DecisionTreeClassifier(max_depth=2).fit([[0.0, 0.0], [1.0, 1.0]], [0, 1])
    with pytest.raises(ValueError, match="X must have 2 columns"):
        draw_decision_regions(ax, tree, [[0.0, 0.0, 1.0]], [0])
    with pytest.raises(TypeError, match="model must have predict_proba"):
        draw_decision_regions(ax, object(), [[0.0, 0.0]], [0])
