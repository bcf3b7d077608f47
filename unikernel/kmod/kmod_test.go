package kmod

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeKO builds a minimal ELF64 relocatable object whose only content is a
// .modinfo section holding the given NUL-terminated key=value strings,
// which is all ReadModinfo looks at. Layout: ELF header, .modinfo data,
// .shstrtab data, then three section headers (null, .modinfo, .shstrtab).
func fakeKO(t *testing.T, entries ...string) []byte {
	t.Helper()
	var modinfo []byte
	for _, e := range entries {
		modinfo = append(modinfo, e...)
		modinfo = append(modinfo, 0)
		// modpost aligns entries; emulate padding NULs between some entries.
		modinfo = append(modinfo, 0)
	}
	shstr := []byte("\x00.modinfo\x00.shstrtab\x00")
	const ehsize, shentsize = 64, 64
	modOff := uint64(ehsize)
	strOff := modOff + uint64(len(modinfo))
	shOff := (strOff + uint64(len(shstr)) + 7) &^ 7

	var b bytes.Buffer
	le := binary.LittleEndian
	ident := [16]byte{0x7f, 'E', 'L', 'F', 2 /*64-bit*/, 1 /*LE*/, 1 /*version*/}
	b.Write(ident[:])
	w := func(v any) { binary.Write(&b, le, v) }
	w(uint16(1))  // e_type ET_REL
	w(uint16(62)) // e_machine EM_X86_64
	w(uint32(1))  // e_version
	w(uint64(0))  // e_entry
	w(uint64(0))  // e_phoff
	w(shOff)      // e_shoff
	w(uint32(0))  // e_flags
	w(uint16(ehsize))
	w(uint16(0)) // e_phentsize
	w(uint16(0)) // e_phnum
	w(uint16(shentsize))
	w(uint16(3)) // e_shnum
	w(uint16(2)) // e_shstrndx
	b.Write(modinfo)
	b.Write(shstr)
	for uint64(b.Len()) < shOff {
		b.WriteByte(0)
	}
	sh := func(name, typ uint32, flags, off, size uint64) {
		w(name)
		w(typ)
		w(flags)
		w(uint64(0)) // addr
		w(off)
		w(size)
		w(uint32(0)) // link
		w(uint32(0)) // info
		w(uint64(1)) // addralign
		w(uint64(0)) // entsize
	}
	sh(0, 0, 0, 0, 0)
	sh(1, 1 /*PROGBITS*/, 2 /*ALLOC*/, modOff, uint64(len(modinfo)))
	sh(10, 3 /*STRTAB*/, 0, strOff, uint64(len(shstr)))
	return b.Bytes()
}

func TestReadModinfo(t *testing.T) {
	ko := fakeKO(t, "alias=virtio:d00000001v*", "depends=virtio_ring,virtio,net_failover", "alias=second", "name=virtio_net", "vermagic=6.1.0-56-cloud-amd64 SMP mod_unload modversions ")
	info, err := ReadModinfo(bytes.NewReader(ko))
	if err != nil {
		t.Fatal(err)
	}
	if got := info["depends"]; !reflect.DeepEqual(got, []string{"virtio_ring,virtio,net_failover"}) {
		t.Errorf("depends = %q", got)
	}
	if got := info["alias"]; len(got) != 2 {
		t.Errorf("alias = %q, want two values", got)
	}
	if _, err := ReadModinfo(bytes.NewReader([]byte("not an elf file at all"))); err == nil {
		t.Error("non-ELF input accepted")
	}
}

// The real dependency graph of Debian 6.1 cloud-amd64's virtio network stack.
var virtioNet = map[string]string{
	"virtio_ring":           "",
	"virtio":                "virtio_ring",
	"virtio_pci_modern_dev": "",
	"virtio_pci_legacy_dev": "",
	"virtio_pci":            "virtio_pci_modern_dev,virtio_ring,virtio,virtio_pci_legacy_dev",
	"failover":              "",
	"net_failover":          "failover",
	"virtio_net":            "net_failover,virtio_ring,virtio",
	"virtio_blk":            "virtio,virtio_ring",
	"unrelated":             "",
	"dash-name":             "crc32c_generic", // builtin dependency
}

