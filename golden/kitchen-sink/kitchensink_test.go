package kitchensink_test

// End-to-end tests of the bindings generated from
// testdata/kitchen-sink/kitchen-sink.wit against the independent C guest
// testdata/kitchen-sink/kitchen-sink.wasm: every echo-T export (host →
// guest → host) and roundtrip-T export (host → guest → host import →
// guest → host) must return its argument unchanged, and the resources
// behave as the canonical ABI says.

import (
	"context"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"

	ks "github.com/wasmhost/wit-bindgen-go-host/golden/kitchen-sink"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

type blob struct {
	ks.UnimplementedBlob
	data    []byte
	dropped *int
}

func (b *blob) Size(ctx context.Context) (uint32, error) { return uint32(len(b.data)), nil }
func (b *blob) Read(ctx context.Context, off, n uint32) ([]byte, error) {
	if uint64(off)+uint64(n) > uint64(len(b.data)) {
		return nil, errors.New("read out of range")
	}
	return append([]byte(nil), b.data[off:off+n]...), nil
}
func (b *blob) Append(ctx context.Context, data []byte) error {
	b.data = append(b.data, data...)
	return nil
}
func (b *blob) Drop(ctx context.Context) error { *b.dropped++; return nil }

type tuple = struct {
	F0 uint8
	F1 string
	F2 float64
}

type pair = struct {
	F0 uint64
	F1 string
}

type host struct {
	ks.UnimplementedHost
	pings   int
	dropped int
}

func (h *host) newBlob(data []byte) *blob {
	return &blob{data: append([]byte(nil), data...), dropped: &h.dropped}
}
func (h *host) NewBlob(ctx context.Context, init []byte) (ks.Blob, error) {
	return h.newBlob(init), nil
}
func (h *host) BlobMerge(ctx context.Context, a, b ks.Blob) (ks.Blob, error) {
	return h.newBlob(append(append([]byte(nil), a.(*blob).data...), b.(*blob).data...)), nil
}
func (h *host) MakeBlob(ctx context.Context, data []byte) (ks.Blob, error) {
	return h.newBlob(data), nil
}
func (h *host) BlobLen(ctx context.Context, b ks.Blob) (uint32, error) {
	return uint32(len(b.(*blob).data)), nil
}
func (h *host) ConsumeBlob(ctx context.Context, b ks.Blob) ([]byte, error) {
	_ = b.Drop(ctx)
	return b.(*blob).data, nil
}
func (h *host) EchoBlob(ctx context.Context, b ks.Blob) (ks.Blob, error) { return b, nil }
func (h *host) Ping(ctx context.Context) error                           { h.pings++; return nil }

func (h *host) EchoBool(_ context.Context, x bool) (bool, error)       { return x, nil }
func (h *host) EchoU8(_ context.Context, x uint8) (uint8, error)       { return x, nil }
func (h *host) EchoS8(_ context.Context, x int8) (int8, error)         { return x, nil }
func (h *host) EchoU16(_ context.Context, x uint16) (uint16, error)    { return x, nil }
func (h *host) EchoS16(_ context.Context, x int16) (int16, error)      { return x, nil }
func (h *host) EchoU32(_ context.Context, x uint32) (uint32, error)    { return x, nil }
func (h *host) EchoS32(_ context.Context, x int32) (int32, error)      { return x, nil }
func (h *host) EchoU64(_ context.Context, x uint64) (uint64, error)    { return x, nil }
func (h *host) EchoS64(_ context.Context, x int64) (int64, error)      { return x, nil }
func (h *host) EchoF32(_ context.Context, x float32) (float32, error)  { return x, nil }
func (h *host) EchoF64(_ context.Context, x float64) (float64, error)  { return x, nil }
func (h *host) EchoChar(_ context.Context, x rune) (rune, error)       { return x, nil }
func (h *host) EchoString(_ context.Context, x string) (string, error) { return x, nil }
func (h *host) EchoListU8(_ context.Context, x []byte) ([]byte, error) { return x, nil }
func (h *host) EchoListString(_ context.Context, x []string) ([]string, error) {
	return x, nil
}
func (h *host) EchoListRecord(_ context.Context, x []ks.Mixed) ([]ks.Mixed, error) { return x, nil }
func (h *host) EchoListList(_ context.Context, x [][]uint32) ([][]uint32, error)   { return x, nil }
func (h *host) EchoPoint(_ context.Context, x ks.Point) (ks.Point, error)          { return x, nil }
func (h *host) EchoRecord(_ context.Context, x ks.Mixed) (ks.Mixed, error)         { return x, nil }
func (h *host) EchoNested(_ context.Context, x ks.Nested) (ks.Nested, error)       { return x, nil }
func (h *host) EchoColor(_ context.Context, x ks.Color) (ks.Color, error)          { return x, nil }
func (h *host) EchoBigEnum(_ context.Context, x ks.BigEnum) (ks.BigEnum, error)    { return x, nil }
func (h *host) EchoFlags1(_ context.Context, x ks.Flags1) (ks.Flags1, error)       { return x, nil }
func (h *host) EchoFlags8(_ context.Context, x ks.Flags8) (ks.Flags8, error)       { return x, nil }
func (h *host) EchoFlags9(_ context.Context, x ks.Flags9) (ks.Flags9, error)       { return x, nil }
func (h *host) EchoFlags16(_ context.Context, x ks.Flags16) (ks.Flags16, error)    { return x, nil }
func (h *host) EchoFlags17(_ context.Context, x ks.Flags17) (ks.Flags17, error)    { return x, nil }
func (h *host) EchoFlags32(_ context.Context, x ks.Flags32) (ks.Flags32, error)    { return x, nil }
func (h *host) EchoBigVariant(_ context.Context, x ks.BigVariant) (ks.BigVariant, error) {
	return x, nil
}
func (h *host) EchoJoined(_ context.Context, x ks.Joined) (ks.Joined, error) { return x, nil }
func (h *host) EchoNum(_ context.Context, x ks.Num) (ks.Num, error)          { return x, nil }
func (h *host) EchoOptionU32(_ context.Context, x ra.Option[uint32]) (ra.Option[uint32], error) {
	return x, nil
}
func (h *host) EchoOptionString(_ context.Context, x ra.Option[string]) (ra.Option[string], error) {
	return x, nil
}
func (h *host) EchoOptionOption(_ context.Context, x ra.Option[ra.Option[uint32]]) (ra.Option[ra.Option[uint32]], error) {
	return x, nil
}
func (h *host) EchoResultUnit(_ context.Context, x ra.Result[struct{}, struct{}]) error {
	if e, bad := x.Err(); bad {
		return ra.NewWITError(e)
	}
	return nil
}
func (h *host) EchoResultOk(_ context.Context, x ra.Result[string, struct{}]) (string, error) {
	if e, bad := x.Err(); bad {
		return "", ra.NewWITError(e)
	}
	v, _ := x.OK()
	return v, nil
}
func (h *host) EchoResultErr(_ context.Context, x ra.Result[struct{}, ks.Color]) error {
	if e, bad := x.Err(); bad {
		return ra.NewWITError(e)
	}
	return nil
}
func (h *host) EchoResultBoth(_ context.Context, x ra.Result[ks.Point, string]) (ks.Point, error) {
	if e, bad := x.Err(); bad {
		return ks.Point{}, ra.NewWITError(e)
	}
	v, _ := x.OK()
	return v, nil
}
func (h *host) EchoTuple(_ context.Context, x tuple) (tuple, error) { return x, nil }
func (h *host) EchoPair(_ context.Context, a uint64, b string) (pair, error) {
	return pair{a, b}, nil
}
func (h *host) EchoMany(_ context.Context, a uint8, b int8, c uint16, d int16, e uint32, f int32, g uint64, hh int64, i float32, j float64, k bool, l rune, m string, n ks.Point, o ks.Color, p ks.Flags9, q ra.Option[uint32]) (ks.ManyFields, error) {
	return ks.ManyFields{A: a, B: b, C: c, D: d, E: e, F: f, G: g, H: hh, I: i, J: j, K: k, L: l, M: m, N: n, O: o, P: p, Q: q}, nil
}

// liveAllocs returns the guest's count of live allocations (a plain core
// export of the kitchen-sink guest, outside the component naming scheme).
func liveAllocs(t testing.TB, in *ks.KitchenSinkInstance) uint64 {
	t.Helper()
	f := in.Instance().Function("kitchen-sink-live-allocs")
	if f == nil {
		t.Fatal("guest has no kitchen-sink-live-allocs export")
	}
	stack := []uint64{0}
	if err := f.Call(context.Background(), stack); err != nil {
		t.Fatal(err)
	}
	return stack[0]
}

func setup(t testing.TB) (*ks.KitchenSinkInstance, *host) {
	t.Helper()
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Close(ctx) })
	wasm, err := os.ReadFile("../../testdata/kitchen-sink/kitchen-sink.wasm")
	if err != nil {
		t.Skipf("kitchen-sink guest not available: %v", err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := ks.NewKitchenSink(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	h := &host{}
	in, err := w.Instantiate(ctx, ks.Imports{Host: h})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close(ctx) })
	return in, h
}

