// Package wit is the resolved model of WIT (WebAssembly Interface Types).
//
// A [Resolve] is produced by the parser package from WIT source. It is flat
// and fully resolved: every name has been looked up, every `use` has been
// turned into an alias type definition, every world has been elaborated
// (includes merged, interfaces needed by imports and exports added as
// imports), and packages, interfaces and type definitions are stored in
// topological order, dependencies first.
//
// Code generators, the JSON writer and the WIT printer walk this model; none
// of them sees the parser's AST.
//
// References between nodes are Go pointers. Every node also records its
// index in the corresponding [Resolve] slice, which is the index used by the
// JSON format of `wasm-tools component wit --json`.
//
// The kind of a type definition is a sealed interface ([TypeDefKind]) with
// one Go type per WIT kind. A use of a type is a [Type]: either a
// [Primitive] or a *[TypeDef].
package wit
