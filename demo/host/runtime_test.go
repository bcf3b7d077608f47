package host

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/guestbuild"
	"github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
	wz "github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wazero"
)

// countingRuntime is a runtime from Options.NewRuntime that records its
// Close.
type countingRuntime struct {
	*wz.Runtime
	closed *atomic.Int32
}

func (c countingRuntime) Close(ctx context.Context) error {
	c.closed.Add(1)
	return c.Runtime.Close(ctx)
}

func loopbackConfig() *config.Config {
	cfg := config.Default()
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.Containers = append(cfg.Containers, config.Container{Name: "scratch", Backend: config.Memory}) // for keyvalue-demo
	return cfg
}

// TestNewRuntime runs both kinds of guests on a runtime supplied through
// Options.NewRuntime (wazero's interpreter, built by the caller): the
// factory gets the guest output writer, is called once per Start and Run,
// and its runtime is closed when the runner stops.
func TestNewRuntime(t *testing.T) {
	wasm := guestbuild.Build(t, "http-server-demo")
	var made, closed atomic.Int32
	o := testOptions(&scenario.Output{})
	out := o.GuestOutput
	o.NewRuntime = func(ctx context.Context, guestOutput io.Writer) (runtimeadapters.Runtime, error) {
		if guestOutput != out {
			t.Errorf("factory got output %v, want Options.GuestOutput", guestOutput)
		}
		made.Add(1)
		rt, err := wz.NewRuntime(ctx, wz.Config{Interpreter: true, WASI: true})
		if err != nil {
			return nil, err
		}
		rt.SetModuleConfig(wazero.NewModuleConfig().WithStdout(guestOutput).WithStderr(guestOutput))
		return countingRuntime{rt, &closed}, nil
	}
	r, err := Start(context.Background(), nil, wasm, loopbackConfig(), o)
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + r.Addr().String()
	if st, b := get(t, base+"/hello"); st != 200 || b != "hello" {
		t.Fatalf("GET /hello = %d %q", st, b)
	}
	if st, _ := get(t, base+"/trap"); st != 500 {
		t.Fatalf("GET /trap = %d", st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.(*scenario.Output).String(), "the trap route traps on purpose") {
		t.Errorf("the guest's panic message did not reach the factory's output: %q", out.(*scenario.Output).String())
	}
	if err := Run(context.Background(), guestbuild.Build(t, "keyvalue-demo"), loopbackConfig(), o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.(*scenario.Output).String(), "keyvalue-demo: ok") {
		t.Errorf("keyvalue-demo's output did not reach the factory's output: %q", out.(*scenario.Output).String())
	}
	if made.Load() != 2 || closed.Load() != 2 {
		t.Fatalf("runtimes made %d, closed %d; want 2 and 2", made.Load(), closed.Load())
	}

	o.NewRuntime = func(context.Context, io.Writer) (runtimeadapters.Runtime, error) {
		return nil, errors.New("no engine here")
	}
	if _, err := Start(context.Background(), nil, wasm, loopbackConfig(), o); err == nil || !strings.Contains(err.Error(), "no engine here") {
		t.Fatalf("Start with a failing factory: %v", err)
	}
	o.NewRuntime = func(context.Context, io.Writer) (runtimeadapters.Runtime, error) { return nil, nil }
	if err := Run(context.Background(), wasm, nil, o); err == nil || !strings.Contains(err.Error(), "returned nil") {
		t.Fatalf("Run with a nil runtime: %v", err)
	}
}
