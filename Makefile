# Two commands on a fresh Debian/Ubuntu machine: `make demo` and `make test`. Both install what is missing.
VENV   ?= .venv
PY     := $(VENV)/bin/python
# Debian's Chromium (Playwright's own browser download needs the internet) and zbar for pyzbar.
SYSTEM_PACKAGES := chromium libzbar0
# Chromium's headless shell, where the distribution has it (Debian does): headless runs cost a tenth of the CPU
# per page of the full browser's headless mode (see runbook/browser/launch.py). Without it everything still works.
FAST_HEADLESS := chromium-headless-shell
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The mock's arco and semi markups draw with React component libraries from npm, pinned by this lock file. npm ci
# installs them outside the work tree, into the folder fixtures/vendor.py names (the mock's server reads that
# folder, so the two agree): ~/.cache/tiktok-runbook/mock-vendor/<the lock's hash>/node_modules.
VENDOR_LOCK := fixtures/vendor/package-lock.json

.PHONY: setup system vendor demo test test-matrix mock bench lint format clean

setup: system $(VENV)/.installed vendor

# Installs only what is missing: a browser on PATH, libzbar, Python's venv module, and the headless shell when
# apt knows it. apt's package lists are fetched for the shell only when there are none (an image that ships the
# rest with its lists removed), so a machine with everything but the shell, on a distribution without it, does
# not run apt every time.
system:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	  || command -v google-chrome >/dev/null 2>&1 || missing="$$missing chromium"; \
	{ /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libzbar\.so' || missing="$$missing libzbar0"; \
	python3 -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	{ command -v node && command -v npm; } >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi; \
	if ! command -v $(FAST_HEADLESS) >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	  ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages' || $(SUDO) apt-get update -qq || true; \
	  if apt-cache show $(FAST_HEADLESS) >/dev/null 2>&1; then \
	    echo "installing $(FAST_HEADLESS) (headless runs use it)"; \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(FAST_HEADLESS) \
	      || echo "could not install $(FAST_HEADLESS): headless runs use the full browser (slower)"; \
	  fi; \
	fi

# Installs only when the folder holds no finished install of this very lock (its copy is written last). npm ci
# runs in a folder of its own first and is moved into place whole, so a failed or concurrent install never
# leaves a half-filled folder for the server to read; --ignore-scripts: no package needs a build step.
vendor: system
	@dir="$$(python3 fixtures/vendor.py)" && [ -n "$$dir" ] || { echo "fixtures/vendor.py named no folder" >&2; exit 1; }; \
	if ! cmp -s "$$dir/installed.lock" $(VENDOR_LOCK); then \
	  echo "installing the mock's component libraries (npm ci) into $$dir"; \
	  tmp="$$dir.tmp.$$$$"; rm -rf "$$tmp" && mkdir -p "$$tmp" \
	  && cp fixtures/vendor/package.json $(VENDOR_LOCK) "$$tmp/" \
	  && (cd "$$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
	  && cp $(VENDOR_LOCK) "$$tmp/installed.lock" \
	  && rm -rf "$$dir" && mv "$$tmp" "$$dir" || { rm -rf "$$tmp"; exit 1; }; \
	fi

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

demo: setup
	$(VENV)/bin/tiktok-runbook demo

# `make test` leaves the slower cells of the markup × edition matrices (marked `matrix`) to `make test-matrix`,
# to stay under three minutes on two cores; CI (.ci/run) runs both. Four workers on two cores: a flow spends part
# of its time waiting (for an owner, a quiet network), which a fourth worker fills; worksteal: a worker that runs
# out takes tests queued for another (xdist's default leaves workers idle at the end). Playwright's traces are off
# by default (recording them doubles a page's CPU); PYTEST_ARGS="--tracing retain-on-failure --output DIR" keeps
# one of each failed test.
PYTEST_ARGS ?=
test: setup
	$(PY) -m pytest -q -n 4 --dist worksteal -m "not matrix" $(PYTEST_ARGS)

test-matrix: setup
	$(PY) -m pytest -q -n 4 --dist worksteal -m matrix $(PYTEST_ARGS)

mock: setup
	$(VENV)/bin/tiktok-runbook mock --port 8765

bench: setup
	$(PY) bench/page_cost.py
	$(PY) bench/connect_bench.py
	$(PY) bench/qr_bench.py
	$(PY) bench/agency_bench.py 20 100 400 aria
	$(PY) bench/agency_bench.py 20 arco semi
	$(PY) bench/remote_bench.py 20 aria
	$(PY) bench/capture_bench.py 3 aria arco semi

# mypy reads imports as module paths: it is shown the installed layout (pages/ and fixtures/ as runbook.pages
# and runbook.fixtures, pyproject.toml's package-dir) as a tree of symbolic links in a temporary folder.
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@tree=$$(mktemp -d) && mkdir "$$tree/runbook" \
	  && for entry in runbook/*; do ln -s "$(CURDIR)/$$entry" "$$tree/runbook/"; done \
	  && ln -s "$(CURDIR)/pages" "$$tree/runbook/pages" && ln -s "$(CURDIR)/fixtures" "$$tree/runbook/fixtures" \
	  && (cd "$$tree" && "$(abspath $(VENV))/bin/mypy" --config-file "$(CURDIR)/pyproject.toml" -p runbook); \
	  status=$$?; rm -rf "$$tree"; exit $$status

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) *.egg-info
