# Set-up and the main jobs. Needs only Python 3.11+ with pip and venv.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
JOBS ?=

.PHONY: setup run test test-fast lab lint clean-outputs benchmark

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	@touch $(STAMP)

## compile the shipped illustrative Shaoyang inventory (示例数据，非官方统计) into outputs/
run: $(STAMP)
	$(BIN)/inventory run --data data_raw --out outputs $(if $(JOBS),--jobs $(JOBS),)
	@echo "open outputs/reports/index.html"

## the whole test suite (about 15 minutes on 2 cores, the wheel test included)
test: $(STAMP)
	$(BIN)/python -m pytest -q

## the tests that start no processes or kernels (the `slow` marker, tests/conftest.py): about 2 minutes
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

## JupyterLab on the notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP)
	$(BIN)/ruff check inventory tests scripts benchmarks setup.py

## the benchmarks of benchmarks/README.md (about 30 minutes on 2 cores)
benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_pipeline.py --repeat 3 --naive-repeat 2
	$(BIN)/python benchmarks/bench_compute.py --sizes 300,1000,3000 --years 30

clean-outputs:
	rm -rf outputs/notebooks outputs/reports outputs/results outputs/failed outputs/.state \
	       outputs/emissions.csv outputs/emissions_provenance.csv outputs/inventory.nc
