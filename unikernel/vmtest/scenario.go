package vmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Scenario runs the demo issue's acceptance steps 1-10 over HTTP against
// base (the VM's forwarded port), the same steps and expectations as
// demo/internal/scenario, which is internal and not importable here:
//
//  1. GET /hello -> 200 "hello"
//  2. GET /get on an empty store -> 404 "Key not found"
//  3. PUT /set "spiderlightning" -> 204, no body, promptly
//  4. GET /get -> 200 "spiderlightning"
//  5. PUT /set with 64 KiB of binary (zero bytes included), GET /get identical
//  6. POST /upload and DELETE /delete-file echo their bodies with 200
//  7. GET /person/yager -> 200 "hello: yager"
//  8. an unknown path -> 404, a known path with another method -> 405
//  9. GET /trap (the guest traps) -> 500, then GET /hello -> 200 again
//  10. total PUT /roundtrip/:id requests from clients concurrent clients,
//     each body unique; every answer must be 200 with exactly its own body
//     (no cross-talk between pooled guest instances), within a time bound.
func Scenario(t testing.TB, base string, total, clients int) {
	c := &Client{T: t, Base: base}
	// 1-4
	c.Do("GET", "/hello", "", 200, "hello")
	c.Do("GET", "/get", "", 404, "Key not found")
	begin := time.Now()
	if got := c.Do("PUT", "/set", "spiderlightning", 204, ""); got != "" {
		t.Fatalf("PUT /set: 204 with body %q", got)
	}
	t.Logf("step 3: PUT /set answered in %v", time.Since(begin).Round(time.Millisecond))
	if d := time.Since(begin); d > 2*time.Second {
		t.Fatalf("PUT /set took %v", d)
	}
	c.Do("GET", "/get", "", 200, "spiderlightning")
	// 5
	bin := make([]byte, 64<<10)
	for i := range bin {
		bin[i] = byte(i % 253) // includes zero bytes
	}
	c.Do("PUT", "/set", string(bin), 204, "")
	if got := c.Do("GET", "/get", "", 200, ""); got != string(bin) {
		t.Fatalf("step 5: 64 KiB binary value changed (got %d bytes)", len(got))
	}
	c.Do("PUT", "/set", "spiderlightning", 204, "")
	// 6-8
	c.Do("POST", "/upload", "up", 200, "up")
	c.Do("DELETE", "/delete-file", "del", 200, "del")
	c.Do("GET", "/person/yager", "", 200, "hello: yager")
	c.Do("GET", "/nope", "", 404, "")
	c.Do("POST", "/hello", "", 405, "")
	// 9
	c.Do("GET", "/trap", "", 500, "")
	c.Do("GET", "/hello", "", 200, "hello")
	// 10
	begin = time.Now()
	concurrent(t, c.Base, total, clients)
	d := time.Since(begin)
	t.Logf("step 10: %d round trips from %d clients in %.1f s (%.0f req/s), no cross-talk", total, clients, d.Seconds(), float64(total)/d.Seconds())
	c.Do("GET", "/get", "", 200, "spiderlightning")
}

// SystemChecks checks /init's side over the system endpoints: PID 1, the
// virtio modules loaded in dependency order, GET-only /poweroff refused.
// It returns /debug/stats.
func SystemChecks(t testing.TB, base string) Stats {
	c := &Client{T: t, Base: base}
	var st Stats
	if err := json.Unmarshal([]byte(c.Do("GET", "/debug/stats", "", 200, "")), &st); err != nil {
		t.Fatalf("/debug/stats: %v", err)
	}
	if !st.PID1 {
		t.Error("/init is not PID 1")
	}
	if i, j := slices.Index(st.Modules, "virtio_ring"), slices.Index(st.Modules, "virtio_net"); i < 0 || j < i {
		t.Errorf("modules loaded: %v", st.Modules)
	}
	c.Do("GET", "/poweroff", "", 405, "") // power-off is POST only
	return st
}

// Stats is the part of /init's GET /debug/stats the tests read.
type Stats struct {
	PID1       bool            `json:"pid1"`
	Modules    []string        `json:"modules"`
	RSSKB      int64           `json:"rss_kb"`
	RSSPeakKB  int64           `json:"rss_peak_kb"`
	MemAvailKB int64           `json:"mem_available_kb"`
	Timeline   json.RawMessage `json:"timeline"`
	App        json.RawMessage `json:"app"`
}

// concurrent sends total requests from clients goroutines; each stores its
// own body under its own key and must get exactly it back.
func concurrent(t testing.TB, base string, total, clients int) {
	t.Helper()
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	defer hc.CloseIdleConnections()
	var next, failures atomic.Int32
	var once sync.Once
	var wg sync.WaitGroup
	deadline := time.Now().Add(5 * time.Minute) // TCG on a shared machine
	for w := range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > total || time.Now().After(deadline) {
					return
				}
				body := fmt.Appendf(nil, "client %d request %d %s", w, i, strings.Repeat("x", i%300))
				req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/roundtrip/%d", base, i), bytes.NewReader(body))
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
}

// Client sends requests to base and fails T on a mismatch.
type Client struct {
	T    testing.TB
	Base string
}

// do sends a request and checks the status and, when want is not empty,
// the body. It returns the body.
func (c *Client) Do(method, path, body string, status int, want string) string {
	c.T.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.Base+path, rd)
	if err != nil {
		c.T.Fatal(err)
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.T.Fatalf("%s %s: status %d, want %d; body %.200q", method, path, resp.StatusCode, status, got)
	}
	if want != "" && string(got) != want {
		c.T.Fatalf("%s %s: body %.200q, want %q", method, path, got, want)
	}
	return string(got)
}
