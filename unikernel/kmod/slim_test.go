package kmod

import (
	"bytes"
	"debug/elf"
	"os"
	"path/filepath"
	"testing"
)

// TestSlimReal slims the cached Debian virtio_net.ko: no signature, .BTF
// renamed, still a valid ELF file whose modinfo reads the same.
func TestSlimReal(t *testing.T) {
	paths, _ := filepath.Glob("../../build/unikernel/cache/*/root/lib/modules/*/kernel/drivers/net/virtio_net.ko")
	if len(paths) == 0 {
		t.Skip("no extracted kernel package under build/unikernel/cache")
	}
	ko, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	out, err := Slim(ko)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasSuffix(out, []byte(sigMarker)) || len(out) >= len(ko) {
		t.Errorf("signature not removed: %d -> %d bytes", len(ko), len(out))
	}
	f, err := elf.NewFile(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if f.Section(".BTF") != nil || f.Section(".BTX") == nil {
		t.Error(".BTF not renamed to .BTX")
	}
	a, _ := ReadModinfo(bytes.NewReader(ko))
	b, err := ReadModinfo(bytes.NewReader(out))
	if err != nil || a["vermagic"][0] != b["vermagic"][0] || a["name"][0] != b["name"][0] {
		t.Errorf("modinfo changed: %v", err)
	}
	if again, err := Slim(out); err != nil || !bytes.Equal(again, out) {
		t.Errorf("Slim is not idempotent: %v", err)
	}
}

func TestSlimErrors(t *testing.T) {
	if _, err := Slim([]byte("not an ELF file at all, but long enough to have a header of 64 bytes......")); err == nil {
		t.Error("non-ELF accepted")
	}
	if _, err := Slim([]byte("x" + sigMarker)); err == nil {
		t.Error("truncated signature accepted")
	}
}
