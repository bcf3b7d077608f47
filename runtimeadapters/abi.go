package runtimeadapters

import (
	"context"
	"math"
	"unicode/utf8"
	"unsafe"
)

// MaxStringByteLength is the canonical ABI's MAX_STRING_BYTE_LENGTH: the
// largest byte length of a UTF-8 string that may be lifted or lowered.
const MaxStringByteLength = 1<<31 - 1

// reallocStackLen is the stack length Realloc needs: cabi_realloc takes four
// i32 parameters and returns one.
const reallocStackLen = 4

// CheckAlign reports whether ptr is a multiple of align (1, 2, 4 or 8 for
// canonical-ABI types; any power of two is accepted). It implements the
// `trap_if(ptr != align_to(ptr, alignment))` checks of CanonicalABI.md.
// An align that is not a power of two is an ErrBadCall.
func CheckAlign(ptr, align uint32) error {
	if align == 0 || align&(align-1) != 0 {
		return abiErr("check alignment", ErrBadCall, "alignment %d is not a power of two", align)
	}
	if ptr&(align-1) != 0 {
		return abiErr("check alignment", ErrMisaligned, "pointer %#x is not %d-byte aligned", ptr, align)
	}
	return nil
}

// CheckBounds reports whether the size bytes at ptr lie inside mem. The sum
// is computed in 64 bits, so ptr+size cannot wrap. A nil mem (a guest without
// memory) fails for every range, including empty ones.
func CheckBounds(mem Memory, ptr, size uint32) error {
	return checkRange("check bounds", mem, ptr, uint64(size))
}

func checkRange(op string, mem Memory, ptr uint32, size uint64) error {
	if mem == nil {
		return abiErr(op, ErrOutOfBounds, "guest exports no memory (pointer %#x, %d bytes)", ptr, size)
	}
	if msize := uint64(mem.Size()); uint64(ptr)+size > msize {
		return abiErr(op, ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, size, msize)
	}
	return nil
}

// CheckList validates a list<T> given by the guest as (ptr, n) with elements
// of elemSize bytes and alignment align, as load_list_from_range does:
// ptr must be aligned and ptr + n*elemSize (in 64 bits) must lie inside
// memory. After a successful CheckList, element reads at ptr + i*elemSize
// (i < n) through mem cannot fail.
func CheckList(mem Memory, ptr, n, elemSize, align uint32) error {
	if err := CheckAlign(ptr, align); err != nil {
		err.(*ABIError).Op = "lift list"
		return err
	}
	return checkRange("lift list", mem, ptr, uint64(n)*uint64(elemSize))
}

// Realloc calls the guest's cabi_realloc(oldPtr, oldSize, align, newSize)
// and checks the result as CanonicalABI.md does: the returned pointer must be
// aligned to align (ErrMisaligned) and pointer+newSize must lie inside memory
// after the call (ErrOutOfBounds); a trap in realloc is an ErrRealloc whose
// chain holds the *TrapError.
//
// stack is scratch space for the call; pass one with at least 4 elements that
// holds nothing live (not the stack of the export being prepared) to avoid an
// allocation. mem is the guest's memory, re-read after the call, since
// realloc may grow it.
func Realloc(ctx context.Context, mem Memory, realloc Function, stack []uint64, oldPtr, oldSize, align, newSize uint32) (uint32, error) {
	if realloc == nil {
		return 0, abiErr("realloc", ErrBadCall, "guest exports no cabi_realloc")
	}
	if align == 0 || align&(align-1) != 0 {
		return 0, abiErr("realloc", ErrBadCall, "alignment %d is not a power of two", align)
	}
	if len(stack) < reallocStackLen {
		stack = make([]uint64, reallocStackLen)
	}
	stack[0], stack[1], stack[2], stack[3] = uint64(oldPtr), uint64(oldSize), uint64(align), uint64(newSize)
	if err := realloc.Call(ctx, stack); err != nil {
		return 0, &ABIError{Op: "realloc", Kind: ErrRealloc, Cause: err,
			Detail: reallocDetail(oldPtr, oldSize, align, newSize)}
	}
	ptr := uint32(stack[0])
	if ptr&(align-1) != 0 {
		return 0, abiErr("realloc", ErrMisaligned, "%s returned %#x, not %d-byte aligned",
			reallocDetail(oldPtr, oldSize, align, newSize), ptr, align)
	}
	if mem == nil {
		return 0, abiErr("realloc", ErrOutOfBounds, "guest exports no memory")
	}
	if msize := uint64(mem.Size()); uint64(ptr)+uint64(newSize) > msize {
		return 0, abiErr("realloc", ErrOutOfBounds, "%s returned %#x; %d bytes there exceed memory size %d",
			reallocDetail(oldPtr, oldSize, align, newSize), ptr, newSize, msize)
	}
	return ptr, nil
}

