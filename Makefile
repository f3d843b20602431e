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

# Unit, storage (SQLite and a throwaway PostgreSQL), HTTP and browser tests.
test: build
	@bash scripts/test

bench: build
	@bash bench/run
	@bash bench/pk/run
	@./build/$(PRESET)/kclinic_bench --benchmark_min_time=0.2

clean:
	rm -rf build web/dist

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'cmd/*.cc' 'bench/*.cc')
