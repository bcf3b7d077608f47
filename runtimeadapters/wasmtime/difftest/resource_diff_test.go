package difftest

// TestResourceDifferential: the kitchen-sink world's two resources, under
// wasmtime's native component model (the oracle) and under the generated
// bindings on wazero's compiler, wazero's interpreter and the wasmtime
// adapter, driven by the same random sequences of operations (rapid):
//
//   - counter, defined and exported by the guest (rep = a guest heap
//     block): constructor, [static]zero, methods get, increment, label
//     (host → guest with a borrow of a host-held own handle),
//     [static]merge (two borrows, possibly of the same counter),
//     consume-counter (the own handle is given away; the guest's
//     [resource-drop] runs the destructor re-entrantly) and the host's
//     drop (the destructor runs).
//   - blob, defined by the host and imported by the guest: the host
//     creates blobs and lends (blob-size, blob-len: guest → host
//     blob-len with the lent handle) or gives them (blob-take: the guest
//     drops it, blob-pass: guest → host echo-blob → back to the host) to
//     the guest; the guest creates them through the host's constructor
//     (blob-roundtrip: constructor, append, size, read, drop), make-blob
//     (blob-make, blob-consume: the own handle goes back to the host's
//     consume-blob) and [static]merge (blob-merge, two borrows).
//
// After every operation the result, every engine's and the oracle's, must
// equal the model's (a counter is a u32 with wrapping adds; a blob is its
// bytes, numbered 1, 2, ... in creation order), and so must the handle
// lifetimes: the guest's live allocations (one per live counter; the
// oracle's component exports kitchen-sink-live-allocs) and the sequence of
// blob destructor calls (the guest dropping an own blob handle). At the
// end of each sequence the host drops its counters: no guest allocation
// and no handle may be left anywhere.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"pgregory.net/rapid"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	co "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wasmtime/internal/componentoracle"
)

// rcounter is a counter the host holds an own handle to.
type rcounter struct {
	val uint32
	o   *co.Resource
	b   []*ks.Counter // per engine
}

// resModel is the spec's view of the host's handles.
type resModel struct {
	counters []*rcounter
	blobs    []uint32          // blobs the host holds (ids)
	data     map[uint32][]byte // every live blob's bytes
	next     uint32            // the last blob id
	drops    []uint32          // blob destructor calls
	live     int32             // live guest allocations (counters)
}

func (m *resModel) newBlob(d []byte) uint32 {
	m.next++
	m.data[m.next] = slices.Clone(d)
	return m.next
}

type resRig struct {
	o       *oracle
	engines []*bindings
	m       *resModel
	ops     atomic.Int64
}

func (r *resRig) reset(t tb) {
	r.o.reset(t)
	for _, b := range r.engines {
		b.reset(t)
	}
	r.m = &resModel{data: map[uint32][]byte{}}
}

func (r *resRig) ocall(t tb, name string, args ...co.Value) co.Value {
	res, err := r.o.inst.Call(guestIface+"#"+name, args...)
	if err != nil {
		t.Fatalf("oracle (wasmtime component model): %s: %v", name, err)
	}
	if len(res) == 0 {
		return co.Value{}
	}
	return res[0]
}

func (r *resRig) oracleLive(t tb) int32 {
	res, err := r.o.inst.Call("kitchen-sink-live-allocs")
	if err != nil {
		t.Fatalf("oracle: kitchen-sink-live-allocs: %v", err)
	}
	return int32(res[0].Int)
}

func bindingsLive(t tb, b *bindings) int32 {
	var stack [1]uint64
	if err := b.lives.Call(context.Background(), stack[:]); err != nil {
		t.Fatalf("%s: kitchen-sink-live-allocs: %v", b.name, err)
	}
	return int32(stack[0])
}

func oracleBlobID(t tb, v co.Value) uint32 {
	if v.Kind != co.KindResource || v.Res == nil || !v.Res.Host || !v.Res.Own || v.Res.Type != blobType {
		t.Fatalf("oracle: want an own blob handle, got %v", v)
	}
	return v.Res.Rep
}

func bindingsBlobID(t tb, b *bindings, x ks.Blob) uint32 {
	id, err := blobID(x)
	if err != nil {
		t.Fatalf("%s: %v", b.name, err)
	}
	return id
}

