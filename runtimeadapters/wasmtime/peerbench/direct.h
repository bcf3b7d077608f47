// C side of (c-direct): wasmtime's component model called through its C API
// without componentoracle's Go value layer and per-call export lookup.
#ifndef PEERBENCH_DIRECT_H
#define PEERBENCH_DIRECT_H

#include <stdbool.h>
#include <stdint.h>
#if defined(__has_include) && !__has_include(<wasmtime.h>)
#error "wasmtime.h not found: set CGO_CFLAGS as runtimeadapters/wasmtime/wasmtime.mk does (make bench-wasmtime)"
#endif
#include <wasmtime.h>

#define PB_NFUNCS 6 // ping, roundtrip-ping, echo-string, echo-list-u8, echo-record, echo-list-record

typedef struct pb {
  wasm_engine_t *engine;
  wasmtime_component_t *component;
  wasmtime_component_linker_t *linker;
  wasmtime_store_t *store;
  wasmtime_context_t *ctx;
  wasmtime_component_instance_t inst;
  wasmtime_component_func_t funcs[PB_NFUNCS];
  wasmtime_component_val_t arg, res;
  int pending; // function whose result res holds (post-return pending), or -1
} pb_t;

// A mixed record; the string is at goff in a string buffer (arguments) or
// at gp in wasmtime's result value (results).
typedef struct pb_rec {
  uint8_t a;
  int16_t b;
  uint32_t c;
  int64_t d;
  float e;
  double f;
  size_t goff;
  const char *gp;
  size_t glen;
  bool h;
} pb_rec_t;

// pb_open compiles and instantiates; on failure returns NULL and *err (free it).
pb_t *pb_open(const uint8_t *src, size_t len, const char *iface, size_t iface_len,
              const char **names, char **err);
void pb_close(pb_t *p);

// pb_call calls funcs[i] with p->arg (if nargs) and leaves the result in
// p->res; pb_done runs post-return and frees the result. Both return an
// error message (free it) or NULL.
char *pb_call(pb_t *p, int i, int nargs, int nres);
char *pb_done(pb_t *p);

void pb_arg_string(pb_t *p, const char *s, size_t n);
void pb_arg_bytes(pb_t *p, const uint8_t *b, size_t n);
void pb_arg_record(pb_t *p, const pb_rec_t *r, const char *strs);
void pb_arg_records(pb_t *p, const pb_rec_t *r, size_t n, const char *strs);

// Result readers: they return false if p->res has the wrong shape.
bool pb_res_string(pb_t *p, const char **s, size_t *n);
size_t pb_res_list_len(pb_t *p);
bool pb_res_bytes(pb_t *p, uint8_t *out, size_t n);
bool pb_res_records(pb_t *p, pb_rec_t *out, size_t n); // n = 1 and a record result: the record

#endif
