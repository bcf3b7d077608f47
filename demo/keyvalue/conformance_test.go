package keyvalue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
)

// testLimits are the limits every backend runs the conformance suite with.
var testLimits = Limits{MaxKeyBytes: 512, MaxValueBytes: 256 << 10}

// hostileKeys are keys that must be refused with ErrKeyInvalid.
var hostileKeys = map[string]string{
	"dotdot":        "../../etc/passwd",
	"dotdot-inner":  "a/../../b",
	"dot-segment":   "a/./b",
	"backslash-dot": `..\..\x`,
	"absolute":      "/abs",
	"absolute-bs":   `\abs`,
	"empty":         "",
	"nul":           "a\x00b",
	"newline":       "a\nb",
	"bad-utf8":      "a\xffb",
	"1MiB":          strings.Repeat("k", 1<<20),
	"limit+1":       strings.Repeat("k", 513),
}

// conformance runs the backend-neutral behaviour every Store must have.
// newStore returns a fresh, empty store.
func conformance(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	open := func(t *testing.T, s Store, name string) Container {
		t.Helper()
		c, err := s.Open(ctx, name)
		if err != nil {
			t.Fatalf("Open(%q): %v", name, err)
		}
		if c.Name() != name {
			t.Fatalf("Name() = %q, want %q", c.Name(), name)
		}
		return c
	}

	t.Run("GetMissing", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		_, err := c.Get(ctx, "nope")
		if !errors.Is(err, ErrKeyNotFound) || Classify(err) != CodeKeyNotFound {
			t.Fatalf("Get missing: err = %v (%v), want ErrKeyNotFound", err, Classify(err))
		}
		var e *Error
		if !errors.As(err, &e) || e.Op != "get" || e.Container != "c1" {
			t.Fatalf("error detail: %#v", e)
		}
	})

	t.Run("SetGetOverwrite", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		for _, v := range []string{"spiderlightning", "second", ""} {
			if err := c.Set(ctx, "k", []byte(v)); err != nil {
				t.Fatal(err)
			}
			got, err := c.Get(ctx, "k")
			if err != nil || string(got) != v {
				t.Fatalf("Get = %q, %v; want %q", got, err, v)
			}
		}
	})

	t.Run("BinaryValue64KiB", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		v := make([]byte, 64<<10)
		r := rand.New(rand.NewPCG(1, 2))
		for i := range v {
			if i%7 != 0 {
				v[i] = byte(r.UintN(256))
			}
		}
		if err := c.Set(ctx, "bin", v); err != nil {
			t.Fatal(err)
		}
		got, err := c.Get(ctx, "bin")
		if err != nil || !bytes.Equal(got, v) {
			t.Fatalf("binary round trip differs (err %v, len %d)", err, len(got))
		}
	})

	t.Run("ValuesAreCopies", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		v := []byte("abc")
		if err := c.Set(ctx, "k", v); err != nil {
			t.Fatal(err)
		}
		v[0] = 'X'
		got, _ := c.Get(ctx, "k")
		got[1] = 'Y'
		again, _ := c.Get(ctx, "k")
		if string(again) != "abc" {
			t.Fatalf("stored value aliased caller memory: %q", again)
		}
	})

	t.Run("KeysSortedAndOdd", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		keys := []string{"b", "a", "user/42", "x:y", "star*[?]", "ünïcödé", "..a", "a..", strings.Repeat("L", 400)}
		for _, k := range keys {
			if err := c.Set(ctx, k, []byte("v:"+k)); err != nil {
				t.Fatalf("Set(%.20q): %v", k, err)
			}
		}
		got, err := c.Keys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Sorted(slices.Values(keys))
		if !slices.Equal(got, want) {
			t.Fatalf("Keys = %.200q\nwant   %.200q", got, want)
		}
		for _, k := range keys {
			v, err := c.Get(ctx, k)
			if err != nil || string(v) != "v:"+k {
				t.Fatalf("Get(%.20q) = %q, %v", k, v, err)
			}
		}
	})

	t.Run("Delete", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		if err := c.Set(ctx, "k", []byte("v")); err != nil {
			t.Fatal(err)
		}
		if err := c.Delete(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Get(ctx, "k"); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("Get after Delete: %v", err)
		}
		if err := c.Delete(ctx, "k"); err != nil {
			t.Fatalf("Delete missing: %v", err)
		}
		long := strings.Repeat("D", 300)
		if err := c.Set(ctx, long, []byte("v")); err != nil {
			t.Fatal(err)
		}
		if err := c.Delete(ctx, long); err != nil {
			t.Fatal(err)
		}
		if keys, _ := c.Keys(ctx); len(keys) != 0 {
			t.Fatalf("Keys after deletes = %q", keys)
		}
	})

	t.Run("ContainersIsolated", func(t *testing.T) {
		s := newStore(t)
		a, b, ab := open(t, s, "a"), open(t, s, "b"), open(t, s, "a-b")
		if err := a.Set(ctx, "b:k", []byte("in a")); err != nil {
			t.Fatal(err)
		}
		if err := b.Set(ctx, "k", []byte("in b")); err != nil {
			t.Fatal(err)
		}
		if _, err := ab.Get(ctx, "k"); !errors.Is(err, ErrKeyNotFound) {
			t.Fatalf("a-b sees another container's key: %v", err)
		}
		if v, _ := b.Get(ctx, "k"); string(v) != "in b" {
			t.Fatalf("b:k = %q", v)
		}
		if keys, _ := a.Keys(ctx); !slices.Equal(keys, []string{"b:k"}) {
			t.Fatalf("a keys = %q", keys)
		}
		if keys, _ := b.Keys(ctx); !slices.Equal(keys, []string{"k"}) {
			t.Fatalf("b keys = %q", keys)
		}
		again := open(t, s, "a")
		if v, _ := again.Get(ctx, "b:k"); string(v) != "in a" {
			t.Fatalf("reopened a: %q", v)
		}
	})

	t.Run("HostileKeys", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		for name, k := range hostileKeys {
			if err := c.Set(ctx, k, []byte("x")); !errors.Is(err, ErrKeyInvalid) || Classify(err) != CodeInvalidKey {
				t.Errorf("%s: Set err = %v, want ErrKeyInvalid", name, err)
			}
			if _, err := c.Get(ctx, k); !errors.Is(err, ErrKeyInvalid) {
				t.Errorf("%s: Get err = %v, want ErrKeyInvalid", name, err)
			}
			if err := c.Delete(ctx, k); !errors.Is(err, ErrKeyInvalid) {
				t.Errorf("%s: Delete err = %v, want ErrKeyInvalid", name, err)
			}
		}
		if keys, _ := c.Keys(ctx); len(keys) != 0 {
			t.Fatalf("hostile keys stored: %q", keys)
		}
	})

	t.Run("TooLarge", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		err := c.Set(ctx, "big", make([]byte, testLimits.MaxValueBytes+1))
		if !errors.Is(err, ErrTooLarge) || Classify(err) != CodeInvalidValue {
			t.Fatalf("oversized value: %v", err)
		}
		if err := c.Set(ctx, "max", make([]byte, testLimits.MaxValueBytes)); err != nil {
			t.Fatalf("value at the limit: %v", err)
		}
	})

	t.Run("BadContainerNames", func(t *testing.T) {
		s := newStore(t)
		for _, n := range []string{"", "../x", "..", ".", "a:b", "/abs", ".hidden", "a/b", `a\b`, "a*", strings.Repeat("c", 65)} {
			if _, err := s.Open(ctx, n); !errors.Is(err, ErrContainerNotAllowed) || Classify(err) != CodeAccessDenied {
				t.Errorf("Open(%.20q) err = %v, want ErrContainerNotAllowed", n, err)
			}
		}
	})

	t.Run("Concurrent", func(t *testing.T) {
		c := open(t, newStore(t), "c1")
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for g := range 16 {
			wg.Go(func() {
				for i := range 40 {
					k := fmt.Sprintf("g%d/k%d", g, i%5)
					v := fmt.Appendf(nil, "%d-%d", g, i)
					if err := c.Set(ctx, k, v); err != nil {
						errs <- err
						return
					}
					got, err := c.Get(ctx, k)
					if err != nil || !bytes.Equal(got, v) {
						errs <- fmt.Errorf("Get(%s) = %q, %v; want %q", k, got, err, v)
						return
					}
					if err := c.Set(ctx, "shared", v); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		keys, err := c.Keys(ctx)
		if err != nil || len(keys) != 16*5+1 {
			t.Fatalf("Keys: %d keys, %v", len(keys), err)
		}
	})

	t.Run("MuxAllowList", func(t *testing.T) {
		s := newStore(t)
		m, err := NewMux(Limits{MaxKeyBytes: 16, MaxValueBytes: 8}, map[string]Store{"allowed": s})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Open(ctx, "other"); !errors.Is(err, ErrContainerNotAllowed) {
			t.Fatalf("Open(other): %v", err)
		}
		c, err := m.Open(ctx, "allowed")
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Set(ctx, strings.Repeat("k", 17), nil); !errors.Is(err, ErrKeyInvalid) {
			t.Fatalf("Mux key limit: %v", err)
		}
		if err := c.Set(ctx, "k", make([]byte, 9)); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Mux value limit: %v", err)
		}
		if err := c.Set(ctx, "k", []byte("12345678")); err != nil {
			t.Fatal(err)
		}
		if v, err := c.Get(ctx, "k"); err != nil || string(v) != "12345678" {
			t.Fatalf("Get through Mux = %q, %v", v, err)
		}
		if got := m.Containers(); !slices.Equal(got, []string{"allowed"}) {
			t.Fatalf("Containers = %q", got)
		}
	})
}
