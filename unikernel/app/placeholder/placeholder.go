// Package placeholder is the stand-in App that the unikernel image runs
// until the demo host (HTTP server + key-value capabilities + generated
// bindings) is plugged in through the app.App interface.
//
// It proves the plumbing the demo host will rely on, and nothing more:
//
//   - GET /hello returns 200 "hello" (served natively, not by the guest);
//   - GET, PUT and DELETE /kv/{key} use the configured key-value backend
//     (in memory, or files under the mounted virtio disk);
//   - the guest file is compiled and instantiated with wazero before the
//     server starts accepting (interpreter unless the compiler was asked
//     for), with WASI preview 1 available and "_initialize" run when the
//     guest exports it (Go wasip1 reactors need that). Its imports and
//     exports, and the time each step took, appear under "app" in
//     GET /debug/stats. A guest whose imports cannot be satisfied (the demo
//     guest imports the key-value capability) is reported there, not fatal.
package placeholder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
)

// App is the placeholder implementation of app.App.
type App struct {
	mu    sync.Mutex
	stats GuestStats
}

// New returns the placeholder App.
func New() *App { return &App{} }

// GuestStats describes what happened to the guest.
type GuestStats struct {
	Path          string   `json:"path"`
	Size          int64    `json:"size"`
	Engine        string   `json:"engine"`
	Imports       []string `json:"imports"`
	Exports       []string `json:"exports"`
	Initialized   bool     `json:"initialized"` // _initialize ran
	CompileMS     float64  `json:"compile_ms"`
	InstantiateMS float64  `json:"instantiate_ms"`
	Error         string   `json:"error,omitempty"`
}

// Stats implements app.StatsProvider.
func (a *App) Stats() any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return map[string]any{"placeholder": true, "guest": a.stats}
}

// Serve implements app.App.
func (a *App) Serve(ctx context.Context, ln net.Listener, cfg app.Config) error {
	logf := cfg.Logf
	if logf == nil {
		logf = func(string, ...any) {}
	}
	rt, gs := loadGuest(ctx, cfg)
	if rt != nil {
		defer rt.Close(context.Background())
	}
	a.mu.Lock()
	a.stats = gs
	a.mu.Unlock()
	if gs.Error != "" {
		logf("placeholder: guest %s: %s", gs.Path, gs.Error)
	} else {
		logf("placeholder: guest %s (%d bytes, %s): compiled in %.0f ms, instantiated in %.0f ms, %d exports",
			gs.Path, gs.Size, gs.Engine, gs.CompileMS, gs.InstantiateMS, len(gs.Exports))
	}

	store, err := openStore(cfg.KV)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "hello")
	})
	mux.HandleFunc("GET /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		v, ok, err := store.get(r.PathValue("key"))
		switch {
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		case !ok:
			http.NotFound(w, r)
		default:
			w.Write(v)
		}
	})
	mux.HandleFunc("PUT /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		v, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err == nil {
			err = store.set(r.PathValue("key"), v)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("DELETE /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		if err := store.delete(r.PathValue("key")); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return app.ServeHTTP(ctx, ln, app.WithSystem(mux, cfg.System))
}

// loadGuest compiles and instantiates the guest. The returned runtime keeps
// the instance alive; it is nil when compilation failed.
func loadGuest(ctx context.Context, cfg app.Config) (wazero.Runtime, GuestStats) {
	gs := GuestStats{Path: cfg.GuestPath, Engine: cfg.Engine, Imports: []string{}, Exports: []string{}}
	if gs.Engine == "" {
		gs.Engine = "interpreter"
	}
	wasm, err := os.ReadFile(cfg.GuestPath)
	if err != nil {
		gs.Error = err.Error()
		return nil, gs
	}
	gs.Size = int64(len(wasm))
	rc := wazero.NewRuntimeConfigInterpreter()
	if gs.Engine == "compiler" {
		rc = wazero.NewRuntimeConfigCompiler()
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	t0 := time.Now()
	cm, err := rt.CompileModule(ctx, wasm)
	gs.CompileMS = ms(time.Since(t0))
	if err != nil {
		gs.Error = "compile: " + err.Error()
		rt.Close(ctx)
		return nil, gs
	}
	for _, f := range cm.ImportedFunctions() {
		mod, name, _ := f.Import()
		gs.Imports = append(gs.Imports, mod+"."+name)
	}
	for name := range cm.ExportedFunctions() {
		gs.Exports = append(gs.Exports, name)
	}
	sort.Strings(gs.Exports)
	mc := wazero.NewModuleConfig().WithName("guest").WithStdout(os.Stdout).WithStderr(os.Stderr).
		WithSysWalltime().WithSysNanotime().WithStartFunctions()
	if _, ok := cm.ExportedFunctions()["_initialize"]; ok {
		mc = mc.WithStartFunctions("_initialize")
		gs.Initialized = true
	}
	t0 = time.Now()
	_, err = rt.InstantiateModule(ctx, cm, mc)
	gs.InstantiateMS = ms(time.Since(t0))
	if err != nil {
		gs.Initialized = false
		gs.Error = "instantiate: " + err.Error()
	}
	return rt, gs
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// store is the placeholder's key-value backend. The demo host brings its
// own; this one only shows that the configured storage works.
type store interface {
	get(key string) ([]byte, bool, error)
	set(key string, v []byte) error
	delete(key string) error
}

func openStore(c app.KVConfig) (store, error) {
	switch c.Backend {
	case "", "memory":
		return &memStore{m: map[string][]byte{}}, nil
	case "fs":
		if c.Dir == "" {
			return nil, errors.New("kv: fs backend needs a directory")
		}
		if err := os.MkdirAll(c.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("kv: %w", err)
		}
		return fsStore(c.Dir), nil
	}
	return nil, fmt.Errorf("kv: unknown backend %q", c.Backend)
}

type memStore struct {
	mu sync.RWMutex
	m  map[string][]byte
}

func (s *memStore) get(k string) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.m[k]
	return v, ok, nil
}

func (s *memStore) set(k string, v []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
	return nil
}

func (s *memStore) delete(k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, k)
	return nil
}

// fsStore keeps one file per key, the name being the path-escaped key.
// Writes go to a temporary file that is fsynced and renamed.
type fsStore string

func (d fsStore) path(k string) string { return filepath.Join(string(d), url.PathEscape(k)) }

func (d fsStore) get(k string) ([]byte, bool, error) {
	v, err := os.ReadFile(d.path(k))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	return v, err == nil, err
}

func (d fsStore) set(k string, v []byte) error {
	f, err := os.CreateTemp(string(d), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = f.Write(v)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), d.path(k))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func (d fsStore) delete(k string) error {
	err := os.Remove(d.path(k))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
