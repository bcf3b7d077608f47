// Package wasikv serves the standard wasi:keyvalue/store@0.2.0-draft
// interface from the demo's keyvalue backends: a bucket is a container of a
// keyvalue.Store (normally the runner's keyvalue.Mux), so the same config,
// allow-list and limits apply to both WIT interfaces.
//
// The functions mirror the WIT one to one; the generated host interface for
// wasi:keyvalue/store only converts types:
//
//	open(identifier)         -> Open
//	[method]bucket.get       -> Bucket.Get      (key-not-found is ok(none))
//	[method]bucket.set       -> Bucket.Set
//	[method]bucket.delete    -> Bucket.Delete   (missing key is ok)
//	[method]bucket.exists    -> Bucket.Exists
//	[method]bucket.list-keys -> Bucket.ListKeys (cursor = offset in sorted order)
//
// Errors are *Error values carrying the case of the WIT error variant.
package wasikv

import (
	"context"
	"errors"
	"fmt"

	"github.com/wasmhost/wit-bindgen-go-host/demo/keyvalue"
)

// ErrorCode is a case of wasi:keyvalue/store's error variant.
type ErrorCode int

// The cases of the WIT error variant.
const (
	NoSuchStore  ErrorCode = iota // no-such-store
	AccessDenied                  // access-denied
	Other                         // other(string)
)

// String returns the WIT case name.
func (c ErrorCode) String() string {
	switch c {
	case NoSuchStore:
		return "no-such-store"
	case AccessDenied:
		return "access-denied"
	case Other:
		return "other"
	}
	return fmt.Sprintf("ErrorCode(%d)", int(c))
}

// Error is a wasi:keyvalue error: Code is the variant case, Message the
// payload of other(string), Err the keyvalue error it came from.
type Error struct {
	Code    ErrorCode
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Code == Other {
		return "wasi:keyvalue other: " + e.Message
	}
	return "wasi:keyvalue " + e.Code.String()
}

// Unwrap returns the underlying keyvalue error.
func (e *Error) Unwrap() error { return e.Err }

// toError maps a keyvalue error to the wasi:keyvalue variant. A container
// outside the allow-list is no-such-store (the host does not recognise it);
// every other failure is other(message), with the keyvalue-error case name
// as a prefix so the guest can still tell them apart.
func toError(err error) error {
	if err == nil {
		return nil
	}
	code := keyvalue.Classify(err)
	if code == keyvalue.CodeAccessDenied {
		return &Error{Code: NoSuchStore, Err: err}
	}
	return &Error{Code: Other, Message: code.String() + ": " + err.Error(), Err: err}
}

// DefaultPageSize is the number of keys ListKeys returns per call.
const DefaultPageSize = 100

// Bucket is an open wasi:keyvalue bucket.
type Bucket struct {
	c        keyvalue.Container
	pageSize int
}

// Open opens the bucket identifier: the container of that name in s.
func Open(ctx context.Context, s keyvalue.Store, identifier string) (*Bucket, error) {
	c, err := s.Open(ctx, identifier)
	if err != nil {
		return nil, toError(err)
	}
	return &Bucket{c: c, pageSize: DefaultPageSize}, nil
}

// SetPageSize sets how many keys ListKeys returns per page (at least 1).
func (b *Bucket) SetPageSize(n int) { b.pageSize = max(n, 1) }

// Get returns the value of key and true, or nil and false when the key has
// no value (WIT: ok(none)).
func (b *Bucket) Get(ctx context.Context, key string) ([]byte, bool, error) {
	v, err := b.c.Get(ctx, key)
	if errors.Is(err, keyvalue.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, toError(err)
	}
	return v, true, nil
}

// Set sets the value of key.
func (b *Bucket) Set(ctx context.Context, key string, value []byte) error {
	return toError(b.c.Set(ctx, key, value))
}

// Delete deletes key; a missing key is not an error.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	return toError(b.c.Delete(ctx, key))
}

// Exists reports whether key has a value.
func (b *Bucket) Exists(ctx context.Context, key string) (bool, error) {
	_, ok, err := b.Get(ctx, key)
	return ok, err
}

// ListKeys returns one page of keys in sorted order and the cursor of the
// next page, or nil when this page is the last. The cursor is the offset of
// the next key in the sorted key list, so keys written or deleted between
// calls may be skipped or repeated, which the WIT allows ("MAY show an
// out-of-date list of keys"). A cursor past the end yields an empty last
// page.
func (b *Bucket) ListKeys(ctx context.Context, cursor *uint64) ([]string, *uint64, error) {
	keys, err := b.c.Keys(ctx)
	if err != nil {
		return nil, nil, toError(err)
	}
	var start uint64
	if cursor != nil {
		start = *cursor
	}
	if start >= uint64(len(keys)) {
		return []string{}, nil, nil
	}
	end := min(start+uint64(b.pageSize), uint64(len(keys)))
	page := keys[start:end]
	if end == uint64(len(keys)) {
		return page, nil, nil
	}
	return page, &end, nil
}
