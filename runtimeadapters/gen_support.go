package runtimeadapters

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/internal/witfmt"
	"github.com/wasmhost/wit-bindgen-go-host/runtimeadapters/wittypes"
)

// This file holds the value types and small helpers that generated
// bindings share beyond the canonical-ABI helpers (owned by the codegen).

// The value types below live in package wittypes, which guests link
// without fmt; these aliases and wrappers keep runtimeadapters' names (and
// the host bindings that use them) unchanged. The types are identical.

func init() { witfmt.Sprint = func(v any) string { return fmt.Sprint(v) } }

// Option is WIT's option<T>: an alias of wittypes.Option. The zero value is
// none. Options nest without losing information: Option[Option[T]]
// distinguishes none, some(none) and some(some(v)).
type Option[T any] = wittypes.Option[T]

// Some returns an option holding v.
func Some[T any](v T) Option[T] { return wittypes.Some(v) }

// None returns the empty option.
func None[T any]() Option[T] { return wittypes.None[T]() }

// Result is WIT's result<T, E>: an alias of wittypes.Result. A missing WIT
// type is struct{}. The zero value is ok(zero T).
type Result[T, E any] = wittypes.Result[T, E]

// OK returns ok(v).
func OK[T, E any](v T) Result[T, E] { return wittypes.OK[T, E](v) }

// Err returns err(e).
func Err[T, E any](e E) Result[T, E] { return wittypes.Err[T, E](e) }

// WITError carries the error value of a function whose WIT result is
// result<T, E> through a Go error return: an alias of wittypes.WITError.
//
// A host implementation of an imported function returns &WITError[E]{v}
// (or NewWITError(v)) to make the guest receive err(v); any other error
// traps the guest. An exported function returns the guest's err(v) as a
// *WITError[E]; traps are other errors. Use errors.As to tell them apart.
type WITError[E any] = wittypes.WITError[E]

// NewWITError returns &WITError[E]{Value: v}.
func NewWITError[E any](v E) *WITError[E] { return wittypes.NewWITError(v) }

// ErrNotImplemented is returned (and traps the guest) by the methods of the
// generated Unimplemented* types.
var ErrNotImplemented = errors.New("not implemented")

// NotImplemented returns an error matching ErrNotImplemented that names the
// WIT function.
func NotImplemented(fn string) error {
	return fmt.Errorf("%s: %w", fn, ErrNotImplemented)
}

// OutOfBounds is the error of a failed guest memory access of size bytes at
// ptr while doing op.
func OutOfBounds(op string, ptr, size uint32) error {
	return &ABIError{Op: op, Kind: ErrOutOfBounds, Detail: fmt.Sprintf("%d bytes at %#x", size, ptr)}
}

// InvalidValue is the error of a host-supplied value that cannot be lowered
// (a nil variant or resource, a dropped resource handle).
func InvalidValue(op, detail string) error {
	return &ABIError{Op: op, Kind: ErrBadCall, Detail: detail}
}

// Reentered is the error of a call into an instance that is already running
// guest code (the component model's may_enter/may_leave rules refuse it).
func Reentered(fn string) error {
	return &ABIError{Func: fn, Op: "enter instance", Kind: ErrReentrant,
		Detail: "the instance is already running guest code (re-entrance is not allowed)"}
}

// borrowEnder is a HandleTable of any type.
type borrowEnder interface{ EndBorrow(Token) error }

type pendingBorrow struct {
	t   borrowEnder
	tok Token
}

// BorrowScope collects the borrow handles lowered into one export call, so
// that they can be checked when the call returns. Reuse one per instance:
// after warm-up it does not allocate.
type BorrowScope struct {
	pending []pendingBorrow
}

// Add records a borrow handed out by t.LowerBorrow.
func (s *BorrowScope) Add(t borrowEnder, tok Token) {
	s.pending = append(s.pending, pendingBorrow{t, tok})
}

// End ends every recorded borrow (HandleTable.EndBorrow) and empties the
// scope; the first error, if any, is returned.
func (s *BorrowScope) End() error {
	var first error
	for i, p := range s.pending {
		if err := p.t.EndBorrow(p.tok); err != nil && first == nil {
			first = err
		}
		s.pending[i] = pendingBorrow{}
	}
	s.pending = s.pending[:0]
	return first
}

// LeaveRefused is the error of an import called by the guest while it may
// not leave (during cabi_realloc or cabi_post_*: CanonicalABI.md
// may_leave).
func LeaveRefused() error {
	return &ABIError{Op: "call import", Kind: ErrReentrant,
		Detail: "the guest called an import from cabi_realloc or cabi_post_*, which may not leave the instance"}
}

// Dead is the error of a call into an instance that trapped earlier: after
// a trap the component model locks the instance down, so every further
// call fails. cause is the first trap.
func Dead(fn string, cause error) error {
	return &ABIError{Func: fn, Op: "enter instance", Kind: ErrClosed,
		Detail: "the instance trapped earlier and refuses further calls", Cause: cause}
}

// MissingExport is the error of a guest that lacks an export the bindings
// need (memory, cabi_realloc); why says what needs it.
func MissingExport(name, why string) error {
	return &ABIError{Op: "link", Kind: ErrBadCall, Detail: "guest does not export " + quote(name) + ", which " + why}
}

// IsHostFault reports whether err is a misuse by the host (ErrBadCall, such
// as a nil variant or a dropped handle passed to an export) rather than a
// guest fault. Generated code locks an instance down after guest faults
// only.
func IsHostFault(err error) bool { return errors.Is(err, ErrBadCall) }

// CheckString reports whether a host string can be lowered: a WIT string
// is a sequence of Unicode scalar values, so invalid UTF-8 (including
// encoded surrogates) is an ErrInvalidUTF8. Generated code checks every
// argument before it allocates guest memory, so a rejected call leaks
// nothing in the guest.
func CheckString(s string) error {
	if utf8.ValidString(s) {
		return nil
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return &ABIError{Op: "lower string", Kind: ErrInvalidUTF8, Detail: fmt.Sprintf("invalid UTF-8 at byte %d of %d", i, len(s))}
			}
		}
	}
	return &ABIError{Op: "lower string", Kind: ErrInvalidUTF8}
}
