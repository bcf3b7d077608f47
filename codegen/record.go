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

// flatRecordFields returns the fields of elem when it is a record or tuple
// whose fields are all view scalars or strings: a list of such records is
// lifted and lowered by one loop (liftRecordList, lowerRecordList) instead
// of one helper call per element and field.
func (g *generator) flatRecordFields(elem wit.Type) ([]field, bool) {
	t, ok := elem.(*wit.TypeDef)
	if !ok {
		return nil, false
	}
	switch t.Kind.(type) {
	case *wit.Record, *wit.Tuple:
	default:
		return nil, false
	}
	fs := g.structFields(t)
	if len(fs) == 0 {
		return nil, false
	}
	for i, f := range fs {
		r := g.rootOf(f.t)
		if !isViewScalar(r) && r != wit.String {
			return nil, false
		}
		fs[i].t = r
	}
	return fs, true
}

// readView is the little-endian integer of size bytes at offset off of the
// view e.
func readView(e string, size, off uint32) jen.Code {
	at := jen.Id(e)
	if off != 0 {
		at = jen.Id(e).Index(jen.Lit(int(off)).Op(":"))
	}
	if size == 1 {
		return jen.Id(e).Index(jen.Lit(int(off)))
	}
	fn := map[uint32]string{2: "Uint16", 4: "Uint32", 8: "Uint64"}[size]
	return jen.Qual(binaryPkg, "LittleEndian").Dot(fn).Call(at)
}

// putView writes bits as a little-endian integer of size bytes at offset
// off of the view b.
func putView(size, off uint32, bits jen.Code) jen.Code {
	at := bAt(off)
	switch size {
	case 1:
		return jen.Id("b").Index(jen.Lit(int(off))).Op("=").Byte().Call(bits)
	case 2:
		return jen.Qual(binaryPkg, "LittleEndian").Dot("PutUint16").Call(at, jen.Uint16().Call(bits))
	case 4:
		return jen.Qual(binaryPkg, "LittleEndian").Dot("PutUint32").Call(at, jen.Uint32().Call(bits))
	}
	return jen.Qual(binaryPkg, "LittleEndian").Dot("PutUint64").Call(at, jen.Uint64().Call(bits))
}

// flatFieldLayout returns the memory offsets of a flat record's fields and
// whether any of them is a string.
func flatFieldLayout(fs []field) (offs []uint32, hasString bool) {
	types := make([]wit.Type, len(fs))
	for i, f := range fs {
		types[i] = f.t
		hasString = hasString || f.t == wit.String
	}
	return wit.FieldOffsets(types), hasString
}

// liftRecordList emits liftlist_E for a list of flat records
// (load_list_from_range, then load_record per element): the list is checked
// once for alignment and bounds, one view covers all its elements, and the
// strings are lifted from one view of the whole memory. Lifting never calls
// the guest, so neither view can go stale. Each element is decoded in place
// in the result slice.
func (g *generator) liftRecordList(elem wit.Type, fs []field, size, align uint32) []jen.Code {
	offs, hasString := flatFieldLayout(fs)
	body := []jen.Code{
		jen.If(jen.Err().Op("=").Add(ra("CheckList")).Call(jen.Id("in").Dot("mem"), jen.Id("p"), jen.Id("n"), jen.Lit(int(size)), jen.Lit(int(align))), jen.Err().Op("!=").Nil()).
			Block(jen.Return(jen.Nil(), jen.Err())),
		jen.List(jen.Id("b"), jen.Id("_")).Op(":=").Id("in").Dot("mem").Dot("Read").Call(jen.Id("p"), jen.Id("n").Op("*").Lit(int(size))),
	}
	if hasString {
		body = append(body, jen.List(jen.Id("m"), jen.Id("_")).Op(":=").Id("in").Dot("mem").Dot("Read").Call(jen.Lit(0), jen.Id("in").Dot("mem").Dot("Size").Call()))
	}
	body = append(body, jen.Id("v").Op("=").Make(jen.Index().Add(g.goType(elem)), jen.Id("n")))
	loop := []jen.Code{
		jen.Id("e").Op(":=").Id("b").Index(jen.Id("i").Op("*").Lit(int(size)).Op(":")).Index(jen.Op(":").Lit(int(size))),
		jen.Id("x").Op(":=").Op("&").Id("v").Index(jen.Id("i")),
	}
	for i, f := range fs {
		sel := jen.Id("x").Dot(f.name)
		p := f.t.(wit.Primitive)
		off := offs[i]
		switch p {
		case wit.String:
			loop = append(loop, jen.If(jen.List(sel, jen.Err()).Op("=").Add(ra("LiftStringView")).Call(jen.Id("m"), readView("e", 4, off), readView("e", 4, off+4)), jen.Err().Op("!=").Nil()).
				Block(jen.Return(jen.Id("v"), jen.Err())))
		case wit.Char:
			loop = append(loop, jen.If(jen.List(sel, jen.Err()).Op("=").Add(ra("LiftChar")).Call(readView("e", 4, off)), jen.Err().Op("!=").Nil()).
				Block(jen.Return(jen.Id("v"), jen.Err())))
		case wit.Bool:
			loop = append(loop, jen.Add(sel).Op("=").Add(readView("e", 1, off)).Op("!=").Lit(0))
		case wit.F32:
			loop = append(loop, jen.Add(sel).Op("=").Qual(mathPkg, "Float32frombits").Call(readView("e", 4, off)))
		case wit.F64:
			loop = append(loop, jen.Add(sel).Op("=").Qual(mathPkg, "Float64frombits").Call(readView("e", 8, off)))
		default:
			loop = append(loop, jen.Add(sel).Op("=").Id(primitiveGo(p)).Call(readView("e", wit.Size(p), off)))
		}
	}
	return append(body,
		jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(loop...),
		jen.Return(jen.Id("v"), jen.Nil()))
}

