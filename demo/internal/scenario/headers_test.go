package scenario

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRequestHeadersWasm checks the borrow<fields> the host lends the
// guest for a request's headers, through the real wasm guest: fields.get
// (case-insensitive, repeated headers in order, none for a missing one)
// and fields.entries (every header, lower case, sorted by name, host
// included). The scenario's other routes read no header.
func TestRequestHeadersWasm(t *testing.T) {
	cfgPath := filepath.Join(t.TempDir(), "demo.toml")
	if err := os.WriteFile(cfgPath, []byte("[http]\nlisten = \"127.0.0.1:0\"\n\n[[keyvalue.container]]\nname = \"my-container\"\nbackend = \"memory\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := startWasm(t, cfgPath)
	get := func(path string, hdr http.Header) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, r.base+path, nil)
		for k, vs := range hdr {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	hdr := http.Header{"X-Demo": {"one", "two"}, "X-Other": {"ü ✓"}}
	if st, b := get("/header/X-DEMO", hdr); st != 200 || b != "one, two" {
		t.Errorf("GET /header/X-DEMO = %d %q, want 200 \"one, two\"", st, b)
	}
	if st, b := get("/header/x-other", hdr); st != 200 || b != "ü ✓" {
		t.Errorf("GET /header/x-other = %d %q", st, b)
	}
	if st, b := get("/header/x-missing", hdr); st != 404 || b != "no header x-missing" {
		t.Errorf("GET /header/x-missing = %d %q, want 404", st, b)
	}
	st, b := get("/headers", hdr)
	lines := strings.Split(strings.TrimSuffix(b, "\n"), "\n")
	if st != 200 || !strings.HasPrefix(b, "accept-encoding: gzip\nhost: 127.0.0.1:") {
		t.Fatalf("GET /headers = %d %q", st, b)
	}
	want := []string{"user-agent: Go-http-client/1.1", "x-demo: one", "x-demo: two", "x-other: ü ✓"}
	if got := lines[2:]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("GET /headers: entries after host = %q, want %q", got, want)
	}
}
