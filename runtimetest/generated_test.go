// Package runtimetest holds the runtime tests of the generated bindings:
// kitchensink (every WIT type in both directions on real guests), hostile
// (canonical-ABI violations by hostile guests) and bench (generated bindings
// beside hand-written wazero baselines). This file checks that the
// checked-in bindings are what the generator produces today; it lives apart
// from those packages so that their tests build even while the generator
// does not.
package runtimetest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

// TestGeneratedUpToDate regenerates the bindings in memory, exactly as the
// generate directives in kitchensink/doc.go and hostile/doc.go do, and
// compares them with the checked-in files.
func TestGeneratedUpToDate(t *testing.T) {
	cases := []struct {
		dir, src, sourceName string
	}{
		{"kitchensink", "../testdata/kitchen-sink", "kitchen-sink"},
		{"hostile", "../testdata/hostile/hostile.wit", "hostile.wit"},
	}
	for _, c := range cases {
		t.Run(c.dir, func(t *testing.T) {
			r, pkg, err := parser.LoadPath(c.src, parser.Options{})
			if err != nil {
				t.Fatal(err)
			}
			w, err := parser.SelectWorld(r, pkg, "")
			if err != nil {
				t.Fatal(err)
			}
			files, err := codegen.Generate(r, w, codegen.Options{SourceName: c.sourceName})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				old, err := os.ReadFile(filepath.Join(c.dir, f.Name))
				if err != nil || !bytes.Equal(old, f.Content) {
					t.Errorf("stale generated files; run go generate ./runtimetest/... (%s/%s differs)", c.dir, f.Name)
				}
			}
		})
	}
}
