#include <stdlib.h>
#include <string.h>

#include "direct.h"
#include "_cgo_export.h"

static char *message(wasmtime_error_t *err) {
  wasm_byte_vec_t msg;
  wasmtime_error_message(err, &msg);
  char *s = malloc(msg.size + 1);
  if (msg.size)
    memcpy(s, msg.data, msg.size);
  s[msg.size] = 0;
  wasm_byte_vec_delete(&msg);
  wasmtime_error_delete(err);
  return s;
}

static char *dupstr(const char *s) {
  char *d = malloc(strlen(s) + 1);
  strcpy(d, s);
  return d;
}

// The host's ping calls into Go (pbHostPing), as a Go embedder's host
// function would.
static wasmtime_error_t *host_ping(void *env, wasmtime_context_t *context,
                                   const wasmtime_component_func_type_t *ty,
                                   wasmtime_component_val_t *args, size_t nargs,
                                   wasmtime_component_val_t *results, size_t nresults) {
  pbHostPing();
  return NULL;
}

pb_t *pb_open(const uint8_t *src, size_t len, const char *iface, size_t iface_len,
              const char **names, char **err) {
  pb_t *p = calloc(1, sizeof *p);
  p->pending = -1;
  wasm_config_t *config = wasm_config_new();
  wasmtime_config_wasm_component_model_set(config, true);
  p->engine = wasm_engine_new_with_config(config);
  wasmtime_error_t *e = wasmtime_component_new(p->engine, src, len, &p->component);
  if (e) {
    *err = message(e);
    pb_close(p);
    return NULL;
  }
  p->linker = wasmtime_component_linker_new(p->engine);
  wasmtime_component_linker_instance_t *root = wasmtime_component_linker_root(p->linker);
  wasmtime_component_linker_instance_t *li;
  e = wasmtime_component_linker_instance_add_instance(root, "test:kitchen-sink/host@0.1.0", 28, &li);
  if (!e) {
    e = wasmtime_component_linker_instance_add_func(li, "ping", 4, host_ping, NULL, NULL);
    wasmtime_component_linker_instance_delete(li);
  }
  wasmtime_component_linker_instance_delete(root);
  if (e) {
    *err = message(e);
    pb_close(p);
    return NULL;
  }
  p->store = wasmtime_store_new(p->engine, NULL, NULL);
  p->ctx = wasmtime_store_context(p->store);
  e = wasmtime_component_linker_instantiate(p->linker, p->ctx, p->component, &p->inst);
  if (e) {
    *err = message(e);
    pb_close(p);
    return NULL;
  }
  wasmtime_component_export_index_t *guest =
      wasmtime_component_instance_get_export_index(&p->inst, p->ctx, NULL, iface, iface_len);
  if (!guest) {
    *err = dupstr("no guest interface export");
    pb_close(p);
    return NULL;
  }
  for (int i = 0; i < PB_NFUNCS; i++) {
    wasmtime_component_export_index_t *idx =
        wasmtime_component_instance_get_export_index(&p->inst, p->ctx, guest, names[i], strlen(names[i]));
    bool ok = idx && wasmtime_component_instance_get_func(&p->inst, p->ctx, idx, &p->funcs[i]);
    if (idx)
      wasmtime_component_export_index_delete(idx);
    if (!ok) {
      wasmtime_component_export_index_delete(guest);
      *err = dupstr("missing guest function");
      pb_close(p);
      return NULL;
    }
  }
  wasmtime_component_export_index_delete(guest);
  return p;
}

void pb_close(pb_t *p) {
  if (p->pending >= 0)
    free(pb_done(p));
  if (p->store)
    wasmtime_store_delete(p->store);
  if (p->linker)
    wasmtime_component_linker_delete(p->linker);
  if (p->component)
    wasmtime_component_delete(p->component);
  if (p->engine)
    wasm_engine_delete(p->engine);
  free(p);
}

char *pb_call(pb_t *p, int i, int nargs, int nres) {
  memset(&p->res, 0, sizeof p->res);
  wasmtime_error_t *e = wasmtime_component_func_call(&p->funcs[i], p->ctx, &p->arg, nargs, &p->res, nres);
  if (nargs)
    wasmtime_component_val_delete(&p->arg);
  memset(&p->arg, 0, sizeof p->arg);
  if (e)
    return message(e);
  p->pending = i;
  return NULL;
}

char *pb_done(pb_t *p) {
  wasmtime_component_val_delete(&p->res);
  memset(&p->res, 0, sizeof p->res);
  int i = p->pending;
  p->pending = -1;
  wasmtime_error_t *e = wasmtime_component_func_post_return(&p->funcs[i], p->ctx);
  return e ? message(e) : NULL;
}