// lowerRecordList emits lowerlist_E for a list of flat records
// (store_list_into_range, then store_record per element). The list is
// allocated and checked once. Per element, the strings are lowered first
// (cabi_realloc may grow memory and invalidate views), then one checked
// view of the element takes every field. A list of records without strings
// makes no guest call after the allocation, so one view covers it all.
func (g *generator) lowerRecordList(fs []field, size, align uint32) []jen.Code {
	offs, hasString := flatFieldLayout(fs)
	mem := jen.Id("in").Dot("mem")
	body := []jen.Code{
		jen.List(jen.Id("p"), jen.Err()).Op("=").Add(ra("AllocList")).Call(jen.Id("ctx"), mem, jen.Id("in").Dot("realloc"),
			jen.Id("in").Dot("rstack").Index(jen.Op(":")), jen.Len(jen.Id("v")), jen.Lit(int(size)), jen.Lit(int(align))),
		checkErr(opLowerList),
	}
	var loop []jen.Code
	elemPtr := jen.Id("p").Op("+").Uint32().Call(jen.Id("i")).Op("*").Lit(int(size))
	if hasString {
		loop = append(loop, jen.Id("x").Op(":=").Op("&").Id("v").Index(jen.Id("i")))
		for i, f := range fs {
			if f.t != wit.String {
				continue
			}
			sp, sn := fmt.Sprintf("p%d", i), fmt.Sprintf("n%d", i)
			loop = append(loop,
				jen.List(jen.Id(sp), jen.Id(sn), jen.Err()).Op(":=").Add(ra("LowerString")).Call(jen.Id("ctx"), mem, jen.Id("in").Dot("realloc"),
					jen.Id("in").Dot("rstack").Index(jen.Op(":")), jen.Id("x").Dot(f.name)),
				checkErr(opLowerList))
		}
		loop = append(loop,
			jen.Id("ptr").Op(":=").Add(elemPtr),
			jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Add(mem.Clone()).Dot("Read").Call(jen.Id("ptr"), jen.Lit(int(size))),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Lit(0), jen.Lit(0), ra("OutOfBounds").Call(jen.Lit("store record"), jen.Id("ptr"), jen.Lit(int(size))))),
		)
	} else {
		// No guest call after AllocList: one view of the whole list.
		body = append(body,
			jen.List(jen.Id("all"), jen.Id("ok")).Op(":=").Add(mem.Clone()).Dot("Read").Call(jen.Id("p"), jen.Uint32().Call(jen.Len(jen.Id("v"))).Op("*").Lit(int(size))),
			jen.If(jen.Op("!").Id("ok")).Block(jen.Return(jen.Lit(0), jen.Lit(0), ra("OutOfBounds").Call(jen.Lit("store list"), jen.Id("p"), jen.Uint32().Call(jen.Len(jen.Id("v"))).Op("*").Lit(int(size))))),
		)
		loop = append(loop,
			jen.Id("x").Op(":=").Op("&").Id("v").Index(jen.Id("i")),
			jen.Id("b").Op(":=").Id("all").Index(jen.Id("i").Op("*").Lit(int(size)).Op(":")).Index(jen.Op(":").Lit(int(size))))
	}
	for i, f := range fs {
		p := f.t.(wit.Primitive)
		sel := jen.Id("x").Dot(f.name)
		off := offs[i]
		switch p {
		case wit.String:
			loop = append(loop,
				putView(4, off, jen.Id(fmt.Sprintf("p%d", i))),
				putView(4, off+4, jen.Id(fmt.Sprintf("n%d", i))))
		case wit.Char:
			c := fmt.Sprintf("c%d", i)
			loop = append(loop,
				jen.List(jen.Id(c), jen.Err()).Op(":=").Add(ra("LowerChar")).Call(sel),
				checkErr(opLowerList),
				putView(4, off, jen.Id(c)))
		default:
			bits, _ := lowerScalar(opStore, p, sel)
			loop = append(loop, putView(wit.Size(p), off, bits))
		}
	}
	return append(body,
		jen.For(jen.Id("i").Op(":=").Range().Id("v")).Block(loop...),
		jen.Return(jen.Id("p"), jen.Uint32().Call(jen.Len(jen.Id("v"))), jen.Nil()))
}
