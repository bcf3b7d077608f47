// C glue of the component oracle: the host-function and resource-destructor
// trampolines and casts between cgo handles and void*.
#ifndef RA_COMPONENTORACLE_SHIM_H
#define RA_COMPONENTORACLE_SHIM_H

#include <stdint.h>
#if defined(__has_include) && !__has_include(<wasmtime.h>)
#error "wasmtime.h not found: set CGO_CFLAGS=-I$(go list -m -f '{{.Dir}}' github.com/bytecodealliance/wasmtime-go/v39)/build/include (see the package documentation of runtimeadapters/wasmtime, or run make test-wasmtime)"
#endif
#include <wasmtime.h>

wasm_engine_t *co_engine_new(void);

wasmtime_error_t *co_add_func(wasmtime_component_linker_instance_t *li,
                              const char *name, size_t name_len, uintptr_t fn);

wasmtime_error_t *co_add_resource(wasmtime_component_linker_instance_t *li,
                                  const char *name, size_t name_len,
                                  uint32_t ty, uintptr_t drop);

char *co_error_message(wasmtime_error_t *err, size_t *len);

#endif
