// Package keyvalue is the host side of the demo's key-value capability: a
// backend-neutral Store/Container interface, the policy that keeps an
// untrusted guest inside the containers the runner's config names, and three
// backends (memory, filesystem, Redis).
//
// The guest-facing layers (the demo:slight/keyvalue host interface generated
// by wit-bindgen-go-host, and the wasi:keyvalue/store adapter in package
// wasikv) only translate calls and errors; every check lives here.
//
// Layering:
//
//	guest ─▶ generated bindings ─▶ Mux (allow-list, Limits) ─▶ backend Store ─▶ memory | directory | Redis
//
// Backends validate keys and sizes themselves too (defence in depth), so a
// backend used without a Mux is still safe.
package keyvalue

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"
)

// Store opens containers of key-value pairs.
type Store interface {
	// Open returns the container called name. Backends accept any valid
	// container name (see ValidateContainerName); a Mux accepts only the
	// names it was configured with and fails with ErrContainerNotAllowed.
	Open(ctx context.Context, name string) (Container, error)
	// Close releases the backend's resources (connections). Containers opened
	// from it must not be used afterwards.
	Close() error
}

// Container is one named set of key-value pairs. Its methods are safe for
// concurrent use.
type Container interface {
	// Name returns the container's name.
	Name() string
	// Get returns a copy of the value of key, or an error matching
	// ErrKeyNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores a copy of value under key, replacing any previous value.
	Set(ctx context.Context, key string, value []byte) error
	// Keys returns the container's keys, sorted.
	Keys(ctx context.Context) ([]string, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Sentinel errors. Every error a Store or Container returns matches exactly
// one of them with errors.Is (usually through an *Error); Classify turns them
// into the cases of the WIT keyvalue-error variant.
var (
	// ErrKeyNotFound: the key has no value.
	ErrKeyNotFound = errors.New("key not found")
	// ErrContainerNotAllowed: the container is not named in the config, or
	// its name is not a valid container name.
	ErrContainerNotAllowed = errors.New("container not allowed")
	// ErrKeyInvalid: the key is empty, too long, not UTF-8, contains control
	// characters or looks like a path escaping its container.
	ErrKeyInvalid = errors.New("invalid key")
	// ErrTooLarge: the value is larger than Limits.MaxValueBytes.
	ErrTooLarge = errors.New("value too large")
	// ErrUnavailable: the backend cannot be reached or did not answer in
	// time; the *Error also wraps the cause.
	ErrUnavailable = errors.New("backend unavailable")
	// ErrBackend: the backend failed in another way (I/O error, unexpected
	// reply); the *Error also wraps the cause.
	ErrBackend = errors.New("backend error")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store closed")
)

// Error describes a failed operation. Kind is one of the sentinel errors and
// Err the underlying cause, if any; errors.Is matches both.
type Error struct {
	Op        string // "open", "get", "set", "keys" or "delete"
	Container string
	Key       string // truncated to 64 bytes for display
	Kind      error
	Err       error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("keyvalue ")
	b.WriteString(e.Op)
	if e.Container != "" {
		fmt.Fprintf(&b, " %q", e.Container)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, " key %q", e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Kind.Error())
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the kind and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// newError builds an *Error, shortening the key for display.
func newError(op, container, key string, kind, cause error) *Error {
	if len(key) > 64 {
		key = strings.ToValidUTF8(key[:64], "") + "…"
	}
	return &Error{Op: op, Container: container, Key: key, Kind: kind, Err: cause}
}

// Code is a case of the WIT keyvalue-error variant (demo:slight/keyvalue).
type Code int

// The cases of keyvalue-error, in WIT order.
const (
	CodeKeyNotFound Code = iota
	CodeInvalidKey
	CodeInvalidValue
	CodeConnectionError
	CodeAuthenticationError
	CodeTimeoutError
	CodeIOError
	CodeUnexpectedError
	CodeAccessDenied
)

var codeNames = [...]string{"key-not-found", "invalid-key", "invalid-value", "connection-error",
	"authentication-error", "timeout-error", "io-error", "unexpected-error", "access-denied"}

// String returns the WIT case name.
func (c Code) String() string {
	if c >= 0 && int(c) < len(codeNames) {
		return codeNames[c]
	}
	return fmt.Sprintf("Code(%d)", int(c))
}

// Classify maps an error from this package to the keyvalue-error case the
// guest receives. Deadline errors (a ctx deadline, or a backend that
// accepted the connection but did not answer in time) are timeout-error;
// unknown errors are unexpected-error.
func Classify(err error) Code {
	switch {
	case errors.Is(err, ErrKeyNotFound):
		return CodeKeyNotFound
	case errors.Is(err, ErrKeyInvalid):
		return CodeInvalidKey
	case errors.Is(err, ErrTooLarge):
		return CodeInvalidValue
	case errors.Is(err, ErrContainerNotAllowed):
		return CodeAccessDenied
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return CodeTimeoutError
	case errors.Is(err, ErrUnavailable):
		return CodeConnectionError
	case errors.Is(err, ErrBackend):
		return CodeIOError
	}
	return CodeUnexpectedError
}

// Default limits.
const (
	DefaultMaxKeyBytes   = 1024
	DefaultMaxValueBytes = 4 << 20
	// MaxContainerNameBytes bounds container names.
	MaxContainerNameBytes = 64
)

// Limits bounds what a guest may store. Zero fields take the defaults.
type Limits struct {
	MaxKeyBytes   int // default DefaultMaxKeyBytes
	MaxValueBytes int // default DefaultMaxValueBytes
}

// withDefaults fills zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxKeyBytes <= 0 {
		l.MaxKeyBytes = DefaultMaxKeyBytes
	}
	if l.MaxValueBytes <= 0 {
		l.MaxValueBytes = DefaultMaxValueBytes
	}
	return l
}

// ValidateContainerName reports whether name may name a container: 1 to 64
// bytes of ASCII letters, digits, '.', '_' and '-', starting with a letter or
// digit. Such a name is a safe directory name and never contains the ':'
// that separates container and key in Redis.
func ValidateContainerName(name string) error {
	if name == "" || len(name) > MaxContainerNameBytes {
		return fmt.Errorf("container name must be 1 to %d bytes", MaxContainerNameBytes)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return fmt.Errorf("container name %q: only letters, digits, '.', '_' and '-' are allowed, starting with a letter or digit", name)
		}
	}
	return nil
}

