package bindings

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

// TestGeneratedUpToDate regenerates every demo binding package in memory,
// exactly as its gen.go's go:generate line does, and compares the result
// with the checked-in files.
func TestGeneratedUpToDate(t *testing.T) {
	cases := []struct {
		dir, world, pkg string
		guest           bool
	}{
		{"httpserverdemohost", "http-server-demo", "httpserverdemohost", false},
		{"keyvaluedemohost", "keyvalue-demo", "keyvaluedemohost", false},
		{"wasikeyvaluedemohost", "wasi-keyvalue-demo", "wasikeyvaluedemohost", false},
		{"../guests/http-server-demo/bindings", "http-server-demo", "bindings", true},
		{"../guests/keyvalue-demo/bindings", "keyvalue-demo", "bindings", true},
		{"../guests/wasi-keyvalue-demo/bindings", "wasi-keyvalue-demo", "bindings", true},
	}
	r, pkg, err := parser.LoadPath("../wit", parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			w, err := parser.SelectWorld(r, pkg, c.world)
			if err != nil {
				t.Fatal(err)
			}
			gen := codegen.Generate
			if c.guest {
				gen = codegen.GenerateGuest
			}
			// The go:generate lines pass ../../wit (or ../../../wit), which
			// leaves the working directory, so the header names "wit".
			files, err := gen(r, w, codegen.Options{PackageName: c.pkg, SourceName: "wit"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				if !c.guest {
					// The host gen.go runs gofmt -w after the generator.
					if f.Content, err = format.Source(f.Content); err != nil {
						t.Fatal(err)
					}
				}
				old, err := os.ReadFile(filepath.Join(c.dir, f.Name))
				if err != nil || !bytes.Equal(old, f.Content) {
					t.Errorf("stale generated files; run make generate (%s/%s differs)", c.dir, f.Name)
				}
			}
			entries, _ := os.ReadDir(c.dir)
			for _, e := range entries {
				if e.Name() != "gen.go" && !slicesContains(files, e.Name()) {
					t.Errorf("stale generated files; run make generate (%s/%s is not generated)", c.dir, e.Name())
				}
			}
		})
	}
}

func slicesContains(files []codegen.File, name string) bool {
	for _, f := range files {
		if f.Name == name {
			return true
		}
	}
	return false
}
