// Package scenario is the demo's acceptance scenario as an HTTP client: the
// checks of steps 1-10 of the demo issue (demo/README.md, "Tests"), run
// against any server that implements the demo guest's contract at a base
// URL. It does not start anything: the caller serves the http-server-demo
// guest (demo/host on any engine, the unikernel under QEMU, a stand-in)
// and passes the address.
//
//	scenario.Run(t, "http://127.0.0.1:3000", nil)
//
// The steps share one store, so they run in order and expect an empty
// my-container key "key" at step 2:
//
//  1. GET /hello -> 200 "hello"
//  2. GET /get on an empty store -> 404 "Key not found"
//  3. PUT /set "spiderlightning" -> 204 with no body, within 2 s
//     (and the store holds it, when Options.Stored is set)
//  4. GET /get -> 200 "spiderlightning"
//  5. PUT /set with 64 KiB of binary (zero bytes included), GET /get
//     returns it unchanged; then "spiderlightning" is set again
//  6. POST /upload and DELETE /delete-file echo their bodies with 200
//  7. GET /person/yager -> 200 "hello: yager"
//  8. an unknown path -> 404 "Not Found", a known path with another
//     method -> 405 "Method Not Allowed"
//  9. GET /trap (the guest traps) -> 500 "Internal Server Error", then
//     GET /hello -> 200 again (and the pool discarded an instance, when
//     Options.PoolStats is set)
//  10. Options.Requests PUT /roundtrip/:id requests from Options.Clients
//     concurrent clients, each body unique: every answer is 200 with
//     exactly its own body (no cross-talk between pooled guest
//     instances), within Options.Timeout; GET /get still answers
//     "spiderlightning" afterwards
//
// KeyErrors holds the HTTP side of step 12 (refused keys and containers).
// Steps 11 (a restart) and 13 (Redis stopped) need control over the host
// and stay with the tests that start it (demo/internal/scenario).
package scenario

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/httpserver"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

// T reports results; testing.TB implements it. Fatalf must not return
// (testing's calls runtime.Goexit); Errorf may be called from several
// goroutines at once (during step 10).
type T interface {
	Helper()
	Logf(format string, args ...any)
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Options tunes Run. The zero value (or nil) runs steps 1-10 with 2,000
// requests from 32 clients.
type Options struct {
	// Steps lists the steps to run (each 1-10, run in ascending order).
	// Nil runs all ten. Later steps rely on the store state the earlier
	// ones leave, so a subset should be a prefix, possibly without 10.
	Steps []int
	// Requests and Clients size step 10 (defaults 2,000 and 32).
	Requests, Clients int
	// Timeout bounds step 10 (default 2 minutes).
	Timeout time.Duration
	// Client sends the requests (default: a client with a 30 s timeout
	// that keeps up to Clients idle connections).
	Client *http.Client
	// Stored, when set, reads key from the host's my-container directly;
	// step 3 then checks the value reached the backend. ReadStore makes
	// one from a keyvalue.Store (demo/host's Runner.Store).
	Stored func(ctx context.Context, key string) ([]byte, error)
	// PoolStats, when set, reads the host's instance pool counters; step 9
	// then checks the trapping instance was discarded, and step 10 that
	// the pool never held more live instances than its bound (Size).
	PoolStats func() httpserver.PoolStats
}

func (o *Options) withDefaults() Options {
	var out Options
	if o != nil {
		out = *o
	}
	if out.Steps == nil {
		out.Steps = []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	}
	if out.Requests <= 0 {
		out.Requests = 2000
	}
	if out.Clients <= 0 {
		out.Clients = 32
	}
	if out.Timeout <= 0 {
		out.Timeout = 2 * time.Minute
	}
	if out.Client == nil {
		out.Client = &http.Client{Timeout: 30 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: out.Clients}}
	}
	return out
}

// ReadStore returns an Options.Stored that reads my-container
// (config.DefaultContainer) of store.
func ReadStore(store keyvalue.Store) func(ctx context.Context, key string) ([]byte, error) {
	return func(ctx context.Context, key string) ([]byte, error) {
		c, err := store.Open(ctx, config.DefaultContainer)
		if err != nil {
			return nil, err
		}
		return c.Get(ctx, key)
	}
}

// Value is what step 3 stores and later steps expect under "key".
const Value = "spiderlightning"

// step is one row of the scenario table.
type step struct {
	n    int
	name string
	run  func(c *Client, o *Options)
}

