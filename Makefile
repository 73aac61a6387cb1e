# Two commands for a new user: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv bench fuzz clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m streamlit run app.py --server.headless true --browser.gatherUsageStats false $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

bench: $(STAMP)
	$(BIN)/python -m benchmarks.engine
	$(BIN)/python -m benchmarks.batch
	$(BIN)/python -m benchmarks.memory
	$(BIN)/python -m benchmarks.compare
	$(BIN)/python -m benchmarks.startup
	$(BIN)/python -m benchmarks.notice
	$(BIN)/python -m benchmarks.statements
	$(BIN)/python -m benchmarks.register
	$(BIN)/python -m benchmarks.register_ledger

# Thousands of mutated survey files and policies through the CLI (a few of each run in `make test`).
fuzz: $(STAMP)
	FUZZ=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 tests/test_fuzz_files.py tests/test_policy_fuzz.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis artifacts
