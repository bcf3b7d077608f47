package runtimeadapters_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// goFunc is a Function implemented in Go, standing in for a guest export.
type goFunc struct {
	name string
	fn   func(ctx context.Context, stack []uint64) error
}

func (f *goFunc) Call(ctx context.Context, stack []uint64) error { return f.fn(ctx, stack) }
func (f *goFunc) Name() string                                   { return f.name }
func (f *goFunc) Params() []ra.ValueType {
	return []ra.ValueType{ra.ValueTypeI32, ra.ValueTypeI32, ra.ValueTypeI32, ra.ValueTypeI32}
}
func (f *goFunc) Results() []ra.ValueType { return []ra.ValueType{ra.ValueTypeI32} }

// bumpRealloc is a cabi_realloc over a SliceMemory that grows the memory
// (replacing the slice, so old views go stale) when it runs out.
func bumpRealloc(mem *ra.SliceMemory, heap *uint32) *goFunc {
	return &goFunc{name: "cabi_realloc", fn: func(_ context.Context, s []uint64) error {
		old, oldSize, align, size := uint32(s[0]), uint32(s[1]), uint32(s[2]), uint32(s[3])
		ptr := (*heap + align - 1) &^ (align - 1)
		end := uint64(ptr) + uint64(size)
		if end > uint64(len(mem.B)) {
			nb := make([]byte, (end+65535)&^65535)
			copy(nb, mem.B)
			mem.B = nb
		}
		if oldSize > 0 {
			copy(mem.B[ptr:], mem.B[old:old+oldSize])
		}
		*heap = uint32(end)
		s[0] = uint64(ptr)
		return nil
	}}
}

func constRealloc(ptr uint32) *goFunc {
	return &goFunc{name: "bad", fn: func(_ context.Context, s []uint64) error { s[0] = uint64(ptr); return nil }}
}

func wantKind(t *testing.T, err, kind error, contains string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got nil error, want %v", kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error %q does not match %v", err, kind)
	}
	var ae *ra.ABIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %q is not an *ABIError", err)
	}
	if contains != "" && !strings.Contains(err.Error(), contains) {
		t.Fatalf("error %q does not contain %q", err, contains)
	}
}

func TestCheckAlign(t *testing.T) {
	for _, c := range []struct {
		ptr, align uint32
		kind       error
	}{
		{0, 1, nil}, {7, 1, nil}, {8, 8, nil}, {4, 4, nil}, {0xfffffffc, 4, nil},
		{2, 4, ra.ErrMisaligned}, {1, 2, ra.ErrMisaligned}, {0xffffffff, 8, ra.ErrMisaligned},
		{0, 0, ra.ErrBadCall}, {0, 3, ra.ErrBadCall}, {0, 6, ra.ErrBadCall},
	} {
		err := ra.CheckAlign(c.ptr, c.align)
		if c.kind == nil {
			if err != nil {
				t.Errorf("CheckAlign(%#x, %d) = %v", c.ptr, c.align, err)
			}
			continue
		}
		if !errors.Is(err, c.kind) {
			t.Errorf("CheckAlign(%#x, %d) = %v, want %v", c.ptr, c.align, err, c.kind)
		}
	}
}

func TestCheckBounds(t *testing.T) {
	mem := &ra.SliceMemory{B: make([]byte, 100)}
	for _, c := range []struct {
		ptr, size uint32
		ok        bool
	}{
		{0, 0, true}, {0, 100, true}, {100, 0, true}, {99, 1, true},
		{100, 1, false}, {101, 0, false}, {0, 101, false},
		{0xffffffff, 1, false}, {1, 0xffffffff, false}, {0xffffffff, 0xffffffff, false},
		{0xfffffff0, 0x20, false}, // wraps to 0x10 in 32 bits
	} {
		err := ra.CheckBounds(mem, c.ptr, c.size)
		if c.ok != (err == nil) {
			t.Errorf("CheckBounds(%#x, %#x) = %v, want ok=%v", c.ptr, c.size, err, c.ok)
		}
		if err != nil {
			wantKind(t, err, ra.ErrOutOfBounds, "memory size 100")
		}
	}
	wantKind(t, ra.CheckBounds(nil, 0, 0), ra.ErrOutOfBounds, "no memory")
}

