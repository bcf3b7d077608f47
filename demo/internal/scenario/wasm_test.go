package scenario

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/guestbuild"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/redistest"
	demoscenario "github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
)

func wasmOptions(out io.Writer) *host.Options {
	return &host.Options{CompilationCacheDir: filepath.Join(guestbuild.CacheDir(), "wazero"),
		Logger: slog.New(slog.DiscardHandler), GuestOutput: out}
}

// startWasm starts the real http-server-demo guest (demo/guests, built with
// GOOS=wasip1) through demo/host and the generated bindings. Step 11
// restarts it in-process: a new Runner on the same config.
func startWasm(t *testing.T, cfgPath string) *runner {
	t.Helper()
	return startWasmWith(t, cfgPath, nil)
}

// startWasmWith is startWasm with host options changed by tune.
func startWasmWith(t *testing.T, cfgPath string, tune func(*host.Options)) *runner {
	t.Helper()
	wasm := guestbuild.Build(t, "http-server-demo")
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	out := &demoscenario.Output{}
	opts := wasmOptions(out)
	if tune != nil {
		tune(opts)
	}
	hr, err := host.Start(context.Background(), nil, wasm, cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{mux: hr.Store(), base: "http://" + hr.Addr().String(), stats: hr.PoolStats,
		stopFn: func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := hr.Shutdown(ctx); err != nil {
				t.Errorf("shutdown: %v", err)
			}
		}}
	t.Cleanup(func() {
		r.stop()
		if t.Failed() {
			t.Logf("guest output:\n%s", out)
		}
	})
	return r
}

// wasmEngines are the engines TestScenarioWasm runs the real guest on, each
// with the backends it covers. The wasmtime adapter (a nested cgo module)
// runs the same demo/scenario steps in
// runtimeadapters/wasmtime/demo_test.go.
var wasmEngines = []struct {
	name     string
	tune     func(*host.Options)
	backends []string
}{
	{"wazero-compiler", nil, allBackends},
	// The interpreter runs the same steps on one backend: the backends
	// are independent of the engine, and the interpreted guest is slower.
	{"wazero-interpreter", func(o *host.Options) { o.Interpreter = true }, []string{"memory"}},
}

// TestScenarioWasm runs acceptance steps 1-13 against the real wasm guest:
// on memory, filesystem and redis with wazero's compiler, and on memory
// with wazero's interpreter.
func TestScenarioWasm(t *testing.T) {
	for _, e := range wasmEngines {
		t.Run(e.name, func(t *testing.T) {
			scenario(t, func(t *testing.T, cfgPath string) *runner { return startWasmWith(t, cfgPath, e.tune) }, e.backends...)
		})
	}
}

// TestKeyvalueGuests runs the keyvalue-demo and wasi-keyvalue-demo guests'
// run export on every backend; each guest verifies every step itself.
func TestKeyvalueGuests(t *testing.T) {
	for _, guest := range []string{"keyvalue-demo", "wasi-keyvalue-demo"} {
		wasm := guestbuild.Build(t, guest)
		for _, backend := range []string{"memory", "filesystem", "redis"} {
			t.Run(guest+"/"+backend, func(t *testing.T) {
				dir := t.TempDir()
				extra := ""
				switch backend {
				case "filesystem":
					extra = "dir = \"kv\"\n"
				case "redis":
					extra = "address = \"" + redistest.Start(t).Addr + "\"\n"
				}
				var text strings.Builder
				for _, name := range []string{"my-container", "scratch"} {
					text.WriteString("[[keyvalue.container]]\nname = \"" + name + "\"\nbackend = \"" + backend + "\"\n" + extra + "\n")
				}
				cfgPath := filepath.Join(dir, "kv.toml")
				if err := os.WriteFile(cfgPath, []byte(text.String()), 0o600); err != nil {
					t.Fatal(err)
				}
				cfg, err := config.Load(cfgPath)
				if err != nil {
					t.Fatal(err)
				}
				out := &demoscenario.Output{}
				if err := host.Run(context.Background(), wasm, cfg, wasmOptions(out)); err != nil {
					t.Fatalf("%s on %s: %v\nguest output:\n%s", guest, backend, err, out.String())
				}
				if !strings.Contains(out.String(), guest+": ok") {
					t.Fatalf("guest output %q", out.String())
				}
			})
		}
	}
}
