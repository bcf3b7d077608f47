package kinds

// Internal tests of the generated lift and lower helpers: values stored to
// (and lowered to flat slots of) a fake guest memory lift back unchanged,
// hand-computed layouts match, and hostile memory never panics.

import (
	"context"
	"encoding/binary"
	"errors"
	"math"
	"reflect"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// bumpRealloc is a cabi_realloc over a SliceMemory that grows the memory
// (replacing the slice, so stale views would show up) on every call.
type bumpRealloc struct {
	mem  *ra.SliceMemory
	next uint32
}

func (r *bumpRealloc) Call(ctx context.Context, stack []uint64) error {
	align, size := uint32(stack[2]), uint32(stack[3])
	p := (r.next + align - 1) &^ (align - 1)
	r.next = p + size
	grown := make([]byte, len(r.mem.B)+int(size)+16)
	copy(grown, r.mem.B)
	r.mem.B = grown
	stack[0] = uint64(p)
	return nil
}
func (r *bumpRealloc) Name() string                { return "cabi_realloc" }
func (r *bumpRealloc) Params() []ra.ValueType      { return nil }
func (r *bumpRealloc) Results() []ra.ValueType     { return nil }
func (r *bumpRealloc) Close(context.Context) error { return nil }

func newTestInstance() *KindsInstance {
	mem := &ra.SliceMemory{B: make([]byte, 64)}
	in := &KindsInstance{mem: mem, handles: ra.NewHandleSpace()}
	in.realloc = &bumpRealloc{mem: mem, next: 64}
	return in
}

func sample() Everything {
	return Everything{
		P: Point{X: -1, Y: 2},
		S: Scalars{A: true, B: 200, C: 60000, D: 4e9, E: math.MaxUint64, F: -100, G: -30000, H: -2e9, I: math.MinInt64,
			J: 1.5, K: -2.25, L: '🐱', M: "héllo"},
		St:       StyleDashed,
		Perms:    PermissionsRead | PermissionsExec,
		Lots:     ManyF3 | ManyF19,
		Sh:       ShapePath{Value: []Point{{1, 2}, {3, 4}}},
		Nested:   ra.Some(ra.None[uint32]()),
		Res:      ra.Err[string](StyleFilled),
		EmptyOk:  ra.OK[struct{}, string](struct{}{}),
		EmptyErr: ra.Err[uint64](struct{}{}),
		Bare:     ra.Err[struct{}](struct{}{}),
		Bytes:    []byte{1, 2, 3},
		Words:    []string{"a", "", "ccc"},
		Pts:      Points{{5, 6}},
		Pr:       Pair{F0: "pair", F1: 7},
		Cells:    Grid{9, 8, 7, 6},
		Chars:    []rune{'x', 'ÿ', '中'},
		Matrix:   [][]float64{{1, 2}, {}, {math.Inf(1)}},
	}
}

func TestStoreLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := newTestInstance()
	for _, v := range []Everything{sample(), {Sh: ShapeEmpty{}}, {Sh: ShapeCircle{Value: 2.5}, Nested: ra.Some(ra.Some[uint32](9))}} {
		ptr, err := ra.Realloc(ctx, in.mem, in.realloc, in.rstack[:], 0, 0, 8, 4096)
		if err != nil {
			t.Fatal(err)
		}
		if err := in.store_Everything(ctx, ptr, v); err != nil {
			t.Fatal(err)
		}
		got, err := in.load_Everything(ptr)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(normalize(got), normalize(v)) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, v)
		}
	}
}

// normalize maps nil and empty slices to one value for comparison.
func normalize(v Everything) Everything {
	if len(v.Bytes) == 0 {
		v.Bytes = nil
	}
	if len(v.Words) == 0 {
		v.Words = nil
	}
	if len(v.Pts) == 0 {
		v.Pts = nil
	}
	if len(v.Chars) == 0 {
		v.Chars = nil
	}
	if len(v.Matrix) == 0 {
		v.Matrix = nil
	}
	for i := range v.Matrix {
		if len(v.Matrix[i]) == 0 {
			v.Matrix[i] = nil
		}
	}
	if p, ok := v.Sh.(ShapePath); ok && len(p.Value) == 0 {
		v.Sh = ShapePath{}
	}
	return v
}

