package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/wasmhost/wit-bindgen-go-host/parser/wit"
)

// field is one field of a record or tuple: its Go name and WIT type.
type field struct {
	name string
	t    wit.Type
}

// structFields returns the Go struct fields of a record (by their Go names)
// or a tuple (F0, F1, ...), in order.
func (g *generator) structFields(t *wit.TypeDef) []field {
	var fs []field
	switch k := t.Kind.(type) {
	case *wit.Record:
		for i, f := range k.Fields {
			fs = append(fs, field{g.fields[t][i], f.Type})
		}
	case *wit.Tuple:
		for i, e := range k.Types {
			fs = append(fs, field{fmt.Sprintf("F%d", i), e})
		}
	default:
		panic(fmt.Sprintf("BUG: %s has no struct fields", t.Kind.KindName()))
	}
	return fs
}

// declareRecord declares a record as a Go struct.
func (g *generator) declareRecord(f *jen.File, t *wit.TypeDef, k *wit.Record, name string) {
	var fields []jen.Code
	for i, fl := range k.Fields {
		if d := fl.Docs.Contents; d != "" {
			fields = append(fields, doc(d))
		}
		fields = append(fields, jen.Id(g.fields[t][i]).Add(g.goType(fl.Type)))
	}
	f.Add(doc(typeDoc(name, t, fmt.Sprintf("WIT record `%s`", t.Name))).Type().Id(name).Struct(fields...))
}

// recordBody emits the helpers of a record or tuple: fields at their
// offsets (CanonicalABI.md load_record / store_record), flat fields one
// after another (lift_flat_record / lower_flat_record).
func (g *generator) recordBody(op helperOp, fs []field) []jen.Code {
	types := make([]wit.Type, len(fs))
	for i, f := range fs {
		types[i] = f.t
	}
	offs := wit.FieldOffsets(types)
	if op == opStore && countScalarFields(fs) >= 2 {
		return g.storeRecordView(fs, types, offs)
	}
	var body []jen.Code
	pos := 0
	for i, f := range fs {
		n := flatLen(f.t)
		sel := jen.Id("v").Dot(f.name)
		switch op {
		case opLoad:
			body = append(body, g.callInto(op, sel, opLoad, f.t, bAt(offs[i])))
		case opLift:
			body = append(body, g.callInto(op, sel, opLift, f.t, valsRange(pos, pos+n)))
		case opStore:
			body = append(body, g.callErr(op, opStore, f.t, jen.Id("ctx"), ptrPlus("ptr", offs[i]), sel))
		case opLower:
			body = append(body, g.callErr(op, opLower, f.t, jen.Id("ctx"), sel, valsRange(pos, pos+n)))
		}
		pos += n
	}
	switch op {
	case opLoad, opLift:
		body = append(body, jen.Return(jen.Id("v"), jen.Nil()))
	default:
		body = append(body, jen.Return(jen.Nil()))
	}
	return body
}

// isViewScalar reports whether t is a primitive that is stored as plain
// bytes (no cabi_realloc, no handle table): every primitive but string and
// error-context.
func isViewScalar(t wit.Type) bool {
	p, ok := t.(wit.Primitive)
	return ok && p != wit.String && p != wit.ErrorContext
}

func countScalarFields(fs []field) int {
	n := 0
	for _, f := range fs {
		if isViewScalar(f.t) {
			n++
		}
	}
	return n
}

// storeRecordView emits store_record (CanonicalABI.md) for a record with
// several scalar fields. Fields whose lowering may call into the guest
// (cabi_realloc for strings and lists) are stored first; then one checked
// view of the record's bytes takes every scalar field, instead of one
// bounds-checked Memory call per field. The view is taken after the last
// guest call, so it cannot go stale.
func (g *generator) storeRecordView(fs []field, types []wit.Type, offs []uint32) []jen.Code {
	var body []jen.Code
	for i, f := range fs {
		if !isViewScalar(f.t) {
			body = append(body, g.callErr(opStore, opStore, f.t, jen.Id("ctx"), ptrPlus("ptr", offs[i]), jen.Id("v").Dot(f.name)))
		}
	}
	size, _ := tupleSizeAlign(types)
	body = append(body,
		jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("in").Dot("mem").Dot("Read").Call(jen.Id("ptr"), jen.Lit(int(size))),
		jen.If(jen.Op("!").Id("ok")).Block(jen.Return(ra("OutOfBounds").Call(jen.Lit("store record"), jen.Id("ptr"), jen.Lit(int(size))))),
	)
	for i, f := range fs {
		if !isViewScalar(f.t) {
			continue
		}
		p := f.t.(wit.Primitive)
		sel := jen.Id("v").Dot(f.name)
		var bits jen.Code
		if p == wit.Char {
			c := fmt.Sprintf("c%d", i)
			body = append(body,
				jen.List(jen.Id(c), jen.Err()).Op(":=").Add(ra("LowerChar")).Call(sel),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
			bits = jen.Id(c)
		} else {
			bits, _ = lowerScalar(opStore, p, sel)
		}
		off := int(offs[i])
		switch wit.Size(p) {
		case 1:
			body = append(body, jen.Id("b").Index(jen.Lit(off)).Op("=").Byte().Call(bits))
		case 2:
			body = append(body, jen.Qual(binaryPkg, "LittleEndian").Dot("PutUint16").Call(jen.Id("b").Index(jen.Lit(off).Op(":")), jen.Uint16().Call(bits)))
		case 4:
			body = append(body, jen.Qual(binaryPkg, "LittleEndian").Dot("PutUint32").Call(jen.Id("b").Index(jen.Lit(off).Op(":")), jen.Uint32().Call(bits)))
		case 8:
			body = append(body, jen.Qual(binaryPkg, "LittleEndian").Dot("PutUint64").Call(jen.Id("b").Index(jen.Lit(off).Op(":")), jen.Uint64().Call(bits)))
		}
	}
	return append(body, jen.Return(jen.Nil()))
}
