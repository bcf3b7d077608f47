package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os/exec"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/kernel"
)

func TestCompressCpio(t *testing.T) {
	data := bytes.Repeat([]byte("070701 cpio-ish data with repeats "), 5000)
	gz, how, err := compressCpio(data, "gzip")
	if err != nil || how != "gzip" {
		t.Fatalf("gzip: %v %q", err, how)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if back, _ := io.ReadAll(zr); !bytes.Equal(back, data) {
		t.Error("gzip round trip differs")
	}
	if raw, how, _ := compressCpio(data, "none"); how != "none" || !bytes.Equal(raw, data) {
		t.Error("none changed the data")
	}
	if _, _, err := compressCpio(data, "xz"); err == nil {
		t.Error("xz accepted")
	}
	if _, err := exec.LookPath("lz4"); err != nil {
		t.Skip("no lz4 program")
	}
	l, how, err := compressCpio(data, "auto")
	if err != nil || how != "lz4" {
		t.Fatalf("auto with lz4 installed: %v %q", err, how)
	}
	if back, err := kernel.DecodeLZ4Legacy(l); err != nil || !bytes.Equal(back, data) {
		t.Errorf("lz4 round trip: %v", err)
	}
}
