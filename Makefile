# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format clean install hub-install catalogs

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/cda demo run --out demo-output

test: $(STAMP)
	$(BIN)/ruff check cohort_tools tests bench
	$(BIN)/ruff format --check cohort_tools tests bench
	$(BIN)/mypy --strict
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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

# Translators' catalogs: extract every _("...") message of the code into cohort_tools/locale/cda.pot
# and merge new messages into each language's cda.po (then translate the empty entries).
catalogs: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ --no-location --sort-output \
		--project cohort-tools -o cohort_tools/locale/cda.pot .
	$(BIN)/pybabel update -D cda -i cohort_tools/locale/cda.pot -d cohort_tools/locale --no-fuzzy-matching

clean:
	rm -rf demo-output .pytest_cache .ruff_cache
