package scenario

import (
	"cmp"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/loadtest"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

// TestMeasure measures GET /hello and GET /get through the host path (router,
// pool, stand-in guest, in-memory store) beside a native net/http handler
// doing the same work, and logs req/s, p50 and p99. The bar (guest
// path at least 60% of native req/s) is enforced only with DEMO_PERF_BAR=1,
// because shared CI cores make single runs noisy. Bounded: 1,000 requests
// per run, median of 5 alternating runs per side, loopback only.
func TestMeasure(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement skipped in -short mode")
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "demo.toml")
	os.WriteFile(cfgPath, []byte("[http]\nlisten = \"127.0.0.1:0\"\ninstances = 8\n\n[[keyvalue.container]]\nname = \"my-container\"\nbackend = \"memory\"\n"), 0o600)
	r := startRunner(t, cfgPath)
	expect(t, r, "PUT", "/set", []byte("spiderlightning"), 204, "")

	// The native baseline: same work, same store, plain net/http.
	mux := r.mux
	native := http.NewServeMux()
	native.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("hello")) })
	native.HandleFunc("GET /get", func(w http.ResponseWriter, req *http.Request) {
		c, err := mux.Open(req.Context(), config.DefaultContainer)
		if err == nil {
			var v []byte
			if v, err = c.Get(req.Context(), "key"); err == nil {
				w.Write(v)
				return
			}
		}
		if errors.Is(err, keyvalue.ErrKeyNotFound) {
			http.Error(w, "Key not found", 404)
			return
		}
		http.Error(w, err.Error(), 500)
	})
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
	nativeBase := "http://" + ln.Addr().String()

	ctx := context.Background()
	const rounds = 5
	for _, path := range []string{"/hello", "/get"} {
		// Alternate native and host runs and keep each side's median run,
		// so a burst of load from other processes hits both sides alike.
		var runs [2][]loadtest.Result
		for round := range rounds + 1 {
			for i, base := range []string{nativeBase, r.base} {
				opts := loadtest.Options{URL: base + path, Clients: 8, Requests: 1000}
				res, err := loadtest.Run(ctx, opts)
				if err != nil || res.Errors != 0 {
					t.Fatalf("GET %s: %v, %v (first error: %v)", path, res, err, res.FirstErr)
				}
				if round > 0 { // round 0 warms up
					runs[i] = append(runs[i], res)
				}
			}
		}
		var med [2]loadtest.Result
		for i := range runs {
			slices.SortFunc(runs[i], func(a, b loadtest.Result) int { return cmp.Compare(a.RPS, b.RPS) })
			med[i] = runs[i][rounds/2]
		}
		ratio := med[1].RPS / med[0].RPS
		var cpu [2]time.Duration
		for i := range runs {
			slices.SortFunc(runs[i], func(a, b loadtest.Result) int { return cmp.Compare(a.CPUPerReq, b.CPUPerReq) })
			cpu[i] = runs[i][rounds/2].CPUPerReq
		}
		t.Logf("GET %-6s native: %v (median of %d runs)", path, med[0], rounds)
		t.Logf("GET %-6s host:   %v (median of %d runs; %.0f%% of native req/s; median cpu/req %v vs %v, %.0f%% of native throughput by CPU)",
			path, med[1], rounds, 100*ratio, cpu[1].Round(100*time.Nanosecond), cpu[0].Round(100*time.Nanosecond), 100*float64(cpu[0])/float64(cpu[1]))
		if os.Getenv("DEMO_PERF_BAR") == "1" && ratio < 0.6 {
			t.Errorf("GET %s: host path at %.0f%% of native, bar is 60%%", path, 100*ratio)
		}
	}
}
