# MT Review Workbench: `make run` to use it, `make test` to check it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# Tests and benchmarks never reach the model hub; `make run` may fetch models when online.
OFFLINE := HF_HUB_OFFLINE=1

.PHONY: run test test-fast typecheck setup dev browser lint bench screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

dev: $(VENV)/.installed-dev

## make run: install, migrate and seed the embedded database, serve the app on port 8501
## (the app runs the embedded queue's jobs itself; a team runs `python -m review worker`)
run: setup
	$(BIN)/python -m review seed
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true \
		--browser.gatherUsageStats false

## make test: the same set-up plus test dependencies (and Chromium where possible), then every test
test: dev browser
	$(BIN)/ruff check --no-cache .
	$(BIN)/mypy --cache-dir=/dev/null
	$(OFFLINE) $(BIN)/python -m pytest

## make test-fast: ruff + the fast tier (unit and property tests that start no process; under
## 3 minutes); the system, ui and e2e tiers run in `make test`
test-fast: dev
	$(BIN)/ruff check --no-cache .
	$(OFFLINE) $(BIN)/python -m pytest -q -m fast

browser:
	@bash tools/install-browser.sh

lint: dev
	$(BIN)/ruff check --no-cache .

## make typecheck: mypy over review/ (its strictness is in pyproject.toml); part of make test
typecheck: dev
	$(BIN)/mypy --cache-dir=/dev/null

bench: dev
	$(OFFLINE) $(BIN)/python -m bench.scoring
	$(OFFLINE) $(BIN)/python -m bench.edit
	$(OFFLINE) $(BIN)/python -m bench.retranslate
	$(OFFLINE) $(BIN)/python -m bench.import
	$(OFFLINE) $(BIN)/python -m bench.stream_import --sizes 100000,1000000
	$(OFFLINE) $(BIN)/python -m bench.jobs --segments 200
	$(OFFLINE) $(BIN)/python -m bench.parse
	$(OFFLINE) $(BIN)/python -m bench.risk_ranking
	$(OFFLINE) $(BIN)/python -m bench.dashboard
	$(OFFLINE) $(BIN)/python -m bench.review_ui

screenshots: dev browser
	$(OFFLINE) REVIEW_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/e2e -k screenshots -q

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache
