# The two commands of the README:  `make run`  and  `make test`.  Both do all set-up on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test benchmarks screenshots examples contracts bundle clean

$(STAMP): pyproject.toml
	.ci/install-system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	.ci/install-system-deps --gui
	$(BIN)/llm-advisor $(FILE)

test: $(STAMP)
	.ci/install-system-deps --tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

benchmarks: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots/make_screenshots.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/screenshots/make_whatif_screenshots.py

examples: $(STAMP)
	$(BIN)/python examples/make_examples.py

contracts: $(STAMP)
	../shared/checks/contracts

bundle: $(STAMP)
	packaging/build

clean:
	rm -rf $(VENV) build dist .pytest_cache