// agree checks one answer per side against the model's.
func agree[T any](t tb, op string, want T, oracle T, engines []T, names []string, eq func(a, b T) bool) {
	if !eq(oracle, want) {
		t.Fatalf("oracle: %s = %v, the model (CanonicalABI.md semantics) says %v", op, oracle, want)
	}
	for i, got := range engines {
		if !eq(got, want) {
			t.Fatalf("DISAGREEMENT on %s: %s\n  oracle:   %v\n  bindings: %v", names[i], op, oracle, got)
		}
	}
}

func eqU32(a, b uint32) bool   { return a == b }
func eqStr(a, b string) bool   { return a == b }
func eqBytes(a, b []byte) bool { return sameBytes(a, b) }
func eqIDs(a, b []uint32) bool { return slices.Equal(a, b) }
func eqI32(a, b int32) bool    { return a == b }
func eqInt(a, b int) bool      { return a == b }

func (r *resRig) names() []string {
	var n []string
	for _, b := range r.engines {
		n = append(n, b.name)
	}
	return n
}

// each runs f on every engine, collecting its answers.
func each[T any](r *resRig, f func(k int, b *bindings) T) []T {
	out := make([]T, len(r.engines))
	for k, b := range r.engines {
		out[k] = f(k, b)
	}
	return out
}

// checkState compares the handle lifetimes after an operation.
func (r *resRig) checkState(t tb, op string) {
	m := r.m
	agree(t, op+": live guest allocations", m.live, r.oracleLive(t),
		each(r, func(_ int, b *bindings) int32 { return bindingsLive(t, b) }), r.names(), eqI32)
	agree(t, op+": blob destructor calls", m.drops, r.o.blobs.drops,
		each(r, func(_ int, b *bindings) []uint32 { return b.host.blobs.drops }), r.names(), eqIDs)
	agree(t, op+": live host blobs", len(m.data), len(r.o.blobs.data),
		each(r, func(_ int, b *bindings) int { return len(b.host.blobs.data) }), r.names(), eqInt)
}

func pickOne[T any](rt *rapid.T, xs []T, label string) (int, T) {
	i := rapid.IntRange(0, len(xs)-1).Draw(rt, label)
	return i, xs[i]
}

