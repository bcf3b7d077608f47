package placeholder

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
)

// TestServe runs the placeholder App on loopback with the default guest,
// both key-value backends, and a stub system handler.
func TestServe(t *testing.T) {
	for _, backend := range []string{"memory", "fs"} {
		t.Run(backend, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			system := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "system "+r.URL.Path) })
			a := New()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- a.Serve(ctx, ln, app.Config{
					GuestPath: "../../guest/hello.wasm",
					KV:        app.KVConfig{Backend: backend, Dir: t.TempDir()},
					System:    system,
					Logf:      t.Logf,
				})
			}()
			base := "http://" + ln.Addr().String()
			do := func(method, path, body string, status int, want string) {
				t.Helper()
				req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != status || (want != "" && string(got) != want) {
					t.Fatalf("%s %s = %d %q, want %d %q", method, path, resp.StatusCode, got, status, want)
				}
			}
			do("GET", "/hello", "", 200, "hello")
			do("GET", "/kv/a%2Fb", "", 404, "")
			do("PUT", "/kv/a%2Fb", "v", 204, "")
			do("GET", "/kv/a%2Fb", "", 200, "v")
			do("DELETE", "/kv/a%2Fb", "", 204, "")
			do("GET", "/kv/a%2Fb", "", 404, "")
			do("POST", "/poweroff", "", 200, "system /poweroff")
			do("GET", "/debug/stats", "", 200, "system /debug/stats")

			stats, _ := json.Marshal(a.Stats())
			var st struct {
				Guest GuestStats `json:"guest"`
			}
			json.Unmarshal(stats, &st)
			if st.Guest.Error != "" || !st.Guest.Initialized || strings.Join(st.Guest.Exports, ",") != "_initialize,hello" {
				t.Errorf("guest stats: %+v", st.Guest)
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Serve did not return after cancel")
			}
		})
	}
}

// A guest whose imports cannot be satisfied is reported, not fatal.
func TestUnsatisfiableGuest(t *testing.T) {
	// (module (import "demo:slight/keyvalue" "get" (func)))
	wasm := []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00\x02\x1c\x01\x14demo:slight/keyvalue\x03get\x00\x00")
	path := t.TempDir() + "/g.wasm"
	if err := writeFile(path, wasm); err != nil {
		t.Fatal(err)
	}
	rt, gs := loadGuest(context.Background(), app.Config{GuestPath: path})
	if rt != nil {
		defer rt.Close(context.Background())
	}
	if !strings.HasPrefix(gs.Error, "instantiate:") || len(gs.Imports) != 1 || gs.Imports[0] != "demo:slight/keyvalue.get" {
		t.Errorf("stats = %+v", gs)
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o644) }