func TestFlatRoundTrip(t *testing.T) {
	ctx := context.Background()
	in := newTestInstance()
	shapes := []Shape{ShapeCircle{Value: -0.5}, ShapeRect{Value: struct {
		F0 uint32
		F1 uint32
	}{3, 4}}, ShapePath{Value: []Point{{7, 8}}}, ShapeEmpty{}}
	for _, s := range shapes {
		vals := make([]uint64, 3)
		for i := range vals {
			vals[i] = 0xdeadbeefdeadbeef // lower must clear unused slots
		}
		if err := in.lower_Shape(ctx, s, vals); err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(ShapeEmpty); ok && (vals[1] != 0 || vals[2] != 0) {
			t.Errorf("unused slots not cleared: %x", vals)
		}
		got, err := in.lift_Shape(vals)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, s) {
			t.Errorf("flat round trip: got %#v, want %#v", got, s)
		}
	}
	// A record of every scalar (14 flat slots), encoded by hand: signed
	// integers narrower than 64 bits are sign-extended to i32, then
	// zero-extended; floats are their bits.
	sc := sample().S
	copy(in.mem.(*ra.SliceMemory).B[32:], sc.M)
	neg := func(v int32) uint64 { return uint64(uint32(v)) }
	vals := []uint64{1, 200, 60000, 4e9, math.MaxUint64, neg(-100), neg(-30000), neg(-2e9), 1 << 63,
		uint64(math.Float32bits(1.5)), math.Float64bits(-2.25), 0x1F431, 32, uint64(len(sc.M))}
	got, err := in.lift_Scalars(vals)
	if err != nil {
		t.Fatal(err)
	}
	if got != sc {
		t.Errorf("flat lift:\n got %+v\nwant %+v", got, sc)
	}
}

// TestLayout checks stored bytes against layouts computed by hand from
// CanonicalABI.md.
func TestLayout(t *testing.T) {
	ctx := context.Background()
	in := newTestInstance()
	mem := in.mem.(*ra.SliceMemory)
	// variant shape { circle(f32), rect(tuple<u32,u32>), path(list<point>), empty }:
	// u8 discriminant at 0, payload at 4 (max case alignment 4), size 12.
	if err := in.store_Shape(ctx, 0, ShapeRect{Value: struct {
		F0 uint32
		F1 uint32
	}{0x11223344, 0x55667788}}); err != nil {
		t.Fatal(err)
	}
	if d, a, b := mem.B[0], binary.LittleEndian.Uint32(mem.B[4:]), binary.LittleEndian.Uint32(mem.B[8:]); d != 1 || a != 0x11223344 || b != 0x55667788 {
		t.Errorf("rect layout: disc %d, %#x, %#x", d, a, b)
	}
	// option<option<u32>>: outer disc at 0, inner disc at 4, value at 8.
	clear(mem.B[:16])
	if err := in.store_option_option_u32(ctx, 0, ra.Some(ra.Some[uint32](0xabcdef01))); err != nil {
		t.Fatal(err)
	}
	if mem.B[0] != 1 || mem.B[4] != 1 || binary.LittleEndian.Uint32(mem.B[8:]) != 0xabcdef01 {
		t.Errorf("option<option<u32>> layout: % x", mem.B[:12])
	}
	// flags permissions { read, write, exec }: one byte, bit i = flag i.
	if err := in.store_Permissions(ctx, 20, PermissionsWrite|PermissionsExec); err != nil || mem.B[20] != 6 {
		t.Errorf("flags layout: %d, %v", mem.B[20], err)
	}
	// flags many (20 flags): four bytes.
	if err := in.store_Many(ctx, 24, ManyF19|ManyF0); err != nil || binary.LittleEndian.Uint32(mem.B[24:]) != 1<<19|1 {
		t.Errorf("20 flags layout: %#x, %v", binary.LittleEndian.Uint32(mem.B[24:]), err)
	}
}

