package wazero

// Benchmarks of the adapter beside a raw wazero baseline doing the same work
// (api.Function.CallWithStack on a cached function; a GoModuleFunc host
// function), for each engine and with/without WithCloseOnContextDone, so the
// adapter's overhead is visible as a ratio:
//
//	go test ./runtimeadapters/wazero -run '^$' -bench . -benchmem

import (
	"context"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

type benchConfig struct {
	name string
	cfg  Config
}

var benchConfigs = []benchConfig{
	{"compiler", Config{}},
	{"compiler-nointerrupt", Config{IgnoreContextDone: true}},
	{"interpreter", Config{Interpreter: true}},
	{"interpreter-nointerrupt", Config{Interpreter: true, IgnoreContextDone: true}},
}

// newRaw instantiates the test guest directly in wazero, with a host module
// written against wazero's API only: the baseline.
func newRaw(t testing.TB, cfg Config) api.Module {
	t.Helper()
	ctx := context.Background()
	var rc wazero.RuntimeConfig
	if cfg.Interpreter {
		rc = wazero.NewRuntimeConfigInterpreter()
	} else {
		rc = wazero.NewRuntimeConfigCompiler()
	}
	r := wazero.NewRuntimeWithConfig(ctx, rc.WithCloseOnContextDone(!cfg.IgnoreContextDone))
	t.Cleanup(func() { r.Close(ctx) })
	i32 := []api.ValueType{api.ValueTypeI32}
	adds := 0
	_, err := r.NewHostModuleBuilder("host").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
		adds++
		stack[0] = uint64(uint32(stack[0]) + uint32(stack[1]))
	}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32}, i32).Export("add").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(context.Context, api.Module, []uint64) {}), nil, nil).Export("fail").
		NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(context.Context, api.Module, []uint64) {}), nil, nil).Export("init").
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mod, err := r.InstantiateWithConfig(ctx, readGuest(t, "guest.wasm"), wazero.NewModuleConfig().WithStartFunctions("_initialize"))
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

// callRaw and callAdapter are the measured operations.
func callRaw(ctx context.Context, f api.Function, stack []uint64) {
	if err := f.CallWithStack(ctx, stack); err != nil {
		panic(err)
	}
}

func callAdapter(ctx context.Context, f ra.Function, stack []uint64) {
	if err := f.Call(ctx, stack); err != nil {
		panic(err)
	}
}

// TestAdapterAddsNoAllocations compares allocations per call through the
// adapter with raw wazero in every configuration: the adapter must add
// none. Without WithCloseOnContextDone the compiler path is allocation-free
// end to end. (wazero itself allocates a watcher goroutine per call when
// WithCloseOnContextDone is on, and the interpreter allocates a call frame
// per Wasm and host function call.)
func TestAdapterAddsNoAllocations(t *testing.T) {
	ctx := context.Background()
	for _, bc := range benchConfigs {
		t.Run(bc.name, func(t *testing.T) {
			f := newFixtureConfig(t, bc.cfg)
			inst := f.instantiate(t, &state{})
			raw := newRaw(t, bc.cfg)
			stack := make([]uint64, 4)
			for _, c := range []struct {
				name   string
				export string
				arg0   uint64
			}{
				{"export call", "add", 1},
				{"export calling 1 host import", "call-host-add", 1},
				{"export calling 100 host imports", "host-loop", 100},
			} {
				af, rf := mustFunc(t, inst, c.export), raw.ExportedFunction(c.export)
				measure := func(call func()) float64 {
					call()
					return testing.AllocsPerRun(200, call)
				}
				a := measure(func() { stack[0], stack[1] = c.arg0, 2; callAdapter(ctx, af, stack) })
				r := measure(func() { stack[0], stack[1] = c.arg0, 2; callRaw(ctx, rf, stack) })
				t.Logf("%s: adapter %v allocs, raw wazero %v allocs", c.name, a, r)
				// wazero's per-call watcher goroutine (WithCloseOnContextDone)
				// makes its count jitter by one between runs.
				slack := 0.0
				if !bc.cfg.IgnoreContextDone {
					slack = 1
				}
				if a > r+slack {
					t.Errorf("%s: adapter %v allocs/call, raw wazero %v: the adapter must add none", c.name, a, r)
				}
				if !bc.cfg.Interpreter && bc.cfg.IgnoreContextDone && a != 0 {
					t.Errorf("%s: %v allocs, want 0", c.name, a)
				}
			}
			// Lowering a string through the guest's realloc adds nothing
			// beyond the realloc call itself.
			realloc, mem := mustFunc(t, inst, "cabi_realloc"), inst.Memory()
			a := testing.AllocsPerRun(200, func() {
				if _, _, err := ra.LowerString(ctx, mem, realloc, stack, "hello"); err != nil {
					t.Fatal(err)
				}
			})
			r := testing.AllocsPerRun(200, func() {
				stack[0], stack[1], stack[2], stack[3] = 0, 0, 1, 5
				callRaw(ctx, raw.ExportedFunction("cabi_realloc"), stack)
			})
			if !bc.cfg.IgnoreContextDone {
				r++
			}
			if a > r {
				t.Errorf("LowerString: %v allocs, a bare realloc call %v", a, r)
			}
		})
	}
}

