package guestkitchensink_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	host "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

type (
	opt[T any]    = runtimeadapters.Option[T]
	res[T, E any] = runtimeadapters.Result[T, E]
	unit          = struct{}
	tuple3        = struct {
		F0 uint8
		F1 string
		F2 float64
	}
)

func some[T any](v T) opt[T] { return runtimeadapters.Some(v) }
func none[T any]() opt[T]    { return runtimeadapters.None[T]() }

var nilSlice = regexp.MustCompile(`\[\]([\w.\[\]]+)\(nil\)`)

// same compares two values by their %#v spelling, with nil and empty
// slices equal (floats compare by value spelling, so -0 and NaN work).
func same(a, b any) bool {
	norm := func(v any) string { return nilSlice.ReplaceAllString(fmt.Sprintf("%#v", v), "[]$1{}") }
	return norm(a) == norm(b)
}

// suite runs every check against one instance.
type suite struct {
	t    *testing.T
	ctx  context.Context
	in   *host.KitchenSinkInstance
	h    *hostImpl
	n    int // values that round-tripped
	fail int
}

// rt checks that every value comes back unchanged through echo-T (host →
// guest → host) and roundtrip-T (host → guest → host → guest → host).
func rt[T any](s *suite, name string, vals []T, echo, round func(context.Context, T) (T, error)) {
	s.t.Helper()
	for _, v := range vals {
		for i, f := range []func(context.Context, T) (T, error){echo, round} {
			got, err := f(s.ctx, v)
			if err != nil {
				s.fail++
				s.t.Errorf("%s[%d](%.80v): %v", name, i, v, err)
				continue
			}
			if !same(got, v) {
				s.fail++
				s.t.Errorf("%s[%d]: got %#.200v, want %#.200v", name, i, got, v)
				continue
			}
			s.n++
		}
	}
}

// splitRes adapts an export whose WIT result is result<T, E> (split into
// (T, error) by the host bindings) back to a function returning the result.
func splitRes[T, E any](f func(context.Context, res[T, E]) (T, error)) func(context.Context, res[T, E]) (res[T, E], error) {
	return func(ctx context.Context, x res[T, E]) (res[T, E], error) {
		v, err := f(ctx, x)
		var we *runtimeadapters.WITError[E]
		if errors.As(err, &we) {
			return runtimeadapters.Err[T, E](we.Value), nil
		}
		if err != nil {
			return res[T, E]{}, err
		}
		return runtimeadapters.OK[T, E](v), nil
	}
}

func unitRes[E any](f func(context.Context, res[unit, E]) error) func(context.Context, res[unit, E]) (res[unit, E], error) {
	return splitRes(func(ctx context.Context, x res[unit, E]) (unit, error) { return unit{}, f(ctx, x) })
}

var (
	mixed1 = host.Mixed{A: 255, B: -32768, C: math.MaxUint32, D: math.MinInt64, E: -1.5, F: math.Pi, G: "mixed ☃", H: true}
	mixed2 = host.Mixed{G: strings.Repeat("m", 100)}
	big    = strings.Repeat("0123456789abcdef", 4096) // 64 KiB
	kib    = strings.Repeat("k", 1024)
)

