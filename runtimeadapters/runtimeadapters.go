// Package runtimeadapters is the runtime-neutral layer between code generated
// by wit-bindgen-go-host and a WebAssembly engine.
//
// Generated host bindings call only this package, never an engine directly,
// so one generated package runs on any engine that has an adapter: the wazero
// adapter lives in runtimeadapters/wazero (compiler and interpreter), and a
// wasmtime adapter can be added without touching generated code.
//
// The package has two halves:
//
//   - The engine interfaces: [Runtime], [CompiledModule], [Instance],
//     [Function] and [Memory], plus [HostFunc] for imports the host
//     implements. They speak core WebAssembly only: every value is a uint64
//     slot on a stack, exactly like wazero's api.Function.CallWithStack.
//
//   - Hand-written canonical-ABI helpers shared by all generated code
//     (see CanonicalABI.md in WebAssembly/component-model): bounds and
//     alignment checks ([CheckBounds], [CheckAlign], [CheckList]), string and
//     list copying ([LiftString], [LowerString], [LiftBytes], [LowerBytes],
//     [AllocList], [LiftScalarList], [LowerScalarList]), calling
//     cabi_realloc ([Realloc]), scalar conversions ([LiftChar], [LiftBool],
//     [LiftDiscriminant], [LiftFlags], [EncodeF32] ...) and resource handle
//     tables ([HandleTable]).
//
// # Guest values are hostile
//
// Every helper treats pointers, lengths, discriminants, code points and handle
// indices supplied by the guest as untrusted. Arithmetic on ptr+len is done in
// uint64 so it cannot wrap, and every violation is reported as an *[ABIError]
// (matching one of the Err* sentinels via errors.Is) instead of a panic. The
// canonical ABI says such a violation traps; generated code returns the error
// to its caller.
//
// # Memory views go stale
//
// [Memory.Read] returns a view of guest memory. Any call into the guest (in
// particular cabi_realloc) may grow memory and move it, so never keep a view
// across a guest call: copy first ([LiftString] and [LiftBytes] copy), or
// re-read after the call.
//
// # Concurrency
//
// A [CompiledModule] and a [Runtime] are safe for concurrent use. An
// [Instance], its [Function]s, its [Memory] and any [HandleTable] belonging to
// it are NOT: use one instance per goroutine (or serialize access). A
// [Function] must not be re-entered while a call to it is in progress; the
// adapter reports such a call as an error ([ErrReentrant]) rather than
// corrupting the engine's state.
//
// # Hot path
//
// Export calls through [Function.Call] and host calls into a [HostFunc] with
// scalar arguments do not allocate. Look exports up once per instance with
// [Instance.Function] (or [RequireFunction]) and reuse a preallocated stack.
package runtimeadapters

import (
	"context"
	"fmt"
	"strings"
)

// SupportsVersion1 is referenced by generated code as
//
//	const _ = runtimeadapters.SupportsVersion1
//
// so that generated code that needs a newer runtime support package fails at
// compile time instead of at run time. A later, incompatible contract adds
// SupportsVersion2 (and keeps this constant as long as version 1 code still
// works).
const SupportsVersion1 = true

// ValueType is a core WebAssembly value type. The values are the binary
// encodings from the core spec (and equal wazero's api.ValueType constants).
type ValueType byte

const (
	ValueTypeI32 ValueType = 0x7f // i32
	ValueTypeI64 ValueType = 0x7e // i64
	ValueTypeF32 ValueType = 0x7d // f32
	ValueTypeF64 ValueType = 0x7c // f64
)

// String returns the WebAssembly text name: "i32", "i64", "f32" or "f64".
func (t ValueType) String() string {
	switch t {
	case ValueTypeI32:
		return "i32"
	case ValueTypeI64:
		return "i64"
	case ValueTypeF32:
		return "f32"
	case ValueTypeF64:
		return "f64"
	}
	return fmt.Sprintf("ValueType(%#x)", byte(t))
}