// ValidateKey reports whether key is acceptable under the limits: non-empty,
// at most MaxKeyBytes, valid UTF-8 without control characters, not starting
// with '/' or '\', and with no "." or ".." segment between '/' or '\'
// separators. Keys such as "user/42" are fine; "../x", "/abs" and "a/./b" are
// refused, so no backend ever has to interpret a path.
func (l Limits) ValidateKey(key string) error {
	l = l.withDefaults()
	if key == "" {
		return errors.New("empty key")
	}
	if len(key) > l.MaxKeyBytes {
		return fmt.Errorf("key of %d bytes exceeds the limit of %d", len(key), l.MaxKeyBytes)
	}
	if !utf8.ValidString(key) {
		return errors.New("key is not valid UTF-8")
	}
	if key[0] == '/' || key[0] == '\\' {
		return errors.New("key must not start with '/' or '\\'")
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return errors.New("key contains a control character")
		}
	}
	for seg := range strings.FieldsFuncSeq(key, func(r rune) bool { return r == '/' || r == '\\' }) {
		if seg == "." || seg == ".." {
			return errors.New("key contains a '.' or '..' path segment")
		}
	}
	return nil
}

// ValidateValue reports whether value fits the limits.
func (l Limits) ValidateValue(value []byte) error {
	l = l.withDefaults()
	if len(value) > l.MaxValueBytes {
		return fmt.Errorf("value of %d bytes exceeds the limit of %d", len(value), l.MaxValueBytes)
	}
	return nil
}

// checkKey returns the *Error for an invalid key, or nil.
func (l Limits) checkKey(op, container, key string) error {
	if err := l.ValidateKey(key); err != nil {
		return newError(op, container, key, ErrKeyInvalid, err)
	}
	return nil
}

// checkSet validates key and value for Set.
func (l Limits) checkSet(container, key string, value []byte) error {
	if err := l.checkKey("set", container, key); err != nil {
		return err
	}
	if err := l.ValidateValue(value); err != nil {
		return newError("set", container, key, ErrTooLarge, err)
	}
	return nil
}

// checkOpen validates a container name for Open.
func checkOpen(name string) error {
	if err := ValidateContainerName(name); err != nil {
		return newError("open", name, "", ErrContainerNotAllowed, err)
	}
	return nil
}
