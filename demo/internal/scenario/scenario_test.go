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

// scenario runs acceptance steps 1-13 on memory, filesystem and redis
// against the runners start makes.
func scenario(t *testing.T, startRunner starter) {
	backends := []string{"memory", "filesystem", "redis"}
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

			// 1-4
			expect(t, r, "GET", "/hello", nil, 200, "hello")
			expect(t, r, "GET", "/get", nil, 404, "Key not found")
			begin := time.Now()
			expect(t, r, "PUT", "/set", []byte("spiderlightning"), 204, "")
			if d := time.Since(begin); d > 2*time.Second {
				t.Fatalf("PUT /set took %v", d)
			}
			c, _ := r.mux.Open(context.Background(), "my-container")
			if v, err := c.Get(context.Background(), "key"); err != nil || string(v) != "spiderlightning" {
				t.Fatalf("backend holds %q, %v", v, err)
			}
			expect(t, r, "GET", "/get", nil, 200, "spiderlightning")
			// 5
			bin := make([]byte, 64<<10)
			for i := range bin {
				bin[i] = byte(i % 253)
			}
			expect(t, r, "PUT", "/set", bin, 204, "")
			if got := expect(t, r, "GET", "/get", nil, 200, "*"); !bytes.Equal(got, bin) {
				t.Fatal("64 KiB binary value changed")
			}
			expect(t, r, "PUT", "/set", []byte("spiderlightning"), 204, "")
			// 6-8
			expect(t, r, "POST", "/upload", []byte("up"), 200, "up")
			expect(t, r, "DELETE", "/delete-file", []byte("del"), 200, "del")
			expect(t, r, "GET", "/person/yager", nil, 200, "hello: yager")
			expect(t, r, "GET", "/nope", nil, 404, "Not Found")
			expect(t, r, "POST", "/hello", nil, 405, "Method Not Allowed")
			// 9
			expect(t, r, "GET", "/trap", nil, 500, "Internal Server Error")
			expect(t, r, "GET", "/hello", nil, 200, "hello")
			// 10
			concurrent(t, r, 2000, 32)
			// 12
			for _, p := range []string{"/key/..%2F..%2Fetc%2Fpasswd", "/key/%2Fabs", "/key/a%2F..%2F..%2Fb"} {
				if st, b := call(t, "GET", r.base+p, nil); st != 400 || !strings.HasPrefix(string(b), "invalid-key: ") {
					t.Fatalf("GET %s = %d %.80q", p, st, b)
				}
			}
			for _, k := range []string{"../../etc/passwd", "/abs", strings.Repeat("k", 1<<20)} {
				if st, b := call(t, "PUT", r.base+"/key", []byte(k)); st != 400 || !strings.HasPrefix(string(b), "invalid-key: ") {
					t.Fatalf("PUT /key %.20q = %d %.80q", k, st, b)
				}
			}
			if st, b := call(t, "GET", r.base+"/container/other", nil); st != 400 || !strings.HasPrefix(string(b), "access-denied: ") {
				t.Fatalf("container not in config = %d %.80q", st, b)
			}
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

// concurrent sends total requests from clients concurrent clients; each
// stores its own body under its own key and must get exactly it back.
func concurrent(t *testing.T, r *runner, total, clients int) {
	t.Helper()
	var next, failures atomic.Int32
	var once sync.Once
	var wg sync.WaitGroup
	deadline := time.Now().Add(90 * time.Second)
	for w := range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > total || time.Now().After(deadline) {
					return
				}
				body := fmt.Appendf(nil, "client %d request %d %s", w, i, strings.Repeat("x", i%300))
				req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/roundtrip/%d", r.base, i), bytes.NewReader(body))
				resp, err := client.Do(req)
				if err != nil {
					failures.Add(1)
					once.Do(func() { t.Errorf("request %d: %v", i, err) })
					continue
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !bytes.Equal(got, body) {
					failures.Add(1)
					once.Do(func() { t.Errorf("request %d: %d %.60q", i, resp.StatusCode, got) })
				}
			}
		})
	}
	wg.Wait()
	if n := int(next.Load()) - 1; n < total {
		t.Fatalf("only %d of %d requests within the time bound", n, total)
	}
	if f := failures.Load(); f != 0 {
		t.Fatalf("%d of %d requests failed", f, total)
	}
	if st := r.stats(); st.Created-st.Discarded > 8 {
		t.Fatalf("pool grew past its bound: %+v", st)
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
