package wit

// Resource is `resource r { ... }`. Its functions live in the owning
// interface's (or world's) function list with Function.Resource pointing at
// the resource's TypeDef.
type Resource struct{}

func (*Resource) isTypeDefKind() {}

// KindName implements TypeDefKind.
func (*Resource) KindName() string { return "resource" }