func (s *suite) values() {
	g := s.in.Guest()
	f32s := []float32{0, float32(math.Copysign(0, -1)), 1.5, -3.25e10, float32(math.Inf(1)), float32(math.Inf(-1)), math.MaxFloat32, math.SmallestNonzeroFloat32}
	f64s := []float64{0, math.Copysign(0, -1), 1.5, -3.25e100, math.Inf(1), math.Inf(-1), math.MaxFloat64, math.SmallestNonzeroFloat64}
	rt(s, "bool", []bool{true, false}, g.EchoBool, g.RoundtripBool)
	rt(s, "u8", []uint8{0, 1, 255}, g.EchoU8, g.RoundtripU8)
	rt(s, "s8", []int8{-128, -1, 0, 127}, g.EchoS8, g.RoundtripS8)
	rt(s, "u16", []uint16{0, 1, 65535}, g.EchoU16, g.RoundtripU16)
	rt(s, "s16", []int16{-32768, -1, 32767}, g.EchoS16, g.RoundtripS16)
	rt(s, "u32", []uint32{0, 1 << 31, math.MaxUint32}, g.EchoU32, g.RoundtripU32)
	rt(s, "s32", []int32{math.MinInt32, -1, math.MaxInt32}, g.EchoS32, g.RoundtripS32)
	rt(s, "u64", []uint64{0, 1 << 63, math.MaxUint64}, g.EchoU64, g.RoundtripU64)
	rt(s, "s64", []int64{math.MinInt64, -1, math.MaxInt64}, g.EchoS64, g.RoundtripS64)
	rt(s, "f32", f32s, g.EchoF32, g.RoundtripF32)
	rt(s, "f64", f64s, g.EchoF64, g.RoundtripF64)
	rt(s, "char", []rune{'a', 0, 0xD7FF, 0xE000, 0x10FFFF, '€', '😀'}, g.EchoChar, g.RoundtripChar)
	rt(s, "string", []string{"", "hello", "héllo wörld 😀", kib, big}, g.EchoString, g.RoundtripString)
	rt(s, "list-u8", [][]byte{{}, {0, 1, 255}, []byte(big)}, g.EchoListU8, g.RoundtripListU8)
	rt(s, "list-string", [][]string{{}, {""}, {"a", "bc", "😀", kib}}, g.EchoListString, g.RoundtripListString)
	rt(s, "list-record", [][]host.Mixed{{}, {mixed1, mixed2, mixed1}}, g.EchoListRecord, g.RoundtripListRecord)
	rt(s, "list-list", [][][]uint32{{}, {{}}, {{1, 2}, {}, {3, math.MaxUint32}}}, g.EchoListList, g.RoundtripListList)
	rt(s, "point", []host.Point{{}, {X: -1, Y: math.MaxInt32}}, g.EchoPoint, g.RoundtripPoint)
	rt(s, "record", []host.Mixed{mixed1, mixed2}, g.EchoRecord, g.RoundtripRecord)
	line := host.Line{Start: host.Point{X: 1, Y: 2}, End: host.Point{X: -3, Y: -4}, Label: "line"}
	rt(s, "nested", []host.Nested{
		{Name: "n1", Line: line, Tags: []string{"a", "", "c"}, Origin: some(host.Point{X: 5, Y: 6}), Color: host.ColorBlue},
		{Name: "", Origin: none[host.Point](), Color: host.ColorRed},
	}, g.EchoNested, g.RoundtripNested)
	rt(s, "color", []host.Color{host.ColorRed, host.ColorGreen, host.ColorBlue}, g.EchoColor, g.RoundtripColor)
	rt(s, "big-enum", []host.BigEnum{0, 1, 255, 256, 299}, g.EchoBigEnum, g.RoundtripBigEnum)
	rt(s, "flags1", []host.Flags1{0, 1}, g.EchoFlags1, g.RoundtripFlags1)
	rt(s, "flags8", []host.Flags8{0, 0xff, 0x81}, g.EchoFlags8, g.RoundtripFlags8)
	rt(s, "flags9", []host.Flags9{0, 0x1ff, 0x100}, g.EchoFlags9, g.RoundtripFlags9)
	rt(s, "flags16", []host.Flags16{0, 0xffff, 0x8001}, g.EchoFlags16, g.RoundtripFlags16)
	rt(s, "flags17", []host.Flags17{0, 0x1ffff, 0x10000}, g.EchoFlags17, g.RoundtripFlags17)
	rt(s, "flags32", []host.Flags32{0, 0xffffffff, 0x80000001}, g.EchoFlags32, g.RoundtripFlags32)
	rt(s, "big-variant", []host.BigVariant{host.BigVariantC0{}, host.BigVariantC1{Value: 7}, host.BigVariantC2{},
		host.BigVariantC3{Value: 0xdeadbeef}, host.BigVariantC5{Value: "five"}, host.BigVariantC298{}, host.BigVariantC299{Value: 65535}},
		g.EchoBigVariant, g.RoundtripBigVariant)
	rt(s, "joined", []host.Joined{host.JoinedEmpty{}, host.JoinedInt32{Value: -7}, host.JoinedFloat32{Value: -1.5},
		host.JoinedInt64{Value: math.MinInt64}, host.JoinedFloat64{Value: math.Pi}, host.JoinedText{Value: "text"},
		host.JoinedPair{Value: struct {
			F0 float32
			F1 uint32
		}{1.25, math.MaxUint32}}}, g.EchoJoined, g.RoundtripJoined)
	rt(s, "num", []host.Num{host.NumInt{Value: 7}, host.NumFloat{Value: 2.5}}, g.EchoNum, g.RoundtripNum)
	rt(s, "option-u32", []opt[uint32]{none[uint32](), some[uint32](0), some[uint32](math.MaxUint32)}, g.EchoOptionU32, g.RoundtripOptionU32)
	rt(s, "option-string", []opt[string]{none[string](), some(""), some(kib)}, g.EchoOptionString, g.RoundtripOptionString)
	rt(s, "option-option", []opt[opt[uint32]]{none[opt[uint32]](), some(none[uint32]()), some(some[uint32](5))}, g.EchoOptionOption, g.RoundtripOptionOption)
	rt(s, "result-unit", []res[unit, unit]{runtimeadapters.OK[unit, unit](unit{}), runtimeadapters.Err[unit, unit](unit{})},
		unitRes(g.EchoResultUnit), unitRes(g.RoundtripResultUnit))
	rt(s, "result-ok", []res[string, unit]{runtimeadapters.OK[string, unit]("yes"), runtimeadapters.Err[string, unit](unit{})},
		splitRes(g.EchoResultOk), splitRes(g.RoundtripResultOk))
	rt(s, "result-err", []res[unit, host.Color]{runtimeadapters.OK[unit, host.Color](unit{}), runtimeadapters.Err[unit](host.ColorBlue)},
		unitRes(g.EchoResultErr), unitRes(g.RoundtripResultErr))
	rt(s, "result-both", []res[host.Point, string]{runtimeadapters.OK[host.Point, string](host.Point{X: 1, Y: 2}), runtimeadapters.Err[host.Point]("bad")},
		splitRes(g.EchoResultBoth), splitRes(g.RoundtripResultBoth))
	rt(s, "tuple", []tuple3{{1, "t", 2.5}, {255, "", math.Inf(-1)}}, g.EchoTuple, g.RoundtripTuple)
	type pair = struct {
		F0 uint64
		F1 string
	}
	pairOf := func(f func(context.Context, uint64, string) (pair, error)) func(context.Context, pair) (pair, error) {
		return func(ctx context.Context, p pair) (pair, error) { return f(ctx, p.F0, p.F1) }
	}
	rt(s, "pair", []pair{{math.MaxUint64, "pair"}, {0, ""}}, pairOf(g.EchoPair), pairOf(g.RoundtripPair))
	manyOf := func(f func(context.Context, uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64, bool, rune, string, host.Point, host.Color, host.Flags9, opt[uint32]) (host.ManyFields, error)) func(context.Context, host.ManyFields) (host.ManyFields, error) {
		return func(ctx context.Context, m host.ManyFields) (host.ManyFields, error) {
			return f(ctx, m.A, m.B, m.C, m.D, m.E, m.F, m.G, m.H, m.I, m.J, m.K, m.L, m.M, m.N, m.O, m.P, m.Q)
		}
	}
	rt(s, "many", []host.ManyFields{
		{A: 1, B: -2, C: 3, D: -4, E: 5, F: -6, G: 7, H: -8, I: 9.5, J: -10.25, K: true, L: '😀', M: "many", N: host.Point{X: 11, Y: 12}, O: host.ColorGreen, P: 0x101, Q: some[uint32](13)},
		{M: "", Q: none[uint32]()},
	}, manyOf(g.EchoMany), manyOf(g.RoundtripMany))
}

