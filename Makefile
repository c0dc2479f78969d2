# Community Grid Map — `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ASSETS := static/vendor/.built
export GRIDMAP_DB ?= data/gridmap.gpkg

.PHONY: run test test-browser lint format bench assets clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Leaflet, its plugins and their styles come from npm and are served by the app
# itself (static/), so the maps work with no internet.
$(ASSETS): package.json package-lock.json scripts/vendor_assets.py $(INSTALLED)
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(PY) scripts/vendor_assets.py
	touch $@

assets: $(ASSETS)

run: $(INSTALLED) $(ASSETS)
	$(VENV)/bin/gridmap demo --if-empty
	$(VENV)/bin/streamlit run app.py

test: $(INSTALLED) $(ASSETS)
	$(VENV)/bin/pytest

test-browser: $(INSTALLED) $(ASSETS)
	$(VENV)/bin/pytest -m browser

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(INSTALLED)
	$(PY) benchmarks/bench_assign.py
	$(PY) benchmarks/bench_map_page.py
	$(PY) benchmarks/bench_overview.py
	$(PY) benchmarks/bench_grid_edit.py
	$(PY) benchmarks/bench_postgis_assign.py

clean:
	rm -rf $(VENV) node_modules static/vendor
