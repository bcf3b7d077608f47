// Package guestbuild builds the demo's Go guests (demo/guests/NAME) for
// tests, in this module and in modules that require it through a replace
// directive to a local checkout (the nested wasmtime module):
// GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared, once per guest and
// test process, into a per-user cache directory. Go's build cache makes a
// rebuild of unchanged sources a link step (a few seconds).
//
// The sources are found from this file's path (runtime.Caller), so a
// binary built with -trimpath, or from a module cache copy, cannot use it.
package guestbuild

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	built = map[string][]byte{}
)

// RepoRoot returns the main module's root directory (from this file's
// path).
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// CacheDir returns the directory for built guests and wazero's compilation
// cache.
func CacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "wit-bindgen-go-host-demo")
}

// Build returns the wasm of guest name (a directory under demo/guests),
// building it on first use. It skips the test in -short mode and when there
// is no go command.
func Build(t testing.TB, name string) []byte {
	t.Helper()
	if testing.Short() {
		t.Skip("building wasm guests is skipped in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the wasip1 guest:", err)
	}
	b, err := Wasm(goBin, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Wasm is Build outside tests: it builds guest name with the go command
// goBin (once per process) and returns its wasm.
func Wasm(goBin, name string) ([]byte, error) {
	mu.Lock()
	defer mu.Unlock()
	if b, ok := built[name]; ok {
		return b, nil
	}
	b, err := build(goBin, name)
	if err != nil {
		return nil, err
	}
	built[name] = b
	return b, nil
}

func build(goBin, name string) ([]byte, error) {
	root := RepoRoot()
	if _, err := os.Stat(filepath.Join(root, "demo", "guests", name)); err != nil {
		return nil, fmt.Errorf("building guest %s: no sources: %w", name, err)
	}
	dir := CacheDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, fmt.Sprintf("%s-%d.wasm", name, os.Getpid()))
	defer os.Remove(out)
	cmd := exec.Command(goBin, "build", "-buildmode=c-shared", "-o", out, "./demo/guests/"+name)
	cmd.Dir = root
	// GOWORK=off and GOFLAGS= so a test run from another module (or with
	// its own flags) builds the guest in this module as it is.
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "GOFLAGS=", "GOWORK=off", "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("building guest %s: %v\n%s", name, err, msg)
	}
	return os.ReadFile(out)
}
