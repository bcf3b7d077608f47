# make fragment for the wasmtime adapter (a nested Go module, so that users
# of the main module never download wasmtime). The root Makefile includes it
# and makes `make test` run it:
#
#	-include runtimeadapters/wasmtime/wasmtime.mk
#	test: test-wasmtime
#
# Targets:
#	test-wasmtime   go vet + go test of the nested module (adapter, cross-engine
#	                suite, component oracle)
#	bench-wasmtime  the cross-engine benchmarks, and the peer benchmarks'
#	                interleaved ratio table (peerbench, README.md)
#
# The adapter and the component oracle are cgo and compile against the C
# headers shipped inside the wasmtime-go module; cgo cannot name that
# directory relative to the package, so CGO_CFLAGS points at it. The path is
# computed from the module cache (after downloading the module if needed).
# Needs a C compiler (gcc, cc or clang). The first build links the 50 MB
# libwasmtime.a and takes a few minutes; later builds are cached.

WASMTIME_SAVED_GOAL := $(.DEFAULT_GOAL)
WASMTIME_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
WASMTIME_GO_MOD := github.com/bytecodealliance/wasmtime-go/v39
GO ?= go

# wasmtime-env runs the rest of the line in the nested module with cgo set up.
define wasmtime-env
set -e; cd $(WASMTIME_MK_DIR); \
$(GO) mod download $(WASMTIME_GO_MOD); \
inc="$$($(GO) list -m -f '{{.Dir}}' $(WASMTIME_GO_MOD))/build/include"; \
test -f "$$inc/wasmtime.h" || { echo "wasmtime.mk: no wasmtime.h in $$inc" >&2; exit 1; }; \
export CGO_ENABLED=1 CGO_CFLAGS="-I$$inc $${CGO_CFLAGS:--O2 -g}"; \
command -v "$${CC:-gcc}" >/dev/null 2>&1 || export CC="$$(command -v cc || command -v clang)";
endef

.PHONY: test-wasmtime bench-wasmtime
test-wasmtime:
	$(wasmtime-env) $(GO) vet ./... && $(GO) test -count=1 ./...

bench-wasmtime:
	$(wasmtime-env) $(GO) test -run '^$$' -bench . -benchmem ./... && \
	PEERBENCH_RATIOS=41 $(GO) test -count=1 -run TestPeerTable -v ./peerbench

# Including this file does not change the default goal.
.DEFAULT_GOAL := $(WASMTIME_SAVED_GOAL)
