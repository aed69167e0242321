# Two commands do everything on a fresh machine with Python 3.11+:
#   make lab    set up .venv and open JupyterLab on the start notebook
#   make test   set up .venv and run every test, then run the notebooks and
#               unit tests again on Colab's package versions (make test-colab)
# Maintainers: make site   builds the lessons as a static web site in _site/ (see README)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
START := notebooks/00_start_here.ipynb

# Caches live outside the checkout, in CACHE, so fresh clones on one machine
# reuse them and neither make clean nor test-colab's fresh build/ (which holds
# build outputs only) removes them: Colab's venv, and make site's npm tarball.
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cmlearn
# Colab's versions (.ci/colab-requirements.txt) in a venv whose name holds a
# hash of the pins (comments aside) and of the Python version, so a change of
# either builds a new one (and removes the old ones). The hash runs Python, so
# it is computed only for the goal that needs it (make test runs test-colab
# in a make of its own): make clean and the rest run no Python to read this file.
COLAB_PINS := .ci/colab-requirements.txt
ifneq ($(filter test-colab,$(MAKECMDGOALS)),)
# (chr(35) is "#", which make would take for the start of a comment.)
COLAB_KEY := $(shell $(PYTHON) -c 'import hashlib, sys; pins = [l.partition(chr(35))[0].strip() for l in open("$(COLAB_PINS)")]; print(hashlib.sha256(("\n".join(p for p in pins if p) + sys.version).encode()).hexdigest()[:12])')
endif
COLAB_VENV ?= $(CACHE)/colab-venv-$(COLAB_KEY)
COLAB_STAMP := $(COLAB_VENV)/.installed
COLAB_BIN = $(abspath $(COLAB_VENV))/bin
WHEELS := build/colab-wheel
# Not run on Colab's versions: the tests marked with a reason (pytest markers,
# registered in pyproject.toml, set at the top of each test file). The main run
# runs them all.
COLAB_LEAVES_OUT := browser or voila or maintainer_tools or checkout_files

.PHONY: lab test test-colab present site clean clean-colab

$(STAMP): requirements.txt requirements-test.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "$(PYTHON) is Python %d.%d; the pinned packages need 3.11 or newer. Fix: make $(MAKECMDGOALS) PYTHON=python3.11 (or newer)" % sys.version_info[:2])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt -e .
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/python -m cmlearn.check_env
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(START)

# auto_token keeps authentication on (Voila alone would serve without any); open the printed address, token included.
# Not a bare --token: Voila would take the next argument as the token itself.
present: $(STAMP)
	$(BIN)/voila --Voila.ip=127.0.0.1 --Voila.auto_token=True notebooks/presenter.ipynb

test: $(STAMP)
	$(BIN)/python -m cmlearn.check_env
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile
	$(MAKE) --no-print-directory test-colab

# No file prerequisite: the key in the folder's name already follows the pins' content.
$(COLAB_STAMP):
	rm -rf $(filter-out $(abspath $(COLAB_VENV)),$(wildcard $(CACHE)/colab-venv-*))
	$(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet -r $(COLAB_PINS)
	touch $(COLAB_STAMP)

# cmlearn goes in as on Colab: a wheel of this checkout, installed with
# --no-deps. The tests run from outside the checkout, with pytest's console
# script (python -m and python -c put the working directory on sys.path), and
# CMLEARN_TEST_INSTALLED keeps the checkout off the kernels' path, so every
# process imports the installed copy (tests/test_installed.py checks it).
# The installed copy's doctests run too.
test-colab: $(COLAB_STAMP)
	rm -rf build  # a stale build/lib would put deleted modules into the wheel
	$(COLAB_BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(WHEELS) .
	$(COLAB_BIN)/python -m pip install --quiet --no-deps --force-reinstall $(WHEELS)/cmlearn-*.whl
	rm -rf cmlearn.egg-info
	cd $(WHEELS) && $(COLAB_BIN)/python -m cmlearn.check_env
	cd $(WHEELS) && installed=$$($(COLAB_BIN)/python -c 'import cmlearn, os; print(os.path.dirname(cmlearn.__file__))') && \
		CMLEARN_TEST_INSTALLED=1 $(COLAB_BIN)/pytest -c $(CURDIR)/pyproject.toml --rootdir $(CURDIR) -n 2 --dist loadfile \
		-m "not ($(COLAB_LEAVES_OUT))" $(CURDIR)/tests $$installed

# The lessons and the presenter page, executed, as web pages whose explorer works with no kernel and no network.
site: $(STAMP)
	$(BIN)/python -m cmlearn.tools.site --out _site --cache $(CACHE)/site

clean:
	rm -rf $(VENV) build _site

clean-colab:
	rm -rf $(CACHE)/colab-venv-*
