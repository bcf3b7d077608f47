package host

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/config"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/guestbuild"
)

func testOptions(out io.Writer) *Options {
	return &Options{CompilationCacheDir: filepath.Join(guestbuild.CacheDir(), "wazero"),
		Logger: slog.New(slog.DiscardHandler), GuestOutput: out}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestServeListener runs the HTTP guest through Serve on a caller-provided
// listener under wazero's interpreter (how the unikernel calls it) and
// stops it by cancelling ctx.
func TestServeListener(t *testing.T) {
	wasm := guestbuild.Build(t, "http-server-demo")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	o := testOptions(nil)
	o.Interpreter = true
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, ln, wasm, nil, o) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/hello")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not come up:", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st, b := get(t, base+"/person/ada"); st != 200 || b != "hello: ada" {
		t.Fatalf("GET /person/ada = %d %q", st, b)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not return after ctx was cancelled")
	}
}

// TestStartErrors covers a guest of the wrong world and a config whose
// listen address is taken.
func TestStartErrors(t *testing.T) {
	kv := guestbuild.Build(t, "keyvalue-demo")
	if _, err := Start(context.Background(), nil, kv, nil, testOptions(nil)); err == nil || !strings.Contains(err.Error(), "keyvalue-demo") {
		t.Fatalf("Start(keyvalue guest) = %v", err)
	}
	httpGuest := guestbuild.Build(t, "http-server-demo")
	if err := Run(context.Background(), httpGuest, nil, testOptions(nil)); err == nil {
		t.Fatal("Run(http guest) succeeded")
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cfg := config.Default()
	cfg.HTTP.Listen = busy.Addr().String()
	_, err = Start(context.Background(), nil, httpGuest, cfg, testOptions(nil))
	var ge *GuestError
	if !errors.As(err, &ge) || !strings.Contains(ge.Message, "server.serve") {
		t.Fatalf("Start on a busy address = %v, want the guest's init error about server.serve", err)
	}
}

// TestRunKeyvalueDefault shows that the keyvalue guest needs its second
// container: with the default config it fails with access-denied.
func TestRunKeyvalueDefault(t *testing.T) {
	kv := guestbuild.Build(t, "keyvalue-demo")
	var out bytes.Buffer
	err := Run(context.Background(), kv, nil, testOptions(&out))
	var ge *GuestError
	if !errors.As(err, &ge) || !strings.Contains(ge.Message, "scratch") {
		t.Fatalf("Run with the default config = %v", err)
	}
}

// TestHandlerTimeout checks that [http] handler_timeout interrupts a guest
// that loops forever (GET /spin): the client gets 504, the instance is
// discarded, and the next request is served.
func TestHandlerTimeout(t *testing.T) {
	wasm := guestbuild.Build(t, "http-server-demo")
	cfg := config.Default()
	cfg.HTTP.Listen = "127.0.0.1:0"
	cfg.HTTP.HandlerTimeout = 500 * time.Millisecond
	r, err := Start(context.Background(), nil, wasm, cfg, testOptions(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Shutdown(context.Background())
	base := "http://" + r.Addr().String()
	begin := time.Now()
	if st, b := get(t, base+"/spin"); st != 504 || b != "handler timed out" {
		t.Fatalf("GET /spin = %d %q", st, b)
	}
	if d := time.Since(begin); d > 10*time.Second {
		t.Fatalf("the timeout took %v", d)
	}
	if st, b := get(t, base+"/hello"); st != 200 || b != "hello" {
		t.Fatalf("GET /hello after the timeout = %d %q", st, b)
	}
	if st := r.PoolStats(); st.Discarded != 1 {
		t.Fatalf("pool stats %+v, want one discarded instance", st)
	}
}

// TestWorldOfWasm reads the world of each demo guest from its bytes and
// agrees with WorldOf on the compiled module; junk is refused.
func TestWorldOfWasm(t *testing.T) {
	for name, want := range map[string]World{"http-server-demo": HTTPServerDemo,
		"keyvalue-demo": KeyvalueDemo, "wasi-keyvalue-demo": WASIKeyvalueDemo} {
		w, err := WorldOfWasm(guestbuild.Build(t, name))
		if err != nil || w != want {
			t.Errorf("%s: %q, %v", name, w, err)
		}
	}
	for _, junk := range []string{"", "\x00asm", "\x00asm\x01\x00\x00\x00\x02\x05\x01", "\x00asm\x01\x00\x00\x00\x07\xff\xff\xff\xff\x0f"} {
		if _, err := WorldOfWasm([]byte(junk)); err == nil {
			t.Errorf("%q accepted", junk)
		}
	}
}

// FuzzWorldOfWasm checks that no input makes the section reader panic.
func FuzzWorldOfWasm(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x02\x08\x01\x01m\x01f\x00\x00\x07\x07\x01\x03run\x00\x00"))
	f.Add([]byte("\x00asm\x01\x00\x00\x00\x07\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if w, err := WorldOfWasm(b); err == nil && w == "" {
			t.Fatal("no world and no error")
		}
	})
}

// TestWrapHandler serves a path of the host's own next to the guest's
// routes through Options.WrapHandler, on the caller's listener and on the
// config's address, and checks that the guest's server.stop and Shutdown
// end both.
func TestWrapHandler(t *testing.T) {
	wasm := guestbuild.Build(t, "http-server-demo")
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/own" {
				io.WriteString(w, "own")
				return
			}
			w.Header().Set("X-Wrapped", "1")
			h.ServeHTTP(w, r)
		})
	}
	for _, withLn := range []bool{true, false} {
		var ln net.Listener
		cfg := config.Default()
		if withLn {
			var err error
			if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
				t.Fatal(err)
			}
		} else {
			cfg.HTTP.Listen = "127.0.0.1:0"
		}
		o := testOptions(nil)
		o.WrapHandler = wrap
		r, err := Start(context.Background(), ln, wasm, cfg, o)
		if err != nil {
			t.Fatal(err)
		}
		base := "http://" + r.Addr().String()
		resp, err := http.Get(base + "/hello")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != "hello" || resp.Header.Get("X-Wrapped") != "1" {
			t.Fatalf("GET /hello = %d %q wrapped=%q", resp.StatusCode, b, resp.Header.Get("X-Wrapped"))
		}
		if st, b := get(t, base+"/own"); st != 200 || b != "own" {
			t.Fatalf("GET /own = %d %q", st, b)
		}
		if st, _ := get(t, base+"/nope"); st != 404 {
			t.Fatalf("GET /nope = %d", st)
		}
		// An idle connection must not hold up the shutdown.
		idle, err := net.Dial("tcp", r.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		t0 := time.Now()
		if err := r.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		idle.Close()
		if d := time.Since(t0); d > 3*time.Second {
			t.Fatalf("Shutdown took %v", d)
		}
		select {
		case <-r.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("Done not closed after Shutdown")
		}
		if _, err := http.Get(base + "/hello"); err == nil {
			t.Fatal("still serving after Shutdown")
		}
	}
}
