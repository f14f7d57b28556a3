"""The input checks every public function of notes_lib relies on."""

import numpy as np
import pytest

from notes_lib._validation import (
    check_fitted_X,
    check_int,
    check_labels,
    check_matrix,
    check_scalar,
)


def test_check_scalar_bounds():
    assert check_scalar(0, "tol", minimum=0) == 0.0
    with pytest.raises(ValueError, match=r"tol must be >= 0, got -1"):
        check_scalar(-1, "tol", minimum=0)
    with pytest.raises(ValueError, match=r"lr must be > 0, got 0"):
        check_scalar(0.0, "lr", minimum=0, exclusive=True)
    with pytest.raises(ValueError, match="lr must be finite"):
        check_scalar(np.inf, "lr", minimum=0)
    with pytest.raises(TypeError, match="lr must be a real number"):
        check_scalar(True, "lr")
    with pytest.raises(TypeError, match="n must be an integer"):
        check_int(2.0, "n")


def test_check_matrix():
    assert check_matrix([[1, 2], [3, 4]]).dtype == np.float64
    with pytest.raises(ValueError, match=r"X.reshape\(-1, 1\)"):
        check_matrix([1.0, 2.0])
    with pytest.raises(ValueError, match="at least 2 sample"):
        check_matrix([[1.0, 2.0]], min_samples=2)
    with pytest.raises(ValueError, match="at least 1 feature"):
        check_matrix(np.zeros((3, 0)))
    with pytest.raises(ValueError, match="NaN"):
        check_matrix([[np.nan]])


def test_check_labels():
    np.testing.assert_array_equal(check_labels(["a", "b"], 2), ["a", "b"])
    with pytest.raises(ValueError, match="one label per row of X: X has 3 rows"):
        check_labels([0, 1], 3)
    with pytest.raises(ValueError, match="y must not contain NaN"):
        check_labels([0.0, np.nan], 2)
    with pytest.raises(ValueError, match="1-dimensional"):
        check_labels([[0, 1]], 1)
    with pytest.raises(TypeError, match="y must be array-like"):
        check_labels("ab", 2)


def test_check_fitted_X():
    class Model:
        pass

    model = Model()
    with pytest.raises(ValueError, match="this Model is not fitted yet; call fit"):
        check_fitted_X(model, [[1.0]], "coef_", "fit(X, y)")
    model.coef_, model.n_features_in_ = 1.0, 2
    assert check_fitted_X(model, [[1.0, 2.0]], "coef_", "fit").shape == (1, 2)
    with pytest.raises(ValueError, match="X must have 2 features"):
        check_fitted_X(model, [[1.0]], "coef_", "fit")
