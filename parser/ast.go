package parser

import "github.com/wasmhost/wit-bindgen-go-host/parser/wit"

// This file defines the abstract syntax tree produced by the syntactic
// parser (parse.go) and consumed by the resolver (resolve.go). It mirrors the
// grammar of design/mvp/WIT.md. Every node carries the position of its first
// token; identifiers carry their own positions so errors can point at them.

// Span is a range of source text: the start position and the length in
// Unicode scalar values (used to draw the `^----` underline in errors).
type Span struct {
	Pos wit.Pos
	Len int
}

// Ident is an identifier with `%` already stripped.
type Ident struct {
	Name string
	Span Span
}

// AstDocs is a doc comment as written (already stripped of comment markers
// the way wit-parser does it), "" when absent.
type AstDocs struct {
	Contents string
	Span     Span
}

// File is one parsed .wit file.
type File struct {
	// Path is the file's path as given to the loader (used in messages).
	Path string
	// Src is the file's contents.
	Src []byte
	// Package is the leading `package ns:name@ver;` declaration, or nil.
	Package *PackageDecl
	// Items are the top-level items in source order: *InterfaceDecl,
	// *WorldDecl, *TopLevelUse and *NestedPackage.
	Items []Item
}

// PackageName is `ns:name@version` as written. Namespace and Name are
// identifiers; Version is the semver text ("" when absent).
type PackageName struct {
	Namespace   Ident
	Name        Ident
	Version     string
	VersionSpan Span
	Span        Span // the whole name
}

// Wit converts the written name to the model's package name.
func (n PackageName) Wit() wit.PackageName {
	return wit.PackageName{Namespace: n.Namespace.Name, Name: n.Name.Name, Version: n.Version}
}

// PackageDecl is `package ns:name@ver;` at the top of a file.
type PackageDecl struct {
	Docs  AstDocs
	Attrs []Attribute
	Name  PackageName
	Span  Span
}

// Item is a top-level item (or an item of a nested package).
type Item interface{ isItem() }

// NestedPackage is `package ns:name@ver { items }`.
type NestedPackage struct {
	Docs  AstDocs
	Attrs []Attribute
	Name  PackageName
	// Items: *InterfaceDecl, *WorldDecl, *TopLevelUse.
	Items []Item
	Span  Span
}

// TopLevelUse is `use pkg:ns/iface@ver as name;` (or `use iface as x;`) at
// the top level of a file or nested package.
type TopLevelUse struct {
	Attrs []Attribute
	Path  UsePath
	As    *Ident // nil when there is no `as`
	Span  Span
}

// InterfaceDecl is `interface name { items }`.
type InterfaceDecl struct {
	Docs  AstDocs
	Attrs []Attribute
	Name  Ident
	Items []InterfaceItem
	Span  Span
}

// WorldDecl is `world name { items }`.
type WorldDecl struct {
	Docs  AstDocs
	Attrs []Attribute
	Name  Ident
	Items []WorldItem
	Span  Span
}

func (*NestedPackage) isItem() {}
func (*TopLevelUse) isItem()   {}
func (*InterfaceDecl) isItem() {}
func (*WorldDecl) isItem()     {}

// InterfaceItem is an item in an interface (or an inline interface): *Use,
// *TypeDecl or *FuncDecl.
type InterfaceItem interface{ isInterfaceItem() }

// WorldItem is an item in a world: *ImportExport, *Use, *TypeDecl or
// *Include.
type WorldItem interface{ isWorldItem() }

// UsePath names an interface: a bare identifier in the current package
// (Package == nil), or `ns:pkg/iface@ver` (Package != nil).
type UsePath struct {
	Package *PackageName
	Name    Ident
	Span    Span
}

// UseName is one name in `use path.{a, b as c}`.
type UseName struct {
	Name Ident
	As   *Ident // nil when there is no `as`
}

// Use is `use path.{names};` inside an interface or world.
type Use struct {
	Attrs []Attribute
	From  UsePath
	Names []UseName
	Span  Span
}

