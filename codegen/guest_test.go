package codegen_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/codegen"
	"github.com/wasmhost/wit-bindgen-go-host/parser"
)

// guestFromWIT generates guest bindings for a WIT source text.
func guestFromWIT(t *testing.T, src string) ([]codegen.File, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "w.wit")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r, main, err := parser.LoadPath(p, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := parser.SelectWorld(r, main, "")
	if err != nil {
		t.Fatal(err)
	}
	return codegen.GenerateGuest(r, w, codegen.Options{PackageName: "g"})
}

// TestGuestCoreNames checks the component model's core names in the
// //go:wasmimport and //go:wasmexport directives.
func TestGuestCoreNames(t *testing.T) {
	files, err := guestFromWIT(t, `package ns:pkg@1.0.0;
interface iface {
  resource res { constructor(); name: func() -> string; make: static func() -> res; }
  f: func(s: string) -> u32;
}
interface out {
  resource sess { constructor(); attach: func(x: u32); }
  start: func(s: string) -> string;
}
world w {
  import iface;
  import top: func();
  export out;
  export go: func() -> list<u8>;
}
`)
	if err != nil {
		t.Fatal(err)
	}
	src := string(files[0].Content)
	for _, want := range []string{
		"//go:wasmimport ns:pkg/iface@1.0.0 [constructor]res\n",
		"//go:wasmimport ns:pkg/iface@1.0.0 [method]res.name\n",
		"//go:wasmimport ns:pkg/iface@1.0.0 [static]res.make\n",
		"//go:wasmimport ns:pkg/iface@1.0.0 [resource-drop]res\n",
		"//go:wasmimport ns:pkg/iface@1.0.0 f\n",
		"//go:wasmimport $root top\n",
		"//go:wasmimport [export]ns:pkg/out@1.0.0 [resource-new]sess\n",
		"//go:wasmimport [export]ns:pkg/out@1.0.0 [resource-rep]sess\n",
		"//go:wasmimport [export]ns:pkg/out@1.0.0 [resource-drop]sess\n",
		"//go:wasmexport ns:pkg/out@1.0.0#start\n",
		"//go:wasmexport cabi_post_ns:pkg/out@1.0.0#start\n",
		"//go:wasmexport ns:pkg/out@1.0.0#[constructor]sess\n",
		"//go:wasmexport ns:pkg/out@1.0.0#[method]sess.attach\n",
		"//go:wasmexport ns:pkg/out@1.0.0#[dtor]sess\n",
		"//go:wasmexport go\n",
		"//go:wasmexport cabi_post_go\n",
		"//go:wasmexport cabi_realloc\n",
		"\n//go:build wasip1\n",
		"func (IfaceImports) F(s string) uint32",
		"func (self Res) Name() string",
		"type OutExports interface",
		"NewSess() Sess",
		"func SetExports(e Exports)",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("missing %q", want)
		}
	}
	if strings.Contains(src, "cabi_post_ns:pkg/out@1.0.0#[method]sess.attach") {
		t.Errorf("post-return for a function without results in memory")
	}
}

// TestGuestDiagnostics checks that unsupported input is refused with a
// *codegen.Diagnostic, never a panic.
func TestGuestDiagnostics(t *testing.T) {
	var d *codegen.Diagnostic
	if _, err := codegen.GenerateGuest(nil, nil, codegen.Options{}); !errors.As(err, &d) {
		t.Errorf("nil world: %v, want a Diagnostic", err)
	}
	for name, src := range map[string]string{
		"async":         "package a:b;\nworld w { export f: async func(); }\n",
		"stream":        "package a:b;\ninterface i { f: func(s: stream<u8>); }\nworld w { import i; }\n",
		"error-context": "package a:b;\ninterface i { f: func(e: error-context); }\nworld w { import i; }\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := guestFromWIT(t, src)
			if !errors.As(err, &d) {
				t.Fatalf("got %v, want a Diagnostic", err)
			}
			t.Logf("%v", d)
		})
	}
}
