# Two commands do everything on a fresh machine with Python 3.11+:
#   make lab    set up .venv (requirements.txt: what a learner needs) and open
#               JupyterLab on the start notebook
#   make test   add the test tools (requirements-test.txt) to .venv and run
#               every test, then run the notebooks and unit tests again on
#               Colab's package versions and Python (make test-colab)
# Maintainers: make site   builds the lessons as a static web site in _site/ (see README)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Two stamps: the learner's packages (make lab, make present), then the test tools on top (make test).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
START := notebooks/00_start_here.ipynb

# Caches live outside the checkout, in CACHE, so fresh clones on one machine
# reuse them and neither make clean nor test-colab's fresh build/ (which holds
# build outputs only) removes them: Colab's venv, and make site's npm tarball.
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/cmlearn
# Colab's versions (.ci/colab-requirements.txt) on Colab's Python (its
# "# Python: X.Y" line) in a venv whose name holds a hash of the pins (comments
# aside) and of that Python's full version, so a change of either builds a new
# one (and removes the old ones). Finding the Python and the hash run programs,
# so they are computed only for the goals that need them (make test runs
# test-colab in a make of its own): make clean and the rest run none.
# COLAB_PYTHON (default: the first python3.X on PATH that runs and is X.Y,
# then pyenv's X.Y.*) may name any interpreter of Colab's version; no other
# version is ever used instead.
COLAB_PINS := .ci/colab-requirements.txt
ifneq ($(filter test-colab colab-venv colab-python,$(MAKECMDGOALS)),)
COLAB_PYTHON_VERSION := $(shell sed -n 's/^. Python: \([0-9][0-9.]*[0-9]\).*/\1/p' $(COLAB_PINS))
ifeq ($(COLAB_PYTHON_VERSION),)
$(error $(COLAB_PINS) has no "# Python: X.Y" line naming Colab's Python)
endif
# The interpreter's own path when $(1) runs and is Colab's version (free-threaded builds aside), else nothing.
colab_exe = $(shell $(1) -c 'import sys, sysconfig; ok = "%d.%d" % sys.version_info[:2] == "$(COLAB_PYTHON_VERSION)" and not sysconfig.get_config_var("Py_GIL_DISABLED"); print(sys.executable if ok else "")' 2>/dev/null)
ifeq ($(origin COLAB_PYTHON),undefined)
PYENV_DIR := $(or $(shell pyenv root 2>/dev/null),$(PYENV_ROOT),$(HOME)/.pyenv)
COLAB_PYTHON := $(firstword $(foreach p,python$(COLAB_PYTHON_VERSION) $(wildcard $(PYENV_DIR)/versions/$(COLAB_PYTHON_VERSION).*/bin/python3),$(call colab_exe,$(p))))
ifeq ($(COLAB_PYTHON),)
$(error No Python $(COLAB_PYTHON_VERSION) (Colab's) found, and the run on Colab's versions tests no other. Fix: pyenv install $(COLAB_PYTHON_VERSION) (or your system's python$(COLAB_PYTHON_VERSION) package), or make test-colab COLAB_PYTHON=/path/to/python$(COLAB_PYTHON_VERSION))
endif
endif
COLAB_EXE := $(call colab_exe,$(COLAB_PYTHON))
ifeq ($(COLAB_EXE),)
$(error COLAB_PYTHON=$(COLAB_PYTHON) does not run as Python $(COLAB_PYTHON_VERSION) (Colab's), and the run on Colab's versions tests no other. Fix: make test-colab COLAB_PYTHON=/path/to/python$(COLAB_PYTHON_VERSION), or pyenv install $(COLAB_PYTHON_VERSION))
endif
# (chr(35) is "#", which make would take for the start of a comment.)
COLAB_KEY := $(shell $(COLAB_EXE) -c 'import hashlib, sys; pins = [l.partition(chr(35))[0].strip() for l in open("$(COLAB_PINS)")]; print(hashlib.sha256(("\n".join(p for p in pins if p) + sys.version).encode()).hexdigest()[:12])')
endif
COLAB_VENV ?= $(CACHE)/colab-venv-$(COLAB_KEY)
COLAB_STAMP := $(COLAB_VENV)/.installed
COLAB_BIN = $(abspath $(COLAB_VENV))/bin
WHEELS := build/colab-wheel
# Not run on Colab's versions: the tests marked with a reason (pytest markers,
# registered in pyproject.toml, set at the top of each test file). The main run
# runs them all.
COLAB_LEAVES_OUT := browser or voila or maintainer_tools or checkout_files or hub

.PHONY: lab test test-colab colab-venv colab-python present site clean clean-colab

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "$(PYTHON) is Python %d.%d; the pinned packages need 3.11 or newer. Fix: make $(MAKECMDGOALS) PYTHON=python3.11 (or newer)" % sys.version_info[:2])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) requirements-test.txt
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(TEST_STAMP)

# JupyterLab refuses to start as root (a container, a cloud VM) unless told --allow-root.
# binder/overrides.json turns on "Save Widget State Automatically": a lesson saved and reopened shows its labs again.
lab: $(STAMP)
	$(BIN)/python -m cmlearn.check_env
	@mkdir -p $(VENV)/share/jupyter/lab/settings && cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/
	$(if $(filter 0,$(shell id -u)),@echo "Running as root (a container or a cloud VM?): starting JupyterLab with --allow-root.")
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(START)

# auto_token keeps authentication on (Voila alone would serve without any); open the printed address, token included.
# Not a bare --token: Voila would take the next argument as the token itself.
present: $(STAMP)
	$(BIN)/voila --Voila.ip=127.0.0.1 --Voila.auto_token=True notebooks/presenter.ipynb

# Colab's Python is looked for first, so a machine without it stops before the long main run.
test: $(TEST_STAMP)
	@$(MAKE) --no-print-directory colab-python
	$(BIN)/python -m cmlearn.check_env
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadfile
	$(MAKE) --no-print-directory test-colab

# No file prerequisite: the key in the folder's name already follows the pins' content.
$(COLAB_STAMP):
	rm -rf $(filter-out $(abspath $(COLAB_VENV)),$(wildcard $(CACHE)/colab-venv-*))
	$(COLAB_EXE) -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet -r $(COLAB_PINS)
	touch $(COLAB_STAMP)

# cmlearn goes in as on Colab: a wheel of this checkout, installed with
# --no-deps. The tests run from outside the checkout, with pytest's console
# script (python -m and python -c put the working directory on sys.path), and
# CMLEARN_TEST_INSTALLED keeps the checkout off the kernels' path, so every
# process imports the installed copy (tests/test_installed.py checks it).
# The installed copy's doctests run too.
colab-python:
	@echo "Colab's Python $(COLAB_PYTHON_VERSION) for make test-colab: $(COLAB_EXE)"

colab-venv: $(COLAB_STAMP)

test-colab: $(COLAB_STAMP)
	rm -rf build  # a stale build/lib would put deleted modules into the wheel
	$(COLAB_BIN)/python -m pip wheel --quiet --no-deps --wheel-dir $(WHEELS) .
	$(COLAB_BIN)/python -m pip install --quiet --no-deps --force-reinstall $(WHEELS)/cmlearn-*.whl
	rm -rf cmlearn.egg-info
	cd $(WHEELS) && $(COLAB_BIN)/python -m cmlearn.check_env
	cd $(WHEELS) && installed=$$($(COLAB_BIN)/python -c 'import cmlearn, os; print(os.path.dirname(cmlearn.__file__))') && \
		CMLEARN_TEST_INSTALLED=1 CMLEARN_LEAVES_OUT="$(COLAB_LEAVES_OUT)" $(COLAB_BIN)/pytest -c $(CURDIR)/pyproject.toml --rootdir $(CURDIR) -n 2 --dist loadfile \
		-m "not ($(COLAB_LEAVES_OUT))" $(CURDIR)/tests $$installed

# The lessons and the presenter page, executed, as web pages whose explorer works with no kernel and no network.
site: $(TEST_STAMP)
	$(BIN)/python -m cmlearn.tools.site --out _site

clean:
	rm -rf $(VENV) build _site

clean-colab:
	rm -rf $(CACHE)/colab-venv-*
