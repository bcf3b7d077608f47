package wasmtime

// Benchmarks of the same operations on every engine, through the adapters:
//
//	go test -run '^$' -bench . -benchmem
//
// "bg" calls use context.Background(); "cancellable" calls use a context
// with a Done channel, which makes wazero start a watcher goroutine per call
// (WithCloseOnContextDone) and costs wasmtime nothing extra (epoch
// interruption, with one shared ticker).

import (
	"context"
	"testing"
	"time"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

var benchEngines = append(Engines[:len(Engines):len(Engines)],
	Engine{Name: "wazero-compiler-nointerrupt", New: func(t testing.TB) ra.Runtime {
		return newWazero(t, wazeroadapter.Config{IgnoreContextDone: true})
	}})

func benchContexts() []struct {
	name string
	ctx  context.Context
} {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel // lives as long as the process
	return []struct {
		name string
		ctx  context.Context
	}{{"bg", context.Background()}, {"cancellable", ctx}}
}

// BenchmarkCallScalar: add(i32, i32) -> i32, a guest export with only
// scalar arguments.
func BenchmarkCallScalar(b *testing.B) { benchExport(b, "add", 1) }

// BenchmarkHostCall: one export call that makes 100 calls into the host
// import add(i32, i32) -> i32. Divide ns/op by 100 for one host call.
func BenchmarkHostCall(b *testing.B) { benchExport(b, "host-loop", 100) }

func benchExport(b *testing.B, export string, arg0 uint64) {
	for _, e := range benchEngines {
		for _, c := range benchContexts() {
			b.Run(e.Name+"/"+c.name, func(b *testing.B) {
				f := newFixture(b, e.New)
				fn := mustFunc(b, f.instantiate(b, &state{}), export)
				stack := make([]uint64, 2)
				b.ReportAllocs()
				for b.Loop() {
					stack[0], stack[1] = arg0, 2
					if err := fn.Call(c.ctx, stack); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkStringRoundTrip: LowerString through the guest's cabi_realloc,
// then LiftString.
func BenchmarkStringRoundTrip(b *testing.B) {
	ctx := context.Background()
	for _, e := range benchEngines {
		b.Run(e.Name, func(b *testing.B) {
			inst := newFixture(b, e.New).instantiate(b, &state{})
			realloc, mem := mustFunc(b, inst, "cabi_realloc"), inst.Memory()
			reset := mustFunc(b, inst, "reset-heap")
			stack := make([]uint64, 4)
			s := "hello, component model"
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if i++; i%4096 == 0 {
					if err := reset.Call(ctx, stack); err != nil {
						b.Fatal(err)
					}
				}
				ptr, n, err := ra.LowerString(ctx, mem, realloc, stack, s)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ra.LiftString(mem, ptr, n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInstantiate: a new instance (for wasmtime: a new store) with
// _initialize, then Close.
func BenchmarkInstantiate(b *testing.B) {
	ctx := context.Background()
	for _, e := range Engines {
		b.Run(e.Name, func(b *testing.B) {
			f := newFixture(b, e.New)
			b.ReportAllocs()
			for b.Loop() {
				inst, err := f.rt.Instantiate(ctx, f.cm, ra.InstanceConfig{Data: &state{}, StartFunctions: []string{"_initialize"}})
				if err != nil {
					b.Fatal(err)
				}
				inst.Close(ctx)
			}
		})
	}
}

// TestWasmtimeScalarPathDoesNotAllocate: export calls and host calls with
// scalar arguments allocate nothing on wasmtime, whatever the context.
func TestWasmtimeScalarPathDoesNotAllocate(t *testing.T) {
	f := newFixture(t, func(t testing.TB) ra.Runtime { return newWasmtime(t, Config{}) })
	inst := f.instantiate(t, &state{})
	stack := make([]uint64, 4)
	for _, c := range benchContexts() {
		for _, op := range []struct {
			export string
			arg0   uint64
		}{{"add", 1}, {"call-host-add", 1}, {"host-loop", 100}} {
			fn := mustFunc(t, inst, op.export)
			call := func() {
				stack[0], stack[1] = op.arg0, 2
				if err := fn.Call(c.ctx, stack); err != nil {
					t.Fatal(err)
				}
			}
			call()
			if a := testing.AllocsPerRun(200, call); a != 0 {
				t.Errorf("%s (%s ctx): %v allocs/call, want 0", op.export, c.name, a)
			}
		}
	}
	realloc, mem := mustFunc(t, inst, "cabi_realloc"), inst.Memory()
	if a := testing.AllocsPerRun(200, func() {
		if _, _, err := ra.LowerString(context.Background(), mem, realloc, stack, "hello"); err != nil {
			t.Fatal(err)
		}
	}); a != 0 {
		t.Errorf("LowerString: %v allocs, want 0", a)
	}
}

// BenchmarkInterleaved runs the same call on every engine in alternating
// batches, so that all see the same machine load, and reports the fastest
// batch of each in ns per call (for host-import: per host call). On a
// shared, noisy machine these are more comparable than separate benchmarks.
func BenchmarkInterleaved(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, op := range []struct {
		name, export string
		arg0         uint64
		perCall      float64
	}{
		{"scalar-export", "add", 1, 1},
		{"host-import", "host-loop", 100, 100},
	} {
		b.Run(op.name, func(b *testing.B) {
			fns := make([]ra.Function, len(benchEngines))
			for k, e := range benchEngines {
				fns[k] = mustFunc(b, newFixture(b, e.New).instantiate(b, &state{}), op.export)
			}
			best := make([]float64, len(fns))
			for k := range best {
				best[k] = 1e18
			}
			stack := make([]uint64, 2)
			const batch = 200
			for done := 0; done < b.N; done += batch {
				for k, fn := range fns {
					t0 := time.Now()
					for i := 0; i < batch; i++ {
						stack[0], stack[1] = op.arg0, 2
						if err := fn.Call(ctx, stack); err != nil {
							b.Fatal(err)
						}
					}
					best[k] = min(best[k], float64(time.Since(t0).Nanoseconds())/batch/op.perCall)
				}
			}
			for k, e := range benchEngines {
				b.ReportMetric(best[k], e.Name+"-ns/call")
			}
		})
	}
}