// steps is the scenario table, in order.
var steps = []step{
	{1, "GET /hello", func(c *Client, _ *Options) {
		c.Expect("GET", "/hello", nil, 200, "hello")
	}},
	{2, "GET /get on an empty store", func(c *Client, _ *Options) {
		c.Expect("GET", "/get", nil, 404, "Key not found")
	}},
	{3, "PUT /set, promptly", func(c *Client, o *Options) {
		begin := time.Now()
		c.Expect("PUT", "/set", []byte(Value), 204, "")
		d := time.Since(begin)
		if d > 2*time.Second {
			c.T.Fatalf("step 3: PUT /set took %v, want at most 2 s", d)
		}
		c.T.Logf("step 3: PUT /set answered in %v", d.Round(100*time.Microsecond))
		if o.Stored != nil {
			if v, err := o.Stored(context.Background(), "key"); err != nil || string(v) != Value {
				c.T.Fatalf("step 3: the backend holds %q, %v; want %q", v, err, Value)
			}
		}
	}},
	{4, "GET /get", func(c *Client, _ *Options) {
		c.Expect("GET", "/get", nil, 200, Value)
	}},
	{5, "64 KiB binary round trip", func(c *Client, _ *Options) {
		bin := make([]byte, 64<<10)
		for i := range bin {
			bin[i] = byte(i % 253) // includes zero bytes
		}
		c.Expect("PUT", "/set", bin, 204, "")
		if got := c.Expect("GET", "/get", nil, 200, Any); !bytes.Equal(got, bin) {
			c.T.Fatalf("step 5: the 64 KiB binary value changed (got %d bytes)", len(got))
		}
		c.Expect("PUT", "/set", []byte(Value), 204, "")
	}},
	{6, "POST /upload and DELETE /delete-file echo", func(c *Client, _ *Options) {
		c.Expect("POST", "/upload", []byte("up"), 200, "up")
		c.Expect("DELETE", "/delete-file", []byte("del"), 200, "del")
	}},
	{7, "GET /person/yager", func(c *Client, _ *Options) {
		c.Expect("GET", "/person/yager", nil, 200, "hello: yager")
	}},
	{8, "unknown path and wrong method", func(c *Client, _ *Options) {
		c.Expect("GET", "/nope", nil, 404, "Not Found")
		c.Expect("POST", "/hello", nil, 405, "Method Not Allowed")
	}},
	{9, "a trapping handler", func(c *Client, o *Options) {
		var before httpserver.PoolStats
		if o.PoolStats != nil {
			before = o.PoolStats()
		}
		c.Expect("GET", "/trap", nil, 500, "Internal Server Error")
		c.Expect("GET", "/hello", nil, 200, "hello")
		if o.PoolStats != nil {
			if after := o.PoolStats(); after.Discarded <= before.Discarded {
				c.T.Errorf("step 9: the trapping instance was not discarded: pool %+v before, %+v after", before, after)
			}
		}
	}},
	{10, "concurrent round trips, no cross-talk", func(c *Client, o *Options) {
		begin := time.Now()
		Concurrent(c.T, c.Client, c.Base, o.Requests, o.Clients, o.Timeout)
		d := time.Since(begin)
		c.T.Logf("step 10: %d round trips from %d clients in %.1f s (%.0f req/s), no cross-talk",
			o.Requests, o.Clients, d.Seconds(), float64(o.Requests)/d.Seconds())
		if o.PoolStats != nil {
			if st := o.PoolStats(); st.Created-st.Discarded > uint64(st.Size) {
				c.T.Fatalf("step 10: the pool grew past its bound: %+v", st)
			}
		}
		c.Expect("GET", "/get", nil, 200, Value)
	}},
}

// StepNames returns the name of each step, indexed by step number (index 0
// is empty).
func StepNames() []string {
	names := make([]string, len(steps)+1)
	for _, s := range steps {
		names[s.n] = s.name
	}
	return names
}

// Run runs the steps of o (all ten by default) against the demo host at
// baseURL ("http://host:port"), reporting to t.
func Run(t T, baseURL string, o *Options) {
	t.Helper()
	opts := o.withDefaults()
	c := &Client{T: t, Base: strings.TrimSuffix(baseURL, "/"), Client: opts.Client}
	for _, s := range steps {
		if slices.Contains(opts.Steps, s.n) {
			s.run(c, &opts)
		}
	}
}

