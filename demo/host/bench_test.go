package host

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/guestbuild"
	"github.com/wasmhost/wit-bindgen-go-host/demo/loadtest"
)

// BenchmarkServe measures GET /hello and GET /get end to end over loopback
// HTTP (8 concurrent clients, keep-alive, the load generator in this
// process) on four servers started side by side:
//
//   - native: a plain net/http handler doing the same work (writes "hello";
//     reads the key from the same in-memory store), with the host server's
//     timeouts;
//   - guest: the http-server-demo Go guest through demo/host (router, pool,
//     generated bindings, wazero's compiler, in-memory store), default
//     options, so handler deadlines can stop a runaway guest;
//   - guest-ignorectx: the same with Options.IgnoreContextDone;
//   - guest-interp: the same on wazero's interpreter.
//
// One op is one request. Besides ns/op it reports req/s, the p50 and p99
// latency in µs and the process CPU time per request (load generator
// included). Compare the sides with benchstat over -count runs, or read the
// interleaved ratio table of TestMeasure (demo/internal/scenario). The
// issue's bar is guest req/s at least 60% of native req/s.
//
//	go test ./demo/host -run '^$' -bench BenchmarkServe -benchtime 3000x -count 6
func BenchmarkServe(b *testing.B) {
	wasm := guestbuild.Build(b, "http-server-demo")
	dir := b.TempDir()
	cfgPath := filepath.Join(dir, "demo.toml")
	if err := os.WriteFile(cfgPath, []byte("[http]\nlisten = \"127.0.0.1:0\"\ninstances = 8\n\n"+
		"[[keyvalue.container]]\nname = \"my-container\"\nbackend = \"memory\"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	start := func(tune func(*Options)) string {
		o := testOptions(nil)
		if tune != nil {
			tune(o)
		}
		r, err := Start(ctx, nil, wasm, cfg, o)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() {
			sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			r.Shutdown(sctx)
		})
		base := "http://" + r.Addr().String()
		loadtest.PutDemoValue(b, base)
		return base
	}
	guest := start(nil)
	ignore := start(func(o *Options) { o.IgnoreContextDone = true })
	interp := start(func(o *Options) { o.Interpreter = true })
	native := startNative(b, cfg)
	loadtest.PutDemoValue(b, native)

	for _, path := range []string{"/hello", "/get"} {
		for _, side := range []struct{ name, base string }{
			{"native", native}, {"guest", guest}, {"guest-ignorectx", ignore}, {"guest-interp", interp},
		} {
			b.Run(path[1:]+"/"+side.name, func(b *testing.B) {
				want := map[string]string{"/hello": "hello", "/get": loadtest.DemoValue}[path]
				loadtest.Bench(b, ctx, loadtest.Options{URL: side.base + path, Clients: 8, Check: loadtest.ExpectBody(want)})
			})
		}
	}
}

// startNative serves the native baseline (loadtest.NativeDemoHandler) on
// the same store kind, with the same protective timeouts as the host's
// server.
func startNative(b *testing.B, cfg *config.Config) string {
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
