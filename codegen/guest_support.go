package codegen

// guestSupport is the fixed runtime of every generated guest package:
// memory access, cabi_realloc, buffer bookkeeping and borrow tracking. It
// lives in the generated file (not in a shared package) so that a guest
// needs nothing but the generated package and the value types of package
// wittypes (which, unlike runtimeadapters, links no fmt, reflect or os).
//
// Memory discipline for Go's garbage collector (which does not move memory
// but frees what is unreachable):
//   - cabi_realloc blocks are Go []uint64 buffers (8-aligned) kept in
//     witBlocks until the guest has lifted them (witFree);
//   - buffers the guest allocates for the host (spilled arguments, return
//     areas, lists that need conversion) belong to a witFrame: for an
//     import call the frame lives until the call returned and its results
//     were lifted (the arguments stay reachable through runtime.KeepAlive);
//     for an export the frame, which also pins the strings and slices of
//     the returned Go value, lives in witPending until cabi_post_* runs;
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

// witBlocks holds the cabi_realloc blocks handed to the host, until the
// guest lifts (and so takes over) their contents. The word before a
// block's first byte holds its index here, so freeing needs no map.
var (
	witBlocks     [][]uint64
	witFreeSlots  []uint32
	witLiveBlocks int
)

//go:wasmexport cabi_realloc
func witCabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	if align == 0 || align&(align-1) != 0 || align > 8 {
		panic("cabi_realloc: alignment is not a power of two up to 8")
	}
	ob := witBlock(old)
	if ob != nil && uint64(newSize) <= uint64(len(ob)-1)*8 {
		return old
	}
	b := make([]uint64, 1+max(1, (uint64(newSize)+7)/8))
	var idx uint32
	if n := len(witFreeSlots); n > 0 {
		idx = witFreeSlots[n-1]
		witFreeSlots = witFreeSlots[:n-1]
		witBlocks[idx] = b
	} else {
		idx = uint32(len(witBlocks))
		witBlocks = append(witBlocks, b)
	}
	b[0] = uint64(idx)
	witLiveBlocks++
	p := witAddr(unsafe.Pointer(&b[1]))
	if ob != nil {
		copy(b[1:], ob[1:])
		witFree(old)
	} else if old != 0 && oldSize > 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(&b[1])), newSize), unsafe.Slice((*byte)(witPtr(old)), min(oldSize, newSize)))
	}
	return p
}

// witBlock returns the live cabi_realloc block at p, or nil.
func witBlock(p uint32) []uint64 {
	if p < 8 || p%8 != 0 {
		return nil
	}
	idx := witLoad64(p - 8)
	if idx >= uint64(len(witBlocks)) {
		return nil
	}
	b := witBlocks[idx]
	if b == nil || witAddr(unsafe.Pointer(&b[1])) != p {
		return nil
	}
	return b
}

// witFree releases a cabi_realloc block once the guest lifted it. The Go
// values lifted from it without copying keep it reachable.
func witFree(p uint32) {
	if b := witBlock(p); b != nil {
		witBlocks[b[0]] = nil
		witFreeSlots = append(witFreeSlots, uint32(b[0]))
		witLiveBlocks--
	}
}

// witFrame owns the buffers the guest lowers for one call, and pins the
// strings and slices the host reads in place. Frames and their buffers are
// reused, so a call in the steady state allocates nothing for them.
type witFrame struct {
	bufs [][]uint64
	n    int // buffers in use
	pins []unsafe.Pointer
	ret  uint32 // return area of an export awaiting post-return
}

var (
	witFramePool []*witFrame
	// witPending holds the frames of export calls awaiting cabi_post_*.
	witPending   []*witFrame
	witFrameBufs int // buffers in use by frames
)

var witCalls uint32

// witMaybeYield runs runtime.Gosched every 64th call. In a wasip1 reactor
// other goroutines, the garbage collector's background mark worker among
// them, run only when the running export yields; without this, a long
// export (or a stream of exports) that allocates can start a GC cycle that
// never finishes, and every allocation from then on is retained (measured:
// 1 KiB per echo-string call, hundreds of MiB).
func witMaybeYield() {
	witCalls++
	if witCalls&63 == 0 {
		runtime.Gosched()
	}
}

func witGetFrame() *witFrame {
	if n := len(witFramePool); n > 0 {
		fr := witFramePool[n-1]
		witFramePool = witFramePool[:n-1]
		return fr
	}
	return new(witFrame)
}

// alloc returns the address of a zeroed buffer of size bytes (align <= 8).
func (fr *witFrame) alloc(size, align uint32) uint32 {
	words := max(1, (uint64(size)+7)/8)
	var b []uint64
	if fr.n < len(fr.bufs) && uint64(len(fr.bufs[fr.n])) >= words {
		b = fr.bufs[fr.n][:words]
		clear(b)
	} else {
		b = make([]uint64, words)
		if fr.n < len(fr.bufs) {
			fr.bufs[fr.n] = b
		} else {
			fr.bufs = append(fr.bufs, b)
		}
	}
	fr.n++
	witFrameBufs++
	return witAddr(unsafe.Pointer(&b[0]))
}

// pin keeps the memory at p reachable until the frame is released.
func (fr *witFrame) pin(p unsafe.Pointer) {
	if fr != nil && p != nil {
		fr.pins = append(fr.pins, p)
	}
}

// release unpins everything and returns the frame to the pool (large
// buffers are dropped rather than kept for reuse).
func (fr *witFrame) release() {
	witFrameBufs -= fr.n
	for i := range fr.n {
		if len(fr.bufs[i]) > 8192 {
			fr.bufs[i] = nil
		}
	}
	fr.n = 0
	clear(fr.pins)
	fr.pins = fr.pins[:0]
	witFramePool = append(witFramePool, fr)
}

// witPostReturn releases the frame of an export's results (cabi_post_*).
func witPostReturn(ret uint32) {
	for i := len(witPending) - 1; i >= 0; i-- {
		if fr := witPending[i]; fr.ret == ret {
			witPending = append(witPending[:i], witPending[i+1:]...)
			fr.release()
			return
		}
	}
}

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

// witStoreString stores a string's (ptr, len); the frame pins its bytes.
func witStoreString(fr *witFrame, p uint32, s string) {
	if len(s) > 0 {
		fr.pin(unsafe.Pointer(unsafe.StringData(s)))
	}
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

// Keep every import used, whatever the world needs.
var (
	_ = math.Float64bits
	_ = runtime.KeepAlive
	_ = witMaybeYield
)

// LiveBuffers returns the number of buffers currently exchanged with the
// host: cabi_realloc blocks not yet lifted, buffers of import calls in
// progress, and export results waiting for cabi_post_*. It is 0 between
// complete calls; tests use it to check that nothing leaks.
func LiveBuffers() int { return witLiveBlocks + witFrameBufs + len(witPending) }
`