// Valid reports whether t is one of the four numeric value types.
func (t ValueType) Valid() bool {
	return t == ValueTypeI32 || t == ValueTypeI64 || t == ValueTypeF32 || t == ValueTypeF64
}

// Signature formats a core function type as in the text format, e.g.
// "(i32, i32) -> (i64)".
func Signature(params, results []ValueType) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, p := range params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p.String())
	}
	b.WriteString(") -> (")
	for i, r := range results {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(r.String())
	}
	b.WriteByte(')')
	return b.String()
}

// HostFunc implements an imported core function.
//
// stack holds the parameters on entry (one uint64 slot per core parameter,
// encoded as by [EncodeI32], [EncodeF32] ...); the function writes its results
// to stack[0:] (stack is long enough for both). This is the convention of
// wazero's api.GoModuleFunction and api.Function.CallWithStack.
//
// caller is the adapter [Instance] whose guest code made the call; its
// [Instance.Data] is the per-instance state given in [InstanceConfig.Data]
// (available even while start functions run during instantiation).
//
// A non-nil error traps the guest: the export call that led here fails with a
// *[TrapError] whose chain contains a *[HostError] wrapping the returned error
// (so errors.Is and errors.As on the export's error find it).
type HostFunc func(ctx context.Context, caller Instance, stack []uint64) error

// HostFuncDef describes one function of a host module.
type HostFuncDef struct {
	// Name is the import field name, e.g. "[method]blob.read".
	Name string
	// Params and Results are the core signature.
	Params, Results []ValueType
	// Func implements the function. It must not be nil.
	Func HostFunc
}

// Runtime is an engine that compiles and instantiates guest modules and hosts
// imported functions. A Runtime is safe for concurrent use.
type Runtime interface {
	// Compile validates and compiles a core WebAssembly module. The result
	// can be instantiated many times, from several goroutines.
	Compile(ctx context.Context, wasm []byte) (CompiledModule, error)

	// DefineHostModule registers a host module (import namespace, e.g.
	// "example:kv/store@1.0.0" or "$root") with the given functions, once per
	// runtime. Defining the same module name twice is an error that names the
	// module; so are an empty name, a duplicate function name, a nil Func and
	// an invalid value type.
	DefineHostModule(ctx context.Context, module string, funcs []HostFuncDef) error

	// Instantiate instantiates a compiled guest module. Its imports must
	// have been defined first (DefineHostModule, or directly on the engine,
	// e.g. WASI). cfg.Data is per-instance user data returned by
	// Instance.Data, also inside host functions called by start functions.
	Instantiate(ctx context.Context, m CompiledModule, cfg InstanceConfig) (Instance, error)
}

// ExternKind is the kind of an import or export.
type ExternKind byte

const (
	ExternFunc   ExternKind = 0x00 // a function
	ExternTable  ExternKind = 0x01 // a table
	ExternMemory ExternKind = 0x02 // a linear memory
	ExternGlobal ExternKind = 0x03 // a global
)

// String returns "func", "table", "memory" or "global".
func (k ExternKind) String() string {
	switch k {
	case ExternFunc:
		return "func"
	case ExternTable:
		return "table"
	case ExternMemory:
		return "memory"
	case ExternGlobal:
		return "global"
	}
	return fmt.Sprintf("ExternKind(%#x)", byte(k))
}

// ImportDesc describes an import of a compiled module. Params and Results are
// set for functions only.
type ImportDesc struct {
	Module, Name    string
	Kind            ExternKind
	Params, Results []ValueType
}

// ExportDesc describes an export of a compiled module. Params and Results are
// set for functions only.
type ExportDesc struct {
	Name            string
	Kind            ExternKind
	Params, Results []ValueType
}

// CompiledModule is a compiled guest module. It is safe for concurrent use
// and can be instantiated many times.
type CompiledModule interface {
	// Imports lists the module's imports in a deterministic order (for
	// wazero: functions in declaration order, then memories), so generated
	// code can check that it supplies every one with the right signature.
	// Do not modify the result.
	Imports() []ImportDesc
	// Exports lists the module's exports in a deterministic order (for
	// wazero: sorted by name). Do not modify the result.
	Exports() []ExportDesc
	// Close releases the compiled code. Instances already created keep
	// working.
	Close(ctx context.Context) error
}

