package suite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
	"github.com/wasmhost/wit-bindgen-go-host/runtimetest/suite"
)

// engines are the wazero configurations the suites run on here; the
// wasmtime adapter runs the same suites from its nested module
// (runtimeadapters/wasmtime/engines_test.go).
var engines = []struct {
	name string
	cfg  wazeroadapter.Config
}{
	{"compiler", wazeroadapter.Config{}},
	{"interpreter", wazeroadapter.Config{Interpreter: true}},
}

// cacheDir is a fixed compilation cache, so repeated runs skip compiling
// the guests.
var cacheDir = filepath.Join(os.TempDir(), "wit-bindgen-go-host-runtimetest-cache")

// newWazero returns a suite.NewRuntime for a wazero configuration.
func newWazero(cfg wazeroadapter.Config) suite.NewRuntime {
	return func(t testing.TB) runtimeadapters.Runtime {
		t.Helper()
		cfg.CompilationCacheDir = cacheDir
		rt, err := wazeroadapter.NewRuntime(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rt.Close(context.Background()) })
		return rt
	}
}

// TestKitchenSink runs suite.KitchenSink (see its documentation) on both
// wazero engines.
func TestKitchenSink(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { suite.KitchenSink(t, newWazero(e.cfg)) })
	}
}

// TestHostile runs suite.Hostile (see its documentation) on both wazero
// engines.
func TestHostile(t *testing.T) {
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) { suite.Hostile(t, newWazero(e.cfg)) })
	}
}