func (s *suite) check(what string, err error) {
	s.t.Helper()
	if err != nil {
		s.fail++
		s.t.Errorf("%s: %v", what, err)
	}
}

func (s *suite) eq(what string, got, want any) {
	s.t.Helper()
	if !same(got, want) {
		s.fail++
		s.t.Errorf("%s: got %#v, want %#v", what, got, want)
		return
	}
	s.n++
}

// resources exercises counter (guest-implemented) and blob
// (host-implemented) both ways.
func (s *suite) resources() {
	ctx, g := s.ctx, s.in.Guest()
	c, err := g.NewCounter(ctx, 5)
	s.check("new counter", err)
	if c == nil {
		return
	}
	v, err := c.Get(ctx)
	s.check("get", err)
	s.eq("counter get", v, uint32(5))
	v, err = c.Increment(ctx, 3)
	s.check("increment", err)
	s.eq("counter increment", v, uint32(8))
	l, err := c.Label(ctx)
	s.check("label", err)
	s.eq("counter label", l, "counter=8")
	z, err := g.CounterZero(ctx)
	s.check("zero", err)
	m, err := g.CounterMerge(ctx, c, z)
	s.check("merge", err)
	if m != nil {
		v, err = m.Get(ctx)
		s.check("merged get", err)
		s.eq("merged", v, uint32(8))
		s.check("drop merged", m.Drop(ctx))
	}
	s.check("drop zero", z.Drop(ctx))
	v, err = g.ConsumeCounter(ctx, c)
	s.check("consume", err)
	s.eq("consumed", v, uint32(8))

	data := []byte("blob data")
	out, err := g.BlobRoundtrip(ctx, data)
	s.check("blob-roundtrip", err)
	s.eq("blob-roundtrip", out, append(append([]byte{}, data...), data...))
	b := s.h.newBlob([]byte("abc"))
	n, err := g.BlobSize(ctx, b)
	s.check("blob-size", err)
	s.eq("blob-size", n, uint32(3))
	n, err = g.BlobLen(ctx, b)
	s.check("blob-len", err)
	s.eq("blob-len", n, uint32(3))
	b2 := s.h.newBlob([]byte("de"))
	mb, err := g.BlobMerge(ctx, b, b2)
	s.check("blob-merge", err)
	if mb != nil {
		s.eq("blob-merge", mb.(*blob).data, []byte("abcde"))
		s.check("drop merged blob", mb.Drop(ctx))
	}
	pb, err := g.BlobPass(ctx, b2)
	s.check("blob-pass", err)
	s.eq("blob-pass", pb == host.Blob(b2), true)
	took, err := g.BlobTake(ctx, b)
	s.check("blob-take", err)
	s.eq("blob-take", took, []byte("abc"))
	mk, err := g.BlobMake(ctx, []byte("made"))
	s.check("blob-make", err)
	if mk != nil {
		s.eq("blob-make", mk.(*blob).data, []byte("made"))
		s.check("drop made blob", mk.Drop(ctx))
	}
	cons, err := g.BlobConsume(ctx, []byte("consumed"))
	s.check("blob-consume", err)
	s.eq("blob-consume", cons, []byte("consumed"))
	s.check("ping", g.Ping(ctx))
	s.check("roundtrip-ping", g.RoundtripPing(ctx))
	// b2 came back from blob-pass (the host owns it again).
	s.check("drop passed blob", b2.Drop(ctx))
	s.eq("live host blobs", s.h.blobs, 0)
}

