package scenario

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/redistest"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
	demoscenario "github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
)

func TestMain(m *testing.M) {
	keyvalue.SetRedisLog(nil)
	os.Exit(m.Run())
}

// routes are the demo guest's routes (what its init registers).
var routes = []httpserver.Route{
	{Method: "GET", Pattern: "/hello", Handler: "hello"},
	{Method: "GET", Pattern: "/get", Handler: "get"},
	{Method: "PUT", Pattern: "/set", Handler: "set"},
	{Method: "POST", Pattern: "/upload", Handler: "upload"},
	{Method: "DELETE", Pattern: "/delete-file", Handler: "delete-file"},
	{Method: "GET", Pattern: "/person/:name", Handler: "person"},
	{Method: "GET", Pattern: "/trap", Handler: "trap"},
	{Method: "PUT", Pattern: "/roundtrip/:id", Handler: "roundtrip"},
	{Method: "GET", Pattern: "/key/:key", Handler: "get-key"},
	{Method: "PUT", Pattern: "/key", Handler: "set-body-key"},
	{Method: "GET", Pattern: "/container/:name", Handler: "open"},
}

var errTrap = errors.New("wasm error: unreachable")

// guest is the Go stand-in for the demo guest: what its handle export does
// for each handler name, using only the host's key-value capability.
type guest struct {
	store keyvalue.Store // what store.open reaches
	busy  atomic.Bool
}

// kvFail turns a keyvalue error into the guest's answer: a 404 for a
// missing key, 400 for refused input, otherwise unexpected-error carrying
// the keyvalue-error case and message (so 5xx).
func kvFail(err error) (*httpserver.Response, error) {
	code := keyvalue.Classify(err)
	msg := code.String() + ": " + err.Error()
	switch code {
	case keyvalue.CodeKeyNotFound:
		return &httpserver.Response{Status: 404, Body: []byte("Key not found")}, nil
	case keyvalue.CodeInvalidKey, keyvalue.CodeInvalidValue, keyvalue.CodeAccessDenied:
		return &httpserver.Response{Status: 400, Body: []byte(msg)}, nil
	}
	return nil, &httpserver.HandlerError{Kind: httpserver.UnexpectedError, Message: msg}
}

func (g *guest) handle(ctx context.Context, name string, req *httpserver.Request) (*httpserver.Response, error) {
	if !g.busy.CompareAndSwap(false, true) {
		return nil, errors.New("instance shared by two requests")
	}
	defer g.busy.Store(false)
	ok := func(body []byte) *httpserver.Response { return &httpserver.Response{Status: 200, Body: body} }
	switch name {
	case "hello":
		return ok([]byte("hello")), nil
	case "upload", "delete-file":
		return ok(req.Body), nil
	case "person":
		return ok([]byte("hello: " + req.Params[0].Value)), nil
	case "trap":
		return nil, errTrap
	case "open":
		if _, err := g.store.Open(ctx, req.Params[0].Value); err != nil {
			return kvFail(err)
		}
		return ok(nil), nil
	}
	c, err := g.store.Open(ctx, config.DefaultContainer)
	if err != nil {
		return kvFail(err)
	}
	switch name {
	case "get", "get-key":
		key := "key"
		if name == "get-key" {
			key = req.Params[0].Value
		}
		v, err := c.Get(ctx, key)
		if err != nil {
			return kvFail(err)
		}
		return ok(v), nil
	case "set":
		if err := c.Set(ctx, "key", req.Body); err != nil {
			return kvFail(err)
		}
		return &httpserver.Response{Status: 204}, nil
	case "set-body-key":
		if err := c.Set(ctx, string(req.Body), []byte("x")); err != nil {
			return kvFail(err)
		}
		return &httpserver.Response{Status: 204}, nil
	case "roundtrip":
		key := "rt/" + req.Params[0].Value
		if err := c.Set(ctx, key, req.Body); err != nil {
			return kvFail(err)
		}
		v, err := c.Get(ctx, key)
		if err != nil {
			return kvFail(err)
		}
		return ok(v), nil
	}
	return nil, &httpserver.HandlerError{Kind: httpserver.StatusError, Status: 501}
}

// runner is a running demo host as the scenario sees it: the stand-in
// below (router, pool and server around the Go stand-in guest) or the real
// wasm guest through demo/host (wasm_test.go).
type runner struct {
	mux    *keyvalue.Mux
	base   string
	stats  func() httpserver.PoolStats
	stopFn func()
	once   sync.Once
}

// starter starts a runner on the config file at cfgPath.
type starter func(t *testing.T, cfgPath string) *runner

