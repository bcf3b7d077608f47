package wit

import "fmt"

// This file computes the canonical ABI layout of WIT types and functions:
// sizes, alignments and flattened core types. Each function names the
// definition of design/mvp/CanonicalABI.md (WebAssembly/component-model)
// that it implements. Only the synchronous ABI is modelled.

// FlatType is a core WebAssembly value type produced by flattening.
type FlatType uint8

// The core value types of flattened signatures.
const (
	FlatI32 FlatType = iota + 1
	FlatI64
	FlatF32
	FlatF64
)

// String returns the core wasm spelling ("i32", ...).
func (f FlatType) String() string {
	switch f {
	case FlatI32:
		return "i32"
	case FlatI64:
		return "i64"
	case FlatF32:
		return "f32"
	case FlatF64:
		return "f64"
	}
	return fmt.Sprintf("FlatType(%d)", uint8(f))
}

// Limits on flattened function signatures (CanonicalABI.md "Flattening":
// MAX_FLAT_PARAMS and MAX_FLAT_RESULTS).
const (
	MaxFlatParams  = 16
	MaxFlatResults = 1
)

// ABIContext says whether a function is flattened for `canon lift` (the
// guest exports it) or `canon lower` (the guest imports it). The two differ
// only in how results that do not fit MaxFlatResults are returned.
type ABIContext uint8

const (
	// Lift is the context of a guest export (`canon lift`): results that do
	// not fit are returned as a single i32 pointer to them.
	Lift ABIContext = iota + 1
	// Lower is the context of a guest import (`canon lower`): results that
	// do not fit are written by the callee to a caller-supplied i32 return
	// pointer, appended to the parameters.
	Lower
)

// despecialized is the view of a type after despecialization: tuples are
// records, and enums, options and results are variants.
//
// Implements CanonicalABI.md "Despecialization" (despecialize).
type despecialized struct {
	fields []Type     // record (tuple) field types, when isRecord
	cases  []caseType // variant cases, when isVariant; nil type = no payload
	isRec  bool
	isVar  bool
}

type caseType struct{ t Type }

// despecialize returns the record or variant expansion of a record-like or
// variant-like kind, and ok=false for every other kind.
//
// Implements CanonicalABI.md "Despecialization" (despecialize).
func despecialize(k TypeDefKind) (despecialized, bool) {
	switch k := k.(type) {
	case *Record:
		ts := make([]Type, len(k.Fields))
		for i, f := range k.Fields {
			ts[i] = f.Type
		}
		return despecialized{fields: ts, isRec: true}, true
	case *Tuple:
		return despecialized{fields: k.Types, isRec: true}, true
	case *Variant:
		cs := make([]caseType, len(k.Cases))
		for i, c := range k.Cases {
			cs[i] = caseType{c.Type}
		}
		return despecialized{cases: cs, isVar: true}, true
	case *Enum:
		return despecialized{cases: make([]caseType, len(k.Cases)), isVar: true}, true
	case *Option:
		return despecialized{cases: []caseType{{nil}, {k.Type}}, isVar: true}, true
	case *Result:
		return despecialized{cases: []caseType{{k.OK}, {k.Err}}, isVar: true}, true
	}
	return despecialized{}, false
}

// Align returns the canonical ABI alignment of t in bytes.
//
// Implements CanonicalABI.md "Alignment" (alignment, alignment_record,
// alignment_variant, alignment_flags). Handles, error-context, future and
// stream are i32 indices; map<K, V> is laid out as list<tuple<K, V>>;
// a fixed-length list has the alignment of its element.
func Align(t Type) uint32 {
	switch t := t.(type) {
	case Primitive:
		return primitiveSize(t)
	case *TypeDef:
		return alignKind(t.Kind)
	}
	panic(fmt.Sprintf("BUG: wit.Align: unknown type %T", t))
}

