# The two commands of the README. Both install what a fresh machine lacks first.
SCENARIO ?= scenarios/palim-2020/baseline.json

.PHONY: run test prerequisites lint

## Solve the bundled PALIM baseline and print the match set.
run: prerequisites
	cargo run --release --quiet -- solve $(SCENARIO) --format table

## Run the whole test suite.
test: prerequisites
	cargo test --release

## What a developer runs before committing.
lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings

prerequisites:
	@./scripts/prerequisites.sh
