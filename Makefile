# gcmkg: the two commands of the README.
#   make demo   builds the bundled sample corpus and prints the Objective 13 / child-detention links
#   make test   runs the whole test suite (installs Chromium and Java first if they are missing)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= demo-store

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[all,test]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/gcmkg build --store $(STORE)
	$(BIN)/gcmkg query objective-concerns --objective 13 --store $(STORE) --limit 12
	$(BIN)/gcmkg query evidence --a "Objective 13" --b "child detention" --store $(STORE) --format markdown

test: $(VENV)/.installed
	bash tests/setup/install-system-deps.sh
	$(BIN)/ruff check gcmkg tests benchmarks scripts
	$(BIN)/pytest -q

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(STORE) .pytest_cache
