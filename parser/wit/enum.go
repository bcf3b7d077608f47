package wit

// Enum is `enum e { cases }`.
type Enum struct {
	Cases []EnumCase
}

// EnumCase is one case of an enum.
type EnumCase struct {
	Name string
	Docs Docs
	Pos  Pos
}

func (*Enum) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Enum) KindName() string { return "enum" }
