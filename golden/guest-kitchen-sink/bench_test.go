package guestkitchensink_test

import (
	"context"
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	host "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	rawadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// The benchmarks compare the generated glue on both sides (Go guest on
// golden/guest/kitchensink, host on golden/kitchen-sink, wazero adapter)
// with hand-written glue on both sides (testdata/guest-kitchen-sink/
// handguest, a raw wazero host), for the same two calls, on wazero's
// compiler:
//
//   - ImportString1KiB: a guest-to-host call of echo-string with a 1 KiB
//     string (and its 1 KiB result); the guest makes b.N calls in one
//     export call, so ns/op is the guest-to-host call alone;
//   - ExportRecord8: a host-to-guest call of echo-record with the 8-field
//     record mixed (including post-return).

func genInstance(b *testing.B) (*host.KitchenSinkInstance, *hostImpl) {
	ctx := context.Background()
	rt, err := rawadapter.NewRuntime(ctx, rawadapter.Config{WASI: true, IgnoreContextDone: true, CompilationCacheDir: cacheDir(b) + "/wazero"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Compile(ctx, goGuest(b))
	if err != nil {
		b.Fatal(err)
	}
	w, err := host.NewKitchenSink(ctx, rt, mod)
	if err != nil {
		b.Fatal(err)
	}
	h := &hostImpl{}
	in, err := w.Instantiate(ctx, host.Imports{Host: h})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { in.Close(ctx) })
	return in, h
}

// handInstance instantiates the hand-written guest with a hand-written
// host: echo-string reads the argument, allocates the result with the
// guest's cabi_realloc, writes it and the return area.
func handInstance(b *testing.B) api.Module {
	ctx := context.Background()
	cache, err := wazero.NewCompilationCacheWithDir(cacheDir(b) + "/wazero-raw")
	if err != nil {
		b.Fatal(err)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfigCompiler().WithCompilationCache(cache))
	b.Cleanup(func() { rt.Close(ctx) })
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	var realloc api.Function
	stack := make([]uint64, 4)
	_, err = rt.NewHostModuleBuilder("test:kitchen-sink/host@0.1.0").NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, m api.Module, st []uint64) {
			p, n, retp := uint32(st[0]), uint32(st[1]), uint32(st[2])
			mem := m.Memory()
			arg, ok := mem.Read(p, n)
			if !ok {
				panic("echo-string: argument out of bounds")
			}
			s := string(arg) // copied: the view goes stale when realloc grows memory
			stack[0], stack[1], stack[2], stack[3] = 0, 0, 1, uint64(len(s))
			if err := realloc.CallWithStack(ctx, stack); err != nil {
				panic(err)
			}
			rp := uint32(stack[0])
			if !mem.WriteString(rp, s) || !mem.WriteUint32Le(retp, rp) || !mem.WriteUint32Le(retp+4, uint32(len(s))) {
				panic("echo-string: result out of bounds")
			}
		}), []api.ValueType{api.ValueTypeI32, api.ValueTypeI32, api.ValueTypeI32}, nil).Export("echo-string").
		Instantiate(ctx)
	if err != nil {
		b.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, buildGuest(b, "handguest"))
	if err != nil {
		b.Fatal(err)
	}
	m, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithStartFunctions("_initialize"))
	if err != nil {
		b.Fatal(err)
	}
	realloc = m.ExportedFunction("cabi_realloc")
	return m
}

func BenchmarkImportString1KiB(b *testing.B) {
	ctx := context.Background()
	b.Run("generated", func(b *testing.B) {
		in, _ := genInstance(b)
		f := in.Instance().Function("kitchen-sink-bench-import")
		stack := []uint64{1}
		if err := f.Call(ctx, stack); err != nil || stack[0] != 1024 {
			b.Fatalf("warm-up: %v %d", err, stack[0])
		}
		b.ReportAllocs()
		b.ResetTimer()
		stack[0] = uint64(b.N)
		if err := f.Call(ctx, stack); err != nil {
			b.Fatal(err)
		}
		if uint32(stack[0]) != uint32(1024*b.N) {
			b.Fatalf("total %d", stack[0])
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		m := handInstance(b)
		f := m.ExportedFunction("kitchen-sink-bench-import")
		stack := []uint64{1}
		if err := f.CallWithStack(ctx, stack); err != nil || stack[0] != 1024 {
			b.Fatalf("warm-up: %v %d", err, stack[0])
		}
		b.ReportAllocs()
		b.ResetTimer()
		stack[0] = uint64(b.N)
		if err := f.CallWithStack(ctx, stack); err != nil {
			b.Fatal(err)
		}
		if uint32(stack[0]) != uint32(1024*b.N) {
			b.Fatalf("total %d", stack[0])
		}
	})
}

var benchMixed = host.Mixed{A: 1, B: -2, C: 3, D: -4, E: 5.5, F: 6.25, G: strings.Repeat("g", 16), H: true}

func BenchmarkExportRecord8(b *testing.B) {
	ctx := context.Background()
	b.Run("generated", func(b *testing.B) {
		in, _ := genInstance(b)
		g := in.Guest()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := g.EchoRecord(ctx, benchMixed)
			if err != nil || r.G != benchMixed.G {
				b.Fatal(err, r)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		m := handInstance(b)
		realloc := m.ExportedFunction("cabi_realloc")
		echo := m.ExportedFunction("test:kitchen-sink/guest@0.1.0#echo-record")
		post := m.ExportedFunction("cabi_post_test:kitchen-sink/guest@0.1.0#echo-record")
		stack := make([]uint64, 9)
		x := benchMixed
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			stack[0], stack[1], stack[2], stack[3] = 0, 0, 1, uint64(len(x.G))
			if err := realloc.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
			sp := uint32(stack[0])
			mem := m.Memory()
			if !mem.WriteString(sp, x.G) {
				b.Fatal("string out of bounds")
			}
			h := uint64(0)
			if x.H {
				h = 1
			}
			stack[0], stack[1], stack[2], stack[3] = uint64(x.A), uint64(uint32(int32(x.B))), uint64(x.C), uint64(x.D)
			stack[4], stack[5], stack[6], stack[7], stack[8] = uint64(math.Float32bits(x.E)), math.Float64bits(x.F), uint64(sp), uint64(len(x.G)), h
			if err := echo.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
			ret := uint32(stack[0])
			area, ok := mem.Read(ret, 48)
			if !ok {
				b.Fatal("return area out of bounds")
			}
			var r host.Mixed
			r.A = area[0]
			r.B = int16(binary.LittleEndian.Uint16(area[2:]))
			r.C = binary.LittleEndian.Uint32(area[4:])
			r.D = int64(binary.LittleEndian.Uint64(area[8:]))
			r.E = math.Float32frombits(binary.LittleEndian.Uint32(area[16:]))
			r.F = math.Float64frombits(binary.LittleEndian.Uint64(area[24:]))
			gp, gn := binary.LittleEndian.Uint32(area[32:]), binary.LittleEndian.Uint32(area[36:])
			r.H = area[40] != 0
			g, ok := mem.Read(gp, gn)
			if !ok {
				b.Fatal("string out of bounds")
			}
			r.G = string(g)
			stack[0] = uint64(ret)
			if err := post.CallWithStack(ctx, stack); err != nil {
				b.Fatal(err)
			}
			if r != x {
				b.Fatalf("got %+v", r)
			}
		}
	})
}