func alignKind(k TypeDefKind) uint32 {
	if d, ok := despecialize(k); ok {
		if d.isRec {
			return alignRecord(d.fields)
		}
		return alignVariant(d.cases)
	}
	switch k := k.(type) {
	case *Alias:
		return Align(k.Type)
	case *List, *Map:
		return 4
	case *FixedLengthList:
		return Align(k.Type)
	case *Flags:
		return alignFlags(len(k.Flags))
	case *Own, *Borrow, *Resource, *Future, *Stream:
		return 4
	}
	panic(fmt.Sprintf("BUG: wit.Align: unknown kind %T", k))
}

// alignRecord implements CanonicalABI.md alignment_record.
func alignRecord(fields []Type) uint32 {
	a := uint32(1)
	for _, f := range fields {
		a = max(a, Align(f))
	}
	return a
}

// alignVariant implements CanonicalABI.md alignment_variant.
func alignVariant(cases []caseType) uint32 {
	return max(DiscriminantSize(len(cases)), maxCaseAlign(cases))
}

// maxCaseAlign implements CanonicalABI.md max_case_alignment.
func maxCaseAlign(cases []caseType) uint32 {
	a := uint32(1)
	for _, c := range cases {
		if c.t != nil {
			a = max(a, Align(c.t))
		}
	}
	return a
}

