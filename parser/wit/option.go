package wit

// Option is `option<T>`.
type Option struct {
	Type Type
}

func (*Option) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Option) KindName() string { return "option" }