// leakCheck, when set, is the instance whose guest allocations must all be
// freed after every call (post-return ran, nothing leaked).
var leakCheck *ks.KitchenSinkInstance

// both checks echo-T and roundtrip-T for each value.
func both[T any](t *testing.T, name string, echo, roundtrip func(context.Context, T) (T, error), vs ...T) {
	t.Helper()
	ctx := context.Background()
	defer func() {
		if leakCheck != nil {
			if n := liveAllocs(t, leakCheck); n != 0 {
				t.Errorf("%s: %d guest allocations leaked", name, n)
			}
		}
	}()
	for _, v := range vs {
		for _, f := range []struct {
			kind string
			fn   func(context.Context, T) (T, error)
		}{{"echo", echo}, {"roundtrip", roundtrip}} {
			got, err := f.fn(ctx, v)
			if err != nil {
				t.Errorf("%s-%s(%v): %v", f.kind, name, v, err)
				continue
			}
			if !reflect.DeepEqual(got, v) {
				t.Errorf("%s-%s(%#v) = %#v", f.kind, name, v, got)
			}
		}
	}
}

func TestScalars(t *testing.T) {
	in, _ := setup(t)
	leakCheck = in
	defer func() { leakCheck = nil }()
	g := in.Guest()
	both(t, "bool", g.EchoBool, g.RoundtripBool, true, false)
	both(t, "u8", g.EchoU8, g.RoundtripU8, 0, 1, 255)
	both(t, "s8", g.EchoS8, g.RoundtripS8, 0, -1, -128, 127)
	both(t, "u16", g.EchoU16, g.RoundtripU16, 0, 65535)
	both(t, "s16", g.EchoS16, g.RoundtripS16, -32768, 32767, -1)
	both(t, "u32", g.EchoU32, g.RoundtripU32, 0, math.MaxUint32)
	both(t, "s32", g.EchoS32, g.RoundtripS32, math.MinInt32, math.MaxInt32, -1)
	both(t, "u64", g.EchoU64, g.RoundtripU64, 0, math.MaxUint64)
	both(t, "s64", g.EchoS64, g.RoundtripS64, math.MinInt64, math.MaxInt64, -1)
	both(t, "f32", g.EchoF32, g.RoundtripF32, 0, 1.5, -2.25, float32(math.Inf(-1)), math.MaxFloat32)
	both(t, "f64", g.EchoF64, g.RoundtripF64, 0, math.Pi, math.Inf(1), -math.SmallestNonzeroFloat64)
	both(t, "char", g.EchoChar, g.RoundtripChar, 'a', 0, 'é', '🐱', 0x10FFFF, 0xD7FF, 0xE000)
}