// Include is `include path with { a as b };` in a world.
type Include struct {
	Attrs []Attribute
	From  UsePath
	Names []IncludeName
	Span  Span
}

// IncludeName is one `a as b` of an include's `with` clause.
type IncludeName struct {
	Name Ident
	As   Ident
}

// ExternKind says what an import or export brings in.
type ExternKind uint8

const (
	// ExternInterface is `import name: interface { items }` (inline interface).
	ExternInterface ExternKind = iota + 1
	// ExternPath is `import ns:pkg/iface;` or `import iface;`.
	ExternPath
	// ExternFunc is `import name: func(...)`.
	ExternFunc
	// ExternNamedPath is `import name: path;` (a named import of an existing
	// interface, the "implements" form).
	ExternNamedPath
)

// ImportExport is an `import ...;` or `export ...;` statement in a world.
type ImportExport struct {
	Docs   AstDocs
	Attrs  []Attribute
	Export bool
	Kind   ExternKind
	// Name is set for ExternInterface, ExternFunc and ExternNamedPath.
	Name Ident
	// Path is set for ExternPath and ExternNamedPath.
	Path UsePath
	// Items is the body of an inline interface (ExternInterface).
	Items []InterfaceItem
	// Func is set for ExternFunc.
	Func *Func
	Span Span
}

// TypeDecl is a named type declaration: `type a = T;`, `record`, `variant`,
// `enum`, `flags`, `resource`.
type TypeDecl struct {
	Docs  AstDocs
	Attrs []Attribute
	Name  Ident
	Type  TypeExpr
	Span  Span
}

// FuncDecl is `name: func(...) -> T;` in an interface.
type FuncDecl struct {
	Docs  AstDocs
	Attrs []Attribute
	Name  Ident
	Func  *Func
	Span  Span
}

func (*Use) isInterfaceItem()      {}
func (*TypeDecl) isInterfaceItem() {}
func (*FuncDecl) isInterfaceItem() {}

func (*ImportExport) isWorldItem() {}
func (*Use) isWorldItem()          {}
func (*TypeDecl) isWorldItem()     {}
func (*Include) isWorldItem()      {}

// Func is a function signature: `async? func(params) -> result`.
type Func struct {
	Async  bool
	Params []Param
	Result TypeExpr // nil when absent
	Span   Span
}

// Param is `name: T`.
type Param struct {
	Name Ident
	Type TypeExpr
}

// AttributeKind is the kind of a gate attribute.
type AttributeKind uint8

// The attribute kinds.
const (
	AttrSince AttributeKind = iota + 1
	AttrUnstable
	AttrDeprecated
)

// Attribute is `@since(version = v)`, `@unstable(feature = f)` or
// `@deprecated(version = v)`.
type Attribute struct {
	Kind AttributeKind
	// Value is the version (since, deprecated) or feature name (unstable).
	Value     string
	ValueSpan Span
	Span      Span
}

// TypeExpr is a type as written. The implementations are the Type* structs
// below.
type TypeExpr interface {
	isTypeExpr()
	// ExprSpan returns the source range of the expression.
	ExprSpan() Span
}

// TypePrimitive is a primitive type keyword: bool, u8..s64, f32, f64, char,
// string, error-context.
type TypePrimitive struct {
	Prim wit.Primitive
	Span Span
}

// TypeName is a reference to a named type (`foo`).
type TypeName struct {
	Name Ident
}

// TypeList is `list<T>`.
type TypeList struct {
	Elem TypeExpr
	Span Span
}

// TypeFixedList is `list<T, N>`.
type TypeFixedList struct {
	Elem   TypeExpr
	Length uint32
	Span   Span
}

// TypeMap is `map<K, V>`.
type TypeMap struct {
	Key, Value TypeExpr
	Span       Span
}

// TypeHandle is `own<r>` or `borrow<r>`.
type TypeHandle struct {
	Borrow   bool
	Resource Ident
	Span     Span
}

