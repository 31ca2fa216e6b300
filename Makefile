# ferrocov's tasks. `make help` lists them.
.DEFAULT_GOAL := help
export CARGO_TARGET_DIR ?= $(HOME)/.cache/ferrocov/target
PYTHON ?= python3

.PHONY: help
help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

.PHONY: test
test: test-rust test-python  ## the whole test suite: Rust crates, then Python on every CPython 3.10-3.13

.PHONY: test-rust
test-rust:  ## cargo tests of the Rust core crates
	cargo test --workspace --exclude ferrocov_python

.PHONY: test-python
test-python:  ## build ferrocov for each CPython found and run pytest there
	tools/test-python.sh

.PHONY: lint
lint:  ## rustfmt, clippy and ruff, all must be clean
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	$(PYTHON) -m ruff check python tests benches crates/ferrocov_analysis/resources/expected
	$(PYTHON) -m ruff format --check python

.PHONY: cross-check
cross-check:  ## clippy -D warnings of every crate for Linux x86_64/aarch64, macOS x86_64/arm64, Windows x86_64
	tools/cross-check.sh

.PHONY: install
install:  ## build ferrocov and install it into the current Python
	$(PYTHON) -m pip install .

.PHONY: wheels
wheels:  ## release wheels into dist/: manylinux2014 per CPython found (auditwheel-checked), then macOS, Windows, Linux aarch64 where they build
	rm -f dist/ferrocov-*.whl
	$(PYTHON) tools/wheels.py --out dist linux $$(tools/pythons.sh)
	$(PYTHON) tools/wheels.py audit dist/ferrocov-*-manylinux*.whl
	$(PYTHON) tools/wheels.py --out dist cross $$(tools/pythons.sh)
	ls -l dist/ferrocov-*.whl

.PHONY: test-wheels
test-wheels:  ## tests/packaging on every CPython found: each version's release wheel in a fresh venv with no Rust
	tools/test-python.sh tests/packaging

.PHONY: old-glibc
old-glibc:  ## make the glibc 2.31 root (tools/old-glibc.sh, ~10 min once) and run the 3.11 wheel's checks in it
	tools/old-glibc.sh provision
	FERROCOV_OLD_GLIBC=1 FERROCOV_PYTHONS=$$(tools/pythons.sh | grep '3\.11') tools/test-python.sh tests/packaging/test_old_glibc.py

.PHONY: fuzz
fuzz:  ## each fuzz target (analysis, shard, config) for FUZZ_SECONDS (default 60); fails on a crash
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) tools/fuzz.sh

.PHONY: bench
bench:  ## benchmark: measuring overhead, report speed on 5,000 files, four reports against one, combine
	$(PYTHON) benches/run.py
	$(PYTHON) benches/reports.py
	$(PYTHON) benches/pytest_reports.py
	$(PYTHON) benches/combine.py

.PHONY: pytest-reports
pytest-reports:  ## pytest --cov with four reports against one: ferrocov's plugin and pytest-cov, 5,000 modules
	$(PYTHON) benches/pytest_reports.py

.PHONY: bench-combine
bench-combine:  ## combining 1,000 per-process data files: coverage combine against ferrocov combine
	$(PYTHON) benches/combine.py

.PHONY: bench-ci-combine
bench-ci-combine:  ## the last job of a CI matrix: 100 jobs x 20 processes' files, with [paths]
	$(PYTHON) benches/combine.py --ci-jobs 100 --inputs 2000

.PHONY: stress
stress:  ## every multi-process scenario 20 times per Python version: lost lines must be 0
	$(PYTHON) benches/stress.py --markdown

.PHONY: stress-branch
stress-branch:  ## the same, measuring branches: lost arcs must be 0
	$(PYTHON) benches/stress.py --branch --markdown

.PHONY: stress-contexts
stress-contexts:  ## the same, each program inside a test's context: every lost line counts, and so does one under another label
	$(PYTHON) benches/stress.py --context --markdown

.PHONY: startup
startup:  ## interpreter start-up with and without ferrocov's start-up hook (ferrocov.pth)
	$(PYTHON) benches/startup.py
