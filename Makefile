# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format clean install hub-install catalogs

# The environment is installed with uv, which picks the same releases as pip from pyproject.toml's
# ranges and installs them two to three times faster (measured on a fresh clone: 43 s with pip, 14 s
# with uv and its cache, 17 s without); bytecode is compiled at install, as pip does, because the
# sandbox reads the environment read-only. Where uv cannot be had, pip installs it instead.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -m pip install --quiet uv; then \
	  echo "$(BIN)/uv pip install -e '.[test]'"; \
	  $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[test]'; \
	else \
	  echo "uv could not be installed; installing with pip instead (slower)"; \
	  $(BIN)/python -m pip install --quiet --upgrade pip && \
	  $(BIN)/python -m pip install --quiet -e '.[test]'; \
	fi
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/cda demo run --out demo-output

test: $(STAMP)
	$(BIN)/ruff check cohort_tools tests bench
	$(BIN)/ruff format --check cohort_tools tests bench
	$(BIN)/mypy --strict
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

# The live cohort's hub environment (a virtualenv every user can read, from Debian's Python) and
# configurable-http-proxy from npm, at HUB_PREFIX. Root only; run again after updating cohort-tools.
HUB_PREFIX ?= /opt/cda-hub
hub-install: $(STAMP)
	$(BIN)/cda hub install --prefix $(HUB_PREFIX)

lint: $(STAMP)
	$(BIN)/ruff check cohort_tools tests bench
	$(BIN)/mypy --strict

format: $(STAMP)
	$(BIN)/ruff format cohort_tools tests bench
	$(BIN)/ruff check --fix cohort_tools tests bench

# Translators' catalogs: extract every _("...") message of the code into a template per area
# (cohort_tools/locale/<domain>.pot; the strategy document has its own) and merge new messages into
# each language's <domain>.po (then translate the empty entries). The environment only has to exist
# (order-only): from a second checkout, `make catalogs BIN=<main>/.venv/bin STAMP=<main>/.venv/.installed`
# never reinstalls the package into the shared environment.
BABEL_EXTRACT := $(BIN)/pybabel extract -k _ -k N_ --no-location --sort-output --project cohort-tools
catalogs: | $(STAMP)
	$(BABEL_EXTRACT) -F babel.cfg --ignore-dirs="strategy" -o cohort_tools/locale/cda.pot .
	$(BABEL_EXTRACT) -o cohort_tools/locale/strategy.pot cohort_tools/strategy
	$(BIN)/pybabel update -D cda -i cohort_tools/locale/cda.pot -d cohort_tools/locale --no-fuzzy-matching
	$(BIN)/pybabel update -D strategy -i cohort_tools/locale/strategy.pot -d cohort_tools/locale --no-fuzzy-matching

clean:
	rm -rf demo-output .pytest_cache .ruff_cache