func writeTree(t *testing.T, graph map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, deps := range graph {
		sub := filepath.Join(dir, "kernel", "drivers", name[:1])
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		ko := fakeKO(t, "license=GPL", "depends="+deps, "name="+Canonical(name))
		if err := os.WriteFile(filepath.Join(sub, name+".ko"), ko, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func names(mods []*Module) string {
	var s []string
	for _, m := range mods {
		s = append(s, m.Name)
	}
	return strings.Join(s, " ")
}

func TestOrder(t *testing.T) {
	idx, err := Scan(writeTree(t, virtioNet))
	if err != nil {
		t.Fatal(err)
	}
	if len(idx) != len(virtioNet) {
		t.Fatalf("scanned %d modules, want %d", len(idx), len(virtioNet))
	}
	mods, err := idx.Order([]string{"virtio_pci", "virtio-net"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Deterministic: deps sorted, roots in order.
	want := "virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net"
	if got := names(mods); got != want {
		t.Errorf("order:\n got %s\nwant %s", got, want)
	}
	// Every module after its dependencies.
	pos := map[string]int{}
	for i, m := range mods {
		pos[m.Name] = i
		for _, d := range m.Depends {
			if p, ok := pos[d]; !ok || p >= i {
				t.Errorf("%s loaded before its dependency %s", m.Name, d)
			}
		}
	}
	// Adding virtio_blk reuses the already ordered dependencies.
	mods, err = idx.Order([]string{"virtio_pci", "virtio_net", "virtio_blk"}, nil)
	if err != nil || !strings.HasSuffix(names(mods), "virtio_net virtio_blk") || len(mods) != 9 {
		t.Errorf("with virtio_blk: %s, %v", names(mods), err)
	}
	// Missing dependency, then satisfied by builtin.
	if _, err := idx.Order([]string{"dash_name"}, nil); err == nil || !strings.Contains(err.Error(), "crc32c_generic (needed by dash_name)") {
		t.Errorf("missing dep error = %v", err)
	}
	if mods, err := idx.Order([]string{"dash-name"}, map[string]bool{"crc32c_generic": true}); err != nil || names(mods) != "dash_name" {
		t.Errorf("builtin dep: %s, %v", names(mods), err)
	}
	if _, err := idx.Order([]string{"nope"}, nil); err == nil {
		t.Error("unknown module accepted")
	}
}

func TestCycle(t *testing.T) {
	idx, err := Scan(writeTree(t, map[string]string{"a": "b", "b": "c", "c": "a"}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idx.Order([]string{"a"}, nil); err == nil || !strings.Contains(err.Error(), "cycle: a -> b -> c -> a") {
		t.Errorf("cycle error = %v", err)
	}
}

func TestReadBuiltin(t *testing.T) {
	set, err := ReadBuiltin(strings.NewReader("kernel/fs/ext4/ext4.ko\nkernel/crypto/crc32c-generic.ko\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !set["ext4"] || !set["crc32c_generic"] || len(set) != 2 {
		t.Errorf("builtin = %v", set)
	}
}

// TestRealModules checks the resolver against the Debian cloud kernel's
// modules when `make unikernel` has already extracted them.
func TestRealModules(t *testing.T) {
	dirs, _ := filepath.Glob("../../build/unikernel/cache/*/root/lib/modules/*")
	if len(dirs) == 0 {
		t.Skip("no extracted kernel package under build/unikernel/cache")
	}
	idx, err := Scan(filepath.Join(dirs[0], "kernel", "drivers"))
	if err != nil {
		t.Fatal(err)
	}
	idx2, err := Scan(filepath.Join(dirs[0], "kernel", "net", "core"))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range idx2 {
		idx[k] = v
	}
	mods, err := idx.Order([]string{"virtio_pci", "virtio_net"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load order: %s", names(mods))
	if len(mods) != 8 || mods[len(mods)-1].Name != "virtio_net" {
		t.Errorf("unexpected order %s", names(mods))
	}
}