func TestCheckList(t *testing.T) {
	mem := &ra.SliceMemory{B: make([]byte, 64)}
	if err := ra.CheckList(mem, 8, 7, 8, 8); err != nil {
		t.Fatal(err)
	}
	wantKind(t, ra.CheckList(mem, 8, 8, 8, 8), ra.ErrOutOfBounds, "")
	wantKind(t, ra.CheckList(mem, 4, 1, 8, 8), ra.ErrMisaligned, "lift list")
	// n*elemSize overflows 32 bits: must be caught, not wrapped.
	wantKind(t, ra.CheckList(mem, 0, 0x80000000, 2, 1), ra.ErrOutOfBounds, "")
	wantKind(t, ra.CheckList(mem, 0, 0xffffffff, 0xffffffff, 1), ra.ErrOutOfBounds, "")
	if err := ra.CheckList(mem, 64, 0, 16, 4); err != nil {
		t.Fatalf("empty list at the end of memory: %v", err)
	}
}

func TestLiftString(t *testing.T) {
	mem := &ra.SliceMemory{B: make([]byte, 64)}
	copy(mem.B[10:], "héllo")
	s, err := ra.LiftString(mem, 10, uint32(len("héllo")))
	if err != nil || s != "héllo" {
		t.Fatalf("LiftString = %q, %v", s, err)
	}
	// The result is a copy: changing memory does not change it.
	mem.B[10] = 'X'
	if s != "héllo" {
		t.Fatalf("LiftString returned a view: %q", s)
	}
	if s, err := ra.LiftString(mem, 64, 0); err != nil || s != "" {
		t.Fatalf("empty string at end: %q, %v", s, err)
	}
	wantKind(t, func() error { _, err := ra.LiftString(mem, 65, 0); return err }(), ra.ErrOutOfBounds, "")
	wantKind(t, func() error { _, err := ra.LiftString(mem, 60, 5); return err }(), ra.ErrOutOfBounds, "pointer 0x3c + 5 bytes")
	wantKind(t, func() error { _, err := ra.LiftString(mem, 0xffffffff, 2); return err }(), ra.ErrOutOfBounds, "")
	wantKind(t, func() error { _, err := ra.LiftString(mem, 0, 0x80000000); return err }(), ra.ErrTooLarge, "")
	wantKind(t, func() error { _, err := ra.LiftString(nil, 0, 1); return err }(), ra.ErrOutOfBounds, "no memory")
	for _, bad := range []string{"\xff", "a\xc3", "\xed\xa0\x80" /* surrogate */, "\xf4\x90\x80\x80" /* > U+10FFFF */, "ok\xc0\xafok"} {
		copy(mem.B[20:], bad)
		_, err := ra.LiftString(mem, 20, uint32(len(bad)))
		wantKind(t, err, ra.ErrInvalidUTF8, "first invalid byte")
	}
}

// TestLiftStringView checks that LiftStringView, on a view of the whole
// memory, returns what LiftString returns for the same (ptr, n): the same
// string, or an error of the same kind.
func TestLiftStringView(t *testing.T) {
	mem := &ra.SliceMemory{B: make([]byte, 64)}
	copy(mem.B[10:], "héllo")
	copy(mem.B[20:], "ok\xc0\xafok")
	view, _ := mem.Read(0, mem.Size())
	cases := [][2]uint32{{10, 6}, {64, 0}, {65, 0}, {60, 5}, {0xffffffff, 2}, {0, 0x80000000}, {20, 6}, {0, 0}, {0, 64}, {1, 64}}
	for _, c := range cases {
		want, wantErr := ra.LiftString(mem, c[0], c[1])
		got, err := ra.LiftStringView(view, c[0], c[1])
		if got != want || (err == nil) != (wantErr == nil) {
			t.Fatalf("LiftStringView(%#x, %d) = %q, %v; LiftString = %q, %v", c[0], c[1], got, err, want, wantErr)
		}
		if err != nil {
			var ae, we *ra.ABIError
			if !errors.As(err, &ae) || !errors.As(wantErr, &we) || ae.Kind != we.Kind || err.Error() != wantErr.Error() {
				t.Fatalf("LiftStringView(%#x, %d): %v; LiftString: %v", c[0], c[1], err, wantErr)
			}
		}
	}
	s, _ := ra.LiftStringView(view, 10, 6)
	mem.B[10] = 'X'
	if s != "héllo" {
		t.Fatalf("LiftStringView returned a view: %q", s)
	}
}

