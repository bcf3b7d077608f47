package vmtest

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// Scenario is the acceptance scenario run against a booted VM. It targets
// the placeholder App (unikernel/app/placeholder); when the demo host is
// plugged in, replace the App-specific part with the demo's scenario and
// keep the system checks.
func Scenario(t *testing.T, c *client) {
	// App: native route and key-value API.
	c.do("GET", "/hello", "", 200, "hello")
	c.do("GET", "/kv/greeting", "", 404, "")
	c.do("PUT", "/kv/greeting", "hi from the host", 204, "")
	c.do("GET", "/kv/greeting", "", 200, "hi from the host")
	c.do("DELETE", "/kv/greeting", "", 204, "")
	c.do("GET", "/kv/greeting", "", 404, "")

	// System: we are PID 1, the virtio modules were loaded in dependency
	// order, and the guest file was instantiated.
	var st struct {
		PID1    bool     `json:"pid1"`
		Modules []string `json:"modules"`
		RSSKB   int64    `json:"rss_kb"`
		App     struct {
			Guest struct {
				Exports     []string `json:"exports"`
				Initialized bool     `json:"initialized"`
				Engine      string   `json:"engine"`
				Error       string   `json:"error"`
			} `json:"guest"`
		} `json:"app"`
	}
	if err := json.Unmarshal([]byte(c.do("GET", "/debug/stats", "", 200, "")), &st); err != nil {
		t.Fatalf("/debug/stats: %v", err)
	}
	if !st.PID1 {
		t.Error("/init is not PID 1")
	}
	if i, j := slices.Index(st.Modules, "virtio_ring"), slices.Index(st.Modules, "virtio_net"); i < 0 || j < i {
		t.Errorf("modules loaded: %v", st.Modules)
	}
	if g := st.App.Guest; g.Error != "" || len(g.Exports) == 0 || g.Engine != "interpreter" {
		t.Errorf("guest: %+v", g)
	}
	t.Logf("/init RSS %d kB; guest exports %v (initialized: %v)", st.RSSKB, st.App.Guest.Exports, st.App.Guest.Initialized)
	c.do("GET", "/poweroff", "", 405, "") // power-off is POST only
}

type client struct {
	t    *testing.T
	base string
}

// do sends a request and checks the status and, when want is not empty,
// the body. It returns the body.
func (c *client) do(method, path, body string, status int, want string) string {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	hc := &http.Client{Timeout: 20 * time.Second}
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.t.Fatalf("%s %s: status %d, want %d; body %q", method, path, resp.StatusCode, status, got)
	}
	if want != "" && string(got) != want {
		c.t.Fatalf("%s %s: body %q, want %q", method, path, got, want)
	}
	return string(got)
}