func reallocDetail(oldPtr, oldSize, align, newSize uint32) string {
	return "cabi_realloc(" + utoa(oldPtr) + ", " + utoa(oldSize) + ", " + utoa(align) + ", " + utoa(newSize) + ")"
}

func utoa(u uint32) string {
	var b [10]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			return string(b[i:])
		}
	}
}

// LiftString copies the UTF-8 string (ptr, n) out of guest memory, as
// load_string_from_range does for string-encoding=utf8: n must not exceed
// MaxStringByteLength, the range must be in bounds (even when n is 0) and
// the bytes must be valid UTF-8. It allocates exactly once (the copy), or
// not at all for an empty string.
func LiftString(mem Memory, ptr, n uint32) (string, error) {
	const op = "lift string"
	if n > MaxStringByteLength {
		return "", abiErr(op, ErrTooLarge, "length %d exceeds %d (pointer %#x)", n, MaxStringByteLength, ptr)
	}
	if err := checkRange(op, mem, ptr, uint64(n)); err != nil {
		return "", err
	}
	if n == 0 {
		return "", nil
	}
	view, ok := mem.Read(ptr, n)
	if !ok {
		return "", abiErr(op, ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, n, mem.Size())
	}
	if !utf8.Valid(view) {
		return "", abiErr(op, ErrInvalidUTF8, "pointer %#x, length %d: first invalid byte at offset %d",
			ptr, n, firstInvalidUTF8(view))
	}
	return string(view), nil
}

