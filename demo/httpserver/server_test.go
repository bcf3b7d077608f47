package httpserver

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

var quiet = slog.New(slog.DiscardHandler)

// fakeGuest stands in for one guest instance: it serves the demo's handlers
// against a key-value container and detects being used by two requests at
// once.
type fakeGuest struct {
	id      int
	busy    atomic.Bool
	trapped bool
	kv      keyvalue.Container
	scratch []byte // per-instance memory, like a guest's linear memory
}

var errTrap = errors.New("wasm error: unreachable")

func (g *fakeGuest) handle(ctx context.Context, handler string, req *Request) (*Response, error) {
	if !g.busy.CompareAndSwap(false, true) {
		return nil, errors.New("instance entered by two requests")
	}
	defer g.busy.Store(false)
	if g.trapped {
		return nil, errors.New("instance used after it trapped")
	}
	text := func(status uint16, s string) *Response { return &Response{Status: status, Body: []byte(s)} }
	switch handler {
	case "hello":
		return text(200, "hello"), nil
	case "get":
		v, err := g.kv.Get(ctx, "key")
		if errors.Is(err, keyvalue.ErrKeyNotFound) {
			return text(404, "Key not found"), nil
		}
		if err != nil {
			return nil, &HandlerError{Kind: UnexpectedError, Message: keyvalue.Classify(err).String() + ": " + err.Error()}
		}
		return &Response{Status: 200, Body: v}, nil
	case "set":
		if err := g.kv.Set(ctx, "key", req.Body); err != nil {
			return nil, &HandlerError{Kind: UnexpectedError, Message: err.Error()}
		}
		return &Response{Status: 204}, nil
	case "upload", "delete-file":
		return &Response{Status: 200, Headers: []Header{{"x-handler", handler}}, Body: req.Body}, nil
	case "person":
		return text(200, "hello: "+req.Params[0].Value), nil
	case "trap":
		g.trapped = true
		return nil, errTrap
	case "echo":
		// Copy the request through per-instance memory, yielding in between,
		// so two requests sharing an instance would corrupt each other.
		g.scratch = append(g.scratch[:0], req.Params[0].Value...)
		g.scratch = append(g.scratch, ':')
		time.Sleep(200 * time.Microsecond) // hold the instance, so the pool fills up
		for _, b := range req.Body {
			g.scratch = append(g.scratch, b)
			if b%16 == 0 {
				time.Sleep(0)
			}
		}
		return &Response{Status: 200, Body: bytes.Clone(g.scratch)}, nil
	case "wait":
		<-ctx.Done()
		return nil, ctx.Err()
	case "sleep":
		time.Sleep(400 * time.Millisecond)
		return text(200, "slept"), nil
	}
	return nil, &HandlerError{Kind: StatusError, Status: 501}
}

// newDemo builds the demo's routes over a fake guest pool.
func newDemo(t *testing.T, cfg Config, poolSize int) (*Server, *Pool[*fakeGuest], keyvalue.Container) {
	t.Helper()
	store := keyvalue.NewMemory(keyvalue.Limits{})
	kv, err := store.Open(context.Background(), "my-container")
	if err != nil {
		t.Fatal(err)
	}
	r, _ := NewRouter("")
	for _, rt := range []Route{
		{"GET", "/hello", "hello"}, {"GET", "/get", "get"}, {"PUT", "/set", "set"},
		{"POST", "/upload", "upload"}, {"DELETE", "/delete-file", "delete-file"},
		{"GET", "/person/:name", "person"}, {"GET", "/trap", "trap"}, {"PUT", "/echo/:id", "echo"},
		{"GET", "/wait", "wait"}, {"GET", "/sleep", "sleep"},
	} {
		if err := r.Handle(rt.Method, rt.Pattern, rt.Handler); err != nil {
			t.Fatal(err)
		}
	}
	var ids atomic.Int32
	pool := NewPool(poolSize, func(context.Context) (*fakeGuest, error) {
		return &fakeGuest{id: int(ids.Add(1)), kv: kv}, nil
	}, nil)
	h := &PoolHandler[*fakeGuest]{Pool: pool, Call: func(ctx context.Context, g *fakeGuest, name string, req *Request) (*Response, error) {
		return g.handle(ctx, name, req)
	}}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	cfg.Logger = quiet
	return New(cfg, r, h), pool, kv
}

func start(t *testing.T, s *Server) string {
	t.Helper()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
	})
	return "http://" + s.Addr().String()
}

