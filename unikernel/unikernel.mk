# Unikernel image targets. Included by the project Makefile:
#     include unikernel/unikernel.mk
# See unikernel/README.md.
#
#   make unikernel [GUEST=app.wasm] [UK_ENGINE=compiler] [UK_KV=fs] [UK_INSTANCES=n] [UK_COMPRESS=lz4]
#   make unikernel-run [UK_PORT=8080] [UK_MEM=128M]
#   make unikernel-test      # CI: build, boot, scenario, power off
#   make unikernel-bench     # 5 boots, sizes, memory, req/s

GO        ?= go
UK_DIR    ?= build/unikernel
UK_BIN    := $(UK_DIR)/bin
# The http-server-demo guest packed at /app/guest.wasm. The default is the
# demo's Go guest, built here (the same command as the demo's make guests).
UK_DEMO_GUEST := build/demo/http-server-demo.wasm
GUEST     ?= $(UK_DEMO_GUEST)
# Guest instance pool size in the image (0: the demo's default, 4).
UK_INSTANCES ?= 0
# Extra files, e.g. UK_ADD='demo/config/example.toml=/app/slightfile.toml'
UK_ADD    ?=
UK_ENGINE ?= interpreter
UK_KV     ?= memory
# 128M: the target; /init sizes the guest pool to the memory (README "Memory").
UK_MEM    ?= 128M
UK_PORT   ?= 8080
UK_BOOTS  ?= 5
# QEMU machine: microvm (default) or pc.
UK_MACHINE ?= microvm

# Runtime overrides for unikernel-run/-bench (empty: what the image says).
UK_RUN_FLAGS = -dir $(UK_DIR) -m $(UK_MEM) -machine $(UK_MACHINE) $(if $(filter compiler,$(UK_ENGINE)),-engine compiler) $(if $(filter fs,$(UK_KV)),-kv fs)

.PHONY: unikernel unikernel-init unikernel-tools unikernel-qemu unikernel-run \
	unikernel-test unikernel-bench unikernel-guest unikernel-clean unikernel-lz4

# /init: static (CGO_ENABLED=0). `go build` leaves an up-to-date binary
# untouched, so `make unikernel GUEST=...` repacks without rebuilding /init.
# The noredis tag leaves go-redis out (the VM has no way out to a Redis
# server; demo/keyvalue's stub backend says so): 2 MB less /init.
unikernel-init:
	@mkdir -p $(UK_DIR)
	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 $(GO) build -tags noredis -trimpath -ldflags='-s -w' -o $(UK_DIR)/init ./unikernel/cmd/init

unikernel-tools:
	@mkdir -p $(UK_BIN)
	$(GO) build -o $(UK_BIN)/mkimage ./unikernel/cmd/mkimage
	$(GO) build -o $(UK_BIN)/ukvm ./unikernel/cmd/ukvm

# The default guest; with GUEST=other.wasm nothing is built.
unikernel-guest:
ifeq ($(GUEST),$(UK_DEMO_GUEST))
	@mkdir -p $(dir $(UK_DEMO_GUEST))
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -buildmode=c-shared -o $(UK_DEMO_GUEST) ./demo/guests/http-server-demo
endif

# The initramfs's compression: gzip (initramfs.cpio.gz, compress/gzip, the
# default) or lz4 (initramfs.cpio.lz4, by Debian's lz4 program, installed
# here when missing; the kernel unpacks it about 0.15 s faster under TCG).
UK_COMPRESS ?= gzip

unikernel-lz4:
ifeq ($(UK_COMPRESS),lz4)
	@command -v lz4 >/dev/null || { apt-get install -y --no-install-recommends lz4 || \
	  { apt-get update && apt-get install -y --no-install-recommends lz4; }; }
endif

unikernel: unikernel-init unikernel-tools unikernel-guest unikernel-lz4
	$(UK_BIN)/mkimage -out $(UK_DIR) -cache $(UK_DIR)/cache -init $(UK_DIR)/init \
		-compress $(UK_COMPRESS) -engine $(UK_ENGINE) -kv $(UK_KV) -instances $(UK_INSTANCES) -guest $(GUEST) $(foreach a,$(UK_ADD),-add $(a))

# Debian's QEMU, only when missing (CI starts from a fresh machine). apt
# may be busy with another install; retry on its lock.
unikernel-qemu:
	@command -v qemu-system-x86_64 >/dev/null || { \
	  for i in 1 2 3 4 5 6; do \
	    { apt-get update && apt-get install -y --no-install-recommends qemu-system-x86; } && break; \
	    echo "apt busy, retrying in 10 s"; sleep 10; \
	  done; command -v qemu-system-x86_64 >/dev/null; }

unikernel-run: unikernel unikernel-qemu
	$(UK_BIN)/ukvm run $(UK_RUN_FLAGS) -port $(UK_PORT)

unikernel-test: unikernel unikernel-qemu
	UNIKERNEL_VMTEST=1 UNIKERNEL_DIR=$(abspath $(UK_DIR)) UNIKERNEL_MEM=$(UK_MEM) UNIKERNEL_MACHINE=$(UK_MACHINE) $(GO) test -count=1 -v -timeout 15m ./unikernel/vmtest

unikernel-bench: unikernel unikernel-qemu
	$(UK_BIN)/ukvm bench $(UK_RUN_FLAGS) -boots $(UK_BOOTS) -json $(UK_DIR)/bench.json

# Keeps the kernel cache.
unikernel-clean:
	rm -rf $(UK_BIN) $(UK_DIR)/init $(UK_DIR)/vmlinuz $(UK_DIR)/initramfs.cpio.gz $(UK_DIR)/initramfs.cpio.lz4 $(UK_DIR)/initramfs.cpio $(UK_DIR)/initramfs.img $(UK_DIR)/image.json
