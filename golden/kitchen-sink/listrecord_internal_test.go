package kitchensink

// Internal tests of the list<mixed> helpers, which lower and lift a list of
// flat records in one loop: values lowered into a fake guest memory lift
// back unchanged, the per-element decoder agrees with the list loop, and
// hostile lists and strings give canonical-ABI errors, never panics.

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"

	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// growingRealloc is a cabi_realloc over a SliceMemory that grows the memory
// on every call by replacing the slice, so a view kept across a call would
// lose the writes made through it.
type growingRealloc struct {
	mem  *ra.SliceMemory
	next uint32
}

func (r *growingRealloc) Call(ctx context.Context, stack []uint64) error {
	align, size := uint32(stack[2]), uint32(stack[3])
	p := (r.next + align - 1) &^ (align - 1)
	r.next = p + size
	grown := make([]byte, int(r.next)+16)
	copy(grown, r.mem.B)
	r.mem.B = grown
	stack[0] = uint64(p)
	return nil
}
func (r *growingRealloc) Name() string            { return "cabi_realloc" }
func (r *growingRealloc) Params() []ra.ValueType  { return nil }
func (r *growingRealloc) Results() []ra.ValueType { return nil }

func mixedSample(n int) []Mixed {
	texts := []string{"", "a", "héllo", "中文", "\x00nul", "🐱🐶", "U+10FFFF \U0010FFFF"}
	v := make([]Mixed, n)
	for i := range v {
		v[i] = Mixed{A: uint8(i), B: int16(-i * 7), C: uint32(i) * 0x01010101, D: math.MinInt64 + int64(i),
			E: float32(i) - 0.5, F: -float64(i) * 1e300, G: texts[i%len(texts)], H: i%3 == 0}
	}
	return v
}

func newListInstance() *KitchenSinkInstance {
	mem := &ra.SliceMemory{B: make([]byte, 64)}
	return &KitchenSinkInstance{mem: mem, realloc: &growingRealloc{mem: mem, next: 64}}
}

func TestListMixedRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 1, 2, 7, 100} {
		in := newListInstance()
		want := mixedSample(n)
		p, ln, err := in.lowerlist_Mixed(ctx, want)
		if err != nil || ln != uint32(n) {
			t.Fatalf("n=%d: lowerlist = %d, %v", n, ln, err)
		}
		got, err := in.liftlist_Mixed(p, ln)
		if err != nil {
			t.Fatalf("n=%d: liftlist: %v", n, err)
		}
		if len(got) != n || (n > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("n=%d: round trip:\n got %+v\nwant %+v", n, got, want)
		}
		// The per-element decoder (used for a lone record) agrees.
		for i := range got {
			b, _ := in.mem.Read(p+uint32(i)*48, 48)
			one, err := in.dec_Mixed(b)
			if err != nil || one != got[i] {
				t.Fatalf("n=%d: dec_Mixed(element %d) = %+v, %v; list loop gave %+v", n, i, one, err, got[i])
			}
		}
	}
}

func TestListMixedHostile(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*KitchenSinkInstance, *ra.SliceMemory, uint32) {
		in := newListInstance()
		p, _, err := in.lowerlist_Mixed(ctx, mixedSample(8))
		if err != nil {
			t.Fatal(err)
		}
		return in, in.mem.(*ra.SliceMemory), p
	}
	// setString overwrites the (ptr, len) of element i's string field.
	setString := func(mem *ra.SliceMemory, p uint32, i int, sp, sn uint32) {
		binary.LittleEndian.PutUint32(mem.B[p+uint32(i)*48+32:], sp)
		binary.LittleEndian.PutUint32(mem.B[p+uint32(i)*48+36:], sn)
	}
	cases := []struct {
		name string
		edit func(mem *ra.SliceMemory, p uint32) (lp, n uint32)
		want error // nil: must succeed
	}{
		{"ok", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) { return p, 8 }, nil},
		{"misaligned list", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) { return p + 4, 1 }, ra.ErrMisaligned},
		{"list past the end", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) { return p, 1 << 20 }, ra.ErrOutOfBounds},
		{"list length overflows 32 bits", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) { return p, 0xffffffff }, ra.ErrOutOfBounds},
		{"invalid UTF-8", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			copy(mem.B[8:], "ok\xc0\xaf")
			setString(mem, p, 3, 8, 4)
			return p, 8
		}, ra.ErrInvalidUTF8},
		{"surrogate", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			copy(mem.B[8:], "\xed\xa0\x80")
			setString(mem, p, 7, 8, 3)
			return p, 8
		}, ra.ErrInvalidUTF8},
		{"string past the end", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			setString(mem, p, 5, uint32(len(mem.B))-1, 2)
			return p, 8
		}, ra.ErrOutOfBounds},
		{"string pointer wraps", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			setString(mem, p, 0, 0xffffffff, 2)
			return p, 8
		}, ra.ErrOutOfBounds},
		{"empty string past the end", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			setString(mem, p, 1, uint32(len(mem.B))+1, 0)
			return p, 8
		}, ra.ErrOutOfBounds},
		{"empty string at the end", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			setString(mem, p, 1, uint32(len(mem.B)), 0)
			return p, 8
		}, nil},
		{"string too long", func(mem *ra.SliceMemory, p uint32) (uint32, uint32) {
			setString(mem, p, 2, 0, 0x80000000)
			return p, 8
		}, ra.ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, mem, p := setup(t)
			lp, n := c.edit(mem, p)
			var got []Mixed
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
					}
				}()
				got, err = in.liftlist_Mixed(lp, n)
			}()
			if c.want == nil {
				if err != nil || len(got) != int(n) {
					t.Fatalf("liftlist = %d elements, %v; want %d, no error", len(got), err, n)
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("liftlist error = %v; want %v", err, c.want)
			}
		})
	}
}
