package wit

// Flags is `flags f { a, b, c }`.
type Flags struct {
	Flags []Flag
}

// Flag is one member of a flags type.
type Flag struct {
	Name string
	Docs Docs
	Pos  Pos
}

func (*Flags) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Flags) KindName() string { return "flags" }