func do(t *testing.T, c *http.Client, method, url string, body []byte) (int, []byte, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

// TestScenario runs steps 1-9 of the demo's acceptance scenario against
// fake guests over real loopback HTTP.
func TestScenario(t *testing.T) {
	s, pool, kv := newDemo(t, Config{}, 4)
	base := start(t, s)
	c := &http.Client{Timeout: 5 * time.Second}
	check := func(method, path string, body []byte, wantStatus int, wantBody string) []byte {
		t.Helper()
		st, b, _ := do(t, c, method, base+path, body)
		if st != wantStatus || (wantBody != "*" && string(b) != wantBody) {
			t.Fatalf("%s %s = %d %.60q, want %d %q", method, path, st, b, wantStatus, wantBody)
		}
		return b
	}
	check("GET", "/hello", nil, 200, "hello")
	check("GET", "/get", nil, 404, "Key not found")
	begin := time.Now()
	check("PUT", "/set", []byte("spiderlightning"), 204, "")
	if d := time.Since(begin); d > time.Second {
		t.Fatalf("PUT /set took %v", d)
	}
	if v, _ := kv.Get(context.Background(), "key"); string(v) != "spiderlightning" {
		t.Fatalf("backend holds %q", v)
	}
	check("GET", "/get", nil, 200, "spiderlightning")
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(i * 7 % 251) // includes zeros
	}
	check("PUT", "/set", bin, 204, "")
	if got := check("GET", "/get", nil, 200, "*"); !bytes.Equal(got, bin) {
		t.Fatal("64 KiB binary value changed")
	}
	check("POST", "/upload", []byte("file body"), 200, "file body")
	check("DELETE", "/delete-file", []byte("gone"), 200, "gone")
	check("GET", "/person/yager", nil, 200, "hello: yager")
	check("GET", "/unknown", nil, 404, "Not Found")
	_, _, h := do(t, c, "POST", base+"/hello", nil)
	if st, _, _ := do(t, c, "POST", base+"/hello", nil); st != 405 || h.Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST /hello = %d Allow %q", st, h.Get("Allow"))
	}
	before := pool.Stats()
	check("GET", "/trap", nil, 500, "Internal Server Error")
	check("GET", "/hello", nil, 200, "hello")
	if after := pool.Stats(); after.Discarded != before.Discarded+1 {
		t.Fatalf("trapped instance not discarded: %+v", after)
	}
	for range 10 { // every instance in the pool still works
		check("GET", "/hello", nil, 200, "hello")
	}
}

func TestStatusMapping(t *testing.T) {
	cases := []struct {
		err        error
		resp       *Response
		wantStatus int
		wantBody   string
	}{
		{&HandlerError{Kind: StatusError, Status: 404}, nil, 404, "Not Found"},
		{&HandlerError{Kind: StatusError, Status: 418}, nil, 418, "I'm a teapot"},
		{&HandlerError{Kind: StatusError, Status: 200}, nil, 500, "Internal Server Error"},
		{&HandlerError{Kind: InvalidURL, Message: "bad url"}, nil, 400, "bad url"},
		{&HandlerError{Kind: TimeoutError, Message: "slow"}, nil, 504, "slow"},
		{&HandlerError{Kind: ProtocolError, Message: "proto"}, nil, 502, "proto"},
		{&HandlerError{Kind: UnexpectedError, Message: "connection-error: redis down"}, nil, 500, "connection-error: redis down"},
		{fmt.Errorf("call: %w", &HandlerError{Kind: UnexpectedError}), nil, 500, "Internal Server Error"},
		{errTrap, nil, 500, "Internal Server Error"},
		{ErrHandlerTimeout, nil, 504, "handler timed out"},
		{fmt.Errorf("%w: %w", ErrOverloaded, context.DeadlineExceeded), nil, 503, "Service Unavailable"},
		{nil, nil, 500, "Internal Server Error"},
		{nil, &Response{Status: 99}, 500, "handler returned invalid status 99"},
		{nil, &Response{Status: 0, Body: []byte("x")}, 200, "x"},
		{nil, &Response{Status: 204, Body: []byte("dropped")}, 204, ""},
		{nil, &Response{Status: 101}, 500, "handler returned invalid status 101"},
		{nil, &Response{Status: 201, Body: []byte("abc"), Headers: []Header{{"x-a", "1"}, {"bad\r\nname", "x"}, {"x-b", "a\r\nSet-Cookie: x"},
			{"Content-Length", "10"}, {"transfer-encoding", "chunked"}, {"Connection", "close"}}}, 201, "abc"},
	}
	for i, tc := range cases {
		r, _ := NewRouter("")
		r.Get("/", "h")
		s := New(Config{Logger: quiet}, r, HandlerFunc(func(context.Context, string, *Request) (*Response, error) {
			return tc.resp, tc.err
		}))
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
			t.Errorf("case %d (%v): %d %q, want %d %q", i, tc.err, rec.Code, rec.Body.String(), tc.wantStatus, tc.wantBody)
		}
		if i == len(cases)-1 {
			h := rec.Header()
			if h.Get("X-A") != "1" || h.Get("X-B") != "" || len(h.Values("Set-Cookie")) != 0 ||
				h.Get("Content-Length") != "3" || h.Get("Transfer-Encoding") != "" || h.Get("Connection") != "" {
				t.Errorf("header filtering: %v", h)
			}
		}
	}
}

