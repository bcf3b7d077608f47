#include <stdlib.h>
#include <string.h>

#include "shim.h"
#include "_cgo_export.h"

static wasmtime_error_t *ra_epoch_cb(wasmtime_context_t *context, void *data,
                                     uint64_t *delta,
                                     wasmtime_update_deadline_kind_t *kind) {
  if (raEpochDeadline((uintptr_t)data)) {
    return wasmtime_error_new("wasm execution interrupted: context done");
  }
  *delta = 1;
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  return NULL;
}

wasm_engine_t *ra_engine_new(size_t max_wasm_stack) {
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_epoch_interruption_set(config, true);
  if (max_wasm_stack) {
    wasmtime_config_max_wasm_stack_set(config, max_wasm_stack);
  }
  return wasm_engine_new_with_config(config);
}

wasmtime_store_t *ra_store_new(wasm_engine_t *engine, uintptr_t inst) {
  wasmtime_store_t *store = wasmtime_store_new(engine, (void *)inst, NULL);
  wasmtime_store_epoch_deadline_callback(store, ra_epoch_cb, (void *)inst,
                                         NULL);
  wasmtime_context_set_epoch_deadline(wasmtime_store_context(store), 1);
  return store;
}

static wasm_valtype_t *ra_valtype(uint8_t code) {
  switch (code) {
  case 0x7f:
    return wasm_valtype_new(WASM_I32);
  case 0x7e:
    return wasm_valtype_new(WASM_I64);
  case 0x7d:
    return wasm_valtype_new(WASM_F32);
  default:
    return wasm_valtype_new(WASM_F64);
  }
}

wasm_functype_t *ra_functype(const uint8_t *params, size_t np,
                             const uint8_t *results, size_t nr) {
  wasm_valtype_vec_t ps, rs;
  wasm_valtype_vec_new_uninitialized(&ps, np);
  for (size_t i = 0; i < np; i++)
    ps.data[i] = ra_valtype(params[i]);
  wasm_valtype_vec_new_uninitialized(&rs, nr);
  for (size_t i = 0; i < nr; i++)
    rs.data[i] = ra_valtype(results[i]);
  return wasm_functype_new(&ps, &rs);
}

static wasm_trap_t *ra_host_trampoline(void *env, wasmtime_caller_t *caller,
                                       wasmtime_val_raw_t *args,
                                       size_t nargs) {
  wasmtime_context_t *context = wasmtime_caller_context(caller);
  uintptr_t inst = (uintptr_t)wasmtime_context_get_data(context);
  if (raHostCall((uintptr_t)env, inst, context, caller, args, nargs)) {
    static const char msg[] = "host function failed";
    return wasmtime_trap_new(msg, sizeof msg - 1);
  }
  return NULL;
}

wasmtime_error_t *ra_define(wasmtime_linker_t *linker, const char *module,
                            size_t module_len, const char *name,
                            size_t name_len, const uint8_t *params, size_t np,
                            const uint8_t *results, size_t nr, uintptr_t fn) {
  wasm_functype_t *ty = ra_functype(params, np, results, nr);
  wasmtime_error_t *err = wasmtime_linker_define_func_unchecked(
      linker, module, module_len, name, name_len, ty, ra_host_trampoline,
      (void *)fn, NULL);
  wasm_functype_delete(ty);
  return err;
}

static char *ra_copy(const wasm_byte_vec_t *v, size_t n, size_t *len) {
  char *s = malloc(n + 1);
  if (n)
    memcpy(s, v->data, n);
  s[n] = 0;
  *len = n;
  return s;
}

static ptrdiff_t ra_wasi_write(void *data, const unsigned char *buf,
                               size_t n) {
  return raWASIWrite((uintptr_t)data, (unsigned char *)buf, n);
}

static void ra_wasi_drop(void *data) { raWASIDrop((uintptr_t)data); }

bool ra_set_wasi(wasmtime_context_t *context, const char *stdout_path,
                 const char *stderr_path, uintptr_t stdout_w,
                 uintptr_t stderr_w) {
  wasi_config_t *config = wasi_config_new();
  bool ok = true;
  if (stdout_w) {
    wasi_config_set_stdout_custom(config, ra_wasi_write, (void *)stdout_w,
                                  ra_wasi_drop);
  } else if (stdout_path) {
    ok = wasi_config_set_stdout_file(config, stdout_path);
  }
  if (stderr_w) {
    wasi_config_set_stderr_custom(config, ra_wasi_write, (void *)stderr_w,
                                  ra_wasi_drop);
  } else if (ok && stderr_path) {
    ok = wasi_config_set_stderr_file(config, stderr_path);
  }
  if (!ok) {
    wasi_config_delete(config);
    return false;
  }
  wasmtime_error_t *err = wasmtime_context_set_wasi(context, config);
  if (err) {
    wasmtime_error_delete(err);
    return false;
  }
  return true;
}

char *ra_error_message(wasmtime_error_t *err, size_t *len, int *exited,
                       int *status) {
  *exited = wasmtime_error_exit_status(err, status);
  wasm_byte_vec_t msg;
  wasmtime_error_message(err, &msg);
  char *s = ra_copy(&msg, msg.size, len);
  wasm_byte_vec_delete(&msg);
  wasmtime_error_delete(err);
  return s;
}

char *ra_trap_message(wasm_trap_t *trap, size_t *len, int *code) {
  wasm_byte_vec_t msg;
  wasm_trap_message(trap, &msg);
  // wasm_trap_message includes a trailing NUL.
  size_t n = msg.size;
  if (n > 0 && msg.data[n - 1] == 0)
    n--;
  char *s = ra_copy(&msg, n, len);
  wasm_byte_vec_delete(&msg);
  wasmtime_trap_code_t c;
  *code = wasmtime_trap_code(trap, &c) ? (int)c : -1;
  wasm_trap_delete(trap);
  return s;
}
