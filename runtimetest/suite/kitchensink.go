package suite

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// fixture is one guest instance and its host.
type fixture struct {
	in   *ks.KitchenSinkInstance
	host *ksHost
}

// newFixture instantiates testdata/kitchen-sink/kitchen-sink.wasm on a new
// runtime from newRT; everything is closed when t ends.
func newFixture(t testing.TB, newRT NewRuntime) *fixture {
	t.Helper()
	ctx := context.Background()
	rt := newRT(t)
	wasm, err := os.ReadFile(TestdataPath("kitchen-sink", "kitchen-sink.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ks.NewKitchenSink(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	h := &ksHost{}
	in, err := w.Instantiate(ctx, ks.Imports{Host: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return &fixture{in: in, host: h}
}

// liveAllocs calls the guest's kitchen-sink-live-allocs export.
func (f *fixture) liveAllocs(t testing.TB) int32 {
	t.Helper()
	fn := f.in.Instance().Function("kitchen-sink-live-allocs")
	if fn == nil {
		t.Fatal("no kitchen-sink-live-allocs export")
	}
	var stack [1]uint64
	if err := fn.Call(context.Background(), stack[:]); err != nil {
		t.Fatalf("kitchen-sink-live-allocs: %v", err)
	}
	return int32(stack[0])
}

// checkClean fails t unless the guest has no live allocations and the host
// handle table is empty.
func (f *fixture) checkClean(t testing.TB, after string) {
	t.Helper()
	if n := f.liveAllocs(t); n != 0 {
		t.Errorf("after %s: guest live allocations = %d, want 0", after, n)
	}
	if n := ks.LiveHandles(f.in); n != 0 {
		t.Errorf("after %s: host handle table holds %d handles, want 0", after, n)
	}
}

// cmpOpts compares floats by bit pattern, except that any two NaNs
// are equal: CanonicalABI.md lets lift and lower canonicalize NaNs
// (maybe_scramble_nan32/64, canonicalize_nan32/64), so the payload of a NaN
// need not survive a crossing, but its NaN-ness and every other bit pattern
// (including -0.0) must.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b float32) bool {
		return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
	}),
	cmp.Comparer(func(a, b float64) bool {
		return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
	}),
	cmp.Exporter(func(reflect.Type) bool { return true }), // Option, Result
	cmpopts.EquateEmpty(), // nil and empty slices
}

// echoCase is one value sent through one echo-* export and the matching
// roundtrip-* export (guest → host echo → guest).
type echoCase struct {
	name string
	// call calls the guest export (roundtrip selects roundtrip-*) with the
	// case's value and reports the value it got back and the expected one.
	call func(ctx context.Context, g ks.GuestExports, roundtrip bool) (got, want any, err error)
}

// method is a guest export taking and returning one T, as a method
// expression of ks.GuestExports.
type method[T any] func(ks.GuestExports, context.Context, T) (T, error)

// cases returns one echoCase per value, for export pair echo/roundtrip.
func cases[T any](name string, echo, roundtrip method[T], vals ...T) []echoCase {
	out := make([]echoCase, len(vals))
	for i, v := range vals {
		out[i] = echoCase{
			name: name + "/" + short(v, i),
			call: func(ctx context.Context, g ks.GuestExports, rt bool) (any, any, error) {
				f := echo
				if rt {
					f = roundtrip
				}
				got, err := f(g, ctx, v)
				return got, v, err
			},
		}
	}
	return out
}

// short names a test value: its %v form when short and printable, else its
// index.
func short(v any, i int) string {
	s := strings.ReplaceAll(strings.TrimSpace(fmt.Sprint(v)), "/", "|")
	if len(s) > 40 || strings.ContainsAny(s, "\n\x00") {
		return "#" + strconv.Itoa(i)
	}
	return s
}

// resultOf turns a (T, error) answer of a result<T, E> function back into a
// Result: a *WITError[E] becomes err(E).
func resultOf[T, E any](v T, err error) (runtimeadapters.Result[T, E], error) {
	var we *runtimeadapters.WITError[E]
	if errors.As(err, &we) {
		return runtimeadapters.Err[T](we.Value), nil
	}
	if err != nil {
		return runtimeadapters.Result[T, E]{}, err
	}
	return runtimeadapters.OK[T, E](v), nil
}

// Edge values.
var (
	mib       = 1 << 20
	bigString = strings.Repeat("0123456789abcdef", mib/16) // 1 MiB
	bigBytes  = func() []byte {
		b := make([]byte, mib)
		for i := range b {
			b[i] = byte(i * 7)
		}
		return b
	}()
	unicode   = "héllo wörld — 世界 😀 \u0000 \U0010FFFF"
	nan32     = float32(math.NaN())
	nan64     = math.NaN()
	negZero   = math.Copysign(0, -1)
	negZero32 = float32(negZero)
	mixedMin  = ks.Mixed{A: 0, B: math.MinInt16, C: 0, D: math.MinInt64, E: -math.MaxFloat32, F: -math.MaxFloat64, G: "", H: false}
	mixedMax  = ks.Mixed{A: math.MaxUint8, B: math.MaxInt16, C: math.MaxUint32, D: math.MaxInt64, E: float32(math.Inf(1)), F: math.SmallestNonzeroFloat64, G: unicode, H: true}
	mixedNaN  = ks.Mixed{A: 1, B: -1, C: 2, D: -2, E: nan32, F: nan64, G: "nan", H: true}
)

func some[T any](v T) runtimeadapters.Option[T] { return runtimeadapters.Some(v) }
func none[T any]() runtimeadapters.Option[T]    { return runtimeadapters.None[T]() }

// allCases is the table of values for every echo-*/roundtrip-* pair.
func allCases() []echoCase {
	var c []echoCase
	add := func(cs []echoCase) { c = append(c, cs...) }

	add(cases("bool", ks.GuestExports.EchoBool, ks.GuestExports.RoundtripBool, false, true))
	add(cases("u8", ks.GuestExports.EchoU8, ks.GuestExports.RoundtripU8, 0, 1, 0x7F, 0x80, math.MaxUint8))
	add(cases("s8", ks.GuestExports.EchoS8, ks.GuestExports.RoundtripS8, math.MinInt8, -1, 0, math.MaxInt8))
	add(cases("u16", ks.GuestExports.EchoU16, ks.GuestExports.RoundtripU16, 0, 0x8000, math.MaxUint16))
	add(cases("s16", ks.GuestExports.EchoS16, ks.GuestExports.RoundtripS16, math.MinInt16, -1, 0, math.MaxInt16))
	add(cases("u32", ks.GuestExports.EchoU32, ks.GuestExports.RoundtripU32, 0, 0x80000000, math.MaxUint32))
	add(cases("s32", ks.GuestExports.EchoS32, ks.GuestExports.RoundtripS32, math.MinInt32, -1, 0, math.MaxInt32))
	add(cases("u64", ks.GuestExports.EchoU64, ks.GuestExports.RoundtripU64, 0, 1<<63, math.MaxUint64))
	add(cases("s64", ks.GuestExports.EchoS64, ks.GuestExports.RoundtripS64, math.MinInt64, -1, 0, math.MaxInt64))
	add(cases("f32", ks.GuestExports.EchoF32, ks.GuestExports.RoundtripF32,
		0, negZero32, 1.5, -math.MaxFloat32, math.MaxFloat32, math.SmallestNonzeroFloat32,
		float32(math.Inf(1)), float32(math.Inf(-1)), nan32,
		math.Float32frombits(0x7FC00001), math.Float32frombits(0xFF800001))) // NaNs with payloads
	add(cases("f64", ks.GuestExports.EchoF64, ks.GuestExports.RoundtripF64,
		0, negZero, math.Pi, -math.MaxFloat64, math.MaxFloat64, math.SmallestNonzeroFloat64,
		math.Inf(1), math.Inf(-1), nan64, math.Float64frombits(0xFFF0000000000001)))
	add(cases("char", ks.GuestExports.EchoChar, ks.GuestExports.RoundtripChar,
		0, 'A', 0x7F, 0x80, 'é', 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, '😀', 0x10FFFF))
	add(cases("string", ks.GuestExports.EchoString, ks.GuestExports.RoundtripString,
		"", "a", "hello", unicode, strings.Repeat("é", 1000), bigString))
	add(cases("list-u8", ks.GuestExports.EchoListU8, ks.GuestExports.RoundtripListU8,
		[]byte{}, []byte{0}, []byte{0, 255, 128}, bigBytes))
	manyStrings := make([]string, 10000)
	for i := range manyStrings {
		manyStrings[i] = strings.Repeat("x", i%17) + "ü"
	}
	add(cases("list-string", ks.GuestExports.EchoListString, ks.GuestExports.RoundtripListString,
		[]string{}, []string{""}, []string{"", unicode, "", "z"}, manyStrings, []string{bigString}))
	records := make([]ks.Mixed, 1000)
	for i := range records {
		records[i] = ks.Mixed{A: uint8(i), B: int16(-i), C: uint32(i) * 4099, D: int64(i) << 40, E: float32(i) / 3, F: float64(i) / 7, G: strings.Repeat("r", i%5), H: i%2 == 0}
	}
	add(cases("list-record", ks.GuestExports.EchoListRecord, ks.GuestExports.RoundtripListRecord,
		[]ks.Mixed{}, []ks.Mixed{mixedMin}, []ks.Mixed{mixedMin, mixedMax, mixedNaN}, records))
	bigU32 := make([]uint32, mib/4) // 1 MiB
	for i := range bigU32 {
		bigU32[i] = uint32(i) * 2654435761
	}
	add(cases("list-list", ks.GuestExports.EchoListList, ks.GuestExports.RoundtripListList,
		[][]uint32{}, [][]uint32{{}}, [][]uint32{{1, 2}, {}, {math.MaxUint32}}, [][]uint32{bigU32, {}}))
	add(cases("point", ks.GuestExports.EchoPoint, ks.GuestExports.RoundtripPoint,
		ks.Point{}, ks.Point{X: math.MinInt32, Y: math.MaxInt32}))
	add(cases("record", ks.GuestExports.EchoRecord, ks.GuestExports.RoundtripRecord,
		ks.Mixed{}, mixedMin, mixedMax, mixedNaN))
	add(cases("nested", ks.GuestExports.EchoNested, ks.GuestExports.RoundtripNested,
		ks.Nested{},
		ks.Nested{Name: unicode, Line: ks.Line{Start: ks.Point{X: -1, Y: 2}, End: ks.Point{X: math.MaxInt32, Y: math.MinInt32}, Label: "l"},
			Tags: []string{"a", "", "ç"}, Origin: some(ks.Point{X: 3, Y: -4}), Color: ks.ColorBlue},
		ks.Nested{Name: "", Tags: []string{}, Origin: none[ks.Point](), Color: ks.ColorGreen}))
	add(cases("color", ks.GuestExports.EchoColor, ks.GuestExports.RoundtripColor, ks.ColorRed, ks.ColorGreen, ks.ColorBlue))
	add(cases("big-enum", ks.GuestExports.EchoBigEnum, ks.GuestExports.RoundtripBigEnum,
		0, 1, 255, 256, 257, 298, 299))
	add(cases("flags1", ks.GuestExports.EchoFlags1, ks.GuestExports.RoundtripFlags1, 0, 1))
	add(cases("flags8", ks.GuestExports.EchoFlags8, ks.GuestExports.RoundtripFlags8, 0, 1, 0x80, 0xAA, 0xFF))
	add(cases("flags9", ks.GuestExports.EchoFlags9, ks.GuestExports.RoundtripFlags9, 0, 1, 0x100, 0x155, 0x1FF))
	add(cases("flags16", ks.GuestExports.EchoFlags16, ks.GuestExports.RoundtripFlags16, 0, 1, 0x8000, 0xAAAA, 0xFFFF))
	add(cases("flags17", ks.GuestExports.EchoFlags17, ks.GuestExports.RoundtripFlags17, 0, 1, 0x10000, 0x15555, 0x1FFFF))
	add(cases("flags32", ks.GuestExports.EchoFlags32, ks.GuestExports.RoundtripFlags32, 0, 1, 0x80000000, 0xAAAAAAAA, 0xFFFFFFFF))
	add(cases[ks.BigVariant]("big-variant", ks.GuestExports.EchoBigVariant, ks.GuestExports.RoundtripBigVariant,
		ks.BigVariantC0{}, ks.BigVariantC1{Value: 255}, ks.BigVariantC3{Value: math.MaxUint32},
		ks.BigVariantC5{Value: unicode}, ks.BigVariantC5{Value: ""}, ks.BigVariantC255{Value: 255}, ks.BigVariantC256{},
		ks.BigVariantC257{Value: "c257"}, ks.BigVariantC260{Value: 7}, ks.BigVariantC262{Value: 1 << 31},
		ks.BigVariantC298{}, ks.BigVariantC299{Value: math.MaxUint16}))
	add(cases[ks.Joined]("joined", ks.GuestExports.EchoJoined, ks.GuestExports.RoundtripJoined,
		ks.JoinedEmpty{}, ks.JoinedInt32{Value: math.MinInt32}, ks.JoinedInt32{Value: -1},
		ks.JoinedFloat32{Value: -1.25}, ks.JoinedFloat32{Value: negZero32}, ks.JoinedFloat32{Value: nan32},
		ks.JoinedInt64{Value: math.MinInt64}, ks.JoinedInt64{Value: math.MaxInt64},
		ks.JoinedFloat64{Value: negZero}, ks.JoinedFloat64{Value: math.Inf(-1)}, ks.JoinedFloat64{Value: nan64},
		ks.JoinedText{Value: unicode}, ks.JoinedText{Value: ""},
		ks.JoinedPair{Value: struct {
			F0 float32
			F1 uint32
		}{F0: float32(math.Inf(1)), F1: math.MaxUint32}}))
	add(cases[ks.Num]("num", ks.GuestExports.EchoNum, ks.GuestExports.RoundtripNum,
		ks.NumInt{Value: math.MaxUint32}, ks.NumInt{Value: 0}, ks.NumFloat{Value: -2.5},
		ks.NumFloat{Value: float32(math.Inf(-1))}, ks.NumFloat{Value: nan32}))
	add(cases("option-u32", ks.GuestExports.EchoOptionU32, ks.GuestExports.RoundtripOptionU32,
		none[uint32](), some[uint32](0), some[uint32](math.MaxUint32)))
	add(cases("option-string", ks.GuestExports.EchoOptionString, ks.GuestExports.RoundtripOptionString,
		none[string](), some(""), some(unicode)))
	add(cases("option-option", ks.GuestExports.EchoOptionOption, ks.GuestExports.RoundtripOptionOption,
		none[runtimeadapters.Option[uint32]](), some(none[uint32]()), some(some[uint32](0)), some(some[uint32](math.MaxUint32))))
	add(cases("result-unit",
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[struct{}, struct{}]) (runtimeadapters.Result[struct{}, struct{}], error) {
			return resultOf[struct{}, struct{}](struct{}{}, g.EchoResultUnit(ctx, x))
		},
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[struct{}, struct{}]) (runtimeadapters.Result[struct{}, struct{}], error) {
			return resultOf[struct{}, struct{}](struct{}{}, g.RoundtripResultUnit(ctx, x))
		},
		runtimeadapters.OK[struct{}, struct{}](struct{}{}), runtimeadapters.Err[struct{}](struct{}{})))
	add(cases("result-ok",
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[string, struct{}]) (runtimeadapters.Result[string, struct{}], error) {
			return resultOf[string, struct{}](g.EchoResultOk(ctx, x))
		},
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[string, struct{}]) (runtimeadapters.Result[string, struct{}], error) {
			return resultOf[string, struct{}](g.RoundtripResultOk(ctx, x))
		},
		runtimeadapters.OK[string, struct{}](""), runtimeadapters.OK[string, struct{}](unicode), runtimeadapters.Err[string](struct{}{})))
	add(cases("result-err",
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[struct{}, ks.Color]) (runtimeadapters.Result[struct{}, ks.Color], error) {
			return resultOf[struct{}, ks.Color](struct{}{}, g.EchoResultErr(ctx, x))
		},
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[struct{}, ks.Color]) (runtimeadapters.Result[struct{}, ks.Color], error) {
			return resultOf[struct{}, ks.Color](struct{}{}, g.RoundtripResultErr(ctx, x))
		},
		runtimeadapters.OK[struct{}, ks.Color](struct{}{}), runtimeadapters.Err[struct{}](ks.ColorRed), runtimeadapters.Err[struct{}](ks.ColorBlue)))
	add(cases("result-both",
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[ks.Point, string]) (runtimeadapters.Result[ks.Point, string], error) {
			return resultOf[ks.Point, string](g.EchoResultBoth(ctx, x))
		},
		func(g ks.GuestExports, ctx context.Context, x runtimeadapters.Result[ks.Point, string]) (runtimeadapters.Result[ks.Point, string], error) {
			return resultOf[ks.Point, string](g.RoundtripResultBoth(ctx, x))
		},
		runtimeadapters.OK[ks.Point, string](ks.Point{X: math.MinInt32, Y: math.MaxInt32}),
		runtimeadapters.Err[ks.Point](""), runtimeadapters.Err[ks.Point](unicode)))
	add(cases("tuple", ks.GuestExports.EchoTuple, ks.GuestExports.RoundtripTuple,
		tuple3{}, tuple3{F0: 255, F1: unicode, F2: math.Inf(-1)}, tuple3{F0: 1, F1: "", F2: nan64}))
	add(cases("pair",
		func(g ks.GuestExports, ctx context.Context, x pair) (pair, error) { return g.EchoPair(ctx, x.F0, x.F1) },
		func(g ks.GuestExports, ctx context.Context, x pair) (pair, error) {
			return g.RoundtripPair(ctx, x.F0, x.F1)
		},
		pair{}, pair{F0: math.MaxUint64, F1: unicode}, pair{F0: 1, F1: bigString}))
	many := func(f func(ks.GuestExports, context.Context, uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64, bool, rune, string, ks.Point, ks.Color, ks.Flags9, runtimeadapters.Option[uint32]) (ks.ManyFields, error)) method[ks.ManyFields] {
		return func(g ks.GuestExports, ctx context.Context, x ks.ManyFields) (ks.ManyFields, error) {
			return f(g, ctx, x.A, x.B, x.C, x.D, x.E, x.F, x.G, x.H, x.I, x.J, x.K, x.L, x.M, x.N, x.O, x.P, x.Q)
		}
	}
	add(cases("many", many(ks.GuestExports.EchoMany), many(ks.GuestExports.RoundtripMany),
		ks.ManyFields{},
		ks.ManyFields{A: math.MaxUint8, B: math.MinInt8, C: math.MaxUint16, D: math.MinInt16, E: math.MaxUint32, F: math.MinInt32,
			G: math.MaxUint64, H: math.MinInt64, I: nan32, J: negZero, K: true, L: 0x10FFFF, M: unicode,
			N: ks.Point{X: -7, Y: 7}, O: ks.ColorBlue, P: 0x1FF, Q: some[uint32](math.MaxUint32)},
		ks.ManyFields{A: 1, B: -1, I: float32(math.Inf(1)), J: math.SmallestNonzeroFloat64, L: '😀', M: bigString, P: 0x100, Q: none[uint32]()}))
	return c
}