func TestRequestShape(t *testing.T) {
	r, _ := NewRouter("")
	r.Post("/p/:id", "h")
	var got *Request
	s := New(Config{Logger: quiet}, r, HandlerFunc(func(_ context.Context, name string, req *Request) (*Response, error) {
		got = req
		return &Response{Status: 200}, nil
	}))
	req := httptest.NewRequest("POST", "/p/42?b=2&a=1&a=0", strings.NewReader("body"))
	req.Header.Set("X-Custom", "v")
	s.ServeHTTP(httptest.NewRecorder(), req)
	want := []Param{{"id", "42"}, {"a", "1"}, {"a", "0"}, {"b", "2"}}
	if fmt.Sprint(got.Params) != fmt.Sprint(want) || got.URI != "/p/42?b=2&a=1&a=0" || string(got.Body) != "body" || got.Method != "POST" {
		t.Fatalf("request %+v", got)
	}
	if fmt.Sprint(got.Headers) != "[{host example.com} {x-custom v}]" {
		t.Fatalf("headers %v", got.Headers)
	}
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/p/1", nil))
	if got.Body != nil || got.Params[0].Value != "1" || len(got.Params) != 1 {
		t.Fatalf("no body should be nil: %+v", got)
	}
}

func TestBodyLimit(t *testing.T) {
	s, _, _ := newDemo(t, Config{MaxBodyBytes: 1024}, 2)
	base := start(t, s)
	c := &http.Client{Timeout: 5 * time.Second}
	if st, b, _ := do(t, c, "POST", base+"/upload", make([]byte, 1024)); st != 200 || len(b) != 1024 {
		t.Fatalf("body at the limit: %d %d", st, len(b))
	}
	if st, _, _ := do(t, c, "POST", base+"/upload", make([]byte, 1025)); st != 413 {
		t.Fatalf("Content-Length over the limit: %d", st)
	}
	// Chunked, no Content-Length: the limit applies while reading.
	req, _ := http.NewRequest("POST", base+"/upload", io.MultiReader(bytes.NewReader(make([]byte, 4096))))
	req.ContentLength = -1
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("chunked over the limit: %d", resp.StatusCode)
	}
}

func TestHandlerTimeout(t *testing.T) {
	s, pool, _ := newDemo(t, Config{HandlerTimeout: 100 * time.Millisecond}, 1)
	base := start(t, s)
	c := &http.Client{Timeout: 5 * time.Second}
	begin := time.Now()
	st, b, _ := do(t, c, "GET", base+"/wait", nil)
	if st != 504 || string(b) != "handler timed out" || time.Since(begin) > 2*time.Second {
		t.Fatalf("GET /wait = %d %q after %v", st, b, time.Since(begin))
	}
	if pool.Stats().Discarded != 1 {
		t.Fatal("timed-out instance not discarded (a guest interrupted mid-call is unusable)")
	}
	if st, _, _ := do(t, c, "GET", base+"/hello", nil); st != 200 {
		t.Fatalf("after timeout: %d", st)
	}
}

