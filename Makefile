# The two commands of the README. Both install what a fresh machine lacks first.
SCENARIO ?= scenarios/palim-2020/baseline.json

.PHONY: run test prerequisites lint bench-serve

## Solve the bundled PALIM baseline and print the match set.
run: prerequisites
	cargo run --release --quiet -- solve $(SCENARIO) --format table

## Run the whole test suite (it also installs LibreOffice, Chromium, openpyxl and
## Node.js, which the tests that use palim's files and page as a person would need),
## then the officer's page end to end in chromium (scripts/browser-tests.sh).
test: prerequisites
	@./scripts/test-prerequisites.sh
	cargo test --release
	./scripts/browser-tests.sh

## Load benchmark of the JSON API: PALIM-size solves at 4x and 16x the pool size in flight.
bench-serve: prerequisites
	cargo run --release --quiet --example serve_load -- --requests $(or $(REQUESTS),200)

## What a developer runs before committing.
lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings

prerequisites:
	@./scripts/prerequisites.sh
