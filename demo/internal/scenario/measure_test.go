package scenario

import (
	"cmp"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/loadtest"
)

// TestMeasure measures GET /hello and GET /get through the real wasm guest
// (demo/host: router, pool, generated bindings, the Go wasip1 guest under
// wazero's compiler, in-memory store; once with the default
// WithCloseOnContextDone and once with Options.IgnoreContextDone) and through the host path with the Go
// stand-in guest, beside a native net/http handler doing the same work,
// and logs req/s, p50, p99 and CPU per request. The bar (guest
// path at least 60% of native req/s) is enforced only with DEMO_PERF_BAR=1,
// because shared CI cores make single runs noisy. Bounded: 1,000 requests
// per run, median of 11 rounds (after a warm-up round of 4,000), the sides
// alternating within each round, loopback only.
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement skipped in -short mode")
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "demo.toml")
	os.WriteFile(cfgPath, []byte("[http]\nlisten = \"127.0.0.1:0\"\ninstances = 8\n\n[[keyvalue.container]]\nname = \"my-container\"\nbackend = \"memory\"\n"), 0o600)
	r := startRunner(t, cfgPath)
	expect(t, r, "PUT", "/set", []byte("spiderlightning"), 204, "")
	g := startWasm(t, cfgPath)
	expect(t, g, "PUT", "/set", []byte("spiderlightning"), 204, "")
	gi := startWasmWith(t, cfgPath, func(o *host.Options) { o.IgnoreContextDone = true })
	expect(t, gi, "PUT", "/set", []byte("spiderlightning"), 204, "")

	// The native baseline: same work, same store (the stand-in runner's),
	// plain net/http.
	native := loadtest.NativeDemoHandler(r.mux)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// The same protective timeouts as the host server, as a production
	// handler would have.
	hs := &http.Server{Handler: native, ReadHeaderTimeout: httpserver.DefaultReadHeaderTimeout,
		ReadTimeout: httpserver.DefaultReadTimeout, WriteTimeout: httpserver.DefaultWriteTimeout,
		IdleTimeout: httpserver.DefaultIdleTimeout}
	go hs.Serve(ln)
	defer hs.Close()

	sides := []struct{ name, base string }{
		{"native", "http://" + ln.Addr().String()},
		{"wasm guest", g.base},
		{"wasm no-ctx", gi.base},
		{"host+stand-in", r.base},
	}
	ctx := context.Background()
	const rounds = 11
	for _, path := range []string{"/hello", "/get"} {
		runs := make([][]loadtest.Result, len(sides))
		for round := range rounds + 1 {
			for i, side := range sides {
				opts := loadtest.Options{URL: side.base + path, Clients: 8, Requests: 1000}
				if round == 0 {
					// Warm up: every pooled guest instance is created and
					// its Go heap grows to its steady size.
					opts.Requests = 4000
				}
				res, err := loadtest.Run(ctx, opts)
				if err != nil || res.Errors != 0 {
					t.Fatalf("GET %s on %s: %v, %v (first error: %v)", path, side.name, res, err, res.FirstErr)
				}
				if round > 0 { // round 0 warms up
					runs[i] = append(runs[i], res)
				}
			}
		}
		med := make([]loadtest.Result, len(sides))
		cpu := make([]time.Duration, len(sides))
		for i := range runs {
			slices.SortFunc(runs[i], func(a, b loadtest.Result) int { return cmp.Compare(a.RPS, b.RPS) })
			med[i] = runs[i][rounds/2]
			slices.SortFunc(runs[i], func(a, b loadtest.Result) int { return cmp.Compare(a.CPUPerReq, b.CPUPerReq) })
			cpu[i] = runs[i][rounds/2].CPUPerReq
		}
		for i, side := range sides {
			t.Logf("GET %-6s %-13s %v (median of %d runs; %.0f%% of native req/s; median cpu/req %v, %.0f%% of native throughput by CPU)",
				path, side.name, med[i], rounds, 100*med[i].RPS/med[0].RPS,
				cpu[i].Round(100*time.Nanosecond), 100*float64(cpu[0])/float64(cpu[i]))
		}
		ratio := med[1].RPS / med[0].RPS
		if os.Getenv("DEMO_PERF_BAR") == "1" && ratio < 0.6 {
			t.Errorf("GET %s: wasm guest path at %.0f%% of native req/s, bar is 60%%", path, 100*ratio)
		}
	}
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		t.Logf("load average: %s", strings.TrimSpace(string(la)))
	}
	t.Logf("GOMAXPROCS=%d", runtime.GOMAXPROCS(0))
}