func TestResourceDifferential(t *testing.T) {
	r := &resRig{o: newOracle(t), engines: []*bindings{
		newBindings(t, "wazero-compiler", newWazeroCompiler),
		newBindings(t, "wazero-interpreter", newWazeroInterpreter),
		newBindings(t, "wasmtime-adapter", newWasmtimeAdapter),
	}}
	r.m = &resModel{data: map[uint32][]byte{}}
	ctx := context.Background()
	names := r.names()
	ops := []string{"counter-new", "counter-zero", "counter-get", "counter-increment", "counter-label",
		"counter-merge", "consume-counter", "counter-drop", "host-blob", "blob-size", "blob-len", "blob-take",
		"blob-pass", "blob-merge", "blob-make", "blob-consume", "blob-roundtrip"}
	var seqs int
	dirty := false
	prop := func(rt *rapid.T) {
		if dirty {
			r.reset(rt)
		}
		dirty = true
		m := r.m
		n := rapid.IntRange(1, 170).Draw(rt, "n")
		for step := range n {
			op := rapid.SampledFrom(ops).Draw(rt, fmt.Sprintf("op%d", step))
			needCounters := map[string]int{"counter-get": 1, "counter-increment": 1, "counter-label": 1,
				"counter-merge": 1, "consume-counter": 1, "counter-drop": 1}[op]
			needBlobs := map[string]int{"blob-size": 1, "blob-len": 1, "blob-take": 1, "blob-pass": 1, "blob-merge": 1}[op]
			if len(m.counters) < needCounters {
				op = "counter-new"
			} else if len(m.blobs) < needBlobs {
				op = "host-blob"
			}
			r.ops.Add(1)
			g := func(b *bindings) ks.GuestExports { return b.in.Guest() }
			switch op {
			case "counter-new", "counter-zero":
				var start uint32
				var ov co.Value
				var bc []*ks.Counter
				if op == "counter-new" {
					start = rapid.Uint32().Draw(rt, "start")
					ov = r.ocall(rt, "[constructor]counter", co.U32(start))
					bc = each(r, func(_ int, b *bindings) *ks.Counter {
						c, err := g(b).NewCounter(ctx, start)
						if err != nil {
							rt.Fatalf("%s: NewCounter: %v", b.name, err)
						}
						return c
					})
				} else {
					ov = r.ocall(rt, "[static]counter.zero")
					bc = each(r, func(_ int, b *bindings) *ks.Counter {
						c, err := g(b).CounterZero(ctx)
						if err != nil {
							rt.Fatalf("%s: CounterZero: %v", b.name, err)
						}
						return c
					})
				}
				if ov.Kind != co.KindResource || ov.Res == nil || ov.Res.Host || !ov.Res.Own {
					rt.Fatalf("oracle: %s returned %v, want an own counter handle", op, ov)
				}
				m.counters = append(m.counters, &rcounter{val: start, o: ov.Res, b: bc})
				m.live++
			case "counter-get", "counter-label":
				_, c := pickOne(rt, m.counters, "counter")
				if op == "counter-get" {
					agree(rt, op, c.val, uint32(r.ocall(rt, "[method]counter.get", c.o.Borrow()).Uint),
						each(r, func(k int, b *bindings) uint32 {
							v, err := c.b[k].Get(ctx)
							if err != nil {
								rt.Fatalf("%s: Get: %v", b.name, err)
							}
							return v
						}), names, eqU32)
				} else {
					agree(rt, op, fmt.Sprintf("counter=%d", c.val), r.ocall(rt, "[method]counter.label", c.o.Borrow()).Str,
						each(r, func(k int, b *bindings) string {
							v, err := c.b[k].Label(ctx)
							if err != nil {
								rt.Fatalf("%s: Label: %v", b.name, err)
							}
							return v
						}), names, eqStr)
				}
			case "counter-increment":
				_, c := pickOne(rt, m.counters, "counter")
				by := rapid.Uint32().Draw(rt, "by")
				c.val += by
				agree(rt, op, c.val, uint32(r.ocall(rt, "[method]counter.increment", c.o.Borrow(), co.U32(by)).Uint),
					each(r, func(k int, b *bindings) uint32 {
						v, err := c.b[k].Increment(ctx, by)
						if err != nil {
							rt.Fatalf("%s: Increment: %v", b.name, err)
						}
						return v
					}), names, eqU32)
			case "counter-merge":
				_, a := pickOne(rt, m.counters, "a")
				_, c := pickOne(rt, m.counters, "b") // may be a: the same counter borrowed twice
				ov := r.ocall(rt, "[static]counter.merge", a.o.Borrow(), c.o.Borrow())
				if ov.Kind != co.KindResource || ov.Res == nil || ov.Res.Host || !ov.Res.Own {
					rt.Fatalf("oracle: merge returned %v, want an own counter handle", ov)
				}
				bc := each(r, func(k int, b *bindings) *ks.Counter {
					x, err := g(b).CounterMerge(ctx, a.b[k], c.b[k])
					if err != nil {
						rt.Fatalf("%s: CounterMerge: %v", b.name, err)
					}
					return x
				})
				m.counters = append(m.counters, &rcounter{val: a.val + c.val, o: ov.Res, b: bc})
				m.live++
			case "consume-counter":
				i, c := pickOne(rt, m.counters, "counter")
				agree(rt, op, c.val, uint32(r.ocall(rt, "consume-counter", c.o.Handle()).Uint),
					each(r, func(k int, b *bindings) uint32 {
						v, err := g(b).ConsumeCounter(ctx, c.b[k])
						if err != nil {
							rt.Fatalf("%s: ConsumeCounter: %v", b.name, err)
						}
						return v
					}), names, eqU32)
				m.counters = slices.Delete(m.counters, i, i+1)
				m.live--
			case "counter-drop":
				i, c := pickOne(rt, m.counters, "counter")
				if err := r.o.inst.Drop(c.o); err != nil {
					rt.Fatalf("oracle: drop counter: %v", err)
				}
				for k, b := range r.engines {
					if err := c.b[k].Drop(ctx); err != nil {
						rt.Fatalf("%s: Counter.Drop: %v", b.name, err)
					}
				}
				m.counters = slices.Delete(m.counters, i, i+1)
				m.live--
			case "host-blob":
				d := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(rt, "data")
				id := m.newBlob(d)
				agree(rt, op, id, r.o.blobs.create(d),
					each(r, func(_ int, b *bindings) uint32 { return b.host.blobs.create(d) }), names, eqU32)
				m.blobs = append(m.blobs, id)
			case "blob-size", "blob-len":
				_, id := pickOne(rt, m.blobs, "blob")
				agree(rt, op, uint32(len(m.data[id])), uint32(r.ocall(rt, op, co.HostBorrow(id, blobType)).Uint),
					each(r, func(_ int, b *bindings) uint32 {
						call := g(b).BlobSize
						if op == "blob-len" {
							call = g(b).BlobLen
						}
						v, err := call(ctx, b.host.blob(id))
						if err != nil {
							rt.Fatalf("%s: %s: %v", b.name, op, err)
						}
						return v
					}), names, eqU32)
			case "blob-take":
				i, id := pickOne(rt, m.blobs, "blob")
				agree(rt, op, m.data[id], bytesOf(r.ocall(rt, op, co.HostOwn(id, blobType))),
					each(r, func(_ int, b *bindings) []byte {
						v, err := g(b).BlobTake(ctx, b.host.blob(id))
						if err != nil {
							rt.Fatalf("%s: BlobTake: %v", b.name, err)
						}
						return v
					}), names, eqBytes)
				m.blobs = slices.Delete(m.blobs, i, i+1)
				delete(m.data, id)
				m.drops = append(m.drops, id)
			case "blob-pass":
				_, id := pickOne(rt, m.blobs, "blob")
				agree(rt, op, id, oracleBlobID(rt, r.ocall(rt, op, co.HostOwn(id, blobType))),
					each(r, func(_ int, b *bindings) uint32 {
						v, err := g(b).BlobPass(ctx, b.host.blob(id))
						if err != nil {
							rt.Fatalf("%s: BlobPass: %v", b.name, err)
						}
						return bindingsBlobID(rt, b, v)
					}), names, eqU32)
			case "blob-merge":
				_, x := pickOne(rt, m.blobs, "a")
				_, y := pickOne(rt, m.blobs, "b") // may be x
				id := m.newBlob(append(slices.Clone(m.data[x]), m.data[y]...))
				agree(rt, op, id, oracleBlobID(rt, r.ocall(rt, op, co.HostBorrow(x, blobType), co.HostBorrow(y, blobType))),
					each(r, func(_ int, b *bindings) uint32 {
						v, err := g(b).BlobMerge(ctx, b.host.blob(x), b.host.blob(y))
						if err != nil {
							rt.Fatalf("%s: BlobMerge: %v", b.name, err)
						}
						return bindingsBlobID(rt, b, v)
					}), names, eqU32)
				m.blobs = append(m.blobs, id)
			case "blob-make":
				d := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(rt, "data")
				id := m.newBlob(d)
				agree(rt, op, id, oracleBlobID(rt, r.ocall(rt, op, co.Bytes(d))),
					each(r, func(_ int, b *bindings) uint32 {
						v, err := g(b).BlobMake(ctx, d)
						if err != nil {
							rt.Fatalf("%s: BlobMake: %v", b.name, err)
						}
						return bindingsBlobID(rt, b, v)
					}), names, eqU32)
				m.blobs = append(m.blobs, id)
			case "blob-consume", "blob-roundtrip":
				d := rapid.SliceOfN(rapid.Byte(), 0, 64).Draw(rt, "data")
				id := m.newBlob(d)
				want := d
				if op == "blob-roundtrip" {
					want = append(slices.Clone(d), d...)
				}
				agree(rt, op, want, bytesOf(r.ocall(rt, op, co.Bytes(d))),
					each(r, func(_ int, b *bindings) []byte {
						call := g(b).BlobConsume
						if op == "blob-roundtrip" {
							call = g(b).BlobRoundtrip
						}
						v, err := call(ctx, d)
						if err != nil {
							rt.Fatalf("%s: %s: %v", b.name, op, err)
						}
						return v
					}), names, eqBytes)
				delete(m.data, id) // consumed by the host, or dropped by the guest
				if op == "blob-roundtrip" {
					m.drops = append(m.drops, id)
				}
			}
			r.checkState(rt, fmt.Sprintf("step %d (%s)", step, op))
		}
		// The host drops what it still holds: nothing may be left.
		for _, c := range m.counters {
			if err := r.o.inst.Drop(c.o); err != nil {
				rt.Fatalf("oracle: drop counter: %v", err)
			}
			for k, b := range r.engines {
				if err := c.b[k].Drop(ctx); err != nil {
					rt.Fatalf("%s: Counter.Drop: %v", b.name, err)
				}
			}
			m.live--
		}
		m.counters = nil
		r.checkState(rt, "end of sequence")
		for _, b := range r.engines {
			if n := ks.LiveHandles(b.in); n != 0 {
				rt.Fatalf("%s: %d handles left in the bindings' table after the sequence", b.name, n)
			}
		}
		seqs++
		dirty = false
	}
	// Two rounds of rapid.checks sequences each (rapid favours short
	// sequences; this gives about 11,000 operations per run).
	for range 2 {
		rapid.Check(t, prop)
	}
	t.Logf("%d resource operations in %d sequences, each on the oracle, wazero-compiler, wazero-interpreter and wasmtime-adapter", r.ops.Load(), seqs)
	if !checksSet && !testing.Short() && !t.Failed() && r.ops.Load() < 8000 {
		t.Errorf("only %d resource operations; the test must run at least 8,000", r.ops.Load())
	}
}

