package wasmtime

// BenchmarkDemoServe: the main module's demo/host BenchmarkServe with the
// guest on this adapter, beside a native net/http handler and the guest on
// wazero's compiler, in one run.
//
//	go test -run '^$' -bench BenchmarkDemoServe -benchtime 3000x -count 3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/guestbuild"
	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

// BenchmarkDemoServe measures GET /hello and GET /get end to end over
// loopback HTTP (8 concurrent clients, keep-alive, the load generator in
// this process) on three servers started side by side, all with the
// default config (in-memory my-container, 8 pooled instances):
//
//   - native: a plain net/http handler doing the same work (writes "hello";
//     reads the key from an in-memory store opened from the same config),
//     with the host server's timeouts;
//   - wazero-compiler: the http-server-demo Go guest through demo/host on
//     wazero's compiler, default options;
//   - wasmtime: the same guest through demo/host on this adapter.
//
// One op is one request. Besides ns/op it reports req/s, the p50 and p99
// latency in µs and the process CPU time per request (load generator
// included). -short skips it (no guest build).
func BenchmarkDemoServe(b *testing.B) {
	if testing.Short() {
		b.Skip("builds the http-server-demo guest")
	}
	wasm := guestbuild.Build(b, "http-server-demo")
	cfg := config.Default()
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.HTTP.Instances = 8
	ctx := context.Background()

	sides := []struct{ name, base string }{{"native", startNativeDemo(b, cfg)}}
	for _, e := range demoEngines {
		if e.name == "wazero-interpreter" {
			continue
		}
		out := &demoOutput{}
		r, err := host.Start(ctx, nil, wasm, cfg, &host.Options{NewRuntime: e.newRuntime,
			GuestOutput: out, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatalf("host.Start on %s: %v\n%s", e.name, err, out)
		}
		b.Cleanup(func() {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			r.Shutdown(sctx)
		})
		sides = append(sides, struct{ name, base string }{e.name, "http://" + r.Addr().String()})
	}
	for _, s := range sides {
		putValue(b, s.base)
	}

	for _, path := range []string{"/hello", "/get"} {
		want := map[string]string{"/hello": "hello", "/get": "spiderlightning"}[path]
		for _, side := range sides {
			b.Run(path[1:]+"/"+side.name, func(b *testing.B) {
				// Warm up: every pooled instance exists and its heap has
				// grown before timing starts.
				if res := benchLoad(ctx, side.base+path, want, 8, 2000); res.err != nil {
					b.Fatal(res.err)
				}
				b.ResetTimer()
				res := benchLoad(ctx, side.base+path, want, 8, min(b.N, 100_000))
				b.StopTimer()
				if res.err != nil {
					b.Fatal(res.err)
				}
				b.ReportMetric(res.rps, "req/s")
				b.ReportMetric(float64(res.p50.Nanoseconds())/1e3, "p50-µs")
				b.ReportMetric(float64(res.p99.Nanoseconds())/1e3, "p99-µs")
				b.ReportMetric(float64(res.cpuPerReq.Nanoseconds())/1e3, "cpu-µs/req")
			})
		}
	}
}

// putValue stores the value /get reads, through the server at base.
func putValue(b *testing.B, base string) {
	b.Helper()
	req, _ := http.NewRequest(http.MethodPut, base+"/set", strings.NewReader("spiderlightning"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		b.Fatalf("PUT %s/set: %s", base, resp.Status)
	}
}

// startNativeDemo serves the native baseline: net/http, a store opened from
// cfg, the host server's protective timeouts, and a PUT /set so putValue
// works on it too.
func startNativeDemo(b *testing.B, cfg *config.Config) string {
	mux, err := cfg.OpenStore(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	h := http.NewServeMux()
	h.HandleFunc("GET /hello", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("hello")) })
	h.HandleFunc("GET /get", func(w http.ResponseWriter, req *http.Request) {
		c, err := mux.Open(req.Context(), config.DefaultContainer)
		if err == nil {
			var v []byte
			if v, err = c.Get(req.Context(), "key"); err == nil {
				w.Write(v)
				return
			}
		}
		if errors.Is(err, keyvalue.ErrKeyNotFound) {
			http.Error(w, "Key not found", http.StatusNotFound)
			return
		}
		http.Error(w, err.Error(), http.StatusInternalServerError)
	})
	h.HandleFunc("PUT /set", func(w http.ResponseWriter, req *http.Request) {
		c, err := mux.Open(req.Context(), config.DefaultContainer)
		if err == nil {
			var v []byte
			if v, err = io.ReadAll(io.LimitReader(req.Body, 1<<20)); err == nil {
				err = c.Set(req.Context(), "key", v)
			}
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: httpserver.DefaultReadHeaderTimeout,
		ReadTimeout: httpserver.DefaultReadTimeout, WriteTimeout: httpserver.DefaultWriteTimeout,
		IdleTimeout: httpserver.DefaultIdleTimeout}
	go hs.Serve(ln)
	b.Cleanup(func() { hs.Close(); mux.Close() })
	return "http://" + ln.Addr().String()
}

// loadResult is one benchLoad run.
type loadResult struct {
	rps       float64
	p50, p99  time.Duration
	cpuPerReq time.Duration // process user+system CPU per request
	err       error         // the first failed request, or a bound reached
}

// benchLoad is a small bounded load generator (a trimmed copy of the main
// module's demo/internal/loadtest, which this module cannot import): n GET
// requests (at most 100,000) to a loopback URL from clients keep-alive
// clients, each response checked for status 200 and body want, within 60 s.
func benchLoad(ctx context.Context, target, want string, clients, n int) loadResult {
	if n <= 0 || n > 100_000 {
		return loadResult{err: fmt.Errorf("benchLoad: %d requests, want 1 to 100,000", n)}
	}
	u, err := url.Parse(target)
	if err != nil {
		return loadResult{err: err}
	}
	if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
		return loadResult{err: fmt.Errorf("benchLoad: %s is not a loopback address", u.Host)}
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}

	lat := make([]time.Duration, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	cpu0 := processCPU()
	begin := time.Now()
	for range clients {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) || ctx.Err() != nil {
					return
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					var body []byte
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
					if err == nil && (resp.StatusCode != http.StatusOK || string(body) != want) {
						err = fmt.Errorf("GET %s: %d %q, want 200 %q", target, resp.StatusCode, body, want)
					}
				}
				lat[i] = time.Since(t0)
				if err != nil {
					once.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(begin)
	cpu := processCPU() - cpu0
	done := min(int(next.Load()), n)
	if firstErr != nil {
		return loadResult{err: firstErr}
	}
	if done < n {
		return loadResult{err: fmt.Errorf("benchLoad: time bound reached after %d of %d requests", done, n)}
	}
	slices.Sort(lat)
	return loadResult{rps: float64(n) / elapsed.Seconds(), p50: lat[n*50/100], p99: lat[min(n*99/100, n-1)],
		cpuPerReq: cpu / time.Duration(n)}
}

// processCPU returns the process's user+system CPU time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