// liveAllocs calls the guest's kitchen-sink-live-allocs core export.
func (s *suite) liveAllocs() uint32 {
	f := s.in.Instance().Function("kitchen-sink-live-allocs")
	if f == nil {
		s.t.Fatal("guest has no kitchen-sink-live-allocs")
	}
	stack := make([]uint64, 1)
	if err := f.Call(s.ctx, stack); err != nil {
		s.t.Fatalf("kitchen-sink-live-allocs: %v", err)
	}
	return uint32(stack[0])
}

// setGC turns the Go guest's forced collections on or off.
func (s *suite) setGC(on bool) bool {
	f := s.in.Instance().Function("kitchen-sink-set-gc")
	if f == nil {
		return false
	}
	stack := []uint64{0}
	if on {
		stack[0] = 1
	}
	if err := f.Call(s.ctx, stack); err != nil {
		s.t.Fatalf("kitchen-sink-set-gc: %v", err)
	}
	return true
}

type engine struct {
	name        string
	interpreter bool
}

var engines = []engine{{"compiler", false}, {"interpreter", true}}

// instantiate compiles wasm on an engine and instantiates it with a fresh
// host implementation.
func instantiate(t testing.TB, ctx context.Context, e engine, wasm []byte) (*host.KitchenSinkInstance, *hostImpl) {
	rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: e.interpreter, WASI: true, CompilationCacheDir: cacheDir(t) + "/wazero"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := host.NewKitchenSink(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	h := &hostImpl{}
	in, err := w.Instantiate(ctx, host.Imports{Host: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return in, h
}

// TestKitchenSink runs every value of every type both ways, and the
// resources, against the Go guest and the C guest on both engines.
func TestKitchenSink(t *testing.T) {
	ctx := context.Background()
	guests := []struct {
		name string
		wasm func(testing.TB) []byte
	}{{"go", goGuest}, {"c", cGuest}}
	for _, gu := range guests {
		for _, e := range engines {
			t.Run(gu.name+"/"+e.name, func(t *testing.T) {
				in, h := instantiate(t, ctx, e, gu.wasm(t))
				s := &suite{t: t, ctx: ctx, in: in, h: h}
				s.values()
				s.resources()
				if n := s.liveAllocs(); n != 0 {
					t.Errorf("guest live allocations after the suite: %d, want 0", n)
				}
				t.Logf("%s guest on %s: %d values round-tripped, %d failures", gu.name, e.name, s.n, s.fail)
			})
		}
	}
}

// TestKitchenSinkGC makes the Go guest force runtime.GC() before and after
// each nested host call, makes many calls whose buffers cross the boundary
// both ways, checks every result, and checks that the guest's live buffer
// count is back to zero.
func TestKitchenSinkGC(t *testing.T) {
	ctx := context.Background()
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			calls := 10000
			if e.interpreter {
				calls = 500
			}
			if testing.Short() {
				calls /= 10
			}
			in, h := instantiate(t, ctx, e, goGuest(t))
			s := &suite{t: t, ctx: ctx, in: in, h: h}
			if !s.setGC(true) {
				t.Fatal("guest has no kitchen-sink-set-gc")
			}
			g := in.Guest()
			nested := host.Nested{Name: kib, Tags: []string{kib, "b", strings.Repeat("c", 300)}, Origin: some(host.Point{X: 1}), Color: host.ColorGreen}
			list := []host.Mixed{mixed1, mixed2}
			// Inside each nested call, sample the guest's live buffers
			// (re-entrantly): they are non-zero while buffers are in flight.
			maxLive, samples := uint32(0), 0
			h.hook = func() {
				samples++
				if n := s.liveAllocs(); n > maxLive {
					maxLive = n
				}
			}
			for i := 0; i < calls && !t.Failed(); i++ {
				var err error
				var got any
				var want any
				switch i % 5 {
				case 0:
					got, err = g.RoundtripString(ctx, kib)
					want = kib
				case 1:
					got, err = g.RoundtripNested(ctx, nested)
					want = nested
				case 2:
					got, err = g.RoundtripListRecord(ctx, list)
					want = list
				case 3:
					got, err = g.BlobRoundtrip(ctx, []byte(kib))
					want = []byte(kib + kib)
				case 4:
					got, err = g.EchoListString(ctx, nested.Tags)
					want = nested.Tags
				}
				if err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
				if !same(got, want) {
					t.Fatalf("call %d: got %.100v, want %.100v", i, got, want)
				}
			}
			h.hook = nil
			s.setGC(false)
			n := s.liveAllocs()
			t.Logf("%d calls with forced GCs on %s: live buffers after = %d (max %d in flight over %d samples inside nested calls)", calls, e.name, n, maxLive, samples)
			if maxLive == 0 {
				t.Errorf("the live buffer count never saw a buffer in flight")
			}
			if n != 0 {
				t.Errorf("live buffers after %d calls: %d, want 0", calls, n)
			}
		})
	}
}
