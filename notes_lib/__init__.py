"""NumPy implementations of the algorithms in *Mathematics, Machine Learning and
Deep Learning Notes*, one module per topic, with the SymPy helpers, figure style
and widget builders the book's notebooks share.

Modules
-------
calculus
    Taylor polynomials and remainders (section 1.1).
probability
    The distributions of section 1.2, their moments, sampling and estimators.
linear_models
    Linear regression, ridge and lasso (sections 2.1, 2.2 and 2.5).
naive_bayes
    Categorical naive Bayes in log space, with Laplace smoothing (section 2.4).
perceptron
    The perceptron, primal and dual, and Novikoff's bound (section 2.6).
nn
    Layers, convolution, batch normalisation, initialisers (chapter 3).
symbolic
    SymPy helpers used by the derivations in the notebooks.
plotting
    The book's matplotlib style and figure helpers.
widgets
    Builders for ipywidgets controls and their static HTML counterparts.
"""

__version__ = "0.1.0"
