package wasikv

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wasmhost/wit-bindgen-go-host/demo/internal/redistest"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

func backends(t *testing.T) map[string]keyvalue.Store {
	fsb, err := keyvalue.NewFilesystem(filepath.Join(t.TempDir(), "kv"), keyvalue.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]keyvalue.Store{"memory": keyvalue.NewMemory(keyvalue.Limits{}), "filesystem": fsb}
	if redistest.Available() {
		srv := redistest.Start(t)
		m["redis"] = keyvalue.NewRedis(keyvalue.RedisOptions{Addr: srv.Addr}, keyvalue.Limits{})
	} else {
		t.Log("redis-server not installed: skipping the Redis backend")
	}
	t.Cleanup(func() {
		for _, s := range m {
			s.Close()
		}
	})
	return m
}

func TestBucket(t *testing.T) {
	ctx := context.Background()
	for name, backend := range backends(t) {
		t.Run(name, func(t *testing.T) {
			mux, err := keyvalue.NewMux(keyvalue.Limits{}, map[string]keyvalue.Store{"bucket": backend})
			if err != nil {
				t.Fatal(err)
			}
			_, err = Open(ctx, mux, "nope")
			var we *Error
			if !errors.As(err, &we) || we.Code != NoSuchStore || !errors.Is(err, keyvalue.ErrContainerNotAllowed) {
				t.Fatalf("Open(nope) = %v", err)
			}
			b, err := Open(ctx, mux, "bucket")
			if err != nil {
				t.Fatal(err)
			}
			if v, ok, err := b.Get(ctx, "k"); v != nil || ok || err != nil {
				t.Fatalf("Get missing = %q, %v, %v; want none", v, ok, err)
			}
			if ok, err := b.Exists(ctx, "k"); ok || err != nil {
				t.Fatalf("Exists missing = %v, %v", ok, err)
			}
			if err := b.Set(ctx, "k", []byte("v")); err != nil {
				t.Fatal(err)
			}
			if v, ok, err := b.Get(ctx, "k"); string(v) != "v" || !ok || err != nil {
				t.Fatalf("Get = %q, %v, %v", v, ok, err)
			}
			if ok, _ := b.Exists(ctx, "k"); !ok {
				t.Fatal("Exists after Set = false")
			}
			if err := b.Delete(ctx, "k"); err != nil {
				t.Fatal(err)
			}
			if err := b.Delete(ctx, "k"); err != nil {
				t.Fatalf("Delete missing: %v", err)
			}
			err = b.Set(ctx, "../../etc/passwd", []byte("x"))
			if !errors.As(err, &we) || we.Code != Other || !strings.HasPrefix(we.Message, "invalid-key: ") {
				t.Fatalf("hostile key: %v", err)
			}

			// list-keys pagination over 25 keys, pages of 10.
			var want []string
			for i := range 25 {
				k := fmt.Sprintf("key%02d", i)
				want = append(want, k)
				if err := b.Set(ctx, k, nil); err != nil {
					t.Fatal(err)
				}
			}
			b.SetPageSize(10)
			var got []string
			var cursor *uint64
			pages := 0
			for {
				keys, next, err := b.ListKeys(ctx, cursor)
				if err != nil {
					t.Fatal(err)
				}
				pages++
				got = append(got, keys...)
				if next == nil {
					break
				}
				cursor = next
			}
			if pages != 3 || !slices.Equal(got, want) {
				t.Fatalf("%d pages, keys %q", pages, got)
			}
			past := uint64(99)
			if keys, next, err := b.ListKeys(ctx, &past); len(keys) != 0 || next != nil || err != nil {
				t.Fatalf("cursor past end = %q, %v, %v", keys, next, err)
			}
		})
	}
}

func TestUnavailableIsOther(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	rb := keyvalue.NewRedis(keyvalue.RedisOptions{Addr: srv.Addr}, keyvalue.Limits{})
	defer rb.Close()
	b, err := Open(ctx, rb, "c")
	if err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	_, _, err = b.Get(ctx, "k")
	var we *Error
	if !errors.As(err, &we) || we.Code != Other || !strings.HasPrefix(we.Message, "connection-error: ") || !errors.Is(err, keyvalue.ErrUnavailable) {
		t.Fatalf("Get with Redis down = %v", err)
	}
}
