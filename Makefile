# Two commands on a fresh machine (Python 3.11, make, git): `make book`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD  := _build/html
PYTEST_NB := --nbval --nbval-current-env --nbval-cell-timeout=600
# Notebooks and tests run as many at once as there are cores: one BLAS thread each, or
# two kernels' BLAS threads fight over the same cores (07_initialization took 2.5x longer).
ONE_THREAD := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

.PHONY: help book pdf test suite lint unit nbval html browser lab execute bench clean distclean

help:
	@echo "make book     build the HTML book into $(BUILD) (creates $(VENV) first)"
	@echo "make pdf      build the whole book as one PDF, $(PDF) (installs TeX Live from apt if missing)"
	@echo "make test     lint, unit tests, strict nbval, -W book build, browser test"
	@echo "make lab      JupyterLab on the notebooks, with working widgets"
	@echo "make execute  re-run every notebook in place (after editing one)"
	@echo "make bench    time the build, the tests, the widgets and notes_lib (writes performance.md)"
	@echo "make clean    remove the built book and caches"

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	touch $(STAMP)

# The book build is itself a test: warnings are errors (-W, -n), and so is any
# notebook that raises while executing. Execution is cached in _build/.jupyter_cache;
# scripts/prefill_cache.py first executes the uncached notebooks on every core at once
# (jupyter-book would run them one after another).
html: $(STAMP)
	$(ONE_THREAD) $(BIN)/python scripts/prefill_cache.py
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --quiet

book: html
	@echo "The book is at $(abspath $(BUILD))/index.html"

# The whole book as one PDF through XeLaTeX (jupyter-book's pdflatex builder), with
# Debian's TeX Live. The TeX packages are installed once, with apt, when missing
# (root or sudo needed). It shares the execution cache with `make book`.
PDF := _build/latex/book.pdf
TEX_DEBS := latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
            texlive-xetex fonts-freefont-otf fonts-dejavu-core
pdf: $(STAMP)
	@if ! command -v latexmk >/dev/null 2>&1 || ! command -v xelatex >/dev/null 2>&1 \
	    || ! kpsewhich ucharclasses.sty >/dev/null 2>&1 || ! fc-list | grep -q FreeSerif; then \
	  echo "Installing TeX Live from apt: $(TEX_DEBS)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends $(TEX_DEBS) >/dev/null; \
	fi
	$(BIN)/jupyter-book build . --builder pdflatex --keep-going --quiet
	@test -s $(PDF) && echo "The PDF is at $(abspath $(PDF))"

lint: $(STAMP)
	$(BIN)/ruff check notes_lib tests scripts chapters _ext benchmarks

unit: $(STAMP)
	$(BIN)/pytest tests -m "not browser"

nbval: $(STAMP)
	$(BIN)/pytest $(PYTEST_NB) chapters

browser: $(STAMP)
	$(BIN)/pytest tests -m browser

# One pytest run for unit tests, strict nbval and the browser test, after lint and
# the -W build (the browser test reads the freshly built pages).
test: lint html
	@$(MAKE) --no-print-directory suite

# make test's last step alone (needs the built book); make bench adds a JUnit report.
suite: $(STAMP)
	$(ONE_THREAD) $(BIN)/pytest -n 2 --dist loadfile $(PYTEST_NB) $(PYTEST_ARGS) tests chapters

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

execute: $(STAMP)
	$(ONE_THREAD) $(BIN)/python scripts/execute_notebooks.py

# Benchmarks, not tests: they print a table and regenerate performance.md (and
# benchmarks/results.json). They delete _build first, to time a clean build.
bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
