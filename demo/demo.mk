# demo/demo.mk: targets of the Spiderlightning-style demo (demo/README.md).
# Included by the root Makefile with:  -include demo/demo.mk
#
#   make generate         regenerate every go:generate output in the repo
#   make check-generated  regenerate, then fail if the checked-in files changed
#   make guests           build the Go wasip1 guests into build/demo/*.wasm
#   make demo             build everything and serve the HTTP guest on
#                         127.0.0.1:3000 with the in-memory store (Ctrl-C stops)
#   make demo-test        the end-to-end tests: scenario steps 1-13 and the
#                         keyvalue guests on memory, filesystem and redis
#   make demo-measure     guest vs native req/s and p50/p99 (TestMeasure)

GO              ?= go
DEMO_BUILD      ?= build/demo
DEMO_GUESTS     := http-server-demo keyvalue-demo wasi-keyvalue-demo
DEMO_GUEST_WASM := $(addprefix $(DEMO_BUILD)/,$(addsuffix .wasm,$(DEMO_GUESTS)))
DEMO_BIN        := $(DEMO_BUILD)/wit-bindgen-go-host-demo
DEMO_ARGS       ?=

.PHONY: generate check-generated guests demo demo-build demo-test demo-measure

generate:
	$(GO) generate ./...

check-generated: generate
	git diff --exit-code
	@test -z "$$(git status --porcelain --untracked-files=all -- '*.go')" || { echo "generate created files that are not checked in:"; git status --porcelain --untracked-files=all -- '*.go'; exit 1; }

guests: $(DEMO_GUEST_WASM)

# Always handed to go build, whose cache makes an up-to-date guest cheap.
.PHONY: $(DEMO_GUEST_WASM)
$(DEMO_GUEST_WASM): $(DEMO_BUILD)/%.wasm:
	@mkdir -p $(DEMO_BUILD)
	GOOS=wasip1 GOARCH=wasm $(GO) build -buildmode=c-shared -o $@ ./demo/guests/$*

demo-build: guests
	$(GO) build -o $(DEMO_BIN) ./demo/cmd/wit-bindgen-go-host-demo

demo: demo-build
	$(DEMO_BIN) run --listen 127.0.0.1:3000 $(DEMO_ARGS) $(DEMO_BUILD)/http-server-demo.wasm

demo-test:
	$(GO) test -count=1 -timeout 10m ./demo/...

demo-measure:
	$(GO) test -count=1 -run 'TestMeasure' -v ./demo/internal/scenario
