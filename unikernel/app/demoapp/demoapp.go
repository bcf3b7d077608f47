// Package demoapp is the App the unikernel image runs: the demo host
// (demo/host) serving an http-server-demo guest, on wazero's interpreter
// unless the image asks for the compiler.
//
// The guest is the file /app/guest.wasm in the image; any
// http-server-demo guest can be packed there (make unikernel GUEST=...)
// without rebuilding /init. The guest's init calls server.serve(address,
// router); the demo host serves that router on a listener given to it, so
// whatever address the guest names, its routes end up on /init's port 80.
//
// The key-value store is the demo's memory backend by default, or its
// filesystem backend on the virtio disk /init mounted (app.Config.KV.Dir).
// A slightfile packed at app.Config.ConfigFile (make unikernel
// UK_ADD=my.toml=/app/slightfile.toml) replaces the default configuration;
// its listen address is ignored, and Redis containers cannot work (the VM
// has no way out).
//
// System paths. /init's system endpoints (/poweroff, /debug/*) are served
// next to the guest's routes by the demo server itself:
// host.Options.WrapHandler wraps its handler with app.WithSystem, so there
// is one http.Server on the listener and no extra hop per request.
package demoapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
)

// App implements app.App with the demo host.
type App struct {
	mu     sync.Mutex
	stats  Stats
	runner *host.Runner
}

// New returns the demo App.
func New() *App { return &App{} }

// Stats is the App's part of GET /debug/stats.
type Stats struct {
	Guest      string  `json:"guest"`
	GuestBytes int     `json:"guest_bytes"`
	Engine     string  `json:"engine"`
	KV         string  `json:"kv"`
	Config     string  `json:"config"`
	Instances  int     `json:"instances"`
	ReadMS     float64 `json:"read_ms"`
	StartMS    float64 `json:"start_ms"` // compile + first instance + the guest's init
	Error      string  `json:"error,omitempty"`
	Pool       any     `json:"pool,omitempty"`
}

// Stats implements app.StatsProvider.
func (a *App) Stats() any {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.stats
	if a.runner != nil {
		st.Pool = a.runner.PoolStats()
	}
	return st
}

// Config builds the demo configuration for the image: the slightfile when
// one is packed, else config.Default(), with the key-value backend and the
// pool size /init asks for.
func Config(c app.Config) (*config.Config, string, error) {
	cfg, from := config.Default(), "default"
	if c.ConfigFile != "" {
		if _, err := os.Stat(c.ConfigFile); err == nil {
			if cfg, err = config.Load(c.ConfigFile); err != nil {
				return nil, "", err
			}
			from = c.ConfigFile
		}
	}
	switch c.KV.Backend {
	case "", "memory":
	case "fs":
		if c.KV.Dir == "" {
			return nil, "", errors.New("kv: the fs backend needs a directory")
		}
		if err := os.MkdirAll(c.KV.Dir, 0o755); err != nil {
			return nil, "", fmt.Errorf("kv: %w", err)
		}
		// Every container the guest may open lives on the disk.
		for i := range cfg.Containers {
			cfg.Containers[i].Backend = config.Filesystem
			cfg.Containers[i].Dir = c.KV.Dir
		}
	default:
		return nil, "", fmt.Errorf("kv: unknown backend %q", c.KV.Backend)
	}
	if c.Instances > 0 {
		cfg.HTTP.Instances = c.Instances
	}
	return cfg, from, nil
}

// Serve implements app.App.
func (a *App) Serve(ctx context.Context, ln net.Listener, c app.Config) error {
	logf := c.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	st := Stats{Guest: c.GuestPath, Engine: c.Engine, KV: c.KV.Backend}
	if st.Engine == "" {
		st.Engine = "interpreter"
	}
	fail := func(err error) error {
		a.mu.Lock()
		a.stats.Error = err.Error()
		a.mu.Unlock()
		ln.Close()
		return err
	}
	t0 := time.Now()
	wasm, err := os.ReadFile(c.GuestPath)
	if err != nil {
		return fail(err)
	}
	if c.DropGuestFile {
		// The initramfs is RAM: the compiled guest is all that is needed
		// from now on.
		os.Remove(c.GuestPath)
	}
	st.GuestBytes, st.ReadMS = len(wasm), ms(time.Since(t0))
	cfg, from, err := Config(c)
	if err != nil {
		return fail(err)
	}
	st.Config, st.Instances = from, cfg.HTTP.Instances
	a.mu.Lock()
	a.stats = st
	a.mu.Unlock()

	logger := slog.New(slog.NewTextHandler(logWriter{logf}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	t0 = time.Now()
	runner, err := host.Start(ctx, ln, wasm, cfg, &host.Options{
		Interpreter: st.Engine != "compiler",
		Logger:      logger,
		GuestOutput: os.Stderr, // the console: a guest's panic message lands there
		WrapHandler: func(h http.Handler) http.Handler { return app.WithSystem(h, c.System) },
	})
	if err != nil {
		return fail(err)
	}
	wasm = nil
	a.mu.Lock()
	a.runner = runner
	a.stats.StartMS = ms(time.Since(t0))
	a.mu.Unlock()
	logf("demo: guest %s (%d bytes, %s, %d instances, config %s, kv %s) started in %.0f ms",
		c.GuestPath, st.GuestBytes, st.Engine, cfg.HTTP.Instances, from, c.KV.Backend, a.stats.StartMS)

	var serveErr error
	select {
	case <-ctx.Done():
	case <-runner.Done():
		serveErr = errors.New("the guest stopped its server")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return errors.Join(serveErr, runner.Shutdown(sctx))
}

// logWriter sends slog's text lines to the console.
type logWriter struct{ logf func(string, ...any) }

func (w logWriter) Write(p []byte) (int, error) {
	s := string(p)
	if n := len(s); n > 0 && s[n-1] == '\n' {
		s = s[:n-1]
	}
	w.logf("demo: %s", s)
	return len(p), nil
}

var _ io.Writer = logWriter{}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
