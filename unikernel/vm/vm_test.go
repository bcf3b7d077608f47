package vm

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestArgs(t *testing.T) {
	dir := t.TempDir()
	a := Args(Options{Dir: dir, HostPort: 12345, Append: []string{"uk.kv=fs"}, Disk: "kv.img"})
	line := strings.Join(a, " ")
	for _, want := range []string{
		"-nographic", "-no-reboot", "-m 128M",
		"hostfwd=tcp:127.0.0.1:12345-:80", "restrict=on",
		filepath.Join(dir, "vmlinuz"), // no vmlinux in dir: the bzImage
		"uk.kv=fs", "panic=-1",
		"file=kv.img,if=virtio,format=raw",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("QEMU args lack %q:\n%s", want, line)
		}
	}
	if slices.Contains(a, "-cpu") {
		t.Error("-cpu without the compiler engine")
	}
	if (KVM()) != slices.Contains(a, "kvm") {
		t.Error("-accel kvm must follow /dev/kvm")
	}
	// The uncompressed kernel wins when present.
	if err := os.WriteFile(filepath.Join(dir, "vmlinux"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	a = Args(Options{Dir: dir, CPU: "max", Interactive: true})
	line = strings.Join(a, " ")
	for _, want := range []string{filepath.Join(dir, "vmlinux"), "-cpu max", "signal=off"} {
		if !strings.Contains(line, want) {
			t.Errorf("QEMU args lack %q:\n%s", want, line)
		}
	}
}

func TestFreePort(t *testing.T) {
	p, err := FreePort()
	if err != nil || p <= 0 {
		t.Fatalf("FreePort = %d, %v", p, err)
	}
}