// TestResourceMisuse: handles used after they are gone must fail on both
// sides (CanonicalABI.md: lifting an own or borrow handle traps unless the
// handle is in the table, and canon resource.drop removes it): a counter
// used after consume-counter gave it away, used after the host dropped
// it, and dropped twice.
func TestResourceMisuse(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		oracle func(o *oracle, h *co.Resource) error
		bind   func(b *bindings, h *ks.Counter) error
	}{
		{"get after consume-counter",
			func(o *oracle, h *co.Resource) error {
				if _, err := o.inst.Call(guestIface+"#consume-counter", h.Handle()); err != nil {
					return fmt.Errorf("consume-counter itself failed: %w", err)
				}
				_, err := o.inst.Call(guestIface+"#[method]counter.get", h.Borrow())
				return err
			},
			func(b *bindings, h *ks.Counter) error {
				if _, err := b.in.Guest().ConsumeCounter(ctx, h); err != nil {
					return fmt.Errorf("ConsumeCounter itself failed: %w", err)
				}
				_, err := h.Get(ctx)
				return err
			}},
		{"consume-counter after drop",
			func(o *oracle, h *co.Resource) error {
				if err := o.inst.Drop(h); err != nil {
					return fmt.Errorf("drop itself failed: %w", err)
				}
				_, err := o.inst.Call(guestIface+"#consume-counter", h.Handle())
				return err
			},
			func(b *bindings, h *ks.Counter) error {
				if err := h.Drop(ctx); err != nil {
					return fmt.Errorf("Drop itself failed: %w", err)
				}
				_, err := b.in.Guest().ConsumeCounter(ctx, h)
				return err
			}},
		{"drop twice",
			func(o *oracle, h *co.Resource) error {
				if err := o.inst.Drop(h); err != nil {
					return fmt.Errorf("drop itself failed: %w", err)
				}
				return o.inst.Drop(h)
			},
			func(b *bindings, h *ks.Counter) error {
				if err := h.Drop(ctx); err != nil {
					return fmt.Errorf("Drop itself failed: %w", err)
				}
				return h.Drop(ctx)
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := newOracle(t)
			res, err := o.inst.Call(guestIface+"#[constructor]counter", co.U32(7))
			if err != nil {
				t.Fatal(err)
			}
			oerr := c.oracle(o, res[0].Res)
			if oerr == nil || strings.Contains(oerr.Error(), "itself failed") {
				t.Fatalf("oracle: %v, want an error from the misuse", oerr)
			}
			t.Logf("oracle: %v", firstLine(oerr))
			for _, en := range []struct {
				name  string
				newRT func() (ra.Runtime, error)
			}{{"wazero-compiler", newWazeroCompiler}, {"wazero-interpreter", newWazeroInterpreter}, {"wasmtime-adapter", newWasmtimeAdapter}} {
				b := newBindings(t, en.name, en.newRT)
				h, err := b.in.Guest().NewCounter(ctx, 7)
				if err != nil {
					t.Fatal(err)
				}
				berr := c.bind(b, h)
				if berr == nil || strings.Contains(berr.Error(), "itself failed") {
					t.Fatalf("DISAGREEMENT on %s: %v; the oracle failed (%v)", en.name, berr, firstLine(oerr))
				}
				// The misuse is refused before the guest runs: the
				// instance still works and nothing leaked.
				if n := bindingsLive(t, b); n != 0 {
					t.Errorf("%s: %d guest allocations live after the misuse", en.name, n)
				}
				if _, err := b.in.Guest().BlobRoundtrip(ctx, []byte("ok")); err != nil {
					t.Errorf("%s: instance unusable after the refused misuse: %v", en.name, err)
				}
			}
		})
	}
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}
