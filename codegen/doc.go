// Package codegen generates Go host bindings for a WIT world: Go code that
// instantiates a core WebAssembly guest module following the component
// model's canonical ABI, serves the world's imports from Go implementations,
// and calls the world's exports as typed Go methods. Generated code calls
// only package runtimeadapters, so it runs on any engine with an adapter
// (wazero today).
//
// [Generate] walks the resolved model ([wit.Resolve]); it never sees the
// parser's AST. It works in three passes: a check pass that refuses
// unsupported input with a [*Diagnostic] (position, item, rule), a naming
// pass that declares every Go identifier of the package in a fixed order,
// and emitters (one file per WIT kind, each with its declaration and its
// lift and lower code) rendered through jennifer and gofmt. The output is
// deterministic: no timestamps, no absolute paths, no map-order effects.
//
// # Types
//
// Every WIT type has a Go type:
//
//	WIT                     Go
//	bool, u8 … u64          bool, uint8 … uint64
//	s8 … s64, f32, f64      int8 … int64, float32, float64
//	char                    rune (validated both ways: no surrogates, ≤ U+10FFFF)
//	string                  string (copied; UTF-8 validated both ways)
//	record r                type R struct{ Field T; … }
//	tuple<A, B>             struct{ F0 A; F1 B }
//	list<u8>                []byte
//	list<T>                 []T
//	list<T, N>              [N]T
//	map<K, V>               map[K]V (K primitive; lowered in map order, the last duplicate key wins when lifting)
//	option<T>               runtimeadapters.Option[T] (nests: Option[Option[T]] keeps none ≠ some(none))
//	result<T, E>            runtimeadapters.Result[T, E] (a missing T or E is struct{})
//	enum e                  type E uint8|uint16|uint32, constants E<Case>, String()
//	flags f (1–32 flags)    type F uint8|uint16|uint32, constants F<Flag> = 1<<i, String()
//	variant v               sealed interface V; one struct V<Case> per case, with a Value field for a payload
//	resource r (imported)   interface R { methods…; Drop(ctx) error } implemented by the host
//	resource r (exported)   *R, a handle whose methods call the guest; Drop runs the guest's destructor
//	own<r>, borrow<r>       the resource's Go type
//	type a = b              type A = B (when the plain name is free)
//
// Flags with more than 32 members, future, stream, error-context and async
// functions are refused with a Diagnostic.
//
// # Imports: the host implements interfaces
//
// Every imported interface with functions becomes a Go interface named after
// it, and the world's own imported functions an interface named Host. Each
// method takes a context.Context first and returns an error last:
//
//	type Logging interface {
//		// WIT: `log: func(lvl: level, msg: string)`
//		Log(ctx context.Context, lvl Level, msg string) error
//	}
//
// Constructors become New<R> and static functions <R><Name> on the
// interface's Go interface; resource methods are methods of the resource's
// Go interface. Unimplemented<Iface> (and Unimplemented<R>) implement every
// method by failing with runtimeadapters.ErrNotImplemented; embed them so a
// growing world keeps compiling. A returned error traps the guest's call,
// except for a function whose WIT result is result<T, E>: its Go method
// returns (T, error), and an error that is a *runtimeadapters.WITError[E]
// becomes the guest's err(E) (runtimeadapters.NewWITError(e) builds one).
// The Imports struct has one field per host interface.
//
// Imported resources live in a per-instance handle table
// (runtimeadapters.HandleTable): the guest sees i32 handles; an own handle
// moves to the host when passed as own; a borrow lasts for one call; the
// guest's `[resource-drop]r` of an own handle calls the value's Drop.
//
// # Exports: the host calls the guest
//
// New<World>(ctx, rt, module) defines the host modules in a runtime the
// caller owns (once per runtime) and returns a factory; Instantiate(ctx,
// Imports) creates a <World>Instance, running the guest's _initialize if it
// has one and resolving every export once. Functions of an exported
// interface are methods of the value returned by the instance method named
// after the interface (instance.Greeter().Greet(ctx, name)); the world's
// own exported functions are methods of the instance. Each wrapper lowers
// the arguments (allocating guest memory with cabi_realloc; more than 16
// flat parameters are spilled to memory), calls the export with a
// preallocated stack, lifts the result (copying out of guest memory, from
// a checked return pointer when it does not fit one core value), and calls
// cabi_post_<export>. A guest err(E) of a result<T, E> is returned as a
// *runtimeadapters.WITError[E]; traps and canonical-ABI violations are other
// errors (see runtimeadapters.TrapError and ABIError).
//
// The arguments are validated before anything reaches the guest (UTF-8
// strings, Unicode scalar runes, non-nil variants, in-range enums, live
// resource handles), so a refused call allocates nothing in the guest.
// Lifting checks every guest pointer (bounds and alignment), length,
// discriminant, char, UTF-8 string and handle; it decodes each value from
// one view of guest memory, which is safe because lifting never calls the
// guest, and copies strings and lists out. After a guest trap or
// canonical-ABI violation the instance is locked down: later calls fail
// with runtimeadapters.ErrClosed. A call into an instance that is already
// running guest code (from inside an import) is refused with
// runtimeadapters.ErrReentrant, and so is an import called from
// cabi_realloc or cabi_post_*. Instantiate fails when the guest lacks an
// export the world needs (a function, with its core signature checked,
// memory or cabi_realloc).
//
// Exported resources are *R handles. The host provides the
// `[export]<iface>` intrinsics `[resource-new]r`, `[resource-rep]r` and
// `[resource-drop]r`; dropping an own handle (from the guest, from R.Drop or
// from Close) calls the guest's `<iface>#[dtor]r` export if it has one.
//
// # Core names
//
// Imports use module `ns:pkg/iface@version` (or the plain name of
// `import name: interface {…}`, or `$root` for world-level functions) and
// the WIT function name (`[method]r.f`, `[constructor]r`, `[static]r.f`);
// exports use `ns:pkg/iface@version#name`, the plain name for world-level
// functions, `cabi_post_<export>`, `cabi_realloc` and `memory`.
//
// # Names
//
// WIT kebab-case becomes Go CamelCase with initialisms kept (ID, URL, HTTP,
// IP, IPv4, IPv6, JSON, UTF8, TCP, UDP, API, URI, TLS). Parameters are
// lowerCamel; a parameter spelled like a Go keyword, a predeclared
// identifier or a reserved name (ctx, err, mod, stack, mem, the generated
// imports' package names, …) gets `_` appended. When distinct WIT names map
// to one Go name (`a-b-c` and case `c` of `a-b`; the same type name in two
// interfaces), the first declared keeps the name and later ones take a
// qualified spelling (AB_C, <Iface><Type>), then a numeric suffix.
package codegen
