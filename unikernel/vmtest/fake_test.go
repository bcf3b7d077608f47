package vmtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestScenarioClient runs Scenario against an in-process fake of the demo
// guest's routes, so the client itself is checked without QEMU (and a
// client that accepts anything would fail TestScenarioClientCatches).
func TestScenarioClient(t *testing.T) {
	srv := httptest.NewServer(fakeDemo(false))
	defer srv.Close()
	Scenario(t, srv.URL, 2000, 32)
}

// TestScenarioClientCatches checks that the concurrency step detects
// cross-talk (the fake answers one request with another's body).
func TestScenarioClientCatches(t *testing.T) {
	srv := httptest.NewServer(fakeDemo(true))
	defer srv.Close()
	ft := &testing.T{}
	done := make(chan struct{})
	go func() { // concurrent calls t.Fatalf, which ends this goroutine
		defer close(done)
		concurrent(ft, srv.URL, 200, 8)
	}()
	<-done
	if !ft.Failed() {
		t.Fatal("cross-talk not detected")
	}
}

// fakeDemo is the demo guest's contract (demo/README.md) served natively.
// With crossTalk, every 50th round trip returns the previous body.
func fakeDemo(crossTalk bool) http.Handler {
	var mu sync.Mutex
	kv := map[string]string{}
	var last string
	n := 0
	known := map[string]string{"/hello": "GET", "/get": "GET", "/set": "PUT", "/upload": "POST", "/delete-file": "DELETE", "/trap": "GET"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		p := r.URL.Path
		mu.Lock()
		defer mu.Unlock()
		switch {
		case strings.HasPrefix(p, "/person/") && r.Method == "GET":
			io.WriteString(w, "hello: "+strings.TrimPrefix(p, "/person/"))
			return
		case strings.HasPrefix(p, "/roundtrip/") && r.Method == "PUT":
			kv["rt/"+p] = string(body)
			out := kv["rt/"+p]
			n++
			if crossTalk && n%50 == 0 && last != "" {
				out = last
			}
			last = string(body)
			io.WriteString(w, out)
			return
		}
		m, ok := known[p]
		if !ok {
			http.Error(w, "Not Found", 404)
			return
		}
		if m != r.Method {
			http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
			return
		}
		switch p {
		case "/hello":
			io.WriteString(w, "hello")
		case "/get":
			v, ok := kv["key"]
			if !ok {
				w.WriteHeader(404)
				io.WriteString(w, "Key not found")
				return
			}
			io.WriteString(w, v)
		case "/set":
			kv["key"] = string(body)
			w.WriteHeader(204)
		case "/upload", "/delete-file":
			w.Write(body)
		case "/trap":
			http.Error(w, "Internal Server Error", 500)
		}
	})
}
