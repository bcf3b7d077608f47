package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// declareFlags declares flags (1 to 32 members) as a named unsigned integer
// with one bit constant per flag and a String method.
func (g *generator) declareFlags(f *jen.File, t *wit.TypeDef, k *wit.Flags, name string) {
	size := wit.FlagsSize(len(k.Flags))
	f.Add(doc(typeDoc(name, t, fmt.Sprintf("WIT flags `%s`; combine the constants with |", t.Name))).Type().Id(name).Id(discGo(size)))
	var consts []jen.Code
	var names []jen.Code
	for i, fl := range k.Flags {
		cn := g.cases[t][i]
		d := memberDoc(fl.Docs, fmt.Sprintf("%s is flag `%s` of %s.", cn, fl.Name, name))
		consts = append(consts, doc(d).Id(cn).Id(name).Op("=").Lit(1).Op("<<").Lit(i))
		names = append(names, jen.Lit(fl.Name))
	}
	f.Const().Defs(consts...)
	f.Add(doc("String returns the WIT names of the set flags, separated by |.").
		Func().Params(jen.Id("f").Id(name)).Id("String").Params().String().Block(
		jen.Id("names").Op(":=").Index(jen.Op("...")).String().Values(names...),
		jen.Id("s").Op(":=").Lit(""),
		jen.For(jen.List(jen.Id("i"), jen.Id("n")).Op(":=").Range().Id("names")).Block(
			jen.If(jen.Id("f").Op("&").Parens(jen.Lit(1).Op("<<").Id("i")).Op("!=").Lit(0)).Block(
				jen.If(jen.Id("s").Op("!=").Lit("")).Block(jen.Id("s").Op("+=").Lit("|")),
				jen.Id("s").Op("+=").Id("n"),
			),
		),
		jen.Return(jen.Id("s")),
	))
}

// flagsBody emits the helpers of flags: a packed bit vector; unknown bits
// are masked off (CanonicalABI.md unpack_flags_from_int / pack_flags_into_int).
func (g *generator) flagsBody(op helperOp, t *wit.TypeDef, k *wit.Flags) []jen.Code {
	name := g.typeName[t]
	n := len(k.Flags)
	size := wit.FlagsSize(n)
	lift := func(raw jen.Code) jen.Code {
		return jen.Return(jen.Id(name).Call(ra("LiftFlags").Call(raw, jen.Lit(n))), jen.Nil())
	}
	masked := ra("LiftFlags").Call(jen.Uint32().Call(jen.Id("v")), jen.Lit(n))
	switch op {
	case opLoad:
		body := readInt(op, "x", size, 0, t.Name)
		return append(body, lift(jen.Uint32().Call(jen.Id("x"))))
	case opLift:
		return []jen.Code{lift(jen.Uint32().Call(jen.Id("vals").Index(jen.Lit(0))))}
	case opStore:
		return []jen.Code{writeInt(op, size, jen.Id("ptr"), masked, t.Name), jen.Return(jen.Nil())}
	case opLower:
		return []jen.Code{jen.Id("vals").Index(jen.Lit(0)).Op("=").Uint64().Call(masked), jen.Return(jen.Nil())}
	}
	panic("BUG: flags op")
}
