package wit

// Variant is `variant v { cases }`.
type Variant struct {
	Cases []Case
}

// Case is a variant case. Type is nil for a case without a payload.
type Case struct {
	Name string
	Type Type
	Docs Docs
	Pos  Pos
}

func (*Variant) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Variant) KindName() string { return "variant" }
