// C glue of the component oracle: the host-function trampoline and casts
// between cgo handles and void*.
#ifndef RA_COMPONENTORACLE_SHIM_H
#define RA_COMPONENTORACLE_SHIM_H

#include <stdint.h>
#include <wasmtime.h>

wasm_engine_t *co_engine_new(void);

wasmtime_error_t *co_add_func(wasmtime_component_linker_instance_t *li,
                              const char *name, size_t name_len, uintptr_t fn);

char *co_error_message(wasmtime_error_t *err, size_t *len);

#endif