func TestHostileMemory(t *testing.T) {
	in := newTestInstance()
	mem := in.mem.(*ra.SliceMemory)
	// A bad discriminant.
	mem.B[0] = 9
	if _, err := in.dec_Shape(mem.B); !errors.Is(err, ra.ErrInvalidDiscriminant) {
		t.Errorf("bad discriminant: %v", err)
	}
	// A surrogate char.
	binary.LittleEndian.PutUint32(mem.B[0:], 0xD800)
	if _, err := in.dec_char(mem.B); !errors.Is(err, ra.ErrInvalidChar) {
		t.Errorf("surrogate: %v", err)
	}
	// A string past the end of memory.
	binary.LittleEndian.PutUint32(mem.B[0:], 60)
	binary.LittleEndian.PutUint32(mem.B[4:], 10)
	if _, err := in.dec_string(mem.B); !errors.Is(err, ra.ErrOutOfBounds) {
		t.Errorf("string out of bounds: %v", err)
	}
	// Invalid UTF-8.
	copy(mem.B[32:], []byte{0xff, 0xfe})
	binary.LittleEndian.PutUint32(mem.B[0:], 32)
	binary.LittleEndian.PutUint32(mem.B[4:], 2)
	if _, err := in.dec_string(mem.B); !errors.Is(err, ra.ErrInvalidUTF8) {
		t.Errorf("invalid UTF-8: %v", err)
	}
	// A misaligned list of points.
	binary.LittleEndian.PutUint32(mem.B[0:], 33)
	binary.LittleEndian.PutUint32(mem.B[4:], 1)
	if _, err := in.dec_list_Point(mem.B); !errors.Is(err, ra.ErrMisaligned) {
		t.Errorf("misaligned list: %v", err)
	}
	// An enum value out of range.
	mem.B[0] = 3
	if _, err := in.dec_Style(mem.B); !errors.Is(err, ra.ErrInvalidDiscriminant) {
		t.Errorf("enum out of range: %v", err)
	}
	// Unknown flag bits are ignored.
	mem.B[0] = 0xff
	if p, err := in.dec_Permissions(mem.B); err != nil || p != PermissionsRead|PermissionsWrite|PermissionsExec {
		t.Errorf("flags with unknown bits: %v, %v", p, err)
	}
	// A value past the end of memory.
	if _, err := in.load_Everything(60); !errors.Is(err, ra.ErrOutOfBounds) {
		t.Errorf("record out of bounds: %v", err)
	}
	// Host values that cannot be lowered.
	ctx := context.Background()
	if err := in.store_Shape(ctx, 0, nil); !errors.Is(err, ra.ErrBadCall) {
		t.Errorf("nil variant: %v", err)
	}
	if err := in.store_char(ctx, 0, 0xD800); !errors.Is(err, ra.ErrInvalidChar) {
		t.Errorf("surrogate rune: %v", err)
	}
}

// FuzzLoadEverything lifts an everything record from arbitrary guest
// memory: it may fail, but must never panic.
func FuzzLoadEverything(f *testing.F) {
	ctx := context.Background()
	seed := newTestInstance()
	p, _ := ra.Realloc(ctx, seed.mem, seed.realloc, seed.rstack[:], 0, 0, 8, 4096)
	if err := seed.store_Everything(ctx, p, sample()); err != nil {
		f.Fatal(err)
	}
	f.Add(seed.mem.(*ra.SliceMemory).B, p)
	f.Add(make([]byte, 300), uint32(0))
	f.Fuzz(func(t *testing.T, b []byte, ptr uint32) {
		in := newTestInstance()
		in.mem.(*ra.SliceMemory).B = b
		v, err := in.load_Everything(ptr)
		if err == nil {
			// Whatever lifted must lower again.
			if err := in.store_Everything(ctx, 0, v); err != nil && !errors.Is(err, ra.ErrOutOfBounds) && !errors.Is(err, ra.ErrRealloc) {
				t.Fatalf("re-lowering a lifted value: %v", err)
			}
		}
	})
}