// BenchmarkCallScalar: add(i32, i32) -> i32, a guest export with only
// scalar arguments.
func BenchmarkCallScalar(b *testing.B) {
	benchExport(b, "add", 1)
}

// BenchmarkHostCall: one export call that makes 100 calls into a host
// import add(i32, i32) -> i32. Divide ns/op by 100 for the cost of one host
// call.
func BenchmarkHostCall(b *testing.B) {
	benchExport(b, "host-loop", 100)
}

func benchExport(b *testing.B, export string, arg0 uint64) {
	ctx := context.Background()
	for _, bc := range benchConfigs {
		b.Run(bc.name, func(b *testing.B) {
			b.Run("raw", func(b *testing.B) {
				fn := newRaw(b, bc.cfg).ExportedFunction(export)
				stack := make([]uint64, 2)
				b.ReportAllocs()
				for b.Loop() {
					stack[0], stack[1] = arg0, 2
					callRaw(ctx, fn, stack)
				}
			})
			b.Run("adapter", func(b *testing.B) {
				f := newFixtureConfig(b, bc.cfg)
				fn := mustFunc(b, f.instantiate(b, &state{}), export)
				stack := make([]uint64, 2)
				b.ReportAllocs()
				for b.Loop() {
					stack[0], stack[1] = arg0, 2
					callAdapter(ctx, fn, stack)
				}
			})
		})
	}
}

// BenchmarkStringRoundTrip: LowerString through the guest's cabi_realloc,
// then LiftString (the copy out).
func BenchmarkStringRoundTrip(b *testing.B) {
	ctx := context.Background()
	f := newFixtureConfig(b, Config{IgnoreContextDone: true})
	inst := f.instantiate(b, &state{})
	realloc, mem := mustFunc(b, inst, "cabi_realloc"), inst.Memory()
	reset := mustFunc(b, inst, "reset-heap")
	stack := make([]uint64, 4)
	s := "hello, component model"
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i++; i%4096 == 0 {
			callAdapter(ctx, reset, stack)
		}
		ptr, n, err := ra.LowerString(ctx, mem, realloc, stack, s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ra.LiftString(mem, ptr, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallerLookup isolates the api.Module -> Instance mapping done on
// every host call: the cached path (same instance as last time) and the
// sync.Map path (alternating between two instances).
func BenchmarkCallerLookup(b *testing.B) {
	ctx := context.Background()
	f := newFixtureConfig(b, Config{Interpreter: true})
	m1 := f.instantiate(b, &state{}).(*instance).mod
	m2 := f.instantiate(b, &state{}).(*instance).mod
	b.Run("cached", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if f.rt.callerOf(ctx, m1) == nil {
				b.Fatal("lookup failed")
			}
		}
	})
	b.Run("alternating", func(b *testing.B) {
		b.ReportAllocs()
		mods := [2]api.Module{m1, m2}
		i := 0
		for b.Loop() {
			i ^= 1
			if f.rt.callerOf(ctx, mods[i]) == nil {
				b.Fatal("lookup failed")
			}
		}
	})
}

// BenchmarkOverhead measures adapter and raw wazero side by side, in
// alternating batches so that both see the same machine load, and reports
// the fastest batch of each and their ratio (adapter/raw). On a shared,
// noisy machine this ratio is more trustworthy than comparing two separate
// benchmarks.
func BenchmarkOverhead(b *testing.B) {
	ctx := context.Background()
	for _, op := range []struct {
		name, export string
		arg0         uint64
		perCall      float64 // calls measured per export call
	}{
		{"scalar-export", "add", 1, 1},
		{"host-import", "host-loop", 100, 100},
	} {
		for _, bc := range benchConfigs {
			b.Run(op.name+"/"+bc.name, func(b *testing.B) {
				rf := newRaw(b, bc.cfg).ExportedFunction(op.export)
				f := newFixtureConfig(b, bc.cfg)
				af := mustFunc(b, f.instantiate(b, &state{}), op.export)
				stack := make([]uint64, 2)
				const batch = 500
				minRaw, minAd := 1e18, 1e18
				for done := 0; done < b.N; done += batch {
					t0 := time.Now()
					for i := 0; i < batch; i++ {
						stack[0], stack[1] = op.arg0, 2
						callRaw(ctx, rf, stack)
					}
					t1 := time.Now()
					for i := 0; i < batch; i++ {
						stack[0], stack[1] = op.arg0, 2
						callAdapter(ctx, af, stack)
					}
					t2 := time.Now()
					minRaw = min(minRaw, float64(t1.Sub(t0).Nanoseconds())/batch/op.perCall)
					minAd = min(minAd, float64(t2.Sub(t1).Nanoseconds())/batch/op.perCall)
				}
				b.ReportMetric(minRaw, "raw-ns/call")
				b.ReportMetric(minAd, "adapter-ns/call")
				b.ReportMetric(minAd/minRaw, "ratio")
			})
		}
	}
}
