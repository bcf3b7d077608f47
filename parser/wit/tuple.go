package wit

// Tuple is `tuple<T...>`.
type Tuple struct {
	Types []Type
}

func (*Tuple) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Tuple) KindName() string { return "tuple" }
