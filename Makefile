# The two commands of the README: `make run` and `make test`. Both create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test lint types unit bench system-deps lock clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "repairtrack needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

## run: install if needed, load the demo couple into an empty store, start the dashboard on 127.0.0.1
run: $(STAMP)
	$(BIN)/repairtrack demo --if-empty
	$(BIN)/repairtrack dashboard --host $(HOST) --port $(PORT)

## test: install if needed, then lint, format check, types and every test
test: $(STAMP) system-deps lint types unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

# Two workers (the machines have two cores); a test module stays on one worker, so each browser walk and
# each server a module starts runs once. The 30 slowest steps are listed at the end (CI has 20 minutes).
unit: $(STAMP)
	$(BIN)/pytest -n 2 --dist loadfile --durations=30

## system-deps: the system programs the tests drive (chromium, pdftoppm, the PostgreSQL 15 server)
system-deps:
	@./scripts/system-deps

## bench: the performance benchmarks; results land in benchmarks/results/
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

lock:
	@{ echo '# Exact versions of everything `make` installs (a fresh install reproduces what was tested).'; \
	   echo '# Regenerate with `make lock` after changing pyproject.toml.'; \
	   { $(BIN)/python -m pip freeze --all --exclude-editable | grep -v '^#'; } | sort -f; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
