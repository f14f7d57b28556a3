"""NumPy implementations of the algorithms in *Mathematics, Machine Learning and
Deep Learning Notes*, one module per topic, with the SymPy helpers, figure style
and widget builders the book's notebooks share.

Modules
-------
calculus
    Taylor polynomials and remainders (section 1.1).
symbolic
    SymPy helpers used by the derivations in the notebooks.
plotting
    The book's matplotlib style and figure helpers.
widgets
    Builders for ipywidgets controls and their static HTML counterparts.
"""

__version__ = "0.1.0"
