package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// discGo is the Go integer type of a discriminant of size bytes.
func discGo(size uint32) string {
	return map[uint32]string{1: "uint8", 2: "uint16", 4: "uint32"}[size]
}

// declareEnum declares an enum as a named integer type with one constant
// per case and a String method.
func (g *generator) declareEnum(f *jen.File, t *wit.TypeDef, k *wit.Enum, name string) {
	size := wit.DiscriminantSize(len(k.Cases))
	f.Add(doc(typeDoc(name, t, fmt.Sprintf("WIT enum `%s`", t.Name))).Type().Id(name).Id(discGo(size)))
	var consts []jen.Code
	var names []jen.Code
	for i, c := range k.Cases {
		cn := g.cases[t][i]
		d := memberDoc(c.Docs, fmt.Sprintf("%s is case `%s` of %s.", cn, c.Name, name))
		consts = append(consts, doc(d).Id(cn).Id(name).Op("=").Lit(i))
		names = append(names, jen.Lit(c.Name))
	}
	f.Const().Defs(consts...)
	f.Add(doc("String returns the WIT name of the case.").Func().Params(jen.Id("e").Id(name)).Id("String").Params().String().Block(
		jen.Id("names").Op(":=").Index(jen.Op("...")).String().Values(names...),
		jen.If(jen.Int().Call(jen.Id("e")).Op("<").Len(jen.Id("names"))).Block(jen.Return(jen.Id("names").Index(jen.Id("e")))),
		jen.Return(jen.Lit(name+"(?)")),
	))
}

// enumBody emits the helpers of an enum: a checked discriminant
// (CanonicalABI.md load_variant with no payloads).
func (g *generator) enumBody(op helperOp, t *wit.TypeDef, k *wit.Enum) []jen.Code {
	name := g.typeName[t]
	n := len(k.Cases)
	size := wit.DiscriminantSize(n)
	check := func(d jen.Code) []jen.Code {
		return []jen.Code{
			jen.List(jen.Id("d"), jen.Err()).Op(":=").Add(ra("LiftDiscriminant")).Call(jen.Lit(t.Name), d, jen.Lit(n)),
			checkErr(op),
			jen.Return(jen.Id(name).Call(jen.Id("d")), jen.Nil()),
		}
	}
	lowerCheck := jen.If(jen.Uint32().Call(jen.Id("v")).Op(">=").Lit(n)).Block(
		retErr(op, ra("InvalidValue").Call(jen.Lit("lower "+t.Name), jen.Lit("enum value out of range"))))
	switch op {
	case opLoad:
		body := readInt(op, "x", size, 0, t.Name)
		return append(body, check(jen.Uint32().Call(jen.Id("x")))...)
	case opLift:
		return check(jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(0))))
	case opStore:
		return []jen.Code{lowerCheck, writeInt(op, size, jen.Id("ptr"), jen.Id("v"), t.Name), jen.Return(jen.Nil())}
	case opLower:
		return []jen.Code{lowerCheck, jen.Id("vals").Index(jen.Lit(0)).Op("=").Uint64().Call(jen.Id("v")), jen.Return(jen.Nil())}
	}
	panic("BUG: enum op")
}
