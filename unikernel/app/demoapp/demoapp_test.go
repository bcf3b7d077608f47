package demoapp

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/unikernel/app"
	"github.com/wasmhost/wit-bindgen-go-host/unikernel/vmtest"
)

// guestPath returns the demo guest: $UK_DEMO_GUEST, or one built from
// ./demo/guests/http-server-demo into a temporary directory.
func guestPath(t *testing.T) string {
	if p := os.Getenv("UK_DEMO_GUEST"); p != "" {
		return p
	}
	if testing.Short() {
		t.Skip("-short: building the demo guest takes a while")
	}
	out := filepath.Join(t.TempDir(), "http-server-demo.wasm")
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("go toolchain not on PATH, cannot build the demo guest: %v", err)
	}
	cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-o", out, "./demo/guests/http-server-demo")
	cmd.Dir = "../../.."
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the demo guest: %v\n%s", err, b)
	}
	return out
}

// TestServe runs the acceptance scenario (steps 1-10, unikernel/vmtest)
// against the App as /init runs it, without QEMU: the real demo host and
// guest on wazero's interpreter, with the system paths served through
// host.Options.WrapHandler.
func TestServe(t *testing.T) {
	for _, kv := range []string{"memory", "fs"} {
		t.Run(kv, func(t *testing.T) {
			guest := guestPath(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			system := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "system "+r.URL.Path) })
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			a := New()
			dir := t.TempDir()
			go func() {
				done <- a.Serve(ctx, ln, app.Config{GuestPath: guest, Engine: "interpreter", System: system,
					KV: app.KVConfig{Backend: kv, Dir: filepath.Join(dir, "kv")}, Instances: 4, Logf: t.Logf})
			}()
			base := "http://" + ln.Addr().String()
			deadline := time.Now().Add(60 * time.Second)
			for {
				resp, err := http.Get(base + "/hello")
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == 200 {
						break
					}
				}
				if time.Now().After(deadline) {
					t.Fatalf("no 200 from /hello: %v", err)
				}
				time.Sleep(20 * time.Millisecond)
			}
			c := &vmtest.Client{T: t, Base: base}
			c.Do("GET", "/debug/stats", "", 200, "system /debug/stats")
			c.Do("POST", "/poweroff", "", 200, "system /poweroff")
			vmtest.Scenario(t, base, 2000, 32)
			if st := a.Stats().(Stats); st.Error != "" || st.Instances != 4 || !strings.Contains(st.KV, kv) {
				t.Errorf("stats %+v", st)
			}
			if kv == "fs" {
				if ents, _ := os.ReadDir(filepath.Join(dir, "kv", "my-container")); len(ents) == 0 {
					t.Error("fs backend: nothing written under the kv directory")
				}
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(15 * time.Second):
				t.Fatal("Serve did not return after cancel")
			}
		})
	}
}
