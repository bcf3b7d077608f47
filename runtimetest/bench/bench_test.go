package bench

// Run:
//
//	go test ./runtimetest/bench -run '^$' -bench . -benchmem -count 6 | tee bench.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl bench.txt

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

var cacheDir = filepath.Join(os.TempDir(), "wit-bindgen-go-host-runtimetest-cache")

// configs are the two runtime configurations measured: with
// WithCloseOnContextDone(true) (what NewRuntime does by default, needed to
// stop runaway guests) and without it. Generated code and baseline always
// run with the same one.
var configs = []struct {
	name  string
	watch bool
}{
	{"ctxwatch", true},
	{"nowatch", false},
}

// benchHost serves the imports the benchmarks use.
type benchHost struct {
	ks.UnimplementedHost
	pings int
}

func (h *benchHost) Ping(ctx context.Context) error                           { h.pings++; return nil }
func (h *benchHost) EchoU32(ctx context.Context, x uint32) (uint32, error)    { return x, nil }
func (h *benchHost) EchoString(ctx context.Context, x string) (string, error) { return x, nil }

func guestWasm(t testing.TB) []byte {
	t.Helper()
	wasm, err := os.ReadFile("../../testdata/kitchen-sink/kitchen-sink.wasm")
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// newGenerated instantiates the guest through the generated bindings.
func newGenerated(t testing.TB, watch bool) *ks.KitchenSinkInstance {
	t.Helper()
	ctx := context.Background()
	rt, err := wazeroadapter.NewRuntime(ctx, wazeroadapter.Config{IgnoreContextDone: !watch, CompilationCacheDir: cacheDir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Compile(ctx, guestWasm(t))
	if err != nil {
		t.Fatal(err)
	}
	w, err := ks.NewKitchenSink(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	in, err := w.Instantiate(ctx, ks.Imports{Host: &benchHost{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return in
}

// newBaseline instantiates the guest on a raw wazero runtime configured as
// wazeroadapter.NewRuntime would.
func newBaseline(t testing.TB, watch bool) *Baseline {
	t.Helper()
	ctx := context.Background()
	cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	r := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().
		WithCloseOnContextDone(watch).WithCompilationCache(cache))
	t.Cleanup(func() { r.Close(ctx); cache.Close(ctx) })
	b, err := NewBaseline(ctx, r, guestWasm(t))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// liveAllocs calls the guest's kitchen-sink-live-allocs.
func liveAllocs(t testing.TB, f api.Function) int32 {
	t.Helper()
	var stack [1]uint64
	if err := f.CallWithStack(context.Background(), stack[:]); err != nil {
		t.Fatal(err)
	}
	return int32(stack[0])
}

// Benchmark inputs.
var (
	str1K    = strings.Repeat("abcdefgh", 128)
	bytes64K = func() []byte {
		b := make([]byte, 64<<10)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}()
	record    = Record{A: 1, B: -2, C: 3, D: -4, E: 5.5, F: 6.25, G: "eight fields", H: true}
	genRecord = ks.Mixed(record)
	records   = func() []Record {
		rs := make([]Record, 1000)
		for i := range rs {
			rs[i] = Record{A: uint8(i), B: int16(-i), C: uint32(i), D: int64(i) << 33, E: float32(i), F: float64(i) / 3, G: fmt.Sprintf("record-%04d", i), H: i%2 == 0}
		}
		return rs
	}()
	genRecords = func() []ks.Mixed {
		rs := make([]ks.Mixed, len(records))
		for i, r := range records {
			rs[i] = ks.Mixed(r)
		}
		return rs
	}()
)

// op is one benchmarked operation, in both implementations.
type op struct {
	name      string
	generated func(ctx context.Context, in *ks.KitchenSinkInstance) error
	baseline  func(ctx context.Context, b *Baseline) error
}

// same reports an error unless got equals want (the echo came back).
func same[T comparable](got T, err error, want T) error {
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}

// sameLen reports an error unless got has n elements.
func sameLen[T any](got []T, err error, n int) error {
	if err != nil {
		return err
	}
	if len(got) != n {
		return fmt.Errorf("got %d elements, want %d", len(got), n)
	}
	return nil
}

var ops = []op{
	{"EmptyHostToGuest",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error { return in.Guest().Ping(ctx) },
		func(ctx context.Context, b *Baseline) error { return b.Ping(ctx) }},
	// roundtrip-ping: the host calls the guest, which calls the host's ping.
	{"EmptyGuestToHost",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error { return in.Guest().RoundtripPing(ctx) },
		func(ctx context.Context, b *Baseline) error { return b.RoundtripPing(ctx) }},
	{"U32HostToGuest",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().EchoU32(ctx, 7)
			return same(v, err, 7)
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.EchoU32(ctx, 7)
			return same(v, err, 7)
		}},
	// roundtrip-u32: the guest passes the u32 on to the host's echo-u32.
	{"U32GuestToHost",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().RoundtripU32(ctx, 7)
			return same(v, err, 7)
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.RoundtripU32(ctx, 7)
			return same(v, err, 7)
		}},
	{"String1KiB",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().EchoString(ctx, str1K)
			return same(v, err, str1K)
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.EchoString(ctx, str1K)
			return same(v, err, str1K)
		}},
	// roundtrip-string: the string also crosses guest → host → guest (the
	// host lifts it and lowers its answer with the guest's cabi_realloc).
	{"String1KiBGuestToHost",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().RoundtripString(ctx, str1K)
			return same(v, err, str1K)
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.RoundtripString(ctx, str1K)
			return same(v, err, str1K)
		}},
	{"ListU8_64KiB",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().EchoListU8(ctx, bytes64K)
			return sameLen(v, err, len(bytes64K))
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.EchoBytes(ctx, bytes64K)
			return sameLen(v, err, len(bytes64K))
		}},
	{"Record8Fields",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().EchoRecord(ctx, genRecord)
			return same(v, err, genRecord)
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.EchoRecord(ctx, record)
			return same(v, err, record)
		}},
	{"List1000Records",
		func(ctx context.Context, in *ks.KitchenSinkInstance) error {
			v, err := in.Guest().EchoListRecord(ctx, genRecords)
			return sameLen(v, err, len(genRecords))
		},
		func(ctx context.Context, b *Baseline) error {
			v, err := b.EchoRecords(ctx, records)
			return sameLen(v, err, len(records))
		}},
}

// TestSameWork runs every operation once through each implementation and
// checks the results are right and neither leaks guest memory, i.e. the
// baseline does the whole job (including cabi_post_*).
func TestSameWork(t *testing.T) {
	ctx := context.Background()
	in := newGenerated(t, true)
	b := newBaseline(t, true)
	genLive := in.Instance().Function("kitchen-sink-live-allocs")
	baseLive := b.Module().ExportedFunction("kitchen-sink-live-allocs")
	for _, o := range ops {
		if err := o.generated(ctx, in); err != nil {
			t.Errorf("%s generated: %v", o.name, err)
		}
		if err := o.baseline(ctx, b); err != nil {
			t.Errorf("%s baseline: %v", o.name, err)
		}
		var stack [1]uint64
		if err := genLive.Call(ctx, stack[:]); err != nil || stack[0] != 0 {
			t.Errorf("%s generated: live allocations %d, %v", o.name, stack[0], err)
		}
		if n := liveAllocs(t, baseLive); n != 0 {
			t.Errorf("%s baseline: live allocations %d", o.name, n)
		}
	}
	if got, err := b.EchoRecords(ctx, records); err != nil || got[999] != records[999] {
		t.Errorf("baseline EchoRecords: %v, %v", got[999], err)
	}
	if got, err := in.Guest().EchoListRecord(ctx, genRecords); err != nil || got[999] != genRecords[999] {
		t.Errorf("generated EchoListRecord: %v, %v", got[999], err)
	}
}

// TestScalarCallsDoNotAllocate is the bar for calls with only scalar
// arguments: zero allocations through the generated bindings with
// context.Background().
//
// That holds without WithCloseOnContextDone. With it, wazero v1.12 starts
// a watcher goroutine (a channel, a goroutine, a closure: 3 allocations)
// on every call even when ctx.Done() is nil
// (internal/engine/wazevo/call_engine.go calls
// ModuleInstance.CloseModuleOnCanceledOrTimeout unconditionally), so the
// test only requires the generated path to allocate no more than the raw
// wazero baseline there.
func TestScalarCallsDoNotAllocate(t *testing.T) {
	ctx := context.Background()
	for _, c := range configs {
		in := newGenerated(t, c.watch)
		bl := newBaseline(t, c.watch)
		for _, o := range ops[:4] {
			// The watcher goroutine itself allocates 3 or 4 times,
			// depending on whether the Go runtime has a dead goroutine to
			// reuse at that moment, so in the watch configuration each
			// side's figure is the least of 5 interleaved measurements.
			gen, base := math.Inf(1), math.Inf(1)
			for range 5 {
				gen = min(gen, allocs(t, func() error { return o.generated(ctx, in) }))
				base = min(base, allocs(t, func() error { return o.baseline(ctx, bl) }))
				if !c.watch {
					break
				}
			}
			switch {
			case !c.watch && gen != 0:
				t.Errorf("%s/%s: %.1f allocations per call, want 0", o.name, c.name, gen)
			case gen > base:
				t.Errorf("%s/%s: %.1f allocations per call, baseline %.1f", o.name, c.name, gen, base)
			}
			t.Logf("%s/%s: generated %.1f, baseline %.1f allocations per call", o.name, c.name, gen, base)
		}
	}
}

// allocs is testing.AllocsPerRun of f after a warm-up call.
func allocs(t *testing.T, f func() error) float64 {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
	return testing.AllocsPerRun(200, func() {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkCalls runs every operation through the generated bindings and
// through the baseline, in both runtime configurations, with
// context.Background().
func BenchmarkCalls(b *testing.B) {
	benchAll(b, func() (context.Context, context.CancelFunc) { return context.Background(), func() {} })
}

// BenchmarkCallsCancelableCtx is BenchmarkCalls with a context that has a
// Done channel (context.WithCancel): with WithCloseOnContextDone, wazero
// then watches the context in a goroutine per call.
func BenchmarkCallsCancelableCtx(b *testing.B) {
	benchAll(b, func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, ops[:4]...)
}

func benchAll(b *testing.B, newCtx func() (context.Context, context.CancelFunc), only ...op) {
	list := ops
	if len(only) > 0 {
		list = only
	}
	for _, o := range list {
		for _, c := range configs {
			b.Run(o.name+"/cfg="+c.name+"/impl=generated", func(b *testing.B) {
				in := newGenerated(b, c.watch)
				ctx, cancel := newCtx()
				defer cancel()
				b.ReportAllocs()
				for b.Loop() {
					if err := o.generated(ctx, in); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(o.name+"/cfg="+c.name+"/impl=baseline", func(b *testing.B) {
				bl := newBaseline(b, c.watch)
				ctx, cancel := newCtx()
				defer cancel()
				b.ReportAllocs()
				for b.Loop() {
					if err := o.baseline(ctx, bl); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
