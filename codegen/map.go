package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// mapEntry is the element type of map<K, V> in the canonical ABI: a
// tuple<K, V> (a map is laid out as list<tuple<K, V>>).
func mapEntry(k *wit.Map) *wit.TypeDef {
	return &wit.TypeDef{Kind: &wit.Tuple{Types: []wit.Type{k.Key, k.Value}}}
}

// mapBody emits the helpers of map<K, V>: a Go map, lifted from and
// lowered to a list of (key, value) tuples. Lifting keeps the last of
// duplicate keys; lowering writes the entries in Go's map iteration order.
func (g *generator) mapBody(op helperOp, k *wit.Map) []jen.Code {
	entry := mapEntry(k)
	liftEntries := func(p, n jen.Code) []jen.Code {
		return []jen.Code{
			jen.List(jen.Id("es"), jen.Err()).Op(":=").Id("in").Dot(g.helper(opLiftList, entry)).Call(p, n),
			checkErr(op),
			jen.Id("v").Op("=").Make(jen.Map(g.goType(k.Key)).Add(g.goType(k.Value)), jen.Len(jen.Id("es"))),
			jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("es")).Block(
				jen.Id("v").Index(jen.Id("e").Dot("F0")).Op("=").Id("e").Dot("F1")),
			jen.Return(jen.Id("v"), jen.Nil()),
		}
	}
	lowerEntries := []jen.Code{
		jen.Id("es").Op(":=").Make(jen.Index().Add(g.goType(entry)), jen.Lit(0), jen.Len(jen.Id("v"))),
		jen.For(jen.List(jen.Id("k"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
			jen.Id("es").Op("=").Append(jen.Id("es"), g.goType(entry).Values(jen.Id("k"), jen.Id("x")))),
		jen.List(jen.Id("p"), jen.Id("n"), jen.Err()).Op(":=").Id("in").Dot(g.helper(opLowerList, entry)).Call(jen.Id("ctx"), jen.Id("es")),
		checkErr(op),
	}
	switch op {
	case opLoad:
		body := readInt(op, "p", 4, 0, "map pointer")
		body = append(body, readInt(op, "n", 4, 4, "map length")...)
		return append(body, liftEntries(jen.Id("p"), jen.Id("n"))...)
	case opLift:
		return liftEntries(jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(0))), jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(1))))
	case opStore:
		return append(lowerEntries,
			writeInt(op, 4, jen.Id("ptr"), jen.Id("p"), "map pointer"),
			writeInt(op, 4, ptrPlus("ptr", 4), jen.Id("n"), "map length"),
			jen.Return(jen.Nil()))
	case opLower:
		return append(lowerEntries,
			jen.List(jen.Id("vals").Index(jen.Lit(0)), jen.Id("vals").Index(jen.Lit(1))).Op("=").
				List(jen.Uint64().Call(jen.Id("p")), jen.Uint64().Call(jen.Id("n"))),
			jen.Return(jen.Nil()))
	}
	panic("BUG: map op")
}
