package host

import (
	"context"
	"errors"

	gen "github.com/wasmhost/wit-bindgen-go-host/demo/bindings/wasikeyvaluedemohost"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue/wasikv"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// wasiStore implements wasi:keyvalue/store@0.2.0-draft over the config's
// store: a bucket is a container (package wasikv).
type wasiStore struct{ store keyvalue.Store }

// Open implements store.open.
func (s wasiStore) Open(ctx context.Context, identifier string) (gen.Bucket, error) {
	b, err := wasikv.Open(ctx, s.store, identifier)
	if err != nil {
		return nil, wasiError(err)
	}
	return &wasiBucket{b: b}, nil
}

// wasiError maps a *wasikv.Error to the WIT error variant.
func wasiError(err error) error {
	var we *wasikv.Error
	if !errors.As(err, &we) {
		return runtimeadapters.NewWITError[gen.Error](gen.ErrorOther{Value: err.Error()})
	}
	switch we.Code {
	case wasikv.NoSuchStore:
		return runtimeadapters.NewWITError[gen.Error](gen.ErrorNoSuchStore{})
	case wasikv.AccessDenied:
		return runtimeadapters.NewWITError[gen.Error](gen.ErrorAccessDenied{})
	}
	return runtimeadapters.NewWITError[gen.Error](gen.ErrorOther{Value: we.Message})
}

// wasiBucket is the host side of resource bucket.
type wasiBucket struct{ b *wasikv.Bucket }

// Get implements [method]bucket.get: ok(none) for a missing key.
func (b *wasiBucket) Get(ctx context.Context, key string) (runtimeadapters.Option[[]byte], error) {
	v, ok, err := b.b.Get(ctx, key)
	if err != nil {
		return runtimeadapters.None[[]byte](), wasiError(err)
	}
	if !ok {
		return runtimeadapters.None[[]byte](), nil
	}
	if v == nil {
		v = []byte{}
	}
	return runtimeadapters.Some(v), nil
}

// Set implements [method]bucket.set.
func (b *wasiBucket) Set(ctx context.Context, key string, value []byte) error {
	if err := b.b.Set(ctx, key, value); err != nil {
		return wasiError(err)
	}
	return nil
}

// Delete implements [method]bucket.delete.
func (b *wasiBucket) Delete(ctx context.Context, key string) error {
	if err := b.b.Delete(ctx, key); err != nil {
		return wasiError(err)
	}
	return nil
}

// Exists implements [method]bucket.exists.
func (b *wasiBucket) Exists(ctx context.Context, key string) (bool, error) {
	ok, err := b.b.Exists(ctx, key)
	if err != nil {
		return false, wasiError(err)
	}
	return ok, nil
}

// ListKeys implements [method]bucket.list-keys: one page and the cursor of
// the next one.
func (b *wasiBucket) ListKeys(ctx context.Context, cursor runtimeadapters.Option[uint64]) (gen.KeyResponse, error) {
	var cur *uint64
	if c, ok := cursor.Get(); ok {
		cur = &c
	}
	keys, next, err := b.b.ListKeys(ctx, cur)
	if err != nil {
		return gen.KeyResponse{}, wasiError(err)
	}
	resp := gen.KeyResponse{Keys: keys}
	if keys == nil {
		resp.Keys = []string{}
	}
	if next != nil {
		resp.Cursor = runtimeadapters.Some(*next)
	}
	return resp, nil
}

// Drop implements [resource-drop]bucket.
func (b *wasiBucket) Drop(context.Context) error { return nil }
