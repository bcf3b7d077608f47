package kernel

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

func legacyFrame(blocks ...[]byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint32(lz4LegacyMagic))
	for _, blk := range blocks {
		binary.Write(&b, binary.LittleEndian, uint32(len(blk)))
		b.Write(blk)
	}
	return b.Bytes()
}

func TestDecodeLZ4Legacy(t *testing.T) {
	// Block 1: literals "abc", then a match of offset 3, length 4+5=9
	// (overlapping: repeats "abc"), then a final literal-only sequence "Z".
	blk1 := []byte{0x35, 'a', 'b', 'c', 3, 0, 0x10, 'Z'}
	// Block 2: 20 literals (length 15 + 5 extension), literal-only.
	lit := []byte("0123456789abcdefghij")
	blk2 := append([]byte{0xF0, 5}, lit...)
	// Block 3: long match: "x" then offset 1, match length 15+255+10+4.
	blk3 := []byte{0x1F, 'x', 1, 0, 255, 10, 0x00}
	frame := legacyFrame(blk1, blk2, blk3)
	want := "abcabcabcabc" + "Z" + string(lit) + string(bytes.Repeat([]byte("x"), 1+15+255+10+4))
	// The kernel build appends the uncompressed size.
	frame = binary.LittleEndian.AppendUint32(frame, uint32(len(want)))
	got, err := DecodeLZ4Legacy(frame)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// A wrong trailer is an error.
	bad := append(legacyFrame(blk1), 1, 0, 0, 0)
	if _, err := DecodeLZ4Legacy(bad); err == nil {
		t.Error("wrong size trailer accepted")
	}
	// Corrupt input must not panic.
	for _, c := range [][]byte{
		{0x10, 'a', 9, 0},      // offset past start
		{0x10, 'a', 0, 0},      // offset 0
		{0xF0},                 // truncated literal length
		{0x50, 'a'},            // literals past end
		{0x1F, 'a', 1, 0, 255}, // truncated match length
		{0x10, 'a', 1},         // truncated offset
	} {
		if _, err := DecodeLZ4Legacy(legacyFrame(c)); err == nil {
			t.Errorf("corrupt block % x accepted", c)
		}
	}
}

// TestRealKernel extracts the Debian kernel when make unikernel has
// downloaded it.
func TestRealKernel(t *testing.T) {
	m, _ := filepath.Glob("../../build/unikernel/cache/*/root/boot/vmlinuz-*")
	if len(m) == 0 {
		t.Skip("no kernel under build/unikernel/cache")
	}
	bz, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	vmlinux, err := ExtractVmlinux(bz)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := PVHEntry(vmlinux)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d-byte bzImage -> %d-byte vmlinux, PVH entry %#x", filepath.Base(m[0]), len(bz), len(vmlinux), entry)
	if _, err := ExtractVmlinux(vmlinux); err == nil {
		t.Error("ELF accepted as bzImage")
	}
}
