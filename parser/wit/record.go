package wit

// Record is `record r { fields }`.
type Record struct {
	Fields []Field
}

// Field is a record field.
type Field struct {
	Name string
	Type Type
	Docs Docs
	Pos  Pos
}

func (*Record) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Record) KindName() string { return "record" }
