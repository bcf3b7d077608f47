package keyvalue

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/redistest"
)

func TestMemoryConformance(t *testing.T) {
	conformance(t, func(t *testing.T) Store {
		s := NewMemory(testLimits)
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestFilesystemConformance(t *testing.T) {
	conformance(t, func(t *testing.T) Store {
		s, err := NewFilesystem(filepath.Join(t.TempDir(), "kv"), testLimits)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestRedisConformance(t *testing.T) {
	srv := redistest.Start(t)
	db := 0
	conformance(t, func(t *testing.T) Store {
		// A fresh, empty logical database per subtest (Redis has 16).
		db = (db + 1) % 16
		s := NewRedis(RedisOptions{Addr: srv.Addr, DB: db}, testLimits)
		raw := redis.NewClient(&redis.Options{Addr: srv.Addr, DB: db})
		if err := raw.FlushDB(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// treeFiles lists every regular file under dir, relative to it.
func treeFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestFilesystemSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kv")
	s, err := NewFilesystem(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.Open(ctx, "my-container")
	long := strings.Repeat("x", 600)
	for k, v := range map[string]string{"key": "spiderlightning", long: "long", "user/1": "u"} {
		if err := c.Set(ctx, k, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	// A crash between temp write and rename leaves a temp file behind.
	if err := os.WriteFile(filepath.Join(dir, "my-container", ".tmp-crashed"), []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s2, err := NewFilesystem(dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	c2, err := s2.Open(ctx, "my-container")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := c2.Get(ctx, "key"); err != nil || string(v) != "spiderlightning" {
		t.Fatalf("after restart Get = %q, %v", v, err)
	}
	if v, err := c2.Get(ctx, long); err != nil || string(v) != "long" {
		t.Fatalf("after restart long key = %q, %v", v, err)
	}
	keys, _ := c2.Keys(ctx)
	if len(keys) != 3 {
		t.Fatalf("keys after restart = %.80q", keys)
	}
	if _, err := os.Stat(filepath.Join(dir, "my-container", ".tmp-crashed")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("leftover temp file not removed: %v", err)
	}
	for _, f := range treeFiles(t, dir) {
		if !strings.HasPrefix(f, "my-container"+string(filepath.Separator)) {
			t.Fatalf("file outside the container directory: %s", f)
		}
	}
}

func TestFilesystemNothingEscapes(t *testing.T) {
	ctx := context.Background()
	base := t.TempDir()
	dir := filepath.Join(base, "kv")
	s, err := NewFilesystem(dir, testLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// A symlink planted where a key's file would go must not be followed
	// out of the container (os.Root refuses it).
	c, _ := s.Open(ctx, "c")
	outside := filepath.Join(base, "outside")
	if err := os.WriteFile(outside, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	name, _ := fileName("link")
	if err := os.Symlink(outside, filepath.Join(dir, "c", name)); err != nil {
		t.Fatal(err)
	}
	if v, err := c.Get(ctx, "link"); err == nil {
		t.Fatalf("read through a symlink leaving the container: %q", v)
	}
	for _, k := range hostileKeys {
		_ = c.Set(ctx, k, []byte("pwned"))
	}
	for _, n := range []string{"../escape", "/tmp/abs"} {
		if _, err := s.Open(ctx, n); !errors.Is(err, ErrContainerNotAllowed) {
			t.Fatalf("Open(%q): %v", n, err)
		}
	}
	entries, _ := os.ReadDir(base)
	if len(entries) != 2 { // kv and outside
		t.Fatalf("entries next to the store: %v", entries)
	}
	if b, _ := os.ReadFile(outside); string(b) != "secret" {
		t.Fatalf("outside file modified: %q", b)
	}
	files := treeFiles(t, dir)
	if len(files) != 1 { // only the planted symlink
		t.Fatalf("files written for hostile keys: %q", files)
	}
}

func TestRedisKeyLayout(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	s := NewRedis(RedisOptions{Addr: srv.Addr}, Limits{})
	defer s.Close()
	c, _ := s.Open(ctx, "my-container")
	if err := c.Set(ctx, "key", []byte("v")); err != nil {
		t.Fatal(err)
	}
	raw := redis.NewClient(&redis.Options{Addr: srv.Addr})
	defer raw.Close()
	if v, err := raw.Get(ctx, "my-container:key").Result(); err != nil || v != "v" {
		t.Fatalf("raw my-container:key = %q, %v", v, err)
	}
	// A key planted outside the prefix is invisible to the container.
	raw.Set(ctx, "my-containerX:evil", "x", 0)
	raw.Set(ctx, "other:key", "x", 0)
	if keys, _ := c.Keys(ctx); len(keys) != 1 || keys[0] != "key" {
		t.Fatalf("Keys = %q", keys)
	}
}

func TestRedisStopMidRunAndRecover(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	s := NewRedis(RedisOptions{Addr: srv.Addr, DialTimeout: 300 * time.Millisecond}, Limits{})
	defer s.Close()
	c, _ := s.Open(ctx, "c")
	if err := c.Set(ctx, "k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	for _, op := range []func() error{
		func() error { _, err := c.Get(ctx, "k"); return err },
		func() error { return c.Set(ctx, "k", []byte("v2")) },
		func() error { _, err := c.Keys(ctx); return err },
		func() error { return c.Delete(ctx, "k") },
	} {
		start := time.Now()
		err := op()
		if !errors.Is(err, ErrUnavailable) || Classify(err) != CodeConnectionError {
			t.Fatalf("with Redis down: err = %v, want ErrUnavailable", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("failure took %v", d)
		}
		if errors.Unwrap(err) != nil || len(err.(*Error).Unwrap()) != 2 {
			t.Fatalf("ErrUnavailable does not wrap the cause: %#v", err)
		}
	}
	srv.Restart() // empty: no persistence
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.Set(ctx, "k", []byte("back"))
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after Redis restart: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if v, err := c.Get(ctx, "k"); err != nil || string(v) != "back" {
		t.Fatalf("after recovery Get = %q, %v", v, err)
	}
}

func TestClassifyAndErrorText(t *testing.T) {
	cause := errors.New("dial tcp: refused")
	e := newError("get", "c", strings.Repeat("k", 100), ErrUnavailable, cause)
	if !errors.Is(e, ErrUnavailable) || !errors.Is(e, cause) {
		t.Fatal("Is does not match kind and cause")
	}
	if got := e.Error(); !strings.Contains(got, "backend unavailable: dial tcp: refused") || len(got) > 200 {
		t.Fatalf("Error() = %q", got)
	}
	for err, want := range map[error]Code{
		ErrKeyNotFound: CodeKeyNotFound, ErrKeyInvalid: CodeInvalidKey, ErrTooLarge: CodeInvalidValue,
		ErrContainerNotAllowed: CodeAccessDenied, ErrUnavailable: CodeConnectionError, ErrBackend: CodeIOError,
		context.DeadlineExceeded: CodeTimeoutError, errors.New("x"): CodeUnexpectedError,
	} {
		if got := Classify(err); got != want {
			t.Errorf("Classify(%v) = %v, want %v", err, got, want)
		}
	}
	if CodeAccessDenied.String() != "access-denied" {
		t.Fatal(CodeAccessDenied.String())
	}
}

// TestRedisHungIsTimeout points the Redis backend at a listener that accepts
// connections but never answers: the call fails after the read timeout with
// ErrUnavailable, classified as timeout-error.
func TestRedisHungIsTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan struct{})
	defer func() { ln.Close(); <-done }()
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	s := NewRedis(RedisOptions{Addr: ln.Addr().String(), ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond}, Limits{})
	defer s.Close()
	c, _ := s.Open(context.Background(), "c")
	begin := time.Now()
	_, err = c.Get(context.Background(), "k")
	if !errors.Is(err, ErrUnavailable) || Classify(err) != CodeTimeoutError {
		t.Fatalf("hung Redis: %v (%v)", err, Classify(err))
	}
	if d := time.Since(begin); d > 3*time.Second {
		t.Fatalf("took %v", d)
	}
}
