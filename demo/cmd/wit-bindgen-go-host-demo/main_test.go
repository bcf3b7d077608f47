package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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

// TestMain lets the test binary play the command: with
// DEMO_MAIN_ARGS set, it runs main with those arguments (one per line).
func TestMain(m *testing.M) {
	if args := os.Getenv("DEMO_MAIN_ARGS"); args != "" {
		os.Args = append([]string{"wit-bindgen-go-host-demo"}, strings.Split(args, "\n")...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestSignal runs the command as a subprocess, sends SIGTERM while a
// request is in flight, and checks the request completes and the command
// exits 0 after a graceful shutdown.
func TestSignal(t *testing.T) {
	guest := writeGuest(t, "http-server-demo")
	addr := freeAddr(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "DEMO_MAIN_ARGS="+strings.Join([]string{"run", "--listen", addr,
		"--cache-dir", filepath.Join(guestbuild.CacheDir(), "wazero"), guest}, "\n"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill() // our own child, by PID
			<-exited
		}
	}()
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get("http://" + addr + "/hello")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// An upload whose body arrives after the signal: graceful shutdown
	// lets it finish.
	pr, pw := io.Pipe()
	respc := make(chan string, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/upload", "text/plain", pr)
		if err != nil {
			respc <- "error: " + err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		respc <- fmt.Sprintf("%d %s", resp.StatusCode, b)
	}()
	pw.Write([]byte("part one, "))
	time.Sleep(200 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	pw.Write([]byte("part two"))
	pw.Close()
	if got := <-respc; got != "200 part one, part two" {
		t.Fatalf("in-flight upload = %q\n%s", got, out.String())
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, out.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("no exit after SIGTERM\n%s", out.String())
	}
	if !strings.Contains(out.String(), "msg=stopped") {
		t.Fatalf("output:\n%s", out.String())
	}
}
