package wit

// List is `list<T>`.
type List struct {
	Type Type
}

// FixedLengthList is `list<T, N>`.
type FixedLengthList struct {
	Type   Type
	Length uint32
}

func (*List) isTypeDefKind()            {}
func (*FixedLengthList) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*List) KindName() string { return "list" }

// KindName implements TypeDefKind.
func (*FixedLengthList) KindName() string { return "fixed-length-list" }
