package wit

// Future is `future` or `future<T>`; Type is nil for the former.
type Future struct {
	Type Type
}

// Stream is `stream` or `stream<T>`; Type is nil for the former.
type Stream struct {
	Type Type
}

func (*Future) isTypeDefKind() {}
func (*Stream) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Future) KindName() string { return "future" }

// KindName implements TypeDefKind.
func (*Stream) KindName() string { return "stream" }
