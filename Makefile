# wit-bindgen-go-host developer targets. See README.md.
GO        ?= go
PKGS      ?= ./...
FUZZTIME  ?= 30s
BENCHTIME ?= 1s

.PHONY: all build test test-report golden lint fuzz bench generate

all: build test

build:
	$(GO) build ./...
	$(GO) build -o bin/wit-bindgen-go-host ./cmd/wit-bindgen-go-host

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

# test-report prints the conformance and corpus counts, which go test hides
# for passing packages (CI runs it after make test).
test-report:
	@$(GO) test -count=1 -v -run 'TestConformance|TestCorpus|TestGuestCorpus' ./parser ./codegen 2>&1 | \
		grep -E '^(wit-parser ui|wit-bindgen codegen|codegen corpus|guest corpus)' || { echo "test-report: no counts found" >&2; exit 1; }

golden:
	$(GO) test ./golden -run TestGolden -update

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

fuzz:
	$(GO) test ./parser -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME)

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) $(PKGS)

# Area fragments: the unikernel image, the wasmtime engine (a nested
# module, so users of the main module never download wasmtime) and the
# http-server/keyvalue demo (generate, guests, demo, check-generated).
-include unikernel/unikernel.mk
-include runtimeadapters/wasmtime/wasmtime.mk
-include demo/demo.mk
-include tools/jco/jco.mk

# make test also runs the wasmtime engine's nested module (cgo).
test: test-wasmtime
