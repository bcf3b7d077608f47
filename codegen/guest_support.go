package codegen

// guestSupport is the fixed runtime of every generated guest package:
// memory access, cabi_realloc, buffer bookkeeping and borrow tracking. It
// lives in the generated file (not in a shared package) so that a guest
// needs nothing but the generated package and runtimeadapters' value types.
//
// Memory discipline for Go's garbage collector (which does not move memory
// but frees what is unreachable):
//   - cabi_realloc blocks are Go []uint64 buffers (8-aligned) kept in
//     witReallocs until the guest has lifted them (witFree);
//   - buffers the guest allocates for the host (spilled arguments, return
//     areas, lists that need conversion) belong to a witFrame: for an
//     import call the frame lives until the call returned and its results
//     were lifted; for an export the frame, which also keeps the returned
//     Go value, lives in witPostFrames until cabi_post_* runs;
//   - LiveBuffers counts all three, so a test can check it returns to zero.
const guestSupport = `
// witPtr converts a linear-memory address to a pointer.
func witPtr(a uint32) unsafe.Pointer { return unsafe.Add(unsafe.Pointer(nil), uintptr(a)) }

// witAddr converts a pointer into linear memory to its address.
func witAddr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

func witLoad8(p uint32) uint8   { return *(*uint8)(witPtr(p)) }
func witLoad16(p uint32) uint16 { return *(*uint16)(witPtr(p)) }
func witLoad32(p uint32) uint32 { return *(*uint32)(witPtr(p)) }
func witLoad64(p uint32) uint64 { return *(*uint64)(witPtr(p)) }

func witStore8(p uint32, x uint8)   { *(*uint8)(witPtr(p)) = x }
func witStore16(p uint32, x uint16) { *(*uint16)(witPtr(p)) = x }
func witStore32(p uint32, x uint32) { *(*uint32)(witPtr(p)) = x }
func witStore64(p uint32, x uint64) { *(*uint64)(witPtr(p)) = x }

func witBool(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// witChar lifts a char, trapping on surrogates and values above U+10FFFF.
func witChar(c uint32) rune {
	if c >= 0xD800 && c < 0xE000 || c > 0x10FFFF {
		panic("lift char: not a Unicode scalar value")
	}
	return rune(c)
}

// witCheckChar lowers a char, trapping on invalid values.
func witCheckChar(r rune) uint32 {
	if r < 0 || r >= 0xD800 && r < 0xE000 || r > 0x10FFFF {
		panic("lower char: not a Unicode scalar value")
	}
	return uint32(r)
}

// witReallocs holds the blocks cabi_realloc handed to the host, until the
// guest lifts (and so takes over) their contents.
var witReallocs = map[uint32][]uint64{}

// witPostFrames holds, per return area, the frame of an export call until
// its cabi_post_* function runs.
var witPostFrames = map[uint32]*witFrame{}

// witFrameBufs counts the buffers held by frames.
var witFrameBufs int

// witAllocBuf allocates an 8-aligned heap buffer of at least size bytes (at
// least one word, so every buffer has its own address).
//
//go:noinline
func witAllocBuf(size uint32) []uint64 {
	n := (uint64(size) + 7) / 8
	if n == 0 {
		n = 1
	}
	return make([]uint64, n)
}

// witFrame owns the buffers the guest lowers for one call, and the Go value
// whose strings and byte slices the host reads in place.
type witFrame struct {
	bufs [][]uint64
	keep any
}

// alloc returns the address of a new buffer of size bytes (align <= 8).
func (fr *witFrame) alloc(size, align uint32) uint32 {
	b := witAllocBuf(size)
	fr.bufs = append(fr.bufs, b)
	witFrameBufs++
	return witAddr(unsafe.Pointer(&b[0]))
}

// release makes the frame's buffers unreachable.
func (fr *witFrame) release() {
	witFrameBufs -= len(fr.bufs)
	clear(fr.bufs)
	fr.bufs = fr.bufs[:0]
	fr.keep = nil
	runtime.KeepAlive(fr)
}

// witPostReturn releases the frame of an export's results (cabi_post_*).
func witPostReturn(ret uint32) {
	if fr, ok := witPostFrames[ret]; ok {
		delete(witPostFrames, ret)
		fr.release()
	}
}

//go:wasmexport cabi_realloc
func witCabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	if align == 0 || align&(align-1) != 0 || align > 8 {
		panic("cabi_realloc: alignment is not a power of two up to 8")
	}
	var ob []uint64
	if old != 0 {
		ob = witReallocs[old]
		if ob != nil && uint64(newSize) <= uint64(len(ob))*8 {
			return old
		}
	}
	b := witAllocBuf(newSize)
	p := witAddr(unsafe.Pointer(&b[0]))
	if ob != nil {
		copy(b, ob)
		delete(witReallocs, old)
	} else if old != 0 && oldSize > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), newSize), unsafe.Slice((*byte)(witPtr(old)), min(oldSize, newSize)))
	}
	witReallocs[p] = b
	return p
}

// witFree releases a cabi_realloc block once the guest lifted it. The Go
// values lifted from it without copying keep it reachable.
func witFree(p uint32) { delete(witReallocs, p) }

// witLiftString takes over a string the host allocated with cabi_realloc
// (without copying).
func witLiftString(p, n uint32) string {
	var s string
	if n > 0 {
		s = unsafe.String((*byte)(witPtr(p)), n)
	}
	witFree(p)
	return s
}

func witLoadString(p uint32) string { return witLiftString(witLoad32(p), witLoad32(p+4)) }

// witStringAddr is the address of a string's bytes, which the host reads in
// place (the caller keeps the string reachable).
func witStringAddr(s string) uint32 {
	if len(s) == 0 {
		return 0
	}
	return witAddr(unsafe.Pointer(unsafe.StringData(s)))
}

func witStoreString(p uint32, s string) {
	witStore32(p, witStringAddr(s))
	witStore32(p+4, uint32(len(s)))
}

// witBorrow is a borrowed handle of a host resource the guest received as
// an export argument; it is dropped before the export returns.
type witBorrow struct {
	h    uint32
	drop func(uint32)
}

var witBorrows []witBorrow

func witBorrowImport(h uint32, drop func(uint32)) uint32 {
	witBorrows = append(witBorrows, witBorrow{h, drop})
	return h
}

// witDropBorrows drops the borrows lifted since mark (CanonicalABI.md: every
// borrow must be dropped before the call returns).
func witDropBorrows(mark int) {
	for i := mark; i < len(witBorrows); i++ {
		witBorrows[i].drop(witBorrows[i].h)
	}
	clear(witBorrows[mark:])
	witBorrows = witBorrows[:mark]
}

// witFloat keeps the math import used in every generated package.
func witFloat(x float64) uint64 { return math.Float64bits(x) }

// LiveBuffers returns the number of buffers currently exchanged with the
// host: cabi_realloc blocks not yet lifted, buffers of import calls in
// progress, and export results waiting for cabi_post_*. It is 0 between
// complete calls; tests use it to check that nothing leaks.
func LiveBuffers() int { return len(witReallocs) + witFrameBufs + len(witPostFrames) }
`
