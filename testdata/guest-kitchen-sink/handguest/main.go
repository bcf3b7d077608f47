//go:build wasip1

// Command handguest is the hand-written baseline of the guest benchmarks:
// two kitchen-sink functions with glue written by hand, no generated code.
// Its cabi_realloc is a bump allocator over a static arena that is reset
// when a call is complete, the cheapest correct discipline for these two
// calls:
//
//   - `test:kitchen-sink/guest@0.1.0#echo-record` (an export taking the
//     8-field record `mixed`, results in a static return area, plus its
//     cabi_post_*);
//   - `kitchen-sink-bench-import(n)` calls the import `echo-string` n times
//     with a 1 KiB string.
//
// Build: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared.
package main

import (
	"strings"
	"unsafe"
)

func main() {}

var (
	arena [1 << 20]byte
	top   uint32
	// ret is the static return area of echo-record (48 bytes, 8-aligned)
	// and of the echo-string import (8 bytes).
	ret [6]uint64
)

func addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

func ptr(a uint32) unsafe.Pointer { return unsafe.Add(unsafe.Pointer(nil), uintptr(a)) }

//go:wasmexport cabi_realloc
func cabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	top = (top + align - 1) &^ (align - 1)
	if uint64(top)+uint64(newSize) > uint64(len(arena)) {
		panic("arena exhausted")
	}
	p := addr(unsafe.Pointer(&arena[top]))
	top += newSize
	if old != 0 {
		copy(arena[p-addr(unsafe.Pointer(&arena[0])):], unsafe.Slice((*byte)(ptr(old)), oldSize))
	}
	return p
}

//go:wasmexport test:kitchen-sink/guest@0.1.0#echo-record
func echoRecord(a, b, c uint32, d uint64, e float32, f float64, gp, gn, h uint32) uint32 {
	r := unsafe.Pointer(&ret[0])
	*(*uint8)(r) = uint8(a)
	*(*uint16)(unsafe.Add(r, 2)) = uint16(b)
	*(*uint32)(unsafe.Add(r, 4)) = c
	*(*uint64)(unsafe.Add(r, 8)) = d
	*(*float32)(unsafe.Add(r, 16)) = e
	*(*float64)(unsafe.Add(r, 24)) = f
	*(*uint32)(unsafe.Add(r, 32)) = gp // the string stays in the arena until post-return
	*(*uint32)(unsafe.Add(r, 36)) = gn
	*(*uint8)(unsafe.Add(r, 40)) = uint8(h)
	return addr(r)
}

//go:wasmexport cabi_post_test:kitchen-sink/guest@0.1.0#echo-record
func postEchoRecord(uint32) { top = 0 }

//go:wasmimport test:kitchen-sink/host@0.1.0 echo-string
func echoString(p, n, retp uint32)

var kib = strings.Repeat("k", 1024)

//go:wasmexport kitchen-sink-bench-import
func benchImport(n uint32) uint32 {
	total := uint32(0)
	for i := uint32(0); i < n; i++ {
		echoString(addr(unsafe.Pointer(unsafe.StringData(kib))), uint32(len(kib)), addr(unsafe.Pointer(&ret[0])))
		rp, rn := uint32(ret[0]), uint32(ret[0]>>32)
		s := unsafe.String((*byte)(ptr(rp)), rn) // in the arena
		total += uint32(len(s))
		top = 0
	}
	return total
}