func TestReadTimeout(t *testing.T) {
	s, _, _ := newDemo(t, Config{ReadTimeout: 200 * time.Millisecond, ReadHeaderTimeout: 200 * time.Millisecond}, 1)
	start(t, s)
	for name, payload := range map[string]string{
		"slow headers": "PUT /set HTTP/1.1\r\nHost: x\r\n",
		"slow body":    "PUT /set HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
	} {
		conn, err := net.Dial("tcp", s.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(conn, payload)
		conn.SetReadDeadline(time.Now().Add(3 * time.Second))
		begin := time.Now()
		reply, _ := io.ReadAll(conn) // returns when the server closes the connection
		conn.Close()
		if d := time.Since(begin); d > 2*time.Second {
			t.Fatalf("%s: connection held for %v", name, d)
		}
		if strings.Contains(string(reply), " 204 ") {
			t.Fatalf("%s: incomplete request was handled: %q", name, reply)
		}
	}
}

func TestWriteTimeout(t *testing.T) {
	s, _, _ := newDemo(t, Config{WriteTimeout: 150 * time.Millisecond, HandlerTimeout: -1}, 1)
	base := start(t, s)
	c := &http.Client{Timeout: 5 * time.Second}
	req, _ := http.NewRequest("GET", base+"/sleep", nil)
	resp, err := c.Do(req)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("response written after the write timeout: %d %q", resp.StatusCode, b)
	}
}

func TestGracefulShutdown(t *testing.T) {
	s, _, _ := newDemo(t, Config{HandlerTimeout: -1}, 2)
	base := start(t, s)
	c := &http.Client{Timeout: 5 * time.Second}
	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := c.Get(base + "/sleep")
		if err != nil {
			res <- result{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{status: resp.StatusCode, body: string(b)}
	}()
	// A connection that never sends a request must not delay the shutdown.
	spare, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	time.Sleep(100 * time.Millisecond) // the request is inside the handler
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	begin := time.Now()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d > 2*time.Second {
		t.Fatalf("Shutdown took %v", d)
	}
	r := <-res
	if r.err != nil || r.status != 200 || r.body != "slept" {
		t.Fatalf("in-flight request during shutdown: %+v", r)
	}
	select {
	case <-s.Done():
	default:
		t.Fatal("Done not closed after Shutdown")
	}
	if conn, err := net.DialTimeout("tcp", s.Addr().String(), time.Second); err == nil {
		conn.Close()
		t.Fatal("still accepting connections after Shutdown")
	}
}

// TestConcurrentNoCrossTalk sends 2,000 requests from 32 concurrent clients
// through a pool of 8 fake instances; every response must carry its own
// request's data and no instance may serve two requests at once.
func TestConcurrentNoCrossTalk(t *testing.T) {
	const clients, total, poolSize = 32, 2000, 8
	s, pool, _ := newDemo(t, Config{}, poolSize)
	base := start(t, s)
	tr := &http.Transport{MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	c := &http.Client{Timeout: 10 * time.Second, Transport: tr}
	var next atomic.Int32
	var failures atomic.Int32
	var firstErr sync.Once
	var wg sync.WaitGroup
	deadline := time.Now().Add(60 * time.Second)
	for w := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 9))
			for {
				i := int(next.Add(1))
				if i > total || time.Now().After(deadline) {
					return
				}
				body := make([]byte, 1+rng.IntN(2048))
				for j := range body {
					body[j] = byte(rng.UintN(256))
				}
				id := fmt.Sprintf("req%d", i)
				req, _ := http.NewRequest("PUT", base+"/echo/"+id, bytes.NewReader(body))
				resp, err := c.Do(req)
				if err != nil {
					failures.Add(1)
					firstErr.Do(func() { t.Errorf("request %d: %v", i, err) })
					continue
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := append([]byte(id+":"), body...)
				if resp.StatusCode != 200 || !bytes.Equal(got, want) {
					failures.Add(1)
					firstErr.Do(func() { t.Errorf("request %d: status %d, body %.40q (cross-talk?)", i, resp.StatusCode, got) })
				}
			}
		})
	}
	wg.Wait()
	if n := next.Load(); n <= total {
		t.Fatalf("only %d of %d requests sent before the time bound", n-1, total)
	}
	if f := failures.Load(); f != 0 {
		t.Fatalf("%d of %d requests failed", f, total)
	}
	st := pool.Stats()
	if st.Created > poolSize || st.Discarded != 0 || st.InUse != 0 {
		t.Fatalf("pool stats %+v", st)
	}
	t.Logf("%d requests, %d clients, %d instances created", total, clients, st.Created)
}

// TestHeadRequest checks HEAD falls back to GET without a body.
func TestHeadRequest(t *testing.T) {
	s, _, _ := newDemo(t, Config{}, 1)
	base := start(t, s)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "HEAD"})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD /hello: %v %v", resp, err)
	}
}
