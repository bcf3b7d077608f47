package wit

// Map is `map<K, V>`.
type Map struct {
	Key   Type
	Value Type
}

func (*Map) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Map) KindName() string { return "map" }