func TestStringsAndLists(t *testing.T) {
	in, _ := setup(t)
	leakCheck = in
	defer func() { leakCheck = nil }()
	g := in.Guest()
	both(t, "string", g.EchoString, g.RoundtripString, "", "hello", "héllo wörld 🐱", strings.Repeat("x", 10000))
	both(t, "list-u8", g.EchoListU8, g.RoundtripListU8, []byte{1, 2, 3}, make([]byte, 5000))
	both(t, "list-string", g.EchoListString, g.RoundtripListString, []string{"a", "", "ccc"}, []string{"only"})
	both(t, "list-record", g.EchoListRecord, g.RoundtripListRecord, []ks.Mixed{
		{A: 1, B: -2, C: 3, D: -4, E: 5.5, F: -6.25, G: "seven", H: true},
		{G: ""},
	})
	both(t, "list-list", g.EchoListList, g.RoundtripListList, [][]uint32{{1, 2}, {3}, {4, 5, 6}})
}

func TestRecordsEnumsFlags(t *testing.T) {
	in, _ := setup(t)
	leakCheck = in
	defer func() { leakCheck = nil }()
	g := in.Guest()
	both(t, "point", g.EchoPoint, g.RoundtripPoint, ks.Point{X: -1, Y: math.MaxInt32})
	both(t, "record", g.EchoRecord, g.RoundtripRecord, ks.Mixed{A: 255, B: -32768, C: 1 << 31, D: math.MinInt64, E: -0.5, F: 1e300, G: "g", H: true})
	both(t, "nested", g.EchoNested, g.RoundtripNested,
		ks.Nested{Name: "n", Line: ks.Line{Start: ks.Point{X: 1, Y: 2}, End: ks.Point{X: 3, Y: 4}, Label: "l"},
			Tags: []string{"t1", "t2"}, Origin: ra.Some(ks.Point{X: 5, Y: 6}), Color: ks.ColorBlue},
		ks.Nested{Tags: []string{}, Color: ks.ColorRed})
	both(t, "color", g.EchoColor, g.RoundtripColor, ks.ColorRed, ks.ColorGreen, ks.ColorBlue)
	both(t, "big-enum", g.EchoBigEnum, g.RoundtripBigEnum, ks.BigEnumE0, ks.BigEnumE1, ks.BigEnumE299)
	both(t, "flags1", g.EchoFlags1, g.RoundtripFlags1, 0, 1)
	both(t, "flags8", g.EchoFlags8, g.RoundtripFlags8, 0, 0xff, 0x81)
	both(t, "flags9", g.EchoFlags9, g.RoundtripFlags9, 0x1ff, 0x100)
	both(t, "flags16", g.EchoFlags16, g.RoundtripFlags16, 0xffff, 0x8001)
	both(t, "flags17", g.EchoFlags17, g.RoundtripFlags17, 0x1ffff, 0x10000)
	both(t, "flags32", g.EchoFlags32, g.RoundtripFlags32, 0xffffffff, 0x80000001)
}