// TestEcho calls every echo-* and roundtrip-* export with every edge value
// on both engines, and checks after each call that the value came back
// unchanged, the guest freed everything and the handle table is empty.
func ksEcho(t *testing.T, newRT NewRuntime) {
	table := allCases()
	f := newFixture(t, newRT)
	ctx := context.Background()
	g := f.in.Guest()
	checked := 0
	for _, c := range table {
		for _, rt := range []bool{false, true} {
			name := "echo-" + c.name
			if rt {
				name = "roundtrip-" + c.name
			}
			got, want, err := c.call(ctx, g, rt)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
				t.Errorf("%s: mismatch (-want +got):\n%s", name, diff)
			}
			f.checkClean(t, name)
			checked++
		}
	}
	t.Logf("%d values checked (%d echo-*/roundtrip-* calls)", checked, checked)
}

// TestHostRejectsInvalidValues: values a Go host cannot legally lower (a
// surrogate or out-of-range char, invalid UTF-8, an unknown enum case or
// flag bit, a nil variant) fail with an ABI error before the guest runs, and
// the instance keeps working.
func ksHostRejectsInvalidValues(t *testing.T, newRT NewRuntime) {
	ctx := context.Background()
	checks := []struct {
		name string
		call func(g ks.GuestExports) error
		kind error
	}{
		{"char surrogate", func(g ks.GuestExports) error { return second(g.EchoChar(ctx, 0xD800)) }, runtimeadapters.ErrInvalidChar},
		{"char too big", func(g ks.GuestExports) error { return second(g.EchoChar(ctx, 0x110000)) }, runtimeadapters.ErrInvalidChar},
		{"char negative", func(g ks.GuestExports) error { return second(g.EchoChar(ctx, -1)) }, runtimeadapters.ErrInvalidChar},
		{"string invalid UTF-8", func(g ks.GuestExports) error { return second(g.EchoString(ctx, "a\xffb")) }, runtimeadapters.ErrInvalidUTF8},
		{"string encoded surrogate", func(g ks.GuestExports) error { return second(g.EchoString(ctx, "\xed\xa0\x80")) }, runtimeadapters.ErrInvalidUTF8},
		{"list<string> invalid UTF-8", func(g ks.GuestExports) error { return second(g.EchoListString(ctx, []string{"ok", "\xc3\x28"})) }, runtimeadapters.ErrInvalidUTF8},
		{"record with invalid UTF-8", func(g ks.GuestExports) error { return second(g.EchoRecord(ctx, ks.Mixed{G: "\xff"})) }, runtimeadapters.ErrInvalidUTF8},
		// A Go value outside the enum is a host bug (ErrBadCall), not a guest fault.
		{"enum out of range", func(g ks.GuestExports) error { return second(g.EchoColor(ctx, 3)) }, runtimeadapters.ErrBadCall},
		{"big-enum out of range", func(g ks.GuestExports) error { return second(g.EchoBigEnum(ctx, 300)) }, runtimeadapters.ErrBadCall},
		{"nil variant", func(g ks.GuestExports) error { return second(g.EchoNum(ctx, nil)) }, nil},
	}
	for _, c := range checks {
		f := newFixture(t, newRT)
		g := f.in.Guest()
		err := c.call(g)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if c.kind != nil && !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", c.name, err, c.kind)
		}
		// Either the failure poisoned the instance (a trap), or the
		// instance still works and then it must not have leaked
		// guest memory: a failed call that leaves the instance
		// running must not strand allocations (an abandoned
		// argument, or a result whose cabi_post_* never ran).
		if _, err := g.EchoU32(ctx, 42); err != nil {
			t.Logf("%s: the instance refuses calls afterwards (%v)", c.name, err)
			continue
		}
		if n := f.liveAllocs(t); n != 0 {
			t.Errorf("%s: the instance still runs, but the failed call leaked %d guest allocations", c.name, n)
		}
	}
	f := newFixture(t, newRT)
	g := f.in.Guest()
	// Undeclared flag bits: CanonicalABI.md's pack_flags_into_int
	// only reads declared members; the guest sees (and returns)
	// only those.
	if v, err := g.EchoFlags9(ctx, 0xFFFF); err != nil || v != 0x1FF {
		t.Errorf("EchoFlags9(0xFFFF) = %#x, %v; want 0x1ff (undeclared bits dropped) or an error", v, err)
	}
}

