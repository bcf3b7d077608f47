package scenario

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRunFake runs the scenario against an in-process fake of the demo
// guest's contract, so the client itself is checked without wasm.
func TestRunFake(t *testing.T) {
	srv := httptest.NewServer(fakeDemo(""))
	defer srv.Close()
	Run(t, srv.URL, nil)
	KeyErrors(t, srv.URL)
}

// TestRunCatches checks that each step fails on a server that breaks its
// part of the contract (a scenario that accepts anything would pass).
func TestRunCatches(t *testing.T) {
	for _, fault := range []string{"hello", "empty-get", "set-body", "binary", "echo", "person", "404-body", "405", "trap", "cross-talk", "refused-key"} {
		t.Run(fault, func(t *testing.T) {
			srv := httptest.NewServer(fakeDemo(fault))
			defer srv.Close()
			r := record(func(rt T) {
				Run(rt, srv.URL, &Options{Requests: 200, Clients: 8})
				KeyErrors(rt, srv.URL)
			})
			if !r.failed {
				t.Fatalf("fault %q not detected", fault)
			}
			t.Logf("detected: %s", r.first)
		})
	}
}

// TestConcurrentBound checks that step 10 fails when the requests do not
// all complete within the timeout.
func TestConcurrentBound(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(20 * time.Millisecond)
		b, _ := io.ReadAll(r.Body)
		w.Write(b)
	}))
	defer srv.Close()
	r := record(func(rt T) { Concurrent(rt, nil, srv.URL, 1000, 4, 100*time.Millisecond) })
	if !r.failed || !strings.Contains(r.first, "within") {
		t.Fatalf("timeout not detected: %q", r.first)
	}
}

// recorder is a T that records failures; Fatalf ends the goroutine as
// testing's does.
type recorder struct {
	mu     sync.Mutex
	failed bool
	first  string
}

func (r *recorder) Helper()             {}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.failed {
		r.first = fmt.Sprintf(format, args...)
	}
	r.failed = true
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func record(f func(T)) *recorder {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

// fakeDemo serves the demo guest's contract (demo/README.md) natively,
// with the host's answers for unknown paths, wrong methods and traps. A
// non-empty fault breaks one part of it.
func fakeDemo(fault string) http.Handler {
	var mu sync.Mutex
	kv := map[string]string{}
	var last string
	n := 0
	known := map[string]string{"/hello": "GET", "/get": "GET", "/set": "PUT", "/upload": "POST",
		"/delete-file": "DELETE", "/trap": "GET", "/key": "PUT"}
	text := func(w http.ResponseWriter, status int, s string) {
		w.WriteHeader(status)
		io.WriteString(w, s)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p := r.URL.EscapedPath()
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasPrefix(p, "/person/") && r.Method == "GET":
			name := strings.TrimPrefix(p, "/person/")
			if fault == "person" {
				name = "nobody"
			}
			text(w, 200, "hello: "+name)
			return
		case strings.HasPrefix(p, "/roundtrip/") && r.Method == "PUT":
			kv["rt/"+p] = string(body)
			out := kv["rt/"+p]
			n++
			if fault == "cross-talk" && n%50 == 0 && last != "" {
				out = last
			}
			last = string(body)
			text(w, 200, out)
			return
		case strings.HasPrefix(p, "/key/") && r.Method == "GET":
			if fault == "refused-key" {
				text(w, 404, "Key not found")
				return
			}
			text(w, 400, "invalid-key: refused")
			return
		case strings.HasPrefix(p, "/container/") && r.Method == "GET":
			text(w, 400, "access-denied: not in the config")
			return
		}
		m, ok := known[p]
		if !ok {
			if fault == "404-body" {
				text(w, 404, "Not Found\n")
				return
			}
			text(w, 404, "Not Found")
			return
		}
		if m != r.Method {
			if fault == "405" {
				text(w, 404, "Not Found")
				return
			}
			text(w, 405, "Method Not Allowed")
			return
		}
		switch p {
		case "/hello":
			if fault == "hello" {
				text(w, 200, "hullo")
				return
			}
			text(w, 200, "hello")
		case "/get":
			v, ok := kv["key"]
			if !ok && fault != "empty-get" {
				text(w, 404, "Key not found")
				return
			}
			if fault == "binary" && len(v) > 1000 {
				v = v[:len(v)-1] + "?"
			}
			text(w, 200, v)
		case "/set":
			kv["key"] = string(body)
			if fault == "set-body" {
				text(w, 200, "ok")
				return
			}
			w.WriteHeader(204)
		case "/upload", "/delete-file":
			if fault == "echo" && p == "/delete-file" {
				text(w, 200, "")
				return
			}
			w.Write(body)
		case "/trap":
			if fault == "trap" {
				text(w, 200, "no trap")
				return
			}
			text(w, 500, "Internal Server Error")
		case "/key":
			text(w, 400, "invalid-key: refused")
		}
	})
}

func TestOutput(t *testing.T) {
	var o Output
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if n, err := o.Write([]byte("0123456789")); n != 10 || err != nil {
					t.Errorf("Write = %d, %v", n, err)
				}
			}
		})
	}
	wg.Wait()
	if got := len(o.String()); got != 8000 {
		t.Fatalf("kept %d bytes, want 8000", got)
	}
	big := make([]byte, OutputLimit)
	if n, err := o.Write(big); n != len(big) || err != nil {
		t.Fatalf("Write past the limit = %d, %v", n, err)
	}
	if got := len(o.String()); got != OutputLimit {
		t.Fatalf("kept %d bytes, want the limit %d", got, OutputLimit)
	}
}