func TestVariants(t *testing.T) {
	in, _ := setup(t)
	leakCheck = in
	defer func() { leakCheck = nil }()
	g := in.Guest()
	both[ks.BigVariant](t, "big-variant", g.EchoBigVariant, g.RoundtripBigVariant,
		ks.BigVariant(ks.BigVariantC0{}), ks.BigVariantC1{Value: 200}, ks.BigVariantC3{Value: 1 << 31},
		ks.BigVariantC5{Value: "five"}, ks.BigVariantC299{Value: 65535})
	both[ks.Joined](t, "joined", g.EchoJoined, g.RoundtripJoined,
		ks.Joined(ks.JoinedEmpty{}), ks.JoinedInt32{Value: -7}, ks.JoinedFloat32{Value: -1.5},
		ks.JoinedInt64{Value: math.MinInt64}, ks.JoinedFloat64{Value: math.Inf(-1)},
		ks.JoinedText{Value: "text"}, ks.JoinedPair{Value: struct {
			F0 float32
			F1 uint32
		}{2.5, math.MaxUint32}})
	both[ks.Num](t, "num", g.EchoNum, g.RoundtripNum, ks.Num(ks.NumInt{Value: 7}), ks.NumFloat{Value: 0.25})
	both(t, "option-u32", g.EchoOptionU32, g.RoundtripOptionU32, ra.None[uint32](), ra.Some[uint32](0), ra.Some[uint32](math.MaxUint32))
	both(t, "option-string", g.EchoOptionString, g.RoundtripOptionString, ra.None[string](), ra.Some(""), ra.Some("s"))
	both(t, "option-option", g.EchoOptionOption, g.RoundtripOptionOption,
		ra.None[ra.Option[uint32]](), ra.Some(ra.None[uint32]()), ra.Some(ra.Some[uint32](9)))
	both(t, "tuple", g.EchoTuple, g.RoundtripTuple, tuple{1, "two", 3.5})
}

