package wit

import "fmt"

// Type is a use of a WIT type: a [Primitive] or a *[TypeDef].
type Type interface {
	isType()
}

// Primitive is a WIT primitive type.
type Primitive uint8

// The primitive types. ErrorContext is a primitive in wit-parser's model.
const (
	Bool Primitive = iota + 1
	U8
	U16
	U32
	U64
	S8
	S16
	S32
	S64
	F32
	F64
	Char
	String
	ErrorContext
)

var primitiveNames = [...]string{
	Bool: "bool", U8: "u8", U16: "u16", U32: "u32", U64: "u64",
	S8: "s8", S16: "s16", S32: "s32", S64: "s64", F32: "f32", F64: "f64",
	Char: "char", String: "string", ErrorContext: "error-context",
}

// String returns the WIT spelling of the primitive, e.g. "u32".
func (p Primitive) String() string {
	if int(p) < len(primitiveNames) && primitiveNames[p] != "" {
		return primitiveNames[p]
	}
	return fmt.Sprintf("Primitive(%d)", uint8(p))
}

// PrimitiveByName returns the primitive spelled name in WIT.
func PrimitiveByName(name string) (Primitive, bool) {
	for i, n := range primitiveNames {
		if n != "" && n == name {
			return Primitive(i), true
		}
	}
	return 0, false
}

func (Primitive) isType() {}
func (*TypeDef) isType()  {}

// TypeOwner is what declares a named type definition: an *Interface or a
// *World. Anonymous type definitions have a nil owner.
type TypeOwner interface {
	isTypeOwner()
}

func (*Interface) isTypeOwner() {}
func (*World) isTypeOwner()     {}

// TypeDef is a type definition: a named type declared in an interface or a
// world (`record r {..}`, `type a = ..`, `use i.{t}`), or an anonymous type
// such as `list<u32>` used inline.
type TypeDef struct {
	// Name is "" for anonymous types.
	Name      string
	Kind      TypeDefKind
	Owner     TypeOwner // nil for anonymous types
	Docs      Docs
	Stability Stability
	Index     int
	Pos       Pos
}

// Root follows aliases (`type a = b`, and `use`d names) to the type
// definition that is not an alias. It returns t itself when t is not an
// alias of another type definition.
func (t *TypeDef) Root() *TypeDef {
	for {
		a, ok := t.Kind.(*Alias)
		if !ok {
			return t
		}
		next, ok := a.Type.(*TypeDef)
		if !ok {
			return t
		}
		t = next
	}
}

// Resolved follows aliases from ty and returns the first Type that is not an
// alias: a Primitive, or a *TypeDef whose Kind is not *Alias.
func Resolved(ty Type) Type {
	for {
		td, ok := ty.(*TypeDef)
		if !ok {
			return ty
		}
		a, ok := td.Kind.(*Alias)
		if !ok {
			return td
		}
		ty = a.Type
	}
}

// TypeDefKind is the kind of a type definition. It is sealed: the
// implementations are the types in this package listed below.
//
// *Record, *Resource, *Own, *Borrow, *Flags, *Tuple, *Variant, *Enum,
// *Option, *Result, *List, *Map, *FixedLengthList, *Future, *Stream, *Alias.
type TypeDefKind interface {
	isTypeDefKind()
	// KindName returns the kind's name as in wit-parser's JSON
	// ("record", "handle", "type" for aliases, ...).
	KindName() string
}

// TypeRefs returns the type uses a type definition of kind k refers to
// directly, in declaration order: an alias's target, record fields, variant
// payloads, tuple members, the element of a list, option, future or stream,
// a map's key and value, a result's ok and err, and a handle's resource.
// Absent (nil) payloads and elements are left out. Enums, flags and
// resources refer to none, and so does a nil kind (a type of another
// package not resolved yet).
func TypeRefs(k TypeDefKind) []Type {
	var out []Type
	add := func(ts ...Type) {
		for _, t := range ts {
			if t != nil {
				out = append(out, t)
			}
		}
	}
	switch k := k.(type) {
	case nil, *Enum, *Flags, *Resource:
	case *Alias:
		add(k.Type)
	case *Record:
		for _, f := range k.Fields {
			add(f.Type)
		}
	case *Variant:
		for _, c := range k.Cases {
			add(c.Type)
		}
	case *Tuple:
		add(k.Types...)
	case *List:
		add(k.Type)
	case *FixedLengthList:
		add(k.Type)
	case *Option:
		add(k.Type)
	case *Result:
		add(k.OK, k.Err)
	case *Map:
		add(k.Key, k.Value)
	case *Future:
		add(k.Type)
	case *Stream:
		add(k.Type)
	case *Own:
		if k.Type != nil {
			add(k.Type)
		}
	case *Borrow:
		if k.Type != nil {
			add(k.Type)
		}
	default:
		panic(fmt.Sprintf("wit: unknown TypeDefKind %T", k))
	}
	return out
}
