# Everything a fresh machine needs: Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench eval check lint typecheck lock clean

$(STAMP): requirements/dev.txt pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "calldrill needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/calldrill $(ARGS)

# pytest exits 5 when it collected nothing: that is a failure here, never a pass.
# Test files run in parallel, one worker per core (a file's tests stay on one worker, so
# the library's exploration fixture is computed once). PYTEST_WORKERS= runs serially.
PYTEST_WORKERS ?= -n auto --dist loadfile
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

bench: $(STAMP)
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/bench_tui.py
	$(BIN)/python bench/bench_freetext.py
	$(BIN)/python bench/bench_store.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_exam.py
	$(BIN)/python bench/bench_exam_tui.py
	$(BIN)/python bench/bench_serve.py

# Phrase rules and transcript scoring on the evaluation set (docs/free-text.md).
eval: $(STAMP)
	$(BIN)/python -m tests.eval.run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# Re-pin the locked dependency set after editing requirements/*.in.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o main.txt main.in
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links -o dev.txt dev.in

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist
