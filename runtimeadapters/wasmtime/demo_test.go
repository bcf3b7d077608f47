package wasmtime

// The demo's acceptance scenario (demo/scenario, steps 1-10) against the
// real http-server-demo guest (demo/guests, built with GOOS=wasip1) served
// by demo/host through the unchanged generated bindings, on every engine of
// one table: wazero's compiler, wazero's interpreter and wasmtime, each
// given to demo/host through Options.NewRuntime. The main module's
// demo/internal/scenario runs the same steps on wazero (and steps 11-13,
// which need Redis and restarts).
//
//	go test -run TestDemo -v   # per-engine, per-backend results
//
// -short skips them (guestbuild does not build guests in -short mode).

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/guestbuild"
	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
	ra "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wazeroadapter "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// demoEngine is one row of the demo table: a host.Options.NewRuntime.
type demoEngine struct {
	name       string
	newRuntime func(ctx context.Context, guestOutput io.Writer) (ra.Runtime, error)
}

var demoEngines = []demoEngine{
	{"wazero-compiler", func(ctx context.Context, out io.Writer) (ra.Runtime, error) {
		return newWazeroDemo(ctx, out, false)
	}},
	{"wazero-interpreter", func(ctx context.Context, out io.Writer) (ra.Runtime, error) {
		return newWazeroDemo(ctx, out, true)
	}},
	{"wasmtime", newWasmtimeDemo},
}

func newWazeroDemo(ctx context.Context, out io.Writer, interp bool) (ra.Runtime, error) {
	rt, err := wazeroadapter.NewRuntime(ctx, wazeroadapter.Config{Interpreter: interp, WASI: true})
	if err != nil {
		return nil, err
	}
	rt.SetModuleConfig(wazero.NewModuleConfig().WithStdout(out).WithStderr(out))
	return rt, nil
}

// newWasmtimeDemo is a wasmtime runtime with WASI whose guests' stdout and
// stderr go to out.
func newWasmtimeDemo(_ context.Context, out io.Writer) (ra.Runtime, error) {
	return NewRuntime(Config{WASI: true, WASIStdout: out, WASIStderr: out})
}

// startDemo serves the http-server-demo guest with demo/host on engine e,
// with my-container on backend (memory or filesystem) and a pool of 8
// instances. tune, if not nil, changes the config.
func startDemo(t *testing.T, e demoEngine, backend string, tune func(*config.Config)) (*host.Runner, *scenario.Output) {
	t.Helper()
	wasm := guestbuild.Build(t, "http-server-demo")
	cfg := config.Default()
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.HTTP.Instances = 8
	if backend == config.Filesystem {
		cfg.Containers[0] = config.Container{Name: config.DefaultContainer, Backend: config.Filesystem,
			Dir: filepath.Join(t.TempDir(), "kv")}
	}
	if tune != nil {
		tune(cfg)
	}
	out := &scenario.Output{}
	begin := time.Now()
	r, err := host.Start(context.Background(), nil, wasm, cfg, &host.Options{
		NewRuntime:  e.newRuntime,
		GuestOutput: out,
		Logger:      slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatalf("host.Start on %s: %v\n%s", e.name, err, out)
	}
	t.Logf("%s: started (compile + init) in %v", e.name, time.Since(begin).Round(time.Millisecond))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if t.Failed() {
			t.Logf("guest and host output:\n%s", out)
		}
	})
	return r, out
}

// TestDemoScenario runs acceptance steps 1-10 (and step 12's refused keys)
// on every engine, on the memory and filesystem backends.
func TestDemoScenario(t *testing.T) {
	for _, e := range demoEngines {
		for _, backend := range []string{config.Memory, config.Filesystem} {
			t.Run(e.name+"/"+backend, func(t *testing.T) {
				r, out := startDemo(t, e, backend, nil)
				base := "http://" + r.Addr().String()
				scenario.Run(t, base, &scenario.Options{PoolStats: r.PoolStats, Stored: scenario.ReadStore(r.Store())})
				scenario.KeyErrors(t, base)
				t.Logf("pool %+v", r.PoolStats())
				// Step 9's panic message went through WASI to the host.
				if !strings.Contains(out.String(), "the trap route traps on purpose") {
					t.Errorf("the trapping guest's stderr did not reach GuestOutput")
				}
			})
		}
	}
}

// TestDemoHandlerTimeout checks [http] handler_timeout on every engine:
// GET /spin loops forever in the guest; the deadline interrupts it (504),
// the instance is discarded, and the next request is served.
func TestDemoHandlerTimeout(t *testing.T) {
	for _, e := range demoEngines {
		t.Run(e.name, func(t *testing.T) {
			r, _ := startDemo(t, e, config.Memory, func(c *config.Config) { c.HTTP.HandlerTimeout = 500 * time.Millisecond })
			c := &scenario.Client{T: t, Base: "http://" + r.Addr().String()}
			before := r.PoolStats()
			begin := time.Now()
			c.Expect("GET", "/spin", nil, 504, scenario.Any)
			if d := time.Since(begin); d > 5*time.Second {
				t.Errorf("GET /spin took %v with a 500 ms handler timeout", d)
			}
			c.Expect("GET", "/hello", nil, 200, "hello")
			if after := r.PoolStats(); after.Discarded <= before.Discarded {
				t.Errorf("the interrupted instance was not discarded: %+v, then %+v", before, after)
			}
		})
	}
}

// TestDemoKeyvalueGuests runs the keyvalue-demo and wasi-keyvalue-demo
// guests' run export (host.Run) on every engine, with both containers in
// memory; each guest checks every step itself and prints "<guest>: ok" to
// its stdout, which must reach GuestOutput.
func TestDemoKeyvalueGuests(t *testing.T) {
	for _, guest := range []string{"keyvalue-demo", "wasi-keyvalue-demo"} {
		wasm := guestbuild.Build(t, guest)
		for _, e := range demoEngines {
			t.Run(guest+"/"+e.name, func(t *testing.T) {
				cfg := config.Default()
				cfg.Containers = append(cfg.Containers, config.Container{Name: "scratch", Backend: config.Memory})
				out := &scenario.Output{}
				if err := host.Run(context.Background(), wasm, cfg, &host.Options{NewRuntime: e.newRuntime,
					GuestOutput: out, Logger: slog.New(slog.DiscardHandler)}); err != nil {
					t.Fatalf("%s on %s: %v\nguest output:\n%s", guest, e.name, err, out)
				}
				if !strings.Contains(out.String(), guest+": ok") {
					t.Fatalf("guest output %q, want %q", out, guest+": ok")
				}
			})
		}
	}
}