static void set_name(wasm_name_t *n, const char *s, size_t len) {
  if (len == 0)
    wasm_byte_vec_new_empty(n);
  else
    wasm_byte_vec_new(n, len, s);
}

void pb_arg_string(pb_t *p, const char *s, size_t n) {
  p->arg.kind = WASMTIME_COMPONENT_STRING;
  set_name(&p->arg.of.string, s, n);
}

void pb_arg_bytes(pb_t *p, const uint8_t *b, size_t n) {
  p->arg.kind = WASMTIME_COMPONENT_LIST;
  wasmtime_component_vallist_new_uninit(&p->arg.of.list, n);
  wasmtime_component_val_t *v = p->arg.of.list.data;
  for (size_t i = 0; i < n; i++) {
    v[i].kind = WASMTIME_COMPONENT_U8;
    v[i].of.u8 = b[i];
  }
}

static const char *field_names[8] = {"a", "b", "c", "d", "e", "f", "g", "h"};

static void make_record(wasmtime_component_val_t *out, const pb_rec_t *r, const char *strs) {
  out->kind = WASMTIME_COMPONENT_RECORD;
  wasmtime_component_valrecord_new_uninit(&out->of.record, 8);
  wasmtime_component_valrecord_entry_t *f = out->of.record.data;
  for (int k = 0; k < 8; k++)
    set_name(&f[k].name, field_names[k], 1);
  f[0].val.kind = WASMTIME_COMPONENT_U8, f[0].val.of.u8 = r->a;
  f[1].val.kind = WASMTIME_COMPONENT_S16, f[1].val.of.s16 = r->b;
  f[2].val.kind = WASMTIME_COMPONENT_U32, f[2].val.of.u32 = r->c;
  f[3].val.kind = WASMTIME_COMPONENT_S64, f[3].val.of.s64 = r->d;
  f[4].val.kind = WASMTIME_COMPONENT_F32, f[4].val.of.f32 = r->e;
  f[5].val.kind = WASMTIME_COMPONENT_F64, f[5].val.of.f64 = r->f;
  f[6].val.kind = WASMTIME_COMPONENT_STRING;
  set_name(&f[6].val.of.string, strs + r->goff, r->glen);
  f[7].val.kind = WASMTIME_COMPONENT_BOOL, f[7].val.of.boolean = r->h;
}

void pb_arg_record(pb_t *p, const pb_rec_t *r, const char *strs) { make_record(&p->arg, r, strs); }

void pb_arg_records(pb_t *p, const pb_rec_t *r, size_t n, const char *strs) {
  p->arg.kind = WASMTIME_COMPONENT_LIST;
  wasmtime_component_vallist_new_uninit(&p->arg.of.list, n);
  for (size_t i = 0; i < n; i++)
    make_record(&p->arg.of.list.data[i], &r[i], strs);
}

bool pb_res_string(pb_t *p, const char **s, size_t *n) {
  if (p->res.kind != WASMTIME_COMPONENT_STRING)
    return false;
  *s = p->res.of.string.data;
  *n = p->res.of.string.size;
  return true;
}

size_t pb_res_list_len(pb_t *p) {
  return p->res.kind == WASMTIME_COMPONENT_LIST ? p->res.of.list.size : 0;
}

bool pb_res_bytes(pb_t *p, uint8_t *out, size_t n) {
  if (p->res.kind != WASMTIME_COMPONENT_LIST || p->res.of.list.size != n)
    return false;
  const wasmtime_component_val_t *v = p->res.of.list.data;
  for (size_t i = 0; i < n; i++) {
    if (v[i].kind != WASMTIME_COMPONENT_U8)
      return false;
    out[i] = v[i].of.u8;
  }
  return true;
}

static bool read_record(const wasmtime_component_val_t *v, pb_rec_t *r) {
  if (v->kind != WASMTIME_COMPONENT_RECORD || v->of.record.size != 8)
    return false;
  const wasmtime_component_valrecord_entry_t *f = v->of.record.data;
  if (f[6].val.kind != WASMTIME_COMPONENT_STRING)
    return false;
  r->a = f[0].val.of.u8;
  r->b = f[1].val.of.s16;
  r->c = f[2].val.of.u32;
  r->d = f[3].val.of.s64;
  r->e = f[4].val.of.f32;
  r->f = f[5].val.of.f64;
  r->gp = f[6].val.of.string.data;
  r->glen = f[6].val.of.string.size;
  r->h = f[7].val.of.boolean;
  return true;
}

bool pb_res_records(pb_t *p, pb_rec_t *out, size_t n) {
  if (p->res.kind == WASMTIME_COMPONENT_RECORD)
    return n == 1 && read_record(&p->res, out);
  if (p->res.kind != WASMTIME_COMPONENT_LIST || p->res.of.list.size != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!read_record(&p->res.of.list.data[i], &out[i]))
      return false;
  return true;
}
