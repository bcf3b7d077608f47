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
	a := Args(Options{Dir: dir, HostPort: 12345, Append: []string{"uk.kv=fs"}, Disk: "kv.img", Machine: "pc"})
	line := strings.Join(a, " ")
	for _, want := range []string{
		"-M pc", "-nographic", "-no-reboot", "-m 128M",
		"hostfwd=tcp:127.0.0.1:12345-:80", "restrict=on",
		filepath.Join(dir, "vmlinuz"), // no vmlinux in dir: the bzImage
		"uk.kv=fs", "panic=-1", "virtio-net-pci",
		"file=kv.img,if=virtio,format=raw",
	} {
		if !strings.Contains(line, want) {
			t.Errorf("QEMU args lack %q:\n%s", want, line)
		}
	}
	// microvm (the default): virtio over MMIO.
	line = strings.Join(Args(Options{Dir: dir, Disk: "kv.img"}), " ")
	for _, want := range []string{"-M microvm", "uk.modules=virtio_mmio,virtio_net", "virtio-net-device,netdev=n0",
		"-drive id=d0,file=kv.img,if=none,format=raw -device virtio-blk-device,drive=d0"} {
		if !strings.Contains(line, want) {
			t.Errorf("microvm args lack %q:\n%s", want, line)
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

func TestInitramfs(t *testing.T) {
	dir := t.TempDir()
	if _, err := Initramfs(dir); err == nil || !strings.Contains(err.Error(), "initramfs.cpio.gz") {
		t.Fatalf("empty dir: %v", err)
	}
	for _, n := range []string{"initramfs.cpio", "initramfs.cpio.lz4", "initramfs.cpio.gz"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := Initramfs(dir)
		if err != nil || filepath.Base(p) != n {
			t.Fatalf("with %s: %s, %v", n, p, err)
		}
	}
	if got := Args(Options{Dir: dir}); !slices.Contains(got, filepath.Join(dir, "initramfs.cpio.gz")) {
		t.Fatalf("Args does not boot the initramfs: %q", got)
	}
}