// LiftStringView is LiftString on a view of the whole of guest memory
// (mem.Read(0, mem.Size())), taken once by a caller that lifts many strings
// with no call into the guest in between, so the view cannot go stale. The
// checks and errors are LiftString's: n at most MaxStringByteLength, the
// range inside the view (even when n is 0), valid UTF-8.
func LiftStringView(mem []byte, ptr, n uint32) (string, error) {
	const op = "lift string"
	if n > MaxStringByteLength {
		return "", abiErr(op, ErrTooLarge, "length %d exceeds %d (pointer %#x)", n, MaxStringByteLength, ptr)
	}
	if uint64(ptr)+uint64(n) > uint64(len(mem)) {
		return "", abiErr(op, ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, n, len(mem))
	}
	if n == 0 {
		return "", nil
	}
	view := mem[ptr:][:n]
	if !utf8.Valid(view) {
		return "", abiErr(op, ErrInvalidUTF8, "pointer %#x, length %d: first invalid byte at offset %d",
			ptr, n, firstInvalidUTF8(view))
	}
	return string(view), nil
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// LowerString copies s into guest memory, as store_string_copy does for
// UTF-8: it allocates len(s) bytes with alignment 1 through cabi_realloc
// (also for an empty string, as the spec does), checks the result (see
// Realloc) and copies. s longer than MaxStringByteLength is ErrTooLarge. Go
// strings are not checked for UTF-8 validity; a host that may hold invalid
// UTF-8 should check with utf8.ValidString first. Does not allocate when
// stack has at least 4 elements.
func LowerString(ctx context.Context, mem Memory, realloc Function, stack []uint64, s string) (ptr, n uint32, err error) {
	if len(s) > MaxStringByteLength {
		return 0, 0, abiErr("lower string", ErrTooLarge, "length %d exceeds %d", len(s), MaxStringByteLength)
	}
	n = uint32(len(s))
	ptr, err = Realloc(ctx, mem, realloc, stack, 0, 0, 1, n)
	if err != nil {
		return 0, 0, withOp("lower string", err)
	}
	if err := copyToGuest("lower string", mem, ptr, s); err != nil {
		return 0, 0, err
	}
	return ptr, n, nil
}

// copyToGuest copies the bytes of src into guest memory at ptr (freshly
// allocated by cabi_realloc, and checked again here).
func copyToGuest[S string | []byte](op string, mem Memory, ptr uint32, src S) error {
	n := uint32(len(src))
	if n == 0 {
		return nil
	}
	view, ok := mem.Read(ptr, n)
	if !ok {
		return abiErr(op, ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, n, mem.Size())
	}
	copy(view, src)
	return nil
}

// withOp prefixes the Op of an *ABIError produced by a nested helper.
func withOp(op string, err error) error {
	if ae, ok := err.(*ABIError); ok {
		c := *ae
		c.Op = op + ": " + ae.Op
		return &c
	}
	return err
}

// LiftBytes copies a list<u8> (ptr, n) out of guest memory after checking
// bounds. An empty list yields nil.
func LiftBytes(mem Memory, ptr, n uint32) ([]byte, error) {
	const op = "lift list<u8>"
	if err := checkRange(op, mem, ptr, uint64(n)); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	view, ok := mem.Read(ptr, n)
	if !ok {
		return nil, abiErr(op, ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, n, mem.Size())
	}
	out := make([]byte, n)
	copy(out, view)
	return out, nil
}

// LowerBytes copies b into guest memory as a list<u8>: cabi_realloc(0, 0, 1,
// len(b)), checked as by Realloc, then a copy. Does not allocate when stack
// has at least 4 elements.
func LowerBytes(ctx context.Context, mem Memory, realloc Function, stack []uint64, b []byte) (ptr, n uint32, err error) {
	ptr, err = AllocList(ctx, mem, realloc, stack, len(b), 1, 1)
	if err != nil {
		return 0, 0, withOp("lower list<u8>", err)
	}
	if err := copyToGuest("lower list<u8>", mem, ptr, b); err != nil {
		return 0, 0, err
	}
	return ptr, uint32(len(b)), nil
}

// AllocList allocates guest memory for n elements of elemSize bytes with
// alignment align through cabi_realloc(0, 0, align, n*elemSize), checking the
// result as Realloc does. n*elemSize must fit in 32 bits (ErrTooLarge). The
// caller then writes the elements at ptr + i*elemSize. Like the spec,
// cabi_realloc is called even when n is 0.
func AllocList(ctx context.Context, mem Memory, realloc Function, stack []uint64, n int, elemSize, align uint32) (uint32, error) {
	if n < 0 || uint64(n)*uint64(elemSize) > math.MaxUint32 {
		return 0, abiErr("allocate list", ErrTooLarge, "%d elements of %d bytes exceed the 32-bit address space", n, elemSize)
	}
	ptr, err := Realloc(ctx, mem, realloc, stack, 0, 0, align, uint32(n)*elemSize)
	if err != nil {
		return 0, withOp("allocate list", err)
	}
	return ptr, nil
}

// Scalar is the set of element types LiftScalarList and LowerScalarList copy
// in bulk: the canonical ABI's integer and float types, whose memory layout
// is their little-endian encoding.
type Scalar interface {
	~uint8 | ~int8 | ~uint16 | ~int16 | ~uint32 | ~int32 | ~uint64 | ~int64 | ~float32 | ~float64
}

var hostLittleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// LiftScalarList copies a list<T> (ptr, n) of integers or floats out of guest
// memory, checking alignment and bounds as CheckList does. Floats are copied
// bit for bit. An empty list yields nil.
func LiftScalarList[T Scalar](mem Memory, ptr, n uint32) ([]T, error) {
	var zero T
	size := uint32(unsafe.Sizeof(zero))
	if err := CheckList(mem, ptr, n, size, size); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, nil
	}
	view, ok := mem.Read(ptr, n*size)
	if !ok {
		return nil, abiErr("lift list", ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, n*size, mem.Size())
	}
	out := make([]T, n)
	dst := unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), len(view))
	copy(dst, view)
	if !hostLittleEndian {
		swapElems(dst, int(size))
	}
	return out, nil
}

// LowerScalarList copies xs into guest memory as a list<T>, allocating with
// cabi_realloc (alignment = element size) and checking the result.
func LowerScalarList[T Scalar](ctx context.Context, mem Memory, realloc Function, stack []uint64, xs []T) (ptr, n uint32, err error) {
	var zero T
	size := uint32(unsafe.Sizeof(zero))
	ptr, err = AllocList(ctx, mem, realloc, stack, len(xs), size, size)
	if err != nil {
		return 0, 0, withOp("lower list", err)
	}
	n = uint32(len(xs))
	if n > 0 {
		view, ok := mem.Read(ptr, n*size)
		if !ok {
			return 0, 0, abiErr("lower list", ErrOutOfBounds, "pointer %#x + %d bytes exceeds memory size %d", ptr, n*size, mem.Size())
		}
		copy(view, unsafe.Slice((*byte)(unsafe.Pointer(&xs[0])), len(view)))
		if !hostLittleEndian {
			swapElems(view, int(size))
		}
	}
	return ptr, n, nil
}

func swapElems(b []byte, size int) {
	if size == 1 {
		return
	}
	for i := 0; i+size <= len(b); i += size {
		e := b[i : i+size]
		for l, r := 0, size-1; l < r; l, r = l+1, r-1 {
			e[l], e[r] = e[r], e[l]
		}
	}
}

