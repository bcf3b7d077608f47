package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// resourceGoType is the Go type of own<r> and borrow<r>: the host's
// interface type for an imported resource, a *handle for an exported one.
func (g *generator) resourceGoType(r *wit.TypeDef) *jen.Statement {
	r = r.Root()
	if g.resDir[r] == exported {
		return jen.Op("*").Id(g.typeName[r])
	}
	return jen.Id(g.typeName[r])
}

// tableField is the instance field holding the handle table of r.
func (g *generator) tableField(r *wit.TypeDef) string { return "res_" + g.typeName[r.Root()] }

// handleBody emits the helpers of own<r> and borrow<r> (CanonicalABI.md
// lift_own, lift_borrow, lower_own, lower_borrow).
//
// Imported (host) resources live in the instance's handle table: lifting
// an own takes the handle out, lifting a borrow looks it up (a synchronous
// import cannot re-enter the guest, so the handle cannot be dropped while
// the host holds the borrow), lowering an own inserts one, lowering a
// borrow inserts a borrow handle that the guest must drop before the call
// returns (checked by the export wrapper).
//
// Exported (guest) resources are represented by their rep: lifting an own
// takes the guest's handle out of the table and wraps the rep in a handle
// value; lowering an own inserts a new own handle; lowering a borrow passes
// the rep itself (the callee implements the resource).
func (g *generator) handleBody(op helperOp, r *wit.TypeDef, own bool) []jen.Code {
	r = r.Root()
	tbl := jen.Id("in").Dot(g.tableField(r))
	name := g.typeName[r]
	what := "own<" + r.Name + ">"
	if !own {
		what = "borrow<" + r.Name + ">"
	}
	var body []jen.Code
	switch op {
	case opLoad, opLift:
		if op == opLoad {
			body = append(body, readInt(op, "h", 4, 0, what)...)
		} else {
			body = append(body, jen.Id("h").Op(":=").Uint32().Call(jen.Id("vals").Index(jen.Lit(0))))
		}
		method := "Take"
		if !own {
			method = "Rep"
		}
		if g.resDir[r] == imported {
			return append(body, jen.Return(tbl.Dot(method).Call(jen.Id("h"))))
		}
		fields := jen.Dict{jen.Id("in"): jen.Id("in"), jen.Id("rep"): jen.Id("rep")}
		if !own {
			fields[jen.Id("borrowed")] = jen.True()
		}
		return append(body,
			jen.List(jen.Id("rep"), jen.Err()).Op(":=").Add(tbl.Dot(method).Call(jen.Id("h"))),
			checkErr(op),
			jen.Return(jen.Op("&").Id(name).Values(fields), jen.Nil()))
	case opStore, opLower:
		put := func(h jen.Code) jen.Code {
			if op == opStore {
				return writeInt(op, 4, jen.Id("ptr"), h, what)
			}
			return jen.Id("vals").Index(jen.Lit(0)).Op("=").Uint64().Call(h)
		}
		if g.resDir[r] == imported {
			body = append(body, jen.If(jen.Id("v").Op("==").Nil()).Block(
				jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+what), jen.Lit("nil "+name)))))
			if own {
				body = append(body, jen.List(jen.Id("h"), jen.Err()).Op(":=").Add(tbl.Clone().Dot("Own").Call(jen.Id("v"))), checkErr(op))
			} else {
				body = append(body,
					jen.List(jen.Id("h"), jen.Id("tok"), jen.Err()).Op(":=").Add(tbl.Clone().Dot("LowerBorrow").Call(jen.Id("v"))),
					checkErr(op),
					jen.Id("in").Dot("borrows").Dot("Add").Call(tbl.Clone(), jen.Id("tok")))
			}
			return append(body, put(jen.Id("h")), jen.Return(jen.Nil()))
		}
		body = append(body, jen.If(jen.Id("v").Op("==").Nil().Op("||").Id("v").Dot("in").Op("!=").Id("in").Op("||").Id("v").Dot("dropped")).Block(
			jen.Return(ra("InvalidValue").Call(jen.Lit("lower "+what), jen.Lit("nil, dropped or foreign "+name+" handle")))))
		if own {
			body = append(body,
				jen.List(jen.Id("h"), jen.Err()).Op(":=").Add(tbl.Clone().Dot("Own").Call(jen.Id("v").Dot("rep"))),
				checkErr(op),
				jen.Id("v").Dot("dropped").Op("=").True(),
				put(jen.Id("h")))
		} else {
			body = append(body, put(jen.Id("v").Dot("rep")))
		}
		return append(body, jen.Return(jen.Nil()))
	}
	panic("BUG: handle op")
}
