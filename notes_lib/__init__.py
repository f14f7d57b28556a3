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
    Linear regression, LMS, the normal equation, ridge and lasso (sections 2.1, 2.2, 2.5).
optim
    Gradient descent with divergence detection (sections 2.2 and 2.8).
logistic
    Logistic regression with a stable sigmoid and log-loss (section 2.3).
naive_bayes
    Categorical naive Bayes in log space, with Laplace smoothing (section 2.4).
perceptron
    The perceptron, primal and dual, and Novikoff's bound (section 2.6).
svm
    Kernels, SMO for the soft-margin dual, a support vector classifier (section 2.7).
mixture
    Gaussian mixtures fitted by EM, in log space (section 2.9).
pca
    PCA by SVD or eigendecomposition, PCA and ZCA whitening (section 2.10).
hmm
    Forward, backward, Viterbi and Baum-Welch for discrete HMMs (section 2.11).
crf
    Linear-chain conditional random fields with L-BFGS training (section 2.12).
trees
    CART decision trees and random forests (section 2.13).
nn
    Layers, convolution, batch normalisation, initialisers (chapter 3).
symbolic
    SymPy helpers used by the derivations in the notebooks.
plotting
    The book's matplotlib style and the drawing functions, one module per topic.
widgets
    Builders for ipywidgets controls and their static HTML counterparts, per topic.
"""

__version__ = "0.1.0"