// alignFlags implements CanonicalABI.md alignment_flags.
func alignFlags(n int) uint32 {
	switch {
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4
}

// DiscriminantSize returns the size in bytes (1, 2 or 4) of the
// discriminant of a variant with n cases; its alignment is the same.
//
// Implements CanonicalABI.md discriminant_type (u8, u16 or u32).
func DiscriminantSize(n int) uint32 {
	switch {
	case n <= 1<<8:
		return 1
	case n <= 1<<16:
		return 2
	}
	return 4
}

// FlagsSize returns the size in bytes of a flags type with n members: 0, 1,
// 2, or 4 per started group of 32 flags.
//
// Implements CanonicalABI.md size_flags and num_i32_flags.
func FlagsSize(n int) uint32 {
	switch {
	case n == 0:
		return 0
	case n <= 8:
		return 1
	case n <= 16:
		return 2
	}
	return 4 * uint32((n+31)/32)
}

// Size returns the canonical ABI size of t in bytes.
//
// Implements CanonicalABI.md "Size" (size, size_record, size_variant,
// size_flags). string, list and map are (ptr, len) pairs of 8 bytes; a
// fixed-length list is its element size times its length.
func Size(t Type) uint32 {
	switch t := t.(type) {
	case Primitive:
		if t == String {
			return 8
		}
		return primitiveSize(t)
	case *TypeDef:
		return sizeKind(t.Kind)
	}
	panic(fmt.Sprintf("BUG: wit.Size: unknown type %T", t))
}

func sizeKind(k TypeDefKind) uint32 {
	if d, ok := despecialize(k); ok {
		if d.isRec {
			return sizeRecord(d.fields)
		}
		return sizeVariant(d.cases)
	}
	switch k := k.(type) {
	case *Alias:
		return Size(k.Type)
	case *List, *Map:
		return 8
	case *FixedLengthList:
		return Size(k.Type) * k.Length
	case *Flags:
		return FlagsSize(len(k.Flags))
	case *Own, *Borrow, *Resource, *Future, *Stream:
		return 4
	}
	panic(fmt.Sprintf("BUG: wit.Size: unknown kind %T", k))
}

// primitiveSize returns the size (and alignment) of a primitive other than
// string (whose alignment is 4 and size 8).
func primitiveSize(p Primitive) uint32 {
	switch p {
	case Bool, U8, S8:
		return 1
	case U16, S16:
		return 2
	case U32, S32, F32, Char, ErrorContext, String:
		return 4
	case U64, S64, F64:
		return 8
	}
	panic(fmt.Sprintf("BUG: wit: unknown primitive %d", uint8(p)))
}

// AlignTo rounds ptr up to a multiple of align.
//
// Implements CanonicalABI.md align_to.
func AlignTo(ptr, align uint32) uint32 {
	return (ptr + align - 1) / align * align
}

// sizeRecord implements CanonicalABI.md size_record.
func sizeRecord(fields []Type) uint32 {
	var s uint32
	for _, f := range fields {
		s = AlignTo(s, Align(f))
		s += Size(f)
	}
	return AlignTo(s, alignRecord(fields))
}

// sizeVariant implements CanonicalABI.md size_variant.
func sizeVariant(cases []caseType) uint32 {
	s := DiscriminantSize(len(cases))
	s = AlignTo(s, maxCaseAlign(cases))
	var cs uint32
	for _, c := range cases {
		if c.t != nil {
			cs = max(cs, Size(c.t))
		}
	}
	s += cs
	return AlignTo(s, alignVariant(cases))
}

// FieldOffsets returns the offset of each field of a record (or tuple) with
// the given field types.
//
// Implements the offset computation of CanonicalABI.md load_record and
// store_record.
func FieldOffsets(fields []Type) []uint32 {
	offs := make([]uint32, len(fields))
	var s uint32
	for i, f := range fields {
		s = AlignTo(s, Align(f))
		offs[i] = s
		s += Size(f)
	}
	return offs
}

// VariantPayloadOffset returns the offset of the payload of a variant-like
// kind (variant, enum, option, result) from the start of the value.
//
// Implements the payload offset of CanonicalABI.md load_variant and
// store_variant: the discriminant size aligned up to max_case_alignment.
func VariantPayloadOffset(k TypeDefKind) uint32 {
	d, ok := despecialize(k)
	if !ok || !d.isVar {
		panic(fmt.Sprintf("BUG: wit.VariantPayloadOffset: %T is not variant-like", k))
	}
	return AlignTo(DiscriminantSize(len(d.cases)), maxCaseAlign(d.cases))
}

// Flat returns the flattened core types of t.
//
// Implements CanonicalABI.md "Flattening" (flatten_type, flatten_record,
// flatten_variant, flatten_flags). bool, char, the small integers, handles,
// error-context, future and stream are i32; string, list and map are
// (i32 ptr, i32 len); a fixed-length list repeats its element's flat types
// Length times.
func Flat(t Type) []FlatType {
	return appendFlat(nil, t)
}

func appendFlat(dst []FlatType, t Type) []FlatType {
	switch t := t.(type) {
	case Primitive:
		switch t {
		case Bool, U8, U16, U32, S8, S16, S32, Char, ErrorContext:
			return append(dst, FlatI32)
		case U64, S64:
			return append(dst, FlatI64)
		case F32:
			return append(dst, FlatF32)
		case F64:
			return append(dst, FlatF64)
		case String:
			return append(dst, FlatI32, FlatI32)
		}
		panic(fmt.Sprintf("BUG: wit.Flat: unknown primitive %d", uint8(t)))
	case *TypeDef:
		return appendFlatKind(dst, t.Kind)
	}
	panic(fmt.Sprintf("BUG: wit.Flat: unknown type %T", t))
}

func appendFlatKind(dst []FlatType, k TypeDefKind) []FlatType {
	if d, ok := despecialize(k); ok {
		if d.isRec {
			for _, f := range d.fields {
				dst = appendFlat(dst, f)
			}
			return dst
		}
		return append(dst, flattenVariant(d.cases)...)
	}
	switch k := k.(type) {
	case *Alias:
		return appendFlat(dst, k.Type)
	case *List, *Map:
		return append(dst, FlatI32, FlatI32)
	case *FixedLengthList:
		elem := Flat(k.Type)
		for range k.Length {
			dst = append(dst, elem...)
		}
		return dst
	case *Flags:
		for range (len(k.Flags) + 31) / 32 {
			dst = append(dst, FlatI32)
		}
		return dst
	case *Own, *Borrow, *Resource, *Future, *Stream:
		return append(dst, FlatI32)
	}
	panic(fmt.Sprintf("BUG: wit.Flat: unknown kind %T", k))
}

// flattenVariant implements CanonicalABI.md flatten_variant: the
// discriminant (i32) followed by the element-wise join of the cases' flat
// types.
func flattenVariant(cases []caseType) []FlatType {
	var flat []FlatType
	for _, c := range cases {
		if c.t == nil {
			continue
		}
		for i, ft := range Flat(c.t) {
			if i < len(flat) {
				flat[i] = JoinFlat(flat[i], ft)
			} else {
				flat = append(flat, ft)
			}
		}
	}
	return append([]FlatType{FlatI32}, flat...)
}

// JoinFlat returns the smallest core type that can hold both a and b.
//
// Implements CanonicalABI.md join: equal types join to themselves, i32 and
// f32 join to i32, everything else joins to i64.
func JoinFlat(a, b FlatType) FlatType {
	if a == b {
		return a
	}
	if (a == FlatI32 && b == FlatF32) || (a == FlatF32 && b == FlatI32) {
		return FlatI32
	}
	return FlatI64
}

// FuncABI is the core signature of a WIT function in one context.
type FuncABI struct {
	// Params and Results are the core function's parameter and result types.
	Params  []FlatType
	Results []FlatType
	// ParamsIndirect: the flattened parameters exceeded MaxFlatParams, so
	// the core function takes a single i32 pointer to a tuple of them.
	ParamsIndirect bool
	// ResultsIndirect: the flattened results exceeded MaxFlatResults. In the
	// Lift context the core function returns an i32 pointer to them; in the
	// Lower context the last core parameter is an i32 return pointer.
	ResultsIndirect bool
	// FlatParams and FlatResults are the flattened types before the
	// MaxFlat limits were applied.
	FlatParams  []FlatType
	FlatResults []FlatType
}

// ParamTypes returns the types of f's parameters.
func (f *Function) ParamTypes() []Type {
	ts := make([]Type, len(f.Params))
	for i, p := range f.Params {
		ts[i] = p.Type
	}
	return ts
}

// ABI returns the synchronous core signature of f in context cx.
//
// Implements CanonicalABI.md flatten_functype (with opts.async_ false):
// parameters beyond MAX_FLAT_PARAMS are passed through one i32 pointer;
// results beyond MAX_FLAT_RESULTS are returned through an i32 pointer
// (lift) or written to an i32 return-pointer parameter (lower).
func (f *Function) ABI(cx ABIContext) FuncABI {
	var a FuncABI
	for _, p := range f.Params {
		a.FlatParams = appendFlat(a.FlatParams, p.Type)
	}
	if f.Result != nil {
		a.FlatResults = appendFlat(a.FlatResults, f.Result)
	}
	a.Params = a.FlatParams
	a.Results = a.FlatResults
	if len(a.FlatParams) > MaxFlatParams {
		a.Params = []FlatType{FlatI32}
		a.ParamsIndirect = true
	}
	if len(a.FlatResults) > MaxFlatResults {
		a.ResultsIndirect = true
		switch cx {
		case Lift:
			a.Results = []FlatType{FlatI32}
		case Lower:
			a.Params = append(append([]FlatType(nil), a.Params...), FlatI32)
			a.Results = nil
		default:
			panic(fmt.Sprintf("BUG: wit.Function.ABI: unknown context %d", cx))
		}
	}
	return a
}

// Size returns the canonical ABI size of t (see the package function Size).
func (t *TypeDef) Size() uint32 { return Size(t) }

// Align returns the canonical ABI alignment of t (see Align).
func (t *TypeDef) Align() uint32 { return Align(t) }

// Flat returns the flattened core types of t (see Flat).
func (t *TypeDef) Flat() []FlatType { return Flat(t) }

// Size returns the canonical ABI size of p (see the package function Size).
func (p Primitive) Size() uint32 { return Size(p) }

// Align returns the canonical ABI alignment of p (see Align).
func (p Primitive) Align() uint32 { return Align(p) }

// Flat returns the flattened core types of p (see Flat).
func (p Primitive) Flat() []FlatType { return Flat(p) }
