package vmtest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/scenario"
)

// Scenario runs the demo issue's acceptance steps 1-10 over HTTP against
// base (the VM's forwarded port): demo/scenario's steps, with step 10
// sending total round trips from clients concurrent clients within 5
// minutes (software emulation on a shared machine). See demo/scenario for
// the steps.
func Scenario(t testing.TB, base string, total, clients int) {
	t.Helper()
	scenario.Run(t, base, &scenario.Options{Requests: total, Clients: clients, Timeout: 5 * time.Minute})
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
