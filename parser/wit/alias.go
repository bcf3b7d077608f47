package wit

// Alias is `type a = T`, and also what a `use i.{t}` creates in the using
// interface or world: a new TypeDef whose Kind is an Alias of the original.
// (wit-parser calls this kind "type".) Note that `type x = list<u32>` puts
// the List kind directly on x; only aliases of named types and primitives
// are Alias.
type Alias struct {
	Type Type
}

func (*Alias) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Alias) KindName() string { return "type" }