// KeyErrors is the HTTP side of step 12: keys that escape the container
// (as %2F inside a route parameter and as a request body), a 1 MiB key and
// a container that is not in the config must each come back as the
// keyvalue-error the guest answers with 400 (invalid-key, access-denied).
// Checking that nothing was written outside the container is the caller's
// part.
func KeyErrors(t T, baseURL string) {
	t.Helper()
	c := &Client{T: t, Base: strings.TrimSuffix(baseURL, "/")}
	for _, p := range []string{"/key/..%2F..%2Fetc%2Fpasswd", "/key/%2Fabs", "/key/a%2F..%2F..%2Fb"} {
		c.ExpectPrefix("GET", p, nil, 400, "invalid-key: ")
	}
	for _, k := range []string{"../../etc/passwd", "/abs", strings.Repeat("k", 1<<20)} {
		c.ExpectPrefix("PUT", "/key", []byte(k), 400, "invalid-key: ")
	}
	c.ExpectPrefix("GET", "/container/other", nil, 400, "access-denied: ")
}

// Concurrent sends total PUT /roundtrip/<i> requests to baseURL from
// clients goroutines through hc (nil: a default client); each stores its
// own body under its own key and must get exactly it back with 200, and
// all must be answered within timeout. Failures go to t (Errorf from the
// goroutines, then Fatalf).
func Concurrent(t T, hc *http.Client, baseURL string, total, clients int, timeout time.Duration) {
	t.Helper()
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	}
	var next, sent, failures atomic.Int32
	var once sync.Once
	var wg sync.WaitGroup
	deadline := time.Now().Add(timeout)
	for w := range clients {
		wg.Go(func() {
			for {
				if time.Now().After(deadline) {
					return
				}
				i := int(next.Add(1))
				if i > total {
					return
				}
				sent.Add(1)
				body := fmt.Appendf(nil, "client %d request %d %s", w, i, strings.Repeat("x", i%300))
				req, err := http.NewRequest("PUT", fmt.Sprintf("%s/roundtrip/%d", baseURL, i), bytes.NewReader(body))
				if err != nil {
					failures.Add(1)
					once.Do(func() { t.Errorf("request %d: %v", i, err) })
					continue
				}
				resp, err := hc.Do(req)
				if err != nil {
					failures.Add(1)
					once.Do(func() { t.Errorf("request %d: %v", i, err) })
					continue
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !bytes.Equal(got, body) {
					failures.Add(1)
					once.Do(func() { t.Errorf("request %d: %d %.60q, want 200 with its own body", i, resp.StatusCode, got) })
				}
			}
		})
	}
	wg.Wait()
	if n := int(sent.Load()); n < total {
		t.Fatalf("only %d of %d requests within %v", n, total, timeout)
	}
	if f := failures.Load(); f != 0 {
		t.Fatalf("%d of %d requests failed", f, total)
	}
}

// Any, as the wanted body of Client.Expect, accepts any body.
const Any = "\x00any"

// Client sends requests to Base and reports mismatches to T with Fatalf.
type Client struct {
	T    T
	Base string
	// Client sends the requests (nil: a client with a 30 s timeout).
	Client *http.Client
}

// Do sends a request with body (nil: none) and returns the status and the
// body; a transport error is fatal.
func (c *Client) Do(method, path string, body []byte) (int, []byte) {
	c.T.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	hc := c.Client
	if hc == nil {
		hc = defaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		c.T.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return resp.StatusCode, got
}

var defaultClient = &http.Client{Timeout: 30 * time.Second}

// Expect sends a request and checks the status and the body (want Any
// accepts any body). It returns the body.
func (c *Client) Expect(method, path string, body []byte, status int, want string) []byte {
	c.T.Helper()
	st, got := c.Do(method, path, body)
	if st != status || (want != Any && string(got) != want) {
		c.T.Fatalf("%s %s = %d %.200q, want %d %.200q", method, path, st, got, status, want)
	}
	return got
}

// ExpectPrefix is Expect for a body that must begin with prefix.
func (c *Client) ExpectPrefix(method, path string, body []byte, status int, prefix string) []byte {
	c.T.Helper()
	st, got := c.Do(method, path, body)
	if st != status || !bytes.HasPrefix(got, []byte(prefix)) {
		c.T.Fatalf("%s %s = %d %.200q, want %d %q...", method, path, st, got, status, prefix)
	}
	return got
}
