package runtimeadapters

import "encoding/binary"

// SliceMemory is a Memory backed by a Go byte slice. It is meant for tests
// and fuzzing of lifting and lowering code without an engine: point B at
// arbitrary bytes and lift from it. Growing B (replacing the slice) models a
// guest growing its memory; views returned earlier then go stale, as with a
// real engine.
type SliceMemory struct {
	B []byte
}

var _ Memory = (*SliceMemory)(nil)

// Size is len(B), saturated at 4 GiB - 1.
func (m *SliceMemory) Size() uint32 {
	if uint64(len(m.B)) > 1<<32-1 {
		return 1<<32 - 1
	}
	return uint32(len(m.B))
}

func (m *SliceMemory) ok(off uint32, n uint64) bool {
	return uint64(off)+n <= uint64(len(m.B))
}

// Read returns a view of B[off:off+n].
func (m *SliceMemory) Read(off, n uint32) ([]byte, bool) {
	if !m.ok(off, uint64(n)) {
		return nil, false
	}
	return m.B[off : uint64(off)+uint64(n) : uint64(off)+uint64(n)], true
}

// Write copies p to B[off:].
func (m *SliceMemory) Write(off uint32, p []byte) bool {
	if !m.ok(off, uint64(len(p))) {
		return false
	}
	copy(m.B[off:], p)
	return true
}

// ReadU8 reads B[off].
func (m *SliceMemory) ReadU8(off uint32) (uint8, bool) {
	if !m.ok(off, 1) {
		return 0, false
	}
	return m.B[off], true
}

// ReadU16 reads the little-endian uint16 at B[off:].
func (m *SliceMemory) ReadU16(off uint32) (uint16, bool) {
	if !m.ok(off, 2) {
		return 0, false
	}
	return binary.LittleEndian.Uint16(m.B[off:]), true
}

// ReadU32 reads the little-endian uint32 at B[off:].
func (m *SliceMemory) ReadU32(off uint32) (uint32, bool) {
	if !m.ok(off, 4) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(m.B[off:]), true
}

// ReadU64 reads the little-endian uint64 at B[off:].
func (m *SliceMemory) ReadU64(off uint32) (uint64, bool) {
	if !m.ok(off, 8) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(m.B[off:]), true
}

// WriteU8 sets B[off] to v.
func (m *SliceMemory) WriteU8(off uint32, v uint8) bool {
	if !m.ok(off, 1) {
		return false
	}
	m.B[off] = v
	return true
}

// WriteU16 writes v little-endian to B[off:].
func (m *SliceMemory) WriteU16(off uint32, v uint16) bool {
	if !m.ok(off, 2) {
		return false
	}
	binary.LittleEndian.PutUint16(m.B[off:], v)
	return true
}

// WriteU32 writes v little-endian to B[off:].
func (m *SliceMemory) WriteU32(off uint32, v uint32) bool {
	if !m.ok(off, 4) {
		return false
	}
	binary.LittleEndian.PutUint32(m.B[off:], v)
	return true
}

// WriteU64 writes v little-endian to B[off:].
func (m *SliceMemory) WriteU64(off uint32, v uint64) bool {
	if !m.ok(off, 8) {
		return false
	}
	binary.LittleEndian.PutUint64(m.B[off:], v)
	return true
}