// TypeOption is `option<T>`.
type TypeOption struct {
	Elem TypeExpr
	Span Span
}

// TypeResult is `result`, `result<T>`, `result<_, E>`, `result<T, E>`; OK and
// Err are nil when absent.
type TypeResult struct {
	OK, Err TypeExpr
	Span    Span
}

// TypeTuple is `tuple<T...>`.
type TypeTuple struct {
	Types []TypeExpr
	Span  Span
}

// TypeFuture is `future` or `future<T>`; Elem is nil for the former.
type TypeFuture struct {
	Elem TypeExpr
	Span Span
}

// TypeStream is `stream` or `stream<T>`; Elem is nil for the former.
type TypeStream struct {
	Elem TypeExpr
	Span Span
}

// TypeRecord is the body of `record r { fields }`.
type TypeRecord struct {
	Fields []RecordField
	Span   Span
}

// RecordField is a record field.
type RecordField struct {
	Docs AstDocs
	Name Ident
	Type TypeExpr
}

// TypeVariant is the body of `variant v { cases }`.
type TypeVariant struct {
	Cases []VariantCase
	Span  Span
}

// VariantCase is a variant case; Type is nil without payload.
type VariantCase struct {
	Docs AstDocs
	Name Ident
	Type TypeExpr
}

// TypeEnum is the body of `enum e { cases }`.
type TypeEnum struct {
	Cases []EnumCase
	Span  Span
}

// EnumCase is an enum case.
type EnumCase struct {
	Docs AstDocs
	Name Ident
}

// TypeFlags is the body of `flags f { names }`.
type TypeFlags struct {
	Flags []FlagName
	Span  Span
}

// FlagName is one flag.
type FlagName struct {
	Docs AstDocs
	Name Ident
}

// TypeResource is the body of `resource r { funcs }` (or `resource r;`).
type TypeResource struct {
	Funcs []ResourceFunc
	Span  Span
}

// ResourceFuncKind is the kind of a resource function.
type ResourceFuncKind uint8

// The resource function kinds.
const (
	ResourceMethod ResourceFuncKind = iota + 1
	ResourceStatic
	ResourceConstructor
)

// ResourceFunc is `constructor(..)`, `name: func(..)` or
// `name: static func(..)` inside a resource.
type ResourceFunc struct {
	Docs  AstDocs
	Attrs []Attribute
	Kind  ResourceFuncKind
	// Name is the method or static name; for a constructor, the
	// `constructor` keyword's span with Name "constructor".
	Name Ident
	Func *Func
	Span Span
}

func (*TypePrimitive) isTypeExpr() {}
func (*TypeName) isTypeExpr()      {}
func (*TypeList) isTypeExpr()      {}
func (*TypeFixedList) isTypeExpr() {}
func (*TypeMap) isTypeExpr()       {}
func (*TypeHandle) isTypeExpr()    {}
func (*TypeOption) isTypeExpr()    {}
func (*TypeResult) isTypeExpr()    {}
func (*TypeTuple) isTypeExpr()     {}
func (*TypeFuture) isTypeExpr()    {}
func (*TypeStream) isTypeExpr()    {}
func (*TypeRecord) isTypeExpr()    {}
func (*TypeVariant) isTypeExpr()   {}
func (*TypeEnum) isTypeExpr()      {}
func (*TypeFlags) isTypeExpr()     {}
func (*TypeResource) isTypeExpr()  {}

// ExprSpan implements TypeExpr.
func (t *TypePrimitive) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeName) ExprSpan() Span { return t.Name.Span }

// ExprSpan implements TypeExpr.
func (t *TypeList) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeFixedList) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeMap) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeHandle) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeOption) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeResult) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeTuple) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeFuture) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeStream) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeRecord) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeVariant) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeEnum) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeFlags) ExprSpan() Span { return t.Span }

// ExprSpan implements TypeExpr.
func (t *TypeResource) ExprSpan() Span { return t.Span }