// InstanceConfig configures Runtime.Instantiate.
type InstanceConfig struct {
	// Name is the instance (module) name. Empty means anonymous, which lets
	// the same module be instantiated many times in one runtime.
	Name string
	// Data is per-instance user data, returned by Instance.Data.
	Data any
	// StartFunctions are exports called in order after instantiation, e.g.
	// "_initialize" for reactors built by Go (GOOS=wasip1) or wasi-libc.
	// Nil means none (unlike wazero's default "_start"). A name that is not
	// exported is skipped. The module's start section always runs.
	StartFunctions []string
}

// Instance is an instantiated guest module. It is not safe for concurrent
// use.
type Instance interface {
	// Name is InstanceConfig.Name.
	Name() string
	// Memory is the guest's exported "memory", or nil if there is none.
	Memory() Memory
	// Function returns the exported function name, or nil if absent (an
	// untyped nil, so `f == nil` works). The result is cached per instance,
	// but generated code should still look exports up once, at
	// instantiation, and keep them.
	Function(name string) Function
	// Data is InstanceConfig.Data.
	Data() any
	// Close releases the instance; afterwards calls fail. It is idempotent
	// and must be called, or the adapter keeps the instance reachable.
	Close(ctx context.Context) error
}

// Function is an exported guest function.
type Function interface {
	// Call calls the function. stack holds the parameters on entry and the
	// results on return; it must have at least max(len(Params),
	// len(Results)) elements. It does not allocate on success.
	//
	// A guest trap (unreachable, out-of-bounds access, stack overflow, a
	// HostFunc error, ...) is returned as a *TrapError. When ctx is done the
	// call is stopped (if the engine supports it; see the wazero adapter's
	// NewRuntime) and the error also matches ctx.Err() via errors.Is.
	//
	// A trap poisons the instance, as in the component model: every later
	// call to any of its functions fails with a *TrapError matching
	// ErrPoisoned (or ErrClosed if the engine closed the instance). Errors
	// that are the host's own (ErrBadCall, ErrReentrant) do not poison.
	Call(ctx context.Context, stack []uint64) error
	// Name is the export name.
	Name() string
	// Params and Results are the core signature. Do not modify them.
	Params() []ValueType
	// Results: see Params.
	Results() []ValueType
}

// Memory is a guest's linear memory. All offsets are guest pointers; every
// method checks bounds and reports ok=false instead of panicking. Multi-byte
// values are little-endian and need not be aligned (alignment is checked by
// the canonical-ABI helpers, not here).
type Memory interface {
	// Size is the current size in bytes.
	Size() uint32
	// Read returns a VIEW of n bytes at offset. The view aliases guest
	// memory and goes stale when the guest grows memory: copy it before
	// any further call into the guest.
	Read(offset, n uint32) ([]byte, bool)
	// Write copies p into memory at offset.
	Write(offset uint32, p []byte) bool

	// ReadU8 reads the byte at offset.
	ReadU8(offset uint32) (uint8, bool)
	// ReadU16 reads the little-endian uint16 at offset.
	ReadU16(offset uint32) (uint16, bool)
	// ReadU32 reads the little-endian uint32 at offset.
	ReadU32(offset uint32) (uint32, bool)
	// ReadU64 reads the little-endian uint64 at offset.
	ReadU64(offset uint32) (uint64, bool)
	// WriteU8 writes the byte v at offset.
	WriteU8(offset uint32, v uint8) bool
	// WriteU16 writes v little-endian at offset.
	WriteU16(offset uint32, v uint16) bool
	// WriteU32 writes v little-endian at offset.
	WriteU32(offset uint32, v uint32) bool
	// WriteU64 writes v little-endian at offset.
	WriteU64(offset uint32, v uint64) bool
}
