# The front door. A newcomer needs only these targets:
#   make demo   start the whole product on this machine and print what to open
#   make test   build and run every test (unit, integration with a real broker, fuzz, scenarios)
#   make build  build/latchkey, optimised, and the web app in build/web
#   make bench  run the benchmarks; figures land in build/bench/results.json
#   make fuzz   build the libFuzzer targets into build/fuzz
.PHONY: demo test build bench fuzz setup format clean

JOBS ?= $(shell nproc)

setup:
	@./scripts/setup.sh

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target latchkey
	@ln -sfn release/app/latchkey build/latchkey
	@./web/scripts/build.sh build/web
	@echo "built build/latchkey and build/web"

fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

test: setup fuzz
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)
	@ctest --preset debug -j $(JOBS) -LE scenarios_pending

bench: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@ln -sfn release/app/latchkey build/latchkey
	@./scripts/bench.sh

DEMO_PORT ?= 8080
demo: build
	@./build/latchkey demo --dir build/demo --port $(DEMO_PORT) --web build/web

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf build