// startRunner starts the Go stand-in for the guest behind the host's
// router, pool and server.
func startRunner(t *testing.T, cfgPath string) *runner {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	mux, err := cfg.OpenStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	router, _ := httpserver.NewRouter("")
	for _, rt := range routes {
		if err := router.Handle(rt.Method, rt.Pattern, rt.Handler); err != nil {
			t.Fatal(err)
		}
	}
	pool := httpserver.NewPool(cfg.HTTP.Instances, func(context.Context) (*guest, error) {
		return &guest{store: mux}, nil
	}, nil)
	sc := cfg.ServerConfig()
	sc.Logger = slog.New(slog.DiscardHandler)
	srv := httpserver.New(sc, router, &httpserver.PoolHandler[*guest]{Pool: pool,
		Call: func(ctx context.Context, g *guest, name string, req *httpserver.Request) (*httpserver.Response, error) {
			return g.handle(ctx, name, req)
		}})
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	r := &runner{mux: mux, base: "http://" + srv.Addr().String(), stats: pool.Stats,
		stopFn: func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			srv.Shutdown(ctx)
			pool.Close()
			mux.Close()
		}}
	t.Cleanup(r.stop)
	return r
}

func (r *runner) stop() { r.once.Do(r.stopFn) }

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}

func call(t *testing.T, method, url string, body []byte) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func expect(t *testing.T, r *runner, method, path string, body []byte, status int, want string) []byte {
	t.Helper()
	st, b := call(t, method, r.base+path, body)
	if st != status || (want != "*" && string(b) != want) {
		t.Fatalf("%s %s = %d %.80q, want %d %q", method, path, st, b, status, want)
	}
	return b
}

// TestScenario runs acceptance steps 1-13 on every backend with the Go
// stand-in guest.
func TestScenario(t *testing.T) { scenario(t, startRunner) }

// allBackends are the key-value backends scenario runs on by default.
var allBackends = []string{"memory", "filesystem", "redis"}

// scenario runs acceptance steps 1-13 on backends (default: memory,
// filesystem and redis) against the runners startRunner makes. Steps 1-10
// and 12's requests are demo/scenario's; 11 (restart), 12's confinement
// check and 13 (Redis stopped) need the runner and live here.
func scenario(t *testing.T, startRunner starter, backends ...string) {
	if backends == nil {
		backends = allBackends
	}
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) {
			dir := t.TempDir()
			var srv *redistest.Server
			extra := ""
			switch backend {
			case "filesystem":
				extra = "dir = \"kv\"\n"
			case "redis":
				srv = redistest.Start(t)
				extra = fmt.Sprintf("address = %q\n", srv.Addr)
			}
			cfgPath := filepath.Join(dir, "demo.toml")
			cfgText := fmt.Sprintf("[http]\nlisten = \"127.0.0.1:0\"\ninstances = 8\n\n[[keyvalue.container]]\nname = \"my-container\"\nbackend = %q\n%s", backend, extra)
			if err := os.WriteFile(cfgPath, []byte(cfgText), 0o600); err != nil {
				t.Fatal(err)
			}
			r := startRunner(t, cfgPath)

			// 1-10: the public scenario (demo/scenario), with the checks
			// only an in-process host allows: the value in the backend
			// (step 3), the discarded instance (9), the pool bound (10).
			demoscenario.Run(t, r.base, &demoscenario.Options{
				Client:    client,
				PoolStats: r.stats,
				Stored:    demoscenario.ReadStore(r.mux),
			})
			// 12
			demoscenario.KeyErrors(t, r.base)
			if backend == "filesystem" {
				checkConfined(t, dir)
			}
			// 13
			if backend == "redis" {
				srv.Stop()
				st, b := call(t, "GET", r.base+"/get", nil)
				if st < 500 || !strings.HasPrefix(string(b), "connection-error: ") {
					t.Fatalf("GET /get with Redis down = %d %.80q", st, b)
				}
				expect(t, r, "GET", "/hello", nil, 200, "hello")
				srv.Restart() // empty again: no persistence
				recovered := false
				for range 100 {
					if st, _ := call(t, "PUT", r.base+"/set", []byte("again")); st == 204 {
						recovered = true
						break
					}
					time.Sleep(50 * time.Millisecond)
				}
				if !recovered {
					t.Fatal("no recovery after Redis came back")
				}
				expect(t, r, "GET", "/get", nil, 200, "again")
				expect(t, r, "PUT", "/set", []byte("spiderlightning"), 204, "")
			}
			// 11: restart the runner on the same config.
			r.stop()
			r2 := startRunner(t, cfgPath)
			if backend == "memory" {
				expect(t, r2, "GET", "/get", nil, 404, "Key not found") // memory does not persist
			} else {
				expect(t, r2, "GET", "/get", nil, 200, "spiderlightning")
			}
		})
	}
}

// checkConfined checks every file under dir is the config or inside the
// container directory kv/my-container.
func checkConfined(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel != "demo.toml" && !strings.HasPrefix(rel, filepath.Join("kv", "my-container")+string(filepath.Separator)) {
			t.Errorf("file outside the container: %s", rel)
		}
		return nil
	})
}
