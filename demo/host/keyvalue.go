package host

import (
	"context"

	"github.com/wasmhost/wit-bindgen-go-host/demo/bindings/httpserverdemohost"
	"github.com/wasmhost/wit-bindgen-go-host/demo/bindings/keyvaluedemohost"
	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters"
)

// kvStore is the host side of the demo:slight/keyvalue resource `store`: an
// open container of the config's keyvalue.Mux. The two worlds that import
// demo:slight/keyvalue have distinct generated error types, so wrap makes
// the world's *runtimeadapters.WITError for a keyvalue error; the methods
// are otherwise the same and satisfy both worlds' Store interfaces.
type kvStore struct {
	c    keyvalue.Container
	wrap func(error) error
}

// Get implements [method]store.get.
func (s *kvStore) Get(ctx context.Context, key string) ([]byte, error) {
	v, err := s.c.Get(ctx, key)
	if err != nil {
		return nil, s.wrap(err)
	}
	if v == nil {
		v = []byte{}
	}
	return v, nil
}

// Set implements [method]store.set.
func (s *kvStore) Set(ctx context.Context, key string, value []byte) error {
	if err := s.c.Set(ctx, key, value); err != nil {
		return s.wrap(err)
	}
	return nil
}

// Keys implements [method]store.keys.
func (s *kvStore) Keys(ctx context.Context) ([]string, error) {
	keys, err := s.c.Keys(ctx)
	if err != nil {
		return nil, s.wrap(err)
	}
	return keys, nil
}

// Delete implements [method]store.delete.
func (s *kvStore) Delete(ctx context.Context, key string) error {
	if err := s.c.Delete(ctx, key); err != nil {
		return s.wrap(err)
	}
	return nil
}

// Drop implements [resource-drop]store: containers hold no per-handle
// resources, so there is nothing to release.
func (s *kvStore) Drop(context.Context) error { return nil }

var (
	_ httpserverdemohost.Store = (*kvStore)(nil)
	_ keyvaluedemohost.Store   = (*kvStore)(nil)
)

// httpKV implements demo:slight/keyvalue for world http-server-demo.
type httpKV struct{ store keyvalue.Store }

// StoreOpen implements [static]store.open.
func (k httpKV) StoreOpen(ctx context.Context, name string) (httpserverdemohost.Store, error) {
	c, err := k.store.Open(ctx, name)
	if err != nil {
		return nil, httpKVError(err)
	}
	return &kvStore{c: c, wrap: httpKVError}, nil
}

// httpKVError maps a keyvalue error to http-server-demo's keyvalue-error.
func httpKVError(err error) error {
	msg := err.Error()
	var v httpserverdemohost.KeyvalueError
	switch keyvalue.Classify(err) {
	case keyvalue.CodeKeyNotFound:
		v = httpserverdemohost.KeyvalueErrorKeyNotFound{Value: msg}
	case keyvalue.CodeInvalidKey:
		v = httpserverdemohost.KeyvalueErrorInvalidKey{Value: msg}
	case keyvalue.CodeInvalidValue:
		v = httpserverdemohost.KeyvalueErrorInvalidValue{Value: msg}
	case keyvalue.CodeConnectionError:
		v = httpserverdemohost.KeyvalueErrorConnectionError{Value: msg}
	case keyvalue.CodeAuthenticationError:
		v = httpserverdemohost.KeyvalueErrorAuthenticationError{Value: msg}
	case keyvalue.CodeTimeoutError:
		v = httpserverdemohost.KeyvalueErrorTimeoutError{Value: msg}
	case keyvalue.CodeIOError:
		v = httpserverdemohost.KeyvalueErrorIoError{Value: msg}
	case keyvalue.CodeAccessDenied:
		v = httpserverdemohost.KeyvalueErrorAccessDenied{Value: msg}
	default:
		v = httpserverdemohost.KeyvalueErrorUnexpectedError{Value: msg}
	}
	return runtimeadapters.NewWITError(v)
}

// kvKV implements demo:slight/keyvalue for world keyvalue-demo.
type kvKV struct{ store keyvalue.Store }

// StoreOpen implements [static]store.open.
func (k kvKV) StoreOpen(ctx context.Context, name string) (keyvaluedemohost.Store, error) {
	c, err := k.store.Open(ctx, name)
	if err != nil {
		return nil, kvKVError(err)
	}
	return &kvStore{c: c, wrap: kvKVError}, nil
}

// kvKVError maps a keyvalue error to keyvalue-demo's keyvalue-error.
func kvKVError(err error) error {
	msg := err.Error()
	var v keyvaluedemohost.KeyvalueError
	switch keyvalue.Classify(err) {
	case keyvalue.CodeKeyNotFound:
		v = keyvaluedemohost.KeyvalueErrorKeyNotFound{Value: msg}
	case keyvalue.CodeInvalidKey:
		v = keyvaluedemohost.KeyvalueErrorInvalidKey{Value: msg}
	case keyvalue.CodeInvalidValue:
		v = keyvaluedemohost.KeyvalueErrorInvalidValue{Value: msg}
	case keyvalue.CodeConnectionError:
		v = keyvaluedemohost.KeyvalueErrorConnectionError{Value: msg}
	case keyvalue.CodeAuthenticationError:
		v = keyvaluedemohost.KeyvalueErrorAuthenticationError{Value: msg}
	case keyvalue.CodeTimeoutError:
		v = keyvaluedemohost.KeyvalueErrorTimeoutError{Value: msg}
	case keyvalue.CodeIOError:
		v = keyvaluedemohost.KeyvalueErrorIoError{Value: msg}
	case keyvalue.CodeAccessDenied:
		v = keyvaluedemohost.KeyvalueErrorAccessDenied{Value: msg}
	default:
		v = keyvaluedemohost.KeyvalueErrorUnexpectedError{Value: msg}
	}
	return runtimeadapters.NewWITError(v)
}
