# Two commands do everything on a fresh machine with Python 3.11+:
#   make lab    set up .venv and open JupyterLab on the start notebook
#   make test   set up .venv and run every test
# Maintainers: make site   builds the lessons as a static web site in _site/ (see README)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
START := notebooks/00_start_here.ipynb

.PHONY: lab test present site clean

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

# The lessons and the presenter page, executed, as web pages whose explorer works with no kernel and no network.
site: $(STAMP)
	$(BIN)/python -m cmlearn.tools.site --out _site

clean:
	rm -rf $(VENV) _site