func TestResults(t *testing.T) {
	ctx := context.Background()
	in, _ := setup(t)
	g := in.Guest()
	for _, f := range []func(context.Context, ra.Result[ks.Point, string]) (ks.Point, error){g.EchoResultBoth, g.RoundtripResultBoth} {
		if p, err := f(ctx, ra.OK[ks.Point, string](ks.Point{X: 1, Y: 2})); err != nil || p != (ks.Point{X: 1, Y: 2}) {
			t.Errorf("result-both ok: %v, %v", p, err)
		}
		var we *ra.WITError[string]
		if _, err := f(ctx, ra.Err[ks.Point]("bad")); !errors.As(err, &we) || we.Value != "bad" {
			t.Errorf("result-both err: %v", err)
		}
	}
	for _, f := range []func(context.Context, ra.Result[struct{}, ks.Color]) error{g.EchoResultErr, g.RoundtripResultErr} {
		if err := f(ctx, ra.OK[struct{}, ks.Color](struct{}{})); err != nil {
			t.Errorf("result-err ok: %v", err)
		}
		var we *ra.WITError[ks.Color]
		if err := f(ctx, ra.Err[struct{}](ks.ColorGreen)); !errors.As(err, &we) || we.Value != ks.ColorGreen {
			t.Errorf("result-err err: %v", err)
		}
	}
	for _, f := range []func(context.Context, ra.Result[string, struct{}]) (string, error){g.EchoResultOk, g.RoundtripResultOk} {
		if s, err := f(ctx, ra.OK[string, struct{}]("fine")); err != nil || s != "fine" {
			t.Errorf("result-ok ok: %q, %v", s, err)
		}
		var we *ra.WITError[struct{}]
		if _, err := f(ctx, ra.Err[string](struct{}{})); !errors.As(err, &we) {
			t.Errorf("result-ok err: %v", err)
		}
	}
	for _, f := range []func(context.Context, ra.Result[struct{}, struct{}]) error{g.EchoResultUnit, g.RoundtripResultUnit} {
		if err := f(ctx, ra.OK[struct{}, struct{}](struct{}{})); err != nil {
			t.Errorf("result-unit ok: %v", err)
		}
		var we *ra.WITError[struct{}]
		if err := f(ctx, ra.Err[struct{}](struct{}{})); !errors.As(err, &we) {
			t.Errorf("result-unit err: %v", err)
		}
	}
}

func TestSpilled(t *testing.T) {
	ctx := context.Background()
	in, _ := setup(t)
	g := in.Guest()
	for _, f := range []func(context.Context, uint64, string) (pair, error){g.EchoPair, g.RoundtripPair} {
		if p, err := f(ctx, math.MaxUint64, "pair"); err != nil || p != (pair{math.MaxUint64, "pair"}) {
			t.Errorf("pair: %+v, %v", p, err)
		}
	}
	want := ks.ManyFields{A: 1, B: -2, C: 3, D: -4, E: 5, F: -6, G: 7, H: -8, I: 9.5, J: -10.5, K: true, L: 'λ', M: "m",
		N: ks.Point{X: 11, Y: 12}, O: ks.ColorGreen, P: 0x101, Q: ra.Some[uint32](13)}
	for _, f := range []func(context.Context, uint8, int8, uint16, int16, uint32, int32, uint64, int64, float32, float64, bool, rune, string, ks.Point, ks.Color, ks.Flags9, ra.Option[uint32]) (ks.ManyFields, error){g.EchoMany, g.RoundtripMany} {
		got, err := f(ctx, want.A, want.B, want.C, want.D, want.E, want.F, want.G, want.H, want.I, want.J, want.K, want.L, want.M, want.N, want.O, want.P, want.Q)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("many: %+v, %v", got, err)
		}
	}
}

