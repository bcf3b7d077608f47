package initramfs

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

type entry struct {
	name string
	mode uint32
	data string
	maj  uint32
	min  uint32
}

func readAll(t *testing.T, r io.Reader) []entry {
	t.Helper()
	cr := NewReader(r)
	var out []entry
	for {
		h, data, err := cr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, entry{h.Name, h.Mode, string(data), h.RDevMajor, h.RDevMinor})
	}
}

func build(t *testing.T, w io.Writer) {
	t.Helper()
	cw := NewWriter(w)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(cw.File("/init", 0o755, []byte("#!ELF pretend")))
	must(cw.CharDev("dev/console", 0o600, 5, 1))
	must(cw.File("lib/modules/virtio_net.ko", 0o644, []byte("abc"))) // 3 bytes: exercises padding
	must(cw.File("app/guest.wasm", 0o644, []byte("\x00asm\x01\x00\x00\x00")))
	must(cw.Dir("proc", 0o555))
	must(cw.Symlink("bin/sh", "/init"))
	must(cw.File("empty", 0o644, nil))
	must(cw.Close())
}

var want = []entry{
	{"init", TypeReg | 0o755, "#!ELF pretend", 0, 0},
	{"dev", TypeDir | 0o755, "", 0, 0},
	{"dev/console", TypeChar | 0o600, "", 5, 1},
	{"lib", TypeDir | 0o755, "", 0, 0},
	{"lib/modules", TypeDir | 0o755, "", 0, 0},
	{"lib/modules/virtio_net.ko", TypeReg | 0o644, "abc", 0, 0},
	{"app", TypeDir | 0o755, "", 0, 0},
	{"app/guest.wasm", TypeReg | 0o644, "\x00asm\x01\x00\x00\x00", 0, 0},
	{"proc", TypeDir | 0o555, "", 0, 0},
	{"bin", TypeDir | 0o755, "", 0, 0},
	{"bin/sh", TypeSymlink | 0o777, "/init", 0, 0},
	{"empty", TypeReg | 0o644, "", 0, 0},
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	build(t, &buf)
	if buf.Len()%512 != 0 {
		t.Errorf("archive length %d is not a multiple of 512", buf.Len())
	}
	got := readAll(t, bytes.NewReader(buf.Bytes()))
	if len(got) != len(want) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// Every header must start on a 4-byte boundary with the newc magic.
	if n := strings.Count(buf.String(), magic); n != len(want)+1 {
		t.Errorf("found %d magics, want %d", n, len(want)+1)
	}
}

func TestGzipRoundTripAndDeterminism(t *testing.T) {
	var a, b bytes.Buffer
	for _, dst := range []*bytes.Buffer{&a, &b} {
		zw, _ := gzip.NewWriterLevel(dst, gzip.BestCompression)
		build(t, zw)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two builds of the same inputs differ")
	}
	zr, err := gzip.NewReader(&a)
	if err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, zr); len(got) != len(want) {
		t.Fatalf("gzip: got %d entries", len(got))
	}
}

func TestErrors(t *testing.T) {
	cw := NewWriter(io.Discard)
	if err := cw.File("a", 0o644, nil); err != nil {
		t.Fatal(err)
	}
	if err := cw.File("/a", 0o644, nil); err == nil {
		t.Error("duplicate entry accepted")
	}
	if err := cw.File("/", 0o644, nil); err == nil {
		t.Error("empty name accepted")
	}
	if _, _, err := NewReader(strings.NewReader("070702" + strings.Repeat("0", 104))).Next(); err == nil {
		t.Error("bad magic accepted")
	}
	if _, _, err := NewReader(strings.NewReader("0707")).Next(); err == nil {
		t.Error("truncated header accepted")
	}
}

// TestSystemCpio cross-checks the output with GNU cpio when it is installed
// (it is not needed to build images).
func TestSystemCpio(t *testing.T) {
	cpio, err := exec.LookPath("cpio")
	if err != nil {
		t.Skip("cpio not installed")
	}
	dir := t.TempDir()
	f := filepath.Join(dir, "a.cpio")
	var buf bytes.Buffer
	build(t, &buf)
	if err := os.WriteFile(f, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(cpio, "-t", "-F", f).CombinedOutput()
	if err != nil {
		t.Fatalf("cpio -t: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "lib/modules/virtio_net.ko") || !strings.Contains(string(out), "dev/console") {
		t.Errorf("cpio -t output:\n%s", out)
	}
}
