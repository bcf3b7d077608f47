#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include "_cgo_export.h"

wasm_engine_t *co_engine_new(void) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_component_model_set(config, true);
  return wasm_engine_new_with_config(config);
}

static wasmtime_error_t *co_trampoline(void *env, wasmtime_context_t *context,
                                       const wasmtime_component_func_type_t *ty,
                                       wasmtime_component_val_t *args,
                                       size_t nargs,
                                       wasmtime_component_val_t *results,
                                       size_t nresults) {
  char *msg = coHostCall((uintptr_t)env, context,
                         (wasmtime_component_func_type_t *)ty, args, nargs,
                         results, nresults);
  if (msg) {
    wasmtime_error_t *err = wasmtime_error_new(msg);
    free(msg);
    return err;
  }
  return NULL;
}

wasmtime_error_t *co_add_func(wasmtime_component_linker_instance_t *li,
                              const char *name, size_t name_len, uintptr_t fn) {
  return wasmtime_component_linker_instance_add_func(li, name, name_len,
                                                     co_trampoline, (void *)fn,
                                                     NULL);
}

static wasmtime_error_t *co_resource_dtor(void *env, wasmtime_context_t *context,
                                          uint32_t rep) {
  char *msg = coResourceDrop((uintptr_t)env, rep);
  if (msg) {
    wasmtime_error_t *err = wasmtime_error_new(msg);
    free(msg);
    return err;
  }
  return NULL;
}

wasmtime_error_t *co_add_resource(wasmtime_component_linker_instance_t *li,
                                  const char *name, size_t name_len,
                                  uint32_t ty, uintptr_t drop) {
  wasmtime_component_resource_type_t *rt =
      wasmtime_component_resource_type_new_host(ty);
  wasmtime_error_t *err = wasmtime_component_linker_instance_add_resource(
      li, name, name_len, rt, co_resource_dtor, (void *)drop, NULL);
  wasmtime_component_resource_type_delete(rt);
  return err;
}

char *co_error_message(wasmtime_error_t *err, size_t *len) {
  wasm_byte_vec_t msg;
  wasmtime_error_message(err, &msg);
  char *s = malloc(msg.size + 1);
  if (msg.size)
    memcpy(s, msg.data, msg.size);
  s[msg.size] = 0;
  *len = msg.size;
  wasm_byte_vec_delete(&msg);
  wasmtime_error_delete(err);
  return s;
}
