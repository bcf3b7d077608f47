package main

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "unikernel.json")
	if err := os.WriteFile(p, []byte(`{"engine":"interpreter","kv":{"backend":"memory"},"modules":["virtio_pci","virtio_net"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(p, "console=ttyS0 quiet panic=-1 uk.kv=fs uk.engine=compiler uk.debug uk.addr=10.0.2.16/24")
	if err != nil {
		t.Fatal(err)
	}
	if c.KV.Backend != "fs" || c.Engine != "compiler" || !c.Debug || c.Addr != "10.0.2.16/24" {
		t.Errorf("overrides not applied: %+v", c)
	}
	// Fields the file does not mention keep their defaults.
	if c.KV.Device != "/dev/vda" || c.Guest != "/app/guest.wasm" || c.Listen != ":80" {
		t.Errorf("defaults lost: %+v", c)
	}
	if !reflect.DeepEqual(c.Modules, []string{"virtio_pci", "virtio_net"}) {
		t.Errorf("modules = %v", c.Modules)
	}
	if _, err := LoadConfig(filepath.Join(dir, "missing.json"), "uk.engine=jit"); err == nil {
		t.Error("bad engine accepted")
	}
	if _, err := LoadConfig(filepath.Join(dir, "missing.json"), "uk.bogus=1"); err == nil {
		t.Error("unknown uk. option accepted")
	}
	if c, err := LoadConfig(filepath.Join(dir, "missing.json"), ""); err != nil || c.KV.Backend != "memory" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
}
