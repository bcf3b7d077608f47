package spill_test

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/golden/spill"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

type wide struct {
	spill.UnimplementedWide
	args    []any
	sixteen []uint32
}

type (
	t2 = struct {
		F0 uint8
		F1 float64
	}
	t3 = struct {
		F0 uint32
		F1 string
		F2 float64
	}
)

func (w *wide) Many(ctx context.Context, a1 uint8, a2 uint16, a3 uint32, a4 uint64, a5 int8, a6 int16, a7 int32, a8 int64, a9 float32, a10 float64, a11 rune, a12 bool, a13 string, a14 []uint32, a15 runtimeadapters.Option[uint8], a16 t2) (t3, error) {
	w.args = []any{a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16}
	return t3{F0: uint32(len(a14)), F1: fmt.Sprintf("%s/%c", a13, a11), F2: a10 * 2}, nil
}

func (w *wide) BigIn(ctx context.Context, b spill.Big) (uint64, error) { return b.A + b.Q, nil }

func (w *wide) BigOut(ctx context.Context, x uint64) (spill.Big, error) {
	return spill.Big{A: x, H: x + 1, Q: x + 2}, nil
}

func (w *wide) Pair(ctx context.Context) (struct {
	F0 uint8
	F1 uint8
}, error) {
	return struct {
		F0 uint8
		F1 uint8
	}{7, 9}, nil
}

func (w *wide) Sixteen(ctx context.Context, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p uint32) error {
	w.sixteen = []uint32{a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p}
	return nil
}

func TestSpill(t *testing.T) {
	ctx := context.Background()
	rt, err := wazero.NewRuntime(ctx, wazero.Config{Interpreter: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close(ctx)
	wasm, err := os.ReadFile("testdata/guest.wasm")
	if err != nil {
		t.Fatal(err)
	}
	mod, err := rt.Compile(ctx, wasm)
	if err != nil {
		t.Fatal(err)
	}
	w, err := spill.NewSpill(ctx, rt, mod)
	if err != nil {
		t.Fatal(err)
	}
	host := &wide{}
	in, err := w.Instantiate(ctx, spill.Imports{Wide: host})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close(ctx)
	g := in.Wide()

	// 16 parameters with 29 flat values: spilled both ways; the result
	// comes back through return areas both ways.
	r, err := g.Many(ctx, 1, 2, 3, 4, -5, -6, -7, -8, 9.5, 10.25, 'ß', true, "thirteen", []uint32{14, 15}, runtimeadapters.Some[uint8](16), t2{17, 18.5})
	if err != nil {
		t.Fatal(err)
	}
	want := []any{uint8(1), uint16(2), uint32(3), uint64(4), int8(-5), int16(-6), int32(-7), int64(-8), float32(9.5), 10.25, 'ß', true, "thirteen", []uint32{14, 15}, runtimeadapters.Some[uint8](16), t2{17, 18.5}}
	if !reflect.DeepEqual(host.args, want) {
		t.Errorf("host got %v\nwant %v", host.args, want)
	}
	if r != (t3{2, "thirteen/ß", 20.5}) {
		t.Errorf("Many = %+v", r)
	}

	// A 17-field record is spilled; one i64 comes back flat.
	if v, err := g.BigIn(ctx, spill.Big{A: 100, Q: 23}); err != nil || v != 123 {
		t.Errorf("BigIn = %d, %v", v, err)
	}
	if b, err := g.BigOut(ctx, 40); err != nil || b != (spill.Big{A: 40, H: 41, Q: 42}) {
		t.Errorf("BigOut = %+v, %v", b, err)
	}
	if p, err := g.Pair(ctx); err != nil || p.F0 != 7 || p.F1 != 9 {
		t.Errorf("Pair = %+v, %v", p, err)
	}
	// Exactly 16 flat parameters stay flat.
	if err := g.Sixteen(ctx, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(host.sixteen, []uint32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}) {
		t.Errorf("Sixteen got %v", host.sixteen)
	}
}
