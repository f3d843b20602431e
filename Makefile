# kclinic: `make run` (install, build, serve the demo clinic) and `make test` (everything).
SHELL := /bin/bash
PRESET ?= release
BUILD_DIR := build/$(PRESET)

.PHONY: setup build web run test test-unit test-e2e bench clean format

setup:
	@bash scripts/setup

build: setup
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)
	@if [ -f web/package.json ]; then cd web && npm run --silent build; fi

run: build
	./build/kclinic demo

# The fast tier: builds the base/, domain/ and codec/ tests only (kclinic_unit_tests, which links
# no database, HTTP or program) and runs them (ctest label "unit"). `make test` runs them too, once.
test-unit: setup
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET) --target kclinic_unit_tests
	@ctest --preset $(PRESET) -L unit -j 2 --timeout 120

# Lint, unit, storage (SQLite and a throwaway PostgreSQL), HTTP, CLI, OpenAPI and browser tests.
# scripts/test builds what they run (the release program and web app; both test programs and the
# program once more in the sanitizer build), not the benchmarks.
test: setup
	@PRESET=$(PRESET) bash scripts/test

bench: build
	@bash bench/run
	@bash bench/pk/run
	@./build/$(PRESET)/kclinic_bench --benchmark_min_time=0.2

clean:
	rm -rf build web/dist

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'cmd/*.cc' 'bench/*.cc')
