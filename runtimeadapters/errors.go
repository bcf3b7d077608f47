package runtimeadapters

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every *ABIError matches exactly one of them through
// errors.Is, so callers and tests can classify failures without parsing
// messages.
var (
	// ErrOutOfBounds: a guest pointer/length pair reaches past the end of
	// memory (or the guest has no memory).
	ErrOutOfBounds = errors.New("out of bounds")
	// ErrMisaligned: a guest pointer is not aligned as the canonical ABI
	// requires.
	ErrMisaligned = errors.New("misaligned pointer")
	// ErrInvalidUTF8: a guest string is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	// ErrInvalidChar: a char is a surrogate or above U+10FFFF.
	ErrInvalidChar = errors.New("invalid char")
	// ErrInvalidDiscriminant: a variant, enum, option or result case index
	// is out of range.
	ErrInvalidDiscriminant = errors.New("invalid discriminant")
	// ErrTooLarge: a length does not fit the canonical ABI's limits (a
	// 32-bit address space; 2^31-1 bytes for strings).
	ErrTooLarge = errors.New("value too large")
	// ErrRealloc: cabi_realloc trapped or returned an unusable pointer.
	ErrRealloc = errors.New("cabi_realloc failed")
	// ErrInvalidHandle: a resource handle is forged, already dropped, of
	// the wrong resource type, or used against own/borrow rules.
	ErrInvalidHandle = errors.New("invalid handle")
	// ErrBadCall: the host called a helper or function incorrectly (stack
	// too short, invalid alignment argument, nil function, ...). This is a
	// host-side bug, not a guest fault.
	ErrBadCall = errors.New("bad call")
	// ErrReentrant: a Function was called while a call to it was already
	// in progress.
	ErrReentrant = errors.New("re-entrant call")
	// ErrClosed: the instance was closed, or the engine closed it (its
	// context was done, or the guest exited).
	ErrClosed = errors.New("instance closed")
	// ErrPoisoned: an earlier call into the instance trapped. As in the
	// component model, a trapped instance is not entered again: its state
	// may be inconsistent (a Go guest, for one, is dead after a fatal
	// error).
	ErrPoisoned = errors.New("instance poisoned by an earlier trap")
)

// ABIError reports a canonical-ABI violation: a guest-supplied value that
// CanonicalABI.md says traps (or, for Kind == ErrBadCall, a misuse by the
// host). It never comes with a panic.
type ABIError struct {
	// Func is the function being lifted or lowered, if known (see WithFunc).
	Func string
	// Op says what was being done: "lift string", "realloc", "lift char",
	// "drop handle", ...
	Op string
	// Kind is one of the Err* sentinels; errors.Is(err, Kind) holds.
	Kind error
	// Detail describes the offending values: pointer, length, alignment,
	// memory size, discriminant, handle index.
	Detail string
	// Cause is an underlying error (e.g. a trap inside cabi_realloc).
	Cause error
}

// Error describes the violation, the function and the detail.
func (e *ABIError) Error() string {
	msg := "canonical ABI: "
	if e.Func != "" {
		msg += e.Func + ": "
	}
	msg += e.Op
	if e.Kind != nil {
		msg += ": " + e.Kind.Error()
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

// Unwrap returns Kind and Cause, so errors.Is matches both.
func (e *ABIError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Cause != nil {
		errs = append(errs, e.Cause)
	}
	return errs
}

func abiErr(op string, kind error, format string, args ...any) error {
	return &ABIError{Op: op, Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// WithFunc attributes err to function fn (a WIT or core function name):
// an *ABIError without a Func gets fn set (on a copy), any other non-nil
// error is wrapped as "fn: err". A nil err stays nil.
func WithFunc(fn string, err error) error {
	if err == nil {
		return nil
	}
	if ae, ok := err.(*ABIError); ok && ae.Func == "" {
		c := *ae
		c.Func = fn
		return &c
	}
	return fmt.Errorf("%s: %w", fn, err)
}

// TrapError reports that a guest call trapped: the guest executed
// unreachable, accessed memory out of bounds, overflowed its stack, a host
// function it called failed (see HostError), the call was stopped because
// its context was done, or the engine reported another fatal condition.
type TrapError struct {
	// Func is the export that was called.
	Func string
	// Err is the engine's error. When a HostFunc failed, its chain contains
	// the *HostError; when the context was done it matches ctx.Err().
	Err error
}

// Error names the function that trapped and the cause.
func (e *TrapError) Error() string {
	if e.Err == nil {
		return "wasm trap in " + e.Func
	}
	return "wasm trap in " + e.Func + ": " + e.Err.Error()
}

// Unwrap returns the cause of the trap.
func (e *TrapError) Unwrap() error { return e.Err }

// HostError is a HostFunc's error, as it travels through the guest's trap
// back to the Go caller of the export.
type HostError struct {
	// Module and Name identify the host function.
	Module, Name string
	// Err is what the HostFunc returned.
	Err error
}

// Error names the host function and its error.
func (e *HostError) Error() string {
	if e.Err == nil {
		return "host function " + e.Module + "." + e.Name + " failed"
	}
	return "host function " + e.Module + "." + e.Name + " failed: " + e.Err.Error()
}

// Unwrap returns the host function's error.
func (e *HostError) Unwrap() error { return e.Err }