func second[T any](_ T, err error) error { return err }

// TestCounter exercises the guest-implemented resource counter: created by
// a constructor and by static functions, borrowed (methods, merge), passed
// as own (consume-counter, whose [resource-drop] makes the host run the
// destructor re-entrantly) and dropped by the host.
func ksCounter(t *testing.T, newRT NewRuntime) {
	f := newFixture(t, newRT)
	ctx := context.Background()
	g := f.in.Guest()
	must := func(v uint32, err error) uint32 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	c, err := g.NewCounter(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if v := must(c.Get(ctx)); v != 5 {
		t.Errorf("Get = %d, want 5", v)
	}
	if v := must(c.Increment(ctx, math.MaxUint32)); v != 4 {
		t.Errorf("Increment(max) = %d, want 4 (wrapping)", v)
	}
	if s, err := c.Label(ctx); err != nil || s != "counter=4" {
		t.Errorf("Label = %q, %v", s, err)
	}
	z, err := g.CounterZero(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v := must(z.Increment(ctx, 10)); v != 10 {
		t.Errorf("z.Increment = %d", v)
	}
	m, err := g.CounterMerge(ctx, c, z) // borrows
	if err != nil {
		t.Fatal(err)
	}
	if v := must(m.Get(ctx)); v != 14 {
		t.Errorf("merged Get = %d, want 14", v)
	}
	// Host-held counters are reps in *Counter values, not entries of
	// the instance's handle table.
	if n := ks.LiveHandles(f.in); n != 0 {
		t.Errorf("live handles = %d, want 0", n)
	}
	// Merging a counter with itself borrows it twice.
	self, err := g.CounterMerge(ctx, c, c)
	if err != nil {
		t.Fatal(err)
	}
	if v := must(g.ConsumeCounter(ctx, self)); v != 8 {
		t.Errorf("ConsumeCounter(self-merge) = %d, want 8", v)
	}
	if v := must(g.ConsumeCounter(ctx, m)); v != 14 {
		t.Errorf("ConsumeCounter = %d, want 14", v)
	}
	// m was given away: no use, no second drop.
	if _, err := m.Get(ctx); err == nil {
		t.Error("Get on a consumed counter succeeded")
	}
	if err := m.Drop(ctx); err == nil {
		t.Error("Drop of a consumed counter succeeded")
	}
	if err := c.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Drop(ctx); err == nil {
		t.Error("second Drop succeeded")
	}
	if _, err := c.Get(ctx); err == nil {
		t.Error("Get after Drop succeeded")
	}
	if n := f.liveAllocs(t); n == 0 {
		t.Error("live allocations = 0 while z is alive")
	}
	if err := z.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	f.checkClean(t, "dropping every counter")

}

// TestBlob exercises the host-implemented resource blob: created by the
// guest (constructor, static merge, make-blob), borrowed by exports and
// imports, passed as own both ways and dropped by the guest.
func ksBlob(t *testing.T, newRT NewRuntime) {
	f := newFixture(t, newRT)
	h := f.host
	ctx := context.Background()
	g := f.in.Guest()
	step := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f.checkClean(t, name)
	}

	// Guest creates, appends, reads and drops a blob.
	for _, data := range [][]byte{{}, []byte("abc"), bigBytes} {
		got, err := g.BlobRoundtrip(ctx, data)
		step("blob-roundtrip", err)
		if want := append(append([]byte{}, data...), data...); !cmp.Equal(got, want, cmpOpts) {
			t.Errorf("blob-roundtrip(%d bytes) returned %d bytes", len(data), len(got))
		}
	}
	if h.created != 3 || h.dropped != 3 {
		t.Errorf("after blob-roundtrip: created %d, dropped %d; want 3, 3", h.created, h.dropped)
	}

	// Borrows into the guest: the guest uses and drops them.
	a, b := h.newBlob([]byte("hello ")), h.newBlob([]byte("world"))
	n, err := g.BlobSize(ctx, a)
	step("blob-size", err)
	if n != 6 {
		t.Errorf("blob-size = %d", n)
	}
	n, err = g.BlobLen(ctx, b)
	step("blob-len", err)
	if n != 5 {
		t.Errorf("blob-len = %d", n)
	}
	m, err := g.BlobMerge(ctx, a, b) // borrows to guest, which borrows them back to host.merge
	step("blob-merge", err)
	if string(m.(*blob).data) != "hello world" {
		t.Errorf("blob-merge = %q", m.(*blob).data)
	}
	mm, err := g.BlobMerge(ctx, a, a) // the same blob borrowed twice
	step("blob-merge(a, a)", err)
	if string(mm.(*blob).data) != "hello hello " {
		t.Errorf("blob-merge(a, a) = %q", mm.(*blob).data)
	}
	if a.dropped || b.dropped {
		t.Error("a borrowed blob was dropped")
	}

	// Own passed to the guest and back.
	p, err := g.BlobPass(ctx, m)
	step("blob-pass", err)
	if p != m {
		t.Errorf("blob-pass returned a different blob")
	}
	if m.(*blob).dropped {
		t.Error("blob-pass dropped the blob")
	}

	// Own passed to the guest, which drops it.
	dropped := h.dropped
	data, err := g.BlobTake(ctx, mm)
	step("blob-take", err)
	if string(data) != "hello hello " || !mm.(*blob).dropped || h.dropped != dropped+1 {
		t.Errorf("blob-take = %q, dropped %v (count %d → %d)", data, mm.(*blob).dropped, dropped, h.dropped)
	}

	// Blobs the guest creates through host imports.
	made, err := g.BlobMake(ctx, []byte("made"))
	step("blob-make", err)
	if string(made.(*blob).data) != "made" {
		t.Errorf("blob-make = %q", made.(*blob).data)
	}
	data, err = g.BlobConsume(ctx, []byte("gone"))
	step("blob-consume", err)
	if string(data) != "gone" {
		t.Errorf("blob-consume = %q", data)
	}

	// Host-side lifetime: the test owns a, b, p (=m) and made.
	for _, x := range []ks.Blob{a, b, p, made} {
		if err := x.Drop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if h.created != h.dropped {
		t.Errorf("blobs created %d, destructors run %d", h.created, h.dropped)
	}
	// 3 roundtrip + a, b + merge×2 + make + consume = 9
	if h.created != 9 {
		t.Errorf("blobs created = %d, want 9", h.created)
	}
	f.checkClean(t, "the blob exercises")
}

// TestPing calls the no-argument, no-result exports both ways.
func ksPing(t *testing.T, newRT NewRuntime) {
	f := newFixture(t, newRT)
	ctx := context.Background()
	if err := f.in.Guest().Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.in.Guest().RoundtripPing(ctx); err != nil {
		t.Fatal(err)
	}
	if f.host.pings != 1 {
		t.Errorf("host pings = %d, want 1", f.host.pings)
	}
	f.checkClean(t, "ping")
}

// TestHostErrorTraps: an error returned by a host import traps the guest.
// The export call fails with an error that wraps the host's error (through a
// *runtimeadapters.HostError), and the instance refuses later calls.
func ksHostErrorTraps(t *testing.T, newRT NewRuntime) {
	errBoom := errors.New("boom")
	f := newFixture(t, newRT)
	ctx := context.Background()
	f.host.failU32 = errBoom
	_, err := f.in.Guest().RoundtripU32(ctx, 1)
	var he *runtimeadapters.HostError
	if !errors.Is(err, errBoom) || !errors.As(err, &he) {
		t.Fatalf("RoundtripU32 = %v; want an error wrapping a HostError and the host's error", err)
	}
	if he.Name != "echo-u32" {
		t.Errorf("HostError names %s.%s", he.Module, he.Name)
	}
	f.host.failU32 = nil
	if _, err := f.in.Guest().EchoU32(ctx, 1); err == nil {
		t.Error("EchoU32 after a trap succeeded; the instance must refuse calls")
	}
}