// LiftChar converts a core i32 to a char as i32_to_char does: values at or
// above 0x110000 and surrogates (0xD800-0xDFFF) are ErrInvalidChar.
func LiftChar(u uint32) (rune, error) {
	if u >= 0x110000 || (u >= 0xD800 && u <= 0xDFFF) {
		return 0, abiErr("lift char", ErrInvalidChar, "%#x is not a Unicode scalar value", u)
	}
	return rune(u), nil
}

// LowerChar converts a rune to a core i32 (char_to_i32). A rune that is not
// a Unicode scalar value (negative, surrogate, above U+10FFFF) is an
// ErrInvalidChar: the host must not send it.
func LowerChar(r rune) (uint32, error) {
	if r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, abiErr("lower char", ErrInvalidChar, "%#x is not a Unicode scalar value", uint32(r))
	}
	return uint32(r), nil
}

// LiftBool converts a core i32 (or a byte loaded from memory) to a bool:
// per convert_int_to_bool, 0 is false and every other bit pattern is true.
// It cannot fail.
func LiftBool(u uint32) bool { return u != 0 }

// LowerBool converts a bool to 0 or 1.
func LowerBool(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// LiftDiscriminant checks the case index d of a variant, enum, option or
// result named typeName with ncases cases (`trap_if(case_index >=
// len(cases))`) and returns it. For option and result ncases is 2.
func LiftDiscriminant(typeName string, d, ncases uint32) (uint32, error) {
	if d >= ncases {
		return 0, abiErr("lift "+typeName, ErrInvalidDiscriminant, "case index %d, but the type has %d cases", d, ncases)
	}
	return d, nil
}

// LiftFlags lifts a flags value of nflags flags (at most 32) from its core
// i32: as unpack_flags_from_int does, bits above the last flag are ignored
// (masked off), never an error.
func LiftFlags(bits, nflags uint32) uint32 {
	if nflags >= 32 {
		return bits
	}
	return bits & (1<<nflags - 1)
}

// Flat value encodings: the conversions between Go scalars and the uint64
// stack slots of Function.Call and HostFunc (the same as wazero's
// api.EncodeI32 etc.). i32 values occupy the low 32 bits, zero-extended.

// EncodeI32 encodes an i32 (s32 or u32 bits).
func EncodeI32(v int32) uint64 { return uint64(uint32(v)) }

// DecodeI32 decodes an i32 as signed.
func DecodeI32(s uint64) int32 { return int32(uint32(s)) }

// EncodeU32 encodes a u32.
func EncodeU32(v uint32) uint64 { return uint64(v) }

// DecodeU32 decodes an i32 as unsigned (the high 32 bits are ignored).
func DecodeU32(s uint64) uint32 { return uint32(s) }

// EncodeI64 encodes an i64.
func EncodeI64(v int64) uint64 { return uint64(v) }

// DecodeI64 decodes an i64 as signed.
func DecodeI64(s uint64) int64 { return int64(s) }

// EncodeF32 encodes an f32 bit for bit.
func EncodeF32(v float32) uint64 { return uint64(math.Float32bits(v)) }

// DecodeF32 decodes an f32 bit for bit.
func DecodeF32(s uint64) float32 { return math.Float32frombits(uint32(s)) }

// EncodeF64 encodes an f64 bit for bit.
func EncodeF64(v float64) uint64 { return math.Float64bits(v) }

// DecodeF64 decodes an f64 bit for bit.
func DecodeF64(s uint64) float64 { return math.Float64frombits(s) }

// RequireFunction looks up export name and checks its core signature. A
// missing export or a mismatched signature is an error naming both
// signatures. Generated code calls it once per export at instantiation.
func RequireFunction(inst Instance, name string, params, results []ValueType) (Function, error) {
	f, err := OptionalFunction(inst, name, params, results)
	if err == nil && f == nil {
		return nil, &ABIError{Op: "link", Kind: ErrBadCall,
			Detail: "guest does not export function " + quote(name) + " " + Signature(params, results)}
	}
	return f, err
}

// OptionalFunction is like RequireFunction but returns (nil, nil) when the
// export is absent, e.g. for cabi_post_* functions.
func OptionalFunction(inst Instance, name string, params, results []ValueType) (Function, error) {
	if inst == nil {
		return nil, abiErr("link", ErrBadCall, "nil instance")
	}
	f := inst.Function(name)
	if f == nil {
		return nil, nil
	}
	if !sameTypes(f.Params(), params) || !sameTypes(f.Results(), results) {
		return nil, &ABIError{Op: "link", Kind: ErrBadCall,
			Detail: "guest export " + quote(name) + " has type " + Signature(f.Params(), f.Results()) +
				", want " + Signature(params, results)}
	}
	return f, nil
}

func sameTypes(a, b []ValueType) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func quote(s string) string { return "\"" + s + "\"" }
