# sozialgraph — `make demo` shows the example data set, `make test` runs the whole suite on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup demo test lint bench system-deps clean

setup: $(STAMP) node_modules/.installed-stamp

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed-stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p node_modules && touch $@

# Debian packages the tests use for real: chromium for the browser tests, virtuoso for the remote backend.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v virtuoso-t >/dev/null 2>&1 || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

demo: setup
	$(BIN)/sozialgraph --store .sozialgraph/demo demo

test: setup system-deps
	$(BIN)/ruff check sozialgraph loaders api tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n 2 -q

lint: setup
	$(BIN)/ruff check sozialgraph loaders api tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/run.py --scale city --out bench/out/city.json
	$(BIN)/python bench/load.py
	$(BIN)/python bench/remote.py

clean:
	rm -rf $(VENV) node_modules .sozialgraph
