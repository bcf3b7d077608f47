// C helpers of the wasmtime adapter. They keep casts between integers and
// pointers (cgo handles stored as void*) on the C side, and route wasmtime's
// callbacks to the Go functions exported in wasmtime.go.
#ifndef RA_WASMTIME_SHIM_H
#define RA_WASMTIME_SHIM_H

#include <stdint.h>
#if defined(__has_include) && !__has_include(<wasmtime.h>)
#error "wasmtime.h not found: set CGO_CFLAGS=-I$(go list -m -f '{{.Dir}}' github.com/bytecodealliance/wasmtime-go/v39)/build/include (see the package documentation of runtimeadapters/wasmtime, or run make test-wasmtime)"
#endif
#include <wasmtime.h>

// ra_engine_new creates an engine with epoch interruption enabled.
wasm_engine_t *ra_engine_new(size_t max_wasm_stack);

// ra_store_new creates a store whose data is the cgo handle of the adapter
// instance, with the epoch-deadline callback installed (deadline: 1 tick).
wasmtime_store_t *ra_store_new(wasm_engine_t *engine, uintptr_t inst);

// ra_functype builds a function type from core value type codes (0x7f i32,
// 0x7e i64, 0x7d f32, 0x7c f64).
wasm_functype_t *ra_functype(const uint8_t *params, size_t np,
                             const uint8_t *results, size_t nr);

// ra_define defines a host function on the linker; fn is the cgo handle of
// the Go host function.
wasmtime_error_t *ra_define(wasmtime_linker_t *linker, const char *module,
                            size_t module_len, const char *name,
                            size_t name_len, const uint8_t *params, size_t np,
                            const uint8_t *results, size_t nr, uintptr_t fn);

// ra_set_wasi gives the store a WASI context: no arguments, environment or
// preopened directories. stdout goes to the Go writer whose cgo handle is
// stdout_w if that is not 0 (raWASIWrite; raWASIDrop when the stream is
// dropped), else to the file stdout_path, else nowhere; stderr likewise. It
// returns false if a file cannot be opened.
bool ra_set_wasi(wasmtime_context_t *context, const char *stdout_path,
                 const char *stderr_path, uintptr_t stdout_w,
                 uintptr_t stderr_w);

// ra_message returns a malloc'ed copy of an error's (or trap's) message; the
// caller frees it. The error/trap is deleted. For an error, *exited is set
// if it is a WASI exit, with its status in *status.
char *ra_error_message(wasmtime_error_t *err, size_t *len, int *exited,
                       int *status);
char *ra_trap_message(wasm_trap_t *trap, size_t *len, int *code);

#endif
