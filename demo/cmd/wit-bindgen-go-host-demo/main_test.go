package main

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wasmhost/wit-bindgen-go-host/demo/host"
	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/guestbuild"
)

func writeGuest(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name+".wasm")
	if err := os.WriteFile(p, guestbuild.Build(t, name), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestRunHTTP runs the HTTP guest with --listen and stops it the way a
// signal does (the command's context ends): run returns nil.
func TestRunHTTP(t *testing.T) {
	guest := writeGuest(t, "http-server-demo")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, runFlags{listen: addr, cacheDir: filepath.Join(guestbuild.CacheDir(), "wazero")}, guest)
	}()
	var body string
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/hello")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no answer:", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if body != "hello" {
		t.Fatalf("GET /hello = %q", body)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after its context ended")
	}
}

// TestRunKeyvalue runs both keyvalue guests with the default config (which
// adds the "scratch" container) and with a config missing it (the guest
// reports the mismatch, so the command fails).
func TestRunKeyvalue(t *testing.T) {
	for _, name := range []string{"keyvalue-demo", "wasi-keyvalue-demo"} {
		guest := writeGuest(t, name)
		if err := run(context.Background(), runFlags{cacheDir: filepath.Join(guestbuild.CacheDir(), "wazero")}, guest); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cfg := filepath.Join(t.TempDir(), "one.toml")
		os.WriteFile(cfg, []byte("[[keyvalue.container]]\nname = \"my-container\"\nbackend = \"memory\"\n"), 0o600)
		err := run(context.Background(), runFlags{config: cfg}, guest)
		var ge *host.GuestError
		if !errors.As(err, &ge) || !strings.Contains(ge.Message, "scratch") {
			t.Fatalf("%s without scratch: %v", name, err)
		}
	}
}

// TestRunErrors covers a missing file, a module that is no demo guest and a
// bad --listen.
func TestRunErrors(t *testing.T) {
	if err := run(context.Background(), runFlags{}, filepath.Join(t.TempDir(), "missing.wasm")); err == nil {
		t.Fatal("missing file accepted")
	}
	empty := filepath.Join(t.TempDir(), "empty.wasm")
	os.WriteFile(empty, []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	if err := run(context.Background(), runFlags{}, empty); err == nil || !strings.Contains(err.Error(), "not a demo guest") {
		t.Fatalf("empty module: %v", err)
	}
	guest := writeGuest(t, "http-server-demo")
	if err := run(context.Background(), runFlags{listen: "nonsense"}, guest); err == nil || !strings.Contains(err.Error(), "--listen") {
		t.Fatalf("bad --listen: %v", err)
	}
}
