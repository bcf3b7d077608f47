package wit

// Result is `result`, `result<T>`, `result<_, E>` or `result<T, E>`. OK and
// Err are nil when absent.
type Result struct {
	OK  Type
	Err Type
}

func (*Result) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Result) KindName() string { return "result" }
