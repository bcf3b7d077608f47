package wasmtime

// BenchmarkDemoServe: the main module's demo/host BenchmarkServe with the
// guest on this adapter, beside a native net/http handler and the guest on
// wazero's compiler, in one run.
//
//	go test -run '^$' -bench BenchmarkDemoServe -benchtime 3000x -count 3

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/guestbuild"
	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/loadtest"
	"github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
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
		out := &scenario.Output{}
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
		loadtest.PutDemoValue(b, s.base)
	}

	for _, path := range []string{"/hello", "/get"} {
		want := map[string]string{"/hello": "hello", "/get": loadtest.DemoValue}[path]
		for _, side := range sides {
			b.Run(path[1:]+"/"+side.name, func(b *testing.B) {
				// Warm up: every pooled instance exists and its heap has
				// grown before timing starts.
				loadtest.Bench(b, ctx, loadtest.Options{URL: side.base + path, Clients: 8, Check: loadtest.ExpectBody(want)})
			})
		}
	}
}

// startNativeDemo serves the native baseline (loadtest.NativeDemoHandler)
// on a store opened from cfg, with the host server's protective timeouts.
func startNativeDemo(b *testing.B, cfg *config.Config) string {
	mux, err := cfg.OpenStore(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	h := loadtest.NativeDemoHandler(mux)
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