func TestResources(t *testing.T) {
	ctx := context.Background()
	in, h := setup(t)
	g := in.Guest()

	// Guest-implemented counter.
	c, err := g.NewCounter(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c.Increment(ctx, 3); err != nil || v != 8 {
		t.Fatalf("Increment = %d, %v", v, err)
	}
	if s, err := c.Label(ctx); err != nil || s != "counter=8" {
		t.Errorf("Label = %q, %v", s, err)
	}
	z, err := g.CounterZero(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.CounterMerge(ctx, c, z)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := m.Get(ctx); err != nil || v != 8 {
		t.Errorf("merged Get = %d, %v", v, err)
	}
	if v, err := g.ConsumeCounter(ctx, m); err != nil || v != 8 {
		t.Errorf("ConsumeCounter = %d, %v", v, err)
	}
	if _, err := m.Get(ctx); err == nil {
		t.Error("Get on a consumed counter succeeded")
	}
	for _, x := range []*ks.Counter{c, z} {
		if err := x.Drop(ctx); err != nil {
			t.Errorf("Drop: %v", err)
		}
	}

	// Host-implemented blob.
	if b, err := g.BlobRoundtrip(ctx, []byte("ab")); err != nil || string(b) != "abab" {
		t.Errorf("BlobRoundtrip = %q, %v", b, err)
	}
	b := h.newBlob([]byte("xyz"))
	if n, err := g.BlobSize(ctx, b); err != nil || n != 3 {
		t.Errorf("BlobSize = %d, %v", n, err)
	}
	if n, err := g.BlobLen(ctx, b); err != nil || n != 3 {
		t.Errorf("BlobLen = %d, %v", n, err)
	}
	merged, err := g.BlobMerge(ctx, b, h.newBlob([]byte("12")))
	if err != nil || string(merged.(*blob).data) != "xyz12" {
		t.Errorf("BlobMerge = %v, %v", merged, err)
	}
	if p, err := g.BlobPass(ctx, b); err != nil || p != ks.Blob(b) {
		t.Errorf("BlobPass = %v, %v", p, err)
	}
	if mk, err := g.BlobMake(ctx, []byte("new")); err != nil || string(mk.(*blob).data) != "new" {
		t.Errorf("BlobMake = %v, %v", mk, err)
	}
	dropped := h.dropped
	if data, err := g.BlobTake(ctx, h.newBlob([]byte("take"))); err != nil || string(data) != "take" {
		t.Errorf("BlobTake = %q, %v", data, err)
	}
	if h.dropped != dropped+1 {
		t.Errorf("BlobTake did not drop the blob (%d drops)", h.dropped-dropped)
	}
	if data, err := g.BlobConsume(ctx, []byte("cons")); err != nil || string(data) != "cons" {
		t.Errorf("BlobConsume = %q, %v", data, err)
	}

	if err := g.Ping(ctx); err != nil {
		t.Error(err)
	}
	if err := g.RoundtripPing(ctx); err != nil || h.pings != 1 {
		t.Errorf("RoundtripPing: %v, %d pings", err, h.pings)
	}
}

// TestRejectedHostValuesLeakNothing: invalid host values are refused before
// any guest allocation, and the instance keeps working.
func TestRejectedHostValuesLeakNothing(t *testing.T) {
	ctx := context.Background()
	in, _ := setup(t)
	g := in.Guest()
	if _, err := g.EchoString(ctx, "bad\xff"); !errors.Is(err, ra.ErrInvalidUTF8) {
		t.Errorf("EchoString(invalid UTF-8): %v", err)
	}
	if _, err := g.EchoListString(ctx, []string{"ok", "\xed\xa0\x80"}); !errors.Is(err, ra.ErrInvalidUTF8) {
		t.Errorf("EchoListString(surrogate): %v", err)
	}
	if _, err := g.EchoRecord(ctx, ks.Mixed{G: "\xc3\x28"}); !errors.Is(err, ra.ErrInvalidUTF8) {
		t.Errorf("EchoRecord(invalid UTF-8): %v", err)
	}
	if _, err := g.EchoChar(ctx, 0xD800); !errors.Is(err, ra.ErrInvalidChar) {
		t.Errorf("EchoChar(surrogate): %v", err)
	}
	if _, err := g.EchoJoined(ctx, nil); !errors.Is(err, ra.ErrBadCall) {
		t.Errorf("EchoJoined(nil): %v", err)
	}
	if _, err := g.EchoColor(ctx, 7); !errors.Is(err, ra.ErrBadCall) {
		t.Errorf("EchoColor(7): %v", err)
	}
	if n := liveAllocs(t, in); n != 0 {
		t.Errorf("rejected calls leaked %d guest allocations", n)
	}
	if s, err := g.EchoString(ctx, "fine"); err != nil || s != "fine" {
		t.Errorf("EchoString after rejected calls: %q, %v", s, err)
	}
}
