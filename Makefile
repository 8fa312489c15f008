# Vitalog's two front doors: `make run` starts the app, `make test` runs every test.
# Both install what is missing first (Debian/Ubuntu packages, npm packages, cargo tools).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TERM_COLOR ?= never
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APP := $(CARGO_TARGET_DIR)/debug/vitalog-app
CLI := $(CARGO_TARGET_DIR)/debug/vitalog

# Build and test dependencies: WebKitGTK and friends for Tauri, Xvfb and WebKitWebDriver for
# the end-to-end tests (xdotool answers the native file dialogs), D-Bus and python-dbusmock for
# the mocked BlueZ, gnome-keyring for a real Secret Service on a private bus, poppler for PDFs,
# tzdata for the time zones the independent statistics check counts days in, qpdf to check
# the report's PDF.
APT_PACKAGES := build-essential pkg-config curl file libssl-dev libdbus-1-dev \
	libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev librsvg2-bin libayatana-appindicator3-dev libxdo-dev \
	xvfb xauth x11-utils xdotool webkit2gtk-driver dbus python3-dbusmock poppler-utils \
	gnome-keyring tzdata qpdf
NODE_MIN := 20.19

.PHONY: help run test deps apt-deps node-deps cargo-tools python-deps ui app lint test-architecture test-fhir-server test-rust test-stats test-ui test-e2e \
	bindings bench icons clean-e2e

help:
	@echo "make run    build and start Vitalog"
	@echo "make test   run every test (lint, Rust, UI, end-to-end)"
	@echo "make bench  start-up and memory benchmark against a bare Tauri window"

run: deps app
	$(APP)

test: deps lint test-architecture test-fhir-server test-rust test-stats test-ui test-e2e
	@echo "make test: all suites passed"

## Dependencies ---------------------------------------------------------------------------

deps: apt-deps node-deps cargo-tools python-deps

apt-deps:
	@missing=(); for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$$p"); \
	done; \
	if [ $${#missing[@]} -gt 0 ]; then \
	  echo "Installing system packages: $${missing[*]}"; \
	  $(SUDO) apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends "$${missing[@]}"; \
	fi
	@# Node.js from the distribution only when none is installed (NodeSource's package ships npm).
	@command -v node >/dev/null || $(SUDO) apt-get install -y -qq nodejs
	@command -v npm >/dev/null || $(SUDO) apt-get install -y -qq npm
	@command -v cargo >/dev/null || { echo "Rust is missing: install it with rustup (https://rustup.rs), then run make again." >&2; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); const [x,y]="$(NODE_MIN)".split(".").map(Number); process.exit(a>x||(a===x&&b>=y)?0:1)' \
	  || { echo "Node.js $(NODE_MIN) or newer is needed (found $$(node --version)); install a current Node.js, then run make again." >&2; exit 1; }

node-deps: ui/node_modules/.installed tests/fhir-server/node_modules/.installed

ui/node_modules/.installed: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

# The FHIR R4 test server the sharing tests send to (Medplum's engine, in memory).
tests/fhir-server/node_modules/.installed: tests/fhir-server/package.json tests/fhir-server/package-lock.json
	cd tests/fhir-server && npm ci --no-audit --no-fund
	@touch $@

# The independent FHIR validator the export is checked with (HL7's R4B models, from PyPI).
python-deps:
	@python3 -c 'import fhir.resources.R4B' 2>/dev/null \
	  || python3 -m pip install --quiet --disable-pip-version-check 'fhir.resources==7.1.0' \
	  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages 'fhir.resources==7.1.0'

cargo-tools:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver@^2 --locked

## Builds -----------------------------------------------------------------------------------

# The app embeds ui/dist at compile time, so every Rust build of src-tauri needs it first.
ui: node-deps
	cd ui && npm run --silent build

app: ui
	cargo build -p vitalog-app -p cli

bindings: ui
	UPDATE_BINDINGS=1 cargo test -p vitalog-app --test it -- bindings

icons:
	icons/generate.sh

## Tests ------------------------------------------------------------------------------------

lint: ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run --silent check && npm run --silent lint

# The dependency absences ARCHITECTURE.md promises (no SQLCipher in the protocol, vocabulary
# and simulator crates, btleplug in link alone, Tauri in no domain crate).
test-architecture:
	tests/architecture/check-dependencies.sh

# The FHIR test server the sharing tests use checks itself first (FHIR engine, faults, SMART).
test-fhir-server: node-deps
	cd tests/fhir-server && node selftest.mjs && node smart-selftest.mjs

test-rust: ui node-deps
	cargo test --workspace --exclude vitalog-e2e --exclude floor-app
	tests/keyring/with-secret-service.sh cargo test -p journal --test it -- --ignored os_keychain

# `vitalog stats --json` against a second implementation written from STANDARDS.md in Python,
# on a generated journal (CGM with gaps across a DST change, meter cut points, a BP week).
test-stats: app
	python3 tests/stats/compare.py --vitalog $(CLI)

test-ui: node-deps
	cd ui && npm run --silent test

# The real app in a virtual X display, driven through tauri-driver, with a private session bus
# holding a Secret Service; screenshots go to target/e2e-shots/. `timeout` guards against a
# WebKit hang; the harness kills what it starts.
test-e2e: app
	VITALOG_APP=$(APP) VITALOG_CLI=$(CLI) VITALOG_E2E_SHOTS=$(CURDIR)/target/e2e-shots \
	  timeout 900 tests/keyring/with-secret-service.sh xvfb-run -a -s "-screen 0 1280x900x24" \
	  cargo test -p vitalog-e2e -- --test-threads=1

## Benchmarks -------------------------------------------------------------------------------

bench: deps app
	cargo bench -p journal --bench storage
	cargo bench -p trends --bench stats
	cargo bench -p report --bench report
	cargo bench -p sharing --bench delivery
	cargo build --release -p vitalog-app -p floor-app
	timeout 600 xvfb-run -a -s "-screen 0 1280x900x24" \
	  $(CLI) bench startup --app $(CARGO_TARGET_DIR)/release/vitalog-app \
	    --floor $(CARGO_TARGET_DIR)/release/floor-app
