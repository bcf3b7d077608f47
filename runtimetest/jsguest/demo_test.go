package jsguest

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	demohost "github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
)

// TestDemoScenarioJS serves the http-server-demo JS guest with demo/host
// (its init registers the routes and calls server.serve; every request
// calls its http-handler.handle through the generated bindings) and runs
// the demo's acceptance steps 1-9 (demo/scenario, the same steps the demo's
// own tests run) on the memory and filesystem backends, a few key-value
// error answers from step 12, and step 10 (2,000 concurrent round trips) on
// memory. Redis (step 13) and
// the restart (step 11) are left to the demo's own scenario test.
func TestDemoScenarioJS(t *testing.T) {
	slow(t)
	wasm := guestWasm(t, "http-server-demo")
	for _, backend := range []string{"memory", "filesystem"} {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			extra := ""
			if backend == "filesystem" {
				extra = "dir = \"kv\"\n"
			}
			cfgPath := filepath.Join(dir, "demo.toml")
			cfgText := fmt.Sprintf("[http]\nlisten = \"127.0.0.1:0\"\ninstances = 8\n\n[[keyvalue.container]]\nname = \"my-container\"\nbackend = %q\n%s", backend, extra)
			if err := os.WriteFile(cfgPath, []byte(cfgText), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			out := &scenario.Output{}
			begin := time.Now()
			r, err := demohost.Start(context.Background(), nil, wasm, cfg, &demohost.Options{
				CompilationCacheDir: cacheDir, GuestOutput: out,
				Logger: slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelDebug}))})
			if err != nil {
				t.Fatalf("host.Start: %v\n%s", err, out)
			}
			t.Logf("started (compile + init) in %v", time.Since(begin).Round(time.Millisecond))
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
			base := "http://" + r.Addr().String()

			// 1-9, and 10 on memory only (to keep the test short): 2,000
			// requests from 32 clients through the pool of 8 JS instances,
			// each storing its own body under its own key. Step 9 checks
			// the trapping instance was discarded; step 3 that the value
			// reached the backend.
			steps := []int{1, 2, 3, 4, 5, 6, 7, 8, 9}
			if backend == "memory" {
				steps = append(steps, 10)
			}
			begin = time.Now()
			scenario.Run(t, base, &scenario.Options{Steps: steps, PoolStats: r.PoolStats,
				Stored: scenario.ReadStore(r.Store())})
			t.Logf("steps %v in %v, pool %+v", steps, time.Since(begin).Round(time.Millisecond), r.PoolStats())

			// Beyond 1-10, cheap with this guest: a key-value error reaches
			// the guest as a keyvalue-error it can answer.
			c := &scenario.Client{T: t, Base: base}
			c.ExpectPrefix("GET", "/key/..%2F..%2Fetc%2Fpasswd", nil, 400, "invalid-key: ")
			c.ExpectPrefix("GET", "/container/other", nil, 400, "access-denied: ")
			c.Expect("PUT", "/roundtrip/7", []byte("rt seven"), 200, "rt seven")
		})
	}
}
