// Command goguest is a Go (GOOS=wasip1) reactor used by the wazero adapter's
// tests. It is built at test time:
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o goguest.wasm .
package main

import "unsafe"

func main() {}

//go:wasmimport host add
func hostAdd(a, b uint32) uint32

//go:wasmexport add-via-host
func addViaHost(a, b uint32) uint32 { return hostAdd(a, b) }

// live keeps every buffer handed out by cabi_realloc reachable until the
// guest frees it, so Go's GC cannot reuse it under the host.
var live = map[uintptr][]byte{}

//go:wasmexport cabi_realloc
func cabiRealloc(old uint32, oldSize uint32, align uint32, newSize uint32) uint32 {
	if newSize == 0 {
		return align
	}
	buf := make([]byte, newSize+align)
	p := uintptr(unsafe.Pointer(&buf[0]))
	p = (p + uintptr(align) - 1) &^ (uintptr(align) - 1)
	if old != 0 {
		copy(unsafe.Slice((*byte)(unsafe.Pointer(p)), newSize), unsafe.Slice((*byte)(unsafe.Pointer(uintptr(old))), oldSize))
		delete(live, uintptr(old))
	}
	live[p] = buf
	return uint32(p)
}

// count-runes takes ownership of a string written by the host.
//
//go:wasmexport count-runes
func countRunes(ptr, n uint32) uint32 {
	s := unsafe.String((*byte)(unsafe.Pointer(uintptr(ptr))), n)
	c := uint32(0)
	for range s {
		c++
	}
	delete(live, uintptr(ptr))
	return c
}

// deadlock blocks forever: the Go runtime reports "all goroutines are
// asleep" and exits.
//
//go:wasmexport deadlock
func deadlock() {
	select {}
}

//go:wasmexport live-buffers
func liveBuffers() uint32 { return uint32(len(live)) }