func TestLowerStringAndBytes(t *testing.T) {
	ctx := context.Background()
	mem := &ra.SliceMemory{B: make([]byte, 16)}
	heap := uint32(8)
	realloc := bumpRealloc(mem, &heap)
	stack := make([]uint64, 4)

	big := strings.Repeat("ü", 40000) // forces growth: old views go stale
	view, _ := mem.Read(0, 16)
	ptr, n, err := ra.LowerString(ctx, mem, realloc, stack, big)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ra.LiftString(mem, ptr, n); err != nil || got != big {
		t.Fatalf("round trip: len %d, %v", len(got), err)
	}
	if len(view) == len(mem.B) {
		t.Fatal("memory did not grow")
	}
	ptr, n, err = ra.LowerString(ctx, mem, realloc, stack, "")
	if err != nil || n != 0 {
		t.Fatalf("empty: %d %d %v", ptr, n, err)
	}
	ptr, n, err = ra.LowerBytes(ctx, mem, realloc, stack, []byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := ra.LiftBytes(mem, ptr, n); err != nil || string(b) != "\x01\x02\x03" {
		t.Fatalf("bytes round trip: %v %v", b, err)
	}
	if b, err := ra.LiftBytes(mem, 0, 0); err != nil || b != nil {
		t.Fatalf("empty bytes: %v %v", b, err)
	}
	_, err = ra.LiftBytes(mem, 0xfffffffe, 4)
	wantKind(t, err, ra.ErrOutOfBounds, "")

	// Hostile reallocs.
	_, _, err = ra.LowerString(ctx, mem, constRealloc(0xfffffff0), stack, "hello, world, long enough")
	wantKind(t, err, ra.ErrOutOfBounds, "cabi_realloc(0, 0, 1, 25) returned 0xfffffff0")
	_, err = ra.AllocList(ctx, mem, constRealloc(6), stack, 2, 8, 8)
	wantKind(t, err, ra.ErrMisaligned, "returned 0x6")
	trapping := &goFunc{name: "cabi_realloc", fn: func(context.Context, []uint64) error { return errors.New("boom") }}
	_, _, err = ra.LowerBytes(ctx, mem, trapping, stack, []byte("x"))
	wantKind(t, err, ra.ErrRealloc, "boom")
	_, _, err = ra.LowerString(ctx, mem, nil, stack, "x")
	wantKind(t, err, ra.ErrBadCall, "no cabi_realloc")
	_, err = ra.Realloc(ctx, mem, realloc, stack, 0, 0, 3, 1)
	wantKind(t, err, ra.ErrBadCall, "power of two")
	_, err = ra.AllocList(ctx, mem, realloc, stack, 1<<30, 8, 8)
	wantKind(t, err, ra.ErrTooLarge, "")
	_, err = ra.AllocList(ctx, mem, realloc, stack, -1, 8, 8)
	wantKind(t, err, ra.ErrTooLarge, "")
	// A short stack still works (it allocates).
	if _, err := ra.Realloc(ctx, mem, realloc, nil, 0, 0, 4, 4); err != nil {
		t.Fatal(err)
	}
}

func TestScalarLists(t *testing.T) {
	ctx := context.Background()
	mem := &ra.SliceMemory{B: make([]byte, 64)}
	heap := uint32(1)
	realloc := bumpRealloc(mem, &heap)
	stack := make([]uint64, 4)
	in := []float64{1.5, math.Inf(-1), math.Copysign(0, -1), math.NaN()}
	ptr, n, err := ra.LowerScalarList(ctx, mem, realloc, stack, in)
	if err != nil {
		t.Fatal(err)
	}
	if ptr%8 != 0 {
		t.Fatalf("list not aligned: %#x", ptr)
	}
	out, err := ra.LiftScalarList[float64](mem, ptr, n)
	if err != nil || len(out) != 4 || out[0] != 1.5 || !math.IsInf(out[1], -1) || math.Float64bits(out[2]) != 1<<63 || !math.IsNaN(out[3]) {
		t.Fatalf("float64 round trip: %v %v", out, err)
	}
	u16s, err := ra.LiftScalarList[uint16](&ra.SliceMemory{B: []byte{1, 2, 3, 4}}, 0, 2)
	if err != nil || u16s[0] != 0x0201 || u16s[1] != 0x0403 {
		t.Fatalf("u16 little-endian: %#x %v", u16s, err)
	}
	_, err = ra.LiftScalarList[uint32](mem, 2, 1)
	wantKind(t, err, ra.ErrMisaligned, "")
	_, err = ra.LiftScalarList[uint64](mem, 0, 0x20000000)
	wantKind(t, err, ra.ErrOutOfBounds, "")
	if xs, err := ra.LiftScalarList[int8](mem, 0, 0); err != nil || xs != nil {
		t.Fatalf("empty list: %v %v", xs, err)
	}
}

func TestScalars(t *testing.T) {
	for _, u := range []uint32{0, 'a', 0xD7FF, 0xE000, 0x10FFFF} {
		if r, err := ra.LiftChar(u); err != nil || uint32(r) != u {
			t.Errorf("LiftChar(%#x) = %v, %v", u, r, err)
		}
		if v, err := ra.LowerChar(rune(u)); err != nil || v != u {
			t.Errorf("LowerChar(%#x) = %v, %v", u, v, err)
		}
	}
	for _, u := range []uint32{0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 0xffffffff, 0x80000000} {
		_, err := ra.LiftChar(u)
		wantKind(t, err, ra.ErrInvalidChar, "not a Unicode scalar value")
		_, err = ra.LowerChar(rune(u))
		wantKind(t, err, ra.ErrInvalidChar, "")
	}
	if ra.LiftBool(0) || !ra.LiftBool(1) || !ra.LiftBool(2) || !ra.LiftBool(0xffffffff) {
		t.Error("LiftBool: any non-zero value must be true")
	}
	if ra.LowerBool(true) != 1 || ra.LowerBool(false) != 0 {
		t.Error("LowerBool")
	}
	if d, err := ra.LiftDiscriminant("option<u8>", 1, 2); err != nil || d != 1 {
		t.Error(d, err)
	}
	_, err := ra.LiftDiscriminant("color", 3, 3)
	wantKind(t, err, ra.ErrInvalidDiscriminant, "lift color: invalid discriminant: case index 3, but the type has 3 cases")
	if ra.LiftFlags(0xff, 3) != 7 || ra.LiftFlags(0xffffffff, 32) != 0xffffffff || ra.LiftFlags(5, 0) != 0 {
		t.Error("LiftFlags must mask unknown bits")
	}
	if ra.DecodeI32(ra.EncodeI32(-5)) != -5 || ra.EncodeI32(-1) != 0xffffffff || ra.DecodeU32(0x1_0000_0002) != 2 {
		t.Error("i32 encoding")
	}
	if ra.DecodeF32(ra.EncodeF32(1.25)) != 1.25 || ra.DecodeF64(ra.EncodeF64(-2.5)) != -2.5 || ra.DecodeI64(ra.EncodeI64(-7)) != -7 {
		t.Error("float/i64 encoding")
	}
}

func TestWithFunc(t *testing.T) {
	_, err := ra.LiftChar(0xD800)
	err = ra.WithFunc("example:x/y#get", err)
	if !strings.HasPrefix(err.Error(), "canonical ABI: example:x/y#get: lift char") || !errors.Is(err, ra.ErrInvalidChar) {
		t.Fatalf("WithFunc: %v", err)
	}
	other := ra.WithFunc("f", errors.New("plain"))
	if other.Error() != "f: plain" {
		t.Fatalf("WithFunc plain: %v", other)
	}
	if ra.WithFunc("f", nil) != nil {
		t.Fatal("WithFunc(nil) != nil")
	}
}

func TestSignature(t *testing.T) {
	got := ra.Signature([]ra.ValueType{ra.ValueTypeI32, ra.ValueTypeF64}, []ra.ValueType{ra.ValueTypeI64})
	if got != "(i32, f64) -> (i64)" {
		t.Fatal(got)
	}
	if ra.ValueType(0x40).String() != "ValueType(0x40)" || ra.ValueType(0x40).Valid() {
		t.Fatal("invalid value type")
	}
}

// The helpers must not allocate on their success paths (except for the
// lifted copy itself).
func TestHelpersZeroAlloc(t *testing.T) {
	ctx := context.Background()
	mem := &ra.SliceMemory{B: make([]byte, 1<<16)}
	copy(mem.B[100:], "hello")
	heap := uint32(1024)
	realloc := bumpRealloc(mem, &heap)
	stack := make([]uint64, 4)
	check := func(name string, want float64, f func()) {
		t.Helper()
		if got := testing.AllocsPerRun(100, f); got != want {
			t.Errorf("%s: %v allocs, want %v", name, got, want)
		}
	}
	check("CheckBounds", 0, func() { _ = ra.CheckBounds(mem, 10, 10) })
	check("CheckList", 0, func() { _ = ra.CheckList(mem, 16, 10, 8, 8) })
	check("LiftChar", 0, func() { _, _ = ra.LiftChar('x') })
	check("LiftString", 1, func() { _, _ = ra.LiftString(mem, 100, 5) })
	check("LowerString", 0, func() { heap = 1024; _, _, _ = ra.LowerString(ctx, mem, realloc, stack, "hello") })
	check("LowerBytes", 0, func() { heap = 1024; _, _, _ = ra.LowerBytes(ctx, mem, realloc, stack, mem.B[100:105]) })
}
