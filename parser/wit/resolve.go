package wit

import (
	"fmt"
	"strings"
)

// Pos is a position in WIT source text. Line and Col are 1-based; Col counts
// Unicode scalar values (as wit-parser does). The zero Pos means "unknown".
type Pos struct {
	Filename string
	Offset   int // byte offset, 0-based
	Line     int
	Col      int
}

// IsValid reports whether p refers to a real source position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats p as "file:line:col".
func (p Pos) String() string {
	if !p.IsValid() {
		if p.Filename != "" {
			return p.Filename
		}
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Col)
}

// Docs holds the documentation comment of an item, with comment markers
// removed exactly as wit-parser removes them. Contents is "" when the item
// has no documentation.
type Docs struct {
	Contents string
}

// Resolve is a set of resolved WIT packages.
type Resolve struct {
	// Packages in topological order: a package comes after every package
	// it depends on.
	Packages []*Package
	// Worlds of all packages.
	Worlds []*World
	// Interfaces of all packages, including anonymous interfaces declared
	// inline in worlds.
	Interfaces []*Interface
	// TypeDefs holds every type definition, named and anonymous.
	TypeDefs []*TypeDef
}

// PackageName is the name of a WIT package, e.g. "wasi:http@0.2.0".
type PackageName struct {
	Namespace string
	Name      string
	// Version is a semantic version without a leading "v", or "".
	Version string
}

// String returns "ns:name" or "ns:name@version".
func (n PackageName) String() string {
	s := n.Namespace + ":" + n.Name
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

// WithoutVersion returns "ns:name".
func (n PackageName) WithoutVersion() string { return n.Namespace + ":" + n.Name }

// Package is a resolved WIT package.
type Package struct {
	Name PackageName
	Docs Docs
	// Interfaces declared by the package, in the order wit-parser records
	// them (topological by `use`, otherwise source order).
	Interfaces []*Interface
	// Worlds declared by the package, in source order.
	Worlds []*World
	// Index is the position of the package in Resolve.Packages.
	Index int
	Pos   Pos
}

// Interface returns the package's interface with the given name, or nil.
func (p *Package) Interface(name string) *Interface {
	for _, i := range p.Interfaces {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// World returns the package's world with the given name, or nil.
func (p *Package) World(name string) *World {
	for _, w := range p.Worlds {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// Interface is a resolved WIT interface.
type Interface struct {
	// Name is "" for an anonymous interface (declared inline in a world).
	Name string
	// Package that declares the interface. Anonymous interfaces belong to
	// the package of their world.
	Package *Package
	// Types in the order they are declared (after `use` resolution), each
	// with Owner == this interface.
	Types []*TypeDef
	// Functions in declaration order. Resource functions carry their
	// mangled names ("[method]r.f", "[constructor]r", "[static]r.f").
	Functions []*Function
	Docs      Docs
	Stability Stability // nil when unknown (no gate)
	Index     int
	Pos       Pos
}

// QualifiedName returns "ns:pkg/name@version" for a named interface, and ""
// for an anonymous one.
func (i *Interface) QualifiedName() string {
	if i.Name == "" || i.Package == nil {
		return ""
	}
	n := i.Package.Name
	s := n.Namespace + ":" + n.Name + "/" + i.Name
	if n.Version != "" {
		s += "@" + n.Version
	}
	return s
}

// Type returns the interface's type definition with the given name, or nil.
func (i *Interface) Type(name string) *TypeDef {
	for _, t := range i.Types {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Function returns the interface's function with the given name, or nil.
func (i *Interface) Function(name string) *Function {
	for _, f := range i.Functions {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// World is a resolved, fully elaborated WIT world.
type World struct {
	Name    string
	Package *Package
	// Imports and Exports in wit-parser's order (IndexMap insertion order).
	Imports   []*WorldItem
	Exports   []*WorldItem
	Docs      Docs
	Stability Stability
	Index     int
	Pos       Pos
}

// WorldKey is the key of a world import or export: a plain name
// (`import foo: ...`, functions, types) or an interface
// (`import ns:pkg/iface;`). Exactly one of the two fields is set.
type WorldKey struct {
	Name      string
	Interface *Interface
}

// String returns the name, or the interface's qualified name.
func (k WorldKey) String() string {
	if k.Interface != nil {
		return k.Interface.QualifiedName()
	}
	return k.Name
}

// WorldItem is one import or export of a world. Exactly one of Interface,
// Function and Type is set.
type WorldItem struct {
	Key       WorldKey
	Interface *Interface
	Function  *Function
	Type      *TypeDef
	// Docs and Stability of the import/export statement (interfaces only;
	// functions and types carry their own).
	Docs      Docs
	Stability Stability
}

// Stability is the gate of an item: *Stable or *Unstable. A nil Stability
// means "unknown" (the item carries no gate).
type Stability interface {
	isStability()
	// DeprecatedIn returns the version the item was deprecated in, or "".
	DeprecatedIn() string
}

// Stable is `@since(version = ...)`, optionally with `@deprecated`.
type Stable struct {
	Since      string
	Deprecated string
}

// Unstable is `@unstable(feature = ...)`, optionally with `@deprecated`.
type Unstable struct {
	Feature    string
	Deprecated string
}

func (*Stable) isStability()   {}
func (*Unstable) isStability() {}

// DeprecatedIn implements Stability.
func (s *Stable) DeprecatedIn() string { return s.Deprecated }

// DeprecatedIn implements Stability.
func (s *Unstable) DeprecatedIn() string { return s.Deprecated }

// FunctionKind says whether a function is freestanding or belongs to a
// resource, and whether it is async.
type FunctionKind uint8

// The function kinds, matching wit-parser's FunctionKind.
const (
	Freestanding FunctionKind = iota
	AsyncFreestanding
	Method
	AsyncMethod
	Static
	AsyncStatic
	Constructor
)

// String returns the kind's name in wit-parser's JSON format.
func (k FunctionKind) String() string {
	switch k {
	case Freestanding:
		return "freestanding"
	case AsyncFreestanding:
		return "async-freestanding"
	case Method:
		return "method"
	case AsyncMethod:
		return "async-method"
	case Static:
		return "static"
	case AsyncStatic:
		return "async-static"
	case Constructor:
		return "constructor"
	}
	return fmt.Sprintf("FunctionKind(%d)", uint8(k))
}

// IsAsync reports whether the kind is an async kind.
func (k FunctionKind) IsAsync() bool {
	return k == AsyncFreestanding || k == AsyncMethod || k == AsyncStatic
}

// Function is a resolved WIT function.
type Function struct {
	// Name is the WIT-level name; resource functions are mangled:
	// "[constructor]r", "[method]r.f", "[static]r.f".
	Name string
	Kind FunctionKind
	// Resource is the resource type a method, static or constructor belongs
	// to; nil for freestanding functions.
	Resource *TypeDef
	Params   []Param
	// Result is nil when the function returns nothing.
	Result    Type
	Docs      Docs
	Stability Stability
	Pos       Pos
}

// BaseName returns the function's name without resource mangling: "f" for
// "[method]r.f", "r" for "[constructor]r".
func (f *Function) BaseName() string {
	n := f.Name
	if strings.HasPrefix(n, "[") {
		if i := strings.IndexByte(n, ']'); i >= 0 {
			n = n[i+1:]
		}
		if f.Kind != Constructor {
			if i := strings.IndexByte(n, '.'); i >= 0 {
				n = n[i+1:]
			}
		}
	}
	return n
}

// Param is a function parameter. Methods have an implicit first parameter
// named "self" of type borrow<resource>.
type Param struct {
	Name string
	Type Type
	Pos  Pos
}
