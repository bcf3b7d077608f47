package codegen

import (
	"fmt"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// An interface that a world both imports and exports is two different
// instances at run time: the host implements the imported one and the guest
// the exported one, and their resources are different types. The resolved
// model has one *wit.Interface for both, so before naming, the generator
// gives the export side its own copy of every exported interface (type
// definitions and functions), in which the types that involve such
// resources are copied too; all other types are shared by both sides.

type cloner struct {
	types  map[*wit.TypeDef]*wit.TypeDef
	ifaces map[*wit.Interface]*wit.Interface
	// both holds the interfaces that are imported and exported.
	both map[*wit.Interface]bool
	// need memoizes needs.
	need map[*wit.TypeDef]bool
}

// needs reports whether t differs between the import and export sides:
// it is, or (transitively) refers to, a resource of an interface that is
// both imported and exported. Other types are shared by both sides.
func (cl *cloner) needs(t *wit.TypeDef) bool {
	if v, ok := cl.need[t]; ok {
		return v
	}
	cl.need[t] = false // types are acyclic; this only guards the walk
	var v bool
	if _, ok := t.Kind.(*wit.Resource); ok {
		i, ok := t.Owner.(*wit.Interface)
		v = ok && cl.both[i]
	}
	// Visit every referenced type, without a short cut, so need records
	// each of them.
	for _, x := range wit.TypeRefs(t.Kind) {
		if td, ok := x.(*wit.TypeDef); ok && cl.needs(td) {
			v = true
		}
	}
	cl.need[t] = v
	return v
}

// splitExports returns the export-side copies of the exported interfaces
// (nil when no interface is both imported and exported), and marks the
// copied type definitions of interfaces that are also imported.
func (g *generator) splitExports() map[*wit.Interface]*wit.Interface {
	imported := map[*wit.Interface]bool{}
	for _, it := range g.w.Imports {
		if it.Interface != nil {
			imported[it.Interface] = true
		}
	}
	var exported []*wit.Interface
	both := false
	for _, it := range g.w.Exports {
		if it.Interface != nil {
			exported = append(exported, it.Interface)
			if imported[it.Interface] {
				both = true
			}
		}
	}
	if !both {
		return nil
	}
	cl := &cloner{types: map[*wit.TypeDef]*wit.TypeDef{}, ifaces: map[*wit.Interface]*wit.Interface{},
		both: map[*wit.Interface]bool{}, need: map[*wit.TypeDef]bool{}}
	for _, i := range exported {
		cl.both[i] = imported[i]
	}
	// Allocate every copy first, so references between them resolve.
	for _, i := range exported {
		c := *i
		c.Types = nil
		c.Functions = nil
		cl.ifaces[i] = &c
		for _, t := range i.Types {
			if !cl.needs(t) {
				c.Types = append(c.Types, t) // shared with the import side
				continue
			}
			nt := *t
			nt.Owner = &c
			cl.types[t] = &nt
			c.Types = append(c.Types, &nt)
			if imported[i] {
				g.exportSide[&nt] = true
			}
		}
	}
	for _, i := range exported {
		for _, t := range i.Types {
			if nt, ok := cl.types[t]; ok {
				nt.Kind = cl.kind(t.Kind)
			}
		}
		c := cl.ifaces[i]
		for _, f := range i.Functions {
			nf := *f
			nf.Params = make([]wit.Param, len(f.Params))
			for k, p := range f.Params {
				p.Type = cl.typ(p.Type)
				nf.Params[k] = p
			}
			if f.Result != nil {
				nf.Result = cl.typ(f.Result)
			}
			if f.Resource != nil {
				nf.Resource = cl.td(f.Resource)
			}
			c.Functions = append(c.Functions, &nf)
		}
	}
	return cl.ifaces
}

func (cl *cloner) td(t *wit.TypeDef) *wit.TypeDef {
	if c, ok := cl.types[t]; ok {
		return c
	}
	if t.Name != "" || !cl.needs(t) {
		return t // shared by both sides
	}
	c := *t
	cl.types[t] = &c
	c.Kind = cl.kind(t.Kind)
	return &c
}

func (cl *cloner) typ(t wit.Type) wit.Type {
	switch t := t.(type) {
	case nil:
		return nil
	case wit.Primitive:
		return t
	case *wit.TypeDef:
		return cl.td(t)
	}
	panic(fmt.Sprintf("BUG: unknown wit.Type %T", t))
}

func (cl *cloner) kind(k wit.TypeDefKind) wit.TypeDefKind {
	switch k := k.(type) {
	case *wit.Record:
		c := &wit.Record{Fields: make([]wit.Field, len(k.Fields))}
		for i, f := range k.Fields {
			f.Type = cl.typ(f.Type)
			c.Fields[i] = f
		}
		return c
	case *wit.Variant:
		c := &wit.Variant{Cases: make([]wit.Case, len(k.Cases))}
		for i, cs := range k.Cases {
			cs.Type = cl.typ(cs.Type)
			c.Cases[i] = cs
		}
		return c
	case *wit.Tuple:
		c := &wit.Tuple{Types: make([]wit.Type, len(k.Types))}
		for i, t := range k.Types {
			c.Types[i] = cl.typ(t)
		}
		return c
	case *wit.Enum, *wit.Flags:
		return k
	case *wit.Resource:
		return &wit.Resource{}
	case *wit.Option:
		return &wit.Option{Type: cl.typ(k.Type)}
	case *wit.Result:
		return &wit.Result{OK: cl.typ(k.OK), Err: cl.typ(k.Err)}
	case *wit.List:
		return &wit.List{Type: cl.typ(k.Type)}
	case *wit.FixedLengthList:
		return &wit.FixedLengthList{Type: cl.typ(k.Type), Length: k.Length}
	case *wit.Map:
		return &wit.Map{Key: cl.typ(k.Key), Value: cl.typ(k.Value)}
	case *wit.Own:
		return &wit.Own{Type: cl.td(k.Type)}
	case *wit.Borrow:
		return &wit.Borrow{Type: cl.td(k.Type)}
	case *wit.Future:
		return &wit.Future{Type: cl.typ(k.Type)}
	case *wit.Stream:
		return &wit.Stream{Type: cl.typ(k.Type)}
	case *wit.Alias:
		return &wit.Alias{Type: cl.typ(k.Type)}
	}
	panic(fmt.Sprintf("BUG: unknown wit.TypeDefKind %T", k))
}
