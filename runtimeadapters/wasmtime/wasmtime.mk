# make fragment for the wasmtime adapter (a nested Go module, so that users
# of the main module never download wasmtime). The root Makefile includes it:
#
#	include runtimeadapters/wasmtime/wasmtime.mk
#	test: test-wasmtime
#
# The adapter and its component-model oracle are cgo and compile against the
# C headers shipped inside the wasmtime-go module; cgo cannot name that
# directory relative to the package, so CGO_CFLAGS points at it. The path is
# computed from the module cache (after downloading the module if needed).
# The first build links the 50 MB libwasmtime.a and takes a few minutes;
# later builds are cached.

WASMTIME_MK_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
WASMTIME_GO_MOD := github.com/bytecodealliance/wasmtime-go/v39
GO ?= go

# wasmtime-cflags prints the CGO_CFLAGS the nested module needs.
define wasmtime-cflags
cd $(WASMTIME_MK_DIR) && $(GO) mod download $(WASMTIME_GO_MOD) && \
	echo "-I$$($(GO) list -m -f '{{.Dir}}' $(WASMTIME_GO_MOD))/build/include"
endef

.PHONY: test-wasmtime vet-wasmtime bench-wasmtime
test-wasmtime:
	cflags="$$($(wasmtime-cflags))" && cd $(WASMTIME_MK_DIR) && \
	CGO_ENABLED=1 CGO_CFLAGS="$$cflags $${CGO_CFLAGS:--O2 -g}" $(GO) vet ./... && \
	CGO_ENABLED=1 CGO_CFLAGS="$$cflags $${CGO_CFLAGS:--O2 -g}" $(GO) test -count=1 ./...

bench-wasmtime:
	cflags="$$($(wasmtime-cflags))" && cd $(WASMTIME_MK_DIR) && \
	CGO_ENABLED=1 CGO_CFLAGS="$$cflags $${CGO_CFLAGS:--O2 -g}" $(GO) test -run '^$$' -bench . -benchmem ./...
