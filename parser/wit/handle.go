package wit

// Own is `own<r>`, or a plain use of a resource name `r`.
type Own struct {
	// Type is the resource's TypeDef (possibly an alias of it, as in
	// wit-parser; use Type.Root() for the resource itself).
	Type *TypeDef
}

// Borrow is `borrow<r>`.
type Borrow struct {
	Type *TypeDef
}

func (*Own) isTypeDefKind()    {}
func (*Borrow) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Own) KindName() string { return "handle" }

// KindName implements TypeDefKind.
func (*Borrow) KindName() string { return "handle" }
